import { Type } from '@sinclair/typebox';
import { CLOCK_STATUSES, PAUSE_REASONS, SLA_TARGETS } from '../../../domain/sla.js';
import { TICKET_PRIORITIES, TICKET_TYPES } from '../../../domain/tickets.js';
import { Id, Nullable, StringEnum } from '../../platform/schemas.js';

const Target = StringEnum(SLA_TARGETS, { description: 'What is promised (see domain/sla)' });

export const SlaPolicy = Type.Object({
  id: Type.String(),
  communityId: Nullable(Type.String({ description: 'null: the company’s policy' })),
  ticketType: Nullable(StringEnum(TICKET_TYPES)),
  priority: Nullable(StringEnum(TICKET_PRIORITIES)),
  categoryId: Nullable(Type.String()),
  target: Target,
  minutes: Nullable(Type.Integer({ description: 'null: no clock for this target here' })),
  businessHours: Type.Boolean({ description: 'Counted in the business calendar; else 24×7' }),
  warnPercent: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const PolicyQuery = Type.Object({ communityId: Type.Optional(Id) }, { additionalProperties: false });

export const CreatePolicyBody = Type.Object(
  {
    communityId: Type.Optional(Nullable(Id)),
    ticketType: Type.Optional(Nullable(StringEnum(TICKET_TYPES))),
    priority: Type.Optional(Nullable(StringEnum(TICKET_PRIORITIES))),
    categoryId: Type.Optional(Nullable(Id)),
    target: Target,
    minutes: Nullable(Type.Integer({ minimum: 1, maximum: 60 * 24 * 366 })),
    businessHours: Type.Optional(Type.Boolean()),
    warnPercent: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const UpdatePolicyBody = Type.Object(
  {
    minutes: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 60 * 24 * 366 }))),
    businessHours: Type.Optional(Type.Boolean()),
    warnPercent: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

const Interval = Type.Object({ start: Type.String(), end: Type.String() });
export const Calendar = Type.Object(
  {
    timeZone: Type.String({ maxLength: 64 }),
    weekly: Type.Record(Type.String(), Type.Array(Interval)),
    holidays: Type.Array(Type.String()),
    workdays: Type.Array(Type.String()),
    makeUpPattern: Type.Optional(Type.Integer({ minimum: 0, maximum: 6 })),
  },
  { description: 'Working intervals per weekday (0 = Sunday), holidays and make-up workdays (调休)' },
);

export const CalendarEntry = Type.Object({
  communityId: Nullable(Type.String({ description: 'null: the company default' })),
  calendar: Calendar,
  /** false: nothing stored, the standard calendar applies. */
  stored: Type.Boolean(),
});

export const CalendarBody = Type.Object(
  { calendar: Type.Unknown({ description: 'A business calendar; validated field by field' }) },
  { additionalProperties: false },
);

export const CommunityParams = Type.Object({ id: Id }, { additionalProperties: false });

export const ReapplyBody = Type.Object({ communityId: Id }, { additionalProperties: false });
export const ReapplyResult = Type.Object({ recomputed: Type.Integer() });

export const SlaClock = Type.Object({
  id: Type.String(),
  ticketId: Type.String(),
  ticketNumber: Type.String(),
  communityId: Type.String(),
  target: Target,
  status: StringEnum(CLOCK_STATUSES),
  startedAt: Type.String({ format: 'date-time' }),
  dueAt: Type.String({ format: 'date-time' }),
  warnAt: Type.String({ format: 'date-time' }),
  pausedAt: Nullable(Type.String({ format: 'date-time' })),
  pauseReason: Nullable(StringEnum(PAUSE_REASONS)),
  pausedMs: Type.Number(),
  warnedAt: Nullable(Type.String({ format: 'date-time' })),
  breachedAt: Nullable(Type.String({ format: 'date-time' })),
  metAt: Nullable(Type.String({ format: 'date-time' })),
  remainingMs: Nullable(
    Type.Number({ description: 'Until due, now; negative when overdue; null once met or cancelled' }),
  ),
  minutes: Type.Integer(),
  businessHours: Type.Boolean(),
});

export const ClockList = Type.Object({
  items: Type.Array(SlaClock),
  now: Type.String({ format: 'date-time' }),
});

export const BoardQuery = Type.Object(
  {
    communityId: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export const ComplianceQuery = Type.Object(
  {
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
    communityId: Type.Optional(Id),
    groupBy: Type.Optional(StringEnum(['community', 'team', 'worker', 'type', 'target'] as const)),
  },
  { additionalProperties: false },
);

export const ComplianceResult = Type.Object({
  groupBy: Type.String(),
  rows: Type.Array(
    Type.Object({
      key: Nullable(Type.String()),
      name: Nullable(Type.String()),
      total: Type.Integer(),
      onTime: Type.Integer(),
      rate: Nullable(Type.Number({ description: 'onTime / total, 0…1' })),
    }),
  ),
});
