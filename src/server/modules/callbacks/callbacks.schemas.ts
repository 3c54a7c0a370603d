import { Type } from '@sinclair/typebox';
import {
  ATTEMPT_OUTCOMES,
  CALLBACK_KINDS,
  CALLBACK_STATUSES,
  CALLBACK_VIEWS,
} from '../../../domain/callbacks.js';
import { Id, Nullable, OptionalText, PageQuery, StringEnum, Text } from '../../platform/schemas.js';

const Person = Type.Object({ id: Type.String(), name: Type.String(), employeeNo: Type.String() });
const Version = Type.Integer({
  minimum: 1,
  description: 'The version you saw: a stale one is a 409 (someone else acted first)',
});

export const Callback = Type.Object(
  {
    id: Type.String(),
    kind: StringEnum(CALLBACK_KINDS, { description: 'missed_call (未接来电) or message (留言)' }),
    communityId: Nullable(Type.String({ description: 'null: a caller of no known community' })),
    communityName: Nullable(Type.String()),
    residentId: Nullable(Type.String()),
    roomId: Nullable(Type.String()),
    room: Nullable(Type.String({ description: 'The room (3-2-1502), or the unit as the caller said it' })),
    callerName: Nullable(Type.String()),
    phone: Type.String({ description: 'The number to call back (the caller gave it for that)' }),
    content: Nullable(Type.String({ description: 'The message; null for a missed call' })),
    forUser: Nullable(Person),
    forTeam: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
    queue: Nullable(Type.String()),
    takenBy: Nullable(Person),
    calledAt: Type.String({ format: 'date-time', description: 'When the caller rang (the first miss)' }),
    lastCallAt: Type.String({ format: 'date-time' }),
    misses: Type.Integer({ description: 'Missed calls merged into this callback' }),
    status: StringEnum(CALLBACK_STATUSES),
    outcome: Nullable(StringEnum(ATTEMPT_OUTCOMES, { description: 'The last attempt’s outcome' })),
    closeReason: Nullable(Type.String()),
    dueAt: Nullable(Type.String({ format: 'date-time', description: 'null: no time promise applies' })),
    warnAt: Nullable(Type.String({ format: 'date-time' })),
    warnedAt: Nullable(Type.String({ format: 'date-time' })),
    breachedAt: Nullable(Type.String({ format: 'date-time' })),
    respondedAt: Nullable(
      Type.String({ format: 'date-time', description: 'The first attempt: it keeps the time promise' }),
    ),
    nextAttemptAt: Nullable(
      Type.String({ format: 'date-time', description: 'Retry schedule: when to try again' }),
    ),
    attempts: Type.Integer(),
    remainingMs: Nullable(
      Type.Number({ description: 'Until due, now; negative when overdue; null once answered or no clock' }),
    ),
    minutes: Nullable(Type.Integer({ description: 'The promise, in (business) minutes' })),
    businessHours: Type.Boolean(),
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    doneAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { description: 'A callback (回电, R30): a message taken for someone, or missed calls' },
);

export const CallbackDetail = Type.Object(
  {
    ...Callback.properties,
    attemptLog: Type.Array(
      Type.Object({
        id: Type.String(),
        at: Type.String({ format: 'date-time' }),
        outcome: StringEnum(ATTEMPT_OUTCOMES),
        note: Nullable(Type.String()),
        user: Person,
      }),
    ),
    calls: Type.Array(Type.Object({ callId: Type.String(), at: Type.String({ format: 'date-time' }) }), {
      description: 'The telephony calls merged into it',
    }),
  },
  { description: 'A callback with its attempts and merged calls' },
);

export const CallbackQuery = Type.Object(
  {
    view: Type.Optional(
      StringEnum(CALLBACK_VIEWS, {
        description: 'mine: for me; team: for my teams; desk: unassigned missed calls; all (default)',
      }),
    ),
    status: Type.Optional(
      StringEnum([...CALLBACK_STATUSES, 'any'] as const, { description: 'Default: open' }),
    ),
    communityId: Type.Optional(Id),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const TakeMessageBody = Type.Object(
  {
    communityId: Id,
    callerName: Text(50, { description: 'How the caller gave their name: 王先生' }),
    phone: Text(40),
    residentId: Type.Optional(Nullable(Id)),
    roomId: Type.Optional(Nullable(Id)),
    roomText: OptionalText(100),
    content: Text(1000),
    forUserId: Type.Optional(Nullable(Id)),
    forTeamId: Type.Optional(Nullable(Id)),
    calledAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'When the caller rang; default now' }),
    ),
    readBack: Type.Boolean({
      description: 'true: the agent read the message back to the caller, who confirmed it [002]',
    }),
  },
  { additionalProperties: false },
);

export const RecipientsQuery = Type.Object({ communityId: Id }, { additionalProperties: false });

export const Recipients = Type.Object({
  users: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      employeeNo: Type.String(),
      roles: Type.Array(Type.String()),
    }),
  ),
  teams: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String() })),
});

export const MessageDue = Type.Object({
  dueAt: Nullable(Type.String({ format: 'date-time', description: 'null: no time promise applies' })),
  said: Nullable(
    Type.String({ description: 'The due time as said to the caller, in the community’s time zone: 14:30' }),
  ),
  now: Type.String({ format: 'date-time' }),
});

export const AttemptBody = Type.Object(
  {
    version: Version,
    outcome: StringEnum(ATTEMPT_OUTCOMES),
    note: OptionalText(500),
    correctedPhone: Type.Optional(
      Nullable(Type.String({ maxLength: 40, description: 'wrong_number: the right number, tried next' })),
    ),
    closeReason: Type.Optional(
      Nullable(Type.String({ maxLength: 200, description: 'wrong_number: close it with this reason' })),
    ),
  },
  { additionalProperties: false },
);

export const CloseBody = Type.Object(
  { version: Version, reason: Text(200) },
  { additionalProperties: false },
);

export const AssignBody = Type.Object(
  {
    version: Version,
    userId: Type.Optional(Nullable(Id)),
    teamId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
);
