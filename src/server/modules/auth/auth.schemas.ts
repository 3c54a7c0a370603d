import { Type } from '@sinclair/typebox';
import { ROLES, USER_ROLES } from '../../../domain/roles.js';
import { LOCALES } from '../../platform/i18n/messages.js';
import { Nullable, StringEnum, Text } from '../../platform/schemas.js';

/** A role a member of staff can hold (not an integration's, e.g. 'telephony'). */
export const RoleSchema = StringEnum(USER_ROLES);
/** Any role an API token can hold: the staff roles and the integrations' (§4 'telephony'). */
export const TokenRoleSchema = StringEnum(ROLES);
export const LocaleSchema = StringEnum(LOCALES);

export const LoginBody = Type.Object(
  { login: Text(64), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export const Me = Type.Object({
  id: Type.String(),
  username: Type.String(),
  employeeNo: Type.String(),
  name: Type.String(),
  phone: Nullable(Type.String()),
  roles: Type.Array(RoleSchema),
  communityIds: Type.Array(Type.String()),
  allCommunities: Type.Boolean(),
  locale: Nullable(LocaleSchema),
  mustChangePassword: Type.Boolean(),
  csrfToken: Type.String(),
});

export const LoginReply = Type.Object({ user: Me, csrfToken: Type.String() });

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
    newPassword: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

export const UpdateMeBody = Type.Object({ locale: LocaleSchema }, { additionalProperties: false });
