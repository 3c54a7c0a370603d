import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import { type EmergencyRecord, parseEmergencyRecord } from '../../../domain/emergency.js';
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
  /** Repairs: indoor (户内) or public (公区). */
  repairScope: string | null;
  /** A home visit's appointment window (上门须预约). */
  appointment: { from: string; to: string } | null;
  /** The government hotline platform's own order number. */
  externalRef: string | null;
  /** One incident, many reporters (R11): the request this one follows. */
  parentId: string | null;
  /** 首问负责制 (R15): when the first owner handed it to the responsible team. */
  handedOverAt: string | null;
  /** The resident's confirmation of the finished work. */
  confirmation: Record<string, unknown> | null;
  /** The emergency playbook's record (R16), or null. */
  emergency: EmergencyRecord | null;
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

  /**
   * Tickets within the caller's communities; for field staff, only their jobs (R61). The names
   * shown beside a ticket (community, room, public area, resident, creator, team, worker) are read
   * by one-row subqueries on primary keys, not by joining nine tables: PostgreSQL spent 30–90 ms
   * planning that join (join order search over ten relations) for every page of 30 it then found
   * in 1 ms (bench/scale.ts, 500,000 requests); the subqueries plan in under 1 ms on both databases.
   */
  private query(scope: Scope, workerOf?: { userId: string; teamIds: readonly string[] }) {
    const qb = withinScope(
      this.db
        .selectFrom('tickets')
        .selectAll('tickets')
        .select((eb) => [
          eb
            .selectFrom('communities')
            .select('communities.name')
            .whereRef('communities.id', '=', 'tickets.community_id')
            .as('community_name'),
          eb
            .selectFrom('rooms')
            .select('rooms.number')
            .whereRef('rooms.id', '=', 'tickets.room_id')
            .as('room_number'),
          eb
            .selectFrom('rooms')
            .innerJoin('buildings', 'buildings.id', 'rooms.building_id')
            .select('buildings.name')
            .whereRef('rooms.id', '=', 'tickets.room_id')
            .as('building_name'),
          eb
            .selectFrom('rooms')
            .innerJoin('units', 'units.id', 'rooms.unit_id')
            .select('units.name')
            .whereRef('rooms.id', '=', 'tickets.room_id')
            .as('unit_name'),
          eb
            .selectFrom('public_areas')
            .select('public_areas.name')
            .whereRef('public_areas.id', '=', 'tickets.public_area_id')
            .as('public_area_name'),
          eb
            .selectFrom('residents')
            .select('residents.name')
            .whereRef('residents.id', '=', 'tickets.resident_id')
            .as('resident_name'),
          eb
            .selectFrom('users')
            .select('users.name')
            .whereRef('users.id', '=', 'tickets.created_by')
            .as('creator_name'),
          eb
            .selectFrom('users')
            .select('users.employee_no')
            .whereRef('users.id', '=', 'tickets.created_by')
            .as('creator_employee_no'),
          eb
            .selectFrom('teams')
            .select('teams.name')
            .whereRef('teams.id', '=', 'tickets.team_id')
            .as('team_name'),
          eb
            .selectFrom('users')
            .select('users.name')
            .whereRef('users.id', '=', 'tickets.assignee_id')
            .as('assignee_name'),
          eb
            .selectFrom('users')
            .select('users.employee_no')
            .whereRef('users.id', '=', 'tickets.assignee_id')
            .as('assignee_employee_no'),
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
      // a request linked to an incident is handled by its parent, not dispatched on its own
      .$if(filter.unassigned === true, (qb) =>
        qb.where('tickets.team_id', 'is', null).where('tickets.parent_id', 'is', null),
      )
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

  /**
   * A request as its page shows it, and what the lifecycle decides on (lifecycleOf), from one row:
   * one statement instead of two for every request opened.
   */
  async getDetail(
    scope: Scope,
    id: string,
    workerOf?: { userId: string; teamIds: readonly string[] },
  ): Promise<{ view: TicketView; lifecycle: TicketLifecycleRow } | undefined> {
    const row = await this.query(scope, workerOf).where('tickets.id', '=', id).executeTakeFirst();
    return row ? { view: toView(row), lifecycle: toLifecycle(row) } : undefined;
  }

  /** What the lifecycle decides on, read fresh (domain/ticket-lifecycle). */
  async lifecycleOf(id: string): Promise<TicketLifecycleRow | undefined> {
    const row = await this.db
      .selectFrom('tickets')
      .select(LIFECYCLE_COLUMNS)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toLifecycle(row) : undefined;
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

  /**
   * Open requests that may be the same incident (R11): in the same community and category (or
   * the same first-level category), at the same building or public area, received since `since`,
   * not themselves linked to another. Newest first.
   */
  similar(
    scope: Scope,
    q: {
      communityId: string;
      categoryIds: readonly string[];
      buildingId?: string | null;
      publicAreaId?: string | null;
      since: string;
      excludeId?: string;
      limit: number;
    },
  ) {
    return withinScope(
      this.db
        .selectFrom('tickets')
        .leftJoin('rooms', 'rooms.id', 'tickets.room_id')
        .select(['tickets.id'])
        .where('tickets.community_id', '=', q.communityId)
        .where('tickets.category_id', 'in', q.categoryIds as string[])
        .where('tickets.created_at', '>=', q.since)
        .where('tickets.status', 'not in', ['done', 'closed', 'cancelled'])
        .where('tickets.parent_id', 'is', null)
        .where((eb) =>
          q.publicAreaId
            ? eb('tickets.public_area_id', '=', q.publicAreaId)
            : eb('rooms.building_id', '=', q.buildingId ?? ''),
        )
        .$if(Boolean(q.excludeId), (qb) => qb.where('tickets.id', '!=', q.excludeId!))
        .orderBy('tickets.id', 'desc')
        .limit(q.limit),
      'tickets.community_id',
      scope,
    ).execute();
  }

  /** The requests linked to an incident (R11), oldest first, with who reported each. */
  children(parentId: string) {
    return this.db
      .selectFrom('tickets')
      .leftJoin('residents', 'residents.id', 'tickets.resident_id')
      .select([
        'tickets.id',
        'tickets.number',
        'tickets.status',
        'tickets.version',
        'tickets.community_id',
        'tickets.completion',
        'tickets.caller_name',
        'residents.name as resident_name',
      ])
      .where('tickets.parent_id', '=', parentId)
      .orderBy('tickets.id')
      .execute();
  }

  /** The kind of one of this request's attachments (a signature confirms completion). */
  async attachmentKind(ticketId: string, attachmentId: string) {
    const row = await this.db
      .selectFrom('ticket_attachments')
      .select('kind')
      .where('id', '=', attachmentId)
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst();
    return row?.kind;
  }

  /** The completion report (JSON) as written: what linked requests inherit (R11). */
  async completionOf(id: string) {
    const row = await this.db
      .selectFrom('tickets')
      .select('completion')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.completion ?? null;
  }

  /** Number and status of one request: what a linked request shows of its incident. */
  brief(id: string) {
    return this.db
      .selectFrom('tickets')
      .select(['id', 'number', 'status', 'parent_id', 'community_id'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Who a user is, as the timeline shows them. */
  actor(userId: string) {
    return this.db
      .selectFrom('users')
      .select(['id', 'name', 'employee_no as employeeNo'])
      .where('id', '=', userId)
      .executeTakeFirst();
  }

  /** The category and its parent (R11 matches either level). */
  categoryWithParent(id: string) {
    return this.db
      .selectFrom('ticket_categories')
      .select(['id', 'parent_id'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async childCategoryIds(parentId: string) {
    const rows = await this.db
      .selectFrom('ticket_categories')
      .select('id')
      .where('parent_id', '=', parentId)
      .execute();
    return rows.map((r) => r.id);
  }

  /** A category a new request may use: one that exists and is not archived. */
  categoryInUse(id: string) {
    return this.db
      .selectFrom('ticket_categories')
      .select('id')
      .where('id', '=', id)
      .where('archived_at', 'is', null)
      .executeTakeFirst();
  }
}

type Row = Selectable<TicketsTable> & {
  community_name: string | null;
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

export type TicketLifecycleRow = LifecycleTicket & { version: number; firstOwnerId: string | null };

/** The columns the lifecycle decides on. */
const LIFECYCLE_COLUMNS = [
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
  'first_owner_id',
] as const;

function toLifecycle(row: Pick<Row, (typeof LIFECYCLE_COLUMNS)[number]>): TicketLifecycleRow {
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
    firstOwnerId: row.first_owner_id,
  };
}

function toView(r: Row): TicketView {
  return {
    id: r.id,
    number: r.number,
    communityId: r.community_id,
    communityName: r.community_name ?? '',
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
    repairScope: r.repair_scope,
    appointment:
      r.appointment_from && r.appointment_to ? { from: r.appointment_from, to: r.appointment_to } : null,
    externalRef: r.external_ref,
    parentId: r.parent_id,
    handedOverAt: r.handed_over_at,
    confirmation: r.confirmation ? (JSON.parse(r.confirmation) as Record<string, unknown>) : null,
    emergency: parseEmergencyRecord(r.emergency),
  };
}
