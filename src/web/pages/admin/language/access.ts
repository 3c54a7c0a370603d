import { READ_ROLES, type Role } from '../../../../domain/roles';

/** Who keeps the phrase library (the server's writers of /language/phrases). */
const PHRASE_KEEPERS: readonly Role[] = ['supervisor', 'manager', 'admin'];
/** Who reads the overrides of the check (the server's readers of /language/overrides). */
const OVERRIDE_READERS: readonly Role[] = ['supervisor', 'manager', 'quality', 'admin'];

const any = (roles: readonly string[], allowed: readonly Role[]) =>
  roles.some((role) => (allowed as readonly string[]).includes(role));

export const canSeeLanguage = (roles: readonly string[]) => any(roles, READ_ROLES);
export const canEditLanguage = (roles: readonly string[]) => any(roles, PHRASE_KEEPERS);
export const canSeeOverrides = (roles: readonly string[]) => any(roles, OVERRIDE_READERS);
