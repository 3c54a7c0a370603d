import { type SelectQueryBuilder, sql } from 'kysely';
import type { Role } from '../../domain/roles.js';
import type { Locale } from './i18n/messages.js';

/** Which communities a caller may see. Enforced by every repository query that touches scoped data. */
export type Scope = { all: true } | { all: false; communityIds: readonly string[] };

export interface Principal {
  kind: 'user' | 'token';
  /** The user's id, or the API token's id. */
  id: string;
  name: string;
  employeeNo: string | null;
  roles: readonly Role[];
  scope: Scope;
  /** The user who acts: the user, or the admin who created the token. */
  userId: string;
}

/** What a service needs to know about who is asking: for scoping, auditing and messages. */
export interface RequestContext {
  principal: Principal;
  requestId: string;
  ip: string | null;
  locale: Locale;
}

export function inScope(scope: Scope, communityId: string): boolean {
  return scope.all || scope.communityIds.includes(communityId);
}

export function hasRole(principal: Principal, roles: readonly Role[]): boolean {
  return principal.roles.some((r) => roles.includes(r));
}

/**
 * Restricts a query to the caller's communities. `column` names the community id column of
 * the table being read (e.g. 'tickets.community_id').
 */
export function withinScope<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  column: string,
  scope: Scope,
): SelectQueryBuilder<DB, TB, O> {
  if (scope.all) return qb;
  if (scope.communityIds.length === 0) return qb.where(sql<boolean>`1 = 0`);
  return qb.where(sql.ref(column), 'in', scope.communityIds as string[]);
}

/** The context of work the system does by itself (start-up, demo loading, CLIs). */
export function systemContext(locale: Locale = 'zh-CN'): RequestContext {
  return {
    principal: {
      kind: 'user',
      id: 'system',
      userId: 'system',
      name: 'system',
      employeeNo: null,
      roles: ['admin'],
      scope: { all: true },
    },
    requestId: 'system',
    ip: null,
    locale,
  };
}
