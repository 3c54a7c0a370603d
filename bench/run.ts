/**
 * `npm run bench` (tsx bench/run.ts): the real app on a fresh database loaded with a large demo
 * dataset, measured over loopback. See docs/benchmarks.md for what is measured and the results.
 *
 * Environment:
 *   BENCH_RESIDENTS     residents to load (default 10000)
 *   BENCH_TICKETS       requests (工单) to load first (default residents / 2)
 *   BENCH_DATABASE_URL  a PostgreSQL server to use instead of SQLite; a fresh database
 *                       estatedesk_bench_<random> is created on it and dropped afterwards
 *   BENCH_CONNECTIONS   concurrent client connections, or a list of them run in turn
 *                       (default "1,8": latency of one desk alone, then throughput under load)
 *   BENCH_REQUESTS      measured requests per scenario (default 3000)
 *   BENCH_SECONDS       time cap per scenario (default 15)
 *   BENCH_OUT           also write the results as JSON to this file
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp, buildServices } from '../src/server/app.js';
import { generateDemo } from '../src/server/modules/demo/demo.generator.js';
import { systemClock } from '../src/server/platform/clock.js';
import { loadConfig } from '../src/server/platform/config.js';
import { openDatabase } from '../src/server/platform/db/database.js';
import { migrateToLatest } from '../src/server/platform/db/migrate.js';
import type { LoadJob, LoadResult } from './load.js';
import { runLoadInWorker } from './load-runner.js';

// `npm run bench -- language`: the service-language checker micro-benchmark instead (bench/language.ts).
if (process.argv[2] === 'language') {
  await import('./language.js');
  process.exit(process.exitCode ?? 0);
}

function whole(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

const RESIDENTS = whole('BENCH_RESIDENTS', 10_000, 50, 1_000_000);
const TICKETS = whole('BENCH_TICKETS', Math.round(RESIDENTS / 2), 0, 1_000_000);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS?.trim() || '1,8').split(',').map((part) => {
  const value = Number(part.trim());
  if (!Number.isInteger(value) || value < 1 || value > 256) {
    console.error(`BENCH_CONNECTIONS must be whole numbers from 1 to 256, got "${part}"`);
    process.exit(2);
  }
  return value;
});
const REQUESTS = whole('BENCH_REQUESTS', 3000, 10, 1_000_000);
const SECONDS = whole('BENCH_SECONDS', 15, 1, 600);
const PG_ADMIN_URL = process.env.BENCH_DATABASE_URL?.trim() || null;

/** Dataset shape: 4 communities of 2-unit towers, floors 2..18, 2 flats a floor (68 rooms a tower). */
const COMMUNITIES = 4;
const ROOMS_PER_BUILDING = 2 * 17 * 2;
/** Residents per room (vacant ones included) the demo generator draws on average (~1.27), less a margin. */
const RESIDENTS_PER_ROOM = 1.25;

