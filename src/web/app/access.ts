import { DESK_ROLES, READ_ROLES, type Role } from '../../domain/roles';
import type { Me } from '../api/types';

/**
 * What the signed-in user may use, derived once from their roles with the same role lists the
 * server enforces (src/domain/roles.ts), so the console never offers a button that fails.
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

const REGISTRY_KEEPERS: readonly Role[] = ['admin', 'manager'];

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
  const staff = me.roles.length > 0;
  return {
    tickets: has(READ_ROLES),
    createTickets: has(DESK_ROLES),
    registry: staff,
    createCommunities: admin,
    editRegistry: has(REGISTRY_KEEPERS),
    residents: staff,
    editResidents: has(DESK_ROLES),
    staff: admin,
    company: admin,
  };
}
