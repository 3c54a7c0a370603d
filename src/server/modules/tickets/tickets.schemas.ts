import { type TSchema, Type } from '@sinclair/typebox';
import { TICKET_ACTIONS } from '../../../domain/ticket-lifecycle.js';
import {
  COMPLAINT_GRADES,
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  TICKET_TYPES,
} from '../../../domain/tickets.js';
import { StringEnum as literals, Nullable, PageQuery, Text } from '../../platform/schemas.js';
import { TICKET_VIEWS } from './tickets.service.js';

export const TicketType = literals(TICKET_TYPES);
export const TicketChannel = literals(TICKET_CHANNELS);
export const TicketPriority = literals(TICKET_PRIORITIES);
export const TicketStatus = literals(TICKET_STATUSES);

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
};

export const Ticket = Type.Object(ticketFields, { $id: 'Ticket' });

export const TicketEvent = Type.Object({
  id: Type.String(),
  type: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actor: Actor,
  note: Nullable(Type.String()),
});

export const TicketDetail = Type.Object(
  {
    ...ticketFields,
    events: Type.Array(TicketEvent),
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
      },
      { additionalProperties: false },
    ),
  }),
  pend: body({ reason: Reason, nextStep: Text(500), eta: Type.String({ format: 'date-time' }) }),
  resume: body({}),
  reassign: body({
    teamId: Text(64),
    assigneeId: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  }),
  escalate: body({ reason: Reason }),
  answer: body({ reply: Text(2000) }),
  close: body({ note: Type.Optional(Type.String({ maxLength: 500 })) }),
  reopen: body({ reason: Reason }),
  cancel: body({ reason: Reason }),
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
  },
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

export const Category = Type.Object({
  id: Type.String(),
  parentId: Nullable(Type.String()),
  code: Type.String(),
  name: Type.String(),
});
