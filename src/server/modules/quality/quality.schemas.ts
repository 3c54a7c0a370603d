import { Type } from '@sinclair/typebox';
import { Id, Nullable, PageQuery, StringEnum } from '../../platform/schemas.js';

export const QA_REASONS = ['random', 'new_staff', 'keyword'] as const;
export const QA_STATUSES = ['pending', 'scored'] as const;
export const QA_SUBJECT_TYPES = ['ticket', 'call'] as const;

const Person = Type.Object({ id: Type.String(), name: Type.String(), employeeNo: Type.String() });

const SheetItem = Type.Object({
  key: Type.String({ description: 'Stable code of the item, e.g. greeting' }),
  name: Type.String(),
  maxPoints: Type.Number({ description: 'The most points the item gives' }),
  deductions: Type.String({ description: 'The deduction rules, e.g. 未报工号扣1分/次' }),
});

export const QaSheet = Type.Object({
  id: Type.String(),
  name: Type.String(),
  version: Type.Integer(),
  current: Type.Boolean({ description: 'The sheet new checks are scored on' }),
  items: Type.Array(SheetItem),
  maxTotal: Type.Number(),
  createdAt: Type.String({ format: 'date-time' }),
});

/** Generous bounds against abuse; the real limits (1–20 items, 1–100 points …) are checked with translated messages. */
export const UpdateSheetBody = Type.Object(
  {
    version: Type.Integer({
      minimum: 1,
      description: 'The current version you edited: a stale one is a 409',
    }),
    name: Type.String({ maxLength: 500, description: 'At most 60 characters' }),
    items: Type.Array(
      Type.Object(
        {
          key: Type.Optional(
            Type.String({ maxLength: 100, description: 'Kept from the item edited; new items get one' }),
          ),
          name: Type.String({ maxLength: 500, description: 'At most 30 characters, distinct' }),
          maxPoints: Type.Number({ description: '0.5–100, in half points' }),
          deductions: Type.Optional(Type.String({ maxLength: 5000, description: 'At most 1000 characters' })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100, description: '1–20 items' },
    ),
  },
  { additionalProperties: false },
);

export const QaCheck = Type.Object({
  id: Type.String(),
  sheetId: Type.String(),
  sheetVersion: Type.Integer(),
  items: Type.Array(
    Type.Object({
      key: Type.String(),
      name: Type.String(),
      maxPoints: Type.Number(),
      deductions: Type.String(),
      points: Type.Number(),
    }),
  ),
  total: Type.Number(),
  maxTotal: Type.Number(),
  comment: Nullable(Type.String()),
  checkedBy: Person,
  checkedAt: Type.String({ format: 'date-time' }),
  seenAt: Nullable(Type.String({ format: 'date-time' })),
});

export const QaSample = Type.Object({
  id: Type.String(),
  week: Type.String({ description: 'ISO week, e.g. 2026-W49' }),
  subjectType: StringEnum(QA_SUBJECT_TYPES),
  subjectId: Type.String(),
  /** The request's number (a call has none). */
  subjectNumber: Nullable(Type.String()),
  subjectAt: Type.String({
    format: 'date-time',
    description: 'When the request was logged or the call rang',
  }),
  agent: Nullable(Person),
  communityId: Type.String(),
  communityName: Type.String(),
  reason: StringEnum(QA_REASONS, {
    description: 'random; new_staff (joined within 90 days: sampled 2×); keyword (mentions 投诉/赔偿/起诉)',
  }),
  status: StringEnum(QA_STATUSES),
  check: Nullable(QaCheck),
  createdAt: Type.String({ format: 'date-time' }),
});

export const DrawBody = Type.Object(
  {
    week: Type.String({ maxLength: 20, description: "An ISO week 'YYYY-Www' or a date 'YYYY-MM-DD' in it" }),
    communityId: Id,
  },
  { additionalProperties: false },
);

export const DrawResult = Type.Object({
  week: Type.String(),
  from: Type.String({ description: 'Monday, YYYY-MM-DD' }),
  to: Type.String({ description: 'Sunday, YYYY-MM-DD' }),
  added: Type.Integer({ description: 'How many were drawn now (0 when the week was drawn already)' }),
  items: Type.Array(QaSample),
});

export const SamplesQuery = Type.Object(
  {
    week: Type.Optional(Type.String({ maxLength: 20 })),
    status: Type.Optional(StringEnum(QA_STATUSES)),
    agentId: Type.Optional(Id),
    communityId: Type.Optional(Id),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const CheckBody = Type.Object(
  {
    scores: Type.Record(Type.String({ maxLength: 100 }), Type.Number(), {
      maxProperties: 100,
      description: 'Points per item of the current sheet, each 0..its maximum in half points',
    }),
    comment: Type.Optional(
      Nullable(Type.String({ maxLength: 5000, description: 'At most 1000 characters' })),
    ),
  },
  { additionalProperties: false },
);

export const ReportQuery = Type.Object(
  {
    month: Type.String({ maxLength: 20, description: 'YYYY-MM' }),
    communityId: Type.Optional(Id),
  },
  { additionalProperties: false },
);

export const QaReport = Type.Object({
  month: Type.String(),
  communityId: Nullable(Type.String()),
  items: Type.Array(
    Type.Object({
      agent: Person,
      samples: Type.Integer(),
      checked: Type.Integer(),
      averageTotal: Nullable(Type.Number({ description: 'One decimal' })),
      lowestItem: Nullable(
        Type.Object({
          key: Type.String(),
          name: Type.String(),
          averagePoints: Type.Number(),
          maxPoints: Type.Number(),
        }),
      ),
      overrides: Type.Integer({
        description: 'Forbidden-phrase overrides (R37) the agent made in the month',
      }),
    }),
  ),
});

/** Nothing to say: acknowledging is the whole of it. */
export const AckBody = Type.Object({}, { additionalProperties: false, description: 'Empty' });
