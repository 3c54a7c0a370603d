import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { loadOpenClocks } from './sla.load.js';

/**
 * 100,000 on SQLite. On PostgreSQL each breach's escalation is a few round trips to the server
 * (about 3 ms a breach on the shared 2-core test machine), so the suite runs 5,000 there to stay
 * near a quarter of a minute (the whole suite must fit CI's 15 minutes); SLA_SCALE_CLOCKS /
 * SLA_SCALE_CLOCKS_PG set other counts (100,000 on PostgreSQL passes in about 4 minutes).
 */
const COUNTS: Record<string, number> = {
  sqlite: Number(process.env.SLA_SCALE_CLOCKS ?? 100_000),
  postgres: Number(process.env.SLA_SCALE_CLOCKS_PG ?? 5_000),
};
const MIN = 60_000;

describe.each(dialects())('SLA firing at scale (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  }, 120_000);
  afterAll(async () => t?.close());

  const COUNT = COUNTS[dialect]!;
  it(`fires the warning and the breach of each of ${COUNT.toLocaleString('en')} open clocks exactly once (R26: each breach escalates once)`, async () => {
    const db = t.testDb.database.db;
    const start = t.clock.now();
    const firstDue = new Date(start.getTime() + 10 * MIN);
    // due times spread over 10 minutes, warnings 2 minutes before each
    const spacingMs = (10 * MIN) / COUNT;
    await loadOpenClocks(db, {
      communityId: t.world.communityA.id,
      count: COUNT,
      firstDue,
      spacingMs,
      warnBeforeMs: 2 * MIN,
      startedAt: start,
    });

    let passes = 0;
    const totals = { warned: 0, breached: 0, escalated: 0 };
    // time moves on a minute at a time (warnings come 2 minutes before due, so none is skipped);
    // at each step, passes run until nothing more is due
    for (let offset = 9 * MIN; offset <= 21 * MIN; offset += MIN) {
      const now = new Date(start.getTime() + offset);
      for (;;) {
        const r = await t.services.slaScheduler.runOnce(now);
        passes++;
        totals.warned += r.warned;
        totals.breached += r.breached;
        totals.escalated += r.escalated;
        if (r.claimed === 0) break;
      }
      // nothing that is due was left behind, and nothing not yet due was fired
      const notYet = await db
        .selectFrom('sla_clocks')
        .select(sql<number>`count(*)`.as('n'))
        .where('next_fire_at', '<=', now.toISOString())
        .executeTakeFirstOrThrow();
      expect(Number(notYet.n)).toBe(0);
      const early = await db
        .selectFrom('sla_clocks')
        .select(sql<number>`count(*)`.as('n'))
        .where((eb) =>
          eb.or([
            eb.and([eb('breached_at', 'is not', null), eb('due_at', '>', now.toISOString())]),
            eb.and([eb('warned_at', 'is not', null), eb('warn_at', '>', now.toISOString())]),
          ]),
        )
        .executeTakeFirstOrThrow();
      expect(Number(early.n)).toBe(0);
    }
    expect(passes).toBeGreaterThan(5);
    // (a clock whose warning and due time both passed before a pass saw it breaches without a
    // stale warning; here every pass comes within 2 minutes, so each warns once and breaches once)
    expect(totals).toEqual({ warned: COUNT, breached: COUNT, escalated: COUNT });
    const count = async (table: 'sla_clock_events' | 'ticket_events', type: string) =>
      Number(
        (
          await db
            .selectFrom(table)
            .select(sql<number>`count(*)`.as('n'))
            .where('type', '=', type)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('sla_clock_events', 'warn')).toBe(COUNT);
    expect(await count('sla_clock_events', 'breach')).toBe(COUNT);
    expect(await count('ticket_events', 'sla_warn')).toBe(COUNT);
    expect(await count('ticket_events', 'sla_breach')).toBe(COUNT);
    expect(await count('ticket_events', 'escalate')).toBe(COUNT);
    const twice = await db
      .selectFrom('sla_clock_events')
      .select(['clock_id', 'type'])
      .groupBy(['clock_id', 'type'])
      .having(sql<number>`count(*)`, '>', 1)
      .limit(5)
      .execute();
    expect(twice).toEqual([]);
    const left = await db
      .selectFrom('sla_clocks')
      .select(sql<number>`count(*)`.as('n'))
      .where((eb) => eb.or([eb('warned_at', 'is', null), eb('breached_at', 'is', null)]))
      .executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(0);
  }, 600_000);
});
