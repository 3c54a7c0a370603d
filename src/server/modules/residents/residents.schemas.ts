import { Type } from '@sinclair/typebox';
import { CARE_MARKS } from '../../../domain/names.js';
import { Nullable, PageQuery, StringEnum, Text } from '../../platform/schemas.js';
import { MAX_PHONES, RESIDENT_KINDS, SALUTATIONS } from './residents.service.js';

const Kind = StringEnum(RESIDENT_KINDS);
const Salutation = StringEnum(SALUTATIONS);
const Care = Type.Array(StringEnum(CARE_MARKS), {
  maxItems: CARE_MARKS.length,
  description: 'Care marks (R5): raise the priority of requests',
});
const DateOnly = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const PhoneInput = Type.String({ minLength: 1, maxLength: 30 });

export const Resident = Type.Object(
  {
    id: Type.String(),
    communityId: Type.String(),
    roomId: Type.String({ description: 'The primary room' }),
    roomLabel: Type.String(),
    name: Type.String(),
    phone: Type.String({
      description: 'Primary phone, masked (138****5678); reveal with POST /residents/{id}/reveal-phone',
    }),
    phones: Type.Array(Type.String(), { description: 'All phones, masked' }),
    salutation: Nullable(Salutation),
    kind: Kind,
    notes: Nullable(Type.String()),
    care: Type.Array(StringEnum(CARE_MARKS)),
    moveInDate: Nullable(Type.String()),
    moveOutDate: Nullable(Type.String()),
    archived: Type.Boolean(),
    archivedAt: Nullable(Type.String({ format: 'date-time' })),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    version: Type.Integer({ description: 'Send it back when editing: a stale version is a 409 conflict' }),
  },
  { $id: 'Resident' },
);

export const CreateResidentBody = Type.Object(
  {
    communityId: Text(64),
    roomId: Text(64),
    name: Text(50),
    phone: Type.Optional(PhoneInput),
    phones: Type.Optional(Type.Array(PhoneInput, { minItems: 1, maxItems: MAX_PHONES })),
    salutation: Type.Optional(Nullable(Salutation)),
    kind: Kind,
    notes: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    care: Type.Optional(Care),
    moveInDate: Type.Optional(Nullable(DateOnly)),
  },
  { additionalProperties: false },
);

export const UpdateResidentBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Text(50)),
    phones: Type.Optional(Type.Array(PhoneInput, { minItems: 1, maxItems: MAX_PHONES })),
    salutation: Type.Optional(Nullable(Salutation)),
    kind: Type.Optional(Kind),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    care: Type.Optional(Care),
    moveInDate: Type.Optional(Nullable(DateOnly)),
    moveOutDate: Type.Optional(Nullable(DateOnly)),
  },
  { additionalProperties: false },
);

export const ArchiveBody = Type.Object(
  { version: Type.Integer({ minimum: 1 }), archived: Type.Boolean() },
  { additionalProperties: false },
);

export const AddRoomBody = Type.Object(
  { roomId: Text(64), kind: Kind, moveInDate: Type.Optional(Nullable(DateOnly)) },
  { additionalProperties: false },
);
export const MoveOutBody = Type.Object({ date: DateOnly }, { additionalProperties: false });
export const RoomParams = Type.Object(
  { id: Type.String({ maxLength: 64 }), roomId: Type.String({ maxLength: 64 }) },
  { additionalProperties: false },
);

export const Membership = Type.Object({
  residentId: Type.String(),
  roomId: Type.String(),
  roomLabel: Type.String(),
  communityId: Type.String(),
  kind: Kind,
  moveInDate: Nullable(Type.String()),
  moveOutDate: Nullable(Type.String()),
});

const Member = Type.Object({
  residentId: Type.String(),
  name: Type.String(),
  salutation: Nullable(Salutation),
  kind: Kind,
});

export const Household = Type.Object({
  room: Type.Ref('Room'),
  members: Type.Array(Type.Object({ ...Member.properties, moveInDate: Nullable(Type.String()) })),
});

const CardTicket = Type.Object({
  id: Type.String(),
  number: Type.String(),
  type: Type.String(),
  status: Type.String(),
  priority: Type.String(),
  content: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});

export const ResidentCard = Type.Object({
  resident: Type.Ref('Resident'),
  greeting: Type.String({ description: 'Surname and salutation to greet by, e.g. 王先生' }),
  rooms: Type.Array(Type.Object({ ...Membership.properties, members: Type.Array(Member) })),
  openTickets: Type.Array(CardTicket),
  recentComplaints: Type.Array(CardTicket),
  satisfaction: Nullable(Type.Object({ average: Type.Number(), count: Type.Integer() })),
});

export const ResidentQuery = Type.Object(
  {
    communityId: Type.Optional(Type.String({ maxLength: 64 })),
    roomId: Type.Optional(Type.String({ maxLength: 64 })),
    q: Type.Optional(
      Type.String({
        maxLength: 50,
        description:
          'name, pinyin initials, room code (3-2-1502), phone in any format, or its last 4 digits (尾号)',
      }),
    ),
    includeArchived: Type.Optional(Type.Boolean()),
    ...PageQuery,
  },
  { additionalProperties: false },
);
