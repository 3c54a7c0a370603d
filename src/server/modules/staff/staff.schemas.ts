import { Type } from '@sinclair/typebox';
import { Nullable, PageQuery, Text } from '../../platform/schemas.js';
import { RoleSchema } from '../auth/auth.schemas.js';

export const Staff = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    employeeNo: Type.String(),
    name: Type.String(),
    phone: Nullable(Type.String()),
    roles: Type.Array(RoleSchema),
    communityIds: Type.Array(Type.String()),
    allCommunities: Type.Boolean(),
    disabled: Type.Boolean(),
    mustChangePassword: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    lastLoginAt: Nullable(Type.String({ format: 'date-time' })),
    extension: Nullable(Type.String({ description: 'The phone extension the PBX names them by (§4)' })),
  },
  { $id: 'Staff' },
);

// a username starts with a letter, so it can never be mistaken for someone's 工号 at login
const Username = Text(32, { pattern: '^[A-Za-z][A-Za-z0-9_.-]*$' });
const EmployeeNo = Text(20, { pattern: '^[A-Za-z0-9-]+$' });
/** §4: a phone extension as PBXes name it ("8001", "sip-8001", "jdoe@pbx"); null takes it away. */
export const Extension = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.@+-]+$' });

export const CreateStaffBody = Type.Object(
  {
    username: Username,
    employeeNo: EmployeeNo,
    name: Text(50),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 11 }),
    communityIds: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 500 }),
    allCommunities: Type.Optional(Type.Boolean()),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

export const UpdateStaffBody = Type.Object(
  {
    name: Type.Optional(Text(50)),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
    roles: Type.Optional(Type.Array(RoleSchema, { minItems: 1, maxItems: 11 })),
    communityIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 500 })),
    allCommunities: Type.Optional(Type.Boolean()),
    disabled: Type.Optional(Type.Boolean()),
    extension: Type.Optional(Nullable(Extension)),
  },
  { additionalProperties: false },
);

export const ResetPasswordBody = Type.Object(
  { newPassword: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export const StaffQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 50 })), ...PageQuery },
  { additionalProperties: false },
);

export const DirectoryQuery = Type.Object(
  { communityId: Type.String({ minLength: 1, maxLength: 64 }), role: Type.Optional(RoleSchema) },
  { additionalProperties: false },
);

export const Directory = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      employeeNo: Type.String(),
      roles: Type.Array(RoleSchema),
    }),
  ),
});
