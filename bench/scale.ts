/**
 * `npm run bench -- scale` (or `npx tsx bench/scale.ts`): the large operator. Loads BENCH_COMMUNITIES
 * communities, BENCH_RESIDENTS residents and BENCH_TICKETS requests (defaults 200 / 1,000,000 /
 * 5,000,000) with the bulk generator (src/server/modules/demo/bulk.ts) into a fresh SQLite file and,
 * with BENCH_DATABASE_URL, a fresh PostgreSQL database (estatedesk_bench_<random>, dropped after);
 * then starts the real server entry point (dist/server/main.js) as a child process on loopback and
 * measures over HTTP, one desk at a time (one request in flight: latency, not throughput):
 *
 * - queue: an agent's queue view of their community — the SLA board (running clocks by due time,
 *   GET /sla/board: the first page, and the 500 the console loads for its countdowns), the
 *   overdue queue, and the request list the console pages through (GET /tickets: first page, a
 *   deep page by its cursor, the 待派单 and 挂起 views);
 * - lookup: resident search (GET /residents?q=) by 尾号, room code, full name and name prefix, for
 *   the agent (one community) and an admin (the whole company);
 * - memory: the server's RSS, which it reports itself every 100 ms (bench/rss-probe.mjs): idle after
 *   the load, and the peak during the queue and lookup loops.
 *
 * Targets (issue 9): queue and lookup p99 ≤ 20 ms, RSS ≤ 300 MB. BENCH_SMOKE=1: tiny sizes (3 / 300 /
 * 2,000), a few requests each — it checks the benchmark works, not how fast anything is.
 * BENCH_REQUESTS: measured requests per scenario (default 500).
 *
 * BENCH_SCALE_KEEP=<dir>: keep what was loaded — the SQLite files in <dir>/sqlite-<sizes>/, the
 * PostgreSQL database estatedesk_bench_keep_<sizes> — with a manifest (what the loader returned, the
 * deep-page cursors, the bench admin's password), and on a later run with the same sizes measure
 * that data again instead of loading it (minutes instead of an hour at full size). The load figures
 * reported are then the ones of the run that loaded it (`reused: true` in the JSON). Delete the
 * directory (and drop the database) to load afresh.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { buildServices } from '../src/server/app.js';
import { type BulkResult, generateBulk } from '../src/server/modules/demo/bulk.js';
import { systemClock } from '../src/server/platform/clock.js';
import { loadConfig } from '../src/server/platform/config.js';
import { type DialectName, openDatabase } from '../src/server/platform/db/database.js';
import { migrateToLatest } from '../src/server/platform/db/migrate.js';
import { encodeCursor } from '../src/server/platform/schemas.js';
import { envWhole, machine, table, writeResult } from './common.js';
import { percentile } from './load.js';

const root = join(import.meta.dirname, '..');
const SMOKE = process.env.BENCH_SMOKE === '1';
const PG_ADMIN_URL = process.env.BENCH_DATABASE_URL?.trim() || null;
const KEEP_DIR = SMOKE ? null : process.env.BENCH_SCALE_KEEP?.trim() || null;
const FRESH_ADMIN_PASSWORD = `Bench-${randomBytes(6).toString('hex')}1`;
/** Issue 9's targets. */
const TARGET_P99_MS = 20;
const TARGET_RSS_MB = 300;
const PAGE = 30;
/** The deep page: the 100th of the console's pages of 30. */
const DEEP_PAGE = 100;

interface Sizes {
  communities: number;
  residents: number;
  tickets: number;
  requests: number;
}

function sizes(): Sizes {
  // smoke: tiny and fixed (bench/index.ts sets BENCH_RESIDENTS for the other benchmarks' smoke runs)
  if (SMOKE)
    return {
      communities: 3,
      residents: 300,
      tickets: 2_000,
      requests: envWhole('BENCH_REQUESTS', 20, 1, 100_000),
    };
  const communities = envWhole('BENCH_COMMUNITIES', 200, 1, 9_999);
  return {
    communities,
    residents: envWhole('BENCH_RESIDENTS', 1_000_000, communities, 100_000_000),
    tickets: envWhole('BENCH_TICKETS', 5_000_000, 0, 1_000_000_000),
    requests: envWhole('BENCH_REQUESTS', 500, 1, 1_000_000),
  };
}

