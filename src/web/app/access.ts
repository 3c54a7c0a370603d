import type { Me, Role } from '../api/types';

/**
 * What the signed-in user may use, derived once from their roles. The server enforces the same
 * rules; this only decides what the console offers, so nobody is shown a button that fails.
 */
export interface Access {
  tickets: boolean;
  createTickets: boolean;
  registry: boolean;
  /** Create communities (company setup). */
  createCommunities: boolean;
  /** Create buildings, units, rooms and public areas inside a community. */
  editRegistry: boolean;
  residents: boolean;
  editResidents: boolean;
  staff: boolean;
  company: boolean;
}

const DESK_ROLES: readonly Role[] = ['agent', 'supervisor', 'manager', 'steward', 'admin'];
const REGISTRY_EDITORS: readonly Role[] = ['manager', 'admin'];
const OFFICE_ROLES: readonly Role[] = [...DESK_ROLES, 'quality', 'cashier'];

const NOTHING: Access = {
  tickets: false,
  createTickets: false,
  registry: false,
  createCommunities: false,
  editRegistry: false,
  residents: false,
  editResidents: false,
  staff: false,
  company: false,
};

export function deriveAccess(me: Me | null | undefined): Access {
  if (!me) return NOTHING;
  const has = (roles: readonly Role[]) => me.roles.some((role) => roles.includes(role));
  const admin = me.roles.includes('admin');
  return {
    // Field roles (technician, security, cleaning, greening) see the jobs of their communities too.
    tickets: me.roles.length > 0,
    createTickets: has(DESK_ROLES),
    registry: has(OFFICE_ROLES),
    createCommunities: admin,
    editRegistry: has(REGISTRY_EDITORS),
    residents: has(OFFICE_ROLES),
    editResidents: has(DESK_ROLES),
    staff: admin,
    company: admin,
  };
}
