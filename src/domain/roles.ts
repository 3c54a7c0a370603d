/** The roles the system knows (PRODUCT.md, "Users, and the roles the system knows"). */
export const ROLES = [
  'agent',
  'supervisor',
  'manager',
  'quality',
  'steward',
  'technician',
  'security',
  'cleaning',
  'greening',
  'cashier',
  'admin',
  // §4: the PBX's API token (POST /cti/events). Never a person's role: it grants nothing else.
  'telephony',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles held only by API tokens of integrations, never by a member of staff. */
export const INTEGRATION_ROLES: readonly Role[] = ['telephony'];
/** The roles a member of staff can be given (the staff admin offers these and no other). */
export const USER_ROLES: readonly Role[] = ROLES.filter((r) => !INTEGRATION_ROLES.includes(r));

/** Roles that work the service desk: they log, read and follow requests. */
export const DESK_ROLES: readonly Role[] = ['agent', 'supervisor', 'manager', 'steward', 'admin'];
/** Roles that may read the registry and requests without changing them. */
export const READ_ROLES: readonly Role[] = [...DESK_ROLES, 'quality'];
/** Field staff who receive dispatched work. */
export const FIELD_ROLES: readonly Role[] = ['technician', 'security', 'cleaning', 'greening'];
/** Everyone who works for the company (not the integrations' tokens). */
export const STAFF_ROLES: readonly Role[] = USER_ROLES;
