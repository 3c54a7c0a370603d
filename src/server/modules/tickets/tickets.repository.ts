import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import type { LifecycleTicket } from '../../../domain/ticket-lifecycle.js';
import type { TicketStatus, TicketType } from '../../../domain/tickets.js';
import { type Scope, withinScope } from '../../platform/context.js';
import type { DialectName } from '../../platform/db/database.js';
import type { DB, TicketEventsTable, TicketsTable } from '../../platform/db/schema.js';
import { roomLabel } from '../registry/registry.repository.js';

export interface TicketView {
  id: string;
  number: string;
  communityId: string;
  communityName: string;
  type: string;
  channel: string;
  priority: string;
  status: string;
  roomId: string | null;
  roomLabel: string | null;
  publicAreaId: string | null;
  publicAreaName: string | null;
  residentId: string | null;
  residentName: string | null;
  callerName: string | null;
  callerPhone: string | null;
  categoryId: string | null;
  content: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  createdBy: { id: string; name: string; employeeNo: string } | null;
  teamId: string | null;
  teamName: string | null;
  /** The worker who has the job: the resident is told their name and 工号 (R14). */
  assignee: { id: string; name: string; employeeNo: string } | null;
  pending: { reason: string; nextStep: string; eta: string } | null;
  escalationLevel: number;
  reopenCount: number;
  paid: boolean;
  chargeAmount: number | null;
  chargeSettledAt: string | null;
  completion: Record<string, unknown> | null;
  complaintGrade: string | null;
}

export interface TicketFilter {
  communityId?: string;
  status?: string;
  type?: string;
  /** Newest first: the page after this id. */
  beforeId?: string;
  limit: number;
  /** Jobs of this worker. */
  assigneeId?: string;
  /** Jobs of these teams (a team's queue, its grab pool included). */
  teamIds?: readonly string[];
  /** Waiting for dispatch: no team yet. */
  unassigned?: boolean;
  /** Field staff see only what is theirs: assigned to them, or in one of their teams. */
  workerOf?: { userId: string; teamIds: readonly string[] };
}

