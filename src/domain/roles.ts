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
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that work the service desk: they log, read and follow requests. */
export const DESK_ROLES: readonly Role[] = ['agent', 'supervisor', 'manager', 'steward', 'admin'];
/** Roles that may read the registry and requests without changing them. */
export const READ_ROLES: readonly Role[] = [...DESK_ROLES, 'quality'];
/** Field staff who receive dispatched work. */
export const FIELD_ROLES: readonly Role[] = ['technician', 'security', 'cleaning', 'greening'];
/** Everyone who works for the company. */
export const STAFF_ROLES: readonly Role[] = ROLES;
