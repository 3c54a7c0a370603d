import { Type } from '@sinclair/typebox';
import { Nullable, PageQuery, StringEnum, Text } from '../../platform/schemas.js';
import { RESIDENT_KINDS, SALUTATIONS } from './residents.service.js';

export const Resident = Type.Object(
  {
    id: Type.String(),
    communityId: Type.String(),
    roomId: Type.String(),
    roomLabel: Type.String(),
    name: Type.String(),
    phone: Type.String(),
    salutation: Nullable(StringEnum(SALUTATIONS)),
    kind: StringEnum(RESIDENT_KINDS),
    notes: Nullable(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Resident' },
);

export const CreateResidentBody = Type.Object(
  {
    communityId: Text(64),
    roomId: Text(64),
    name: Text(50),
    phone: Text(30),
    salutation: Type.Optional(Nullable(StringEnum(SALUTATIONS))),
    kind: StringEnum(RESIDENT_KINDS),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);

export const ResidentQuery = Type.Object(
  {
    communityId: Type.Optional(Type.String({ maxLength: 64 })),
    roomId: Type.Optional(Type.String({ maxLength: 64 })),
    q: Type.Optional(
      Type.String({ maxLength: 50, description: 'name, room number, phone or its last 4 digits (尾号)' }),
    ),
    ...PageQuery,
  },
  { additionalProperties: false },
);
