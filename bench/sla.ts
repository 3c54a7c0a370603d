/**
 * `npx tsx bench/sla.ts`: the SLA scheduler (§3) as the number of open clocks grows. For each size
 * (BENCH_SLA_SIZES, default 1,000 / 10,000 / 100,000 / 1,000,000) the open clocks — each on its own
 * open request, due far in the future — are loaded in bulk into a fresh database, then:
 *
 * - idle pass: one `runOnce()` when nothing is due (the cost paid every second by every server);
 * - firing pass: one `runOnce()` that fires a batch of 500 due breaches, each escalating its
 *   request (R26) with its timeline step and audit record (median of three);
 * - delay: the real scheduler loop (`start()`, system clock) with 200 clocks falling due over the
 *   3 to 7 seconds after they are stored: how long after its due time each breach was recorded.
 *
 * Environment: BENCH_SLA_SIZES (comma list), BENCH_DATABASE_URL (a PostgreSQL server: a fresh
 * database estatedesk_bench_<random> is created there and dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { buildServices } from '../src/server/app.js';
import { loadOpenClocks } from '../src/server/modules/sla/sla.load.js';
import { SlaRepository } from '../src/server/modules/sla/sla.repository.js';
import { SlaScheduler } from '../src/server/modules/sla/sla.scheduler.js';
import { systemClock } from '../src/server/platform/clock.js';
import { loadConfig } from '../src/server/platform/config.js';
import { systemContext } from '../src/server/platform/context.js';
import { openDatabase } from '../src/server/platform/db/database.js';
import { migrateToLatest } from '../src/server/platform/db/migrate.js';

const SIZES = (process.env.BENCH_SLA_SIZES ?? '1000,10000,100000,1000000').split(',').map(Number);
const PG_ADMIN_URL = process.env.BENCH_DATABASE_URL?.trim() || null;
const DAY = 24 * 3_600_000;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};
const ms = (n: number) => n.toFixed(n < 10 ? 2 : 1);

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'estatedesk-bench-sla-'));
  let databaseUrl: string | null = null;
  const dbName = `estatedesk_bench_${randomBytes(4).toString('hex')}`;
  if (PG_ADMIN_URL) {
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }
  const database = openDatabase({ databaseUrl, dataDir, poolSize: 5, onIdleError: () => {} });
  try {
    await migrateToLatest(database.db, database.dialect);
    const config = loadConfig({
      DATA_DIR: dataDir,
      WEB_DIR: '/nonexistent',
      ESTATEDESK_ADMIN_PASSWORD: 'Bench2026x',
    });
    const services = buildServices(database, config, systemClock);
    const community = await services.registry.createCommunity(systemContext(), {
      name: '基准小区',
      code: 'BENCH',
    });
    const db = database.db;
    const scheduler = (clockOptions = {}) =>
      new SlaScheduler(
        db,
        new SlaRepository(db, database.dialect),
        services.ticketActions,
        services.tickets,
        systemClock,
        clockOptions,
      );
    console.log(
      `SLA bench on ${database.dialect}; Node ${process.version}; ${cpus()[0]?.model ?? '?'} × ${cpus().length}`,
    );
    console.log(
      '| open clocks | load s | idle pass p50 ms | idle pass p95 ms | firing pass (500 breaches) ms | per breach ms | delay p50 ms | delay p95 ms | delay max ms |',
    );
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    let loaded = 0;
    let batch = 0;
    for (const size of SIZES) {
      // the open clocks, all due a day or more from now: they are what a pass must NOT read
      const t0 = performance.now();
      const now0 = new Date();
      if (size > loaded) {
        await loadOpenClocks(db, {
          communityId: community.id,
          count: size - loaded,
          firstDue: new Date(now0.getTime() + DAY),
          spacingMs: 1000,
          warnBeforeMs: 60_000,
          startedAt: now0,
          prefix: `O${size}-`,
        });
        if (database.dialect === 'postgres') await sql`analyze`.execute(db);
        // a bulk load leaves its pages in SQLite's write-ahead log: fold them into the database
        // now, or the first commits after it pay for that (a server never loads a million at once)
        database.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
        loaded = size;
      }
      const loadSeconds = (performance.now() - t0) / 1000;

      const s = scheduler();
      const idle: number[] = [];
      for (let i = 0; i < 200; i++) {
        const t = performance.now();
        const r = await s.runOnce(new Date());
        idle.push(performance.now() - t);
        if (r.claimed) throw new Error('an idle pass fired something');
      }

      // batches of 500 due clocks among the open ones: the median of three passes
      const firings: number[] = [];
      for (let k = 0; k < 3; k++) {
        batch++;
        await loadOpenClocks(db, {
          communityId: community.id,
          count: 500,
          firstDue: new Date(Date.now() - 60_000),
          spacingMs: 1,
          warnBeforeMs: 0,
          startedAt: new Date(Date.now() - 600_000),
          prefix: `F${batch}-`,
        });
        const tf = performance.now();
        const fired = await s.runOnce(new Date());
        firings.push(performance.now() - tf);
        if (fired.breached !== 500) throw new Error(`fired ${fired.breached} breaches, expected 500`);
      }
      const firingMs = percentile(firings, 50);

      // the real loop: 200 clocks falling due 3 to 7 s from now (after their insert is committed)
      batch++;
      const prefix = `D${batch}-`;
      const live = scheduler();
      live.start();
      await loadOpenClocks(db, {
        communityId: community.id,
        count: 200,
        firstDue: new Date(Date.now() + 3000),
        spacingMs: 20,
        warnBeforeMs: 0,
        startedAt: new Date(),
        prefix,
      });
      const deadline = Date.now() + 30_000;
      let delays: number[] = [];
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        const rows = await db
          .selectFrom('sla_clocks')
          .innerJoin('tickets', 'tickets.id', 'sla_clocks.ticket_id')
          .select(['sla_clocks.due_at', 'sla_clocks.breached_at'])
          .where('tickets.number', 'like', `${prefix}%`)
          .execute();
        if (rows.every((r) => r.breached_at)) {
          delays = rows.map((r) => new Date(r.breached_at!).getTime() - new Date(r.due_at).getTime());
          break;
        }
      }
      await live.stop();
      if (!delays.length) throw new Error('the live scheduler did not fire within 30 s');
      console.log(
        `| ${size.toLocaleString('en')} | ${loadSeconds.toFixed(1)} | ${ms(percentile(idle, 50))} | ${ms(percentile(idle, 95))} | ${ms(firingMs)} | ${ms(firingMs / 500)} | ${ms(percentile(delays, 50))} | ${ms(percentile(delays, 95))} | ${ms(Math.max(...delays))} |`,
      );
    }
  } finally {
    await database.close();
    if (PG_ADMIN_URL) {
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
