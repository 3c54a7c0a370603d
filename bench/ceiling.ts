/**
 * `npm run bench -- ceiling`: what this machine can do at best, measured in the same run as the
 * app, so that every figure can be read as a share of it (absolute times on shared machines vary
 * from run to run; the ratio much less).
 *
 * - HTTP: a bare Fastify hello-world (same Fastify version, no plugins, no logger) listening on
 *   loopback in the bench's main thread, loaded by autocannon in a worker thread with the same
 *   settings as the app scenarios (bench/cannon.ts): the most any route of the app could reach.
 * - Database: the raw insert rate of one row per transaction, one connection, on SQLite opened by
 *   the app's own openDatabase() (WAL, synchronous=FULL: an fsync per commit) and, with
 *   BENCH_DATABASE_URL, on PostgreSQL (a scratch table, dropped afterwards).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import pg from 'pg';
import { openDatabase } from '../src/server/platform/db/database.js';
import { type CannonResult, runCannon } from './cannon.js';
import { envWhole } from './common.js';
import type { SummaryRow } from './summary.js';

/** Load settings shared by the ceiling and the app scenarios. */
export interface LoadSettings {
  connections: number;
  seconds: number;
  warmupSeconds: number;
}

export function loadSettings(): LoadSettings {
  return {
    connections: envWhole('BENCH_LOAD_CONNECTIONS', 50, 1, 1000),
    seconds: envWhole('BENCH_LOAD_SECONDS', 10, 1, 600),
    warmupSeconds: envWhole('BENCH_WARMUP_SECONDS', 2, 0, 60),
  };
}

/** The hello-world ceiling: a bare Fastify app, served and loaded exactly as the app is. */
export async function helloWorld(settings: LoadSettings): Promise<CannonResult> {
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    return await runCannon({
      name: 'GET / (bare Fastify hello-world)',
      url: `http://127.0.0.1:${address.port}/`,
      method: 'GET',
      expectStatus: 200,
      ...settings,
    });
  } finally {
    await app.close();
  }
}

export interface InsertRate {
  dialect: 'sqlite' | 'postgres';
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** Commit latency percentiles, ms. */
  p50: number;
  p99: number;
}

const ROW_CONTENT = '卫生间漏水，楼下邻居反映天花板有水渍，请尽快安排师傅上门查看（压测）';

function summarize(dialect: InsertRate['dialect'], times: number[], seconds: number): InsertRate {
  const sorted = Float64Array.from(times).sort();
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
  return {
    dialect,
    rows: times.length,
    seconds,
    rowsPerSecond: times.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
  };
}

/** One row per transaction (autocommit), one connection, for `seconds`, after a short warm-up. */
export async function insertRate(
  dialect: 'sqlite' | 'postgres',
  seconds: number,
  pgUrl: string | null,
): Promise<InsertRate> {
  const row = (i: number) => [`r${i.toString().padStart(10, '0')}`, 'c0001', 'received', ROW_CONTENT];
  const columns =
    'id text primary key, community_id text not null, status text not null, content text not null';
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'estatedesk-ceiling-'));
    // the app's own connection: same file layout and pragmas (WAL, synchronous=FULL, …)
    const database = openDatabase({ databaseUrl: null, dataDir: dir });
    try {
      const handle = database.sqlite;
      if (!handle) throw new Error('not SQLite');
      handle.exec(`create table ceiling (${columns})`);
      const insert = handle.prepare('insert into ceiling values (?, ?, ?, ?)');
      const run = async (until: number, times: number[] | null, from: number) => {
        let i = from;
        while (performance.now() < until) {
          const started = performance.now();
          insert.run(...row(i++));
          times?.push(performance.now() - started);
        }
        return i;
      };
      const next = await run(performance.now() + 300, null, 0);
      const times: number[] = [];
      const started = performance.now();
      await run(started + seconds * 1000, times, next);
      return summarize('sqlite', times, (performance.now() - started) / 1000);
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (!pgUrl) throw new Error('PostgreSQL needs BENCH_DATABASE_URL');
  const table = `estatedesk_bench_ceiling_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    await client.query(`create table ${table} (${columns})`);
    const text = `insert into ${table} values ($1, $2, $3, $4)`;
    const run = async (until: number, times: number[] | null, from: number) => {
      let i = from;
      while (performance.now() < until) {
        const started = performance.now();
        await client.query({ name: 'ceiling_insert', text, values: row(i++) });
        times?.push(performance.now() - started);
      }
      return i;
    };
    const next = await run(performance.now() + 300, null, 0);
    const times: number[] = [];
    const started = performance.now();
    await run(started + seconds * 1000, times, next);
    return summarize('postgres', times, (performance.now() - started) / 1000);
  } finally {
    await client.query(`drop table if exists ${table}`);
    await client.end();
  }
}

export interface Ceiling {
  settings: LoadSettings;
  helloWorld: CannonResult;
  inserts: InsertRate[];
}

/** The whole ceiling: hello-world, then the insert rates (SQLite; PostgreSQL with a URL). */
export async function measureCeiling(settings: LoadSettings, pgUrl: string | null): Promise<Ceiling> {
  const hello = await helloWorld(settings);
  const insertSeconds = Math.min(settings.seconds, 5);
  const inserts = [await insertRate('sqlite', insertSeconds, null)];
  if (pgUrl) inserts.push(await insertRate('postgres', insertSeconds, pgUrl));
  return { settings, helloWorld: hello, inserts };
}

export function ceilingRows(ceiling: Ceiling): (string | number)[][] {
  const h = ceiling.helloWorld;
  return [
    ['ceiling', 'conn.', 'count', 'per s', 'p50 ms', 'p99 ms'],
    [h.name, h.connections, h.expected, h.rps.toFixed(0), h.p50.toFixed(1), h.p99.toFixed(1)],
    ...ceiling.inserts.map((r) => [
      `insert 1 row per transaction (${r.dialect})`,
      1,
      r.rows,
      r.rowsPerSecond.toFixed(0),
      r.p50.toFixed(2),
      r.p99.toFixed(2),
    ]),
  ];
}

/** The figures of docs/benchmarks.md's summary (bench/summary.ts) for the ceiling. */
export function ceilingSummary(ceiling: Ceiling): SummaryRow[] {
  const h = ceiling.helloWorld;
  return [
    {
      scenario: 'ceiling: bare Fastify hello-world',
      dialect: '–',
      metric: `throughput, ${h.connections} connections`,
      value: h.rps,
      unit: 'req/s',
    },
    {
      scenario: 'ceiling: bare Fastify hello-world',
      dialect: '–',
      metric: 'p99 latency',
      value: h.p99,
      unit: 'ms',
    },
    ...ceiling.inserts.map((r) => ({
      scenario: 'ceiling: insert 1 row per transaction, 1 connection',
      dialect: r.dialect,
      metric: 'insert rate',
      value: r.rowsPerSecond,
      unit: 'rows/s',
    })),
  ];
}