const cleanups: (() => Promise<void>)[] = [];
let cleaningUp = false;
async function cleanup() {
  cleaningUp = true;
  for (const step of cleanups.splice(0).reverse()) {
    try {
      await step();
    } catch (error) {
      console.error('cleanup failed:', error);
    }
  }
}
/** Whatever happens, the temp dir and the PostgreSQL database go away (and never wait forever). */
function abort(code: number) {
  setTimeout(() => process.exit(code), 10_000).unref();
  void cleanup().finally(() => process.exit(code));
}
process.on('SIGINT', () => abort(130));
process.on('uncaughtException', (error) => {
  // A pool connection still saying goodbye when its database is dropped `with (force)` is
  // terminated (57P01), and the pool, which has no 'error' listener, throws: expected here.
  if (cleaningUp && (error as { code?: string }).code === '57P01') return;
  // otherwise e.g. PostgreSQL dropped an idle connection mid-run
  console.error(error);
  abort(1);
});

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'estatedesk-bench-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));

  let databaseUrl: string | null = null;
  if (PG_ADMIN_URL) {
    const name = `estatedesk_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    cleanups.push(async () => {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    });
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  }

  const config = loadConfig({
    DATA_DIR: dataDir,
    WEB_DIR: '/nonexistent',
    LOG_LEVEL: 'silent',
    ESTATEDESK_ADMIN_PASSWORD: `bench-${randomBytes(6).toString('hex')}1`,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const database = openDatabase({ databaseUrl, dataDir: config.dataDir });
  cleanups.push(async () => {
    await database.close();
    // let PostgreSQL see the connections go before the database is dropped
    if (databaseUrl) await new Promise((resolve) => setTimeout(resolve, 200));
  });
  await migrateToLatest(database.db, database.dialect);
  const services = buildServices(database, config, systemClock);
  await services.auth.ensureAdmin(config.adminPassword);

  const buildingsPerCommunity = Math.max(
    1,
    Math.ceil(RESIDENTS / (COMMUNITIES * ROOMS_PER_BUILDING * RESIDENTS_PER_ROOM)),
  );
  console.log(
    `loading ${RESIDENTS} residents and ${TICKETS} requests into ${database.dialect} ` +
      `(${COMMUNITIES} communities × ${buildingsPerCommunity} buildings)…`,
  );
  // Loading only: SQLite skips the per-commit fsync (synchronous=NORMAL, still crash-safe in
  // WAL mode); the measured phase runs with the production setting (FULL) again.
  database.sqlite?.pragma('synchronous = NORMAL');
  let lastProgress = '';
  const dataset = await generateDemo(services, {
    seed: 1,
    communities: COMMUNITIES,
    buildingsPerCommunity,
    maxResidents: RESIDENTS,
    tickets: TICKETS,
    concurrency: database.dialect === 'postgres' ? 8 : 4,
    onProgress: (phase, done, total) => {
      const line = `  ${phase} ${done}/${total}`;
      if ((done % 5000 === 0 || done === total) && line !== lastProgress) console.log(line);
      lastProgress = line;
    },
  });
  database.sqlite?.pragma('synchronous = FULL');
  // PostgreSQL's autovacuum would analyze the new tables shortly; do it now so plans do not
  // depend on its timing. SQLite runs as the product ships it (the app never runs ANALYZE).
  if (database.dialect === 'postgres') await sql`analyze`.execute(database.db);
  const loadSeconds = dataset.elapsedMs / 1000;
  console.log(`dataset loaded in ${loadSeconds.toFixed(1)} s:`, dataset.counts);

  const app = await buildApp({ config, database });
  cleanups.push(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const baseUrl = `http://127.0.0.1:${address.port}`;

  // agent01 works in the first community: every scenario runs within that scope
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'agent01', password: dataset.password }),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const community = dataset.communities[0]!;
  const mine = dataset.residents.filter((r) => r.communityId === community.id);
  const sample = mine.filter((_, i) => i % Math.max(1, Math.floor(mine.length / 500)) === 0).slice(0, 500);
  const rareSurname = '汤';

  const common = {
    baseUrl,
    headers: { cookie },
    connections: 1,
    maxRequests: REQUESTS,
    maxSeconds: SECONDS,
    warmup: Math.min(200, REQUESTS),
  };
  const jobs: LoadJob[] = [
    {
      ...common,
      name: 'GET /tickets?communityId= (first page)',
      method: 'GET',
      paths: [`/api/v1/tickets?communityId=${community.id}`],
      expectStatus: 200,
    },
    {
      ...common,
      name: 'GET /residents?q=<尾号, 4 digits>',
      method: 'GET',
      paths: sample.map((r) => `/api/v1/residents?q=${r.phone.slice(-4)}`),
      expectStatus: 200,
    },
    {
      ...common,
      name: 'GET /residents?q=王 (common surname)',
      method: 'GET',
      paths: [`/api/v1/residents?q=${encodeURIComponent('王')}`],
      expectStatus: 200,
    },
    {
      ...common,
      name: `GET /residents?q=${rareSurname} (rare surname)`,
      method: 'GET',
      paths: [`/api/v1/residents?q=${encodeURIComponent(rareSurname)}`],
      expectStatus: 200,
    },
    {
      ...common,
      name: 'POST /tickets (Idempotency-Key)',
      method: 'POST',
      paths: ['/api/v1/tickets'],
      headers: { cookie, 'x-csrf-token': csrfToken },
      idempotencyKey: true,
      bodies: sample.map((r) => ({
        communityId: community.id,
        roomId: r.roomId,
        residentId: r.id,
        type: 'repair',
        channel: 'phone',
        content: '卫生间漏水（压测）',
      })),
      expectStatus: 201,
    },
  ];

  const results: (LoadResult & { connections: number })[] = [];
  for (const connections of CONNECTIONS) {
    for (const job of jobs) {
      const result = { ...(await runLoadInWorker({ ...job, connections })), connections };
      results.push(result);
      const errors = result.errors ? `, ${result.errors} errors (first: ${result.firstError})` : '';
      console.log(
        `  [${connections}] ${result.name}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(1)} ms, ` +
          `p95 ${result.p95.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms${errors}`,
      );
    }
  }

  const environment = {
    date: new Date().toISOString(),
    node: process.version,
    dialect: database.dialect,
    cpus: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    dataset: dataset.counts,
    loadSeconds,
  };
  const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');
  console.log(
    `\n${environment.date.slice(0, 10)}, Node ${environment.node}, ${environment.dialect}, ` +
      `${environment.cpus} CPUs, ${environment.memoryGiB} GiB; ` +
      `${dataset.counts.residents} residents, ${dataset.counts.rooms} rooms, ` +
      `${dataset.counts.tickets} requests loaded in ${loadSeconds.toFixed(1)} s\n`,
  );
  console.log('| scenario | conn. | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${r.connections} | ${r.requests} | ${r.errors} | ${r.rps.toFixed(0)} | ` +
        `${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${fmt(r.max)} |`,
    );
  }
  const out = process.env.BENCH_OUT?.trim();
  if (out) writeFileSync(out, `${JSON.stringify({ environment, results }, null, 2)}\n`);
  const broken = results.filter((r) => r.requests === 0 || r.errors > 0);
  for (const r of broken) console.error(`${r.name} [${r.connections}]: ${r.errors} errors of ${r.requests}`);
  if (broken.length) process.exitCode = 1;
}

main()
  .then(cleanup)
  .catch(async (error) => {
    console.error(error);
    await cleanup();
    process.exitCode = 1;
  });
