import type { Insertable, Kysely, Updateable } from 'kysely';
import { ROLES, type Role } from '../../../domain/roles.js';
import type { Scope } from '../../platform/context.js';
import type { DialectName } from '../../platform/db/database.js';
import { serialize } from '../../platform/db/dialect.js';
import type { DB, TeamsTable } from '../../platform/db/schema.js';

export interface TeamRow {
  id: string;
  community_id: string | null;
  name: string;
  kind: string;
  leader_user_id: string | null;
  created_at: string;
  archived_at: string | null;
}

export interface TeamMember {
  teamId: string;
  id: string;
  name: string;
  employeeNo: string;
  roles: Role[];
  /** On duty: automatic dispatch takes turns among these. */
  onDuty: boolean;
}

/** Whether a user may join a team: active, and seeing the team's community. */
export interface MemberCandidate {
  id: string;
  name: string;
  disabled: boolean;
  allCommunities: boolean;
  communityIds: string[];
}

/**
 * Staff teams (维修组, 保安队 …). A team belongs to one community, or to the whole company
 * (community_id null); company-wide teams are visible to everyone on the staff.
 */
export class TeamsRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: DialectName,
  ) {}

  with(db: Kysely<DB>) {
    return new TeamsRepository(db, this.dialect);
  }

  /** Teams of the caller's communities and the company-wide ones. */
  private visible(scope: Scope) {
    const qb = this.db.selectFrom('teams').selectAll();
    if (scope.all) return qb;
    const ids = scope.communityIds as string[];
    return qb.where((eb) =>
      ids.length
        ? eb.or([eb('community_id', 'is', null), eb('community_id', 'in', ids)])
        : eb('community_id', 'is', null),
    );
  }

  list(
    scope: Scope,
    filter: {
      communityId?: string;
      kind?: string;
      includeArchived?: boolean;
      afterId?: string;
      limit: number;
    },
  ): Promise<TeamRow[]> {
    return this.visible(scope)
      .$if(Boolean(filter.communityId), (qb) =>
        qb.where((eb) =>
          eb.or([eb('community_id', 'is', null), eb('community_id', '=', filter.communityId!)]),
        ),
      )
      .$if(Boolean(filter.kind), (qb) => qb.where('kind', '=', filter.kind!))
      .$if(!filter.includeArchived, (qb) => qb.where('archived_at', 'is', null))
      .$if(Boolean(filter.afterId), (qb) => qb.where('id', '>', filter.afterId!))
      .orderBy('id')
      .limit(filter.limit + 1)
      .execute();
  }

  get(scope: Scope, id: string): Promise<TeamRow | undefined> {
    return this.visible(scope).where('id', '=', id).executeTakeFirst();
  }

  async insert(row: Insertable<TeamsTable>) {
    await this.db.insertInto('teams').values(row).execute();
  }

  async update(id: string, values: Updateable<TeamsTable>) {
    await this.db.updateTable('teams').set(values).where('id', '=', id).execute();
  }

  /** Serialises writers of one team, so "the leader is a member" holds under concurrent edits. */
  lock(teamId: string) {
    return serialize(this.db, this.dialect, `team:${teamId}`);
  }

  /**
   * Makes the members exactly `userIds`. Members who stay keep their row, so their duty and
   * their place in the automatic-dispatch turn survive a change of the list.
   */
  async replaceMembers(teamId: string, userIds: readonly string[]) {
    const current = await this.memberIds(teamId);
    const leaving = current.filter((id) => !userIds.includes(id));
    const joining = userIds.filter((id) => !current.includes(id));
    if (leaving.length) {
      await this.db
        .deleteFrom('team_members')
        .where('team_id', '=', teamId)
        .where('user_id', 'in', leaving)
        .execute();
    }
    if (joining.length) {
      await this.db
        .insertInto('team_members')
        .values(joining.map((user_id) => ({ team_id: teamId, user_id })))
        .execute();
    }
  }

  /** One member's row, or nothing when the user is not in the team. */
  member(teamId: string, userId: string) {
    return this.db
      .selectFrom('team_members')
      .select(['user_id', 'on_duty'])
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }

  async setDuty(teamId: string, userId: string, onDuty: boolean) {
    await this.db
      .updateTable('team_members')
      .set({ on_duty: onDuty ? 1 : 0 })
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .execute();
  }

  async memberIds(teamId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('team_members')
      .select('user_id')
      .where('team_id', '=', teamId)
      .execute();
    return rows.map((r) => r.user_id);
  }

  /** The members of several teams with their name, 工号 and roles: three queries for a whole page. */
  async members(teamIds: readonly string[]): Promise<TeamMember[]> {
    if (teamIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('team_members')
      .innerJoin('users', 'users.id', 'team_members.user_id')
      .select(['team_members.team_id', 'team_members.on_duty', 'users.id', 'users.name', 'users.employee_no'])
      .where('team_members.team_id', 'in', teamIds as string[])
      .execute();
    const roles = await this.rolesOf([...new Set(rows.map((r) => r.id))]);
    return rows.map((r) => ({
      teamId: r.team_id,
      id: r.id,
      name: r.name,
      employeeNo: r.employee_no,
      roles: roles.get(r.id) ?? [],
      onDuty: r.on_duty === 1,
    }));
  }

  private async rolesOf(userIds: string[]): Promise<Map<string, Role[]>> {
    const out = new Map<string, Role[]>();
    if (userIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('user_roles')
      .select(['user_id', 'role'])
      .where('user_id', 'in', userIds)
      .execute();
    for (const r of rows) {
      if (!(ROLES as readonly string[]).includes(r.role)) continue;
      out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.role as Role]);
    }
    for (const list of out.values()) list.sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b));
    return out;
  }

  /** Users by id, with what decides whether they may join a team. Staff are company-wide. */
  async candidates(userIds: readonly string[]): Promise<MemberCandidate[]> {
    if (userIds.length === 0) return [];
    const ids = userIds as string[];
    const [users, communities] = await Promise.all([
      this.db
        .selectFrom('users')
        .select(['id', 'name', 'disabled', 'all_communities'])
        .where('id', 'in', ids)
        .execute(),
      this.db
        .selectFrom('user_communities')
        .select(['user_id', 'community_id'])
        .where('user_id', 'in', ids)
        .execute(),
    ]);
    return users.map((u) => ({
      id: u.id,
      name: u.name,
      disabled: u.disabled === 1,
      allCommunities: u.all_communities === 1,
      communityIds: communities.filter((c) => c.user_id === u.id).map((c) => c.community_id),
    }));
  }
}
