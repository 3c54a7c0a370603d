import { Type } from '@sinclair/typebox';
import {
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  TICKET_TYPES,
} from '../../../domain/tickets.js';
import { StringEnum as literals, Nullable, PageQuery, Text } from '../../platform/schemas.js';

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
  version: Type.Integer(),
  createdBy: Actor,
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
  { ...ticketFields, events: Type.Array(TicketEvent) },
  { $id: 'TicketDetail' },
);

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
  },
  { additionalProperties: false },
);

export const CreateTicketHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 100 })),
});

export const TicketQuery = Type.Object(
  {
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
