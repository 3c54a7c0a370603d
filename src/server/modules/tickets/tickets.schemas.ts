import { type TSchema, Type } from '@sinclair/typebox';
import { EMERGENCY_KINDS, LIFT_LOG_ENTRIES, LIFT_STEPS } from '../../../domain/emergency.js';
import { TICKET_ACTIONS } from '../../../domain/ticket-lifecycle.js';
import {
  COMPLAINT_GRADES,
  REPAIR_SCOPES,
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  TICKET_TYPES,
} from '../../../domain/tickets.js';
import { StringEnum as literals, Nullable, PageQuery, Text } from '../../platform/schemas.js';
import { LanguageOverride } from '../language/language.schemas.js';
import { TICKET_VIEWS } from './tickets.service.js';

export const TicketType = literals(TICKET_TYPES);
export const TicketChannel = literals(TICKET_CHANNELS);
export const TicketPriority = literals(TICKET_PRIORITIES);
export const TicketStatus = literals(TICKET_STATUSES);

const Appointment = Type.Object(
  {
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
  },
  { description: 'A home visit’s appointment window (上门须预约)', additionalProperties: false },
);

const Actor = Nullable(Type.Object({ id: Type.String(), name: Type.String(), employeeNo: Type.String() }));

const ticketFields = {
  id: Type.String(),
  number: Type.String({ description: 'Human reference, e.g. GD20261130-0001' }),
  communityId: Type.String(),
  communityName: Type.String(),
  type: TicketType,
  channel: TicketChannel,
  priority: TicketPriority,
  status: TicketStatus,
  roomId: Nullable(Type.String()),
  roomLabel: Nullable(Type.String()),
  publicAreaId: Nullable(Type.String()),
  publicAreaName: Nullable(Type.String()),
  residentId: Nullable(Type.String()),
  residentName: Nullable(Type.String()),
  callerName: Nullable(Type.String()),
  callerPhone: Nullable(Type.String()),
  categoryId: Nullable(Type.String()),
  content: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  version: Type.Integer({
    description: 'Send it back with every action: a stale version is a 409 that says who changed what',
  }),
  createdBy: Actor,
  teamId: Nullable(Type.String()),
  teamName: Nullable(Type.String()),
  assignee: Actor,
  pending: Nullable(
    Type.Object({
      reason: Type.String(),
      nextStep: Type.String(),
      eta: Type.String({ format: 'date-time' }),
    }),
  ),
  escalationLevel: Type.Integer({ minimum: 0, maximum: 4 }),
  reopenCount: Type.Integer({ minimum: 0 }),
  paid: Type.Boolean(),
  chargeAmount: Nullable(Type.Number()),
  chargeSettledAt: Nullable(Type.String({ format: 'date-time' })),
  completion: Nullable(Type.Record(Type.String(), Type.Unknown())),
  complaintGrade: Nullable(literals(COMPLAINT_GRADES)),
  repairScope: Nullable(literals(REPAIR_SCOPES, { description: 'Repairs: indoor (户内) or public (公区)' })),
  appointment: Nullable(Appointment),
  externalRef: Nullable(Type.String({ description: 'The government hotline platform’s own order number' })),
  parentId: Nullable(
    Type.String({ description: 'One incident, many reporters (R11): the request this one follows' }),
  ),
  handedOverAt: Nullable(
    Type.String({
      format: 'date-time',
      description: '首问负责制 (R15): when the first owner handed it to the responsible team',
    }),
  ),
  confirmation: Nullable(Type.Record(Type.String(), Type.Unknown())),
};

export const Ticket = Type.Object(ticketFields, { $id: 'Ticket' });

export const TicketEvent = Type.Object({
  id: Type.String(),
  type: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actor: Actor,
  note: Nullable(Type.String()),
});

/** R16: what an emergency records when it is received; a lift entrapment needs lift, floor and people. */
export const EmergencyIntake = Type.Object(
  {
    kind: literals(EMERGENCY_KINDS, {
      description: 'lift_entrapment: a person trapped in a lift (电梯困人)',
    }),
    lift: Type.Optional(Type.String({ maxLength: 100, description: 'Which lift, e.g. 3栋2单元1号梯' })),
    floor: Type.Optional(Type.String({ maxLength: 20, description: 'Where the car stopped' })),
    people: Type.Optional(
      Type.Integer({ maximum: 100, description: 'How many people are trapped, at least 1' }),
    ),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  },
  {
    additionalProperties: false,
    description: 'Emergencies only: what the playbook starts from (R16); the request becomes urgent',
  },
);

