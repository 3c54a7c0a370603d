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
/** The code names the community in ticket numbers and imports, so it is not editable. */
export const UpdateCommunityBody = Type.Object(
  {
    name: Type.Optional(Text(100)),
    address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    timeZone: Type.Optional(Text(64)),
  },
  { additionalProperties: false },
);

/** A staff member as residents and colleagues see them: name and 工号. */
const StaffRef = Type.Object({ id: Type.String(), name: Type.String(), employeeNo: Type.String() });

export const Building = Type.Object(
  {
    id: Type.String(),
    communityId: Type.String(),
    name: Type.String(),
    code: Nullable(Type.String()),
    stewardUserId: Nullable(Type.String({ description: 'The building steward (楼栋管家)' })),
    steward: Nullable(StaffRef),
  },
  { $id: 'Building' },
);
export const CreateBuildingBody = Type.Object(
  { communityId: Text(64), name: Text(30), code: Type.Optional(Nullable(Type.String({ maxLength: 30 }))) },
  { additionalProperties: false },
);
export const UpdateBuildingBody = Type.Object(
  {
    name: Type.Optional(Text(30)),
    code: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
    stewardUserId: Type.Optional(
      Nullable(
        Text(64, {
          description: 'An active user with the steward role who may see the community; null clears it',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);
export const BuildingQuery = Type.Object(
  {
    communityId: Type.Optional(Type.String({ maxLength: 64 })),
    stewardUserId: Type.Optional(
      Type.String({ maxLength: 64, description: 'The buildings of this steward' }),
    ),
    ...PageQuery,
  },
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
export const UpdateUnitBody = Type.Object({ name: Type.Optional(Text(30)) }, { additionalProperties: false });
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
    version: Type.Integer({ description: 'Send it back with an edit; a stale one is a conflict' }),
  },
  { $id: 'Room' },
);
const Floor = Type.Integer({ minimum: -10, maximum: 200 });
const Area = Type.Number({ minimum: 0, maximum: 100000 });
export const CreateRoomBody = Type.Object(
  {
    unitId: Text(64),
    number: Text(20),
    floor: Type.Optional(Nullable(Floor)),
    area: Type.Optional(Nullable(Area)),
    status: Type.Optional(RoomStatus),
  },
  { additionalProperties: false },
);
export const UpdateRoomBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version the caller read' }),
    floor: Type.Optional(Nullable(Floor)),
    area: Type.Optional(Nullable(Area)),
    status: Type.Optional(RoomStatus),
  },
  { additionalProperties: false },
);
export const RoomQuery = Type.Object(
  {
    communityId: Type.Optional(Type.String({ maxLength: 64 })),
    buildingId: Type.Optional(Type.String({ maxLength: 64 })),
    unitId: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Optional(RoomStatus),
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
export const UpdatePublicAreaBody = Type.Object(
  { name: Type.Optional(Text(50)) },
  { additionalProperties: false },
);
export const PublicAreaQuery = Type.Object(
  { communityId: Type.Optional(Type.String({ maxLength: 64 })), ...PageQuery },
  { additionalProperties: false },
);

export const CommunityQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

/** Rooms by status (R1): 已入住 occupied, 空置 vacant, 装修中 renovating. */
const Occupancy = Type.Object({
  total: Type.Integer(),
  occupied: Type.Integer(),
  vacant: Type.Integer(),
  renovating: Type.Integer(),
});
export const CommunityTree = Type.Object({
  id: Type.String(),
  name: Type.String(),
  code: Type.String(),
  occupancy: Occupancy,
  buildings: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      code: Nullable(Type.String()),
      stewardUserId: Nullable(Type.String()),
      steward: Nullable(StaffRef),
      occupancy: Occupancy,
      units: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), occupancy: Occupancy })),
    }),
  ),
});
