import { Type } from '@sinclair/typebox';
import { Nullable, PageQuery, StringEnum, Text } from '../../platform/schemas.js';
import { ROOM_STATUSES } from './registry.service.js';

export const Community = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    code: Type.String(),
    address: Nullable(Type.String()),
    timeZone: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Community' },
);
export const CreateCommunityBody = Type.Object(
  {
    name: Text(100),
    code: Text(32, { pattern: '^[A-Za-z0-9_-]+$' }),
    address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    timeZone: Type.Optional(Text(64)),
  },
  { additionalProperties: false },
);

export const Building = Type.Object(
  {
    id: Type.String(),
    communityId: Type.String(),
    name: Type.String(),
    code: Nullable(Type.String()),
    stewardUserId: Nullable(Type.String({ description: 'The building steward (楼栋管家)' })),
  },
  { $id: 'Building' },
);
export const CreateBuildingBody = Type.Object(
  { communityId: Text(64), name: Text(30), code: Type.Optional(Nullable(Type.String({ maxLength: 30 }))) },
  { additionalProperties: false },
);
export const BuildingQuery = Type.Object(
  { communityId: Type.Optional(Type.String({ maxLength: 64 })), ...PageQuery },
  { additionalProperties: false },
);

export const Unit = Type.Object(
  { id: Type.String(), communityId: Type.String(), buildingId: Type.String(), name: Type.String() },
  { $id: 'Unit' },
);
export const CreateUnitBody = Type.Object(
  { buildingId: Text(64), name: Text(30) },
  { additionalProperties: false },
);
export const UnitQuery = Type.Object(
  {
    buildingId: Type.Optional(Type.String({ maxLength: 64 })),
    communityId: Type.Optional(Type.String({ maxLength: 64 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const RoomStatus = StringEnum(ROOM_STATUSES);
export const Room = Type.Object(
  {
    id: Type.String(),
    communityId: Type.String(),
    buildingId: Type.String(),
    unitId: Type.String(),
    number: Type.String(),
    floor: Nullable(Type.Integer()),
    area: Nullable(Type.Number()),
    status: RoomStatus,
    label: Type.String({ description: 'How the desk says it, e.g. 3栋2单元1502' }),
  },
  { $id: 'Room' },
);
export const CreateRoomBody = Type.Object(
  {
    unitId: Text(64),
    number: Text(20),
    floor: Type.Optional(Nullable(Type.Integer({ minimum: -10, maximum: 200 }))),
    area: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 100000 }))),
    status: Type.Optional(RoomStatus),
  },
  { additionalProperties: false },
);
export const RoomQuery = Type.Object(
  {
    communityId: Type.Optional(Type.String({ maxLength: 64 })),
    buildingId: Type.Optional(Type.String({ maxLength: 64 })),
    unitId: Type.Optional(Type.String({ maxLength: 64 })),
    q: Type.Optional(Type.String({ maxLength: 50 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const PublicArea = Type.Object(
  { id: Type.String(), communityId: Type.String(), name: Type.String() },
  { $id: 'PublicArea' },
);
export const CreatePublicAreaBody = Type.Object(
  { communityId: Text(64), name: Text(50) },
  { additionalProperties: false },
);
export const PublicAreaQuery = BuildingQuery;

export const CommunityQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
