import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import { type Scope, withinScope } from '../../platform/context.js';
import type { DialectName } from '../../platform/db/database.js';
import type { DB, NotificationsTable } from '../../platform/db/schema.js';

/**
 * queued → sending (claimed by one dispatcher, under a lease) → sent; or back to queued with a
 * later `next_attempt_at` after a failure; failed after the last attempt; undeliverable when the
 * gateway refused the message for good.
 */
export const NOTIFICATION_STATUSES = ['queued', 'sending', 'sent', 'failed', 'undeliverable'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export type NotificationRow = Selectable<NotificationsTable>;

/** A claimed message, with what the channel needs beyond the row. */
export type ClaimedNotification = NotificationRow & { ticket_number: string };

/** What the notifier reads of a request, in the step's own transaction. */
export interface TicketFacts {
  id: string;
  number: string;
  communityId: string;
  communityName: string;
  timeZone: string;
  companyName: string;
  hotline: string | null;
  content: string;
  charge: number | null;
  resident: { id: string; name: string; phone: string; salutation: string | null } | null;
  callerName: string | null;
  callerPhone: string | null;
  team: { name: string; kind: string } | null;
  worker: { name: string; employeeNo: string } | null;
}

/** The outbox of what residents are told (R14), and the dispatcher's claims on it. */
export class NotificationsRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: DialectName,
  ) {}

  with(db: Kysely<DB>) {
    return new NotificationsRepository(db, this.dialect);
  }

  /** The request as it stands after the step (same transaction), with who to tell and who works it. */
  async ticketFacts(ticketId: string): Promise<TicketFacts | undefined> {
    const row = await this.db
      .selectFrom('tickets')
      .innerJoin('communities', 'communities.id', 'tickets.community_id')
      .leftJoin('residents', 'residents.id', 'tickets.resident_id')
      .leftJoin('teams', 'teams.id', 'tickets.team_id')
      .leftJoin('users as workers', 'workers.id', 'tickets.assignee_id')
      .select([
        'tickets.id',
        'tickets.number',
        'tickets.community_id',
        'tickets.content',
        'tickets.charge_amount',
        'tickets.caller_name',
        'tickets.caller_phone',
        'communities.name as community_name',
        'communities.time_zone',
        'residents.id as resident_id',
        'residents.name as resident_name',
        'residents.phone as resident_phone',
        'residents.salutation as resident_salutation',
        'teams.name as team_name',
        'teams.kind as team_kind',
        'workers.name as worker_name',
        'workers.employee_no as worker_employee_no',
      ])
      .where('tickets.id', '=', ticketId)
      .executeTakeFirst();
    if (!row) return undefined;
    const company = await this.db
      .selectFrom('company')
      .select(['name', 'short_name', 'hotline'])
      .where('id', '=', 'default')
      .executeTakeFirst();
    return {
      id: row.id,
      number: row.number,
      communityId: row.community_id,
      communityName: row.community_name,
      timeZone: row.time_zone,
      companyName: company?.short_name || company?.name || '',
      hotline: company?.hotline ?? null,
      content: row.content,
      charge: row.charge_amount,
      resident:
        row.resident_id && row.resident_name && row.resident_phone
          ? {
              id: row.resident_id,
              name: row.resident_name,
              phone: row.resident_phone,
              salutation: row.resident_salutation,
            }
          : null,
      callerName: row.caller_name,
      callerPhone: row.caller_phone,
      team: row.team_name ? { name: row.team_name, kind: row.team_kind ?? 'other' } : null,
      worker: row.worker_name ? { name: row.worker_name, employeeNo: row.worker_employee_no ?? '' } : null,
    };
  }

  async insert(row: Insertable<NotificationsTable>) {
    await this.db.insertInto('notifications').values(row).execute();
  }

  async insertMany(rows: Insertable<NotificationsTable>[]) {
    if (rows.length) await this.db.insertInto('notifications').values(rows).execute();
  }

  /** What a request's resident was told, oldest first (not the staff's alerts about it). */
  forTicket(ticketId: string) {
    return this.db
      .selectFrom('notifications')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .where('user_id', 'is', null)
      .orderBy('id')
      .execute();
  }

  /** A member of staff's alerts, newest first, with the request's number and status (if about one). */
  /**
   * A user's alerts in the caller's communities (and those of no community): a token acts for
   * the admin who made it, and reads none of that admin's alerts of other communities (R61).
   */
  forUser(userId: string, scope: Scope, limit: number, unreadOnly: boolean) {
    return this.db
      .selectFrom('notifications')
      .leftJoin('tickets', 'tickets.id', 'notifications.ticket_id')
      .selectAll('notifications')
      .select(['tickets.number as ticket_number', 'tickets.status as ticket_status'])
      .where('notifications.user_id', '=', userId)
      .where(inCommunities('notifications.community_id', scope))
      .$if(unreadOnly, (q) => q.where('notifications.read_at', 'is', null))
      .orderBy('notifications.id', 'desc')
      .limit(limit)
      .execute();
  }

  async unreadCount(userId: string, scope: Scope): Promise<number> {
    const row = await this.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('user_id', '=', userId)
      .where(inCommunities('community_id', scope))
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Marks one alert (or, with no id, all of them) read; returns the ids it changed. */
  async markRead(userId: string, scope: Scope, at: string, id?: string): Promise<string[]> {
    const rows = await this.db
      .updateTable('notifications')
      .set({ read_at: at })
      .where('user_id', '=', userId)
      .where(inCommunities('community_id', scope))
      .where('read_at', 'is', null)
      .$if(id !== undefined, (q) => q.where('id', '=', id!))
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** One message, if its community is within the caller's scope. */
  get(scope: Scope, id: string) {
    return withinScope(this.db.selectFrom('notifications').selectAll(), 'notifications.community_id', scope)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /**
   * Claims up to `limit` due messages for one dispatcher: queued ones whose time has come, and
   * sending ones whose claim's lease ran out (their dispatcher died). Each claim counts as an
   * attempt and holds the message until `leaseUntil`. The ids are picked, then updated, in one
   * transaction: on PostgreSQL the pick is `for update skip locked`, so several servers claim
   * side by side without ever taking the same message or waiting on one another; SQLite's
   * writers are serialised anyway. (A single `update … where id in (select … limit n for update
   * skip locked)` is no substitute: PostgreSQL may run the subquery again per row and claim
   * more than `limit`.)
   */
  async claimDue(now: string, leaseUntil: string, limit: number): Promise<ClaimedNotification[]> {
    const claimed = await this.db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('notifications')
        .select('id')
        .where('status', 'in', ['queued', 'sending'])
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(limit)
        .$if(this.dialect === 'postgres', (q) => q.forUpdate().skipLocked())
        .execute();
      if (!due.length) return [];
      return trx
        .updateTable('notifications')
        .set({ status: 'sending', attempts: sql`attempts + 1`, next_attempt_at: leaseUntil })
        .where(
          'id',
          'in',
          due.map((d) => d.id),
        )
        .returningAll()
        .execute();
    });
    if (!claimed.length) return [];
    // a callback's alert (R30) is about no request
    const ticketIds = [...new Set(claimed.flatMap((c) => (c.ticket_id ? [c.ticket_id] : [])))];
    const numbers = ticketIds.length
      ? await this.db.selectFrom('tickets').select(['id', 'number']).where('id', 'in', ticketIds).execute()
      : [];
    const numberOf = new Map(numbers.map((n) => [n.id, n.number]));
    return claimed
      .map((c) => ({ ...c, ticket_number: (c.ticket_id && numberOf.get(c.ticket_id)) || '' }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * Records the outcome of attempt `attempt`, only while that claim still holds: a dispatcher
   * whose lease ran out and was overtaken must not overwrite the newer attempt's outcome.
   */
  async settle(
    id: string,
    attempt: number,
    values: {
      status: NotificationStatus;
      next_attempt_at: string | null;
      last_error: string | null;
      sent_at?: string | null;
    },
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('notifications')
      .set(values)
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('attempts', '=', attempt)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Several claims' outcomes in one transaction (the dispatcher's batch); each applies only if
   * its claim is still the current one, as `settle` does.
   */
  async settleAll(settlements: readonly Settlement[]): Promise<boolean[]> {
    if (!settlements.length) return [];
    return this.db.transaction().execute(async (trx) => {
      const repo = this.with(trx);
      const applied: boolean[] = [];
      for (const s of settlements) applied.push(await repo.settle(s.id, s.attempt, s.values));
      return applied;
    });
  }

  /** Queues a failed or undeliverable message again, with a fresh set of attempts. */
  async requeue(id: string, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('notifications')
      .set({ status: 'queued', attempts: 0, next_attempt_at: now })
      .where('id', '=', id)
      .where('status', 'in', ['failed', 'undeliverable'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}

/** A community column within the scope, or empty (company-wide records). */
function inCommunities(column: 'community_id' | 'notifications.community_id', scope: Scope) {
  if (scope.all) return sql<boolean>`1 = 1`;
  const ref = sql.ref(column);
  if (!scope.communityIds.length) return sql<boolean>`${ref} is null`;
  return sql<boolean>`(${ref} is null or ${ref} in (${sql.join(scope.communityIds)}))`;
}

/** The recorded outcome of one delivery attempt (the claim's `attempt`). */
export interface Settlement {
  id: string;
  attempt: number;
  values: {
    status: NotificationStatus;
    next_attempt_at: string | null;
    last_error: string | null;
    sent_at?: string | null;
  };
}
