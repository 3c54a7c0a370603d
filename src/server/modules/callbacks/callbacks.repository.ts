import {
  type Insertable,
  type Kysely,
  type Selectable,
  type SelectQueryBuilder,
  sql,
  type Updateable,
} from 'kysely';
import type { CallbackView } from '../../../domain/callbacks.js';
import type { Scope } from '../../platform/context.js';
import type { DialectName } from '../../platform/db/database.js';
import type {
  CallbackAttemptsTable,
  CallbackCallsTable,
  CallbacksTable,
  DB,
} from '../../platform/db/schema.js';
import { roomLabel } from '../registry/registry.repository.js';

export type CallbackRow = Selectable<CallbacksTable>;

/** Who is looking: the desk (scoped by community), or a colleague who sees only what is for them. */
export interface Viewer {
  userId: string;
  teamIds: string[];
  /** Desk roles and quality: everything in their communities, and the desk pool of no community. */
  desk: boolean;
  scope: Scope;
}

/** A callback with the names the console shows. */
export type CallbackRecord = CallbackRow & {
  community_name: string | null;
  room_label: string | null;
  for_user_name: string | null;
  for_user_employee_no: string | null;
  for_team_name: string | null;
  taken_by_name: string | null;
  taken_by_employee_no: string | null;
};

/** Callbacks, their merged calls and their attempts; every method runs on the executor it was made with. */
export class CallbacksRepository {
  constructor(
    readonly db: Kysely<DB>,
    readonly dialect: DialectName,
  ) {}

  with(db: Kysely<DB>) {
    return new CallbacksRepository(db, this.dialect);
  }

  private base() {
    return this.db
      .selectFrom('callbacks')
      .leftJoin('communities', 'communities.id', 'callbacks.community_id')
      .leftJoin('rooms', 'rooms.id', 'callbacks.room_id')
      .leftJoin('buildings', 'buildings.id', 'rooms.building_id')
      .leftJoin('units', 'units.id', 'rooms.unit_id')
      .leftJoin('users as for_user', 'for_user.id', 'callbacks.for_user_id')
      .leftJoin('teams as for_team', 'for_team.id', 'callbacks.for_team_id')
      .leftJoin('users as taker', 'taker.id', 'callbacks.taken_by')
      .selectAll('callbacks')
      .select([
        'communities.name as community_name',
        'buildings.name as building_name',
        'units.name as unit_name',
        'rooms.number as room_number',
        'for_user.name as for_user_name',
        'for_user.employee_no as for_user_employee_no',
        'for_team.name as for_team_name',
        'taker.name as taken_by_name',
        'taker.employee_no as taken_by_employee_no',
      ]);
  }

  private visible<O>(q: SelectQueryBuilder<DB, 'callbacks', O>, viewer: Viewer) {
    const scope = viewer.scope;
    // only in the caller's communities, whoever it is for (R61: a token made for one community
    // acts as the admin who made it, and reads none of that admin's callbacks elsewhere)
    const scoped = scope.all
      ? q
      : q.where((eb) =>
          eb.or([
            // the desk pool: a caller of no known community rang the company's line
            eb('callbacks.community_id', 'is', null),
            ...(scope.communityIds.length
              ? [eb('callbacks.community_id', 'in', scope.communityIds as string[])]
              : []),
          ]),
        );
    if (viewer.desk) return scoped;
    // a colleague sees what is for them or for one of their teams
    return scoped.where((eb) =>
      eb.or([
        eb('callbacks.for_user_id', '=', viewer.userId),
        ...(viewer.teamIds.length ? [eb('callbacks.for_team_id', 'in', viewer.teamIds)] : []),
      ]),
    );
  }

  private record(row: Awaited<ReturnType<ReturnType<CallbacksRepository['base']>['execute']>>[number]) {
    const { building_name, unit_name, room_number, ...rest } = row;
    return {
      ...rest,
      room_label:
        building_name && unit_name && room_number ? roomLabel(building_name, unit_name, room_number) : null,
    } as CallbackRecord;
  }

  async get(viewer: Viewer, id: string): Promise<CallbackRecord | undefined> {
    const row = await this.visible(this.base(), viewer).where('callbacks.id', '=', id).executeTakeFirst();
    return row ? this.record(row) : undefined;
  }

  /** By id, unscoped: for the system's own work (the scheduler, a merge). */
  async byId(id: string): Promise<CallbackRecord | undefined> {
    const row = await this.base().where('callbacks.id', '=', id).executeTakeFirst();
    return row ? this.record(row) : undefined;
  }

