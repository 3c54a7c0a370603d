import { Type } from '@sinclair/typebox';
import { Nullable, PageQuery, StringEnum } from '../../platform/schemas.js';
import { ResidentCard } from '../residents/residents.schemas.js';
import { Extension } from '../staff/staff.schemas.js';

const Field = (description: string, maxLength = 250) =>
  Type.Optional(Type.String({ maxLength, description }));

/**
 * One PBX event, with Zammad's generic CTI field names (docs/telephony.md). JSON, or the same
 * fields as a form (application/x-www-form-urlencoded or multipart/form-data). Names are checked
 * by the service, so a PBX's extra fields are accepted and ignored.
 */
export const CtiEventBody = Type.Object(
  {
    event: Field('newCall | answer | hangup (also: ringing, answered)', 40),
    callId: Field('The PBX call id: the same on every event of one call'),
    from: Field('The calling number ("anonymous" when withheld)', 64),
    to: Field('The called number', 64),
    direction: Field('in | out (default in)', 10),
    user: Type.Optional(
      Type.Union(
        [Type.String({ maxLength: 100 }), Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })],
        {
          description: "Real names of the staff whose phones ring (in) or who call (out); Zammad's user[]",
        },
      ),
    ),
    queue: Field('The PBX queue (recorded)', 100),
    cause: Field('hangup: normalClearing | cancel | busy | noAnswer | congestion | notFound | forwarded', 40),
    answeringNumber: Field('Who answered: an extension, a login or a 工号', 100),
    timestamp: Field('When it happened (ISO-8601 or Unix seconds); the arrival time when absent', 40),
  },
  { additionalProperties: true },
);

export const CtiQuery = Type.Object(
  {
    token: Type.Optional(
      Type.String({
        maxLength: 200,
        description:
          'The API token, for PBXes that can set a URL but no header (as Zammad). Prefer Authorization: Bearer',
      }),
    ),
  },
  { additionalProperties: true },
);

export const CtiAccepted = Type.Object({
  id: Type.String({ description: 'Our call id' }),
  callId: Type.String({ description: "The PBX's call id" }),
  status: StringEnum(['ringing', 'answered', 'ended'] as const),
  outcome: Nullable(Type.String()),
  duplicate: Type.Boolean({ description: 'The PBX had sent this event already: nothing changed' }),
});

const Outcome = Type.String({
  description: 'answered | missed | abandoned | forwarded | busy | no_answer | failed | cancelled',
});

export const Call = Type.Object({
  id: Type.String(),
  pbxCallId: Type.String(),
  direction: StringEnum(['in', 'out'] as const),
  status: StringEnum(['ringing', 'answered', 'ended'] as const),
  outcome: Nullable(Outcome),
  cause: Nullable(Type.String()),
  number: Nullable(Type.String({ description: 'The other party, masked (R4)' })),
  line: Nullable(Type.String({ description: 'Our side: the number called (in) or calling (out)' })),
  queue: Nullable(Type.String()),
  extension: Nullable(Type.String()),
  agent: Nullable(Type.Object({ id: Type.String(), name: Type.String(), employeeNo: Type.String() })),
  resident: Nullable(Type.Object({ id: Type.String(), name: Type.String(), greeting: Type.String() })),
  matchCount: Type.Integer({ description: 'Residents with this number (more than 1: ask who is calling)' }),
  communityId: Nullable(Type.String()),
  communityName: Nullable(Type.String()),
  ringingAt: Type.String({ format: 'date-time' }),
  answeredAt: Nullable(Type.String({ format: 'date-time' })),
  endedAt: Nullable(Type.String({ format: 'date-time' })),
  ringSeconds: Nullable(Type.Integer({ description: 'Ring to answer' })),
  talkSeconds: Nullable(Type.Integer()),
  withinThreshold: Nullable(Type.Boolean({ description: 'Answered within CTI_ANSWER_THRESHOLD_SECONDS' })),
  tickets: Type.Array(
    Type.Object({ id: Type.String(), number: Type.String(), type: Type.String(), status: Type.String() }),
  ),
});

export const CallPop = Type.Object({
  call: Call,
  card: Nullable(ResidentCard),
  known: Type.Boolean({ description: 'The caller is a resident this agent may see' }),
  script: Type.String({ description: 'The greeting (R28) with the center name and my 工号' }),
  holdPromptSeconds: Type.Integer({ description: 'Return to a caller on hold this often (R29)' }),
});

const DateTime = Type.String({ format: 'date-time', maxLength: 40 });

export const CallQuery = Type.Object(
  {
    mine: Type.Optional(Type.Boolean({ description: 'Calls I answered or made' })),
    live: Type.Optional(Type.Boolean({ description: 'Calls ringing or in progress now' })),
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
    agentId: Type.Optional(Type.String({ maxLength: 64 })),
    outcome: Type.Optional(Type.String({ maxLength: 20 })),
    direction: Type.Optional(StringEnum(['in', 'out'] as const)),
    residentId: Type.Optional(Type.String({ maxLength: 64 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const StatsQuery = Type.Object(
  {
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
    communityId: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

const Tally = {
  offered: Type.Integer(),
  answered: Type.Integer(),
  answeredWithin: Type.Integer(),
  rate: Nullable(Type.Number()),
  averageRingSeconds: Nullable(Type.Number()),
};

export const CallStats = Type.Object({
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  timeZone: Type.String(),
  thresholdSeconds: Type.Integer(),
  overall: Type.Object(Tally),
  byAgent: Type.Array(
    Type.Object({ agentUserId: Type.String(), name: Type.String(), employeeNo: Type.String(), ...Tally }),
  ),
  byHour: Type.Array(Type.Object({ hour: Type.String({ description: 'YYYY-MM-DD HH, local' }), ...Tally })),
});

export const LinkTicketBody = Type.Object(
  { ticketId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

export const OriginateBody = Type.Object(
  {
    number: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
    callId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'Call back the other party' }),
    ),
  },
  { additionalProperties: false },
);

export const OriginateReply = Type.Object({ extension: Type.String(), number: Type.String() });

export const MyExtension = Type.Object({
  extension: Nullable(Type.String()),
  originate: Type.Boolean({ description: 'Click to call is configured' }),
});

export const MyExtensionBody = Type.Object(
  { extension: Nullable(Extension) },
  { additionalProperties: false },
);
