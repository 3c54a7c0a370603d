import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { expectEachClockFiredOnce } from '../../../../test/helpers/sla.js';
import { buildServices } from '../../app.js';
import { type Database, openDatabase } from '../../platform/db/database.js';
import { loadOpenClocks } from './sla.load.js';
import { SlaRepository } from './sla.repository.js';
import { type FireResult, SlaScheduler } from './sla.scheduler.js';

const MIN = 60_000;
const COUNT = 6_000;

/**
 * Several servers on one PostgreSQL database (§3): each runs its own scheduler on its own pool of
 * connections, and still every clock fires once — the claims skip each other's locked rows.
 */
describe.runIf(dialects().includes('postgres'))('SLA firing with two servers on PostgreSQL', () => {
  let t: TestApp;
  const pools: Database[] = [];
  beforeAll(async () => {
    t = await createTestApp('postgres');
  }, 120_000);
  afterAll(async () => {
    for (const pool of pools) await pool.close();
    await t?.close();
  });

  /** A scheduler of its own, as another server would have: its own pool, services and batches. */
  const server = () => {
    const database = openDatabase({ databaseUrl: t.testDb.databaseUrl, poolSize: 3, onIdleError: () => {} });
    pools.push(database);
    const services = buildServices(database, t.config, t.clock);
    return new SlaScheduler(
      database.db,
      new SlaRepository(database.db, 'postgres'),
      services.ticketActions,
      services.tickets,
      t.clock,
      { batchSize: 40 },
    );
  };

  it('R26: two schedulers firing side by side never fire a clock twice, and fire every one', async () => {
    const db = t.testDb.database.db;
    const start = t.clock.now();
    await loadOpenClocks(db, {
      communityId: t.world.communityA.id,
      count: COUNT,
      firstDue: new Date(start.getTime() + 10 * MIN),
      spacingMs: (4 * MIN) / COUNT,
      warnBeforeMs: 2 * MIN,
      startedAt: start,
    });
    const [a, b] = [server(), server()];
    const totals = new Map<SlaScheduler, FireResult>([
      [a, { claimed: 0, warned: 0, breached: 0, escalated: 0 }],
      [b, { claimed: 0, warned: 0, breached: 0, escalated: 0 }],
    ]);
    const drain = async (s: SlaScheduler, now: Date) => {
      for (;;) {
        const r = await s.runOnce(now);
        const sum = totals.get(s)!;
        for (const k of ['claimed', 'warned', 'breached', 'escalated'] as const) sum[k] += r[k];
        if (r.claimed === 0) return;
      }
    };
    for (let offset = 9 * MIN; offset <= 15 * MIN; offset += MIN) {
      const now = new Date(start.getTime() + offset);
      await Promise.all([drain(a, now), drain(b, now)]);
    }
    const [ra, rb] = [totals.get(a)!, totals.get(b)!];
    // both did part of the work, and together exactly all of it
    expect(ra.warned + ra.breached).toBeGreaterThan(0);
    expect(rb.warned + rb.breached).toBeGreaterThan(0);
    expect(ra.warned + rb.warned).toBe(COUNT);
    expect(ra.breached + rb.breached).toBe(COUNT);
    expect(ra.escalated + rb.escalated).toBe(COUNT);
    await expectEachClockFiredOnce(db, COUNT);
  }, 300_000);
});
