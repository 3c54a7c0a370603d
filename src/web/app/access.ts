import { DESK_ROLES, FIELD_ROLES, READ_ROLES, type Role } from '../../domain/roles';
import type { Me } from '../api/types';

/**
 * What the signed-in user may use, derived once from their roles with the same role lists the
 * server enforces (src/domain/roles.ts), so the console never offers a button that fails.
 */
export interface Access {
  tickets: boolean;
  createTickets: boolean;
  /** The field staff's phone page of their own jobs and their teams' grab pool (/m/jobs). */
  jobs: boolean;
  registry: boolean;
  /** Create communities (company setup). */
  createCommunities: boolean;
  /** Create buildings, units, rooms and public areas inside a community. */
  editRegistry: boolean;
  residents: boolean;
  editResidents: boolean;
  /** See a resident's full phone numbers (each reveal is audited, R4). */
  revealPhones: boolean;
  /** Import residents from a sheet into a community's registry (R2). */
  importResidents: boolean;
  /** Export a community's residents with full phones (audited, R4). */
  exportResidents: boolean;
  staff: boolean;
  /** Keep staff teams and name building stewards (picked from the staff directory of a community). */
  teams: boolean;
  /** Keep the ticket categories: dispatch mode and team per category, and the price list. */
  categories: boolean;
  /** Send a failed message to a resident again (R14). */
  retryNotifications: boolean;
  company: boolean;
  /** The SLA board, the overdue queue and the on-time rate (the server's watchers of the clocks). */
  slaBoard: boolean;
  /** The countdowns on the queue and the overdue tab (GET /sla/board, /sla/overdue). */
  slaClocks: boolean;
  /** See the SLA policies and business calendars (the server's readers of /sla/policies, /sla/calendars). */
  slaSettings: boolean;
  /** Change a community's SLA policies and calendar (the server's SETTING_ROLES). */
  editSlaSettings: boolean;
  /** Change the company-wide SLA policies and calendar, and re-apply them to open clocks (admin). */
  editCompanySla: boolean;
}

const REGISTRY_KEEPERS: readonly Role[] = ['admin', 'manager'];
/**
 * The desk's leaders: they keep the categories and prices (the server's list for
 * /ticket-categories writes) and resend failed messages to residents (/notifications/{id}/retry).
 */
const CATEGORY_KEEPERS: readonly Role[] = ['admin', 'manager', 'supervisor'];
/** Roles that call residents back (the server's list for POST /residents/{id}/reveal-phone). */
const PHONE_REVEALERS: readonly Role[] = ['agent', 'supervisor', 'manager', 'steward', 'admin'];
/** Who watches the SLA clocks on the board (the server's list for GET /sla/compliance). */
const SLA_WATCHERS: readonly Role[] = ['supervisor', 'manager', 'quality', 'admin'];
/** Who sets a community's SLA policies and calendar (the server's SETTING_ROLES in sla.routes.ts). */
const SLA_SETTERS: readonly Role[] = ['manager', 'admin'];

const NOTHING: Access = {
  tickets: false,
  createTickets: false,
  jobs: false,
  registry: false,
  createCommunities: false,
  editRegistry: false,
  residents: false,
  editResidents: false,
  revealPhones: false,
  importResidents: false,
  exportResidents: false,
  staff: false,
  teams: false,
  categories: false,
  retryNotifications: false,
  company: false,
  slaBoard: false,
  slaClocks: false,
  slaSettings: false,
  editSlaSettings: false,
  editCompanySla: false,
};

export function deriveAccess(me: Me | null | undefined): Access {
  if (!me) return NOTHING;
  const has = (roles: readonly Role[]) => me.roles.some((role) => roles.includes(role));
  const admin = me.roles.includes('admin');
  const staff = me.roles.length > 0;
  return {
    tickets: has(READ_ROLES),
    createTickets: has(DESK_ROLES),
    jobs: has(FIELD_ROLES),
    registry: staff,
    createCommunities: admin,
    editRegistry: has(REGISTRY_KEEPERS),
    residents: staff,
    editResidents: has(DESK_ROLES),
    revealPhones: has(PHONE_REVEALERS),
    importResidents: has(REGISTRY_KEEPERS),
    exportResidents: has(REGISTRY_KEEPERS),
    staff: admin,
    teams: has(REGISTRY_KEEPERS),
    categories: has(CATEGORY_KEEPERS),
    retryNotifications: has(CATEGORY_KEEPERS),
    company: admin,
    slaBoard: has(SLA_WATCHERS),
    slaClocks: has(READ_ROLES),
    slaSettings: has(SLA_WATCHERS),
    editSlaSettings: has(SLA_SETTERS),
    editCompanySla: admin,
  };
}

/** The field staff's phone page. */
export const JOBS_PATH = '/m/jobs';

/** Where a user lands after signing in: the desk for desk roles, the phone page for field staff. */
export function homePath(access: Access): string {
  if (access.tickets) return '/tickets';
  if (access.jobs) return JOBS_PATH;
  return '/tickets';
}
