import { type Kysely, sql } from 'kysely';
import { expect } from 'vitest';
import type { DB } from '../../src/server/platform/db/schema.js';

/**
 * After `count` loaded clocks (sla.load.ts) have all come due: each warned once and breached once,
 * each on its request's timeline, and each request escalated exactly one level — however many
 * schedulers raced for them.
 */
export async function expectEachClockFiredOnce(db: Kysely<DB>, count: number) {
  const twice = await db
    .selectFrom('sla_clock_events')
    .select(['clock_id', 'type'])
    .groupBy(['clock_id', 'type'])
    .having(sql<number>`count(*)`, '>', 1)
    .limit(5)
    .execute();
  expect(twice).toEqual([]);
  const steps = await db
    .selectFrom('ticket_events')
    .select(['type', sql<number>`count(*)`.as('n')])
    .where('type', 'in', ['sla_warn', 'sla_breach', 'escalate'])
    .groupBy('type')
    .orderBy('type')
    .execute();
  expect(steps.map((s) => [s.type, Number(s.n)])).toEqual([
    ['escalate', count],
    ['sla_breach', count],
    ['sla_warn', count],
  ]);
  // one level each: no request went up twice for its one breach
  const levels = await db
    .selectFrom('tickets')
    .select(['escalation_level', sql<number>`count(*)`.as('n')])
    .where('number', 'like', 'L%')
    .groupBy('escalation_level')
    .execute();
  expect(levels.map((l) => [l.escalation_level, Number(l.n)])).toEqual([[1, count]]);
}
