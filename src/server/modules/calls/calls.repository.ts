import {
  type Insertable,
  type Kysely,
  type RawBuilder,
  type Selectable,
  type SqlBool,
  sql,
  type Updateable,
} from 'kysely';
import { DESK_ROLES } from '../../../domain/roles.js';
import type { Scope } from '../../platform/context.js';
import type { DialectName } from '../../platform/db/database.js';
import type { CallEventsTable, CallsTable, DB } from '../../platform/db/schema.js';
import { worksIn } from '../staff/staff.repository.js';

export type CallRow = Selectable<CallsTable>;

export interface CallFilter {
  from?: string;
  to?: string;
  agentUserId?: string;
  outcome?: string;
  direction?: string;
  statuses?: string[];
  residentId?: string;
  afterId?: string;
  limit: number;
}

export interface StaffHandle {
  id: string;
  name: string;
  employee_no: string;
  extension: string | null;
}

/**
 * A call a member of staff may see: one of their communities, a caller of no known community
 * (any desk agent may have taken it), or a call they were on.
 */
function visible(scope: Scope, userId: string): RawBuilder<SqlBool> {
  if (scope.all) return sql<SqlBool>`1 = 1`;
  const parts = [sql`calls.community_id is null`, sql`calls.agent_user_id = ${userId}`];
  if (scope.communityIds.length)
    parts.push(sql`calls.community_id in (${sql.join(scope.communityIds as string[])})`);
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/** The calls, their events and the requests they are linked to (§4). */
export class CallsRepository {
  constructor(
    private readonly db: Kysely<DB>,
    readonly dialect: DialectName,
  ) {}

  with(db: Kysely<DB>): CallsRepository {
    return new CallsRepository(db, this.dialect);
  }

  byPbxId(pbxCallId: string) {
    return this.db.selectFrom('calls').selectAll().where('pbx_call_id', '=', pbxCallId).executeTakeFirst();
  }

  byId(id: string) {
    return this.db.selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Creates the call's row unless another event created it first; returns the row either way. */
  async ensure(row: Insertable<CallsTable>): Promise<CallRow> {
    await this.db
      .insertInto('calls')
      .values(row)
      .onConflict((oc) => oc.column('pbx_call_id').doNothing())
      .execute();
    return (await this.byPbxId(row.pbx_call_id))!;
  }

  /** Stores one event; false when its kind was already stored for this call (a repeat). */
  async addEvent(row: Insertable<CallEventsTable>): Promise<boolean> {
    const result = await this.db
      .insertInto('call_events')
      .values(row)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    return result !== undefined;
  }

  events(callId: string) {
    return this.db
      .selectFrom('call_events')
      .selectAll()
      .where('call_id', '=', callId)
      .orderBy('received_at')
      .orderBy('id')
      .execute();
  }

  async update(id: string, values: Updateable<CallsTable>) {
    await this.db.updateTable('calls').set(values).where('id', '=', id).execute();
  }

  private base() {
    return this.db
      .selectFrom('calls')
      .leftJoin('users as agent', 'agent.id', 'calls.agent_user_id')
      .leftJoin('residents', 'residents.id', 'calls.resident_id')
      .leftJoin('communities', 'communities.id', 'calls.community_id')
      .selectAll('calls')
      .select([
        'agent.name as agent_name',
        'agent.employee_no as agent_employee_no',
        'residents.name as resident_name',
        'residents.salutation as resident_salutation',
        'communities.name as community_name',
      ]);
  }

  get(scope: Scope, userId: string, id: string) {
    return this.base().where('calls.id', '=', id).where(visible(scope, userId)).executeTakeFirst();
  }

  list(scope: Scope, userId: string, f: CallFilter) {
    return this.base()
      .where(visible(scope, userId))
      .$if(f.from !== undefined, (qb) => qb.where('calls.ringing_at', '>=', f.from!))
      .$if(f.to !== undefined, (qb) => qb.where('calls.ringing_at', '<', f.to!))
      .$if(f.agentUserId !== undefined, (qb) => qb.where('calls.agent_user_id', '=', f.agentUserId!))
      .$if(f.outcome !== undefined, (qb) => qb.where('calls.outcome', '=', f.outcome!))
      .$if(f.direction !== undefined, (qb) => qb.where('calls.direction', '=', f.direction!))
      .$if(f.residentId !== undefined, (qb) => qb.where('calls.resident_id', '=', f.residentId!))
      .$if(f.statuses !== undefined, (qb) => qb.where('calls.status', 'in', f.statuses!))
      .$if(f.afterId !== undefined, (qb) => qb.where('calls.id', '<', f.afterId!))
      .orderBy('calls.id', 'desc')
      .limit(f.limit + 1)
      .execute();
  }

  /** The inbound calls of a period, for the answer-rate figures (bounded by the caller's period). */
  forStats(scope: Scope, userId: string, from: string, to: string, communityId?: string) {
    return this.db
      .selectFrom('calls')
      .leftJoin('users as agent', 'agent.id', 'calls.agent_user_id')
      .select([
        'calls.id',
        'calls.status',
        'calls.outcome',
        'calls.ringing_at',
        'calls.ring_seconds',
        'calls.agent_user_id',
        'agent.name as agent_name',
        'agent.employee_no as agent_employee_no',
      ])
      .where('calls.direction', '=', 'in')
      .where('calls.ringing_at', '>=', from)
      .where('calls.ringing_at', '<', to)
      .$if(communityId !== undefined, (qb) => qb.where('calls.community_id', '=', communityId!))
      .where(visible(scope, userId))
      .limit(200_000)
      .execute();
  }

  async ticketsOf(callIds: string[]) {
    if (callIds.length === 0) return [];
    return this.db
      .selectFrom('call_tickets')
      .innerJoin('tickets', 'tickets.id', 'call_tickets.ticket_id')
      .select(['call_tickets.call_id', 'tickets.id', 'tickets.number', 'tickets.type', 'tickets.status'])
      .where('call_tickets.call_id', 'in', callIds)
      .orderBy('call_tickets.created_at')
      .execute();
  }

  async linkTicket(row: { call_id: string; ticket_id: string; created_at: string; created_by: string }) {
    const result = await this.db
      .insertInto('call_tickets')
      .values(row)
      .onConflict((oc) => oc.columns(['call_id', 'ticket_id']).doNothing())
      .returning('call_id')
      .executeTakeFirst();
    return result !== undefined;
  }

  /** An active member of staff by what a PBX calls them: extension first, then login, then 工号. */
  async staffByHandle(handle: string): Promise<StaffHandle | undefined> {
    const rows = await this.db
      .selectFrom('users')
      .select(['id', 'name', 'employee_no', 'extension'])
      .where('disabled', '=', 0)
      .where((eb) =>
        eb.or([eb('extension', '=', handle), eb('username', '=', handle), eb('employee_no', '=', handle)]),
      )
      .execute();
    return rows.find((r) => r.extension === handle) ?? rows.find((r) => r.employee_no !== handle) ?? rows[0];
  }

  /** Active staff by real name (Zammad's `user[]`); a name two people share names nobody. */
  async staffByNames(names: string[]): Promise<StaffHandle[]> {
    if (names.length === 0) return [];
    const rows = await this.db
      .selectFrom('users')
      .select(['id', 'name', 'employee_no', 'extension'])
      .where('disabled', '=', 0)
      .where('name', 'in', names)
      .execute();
    return rows.filter((r) => rows.filter((x) => x.name === r.name).length === 1);
  }

  /**
   * Who is on duty at the desk for a call: active staff with a desk role and a phone extension,
   * who work in the caller's community (any community when the caller is unknown).
   */
  async deskAgentsOnDuty(communityId: string | null): Promise<string[]> {
    const rows = await this.db
      .selectFrom('users')
      .select('users.id')
      .where('users.disabled', '=', 0)
      .where('users.extension', 'is not', null)
      .where('users.id', 'in', (eb) =>
        eb
          .selectFrom('user_roles')
          .select('user_roles.user_id')
          .where('user_roles.role', 'in', DESK_ROLES as string[]),
      )
      .$if(communityId !== null, (qb) => qb.where(worksIn(communityId!)))
      .orderBy('users.id')
      .limit(1000)
      .execute();
    return rows.map((r) => r.id);
  }

  employeeNoOf(userId: string) {
    return this.db
      .selectFrom('users')
      .select(['id', 'name', 'employee_no', 'extension'])
      .where('id', '=', userId)
      .executeTakeFirst();
  }
}