export interface Latency {
  scenario: string;
  who: string;
  requests: number;
  errors: number;
  firstError: string | null;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

interface Run {
  dialect: DialectName;
  server: string;
  /** Measured on data kept by an earlier run (BENCH_SCALE_KEEP): its load figures are that run's. */
  reused: boolean;
  load: {
    seconds: number;
    indexSeconds: number;
    analyzeSeconds: number;
    totalSeconds: number;
    tables: BulkResult['tables'];
    counts: BulkResult['counts'];
    statuses: Record<string, number>;
  };
  /** Clocks already due when the server started, and how long it took to fire them all. */
  slaCatchUp: { backlog: number; seconds: number };
  latencies: Latency[];
  memory: { idleMB: number; idlePeakMB: number; underLoadPeakMB: number; afterMB: number; samples: number };
}

const cleanups: (() => Promise<void>)[] = [];
async function cleanup() {
  for (const step of cleanups.splice(0).reverse()) {
    try {
      await step();
    } catch (error) {
      console.error('cleanup failed:', error);
    }
  }
}

/**
 * The server the product ships (dist/server/main.js), built if stale; else the sources via tsx.
 * The smoke run (CI) takes the sources: it checks the benchmark works, and building the server
 * (~20 s of tsc) would be most of its time.
 */
export function serverCommand(): { args: string[]; label: string } {
  const probe = join(root, 'bench', 'rss-probe.mjs');
  const sources = {
    args: ['--import', 'tsx', '--import', probe, join(root, 'src/server/main.ts')],
    label: 'src/server/main.ts (tsx)',
  };
  if (SMOKE) return sources;
  try {
    execFileSync(process.execPath, [join(root, 'scripts', 'build-if-needed.mjs'), '--server-only'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch {
    // a build that reports type errors still emits; a missing one falls back to the sources
  }
  const main = join(root, 'dist', 'server', 'main.js');
  if (existsSync(main)) return { args: ['--import', probe, main], label: 'dist/server/main.js' };
  return sources;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The server in its own process, reporting its RSS; resolves once /readyz answers. */
export async function startServer(command: { args: string[] }, env: Record<string, string>) {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, command.args, {
    cwd: root,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      WEB_DIR: '/nonexistent',
      ESTATEDESK_ADMIN_PASSWORD: FRESH_ADMIN_PASSWORD,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  });
  const rss = { samples: [] as number[], mark: 0 };
  child.on('message', (message: { rss?: number }) => {
    if (typeof message.rss === 'number') rss.samples.push(message.rss);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not become ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    rss,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function login(url: string, user: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: user, password }),
  });
  if (res.status !== 200) throw new Error(`login ${user} failed: ${res.status} ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/**
 * One desk at a time: `requests` GETs, each sent when the last has been answered, paths in turn,
 * after a warm-up; every answer must be 200. The server is another process, so the client's own
 * loop steals nothing from it.
 */
async function measure(
  url: string,
  cookie: string,
  scenario: string,
  who: string,
  paths: string[],
  requests: number,
): Promise<Latency> {
  const warmup = Math.min(30, requests);
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  for (let i = 0; i < warmup + requests; i++) {
    const path = paths[i % paths.length]!;
    const started = performance.now();
    let status = 0;
    let body = '';
    try {
      const res = await fetch(url + path, { headers: { cookie } });
      body = await res.text();
      status = res.status;
    } catch (error) {
      body = String(error);
    }
    const elapsed = performance.now() - started;
    if (i < warmup) continue;
    latencies.push(elapsed);
    if (status !== 200) {
      errors++;
      firstError ??= `${status} ${path} ${body.slice(0, 200)}`;
    }
  }
  const sorted = Float64Array.from(latencies).sort();
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    scenario,
    who,
    requests: latencies.length,
    errors,
    firstError,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
  };
}

const MB = 1024 * 1024;
const peak = (samples: number[]) => Math.round((Math.max(0, ...samples) / MB) * 10) / 10;

/** What a kept load leaves next to its data, so that a later run can measure it again. */
interface Manifest {
  sizes: Omit<Sizes, 'requests'>;
  result: BulkResult;
  deepCursor: string;
  deepCursorAll: string;
  adminPassword: string;
  databaseName: string | null;
}

async function pgAdmin(sql: string): Promise<pg.QueryResult> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL! });
  await admin.connect();
  try {
    return await admin.query(sql);
  } finally {
    await admin.end();
  }
}

function databaseUrlFor(name: string): string {
  const u = new URL(PG_ADMIN_URL!);
  u.pathname = `/${name}`;
  return u.toString();
}

async function runDialect(
  dialect: DialectName,
  size: Sizes,
  command: { args: string[]; label: string },
): Promise<Run> {
  const sizeKey = `${size.communities}-${size.residents}-${size.tickets}`;
  const keepDir = KEEP_DIR ? join(KEEP_DIR, `${dialect}-${sizeKey}`) : null;
  const manifestPath = keepDir ? join(keepDir, 'manifest.json') : null;
  let kept: Manifest | null = null;
  if (manifestPath && existsSync(manifestPath)) {
    kept = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (
      kept.databaseName &&
      (await pgAdmin(`select 1 from pg_database where datname = '${kept.databaseName}'`)).rowCount !== 1
    )
      throw new Error(
        `${manifestPath}: database ${kept.databaseName} is gone; delete ${keepDir} to load afresh`,
      );
  }
  const dataDir = keepDir ?? mkdtempSync(join(tmpdir(), 'estatedesk-bench-scale-'));
  if (keepDir) mkdirSync(keepDir, { recursive: true });
  else cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  let databaseUrl: string | null = null;
  if (dialect === 'postgres') {
    const name =
      kept?.databaseName ??
      (keepDir
        ? `estatedesk_bench_keep_${sizeKey.replaceAll('-', '_')}`
        : `estatedesk_bench_${randomBytes(4).toString('hex')}`);
    if (!kept) {
      if (keepDir) await pgAdmin(`drop database if exists ${name} with (force)`);
      await pgAdmin(`create database ${name}`);
    }
    if (!keepDir)
      cleanups.push(async () => void (await pgAdmin(`drop database if exists ${name} with (force)`)));
    databaseUrl = databaseUrlFor(name);
  }

  let result: BulkResult;
  let deepCursor: string;
  let deepCursorAll: string;
  let adminPassword: string;
  if (kept) {
    console.log(`\n### ${dialect}: measuring the data kept in ${keepDir} (loaded by an earlier run)`);
    ({ result, deepCursor, deepCursorAll, adminPassword } = kept);
  } else {
    adminPassword = FRESH_ADMIN_PASSWORD;
    ({ result, deepCursor, deepCursorAll } = await load(dialect, size, dataDir, databaseUrl, adminPassword));
    if (manifestPath) {
      const manifest: Manifest = {
        sizes: { communities: size.communities, residents: size.residents, tickets: size.tickets },
        result,
        deepCursor,
        deepCursorAll,
        adminPassword,
        databaseName: databaseUrl ? new URL(databaseUrl).pathname.slice(1) : null,
      };
      writeFileSync(manifestPath, JSON.stringify(manifest), { mode: 0o600 });
    }
  }
  return measureDialect(
    dialect,
    size,
    command,
    dataDir,
    databaseUrl,
    adminPassword,
    result,
    deepCursor,
    deepCursorAll,
    kept !== null,
  );
}

/** Waits (10 min at most) until the running server has fired every clock already due. */
async function slaCatchUp(
  databaseUrl: string | null,
  dataDir: string,
): Promise<{ backlog: number; seconds: number }> {
  const database = openDatabase({ databaseUrl, dataDir, poolSize: 1, onIdleError: () => {} });
  const started = performance.now();
  let backlog = 0;
  try {
    for (let first = true; ; first = false) {
      const row = await database.db
        .selectFrom('sla_clocks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('next_fire_at', '<=', new Date().toISOString())
        .executeTakeFirstOrThrow();
      const due = Number(row.n);
      if (first) backlog = due;
      if (due === 0 || performance.now() - started > 600_000) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await database.close();
  }
  return { backlog, seconds: (performance.now() - started) / 1000 };
}

/** Loads the large operator with the bulk generator; returns what it wrote and the deep-page cursors. */
async function load(
  dialect: DialectName,
  size: Sizes,
  dataDir: string,
  databaseUrl: string | null,
  adminPassword: string,
): Promise<{ result: BulkResult; deepCursor: string; deepCursorAll: string }> {
  console.log(
    `\n### ${dialect}: loading ${size.communities} communities, ${size.residents.toLocaleString()} residents, ` +
      `${size.tickets.toLocaleString()} requests`,
  );
  const database = openDatabase({ databaseUrl, dataDir, poolSize: 4, onIdleError: () => {} });
  let result: BulkResult;
  let deepCursor: string;
  let deepCursorAll: string;
  try {
    await migrateToLatest(database.db, database.dialect);
    const config = loadConfig({
      DATA_DIR: dataDir,
      WEB_DIR: '/nonexistent',
      ESTATEDESK_ADMIN_PASSWORD: adminPassword,
    });
    const services = buildServices(database, config, systemClock);
    await services.auth.ensureAdmin(adminPassword);
    await services.company.ensure();
    result = await generateBulk(database, {
      communities: size.communities,
      residents: size.residents,
      tickets: size.tickets,
      onProgress: (line) => console.log(line),
    });
    // the cursor the console holds on its 100th page (or the community's last full one)
    const cursorAt = async (communityId: string | null) => {
      const rows = await database.db
        .selectFrom('tickets')
        .select('id')
        .$if(communityId !== null, (q) => q.where('community_id', '=', communityId!))
        .orderBy('id', 'desc')
        .limit(PAGE * DEEP_PAGE)
        .execute();
      const at = Math.max(0, Math.min(rows.length, PAGE * (DEEP_PAGE - 1)) - 1);
      return rows.length ? encodeCursor(rows[at]!.id) : '';
    };
    deepCursor = await cursorAt(result.communities[0]!.id);
    deepCursorAll = await cursorAt(null);
  } finally {
    await database.close();
  }
  console.log(
    `loaded in ${result.totalSeconds.toFixed(1)} s (rows ${result.loadSeconds.toFixed(1)} s, indexes ${result.indexSeconds.toFixed(1)} s, ANALYZE ${result.analyzeSeconds.toFixed(1)} s)`,
  );
  console.log(
    table([
      ['table', 'rows', 'insert s', 'index s', 'rows/s'],
      ...result.tables
        .filter((t) => t.rows > 0)
        .map((t) => [
          t.table,
          t.rows.toLocaleString(),
          t.insertSeconds.toFixed(1),
          t.indexSeconds.toFixed(1),
          Math.round(t.rowsPerSecond).toLocaleString(),
        ]),
    ]),
  );
  return { result, deepCursor, deepCursorAll };
}

async function measureDialect(
  dialect: DialectName,
  size: Sizes,
  command: { args: string[]; label: string },
  dataDir: string,
  databaseUrl: string | null,
  adminPassword: string,
  result: BulkResult,
  deepCursor: string,
  deepCursorAll: string,
  reused: boolean,
): Promise<Run> {
  // ---- the server, measured over loopback --------------------------------------------------
  const server = await startServer(
    command,
    databaseUrl ? { DATABASE_URL: databaseUrl, DATA_DIR: dataDir } : { DATA_DIR: dataDir },
  );
  cleanups.push(() => server.stop());
  try {
    // The generator's requests are as of the moment it ran: the clocks that fell due while it
    // loaded (up to half an hour at full size) or since a kept load, the server fires and
    // escalates first. A live server fires them as they come; measuring during that backlog
    // would measure the catch-up, so it is waited for, and timed.
    const catchUp = await slaCatchUp(databaseUrl, dataDir);
    if (catchUp.backlog)
      console.log(
        `  SLA backlog: ${catchUp.backlog} clocks fired in ${catchUp.seconds.toFixed(1)} s before measuring`,
      );
    // idle: a few seconds after start, nothing asked
    await new Promise((resolve) => setTimeout(resolve, SMOKE ? 500 : 5_000));
    const idleSamples = [...server.rss.samples];
    const idleMB = Math.round(((idleSamples[idleSamples.length - 1] ?? 0) / MB) * 10) / 10;

    const first = result.communities[0]!;
    const agentName = `${first.code.toLowerCase()}.agent1`;
    const who = {
      agent: await login(server.url, agentName, result.password),
      admin: await login(server.url, 'admin', adminPassword),
    };
    server.rss.samples.length = 0;
    const c = first.id;
    const mine = result.samples.filter((s) => s.communityIndex === 0);
    const everyone = result.samples;
    const q = (text: string, communityId?: string) =>
      `/api/v1/residents?q=${encodeURIComponent(text)}${communityId ? `&communityId=${communityId}` : ''}&limit=20`;
    const jobs: [string, 'agent' | 'admin', string[]][] = [
      [
        'queue: SLA board, first page (by due time)',
        'agent',
        [`/api/v1/sla/board?communityId=${c}&limit=${PAGE}`],
      ],
      [
        'queue: SLA board, 500 clocks (the console’s countdowns)',
        'agent',
        [`/api/v1/sla/board?communityId=${c}&limit=500`],
      ],
      ['queue: overdue, 500 clocks', 'agent', [`/api/v1/sla/overdue?communityId=${c}&limit=500`]],
      ['queue: requests, first page', 'agent', [`/api/v1/tickets?communityId=${c}&limit=${PAGE}`]],
      [
        `queue: requests, page ${DEEP_PAGE} (cursor)`,
        'agent',
        [`/api/v1/tickets?communityId=${c}&limit=${PAGE}${deepCursor ? `&cursor=${deepCursor}` : ''}`],
      ],
      [
        'queue: 待派单 view (received)',
        'agent',
        [`/api/v1/tickets?communityId=${c}&view=unassigned&limit=${PAGE}`],
      ],
      [
        'queue: 挂起 view (on hold)',
        'agent',
        [`/api/v1/tickets?communityId=${c}&view=pending&limit=${PAGE}`],
      ],
      ['queue: requests, first page, all communities', 'admin', [`/api/v1/tickets?limit=${PAGE}`]],
      [
        `queue: requests, page ${DEEP_PAGE}, all communities`,
        'admin',
        [`/api/v1/tickets?limit=${PAGE}${deepCursorAll ? `&cursor=${deepCursorAll}` : ''}`],
      ],
      ['lookup: 尾号 (4 digits)', 'agent', mine.map((s) => q(s.phone.slice(-4)))],
      ['lookup: room code 3-2-1502', 'agent', mine.map((s) => q(s.roomCode))],
      ['lookup: full name', 'agent', mine.map((s) => q(s.name))],
      ['lookup: name prefix (surname + 1 char)', 'agent', mine.map((s) => q(s.name.slice(0, 2)))],
      ['lookup: 尾号 (4 digits), company-wide', 'admin', everyone.map((s) => q(s.phone.slice(-4)))],
      ['lookup: room code, company-wide', 'admin', everyone.map((s) => q(s.roomCode))],
      ['lookup: full name, company-wide', 'admin', everyone.map((s) => q(s.name))],
      ['lookup: name prefix, company-wide', 'admin', everyone.map((s) => q(s.name.slice(0, 2)))],
      ['lookup: 尾号 in one community, as admin', 'admin', mine.map((s) => q(s.phone.slice(-4), c))],
    ];
    const latencies: Latency[] = [];
    for (const [scenario, role, paths] of jobs) {
      const l = await measure(server.url, who[role], scenario, role, paths, size.requests);
      latencies.push(l);
      console.log(
        `  ${scenario} [${role}]: p50 ${l.p50} ms, p90 ${l.p90} ms, p99 ${l.p99} ms, max ${l.max} ms` +
          (l.errors ? `, ${l.errors} errors (first: ${l.firstError})` : ''),
      );
    }
    const underLoad = [...server.rss.samples];
    await new Promise((resolve) => setTimeout(resolve, SMOKE ? 200 : 2_000));
    const after = server.rss.samples;
    return {
      dialect,
      server: command.label,
      reused,
      load: {
        seconds: result.loadSeconds,
        indexSeconds: result.indexSeconds,
        analyzeSeconds: result.analyzeSeconds,
        totalSeconds: result.totalSeconds,
        tables: result.tables,
        counts: result.counts,
        statuses: result.distributions.status,
      },
      slaCatchUp: catchUp,
      latencies,
      memory: {
        idleMB,
        idlePeakMB: peak(idleSamples),
        underLoadPeakMB: peak(underLoad),
        afterMB: Math.round(((after[after.length - 1] ?? 0) / MB) * 10) / 10,
        samples: idleSamples.length + underLoad.length,
      },
    };
  } finally {
    await cleanup();
  }
}

export interface SummaryRow {
  scenario: string;
  dialect: string;
  metric: string;
  value: number;
  unit: string;
  target?: string;
  met?: boolean;
}

function summarize(runs: Run[]): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const run of runs) {
    const tickets = run.load.tables.find((t) => t.table === 'tickets');
    rows.push({
      scenario: 'load: all tables',
      dialect: run.dialect,
      metric: 'seconds',
      value: round1(run.load.totalSeconds),
      unit: 's',
    });
    if (tickets)
      rows.push({
        scenario: 'load: tickets',
        dialect: run.dialect,
        metric: 'rows/s',
        value: Math.round(tickets.rowsPerSecond),
        unit: 'rows/s',
      });
    if (run.slaCatchUp.backlog)
      rows.push({
        scenario: 'sla: clocks already due at start, fired before measuring',
        dialect: run.dialect,
        metric: `${run.slaCatchUp.backlog} clocks`,
        value: round1(run.slaCatchUp.seconds),
        unit: 's',
      });
    // p99 against the target; p50, p90 and max are in the runs
    for (const l of run.latencies) {
      const scenario = `${l.scenario} [${l.who}]`;
      rows.push({
        scenario,
        dialect: run.dialect,
        metric: 'p99',
        value: l.p99,
        unit: 'ms',
        target: `≤ ${TARGET_P99_MS} ms`,
        met: l.errors === 0 && l.p99 <= TARGET_P99_MS,
      });
    }
    for (const [scenario, value] of [
      ['memory: RSS idle after load', run.memory.idleMB],
      ['memory: RSS peak under load', run.memory.underLoadPeakMB],
    ] as const) {
      rows.push({
        scenario,
        dialect: run.dialect,
        metric: 'rss',
        value,
        unit: 'MB',
        target: `≤ ${TARGET_RSS_MB} MB`,
        met: value <= TARGET_RSS_MB,
      });
    }
  }
  return rows;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Runs the scenarios on SQLite (and PostgreSQL), prints and writes bench/results/scale.json. */
export async function runScale(): Promise<boolean> {
  const size = sizes();
  const command = serverCommand();
  console.log(
    `scale: ${size.communities} communities, ${size.residents.toLocaleString()} residents, ${size.tickets.toLocaleString()} requests; ` +
      `${size.requests} requests per scenario, one at a time; server ${command.label}`,
  );
  const m = await machine(PG_ADMIN_URL);
  const runs: Run[] = [];
  const dialects: DialectName[] = PG_ADMIN_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  for (const dialect of dialects) runs.push(await runDialect(dialect, size, command));
  const summary = summarize(runs);
  console.log(
    `\n${table([
      ['scenario', 'dialect', 'metric', 'value', 'target', 'met'],
      ...summary.map((r) => [
        r.scenario,
        r.dialect,
        r.metric,
        `${r.value} ${r.unit}`,
        r.target ?? '',
        r.met === undefined ? '' : r.met ? '✓' : '✗',
      ]),
    ])}`,
  );
  writeResult('scale', {
    name: 'scale',
    machine: m,
    // the load average once the runs are over (the machine entry has it from the start)
    loadAverageAfter: (await machine()).loadAverage,
    sizes: size,
    smoke: SMOKE,
    targets: { p99Ms: TARGET_P99_MS, rssMB: TARGET_RSS_MB },
    runs,
    summary,
  });
  return runs.every((r) => r.latencies.every((l) => l.errors === 0 && l.requests > 0));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.on('SIGINT', () => {
    void cleanup().finally(() => process.exit(130));
  });
  runScale()
    .then((ok) => {
      process.exitCode = ok ? 0 : 1;
    })
    .catch(async (error) => {
      console.error(error);
      await cleanup();
      process.exitCode = 1;
    });
}
