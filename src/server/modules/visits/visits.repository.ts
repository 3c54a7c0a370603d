import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { VisitView } from '../../../domain/return-visits.js';
import { type Scope, withinScope } from '../../platform/context.js';
import type { DialectName } from '../../platform/db/database.js';
import type {
  DB,
  RatingLinksTable,
  RatingsTable,
  ReturnVisitAttemptsTable,
  ReturnVisitsTable,
  VisitFollowupsTable,
} from '../../platform/db/schema.js';
import { worksIn } from '../staff/staff.repository.js';

export type VisitRow = Selectable<ReturnVisitsTable>;
export type RatingRow = Selectable<RatingsTable>;
export type RatingLinkRow = Selectable<RatingLinksTable>;
export type FollowupRow = Selectable<VisitFollowupsTable>;

/** A visit with what the console shows of its request, resident and agent. */
export type VisitRecord = VisitRow & {
  ticket_number: string;
  ticket_type: string;
  ticket_status: string;
  ticket_content: string;
  ticket_version: number;
  ticket_completion: string | null;
  community_name: string;
  time_zone: string;
  resident_id: string | null;
  resident_name: string | null;
  resident_phone: string | null;
  caller_name: string | null;
  caller_phone: string | null;
  assignee_name: string | null;
  assignee_employee_no: string | null;
  worker_name: string | null;
  worker_employee_no: string | null;
};

/** What the hook and the services read of a request. */
export interface VisitTicket {
  id: string;
  number: string;
  communityId: string;
  communityName: string;
  timeZone: string;
  type: string;
  repairScope: string | null;
  status: string;
  version: number;
  parentId: string | null;
  residentId: string | null;
  callerPhone: string | null;
  content: string;
  completion: string | null;
  doneAt: string | null;
  worker: { name: string; employeeNo: string; teamKind: string | null } | null;
}

/** Return visits, their attempts and turns, ratings, rating links and follow-ups. */
export class VisitsRepository {
  constructor(
    readonly db: Kysely<DB>,
    readonly dialect: DialectName,
  ) {}

  with(db: Kysely<DB>) {
    return new VisitsRepository(db, this.dialect);
  }

  // ---- policies ----

  policies() {
    return this.db.selectFrom('return_visit_policies').selectAll().orderBy('kind').execute();
  }

  policy(kind: string) {
    return this.db
      .selectFrom('return_visit_policies')
      .selectAll()
      .where('kind', '=', kind)
      .executeTakeFirst();
  }

  async updatePolicy(
    kind: string,
    values: { mode: string; sample_percent: number; updated_at: string; updated_by: string | null },
  ) {
    await this.db.updateTable('return_visit_policies').set(values).where('kind', '=', kind).execute();
  }

  // ---- requests ----

  async ticket(id: string): Promise<VisitTicket | undefined> {
    const row = await this.db
      .selectFrom('tickets')
      .innerJoin('communities', 'communities.id', 'tickets.community_id')
      .leftJoin('users as worker', 'worker.id', 'tickets.assignee_id')
      .leftJoin('teams', 'teams.id', 'tickets.team_id')
      .select([
        'tickets.id',
        'tickets.number',
        'tickets.community_id',
        'tickets.type',
        'tickets.repair_scope',
        'tickets.status',
        'tickets.version',
        'tickets.parent_id',
        'tickets.resident_id',
        'tickets.caller_phone',
        'tickets.content',
        'tickets.completion',
        'tickets.done_at',
        'communities.name as community_name',
        'communities.time_zone',
        'worker.name as worker_name',
        'worker.employee_no as worker_employee_no',
        'teams.kind as team_kind',
      ])
      .where('tickets.id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      number: row.number,
      communityId: row.community_id,
      communityName: row.community_name,
      timeZone: row.time_zone,
      type: row.type,
      repairScope: row.repair_scope,
      status: row.status,
      version: row.version,
      parentId: row.parent_id,
      residentId: row.resident_id,
      callerPhone: row.caller_phone,
      content: row.content,
      completion: row.completion,
      doneAt: row.done_at,
      worker: row.worker_name
        ? { name: row.worker_name, employeeNo: row.worker_employee_no ?? '', teamKind: row.team_kind }
        : null,
    };
  }

  /** The due time of the request's running return_visit clock (R24), if one runs. */
  async clockDue(ticketId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('sla_clocks')
      .select('due_at')
      .where('ticket_id', '=', ticketId)
      .where('target', '=', 'return_visit')
      .where('status', 'in', ['running', 'paused'])
      .orderBy('id', 'desc')
      .executeTakeFirst();
    return row?.due_at ?? null;
  }

  // ---- round-robin ----

