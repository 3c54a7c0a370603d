import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import { type BusinessCalendar, STANDARD_CALENDAR } from '../../../domain/business-time.js';
import type { ClockTerms, SlaPolicy, SlaTarget, SlaTicket } from '../../../domain/sla.js';
import type { DialectName } from '../../platform/db/database.js';
import type { DB, SlaClockEventsTable, SlaClocksTable, SlaPoliciesTable } from '../../platform/db/schema.js';

export type ClockRow = Selectable<SlaClocksTable>;
export type PolicyRow = Selectable<SlaPoliciesTable>;

/** Rows per multi-row insert: well under SQLite's limit of bound parameters. */
const INSERT_CHUNK = 500;

export function toPolicy(row: PolicyRow): SlaPolicy {
  return {
    id: row.id,
    communityId: row.community_id,
    ticketType: row.ticket_type,
    priority: row.priority,
    categoryId: row.category_id,
    target: row.target as SlaTarget,
    minutes: row.minutes,
    businessHours: row.business_hours === 1,
    warnPercent: row.warn_percent,
  };
}

/** The terms a clock keeps, from its JSON snapshot. */
export function termsOf(clock: Pick<ClockRow, 'policy'>): ClockTerms {
  return JSON.parse(clock.policy) as ClockTerms;
}

/** Policies, calendars and clocks; every method runs on the executor it was made with. */
export class SlaRepository {
  constructor(
    readonly db: Kysely<DB>,
    readonly dialect: DialectName,
  ) {}

  with(db: Kysely<DB>) {
    return new SlaRepository(db, this.dialect);
  }

  /** What the step table and the policies need to know of a request, as it stands now. */
  async ticketFacts(
    ticketId: string,
  ): Promise<(SlaTicket & { id: string; number: string; timeZone: string }) | undefined> {
    const row = await this.db
      .selectFrom('tickets')
      .innerJoin('communities', 'communities.id', 'tickets.community_id')
      .leftJoin('ticket_categories', 'ticket_categories.id', 'tickets.category_id')
      .select([
        'tickets.id',
        'tickets.number',
        'tickets.community_id',
        'tickets.type',
        'tickets.priority',
        'tickets.channel',
        'tickets.category_id',
        'tickets.parent_id',
        'tickets.emergency',
        'ticket_categories.parent_id as parent_category_id',
        'communities.time_zone',
      ])
      .where('tickets.id', '=', ticketId)
      .executeTakeFirst();
    if (!row) return undefined;
    let emergencyKind: string | null = null;
    if (row.emergency) {
      const kind = (JSON.parse(row.emergency) as { kind?: unknown }).kind;
      emergencyKind = typeof kind === 'string' ? kind : null;
    }
    return {
      id: row.id,
      number: row.number,
      communityId: row.community_id,
      type: row.type,
      priority: row.priority,
      channel: row.channel,
      categoryId: row.category_id,
      parentCategoryId: row.parent_category_id ?? null,
      emergencyKind,
      parentId: row.parent_id,
      timeZone: row.time_zone,
    };
  }

  /** The company's policies and the community's overrides. */
  async policiesFor(communityId: string): Promise<SlaPolicy[]> {
    const rows = await this.db
      .selectFrom('sla_policies')
      .selectAll()
      .where((eb) => eb.or([eb('community_id', 'is', null), eb('community_id', '=', communityId)]))
      .execute();
    return rows.map(toPolicy);
  }

  /** The community's calendar, else the company's, else the standard one in the community's zone. */
  async calendarFor(communityId: string, timeZone: string): Promise<BusinessCalendar> {
    const rows = await this.db
      .selectFrom('sla_calendars')
      .select(['community_id', 'calendar'])
      .where((eb) => eb.or([eb('community_id', 'is', null), eb('community_id', '=', communityId)]))
      .execute();
    const own = rows.find((r) => r.community_id === communityId) ?? rows.find((r) => r.community_id === null);
    if (own) return JSON.parse(own.calendar) as BusinessCalendar;
    return { ...STANDARD_CALENDAR, timeZone: timeZone || STANDARD_CALENDAR.timeZone };
  }

  /** A request's clocks that a step may still touch: running, paused, or breached and not yet met. */
  openClocks(ticketId: string) {
    return this.db
      .selectFrom('sla_clocks')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .where('ended_at', 'is', null)
      .where('status', 'in', ['running', 'paused', 'breached'])
      .orderBy('id')
      .execute();
  }

  async insertClock(row: Insertable<SlaClocksTable>) {
    await this.db.insertInto('sla_clocks').values(row).execute();
  }

  async updateClock(id: string, values: Partial<Insertable<SlaClocksTable>>) {
    await this.db.updateTable('sla_clocks').set(values).where('id', '=', id).execute();
  }

  async insertEvents(rows: Insertable<SlaClockEventsTable>[]) {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await this.db
        .insertInto('sla_clock_events')
        .values(rows.slice(i, i + INSERT_CHUNK))
        .execute();
    }
  }

  /** The earliest moment any clock fires next (the index on next_fire_at answers it at once). */
  async nextFireAt(): Promise<string | null> {
    const row = await this.db
      .selectFrom('sla_clocks')
      .select('next_fire_at')
      .where('next_fire_at', 'is not', null)
      .orderBy('next_fire_at')
      .limit(1)
      .executeTakeFirst();
    return row?.next_fire_at ?? null;
  }

  /**
   * Up to `limit` clocks whose next firing is due, oldest first. Inside the firing transaction: on
   * PostgreSQL `for update skip locked`, so two servers take disjoint clocks and never wait on
   * each other; SQLite's writers are serialised anyway.
   */
  claimDue(now: string, limit: number) {
    return this.db
      .selectFrom('sla_clocks')
      .select([
        'id',
        'ticket_id',
        'community_id',
        'target',
        'status',
        'due_at',
        'warn_at',
        'warned_at',
        'breached_at',
        'next_fire_at',
      ])
      .where('next_fire_at', '<=', now)
      .orderBy('next_fire_at')
      .limit(limit)
      .$if(this.dialect === 'postgres', (q) => q.forUpdate().skipLocked())
      .execute();
  }

  /**
   * Marks clocks warned, once (returns those it marked): only those not warned yet; their next
   * firing is their due time. The ids are running clocks claimed in this transaction; no status
   * test here, or SQLite would read the (status, next_fire_at) index of every running clock
   * instead of the 500 primary keys.
   */
  async markWarned(ids: string[], now: string): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await this.db
      .updateTable('sla_clocks')
      .set({ warned_at: now, next_fire_at: sql`due_at` })
      .where('id', 'in', ids)
      .where('warned_at', 'is', null)
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * Marks clocks breached, once (returns those it marked): only those not breached yet, running
   * clocks claimed in this transaction (so no status test: see markWarned). Nothing is left to fire.
   */
  async markBreached(ids: string[], now: string): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await this.db
      .updateTable('sla_clocks')
      .set({ breached_at: now, status: 'breached', next_fire_at: null })
      .where('id', 'in', ids)
      .where('breached_at', 'is', null)
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }
}