const StaffRef = Nullable(
  Type.Object({ id: Type.String(), name: Type.String(), employeeNo: Nullable(Type.String()) }),
);

/** R16: the playbook of an emergency as it stands: its log, its checklist and what to do next. */
const EmergencyDetail = Type.Object(
  {
    kind: literals(EMERGENCY_KINDS),
    lift: Type.String(),
    floor: Type.String(),
    people: Type.Integer(),
    notes: Nullable(Type.String()),
    reportedAt: Type.String({ format: 'date-time', description: 'When the desk received it' }),
    log: Type.Array(
      Type.Object({
        entry: literals(LIFT_LOG_ENTRIES),
        at: Type.String({ format: 'date-time', description: 'When it happened' }),
        loggedAt: Type.String({ format: 'date-time' }),
        by: StaffRef,
        note: Nullable(Type.String()),
        contractor: Nullable(Type.Object({ name: Type.String(), phone: Nullable(Type.String()) })),
        injuries: Nullable(Type.Boolean()),
      }),
    ),
    checklist: Type.Array(
      Type.Object({
        step: literals(LIFT_STEPS),
        done: Type.Boolean(),
        at: Nullable(Type.String({ format: 'date-time' })),
        count: Type.Integer({ minimum: 0 }),
      }),
    ),
    nextStep: Nullable(
      literals(LIFT_STEPS, { description: 'The step to prompt for now; null when all is done' }),
    ),
    reassuranceIntervalMinutes: Type.Integer(),
    reassuranceDueAt: Nullable(Type.String({ format: 'date-time' })),
    reassuranceOverdue: Type.Boolean({ description: 'The trapped people have not been spoken to in time' }),
    releasedAt: Nullable(Type.String({ format: 'date-time' })),
    injuries: Nullable(Type.Boolean()),
    report: Nullable(
      Type.Object({
        cause: Type.String(),
        durationMinutes: Type.Integer(),
        actions: Type.String(),
        injuries: Type.String(),
        followUp: Type.String(),
        at: Type.String({ format: 'date-time' }),
        by: StaffRef,
      }),
    ),
  },
  { description: 'The emergency playbook (R16); null for requests without one' },
);

export const TicketDetail = Type.Object(
  {
    ...ticketFields,
    events: Type.Array(TicketEvent),
    parent: Nullable(
      Type.Object(
        { id: Type.String(), number: Type.String(), status: TicketStatus },
        {
          description: 'The incident this request is linked to (R11)',
        },
      ),
    ),
    children: Type.Array(
      Type.Object({
        id: Type.String(),
        number: Type.String(),
        status: TicketStatus,
        reporterName: Nullable(Type.String()),
      }),
      { description: 'Requests of other reporters linked to this incident (R11)' },
    ),
    firstOwner: Actor,
    emergency: Nullable(EmergencyDetail),
    allowedActions: Type.Array(literals(TICKET_ACTIONS), {
      description: 'What the caller may do next: the buttons to show',
    }),
  },
  { $id: 'TicketDetail' },
);

const Version = Type.Integer({ minimum: 1 });
const Reason = Text(500);
const body = <T extends Record<string, TSchema>>(fields: T) =>
  Type.Object({ version: Version, ...fields }, { additionalProperties: false });

export const GradeBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    grade: literals(COMPLAINT_GRADES),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const PAYMENT_METHODS = ['cash', 'wechat', 'alipay', 'card', 'transfer'] as const;

export const SettleBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    amount: Type.Number({ minimum: 0.01, maximum: 1_000_000 }),
    method: literals(PAYMENT_METHODS),
    receiptNo: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const NoteBody = Type.Object(
  {
    text: Text(2000),
    visibility: literals(['internal', 'resident'] as const, {
      description: 'internal: staff only; resident: a reply the resident sees',
    }),
    languageOverride: LanguageOverride,
  },
  { additionalProperties: false },
);

