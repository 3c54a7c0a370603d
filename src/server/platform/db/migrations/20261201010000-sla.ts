import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { timestampType } from '../dialect.js';

/**
 * Time promises (SLA, PRODUCT.md §3): the policies (per company, overridable per community, by
 * ticket type × priority × category), the business calendars (company default, per-community
 * override), and each ticket's clocks with their events. A clock fires by `next_fire_at` (its warn
 * time, then its due time), indexed, so that one scheduling pass reads only what is due.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const ts = timestampType(dialect);

  await db.schema
    .createTable('sla_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // null: the company's policy; else an override for one community
    .addColumn('community_id', 'text', (c) => c.references('communities.id'))
    // null: any type / priority / category
    .addColumn('ticket_type', 'text')
    .addColumn('priority', 'text')
    .addColumn('category_id', 'text', (c) => c.references('ticket_categories.id'))
    .addColumn('target', 'text', (c) => c.notNull())
    // null: this target has no clock where the policy applies (an override that switches it off)
    .addColumn('minutes', 'integer')
    // 1: counted in the business calendar's working time; 0: on the clock (24×7)
    .addColumn('business_hours', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('warn_percent', 'integer', (c) => c.notNull().defaultTo(80))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sla_policies_target_idx')
    .on('sla_policies')
    .columns(['target', 'community_id'])
    .execute();

  await db.schema
    .createTable('sla_calendars')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // null: the company's default calendar
    .addColumn('community_id', 'text', (c) => c.references('communities.id').unique())
    // JSON: a BusinessCalendar (domain/business-time)
    .addColumn('calendar', 'text', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sla_clocks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('policy_id', 'text')
    // JSON: minutes, business hours, warn percent and the calendar, as they were when it started
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('started_at', ts, (c) => c.notNull())
    .addColumn('due_at', ts, (c) => c.notNull())
    .addColumn('warn_at', ts, (c) => c.notNull())
    .addColumn('paused_at', ts)
    .addColumn('pause_reason', 'text')
    .addColumn('paused_ms', 'double precision', (c) => c.notNull().defaultTo(0))
    // running | paused | met | breached | cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('warned_at', ts)
    .addColumn('breached_at', ts)
    .addColumn('met_at', ts)
    .addColumn('ended_at', ts)
    // the next warn or breach to fire; null when nothing is left to fire (paused, met, …)
    .addColumn('next_fire_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sla_clocks_fire_idx').on('sla_clocks').columns(['next_fire_at']).execute();
  // the reconciliation's look for running clocks that lost their next firing, without reading
  // the ended ones (whose next_fire_at is null too)
  await db.schema
    .createIndex('sla_clocks_status_fire_idx')
    .on('sla_clocks')
    .columns(['status', 'next_fire_at'])
    .execute();
  await db.schema.createIndex('sla_clocks_ticket_idx').on('sla_clocks').columns(['ticket_id']).execute();
  // the supervisor's board: open clocks of a community by due time
  await db.schema
    .createIndex('sla_clocks_board_idx')
    .on('sla_clocks')
    .columns(['community_id', 'status', 'due_at'])
    .execute();

  await db.schema
    .createTable('sla_clock_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('clock_id', 'text', (c) => c.notNull().references('sla_clocks.id'))
    .addColumn('ticket_id', 'text', (c) => c.notNull())
    // start | pause | resume | met | warn | breach | cancel | reapply
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', ts, (c) => c.notNull())
    .addColumn('data', 'text')
    .execute();
  await db.schema
    .createIndex('sla_clock_events_clock_idx')
    .on('sla_clock_events')
    .columns(['clock_id', 'id'])
    .execute();

  // the seeds' numbers as the company's defaults; every one is editable
  const now = new Date().toISOString();
  const rows = DEFAULT_POLICIES.map((p, i) => ({
    id: `sla-default-${String(i + 1).padStart(2, '0')}`,
    community_id: null,
    ticket_type: p.type ?? null,
    priority: p.priority ?? null,
    category_id: p.category ?? null,
    target: p.target,
    minutes: p.minutes,
    business_hours: p.business ? 1 : 0,
    warn_percent: 80,
    created_at: now,
    updated_at: now,
  }));
  await db.insertInto('sla_policies').values(rows).execute();
}

interface DefaultPolicy {
  target: string;
  minutes: number;
  type?: string;
  priority?: string;
  category?: string;
  business?: boolean;
}

const HOUR = 60;
const DAY = 24 * HOUR;

/** The defaults, with the rule each one comes from. */
const DEFAULT_POLICIES: DefaultPolicy[] = [
  // R21: a job nobody accepts in 10 min is reassigned or escalated
  { target: 'accept', minutes: 10 },
  // R19 [001]: the assigned worker contacts the resident within 5 min of dispatch
  { target: 'first_contact', minutes: 5, type: 'repair' },
  { target: 'first_contact', minutes: 5, type: 'help' },
  { target: 'first_contact', minutes: 5, type: 'complaint' },
  { target: 'first_contact', minutes: 5, type: 'emergency' },
  // R20 [001]: on site within 15 min (urgent), 30 min (high: other zones), 2 h (normal);
  // minor (low-priority) repairs started within 3 days
  { target: 'arrival', minutes: 15, type: 'repair', priority: 'urgent' },
  { target: 'arrival', minutes: 30, type: 'repair', priority: 'high' },
  { target: 'arrival', minutes: 2 * HOUR, type: 'repair', priority: 'normal' },
  { target: 'arrival', minutes: 3 * DAY, type: 'repair', priority: 'low' },
  { target: 'arrival', minutes: 15, type: 'emergency' },
  { target: 'arrival', minutes: 2 * HOUR, type: 'help' },
  // R22 [001]: what cannot be solved on the spot is escalated within 2 h of arrival
  { target: 'escalation', minutes: 2 * HOUR, type: 'repair' },
  { target: 'escalation', minutes: 2 * HOUR, type: 'emergency' },
  // R23 [001]: complaints resolved within 24 h
  { target: 'resolution', minutes: DAY, type: 'complaint' },
  // R20: urgent household water and power repairs fixed the same day (不过夜): 8 h on the clock
  {
    target: 'resolution',
    minutes: 8 * HOUR,
    type: 'repair',
    priority: 'urgent',
    category: 'cat-water_power',
  },
  // R15: a complaint handed from its first owner to the responsible team within 20 min
  { target: 'handover', minutes: 20, type: 'complaint' },
  // R16: a person trapped in a lift reached by rescuers within 30 min
  { target: 'rescue', minutes: 30, type: 'emergency' },
  // R17: a government-hotline order signed for within 1 working day (8 working hours)
  { target: 'hotline_signoff', minutes: 8 * HOUR, business: true },
  // R24 [001]: return visit within 3 days of completion
  { target: 'return_visit', minutes: 3 * DAY },
];

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sla_clock_events').execute();
  await db.schema.dropTable('sla_clocks').execute();
  await db.schema.dropTable('sla_calendars').execute();
  await db.schema.dropTable('sla_policies').execute();
}