  /**
   * A queue, by due time (those without a clock by when they were taken), keyset-paginated on
   * (that time, id).
   */
  async list(
    viewer: Viewer,
    q: {
      view: CallbackView;
      status: string | null;
      communityId?: string;
      after?: { at: string; id: string };
      limit: number;
    },
  ): Promise<(CallbackRecord & { sort_at: string })[]> {
    const sortAt = sql<string>`coalesce(callbacks.due_at, callbacks.created_at)`;
    let query = this.visible(this.base(), viewer).select(sortAt.as('sort_at'));
    if (q.status) query = query.where('callbacks.status', '=', q.status);
    if (q.communityId) query = query.where('callbacks.community_id', '=', q.communityId);
    if (q.view === 'mine') query = query.where('callbacks.for_user_id', '=', viewer.userId);
    if (q.view === 'team')
      query = viewer.teamIds.length
        ? query.where('callbacks.for_team_id', 'in', viewer.teamIds)
        : query.where(sql<boolean>`1 = 0`);
    if (q.view === 'desk')
      query = query
        .where('callbacks.kind', '=', 'missed_call')
        .where('callbacks.for_user_id', 'is', null)
        .where('callbacks.for_team_id', 'is', null);
    if (q.after) {
      const { at, id } = q.after;
      query = query.where((eb) =>
        eb.or([eb(sortAt, '>', at), eb.and([eb(sortAt, '=', at), eb('callbacks.id', '>', id)])]),
      );
    }
    const rows = await query
      .orderBy(sortAt)
      .orderBy('callbacks.id')
      .limit(q.limit + 1)
      .execute();
    return rows.map((r) => ({ ...this.record(r), sort_at: String(r.sort_at) }));
  }

  async attempts(callbackId: string) {
    return this.db
      .selectFrom('callback_attempts')
      .leftJoin('users', 'users.id', 'callback_attempts.user_id')
      .selectAll('callback_attempts')
      .select(['users.name as user_name', 'users.employee_no as user_employee_no'])
      .where('callback_attempts.callback_id', '=', callbackId)
      .orderBy('callback_attempts.id')
      .execute();
  }

  async calls(callbackId: string) {
    return this.db
      .selectFrom('callback_calls')
      .selectAll()
      .where('callback_id', '=', callbackId)
      .orderBy('at')
      .orderBy('call_id')
      .execute();
  }