/** The body of each action endpoint, POST /tickets/{id}/<action>. */
export const ActionBodies = {
  dispatch: body({ teamId: Text(64), assigneeId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))) }),
  grab: Type.Object({ version: Type.Optional(Version) }, { additionalProperties: false }),
  accept: body({}),
  decline: body({ reason: Reason }),
  arrive: body({}),
  start: body({}),
  complete: body({
    report: Type.Object(
      {
        cause: Text(1000),
        work: Text(2000),
        parts: Type.Optional(Type.String({ maxLength: 1000 })),
        charge: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
        advice: Type.Optional(Type.String({ maxLength: 1000 })),
        items: Type.Optional(
          Type.Array(
            Type.Object(
              {
                priceId: Text(64),
                quantity: Type.Number({ exclusiveMinimum: 0, maximum: 10_000 }),
              },
              { additionalProperties: false },
            ),
            {
              maxItems: 50,
              description:
                'Paid work priced from the category’s published list (R10): the charge is their total',
            },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    confirmation: Type.Optional(
      Type.Union(
        [
          Type.Object(
            {
              method: Type.Literal('signature'),
              attachmentId: Text(64, { description: 'A signature uploaded to this request' }),
            },
            { additionalProperties: false },
          ),
          Type.Object(
            {
              method: Type.Literal('verbal'),
              note: Text(500, { description: 'Who confirmed, by phone, and what they said' }),
            },
            { additionalProperties: false },
          ),
        ],
        { description: 'The resident’s confirmation of the finished work' },
      ),
    ),
    languageOverride: LanguageOverride,
  }),
  pend: body({
    languageOverride: LanguageOverride,
    reason: Reason,
    nextStep: Text(500),
    eta: Type.String({ format: 'date-time' }),
    pauseReason: Type.Optional(
      literals(['resident_unavailable', 'waiting_parts', 'waiting_contractor'] as const, {
        description:
          'Waiting on the resident, for parts or for a contractor: only these holds pause the SLA clocks',
      }),
    ),
  }),
  resume: body({}),
  reassign: body({
    teamId: Text(64),
    assigneeId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  }),
  escalate: body({ reason: Reason }),
  answer: body({ reply: Text(2000), languageOverride: LanguageOverride }),
  close: body({ note: Type.Optional(Type.String({ maxLength: 500 })) }),
  reopen: body({ reason: Reason }),
  cancel: body({ reason: Reason, languageOverride: LanguageOverride }),
} as const;

export const CreateTicketBody = Type.Object(
  {
    communityId: Text(64),
    roomId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    publicAreaId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    residentId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    callerName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
    callerPhone: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
    type: TicketType,
    channel: TicketChannel,
    priority: Type.Optional(TicketPriority),
    categoryId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    content: Text(2000),
    paid: Type.Optional(
      Type.Boolean({ description: 'Paid work (有偿): it closes only once its charge is settled (R10)' }),
    ),
    emergency: Type.Optional(Nullable(EmergencyIntake)),
    repairScope: Type.Optional(Nullable(literals(REPAIR_SCOPES))),
    appointment: Type.Optional(Nullable(Appointment)),
    externalRef: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 64,
          description: 'Required for channel hotline: the 12345 platform’s order number',
        }),
      ),
    ),
    parentId: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 64,
          description: 'Link to an open request of the same incident (R11): see GET /tickets/similar',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);

export const SimilarQuery = Type.Object(
  {
    communityId: Text(64),
    categoryId: Text(64),
    roomId: Type.Optional(Type.String({ maxLength: 64 })),
    publicAreaId: Type.Optional(Type.String({ maxLength: 64 })),
    excludeId: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const LinkBody = Type.Object(
  { version: Type.Integer({ minimum: 1 }), parentId: Text(64) },
  { additionalProperties: false },
);
export const UnlinkBody = Type.Object(
  { version: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);

export const CreateTicketHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 100 })),
});

export const TicketQuery = Type.Object(
  {
    view: Type.Optional(
      literals(TICKET_VIEWS, {
        description:
          'mine: assigned to me; team: my teams’ jobs; unassigned: waiting for dispatch; pending: on hold',
      }),
    ),
    communityId: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Optional(TicketStatus),
    type: Type.Optional(TicketType),
    ...PageQuery,
  },
  { additionalProperties: false },
);
