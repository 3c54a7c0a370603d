import type { Kysely } from 'kysely';
import { type Scope, withinScope } from '../../platform/context.js';
import type { DialectName } from '../../platform/db/database.js';
import type { DB } from '../../platform/db/schema.js';

export interface ReportCommunity {
  id: string;
  name: string;
  time_zone: string;
}

/** How many ids go into one `in (…)` list. */
const CHUNK = 500;

/**
 * The smallest UUIDv7 made at or after `at`. Our ids carry the time they were made at (never
 * earlier than the row's own time), so `id >= minIdAt(from)` is a safe, indexed lower bound on
 * rows created from `from` on.
 */
export function minIdAt(at: Date): string {
  const hex = at.getTime().toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

/**
 * The reports' reads (§5): each bounded by a time range and the communities asked about, each on an
 * index — ratings (community_id, created_at), return_visits (community_id, status, due_at),
 * visit_followups (community_id, status, id), ticket_events (id: UUIDv7, then ticket_id, id).
 * The rows come back unaggregated per request; the service buckets them in each community's zone.
 */
export class ReportsRepository {
  constructor(
    readonly db: Kysely<DB>,
    readonly dialect: DialectName,
  ) {}

  /** The communities the caller may see, or the one asked for (none when outside their scope). */
  communities(scope: Scope, communityId?: string): Promise<ReportCommunity[]> {
    return withinScope(
      this.db.selectFrom('communities').select(['id', 'name', 'time_zone']),
      'communities.id',
      scope,
    )
      .$if(communityId !== undefined, (qb) => qb.where('id', '=', communityId!))
      .orderBy('code')
      .execute();
  }

  /** Ratings given in [lo, hi) with who had the request and its category, oldest first. */
  async ratings(communityIds: string[], lo: string, hi: string) {
    if (!communityIds.length) return [];
    return this.db
      .selectFrom('ratings')
      .innerJoin('tickets', 'tickets.id', 'ratings.ticket_id')
      .leftJoin('ticket_categories', 'ticket_categories.id', 'tickets.category_id')
      .select([
        'ratings.id',
        'ratings.ticket_id',
        'ratings.community_id',
        'ratings.overall',
        'ratings.speed',
        'ratings.attitude',
        'ratings.quality',
        'ratings.created_at',
        'tickets.team_id',
        'tickets.assignee_id as worker_id',
        'tickets.category_id',
        'ticket_categories.name as category_name',
      ])
      .where('ratings.community_id', 'in', communityIds)
      .where('ratings.created_at', '>=', lo)
      .where('ratings.created_at', '<', hi)
      .orderBy('ratings.created_at')
      .orderBy('ratings.id')
      .execute();
  }

  /**
   * The steps that give and take a request's team and worker, for the requests given, in order:
   * who did the work is replayed from them (a reopened request has neither any more).
   */
  async assignmentSteps(ticketIds: string[]) {
    const out: { ticket_id: string; type: string; at: string; data: string | null }[] = [];
    for (let i = 0; i < ticketIds.length; i += CHUNK) {
      const chunk = ticketIds.slice(i, i + CHUNK);
      out.push(
        ...(await this.db
          .selectFrom('ticket_events')
          .select(['ticket_id', 'type', 'at', 'data'])
          .where('ticket_id', 'in', chunk)
          .where('type', 'in', ['dispatch', 'reassign', 'grab', 'decline', 'reopen', 'complete'])
          .orderBy('ticket_id')
          .orderBy('at')
          .orderBy('id')
          .execute()),
      );
    }
    return out;
  }

  async teamNames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.db.selectFrom('teams').select(['id', 'name']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async userNames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.db
      .selectFrom('users')
      .select(['id', 'name', 'employee_no'])
      .where('id', 'in', ids)
      .execute();
    return new Map(rows.map((r) => [r.id, `${r.name}（${r.employee_no}）`]));
  }

  /** Return visits due in [lo, hi), in any status. */
  async visitsDue(communityIds: string[], lo: string, hi: string) {
    if (!communityIds.length) return [];
    return this.db
      .selectFrom('return_visits')
      .select(['id', 'community_id', 'status', 'close_reason', 'due_at', 'done_at'])
      .where('community_id', 'in', communityIds)
      .where('status', 'in', ['open', 'reached', 'done', 'closed'])
      .where('due_at', '>=', lo)
      .where('due_at', '<', hi)
      .execute();
  }

  /** The requests' complete steps in [lo, hi). */
  async completions(communityIds: string[], lo: Date, hi: string) {
    if (!communityIds.length) return [];
    return this.db
      .selectFrom('ticket_events')
      .select(['ticket_id', 'community_id', 'at'])
      .where('id', '>=', minIdAt(lo))
      .where('type', '=', 'complete')
      .where('community_id', 'in', communityIds)
      .where('at', '>=', lo.toISOString())
      .where('at', '<', hi)
      .orderBy('at')
      .execute();
  }

  /** The reopen steps of these requests, at any time. */
  async reopens(ticketIds: string[]) {
    const out: { ticket_id: string; at: string }[] = [];
    for (let i = 0; i < ticketIds.length; i += CHUNK) {
      const chunk = ticketIds.slice(i, i + CHUNK);
      out.push(
        ...(await this.db
          .selectFrom('ticket_events')
          .select(['ticket_id', 'at'])
          .where('ticket_id', 'in', chunk)
          .where('type', '=', 'reopen')
          .execute()),
      );
    }
    return out;
  }

  /** Complaint follow-ups opened in [lo, hi), with their request, rating and who closed them. */
  async followups(communityIds: string[], lo: Date, hi: string) {
    if (!communityIds.length) return [];
    return this.db
      .selectFrom('visit_followups')
      .innerJoin('tickets', 'tickets.id', 'visit_followups.ticket_id')
      .innerJoin('ratings', 'ratings.id', 'visit_followups.rating_id')
      .leftJoin('users as closer', 'closer.id', 'visit_followups.closed_by')
      .select([
        'visit_followups.id',
        'visit_followups.ticket_id',
        'visit_followups.community_id',
        'visit_followups.reason',
        'visit_followups.status',
        'visit_followups.outcome',
        'visit_followups.closed_at',
        'visit_followups.created_at',
        'tickets.number as ticket_number',
        'ratings.source',
        'ratings.overall',
        'ratings.speed',
        'ratings.attitude',
        'ratings.quality',
        'ratings.comment',
        'closer.name as closer_name',
      ])
      .where('visit_followups.community_id', 'in', communityIds)
      .where('visit_followups.status', 'in', ['open', 'closed'])
      .where('visit_followups.id', '>=', minIdAt(lo))
      .where('visit_followups.created_at', '>=', lo.toISOString())
      .where('visit_followups.created_at', '<', hi)
      .orderBy('visit_followups.created_at')
      .orderBy('visit_followups.id')
      .execute();
  }
}
