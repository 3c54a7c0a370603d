import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ROLES, type Role, USER_ROLES } from '../../../domain/roles.js';
import type { Clock } from '../clock.js';
import type { Principal, Scope } from '../context.js';
import type { DB } from '../db/schema.js';
import { classifyFault } from '../faults.js';
import { newSecret } from '../ids.js';

export const SESSION_COOKIE = 'ed_session';
export const CSRF_HEADER = 'x-csrf-token';
/** How often a session's last-seen time is written: not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * The last-seen time is bookkeeping: when the disk is full or the database file is locked, a read
 * must still be answered (the session stays valid; the next touch tries again). Other errors, and
 * an unreachable database (where the session could not have been read either), still fail.
 */
function ignoreStorageFault(error: unknown): void {
  const fault = classifyFault(error);
  if (fault !== 'storage_full' && fault !== 'storage_read_only' && fault !== 'database_busy') throw error;
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export interface SessionPrincipal {
  principal: Principal;
  sessionId: string;
  csrfToken: string;
  locale: string | null;
  mustChangePassword: boolean;
}

function toRoles(values: string[], known: readonly Role[] = ROLES): Role[] {
  return values.filter((r): r is Role => (known as readonly string[]).includes(r));
}

/** Sessions live in the database, so any server behind the load balancer can read them. */
export class SessionStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly idleMinutes: number,
  ) {}

  async create(userId: string, ip: string | null, userAgent: string | null) {
    const token = newSecret();
    const csrfToken = newSecret(24);
    const now = this.clock.now().toISOString();
    await this.db
      .insertInto('sessions')
      .values({
        id: sha256(token),
        user_id: userId,
        csrf_token: csrfToken,
        created_at: now,
        last_seen_at: now,
        revoked_at: null,
        ip,
        user_agent: userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    return { token, csrfToken };
  }

  async revoke(sessionId: string) {
    await this.db
      .updateTable('sessions')
      .set({ revoked_at: this.clock.now().toISOString() })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** Ends every session of a user (disabled, password reset), except the one given. */
  async revokeAllOf(userId: string, exceptSessionId?: string) {
    await this.db
      .updateTable('sessions')
      .set({ revoked_at: this.clock.now().toISOString() })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .$if(exceptSessionId !== undefined, (qb) => qb.where('id', '!=', exceptSessionId!))
      .execute();
  }

  /**
   * Deletes sessions that ended (revoked or idle) and login attempts older than a day.
   * Idempotent, so every server may run it.
   */
  async prune(): Promise<{ sessions: number; loginAttempts: number }> {
    const now = this.clock.now().getTime();
    const idleBefore = new Date(now - this.idleMinutes * 60_000).toISOString();
    const dayAgo = new Date(now - 24 * 60 * 60_000).toISOString();
    const sessions = await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('revoked_at', 'is not', null), eb('last_seen_at', '<', idleBefore)]))
      .executeTakeFirst();
    const attempts = await this.db.deleteFrom('login_attempts').where('at', '<', dayAgo).executeTakeFirst();
    return { sessions: Number(sessions.numDeletedRows), loginAttempts: Number(attempts.numDeletedRows) };
  }

  async resolve(token: string): Promise<SessionPrincipal | null> {
    const id = sha256(token);
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.id as sessionId',
        'sessions.csrf_token',
        'sessions.last_seen_at',
        'sessions.revoked_at',
        'users.id as userId',
        'users.name',
        'users.employee_no',
        'users.disabled',
        'users.all_communities',
        'users.locale',
        'users.must_change_password',
      ])
      .where('sessions.id', '=', id)
      .executeTakeFirst();
    if (!row || row.revoked_at !== null || row.disabled) return null;
    const now = this.clock.now();
    const idleMs = now.getTime() - new Date(row.last_seen_at).getTime();
    if (idleMs > this.idleMinutes * 60_000) return null;
    if (idleMs > TOUCH_INTERVAL_MS) {
      await this.db
        .updateTable('sessions')
        .set({ last_seen_at: now.toISOString() })
        .where('id', '=', id)
        .execute()
        .catch(ignoreStorageFault);
    }
    const access = await loadAccess(this.db, row.userId, row.all_communities === 1);
    return {
      principal: {
        kind: 'user',
        id: row.userId,
        userId: row.userId,
        name: row.name,
        employeeNo: row.employee_no,
        roles: access.roles,
        scope: access.scope,
      },
      sessionId: row.sessionId,
      csrfToken: row.csrf_token,
      locale: row.locale,
      mustChangePassword: row.must_change_password === 1,
    };
  }

  /** API tokens for integrations: `Authorization: Bearer <token>`, stored hashed. */
  async resolveToken(token: string): Promise<Principal | null> {
    const row = await this.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.created_by')
      .select([
        'api_tokens.id',
        'api_tokens.name',
        'api_tokens.roles',
        'api_tokens.community_ids',
        'api_tokens.all_communities',
        'api_tokens.revoked_at',
        'api_tokens.last_used_at',
        'users.id as userId',
        'users.disabled',
      ])
      .where('api_tokens.token_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!row || row.revoked_at !== null || row.disabled) return null;
    const now = this.clock.now();
    if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > TOUCH_INTERVAL_MS) {
      await this.db
        .updateTable('api_tokens')
        .set({ last_used_at: now.toISOString() })
        .where('id', '=', row.id)
        .execute()
        .catch(ignoreStorageFault);
    }
    const communityIds = JSON.parse(row.community_ids) as string[];
    return {
      kind: 'token',
      id: row.id,
      userId: row.userId,
      name: row.name,
      employeeNo: null,
      roles: toRoles(JSON.parse(row.roles) as string[]),
      scope: row.all_communities ? { all: true } : { all: false, communityIds },
    };
  }
}

export async function loadAccess(
  db: Kysely<DB>,
  userId: string,
  allCommunities: boolean,
): Promise<{ roles: Role[]; scope: Scope; communityIds: string[] }> {
  const [roles, communities] = await Promise.all([
    db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute(),
    db.selectFrom('user_communities').select('community_id').where('user_id', '=', userId).execute(),
  ]);
  const communityIds = communities.map((c) => c.community_id).sort();
  return {
    // a person never holds an integration's role (§4 'telephony'), whatever the table says
    roles: toRoles(
      roles.map((r) => r.role),
      USER_ROLES,
    ),
    scope: allCommunities ? { all: true } : { all: false, communityIds },
    communityIds,
  };
}