export class TicketsRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: DialectName,
  ) {}

  with(db: Kysely<DB>) {
    return new TicketsRepository(db, this.dialect);
  }

  /** Tickets within the caller's communities; for field staff, only their jobs (R61). */
  private query(scope: Scope, workerOf?: { userId: string; teamIds: readonly string[] }) {
    const qb = withinScope(
      this.db
        .selectFrom('tickets')
        .innerJoin('communities', 'communities.id', 'tickets.community_id')
        .leftJoin('rooms', 'rooms.id', 'tickets.room_id')
        .leftJoin('buildings', 'buildings.id', 'rooms.building_id')
        .leftJoin('units', 'units.id', 'rooms.unit_id')
        .leftJoin('public_areas', 'public_areas.id', 'tickets.public_area_id')
        .leftJoin('residents', 'residents.id', 'tickets.resident_id')
        .leftJoin('users', 'users.id', 'tickets.created_by')
        .leftJoin('teams', 'teams.id', 'tickets.team_id')
        .leftJoin('users as assignees', 'assignees.id', 'tickets.assignee_id')
        .selectAll('tickets')
        .select([
          'communities.name as community_name',
          'rooms.number as room_number',
          'buildings.name as building_name',
          'units.name as unit_name',
          'public_areas.name as public_area_name',
          'residents.name as resident_name',
          'users.name as creator_name',
          'users.employee_no as creator_employee_no',
          'teams.name as team_name',
          'assignees.name as assignee_name',
          'assignees.employee_no as assignee_employee_no',
        ]),
      'tickets.community_id',
      scope,
    );
    if (!workerOf) return qb;
    return qb.where((eb) =>
      workerOf.teamIds.length
        ? eb.or([
            eb('tickets.assignee_id', '=', workerOf.userId),
            eb('tickets.team_id', 'in', workerOf.teamIds as string[]),
          ])
        : eb('tickets.assignee_id', '=', workerOf.userId),
    );
  }

  async list(scope: Scope, filter: TicketFilter): Promise<TicketView[]> {
    const rows = await this.query(scope, filter.workerOf)
      .$if(Boolean(filter.communityId), (qb) => qb.where('tickets.community_id', '=', filter.communityId!))
      .$if(Boolean(filter.status), (qb) => qb.where('tickets.status', '=', filter.status!))
      .$if(Boolean(filter.type), (qb) => qb.where('tickets.type', '=', filter.type!))
      .$if(Boolean(filter.assigneeId), (qb) => qb.where('tickets.assignee_id', '=', filter.assigneeId!))
      .$if(filter.teamIds !== undefined, (qb) =>
        filter.teamIds!.length
          ? qb.where('tickets.team_id', 'in', filter.teamIds as string[])
          : qb.where(sql<boolean>`1 = 0`),
      )
      .$if(filter.unassigned === true, (qb) => qb.where('tickets.team_id', 'is', null))
      .$if(Boolean(filter.beforeId), (qb) => qb.where('tickets.id', '<', filter.beforeId!))
      .orderBy('tickets.id', 'desc')
      .limit(filter.limit + 1)
      .execute();
    return rows.map(toView);
  }

  async get(
    scope: Scope,
    id: string,
    workerOf?: { userId: string; teamIds: readonly string[] },
  ): Promise<TicketView | undefined> {
    const row = await this.query(scope, workerOf).where('tickets.id', '=', id).executeTakeFirst();
    return row ? toView(row) : undefined;
  }

  findByIdempotencyKey(key: string) {
    return this.db
      .selectFrom('tickets')
      .select(['id', 'created_by'])
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
  }

  insert(row: Insertable<TicketsTable>) {
    return this.db.insertInto('tickets').values(row).execute();
  }

  insertEvent(row: Insertable<TicketEventsTable>) {
    return this.db.insertInto('ticket_events').values(row).execute();
  }

  events(ticketId: string) {
    return this.db
      .selectFrom('ticket_events')
      .leftJoin('users', 'users.id', 'ticket_events.actor_id')
      .select([
        'ticket_events.id',
        'ticket_events.type',
        'ticket_events.at',
        'ticket_events.note',
        'ticket_events.actor_id',
        'users.name as actor_name',
        'users.employee_no as actor_employee_no',
      ])
      .where('ticket_events.ticket_id', '=', ticketId)
      .orderBy('ticket_events.id')
      .execute();
  }

  /**
   * The next number of a daily sequence (GD20261130-0001), safe across processes: the counter
   * row is created if absent and incremented in one statement under the row lock.
   */
  async nextSequence(name: string): Promise<number> {
    const row = await this.db
      .insertInto('counters')
      .values({ name, value: 1 })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql`counters.value + 1` }))
      .returning('value')
      .executeTakeFirstOrThrow();
    return Number(row.value);
  }

  /** What the lifecycle decides on, read fresh (domain/ticket-lifecycle). */
  async lifecycleOf(id: string): Promise<(LifecycleTicket & { version: number }) | undefined> {
    const row = await this.db
      .selectFrom('tickets')
      .select([
        'status',
        'type',
        'team_id',
        'assignee_id',
        'pending_from',
        'escalation_level',
        'reopen_count',
        'paid',
        'charge_settled_at',
        'version',
      ])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      status: row.status as TicketStatus,
      type: row.type as TicketType,
      teamId: row.team_id,
      assigneeId: row.assignee_id,
      pendingFrom: row.pending_from as TicketStatus | null,
      escalationLevel: row.escalation_level,
      reopenCount: row.reopen_count,
      paid: row.paid === 1,
      chargeSettled: row.charge_settled_at !== null,
      version: row.version,
    };
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

  /** Applies a step only if nobody changed the request since `version` was read (R12). */
  async applyIfVersion(id: string, version: number, values: Updateable<TicketsTable>): Promise<boolean> {
    const result = await this.db
      .updateTable('tickets')
      .set({ ...values, version: sql`version + 1` })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** A grab: succeeds only while the job still sits unassigned in its team's pool. */
  async applyIfPooled(id: string, teamId: string | null, values: Updateable<TicketsTable>): Promise<boolean> {
    const result = await this.db
      .updateTable('tickets')
      .set({ ...values, version: sql`version + 1` })
      .where('id', '=', id)
      .where('status', '=', 'dispatched')
      .where('assignee_id', 'is', null)
      .$if(teamId !== null, (qb) => qb.where('team_id', '=', teamId!))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  lastEvent(ticketId: string) {
    return this.db
      .selectFrom('ticket_events')
      .leftJoin('users', 'users.id', 'ticket_events.actor_id')
      .select(['ticket_events.type', 'ticket_events.at', 'users.name as actor_name'])
      .where('ticket_events.ticket_id', '=', ticketId)
      .orderBy('ticket_events.id', 'desc')
      .executeTakeFirst();
  }

  categoryExists(id: string) {
    return this.db.selectFrom('ticket_categories').select('id').where('id', '=', id).executeTakeFirst();
  }

  categories() {
    return this.db.selectFrom('ticket_categories').selectAll().orderBy('sort').execute();
  }
}

type Row = Selectable<TicketsTable> & {
  community_name: string;
  room_number: string | null;
  building_name: string | null;
  unit_name: string | null;
  public_area_name: string | null;
  resident_name: string | null;
  creator_name: string | null;
  creator_employee_no: string | null;
  team_name: string | null;
  assignee_name: string | null;
  assignee_employee_no: string | null;
};

function toView(r: Row): TicketView {
  return {
    id: r.id,
    number: r.number,
    communityId: r.community_id,
    communityName: r.community_name,
    type: r.type,
    channel: r.channel,
    priority: r.priority,
    status: r.status,
    roomId: r.room_id,
    roomLabel: r.room_number ? roomLabel(r.building_name ?? '', r.unit_name ?? '', r.room_number) : null,
    publicAreaId: r.public_area_id,
    publicAreaName: r.public_area_name,
    residentId: r.resident_id,
    residentName: r.resident_name,
    callerName: r.caller_name,
    callerPhone: r.caller_phone,
    categoryId: r.category_id,
    content: r.content,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
    createdBy: r.created_by
      ? { id: r.created_by, name: r.creator_name ?? '', employeeNo: r.creator_employee_no ?? '' }
      : null,
    teamId: r.team_id,
    teamName: r.team_name,
    assignee: r.assignee_id
      ? { id: r.assignee_id, name: r.assignee_name ?? '', employeeNo: r.assignee_employee_no ?? '' }
      : null,
    pending:
      r.status === 'pending' && r.pending_reason
        ? { reason: r.pending_reason, nextStep: r.pending_next_step ?? '', eta: r.pending_eta ?? '' }
        : null,
    escalationLevel: r.escalation_level,
    reopenCount: r.reopen_count,
    paid: r.paid === 1,
    chargeAmount: r.charge_amount,
    chargeSettledAt: r.charge_settled_at,
    completion: r.completion ? (JSON.parse(r.completion) as Record<string, unknown>) : null,
    complaintGrade: r.complaint_grade,
  };
}