  /** The active agents who work in the community, with their last return-visit turn. */
  async agentsIn(communityId: string): Promise<{ userId: string; lastAssignedAt: string | null }[]> {
    const rows = await this.db
      .selectFrom('users')
      .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
      .leftJoin('return_visit_turns', 'return_visit_turns.user_id', 'users.id')
      .select(['users.id', 'return_visit_turns.last_assigned_at'])
      .where('user_roles.role', '=', 'agent')
      .where('users.disabled', '=', 0)
      .where(worksIn(communityId))
      .execute();
    return rows.map((r) => ({ userId: r.id, lastAssignedAt: r.last_assigned_at ?? null }));
  }

  /**
   * Takes an agent's turn: last_assigned_at = `at`, only if it is still the value read (a first
   * turn inserts the row; a concurrent first turn makes the insert a no-op and this fail).
   */
  async takeTurn(userId: string, seen: string | null, at: string): Promise<boolean> {
    if (seen === null) {
      const inserted = await this.db
        .insertInto('return_visit_turns')
        .values({ user_id: userId, last_assigned_at: at })
        .onConflict((oc) => oc.column('user_id').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return true;
    }
    const result = await this.db
      .updateTable('return_visit_turns')
      .set({ last_assigned_at: at })
      .where('user_id', '=', userId)
      .where((eb) => (seen === null ? eb('last_assigned_at', 'is', null) : eb('last_assigned_at', '=', seen)))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  // ---- visits ----

  async insertVisit(row: Insertable<ReturnVisitsTable>) {
    await this.db.insertInto('return_visits').values(row).execute();
  }

  private base() {
    return this.db
      .selectFrom('return_visits')
      .innerJoin('tickets', 'tickets.id', 'return_visits.ticket_id')
      .innerJoin('communities', 'communities.id', 'return_visits.community_id')
      .leftJoin('residents', 'residents.id', 'tickets.resident_id')
      .leftJoin('users as assignee', 'assignee.id', 'return_visits.assignee_id')
      .leftJoin('users as worker', 'worker.id', 'tickets.assignee_id')
      .selectAll('return_visits')
      .select([
        'tickets.number as ticket_number',
        'tickets.type as ticket_type',
        'tickets.status as ticket_status',
        'tickets.content as ticket_content',
        'tickets.version as ticket_version',
        'tickets.completion as ticket_completion',
        'communities.name as community_name',
        'communities.time_zone',
        'tickets.resident_id',
        'residents.name as resident_name',
        'residents.phone as resident_phone',
        'tickets.caller_name',
        'tickets.caller_phone',
        'assignee.name as assignee_name',
        'assignee.employee_no as assignee_employee_no',
        'worker.name as worker_name',
        'worker.employee_no as worker_employee_no',
      ]);
  }

  get(scope: Scope, id: string): Promise<VisitRecord | undefined> {
    return withinScope(this.base(), 'return_visits.community_id', scope)
      .where('return_visits.id', '=', id)
      .executeTakeFirst();
  }

  forTicket(ticketId: string): Promise<VisitRecord[]> {
    return this.base().where('return_visits.ticket_id', '=', ticketId).orderBy('return_visits.id').execute();
  }

  openOf(ticketId: string) {
    return this.db
      .selectFrom('return_visits')
      .selectAll()
      .where('open_ticket_id', '=', ticketId)
      .executeTakeFirst();
  }

  /**
   * A queue by due time: `mine` (assigned to me), `due` (callable now: no retry pending), or `all`
   * I may see; open (open + reached), finished (done + closed) or any.
   */
  list(
    scope: Scope,
    q: {
      view: VisitView;
      userId: string;
      status: 'open' | 'finished' | 'any';
      communityId?: string;
      now: string;
      after?: { at: string; id: string };
      limit: number;
    },
  ): Promise<VisitRecord[]> {
    let query = withinScope(this.base(), 'return_visits.community_id', scope);
    if (q.status === 'open') query = query.where('return_visits.status', 'in', ['open', 'reached']);
    if (q.status === 'finished') query = query.where('return_visits.status', 'in', ['done', 'closed']);
    if (q.communityId) query = query.where('return_visits.community_id', '=', q.communityId);
    if (q.view === 'mine') query = query.where('return_visits.assignee_id', '=', q.userId);
    if (q.view === 'due')
      query = query.where((eb) =>
        eb.or([
          eb('return_visits.next_attempt_at', 'is', null),
          eb('return_visits.next_attempt_at', '<=', q.now),
        ]),
      );
    if (q.after) {
      const after = q.after;
      query = query.where((eb) =>
        eb.or([
          eb('return_visits.due_at', '>', after.at),
          eb.and([eb('return_visits.due_at', '=', after.at), eb('return_visits.id', '>', after.id)]),
        ]),
      );
    }
    return query
      .orderBy('return_visits.due_at')
      .orderBy('return_visits.id')
      .limit(q.limit + 1)
      .execute();
  }

  async applyIfVersion(id: string, version: number, values: Updateable<ReturnVisitsTable>): Promise<boolean> {
    const result = await this.db
      .updateTable('return_visits')
      .set({ ...values, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Links the visit's rating, in the transaction that just took its version. */
  async setRating(id: string, ratingId: string) {
    await this.db.updateTable('return_visits').set({ rating_id: ratingId }).where('id', '=', id).execute();
  }

  async insertAttempt(row: Insertable<ReturnVisitAttemptsTable>) {
    await this.db.insertInto('return_visit_attempts').values(row).execute();
  }

  attempts(visitId: string) {
    return this.db
      .selectFrom('return_visit_attempts')
      .innerJoin('users', 'users.id', 'return_visit_attempts.user_id')
      .selectAll('return_visit_attempts')
      .select(['users.name as user_name', 'users.employee_no as user_employee_no'])
      .where('visit_id', '=', visitId)
      .orderBy('return_visit_attempts.id')
      .execute();
  }

  // ---- ratings and links ----

  async insertRating(row: Insertable<RatingsTable>) {
    await this.db.insertInto('ratings').values(row).execute();
  }

  rating(id: string) {
    return this.db.selectFrom('ratings').selectAll().where('id', '=', id).executeTakeFirst();
  }

  ratingsOf(ticketId: string) {
    return this.db
      .selectFrom('ratings')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .orderBy('id')
      .execute();
  }

  async insertLink(row: Insertable<RatingLinksTable>) {
    await this.db.insertInto('rating_links').values(row).execute();
  }

  linkByHash(tokenHash: string) {
    return this.db
      .selectFrom('rating_links')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  linksOf(ticketId: string) {
    return this.db
      .selectFrom('rating_links')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .orderBy('id')
      .execute();
  }

  /**
   * Uses a link once: only while unused and unexpired. Two submissions at once: on PostgreSQL the
   * second update waits for the first's commit and then matches no row; SQLite's writers queue.
   */
  async useLink(id: string, now: string, ratingId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('rating_links')
      .set({ used_at: now, rating_id: ratingId })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * The 'complete' message queued for the resident by this very step (same transaction, same
   * time, not yet sent): the rating invitation joins it rather than costing a second text.
   */
  completeMessage(ticketId: string, at: string) {
    return this.db
      .selectFrom('notifications')
      .select(['id', 'body'])
      .where('ticket_id', '=', ticketId)
      .where('event', '=', 'complete')
      .where('user_id', 'is', null)
      .where('status', '=', 'queued')
      .where('created_at', '=', at)
      .orderBy('id', 'desc')
      .executeTakeFirst();
  }

  async setMessageBody(id: string, body: string) {
    await this.db.updateTable('notifications').set({ body }).where('id', '=', id).execute();
  }

  // ---- follow-ups ----

  async insertFollowup(row: Insertable<VisitFollowupsTable>) {
    await this.db.insertInto('visit_followups').values(row).execute();
  }

  private followupBase() {
    return this.db
      .selectFrom('visit_followups')
      .innerJoin('tickets', 'tickets.id', 'visit_followups.ticket_id')
      .innerJoin('ratings', 'ratings.id', 'visit_followups.rating_id')
      .leftJoin('users as assignee', 'assignee.id', 'visit_followups.assignee_id')
      .leftJoin('users as closer', 'closer.id', 'visit_followups.closed_by')
      .selectAll('visit_followups')
      .select([
        'tickets.number as ticket_number',
        'ratings.overall',
        'ratings.speed',
        'ratings.attitude',
        'ratings.quality',
        'ratings.comment as rating_comment',
        'ratings.source as rating_source',
        'assignee.name as assignee_name',
        'assignee.employee_no as assignee_employee_no',
        'closer.name as closer_name',
      ]);
  }

  followup(scope: Scope, id: string) {
    return withinScope(this.followupBase(), 'visit_followups.community_id', scope)
      .where('visit_followups.id', '=', id)
      .executeTakeFirst();
  }

  followupsOf(ticketId: string) {
    return this.followupBase()
      .where('visit_followups.ticket_id', '=', ticketId)
      .orderBy('visit_followups.id')
      .execute();
  }

  followups(
    scope: Scope,
    q: { status: 'open' | 'closed' | 'any'; mine: string | null; afterId?: string; limit: number },
  ) {
    return withinScope(this.followupBase(), 'visit_followups.community_id', scope)
      .$if(q.status !== 'any', (qb) => qb.where('visit_followups.status', '=', q.status))
      .$if(q.mine !== null, (qb) => qb.where('visit_followups.assignee_id', '=', q.mine!))
      .$if(q.afterId !== undefined, (qb) => qb.where('visit_followups.id', '>', q.afterId!))
      .orderBy('visit_followups.id')
      .limit(q.limit + 1)
      .execute();
  }

  async applyFollowupIfVersion(id: string, version: number, values: Updateable<VisitFollowupsTable>) {
    const result = await this.db
      .updateTable('visit_followups')
      .set({ ...values, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
