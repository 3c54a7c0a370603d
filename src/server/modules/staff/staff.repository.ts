import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Role } from '../../../domain/roles.js';
import { loadAccess } from '../../platform/auth/sessions.js';
import type { DialectName } from '../../platform/db/database.js';
import { containsInsensitive } from '../../platform/db/dialect.js';
import type { DB, NewUser, UserRow } from '../../platform/db/schema.js';

/**
 * `.where(worksIn(communityId))` on a query of `users`: the staff who work in a community — those
 * of all communities, and those given this one.
 */
export function worksIn(communityId: string) {
  return (eb: ExpressionBuilder<DB, 'users'>) =>
    eb.or([
      eb('users.all_communities', '=', 1),
      eb(
        'users.id',
        'in',
        eb
          .selectFrom('user_communities')
          .select('user_communities.user_id')
          .where('user_communities.community_id', '=', communityId),
      ),
    ]);
}

export interface StaffRecord {
  id: string;
  username: string;
  employeeNo: string;
  name: string;
  phone: string | null;
  locale: string | null;
  roles: Role[];
  communityIds: string[];
  allCommunities: boolean;
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  /** The phone extension the PBX names them by (§4 screen pop). */
  extension: string | null;
}

export class StaffRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: DialectName,
  ) {}

  with(db: Kysely<DB>): StaffRepository {
    return new StaffRepository(db, this.dialect);
  }

  findByLogin(login: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where((eb) => eb.or([eb('username', '=', login), eb('employee_no', '=', login)]))
      .orderBy('username')
      .executeTakeFirst();
  }

  findRow(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async get(id: string): Promise<StaffRecord | undefined> {
    const row = await this.findRow(id);
    return row ? this.toRecord(row) : undefined;
  }

  async toRecord(row: UserRow): Promise<StaffRecord> {
    const access = await loadAccess(this.db, row.id, row.all_communities === 1);
    return {
      id: row.id,
      username: row.username,
      employeeNo: row.employee_no,
      name: row.name,
      phone: row.phone,
      locale: row.locale,
      roles: access.roles,
      communityIds: access.communityIds,
      allCommunities: row.all_communities === 1,
      disabled: row.disabled === 1,
      mustChangePassword: row.must_change_password === 1,
      createdAt: row.created_at,
      lastLoginAt: row.last_login_at,
      extension: row.extension ?? null,
    };
  }

  async list(filter: { q?: string; afterId?: string; limit: number }): Promise<StaffRecord[]> {
    const { dialect } = this;
    const rows = await this.db
      .selectFrom('users')
      .selectAll()
      .$if(Boolean(filter.q), (qb) =>
        qb.where((eb) =>
          eb.or([
            containsInsensitive(dialect, eb.ref('name'), filter.q!),
            containsInsensitive(dialect, eb.ref('username'), filter.q!),
            containsInsensitive(dialect, eb.ref('employee_no'), filter.q!),
          ]),
        ),
      )
      .$if(Boolean(filter.afterId), (qb) => qb.where('id', '>', filter.afterId!))
      .orderBy('id')
      .limit(filter.limit + 1)
      .execute();
    return Promise.all(rows.map((r) => this.toRecord(r)));
  }

  /** Active staff who can see a community (assigned to it, or to all), optionally with one role. */
  directory(communityId: string, role: Role | undefined) {
    return this.db
      .selectFrom('users')
      .select(['users.id', 'users.name', 'users.employee_no'])
      .where('users.disabled', '=', 0)
      .where(worksIn(communityId))
      .$if(role !== undefined, (qb) =>
        qb.where('users.id', 'in', (eb) =>
          eb.selectFrom('user_roles').select('user_id').where('role', '=', role!),
        ),
      )
      .orderBy('users.employee_no')
      .limit(500)
      .execute();
  }

  async rolesOf(userIds: string[]): Promise<Map<string, Role[]>> {
    const map = new Map<string, Role[]>();
    if (userIds.length === 0) return map;
    const rows = await this.db
      .selectFrom('user_roles')
      .select(['user_id', 'role'])
      .where('user_id', 'in', userIds)
      .execute();
    for (const r of rows) map.set(r.user_id, [...(map.get(r.user_id) ?? []), r.role as Role]);
    return map;
  }

  async insert(user: NewUser, roles: readonly Role[], communityIds: readonly string[]) {
    await this.db.insertInto('users').values(user).execute();
    await this.setAccess(user.id, roles, communityIds);
  }

  async setAccess(
    userId: string,
    roles: readonly Role[] | undefined,
    communityIds: readonly string[] | undefined,
  ) {
    if (roles) {
      await this.db.deleteFrom('user_roles').where('user_id', '=', userId).execute();
      if (roles.length) {
        await this.db
          .insertInto('user_roles')
          .values([...new Set(roles)].map((role) => ({ user_id: userId, role })))
          .execute();
      }
    }
    if (communityIds) {
      await this.db.deleteFrom('user_communities').where('user_id', '=', userId).execute();
      if (communityIds.length) {
        await this.db
          .insertInto('user_communities')
          .values([...new Set(communityIds)].map((community_id) => ({ user_id: userId, community_id })))
          .execute();
      }
    }
  }

  async update(id: string, values: Partial<Omit<UserRow, 'id'>>) {
    await this.db.updateTable('users').set(values).where('id', '=', id).execute();
  }

  /** §4: the active user other than `exceptUserId` who has this phone extension, if any. */
  async extensionHolder(extension: string, exceptUserId: string) {
    return this.db
      .selectFrom('users')
      .select(['id', 'name', 'employee_no'])
      .where('extension', '=', extension)
      .where('disabled', '=', 0)
      .where('id', '!=', exceptUserId)
      .executeTakeFirst();
  }

  /** Active administrators other than the one given: the last one may not be removed. */
  async countOtherActiveAdmins(exceptUserId: string): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_roles.role', '=', 'admin')
      .where('users.disabled', '=', 0)
      .where('users.id', '!=', exceptUserId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async existingCommunityIds(ids: readonly string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await this.db
      .selectFrom('communities')
      .select('id')
      .where('id', 'in', ids as string[])
      .execute();
    return rows.map((r) => r.id);
  }

  async recordLoginAttempt(attempt: {
    id: string;
    login: string;
    ip: string;
    at: string;
    succeeded: boolean;
  }) {
    await this.db
      .insertInto('login_attempts')
      .values({ ...attempt, succeeded: attempt.succeeded ? 1 : 0 })
      .execute();
  }

  async countFailuresFromIp(ip: string, since: string): Promise<number> {
    const row = await this.db
      .selectFrom('login_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ip', '=', ip)
      .where('succeeded', '=', 0)
      .where('at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
