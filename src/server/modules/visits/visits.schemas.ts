import { Type } from '@sinclair/typebox';
import {
  VISIT_CLOSE_REASONS,
  VISIT_KINDS,
  VISIT_MODES,
  VISIT_OUTCOMES,
  VISIT_STATUSES,
  VISIT_VIEWS,
} from '../../../domain/return-visits.js';
import { Nullable, OptionalText, PageQuery, StringEnum, Text } from '../../platform/schemas.js';

const Person = Type.Object({ id: Type.String(), name: Type.String(), employeeNo: Type.String() });
const Version = Type.Integer({
  minimum: 1,
  description: 'The version you saw: a stale one is a 409 (someone else acted first)',
});
const Score = (description: string) => Type.Integer({ minimum: 1, maximum: 5, description });
const scoreFields = {
  overall: Score('Overall satisfaction, 1–5 (R34)'),
  speed: Score('Speed of the service, 1–5'),
  attitude: Score('Attitude of the staff, 1–5'),
  quality: Score('Quality of the work, 1–5'),
};

export const Rating = Type.Object(
  {
    id: Type.String(),
    source: StringEnum(['link', 'visit'] as const, {
      description: 'link: the resident on the rating page; visit: told to the agent',
    }),
    visitId: Nullable(Type.String()),
    ...scoreFields,
    comment: Nullable(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { description: 'A satisfaction rating (R34)' },
);

export const ReturnVisit = Type.Object(
  {
    id: Type.String(),
    ticketId: Type.String(),
    ticketNumber: Type.String(),
    ticketType: Type.String(),
    ticketStatus: Type.String({
      description: 'The request’s status now (received again after “not resolved”)',
    }),
    communityId: Type.String(),
    communityName: Type.String(),
    content: Type.String({ description: 'The request, shortened' }),
    work: Nullable(Type.String({ description: 'The work done, from the completion report' })),
    worker: Nullable(Type.Object({ name: Type.String(), employeeNo: Type.String() })),
    residentId: Nullable(
      Type.String({ description: 'Reveal the full number through the resident (audited)' }),
    ),
    residentName: Nullable(Type.String()),
    phone: Nullable(Type.String({ description: 'Masked (R4)' })),
    kind: StringEnum(VISIT_KINDS),
    mode: StringEnum(VISIT_MODES),
    status: StringEnum(VISIT_STATUSES, {
      description: 'open (to call), reached (result due), done, closed (see closeReason)',
    }),
    assignee: Nullable(Person),
    completedAt: Type.String({ format: 'date-time' }),
    dueAt: Type.String({
      format: 'date-time',
      description: 'R24: 3 days after completion (the return_visit clock)',
    }),
    remainingMs: Nullable(
      Type.Number({ description: 'Until due; negative when overdue; null once finished' }),
    ),
    attempts: Type.Integer(),
    nextAttemptAt: Nullable(
      Type.String({ format: 'date-time', description: 'Retry schedule: when to call again' }),
    ),
    lastOutcome: Nullable(StringEnum(VISIT_OUTCOMES)),
    closeReason: Nullable(StringEnum(VISIT_CLOSE_REASONS)),
    resolved: Nullable(Type.Boolean()),
    rating: Nullable(Rating),
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    doneAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { description: 'A return visit (回访) owed for a finished request (R33)' },
);

export const ReturnVisitDetail = Type.Object(
  {
    ...ReturnVisit.properties,
    attemptLog: Type.Array(
      Type.Object({
        id: Type.String(),
        at: Type.String({ format: 'date-time' }),
        outcome: StringEnum(VISIT_OUTCOMES),
        note: Nullable(Type.String()),
        user: Person,
      }),
    ),
  },
  { description: 'A return visit with its attempts' },
);

export const VisitQuery = Type.Object(
  {
    view: Type.Optional(
      StringEnum(VISIT_VIEWS, { description: 'mine: assigned to me; due: callable now; all: all I may see' }),
    ),
    status: Type.Optional(StringEnum(['open', 'finished', 'any'] as const, { default: 'open' })),
    communityId: Type.Optional(Type.String({ maxLength: 64 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const AttemptBody = Type.Object(
  {
    version: Version,
    outcome: StringEnum(VISIT_OUTCOMES),
    note: OptionalText(500),
  },
  { additionalProperties: false },
);

export const ResultBody = Type.Object(
  {
    version: Version,
    resolved: Type.Boolean({ description: 'false reopens the request (R33)' }),
    ...scoreFields,
    comment: OptionalText(1000),
  },
  { additionalProperties: false },
);

export const VisitFollowup = Type.Object(
  {
    id: Type.String(),
    ticketId: Type.String(),
    ticketNumber: Type.String(),
    communityId: Type.String(),
    visitId: Nullable(Type.String()),
    reason: Type.Array(Type.String(), { description: 'The dimensions scored 2 or less' }),
    rating: Type.Object({
      source: StringEnum(['link', 'visit'] as const),
      ...scoreFields,
      comment: Nullable(Type.String()),
    }),
    status: StringEnum(['open', 'closed'] as const),
    assignee: Nullable(Person),
    outcome: Nullable(Type.String()),
    closedBy: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
    closedAt: Nullable(Type.String({ format: 'date-time' })),
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { description: 'A complaint follow-up opened by a poor score (R34)' },
);

export const FollowupQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(['open', 'closed', 'any'] as const, { default: 'open' })),
    view: Type.Optional(StringEnum(['mine', 'all'] as const)),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const CloseFollowupBody = Type.Object(
  { version: Version, outcome: Text(1000, { description: 'What was done for the resident' }) },
  { additionalProperties: false },
);

export const TicketSatisfaction = Type.Object(
  {
    visits: Type.Array(ReturnVisit),
    ratings: Type.Array(Rating),
    links: Type.Array(
      Type.Object({
        id: Type.String(),
        createdAt: Type.String({ format: 'date-time' }),
        expiresAt: Type.String({ format: 'date-time' }),
        usedAt: Nullable(Type.String({ format: 'date-time' })),
        status: StringEnum(['sent', 'used', 'expired'] as const),
      }),
    ),
    followups: Type.Array(VisitFollowup),
  },
  { description: 'A request’s return visits, ratings, rating links and follow-ups' },
);

export const VisitPolicyItem = Type.Object(
  {
    kind: StringEnum(VISIT_KINDS, { description: 'The request type; repairs split in-home / common area' }),
    mode: StringEnum(VISIT_MODES, {
      description: 'none; skip_if_rated (a satisfied link rating is the visit); always',
    }),
    samplePercent: Type.Integer({ minimum: 0, maximum: 100, description: 'Share of finished jobs visited' }),
  },
  { additionalProperties: false },
);

export const VisitPolicies = Type.Object({
  items: Type.Array(
    Type.Object({ ...VisitPolicyItem.properties, updatedAt: Type.String({ format: 'date-time' }) }),
  ),
});

export const PutPoliciesBody = Type.Object(
  { policies: Type.Array(VisitPolicyItem, { minItems: 1, maxItems: VISIT_KINDS.length }) },
  { additionalProperties: false },
);

// ---- public ----

export const TokenParams = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

export const PublicRatingView = Type.Object(
  {
    number: Type.String(),
    type: Type.String(),
    communityName: Type.String(),
    companyName: Type.String(),
    hotline: Nullable(Type.String()),
    content: Type.String({ description: 'The request, shortened' }),
    work: Nullable(Type.String({ description: 'What was done' })),
    worker: Nullable(
      Type.Object({ name: Type.String(), employeeNo: Type.String(), teamKind: Nullable(Type.String()) }),
    ),
    completedAt: Nullable(Type.String({ format: 'date-time' })),
    timeZone: Type.String(),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  {
    description: 'What the resident sees on the rating page: no phone, no address, no names but the worker’s',
  },
);

export const PublicRatingBody = Type.Object(
  { ...scoreFields, comment: OptionalText(1000) },
  { additionalProperties: false },
);