  async callLogged(callId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('callback_calls')
      .select('call_id')
      .where('call_id', '=', callId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The open missed-call callback of a number, if any (misses from one number merge into it). */
  openMissedCall(phone: string) {
    return this.db
      .selectFrom('callbacks')
      .selectAll()
      .where('kind', '=', 'missed_call')
      .where('status', '=', 'open')
      .where('phone', '=', phone)
      .executeTakeFirst();
  }

  async insert(row: Insertable<CallbacksTable>) {
    await this.db.insertInto('callbacks').values(row).execute();
  }

  async insertCall(row: Insertable<CallbackCallsTable>) {
    await this.db.insertInto('callback_calls').values(row).execute();
  }

  async insertAttempt(row: Insertable<CallbackAttemptsTable>) {
    await this.db.insertInto('callback_attempts').values(row).execute();
  }

  async update(id: string, values: Updateable<CallbacksTable>) {
    await this.db.updateTable('callbacks').set(values).where('id', '=', id).execute();
  }

  /** Applies a change only if nobody changed the callback since `version` was read. */
  async applyIfVersion(id: string, version: number, values: Updateable<CallbacksTable>): Promise<boolean> {
    const result = await this.db
      .updateTable('callbacks')
      .set({ ...values, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** The earliest moment any callback's clock fires next. */
  async nextFireAt(): Promise<string | null> {
    const row = await this.db
      .selectFrom('callbacks')
      .select('next_fire_at')
      .where('next_fire_at', 'is not', null)
      .orderBy('next_fire_at')
      .limit(1)
      .executeTakeFirst();
    return row?.next_fire_at ?? null;
  }

  /**
   * Up to `limit` callbacks whose warning or breach is due, oldest first; in the firing
   * transaction, on PostgreSQL `for update skip locked` (see SlaRepository.claimDue).
   */
  claimDue(now: string, limit: number) {
    return this.db
      .selectFrom('callbacks')
      .selectAll()
      .where('next_fire_at', '<=', now)
      .orderBy('next_fire_at')
      .limit(limit)
      .$if(this.dialect === 'postgres', (q) => q.forUpdate().skipLocked())
      .execute();
  }

  /** Marks callbacks warned, once (returns those it marked); their next firing is their due time. */
  async markWarned(ids: string[], now: string): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await this.db
      .updateTable('callbacks')
      .set({ warned_at: now, next_fire_at: sql`due_at` })
      .where('id', 'in', ids)
      .where('warned_at', 'is', null)
      .where('status', '=', 'open')
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Marks callbacks breached, once (returns those it marked); nothing is left to fire. */
  async markBreached(ids: string[], now: string): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await this.db
      .updateTable('callbacks')
      .set({ breached_at: now, next_fire_at: null })
      .where('id', 'in', ids)
      .where('breached_at', 'is', null)
      .where('status', '=', 'open')
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Active members of a team (a message for the team tells each of them). */
  teamMembers(teamId: string) {
    return this.db
      .selectFrom('team_members')
      .innerJoin('users', 'users.id', 'team_members.user_id')
      .select(['users.id', 'users.name', 'users.phone', 'users.locale'])
      .where('team_members.team_id', '=', teamId)
      .where('users.disabled', '=', 0)
      .orderBy('users.id')
      .execute();
  }

  user(id: string) {
    return this.db
      .selectFrom('users')
      .select(['id', 'name', 'phone', 'locale', 'employee_no', 'disabled', 'all_communities'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async userWorksIn(userId: string, communityId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('user_communities')
      .select('user_id')
      .where('user_id', '=', userId)
      .where('community_id', '=', communityId)
      .executeTakeFirst();
    return row !== undefined;
  }

  team(id: string) {
    return this.db
      .selectFrom('teams')
      .select(['id', 'name', 'community_id', 'leader_user_id', 'archived_at'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async teamIdsOf(userId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('team_members')
      .innerJoin('teams', 'teams.id', 'team_members.team_id')
      .select('team_members.team_id')
      .where('team_members.user_id', '=', userId)
      .where('teams.archived_at', 'is', null)
      .execute();
    return rows.map((r) => r.team_id);
  }

  /** The community's time zone, else the company's. */
  async timeZoneOf(communityId: string | null): Promise<string> {
    if (communityId) {
      const row = await this.db
        .selectFrom('communities')
        .select('time_zone')
        .where('id', '=', communityId)
        .executeTakeFirst();
      if (row?.time_zone) return row.time_zone;
    }
    const company = await this.db
      .selectFrom('company')
      .select('time_zone')
      .where('id', '=', 'default')
      .executeTakeFirst();
    return company?.time_zone || 'Asia/Shanghai';
  }

  /** Who a message may be for in a community: its active staff (by 工号) and its teams. */
  async recipients(communityId: string) {
    const users = await this.db
      .selectFrom('users')
      .select(['users.id', 'users.name', 'users.employee_no'])
      .where('users.disabled', '=', 0)
      .where((eb) =>
        eb.or([
          eb('users.all_communities', '=', 1),
          eb.exists(
            eb
              .selectFrom('user_communities')
              .select('user_communities.user_id')
              .whereRef('user_communities.user_id', '=', 'users.id')
              .where('user_communities.community_id', '=', communityId),
          ),
        ]),
      )
      .orderBy('users.employee_no')
      .limit(500)
      .execute();
    const roles = users.length
      ? await this.db
          .selectFrom('user_roles')
          .select(['user_id', 'role'])
          .where(
            'user_id',
            'in',
            users.map((u) => u.id),
          )
          .execute()
      : [];
    const teams = await this.db
      .selectFrom('teams')
      .select(['id', 'name', 'kind'])
      .where('archived_at', 'is', null)
      .where((eb) => eb.or([eb('community_id', '=', communityId), eb('community_id', 'is', null)]))
      .orderBy('name')
      .execute();
    return {
      users: users.map((u) => ({
        id: u.id,
        name: u.name,
        employeeNo: u.employee_no,
        roles: roles.filter((r) => r.user_id === u.id).map((r) => r.role),
      })),
      teams,
    };
  }

  /** A registered resident, unscoped (a missed call's match comes from the telephony). */
  resident(id: string) {
    return this.db
      .selectFrom('residents')
      .select(['id', 'community_id', 'room_id', 'name', 'salutation'])
      .where('id', '=', id)
      .executeTakeFirst();
  }
}
