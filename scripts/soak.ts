/**
 * `npm run soak` (issue 10 §5): the real server as a child process on a fresh database loaded with
 * the demo company (演示数据, the demo generator), under mixed traffic of agents, technicians and
 * supervisors at a steady rate for SOAK_MINUTES; then memory growth, errors, p99 drift, and every
 * acknowledged write read back through the API. Prints a table, writes bench/results/soak.json,
 * exits non-zero on any error or any write missing. See docs/reliability.md ("Soak").
 *
 * Open loop: one request is sent every 1/SOAK_RATE s on schedule whether or not earlier ones have
 * answered, so a slow server meets a growing queue, as it would in a service centre, instead of
 * a client that politely waits (and hides the slowness).
 *
 * Environment:
 *   SOAK_MINUTES         duration (default 10; a fraction is allowed)
 *   SOAK_SECONDS         duration in seconds instead (the test runs a few seconds)
 *   SOAK_RATE            requests per second (default 50)
 *   SOAK_DATABASE_URL    a PostgreSQL server URL: a fresh database estatedesk_soak_<random> is
 *                        created there and dropped afterwards (default: SQLite in a temp DATA_DIR)
 *   SOAK_SERVER          `tsx` (default: src/server/main.ts through tsx, as the tests run it) or
 *                        `dist` (the build `npm start` runs; `npm run build:server` first)
 *   SOAK_SEED            seed of the traffic's choices (default 1)
 *   BENCH_RESULTS_DIR    where soak.json goes (default bench/results)
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { describeMachine, type Machine, machine, resultsDir, table, writeResult } from '../bench/common.js';
import { percentile } from '../bench/load.js';
import { buildServices } from '../src/server/app.js';
import { type DemoResult, generateDemo } from '../src/server/modules/demo/demo.generator.js';
import { systemClock } from '../src/server/platform/clock.js';
import { loadConfig } from '../src/server/platform/config.js';
import { openDatabase } from '../src/server/platform/db/database.js';
import { migrateToLatest } from '../src/server/platform/db/migrate.js';

const root = join(import.meta.dirname, '..');

// ---------------------------------------------------------------------------------------------
// Settings

function positive(name: string, fallback: number, max: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    console.error(`${name} must be a number above 0 and at most ${max}, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

const DURATION_S = process.env.SOAK_SECONDS?.trim()
  ? positive('SOAK_SECONDS', 600, 86_400)
  : positive('SOAK_MINUTES', 10, 1440) * 60;
const RATE = positive('SOAK_RATE', 50, 5000);
const SEED = Math.floor(positive('SOAK_SEED', 1, 2 ** 31));
const PG_ADMIN_URL = process.env.SOAK_DATABASE_URL?.trim() || null;
const SERVER = process.env.SOAK_SERVER?.trim() || 'tsx';
if (SERVER !== 'tsx' && SERVER !== 'dist') {
  console.error(`SOAK_SERVER must be tsx or dist, got "${SERVER}"`);
  process.exit(2);
}
/** Per-minute figures; a short run is cut in 4 windows so that first and last still differ. */
const WINDOW_S = Math.min(60, Math.max(1, DURATION_S / 4));
const WINDOWS = Math.max(1, Math.ceil(DURATION_S / WINDOW_S - 1e-9));
/**
 * How long a person takes between two steps of one request (reading it, driving over, fixing):
 * compressed so that a request goes from 受理 to 关闭 within a couple of minutes of a 10-minute run,
 * and within the few seconds of the test's run.
 */
const THINK_MAX_MS = Math.min(15_000, Math.max(200, (DURATION_S * 1000) / 40));
const THINK_MIN_MS = THINK_MAX_MS / 6;
const REQUEST_TIMEOUT_MS = 30_000;
const RSS_SAMPLE_MS = Math.min(5000, Math.max(250, (WINDOW_S * 1000) / 6));

// ---------------------------------------------------------------------------------------------
// Seeded choices (the demo generator's mulberry32)

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = (min: number, max: number) => min + random() * (max - min);
function weighted<T extends string>(weights: readonly (readonly [T, number])[]): T {
  let r = random() * weights.reduce((sum, [, w]) => sum + w, 0);
  for (const [item, w] of weights) {
    r -= w;
    if (r < 0) return item;
  }
  return weights[weights.length - 1]![0];
}

// ---------------------------------------------------------------------------------------------
// What people say and do

/** The requests agents receive, by type: category and what the resident says. */
const INTAKE: Record<string, { category: string; content: string }[]> = {
  repair: [
    { category: 'cat-water_power', content: '卫生间漏水，楼下邻居反映天花板有水渍，麻烦尽快安排师傅' },
    { category: 'cat-water_power', content: '厨房水龙头一直滴水，关不紧，已经关了总阀' },
    { category: 'cat-water_power', content: '客厅插座没电，空气开关推不上去' },
    { category: 'cat-doors_windows', content: '入户门锁坏了，钥匙拧不动，家里有老人' },
    { category: 'cat-doors_windows', content: '卧室窗户关不严，下雨时雨水渗进来' },
    { category: 'cat-water_power', content: '厨房下水道堵塞，水排不下去，有异味' },
  ],
  complaint: [
    { category: 'cat-noise', content: '楼上每天晚上十一点以后还在装修，电钻声音很大，影响休息' },
    { category: 'cat-sanitation', content: '楼道里堆放杂物很久了，多次反映没人清理，存在消防隐患' },
    { category: 'cat-security', content: '地下车库有外来车辆长期占用我的车位' },
  ],
  help: [{ category: 'cat-other', content: '家里老人摔倒了起不来，家属不在，请派人帮忙看一下' }],
  inquiry: [
    { category: 'cat-fees', content: '请问本月物业费账单什么时候出，可以线上缴纳吗' },
    { category: 'cat-other', content: '想咨询一下装修需要办理哪些手续，押金是多少' },
    { category: 'cat-other', content: '门禁卡丢了，补办需要带什么材料' },
  ],
  suggestion: [{ category: 'cat-greening', content: '建议在中心花园增加几张长椅，老人散步累了可以坐一下' }],
  praise: [{ category: 'cat-other', content: '感谢维修师傅周末加班帮我修好了水管，服务很耐心' }],
};
const TYPES = [
  ['repair', 55],
  ['complaint', 12],
  ['help', 5],
  ['inquiry', 16],
  ['suggestion', 6],
  ['praise', 6],
] as const;
const ANSWERED = new Set(['inquiry', 'suggestion', 'praise']);
const CHANNELS = [
  ['phone', 6],
  ['wechat', 3],
  ['app', 2],
  ['walk_in', 1],
] as const;
const REPLIES: Record<string, string> = {
  inquiry: '您好，物业费账单每月五日前出具，可在微信公众号或服务中心缴纳，感谢您的来电。',
  suggestion: '感谢您的建议，我们已转交相关部门评估，有进展会及时告知您。',
  praise: '感谢您的认可，我们会把您的表扬转达给师傅，继续为您做好服务。',
};
const REPORTS = [
  { cause: '水管接头老化', work: '更换接头并试压，确认无渗漏', parts: '接头 x1', advice: '定期检查' },
  { cause: '开关跳闸，插座内部短路', work: '更换插座面板，恢复供电', parts: '插座面板 x1' },
  { cause: '锁芯磨损', work: '更换锁芯并试用钥匙', parts: '锁芯 x1', advice: '注意保管钥匙' },
  { cause: '下水管有油污堵塞', work: '疏通下水管，排水恢复正常' },
];

/** The steps of a request after 受理, each taken by the desk or by the assigned technician. */
type Step =
  | 'dispatch'
  | 'accept'
  | 'reply'
  | 'arrive'
  | 'start'
  | 'pend'
  | 'resume'
  | 'note'
  | 'complete'
  | 'close'
  | 'answer';
/** The status each step leaves the request in (notes and replies leave it alone). */
const STATUS_AFTER: Record<Step, string | null> = {
  dispatch: 'dispatched',
  accept: 'accepted',
  reply: null,
  arrive: 'on_site',
  start: 'in_progress',
  pend: 'pending',
  resume: 'in_progress',
  note: null,
  complete: 'done',
  close: 'closed',
  answer: 'closed',
};
/** The timeline event each step writes. */
const EVENT_OF: Record<Step, string> = {
  dispatch: 'dispatch',
  accept: 'accept',
  reply: 'reply',
  arrive: 'arrive',
  start: 'start',
  pend: 'pend',
  resume: 'resume',
  note: 'note',
  complete: 'complete',
  close: 'close',
  answer: 'answer',
};
const BY_DESK = new Set<Step>(['dispatch', 'close', 'answer']);

function planFor(type: string): Step[] {
  if (ANSWERED.has(type)) return ['answer'];
  const plan: Step[] = ['dispatch', 'accept', 'reply', 'arrive', 'start'];
  // one job in ten waits for parts on the way (挂起, R7) and is taken up again
  if (random() < 0.1) plan.push('pend', 'resume');
  plan.push('note', 'complete', 'close');
  return plan;
}

// ---------------------------------------------------------------------------------------------
// Users and requests

type Role = 'agent' | 'technician' | 'supervisor' | 'admin';

interface User {
  username: string;
  role: Role;
  communityId: string;
  id: string | null;
  session: { cookie: string; csrf: string } | null;
  /** `login`: a login is due or in flight; `leaving`: logging out (nothing new is sent as them). */
  state: 'out' | 'login' | 'in' | 'leaving';
  inflight: number;
}

interface SoakTicket {
  id: string;
  number: string;
  communityId: string;
  type: string;
  technician: User | null;
  version: number;
  /** The last status a 2xx told us, and the events it showed. */
  status: string;
  eventsSeen: number;
  /** The events of the steps acknowledged, in order: type and who took it. */
  acked: { type: string; actorId: string }[];
  plan: Step[];
  next: number;
  /**
   * A step sent and never answered (timed out): the server may or may not have taken it. It is
   * driven no further; afterwards it must be there entirely (event and status) or not at all.
   */
  inDoubt: { step: Step; actorId: string } | null;
  readyAt: number;
  busy: boolean;
}

interface Sent {
  op: string;
  status: number;
  json: Record<string, unknown> | null;
  text: string;
}

// ---------------------------------------------------------------------------------------------
// Measurements

const windows = Array.from({ length: WINDOWS }, () => ({
  latencies: [] as number[],
  requests: 0,
  errors: 0,
  rssKiB: null as number | null,
  /** The server's CPU time (user + system) at the window's end, and the machine's load then. */
  cpuTicks: null as number | null,
  load1: null as number | null,
}));
const byOp = new Map<string, { requests: number; errors: number; latencies: number[] }>();
const errorSamples: string[] = [];
const errorKinds: Record<string, number> = {};
let errorCount = 0;
let systemConflicts = 0;
let scheduleLagMaxMs = 0;
let shutdownSeconds = Number.NaN;
/** The server's heap after each full collection (--trace-gc), in MB as V8 prints it. */
const heapAfterFullGc: { at: number; mib: number; isolate: string }[] = [];
/** When the schedule started (performance.now()). */
let runStartedAt = 0;
/** Slots of the schedule in which nobody could send anything (every agent signing in or out). */
let idleSlots = 0;
const rssSamples: { atS: number; kib: number }[] = [];

function record(op: string, windowIndex: number, ms: number, ok: boolean, why?: string) {
  const w = windows[Math.min(WINDOWS - 1, Math.max(0, windowIndex))]!;
  w.requests++;
  w.latencies.push(ms);
  const stats = byOp.get(op) ?? { requests: 0, errors: 0, latencies: [] };
  byOp.set(op, stats);
  stats.requests++;
  stats.latencies.push(ms);
  if (!ok) {
    w.errors++;
    stats.errors++;
    errorCount++;
    if (errorSamples.length < 30) errorSamples.push(`${op}: ${why}`);
    // by kind: the status answered, a timeout (no answer in REQUEST_TIMEOUT_MS), or a wrong body
    const status = /→ (\d{3})/.exec(why ?? '');
    const kind = status
      ? `HTTP ${status[1]}`
      : /TimeoutError|aborted due to timeout/.test(why ?? '')
        ? 'timeout'
        : /fetch failed|ECONN|socket/i.test(why ?? '')
          ? 'network'
          : 'unexpected body';
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  }
}

// ---------------------------------------------------------------------------------------------
// The server process

interface Server {
  url: string;
  child: ChildProcess;
  /** Log lines at error level or above, and the last few of them. */
  errorLines: () => { count: number; last: string[] };
  tail: () => string;
  stop(): Promise<number | null>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const entry =
    SERVER === 'dist' ? join(root, 'dist', 'server', 'main.js') : join(root, 'src', 'server', 'main.ts');
  if (SERVER === 'dist' && !existsSync(entry)) throw new Error(`${entry} not found: npm run build:server`);
  // --trace-gc: one line per collection on stdout; the heap left after each full (mark-compact)
  // collection is what is still reachable, a truer leak signal than the RSS
  const args = SERVER === 'dist' ? ['--trace-gc', entry] : ['--trace-gc', '--import', 'tsx', entry];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', WEB_DIR: '/nonexistent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // the log is read and dropped as a log collector would; only a tail and the errors are kept
  const recent: string[] = [];
  const errors: string[] = [];
  let errorCount = 0;
  let address: ((url: string) => void) | null = null;
  const onLine = (line: string) => {
    const gc = /^\[\d+:(0x[0-9a-f]+)\]\s+\d+ ms: /.exec(line);
    if (gc) {
      const full = /Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/.exec(line);
      if (full) heapAfterFullGc.push({ at: performance.now(), mib: Number(full[1]), isolate: gc[1]! });
      return;
    }
    recent.push(line);
    if (recent.length > 40) recent.shift();
    const level = /"level":(\d+)/.exec(line);
    if ((level && Number(level[1]) >= 50) || (!level && /error/i.test(line))) {
      errorCount++;
      errors.push(line.slice(0, 500));
      if (errors.length > 10) errors.shift();
    }
    const listening = /"address":"(http:\/\/[^"]+)"/.exec(line);
    if (listening && address) address(listening[1]!);
  };
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${recent.join('\n')}`)), 60_000);
    address = (found) => {
      clearTimeout(timer);
      resolve(found);
    };
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${recent.join('\n')}`));
    });
  });
  return {
    url,
    child,
    errorLines: () => ({ count: errorCount, last: [...errors] }),
    tail: () => recent.join('\n'),
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const started = performance.now();
      child.kill('SIGTERM');
      // requests still running finish first (a client that gave up does not stop them)
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const code = await exited;
      clearTimeout(timer);
      shutdownSeconds = (performance.now() - started) / 1000;
      return code;
    },
  };
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ: 100 on Linux). */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) a process has used, in clock ticks, from /proc (Linux). */
function cpuTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the fields after the command name (which may hold spaces) in parentheses
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/** VmRSS of a process in KiB, from /proc (Linux). */
function rssKiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP

let baseUrl = '';

async function send(
  method: 'GET' | 'POST',
  path: string,
  options: { user?: User | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: Record<string, unknown> | null; text: string; setCookies: string[] }> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  const session = options.user?.session;
  if (session) {
    headers.cookie = session.cookie;
    if (method === 'POST') headers['x-csrf-token'] = session.csrf;
  }
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(baseUrl + path, {
    method,
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  if (text && (res.headers.get('content-type') ?? '').includes('json')) {
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = null;
    }
  }
  return { status: res.status, json, text, setCookies: res.headers.getSetCookie() };
}

// ---------------------------------------------------------------------------------------------
// The run

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
process.on('SIGINT', () => {
  setTimeout(() => process.exit(130), 15_000).unref();
  void cleanup().finally(() => process.exit(130));
});

async function prepareDatabase(): Promise<{ dataDir: string; databaseUrl: string | null }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'estatedesk-soak-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  if (!PG_ADMIN_URL) return { dataDir, databaseUrl: null };
  const name = `estatedesk_soak_${randomBytes(4).toString('hex')}`;
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
  return { dataDir, databaseUrl: url.toString() };
}

/** The demo company, written through the services before the server starts. */
async function loadDemo(dataDir: string, databaseUrl: string | null, adminPassword: string) {
  const config = loadConfig({
    DATA_DIR: dataDir,
    WEB_DIR: '/nonexistent',
    LOG_LEVEL: 'silent',
    ESTATEDESK_ADMIN_PASSWORD: adminPassword,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const database = openDatabase({ databaseUrl, dataDir, onIdleError: () => {} });
  try {
    await migrateToLatest(database.db, database.dialect);
    const services = buildServices(database, config, systemClock);
    await services.auth.ensureAdmin(adminPassword);
    const demo = await generateDemo(services, { concurrency: database.dialect === 'postgres' ? 8 : 4 });
    return { demo, dialect: database.dialect };
  } finally {
    await database.close();
  }
}

async function login(user: User, password: string): Promise<Sent> {
  const res = await send('POST', '/api/v1/auth/login', { body: { login: user.username, password } });
  if (res.status === 200 && res.json) {
    const csrf = res.json.csrfToken as string;
    user.id = (res.json.user as { id: string }).id;
    user.session = { cookie: res.setCookies.map((c) => c.split(';')[0]).join('; '), csrf };
  }
  return { op: 'login', ...res };
}

async function main() {
  const startedAt = new Date();
  const m0 = await machine(PG_ADMIN_URL);
  console.log(describeMachine(m0));
  const adminPassword = `Soak-${randomBytes(6).toString('hex')}1`;
  const { dataDir, databaseUrl } = await prepareDatabase();

  const loadStarted = performance.now();
  const { demo, dialect } = await loadDemo(dataDir, databaseUrl, adminPassword);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  console.log(`demo company loaded into ${dialect} in ${loadSeconds.toFixed(1)} s:`, demo.counts);

  const server = await startServer({
    DATA_DIR: dataDir,
    ESTATEDESK_ADMIN_PASSWORD: adminPassword,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  cleanups.push(async () => void (await server.stop()));
  baseUrl = server.url;
  const pid = server.child.pid!;
  console.log(
    `server ${SERVER === 'dist' ? 'dist/server/main.js' : 'src/server/main.ts (tsx)'} pid ${pid} at ${baseUrl}`,
  );

  const setup = await prepareOperator(demo);
  const result = await drive(setup, demo.password, pid);
  const exitCode = await server.stop();
  const serverErrors = server.errorLines();
  await cleanup();

  const m1 = await machine(PG_ADMIN_URL);
  return report({
    startedAt,
    m0,
    m1,
    dialect,
    demo,
    loadSeconds,
    ...result,
    serverExitCode: exitCode,
    serverErrors,
  });
}

interface Operator {
  users: User[];
  teams: Map<string, string>;
  residents: Map<string, DemoResult['residents']>;
  communities: string[];
  admin: User;
}

/** Teams of the demo technicians per community (through the API, as an admin would set them up). */
async function prepareOperator(demo: DemoResult): Promise<Operator> {
  const communityOf = (codes: string[] | 'all') => {
    if (codes === 'all') return null;
    return demo.communities.find((c) => c.code === codes[0])?.id ?? null;
  };
  const users: User[] = [];
  for (const s of demo.staff) {
    const role = (['agent', 'technician', 'supervisor'] as const).find((r) => s.roles.includes(r));
    const communityId = communityOf(s.communities);
    if (!role || !communityId) continue;
    users.push({
      username: s.username,
      role,
      communityId,
      id: null,
      session: null,
      state: 'out',
      inflight: 0,
    });
  }
  const adminLogin = demo.staff.find((s) => s.roles.includes('admin'));
  if (!adminLogin) throw new Error('the demo has no admin');
  const admin: User = {
    username: adminLogin.username,
    role: 'admin',
    communityId: '',
    id: null,
    session: null,
    state: 'out',
    inflight: 0,
  };
  const signedIn = await login(admin, demo.password);
  if (signedIn.status !== 200) throw new Error(`admin login: ${signedIn.status} ${signedIn.text}`);

  const teams = new Map<string, string>();
  for (const community of demo.communities) {
    const directory = await send(
      'GET',
      `/api/v1/staff/directory?communityId=${community.id}&role=technician`,
      {
        user: admin,
      },
    );
    const items = (directory.json?.items ?? []) as { id: string }[];
    if (directory.status !== 200 || items.length === 0)
      throw new Error(`technicians of ${community.code}: ${directory.status} ${directory.text}`);
    const team = await send('POST', '/api/v1/teams', {
      user: admin,
      body: {
        communityId: community.id,
        name: '工程维修组',
        kind: 'repair',
        userIds: items.map((i) => i.id),
        leaderUserId: items[0]!.id,
      },
    });
    if (team.status !== 201) throw new Error(`team of ${community.code}: ${team.status} ${team.text}`);
    teams.set(community.id, team.json!.id as string);
  }
  const residents = new Map<string, DemoResult['residents']>();
  for (const r of demo.residents) {
    const list = residents.get(r.communityId) ?? [];
    list.push(r);
    residents.set(r.communityId, list);
  }
  const communities = demo.communities
    .map((c) => c.id)
    .filter((id) => users.some((u) => u.communityId === id));
  for (const role of ['agent', 'technician', 'supervisor'] as const) {
    for (const id of communities) {
      if (!users.some((u) => u.role === role && u.communityId === id))
        throw new Error(`the demo has no ${role} in community ${id}`);
    }
  }
  return { users, teams, residents, communities, admin };
}

/** The mix, in shares of the requests sent; a step with no request ready is a queue view instead. */
const MIX = [
  ['step', 36],
  ['create', 4],
  ['queue', 14],
  ['search', 14],
  ['card', 5],
  ['detail', 6],
  ['jobs', 12],
  ['job', 4],
  ['board', 3],
  ['overdue', 1],
  ['logout', 1],
] as const;
type Op = (typeof MIX)[number][0] | 'login' | 'refresh';

async function drive(op: Operator, password: string, pid: number) {
  const tickets: SoakTicket[] = [];
  const byCommunity = new Map<string, SoakTicket[]>();
  let created = 0;
  let createFailed = 0;
  /** Creations sent and never answered (timed out): retried with their Idempotency-Key after the run. */
  const unanswered: { agent: User; key: string; body: Record<string, unknown>; sentAt: Date }[] = [];
  const t0 = performance.now();
  runStartedAt = t0;
  const windowOf = (at: number) => Math.floor((at - t0) / (WINDOW_S * 1000));
  const inflight = new Set<Promise<void>>();

  const available = (role: Role, communityId?: string) =>
    op.users.filter(
      (u) =>
        u.role === role && u.state === 'in' && (communityId === undefined || u.communityId === communityId),
    );

  /** Sends one request as `user` and times it; the caller judges and records it. */
  const request = async (
    user: User | null,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ res: Sent | null; started: number; ms: number; failure: string | null }> => {
    const started = performance.now();
    if (user) user.inflight++;
    try {
      const res = await send(method, path, { user, body, headers });
      return { res: { op: '', ...res }, started, ms: performance.now() - started, failure: null };
    } catch (error) {
      return {
        res: null,
        started,
        ms: performance.now() - started,
        failure: `${method} ${path}: ${String(error)}`,
      };
    } finally {
      if (user) user.inflight--;
    }
  };

  /** Sends one request as `user`, checks its status (and body), records it. */
  const call = async (
    name: Op,
    user: User | null,
    method: 'GET' | 'POST',
    path: string,
    expect: number,
    body?: unknown,
    check?: (json: Record<string, unknown> | null) => string | null,
    headers?: Record<string, string>,
  ): Promise<Sent | null> => {
    const { res, started, ms, failure } = await request(user, method, path, body, headers);
    let why = failure;
    if (res && res.status !== expect) why = `${method} ${path} → ${res.status} ${res.text.slice(0, 300)}`;
    else if (res && check) why = check(res.json);
    record(name, windowOf(started), ms, why === null, why ?? undefined);
    return res;
  };
  const hasItems = (json: Record<string, unknown> | null) =>
    Array.isArray(json?.items) ? null : 'no items in the answer';

  const communityOf = (user: User) => user.communityId;
  const residentOf = (communityId: string) => pick(op.residents.get(communityId)!);

  const remember = (ticket: SoakTicket, json: Record<string, unknown>) => {
    ticket.version = json.version as number;
    ticket.status = json.status as string;
    ticket.eventsSeen = (json.events as unknown[]).length;
  };

  // ---- the operations: each sends exactly one request (a conflict's refresh aside)

  const queue = async (agent: User) => {
    const filters = pick([
      '',
      '&status=received',
      '&view=unassigned',
      '&view=pending',
      '&type=repair',
      '&status=in_progress',
    ]);
    await call(
      'queue',
      agent,
      'GET',
      `/api/v1/tickets?communityId=${communityOf(agent)}${filters}`,
      200,
      undefined,
      hasItems,
    );
  };

  const search = async (agent: User) => {
    const r = residentOf(communityOf(agent));
    const q = weighted([
      [r.phone.slice(-4), 40],
      [r.name, 25],
      [r.name.slice(0, 1), 20],
      [r.phone, 15],
    ] as const);
    await call(
      'search',
      agent,
      'GET',
      `/api/v1/residents?communityId=${communityOf(agent)}&q=${encodeURIComponent(q)}`,
      200,
      undefined,
      (json) => {
        if (!Array.isArray(json?.items)) return 'no items';
        // a whole phone number finds its resident (names and tails may match many)
        if (q === r.phone && !(json.items as { id: string }[]).some((i) => i.id === r.id))
          return `phone ${q} did not find resident ${r.id}`;
        return null;
      },
    );
  };

  const card = async (agent: User) => {
    const r = residentOf(communityOf(agent));
    await call('card', agent, 'GET', `/api/v1/residents/${r.id}/card`, 200, undefined, (json) =>
      (json?.resident as { id?: string } | undefined)?.id === r.id ? null : 'the card is of someone else',
    );
  };

  const detail = async (agent: User) => {
    const mine = byCommunity.get(communityOf(agent));
    if (!mine?.length) return queue(agent);
    const ticket = pick(mine);
    await call('detail', agent, 'GET', `/api/v1/tickets/${ticket.id}`, 200, undefined, (json) =>
      json?.id === ticket.id && Array.isArray(json.events) ? null : 'not the request asked for',
    );
  };

  const create = async (agent: User) => {
    const communityId = communityOf(agent);
    const r = residentOf(communityId);
    const type = weighted(TYPES);
    const what = pick(INTAKE[type]!);
    const body = {
      communityId,
      roomId: r.roomId,
      residentId: r.id,
      type,
      channel: weighted(CHANNELS),
      categoryId: what.category,
      content: what.content,
    };
    const key = randomUUID();
    const res = await call(
      'create',
      agent,
      'POST',
      '/api/v1/tickets',
      201,
      body,
      (json) => (json?.status === 'received' ? null : `created as ${String(json?.status)}`),
      { 'idempotency-key': key },
    );
    // never answered: the desk sends the same submission again later (same key), see below
    if (!res) unanswered.push({ agent, key, body, sentAt: new Date() });
    if (res?.status !== 201 || !res.json || res.json.status !== 'received') {
      createFailed++;
      return;
    }
    created++;
    const technicians = op.users.filter((u) => u.role === 'technician' && u.communityId === communityId);
    const ticket: SoakTicket = {
      id: res.json.id as string,
      number: res.json.number as string,
      communityId,
      type,
      technician: ANSWERED.has(type) ? null : pick(technicians),
      version: 0,
      status: 'received',
      eventsSeen: 0,
      acked: [{ type: 'created', actorId: agent.id! }],
      plan: planFor(type),
      next: 0,
      inDoubt: null,
      readyAt: performance.now() + between(THINK_MIN_MS, THINK_MAX_MS),
      busy: false,
    };
    remember(ticket, res.json);
    tickets.push(ticket);
    const list = byCommunity.get(communityId) ?? [];
    list.push(ticket);
    byCommunity.set(communityId, list);
  };

  /** The body of a step, without the version. */
  const stepBody = (ticket: SoakTicket, step: Step): { path: string; body: Record<string, unknown> } => {
    switch (step) {
      case 'dispatch':
        return {
          path: 'dispatch',
          body: { teamId: op.teams.get(ticket.communityId), assigneeId: ticket.technician!.id },
        };
      case 'reply':
        return {
          path: 'notes',
          body: { text: '您好，维修师傅已接单，预计二十分钟内上门，请您家中留人。', visibility: 'resident' },
        };
      case 'note':
        return {
          path: 'notes',
          body: { text: `现场处理记录：${ticket.number} 已按规范作业，现场已清理。`, visibility: 'internal' },
        };
      case 'pend':
        return {
          path: 'pend',
          body: {
            reason: '需要更换配件，仓库暂无库存',
            nextStep: '配件到货后上门更换',
            eta: new Date(Date.now() + 86_400_000).toISOString(),
            pauseReason: 'waiting_parts',
          },
        };
      case 'complete':
        return { path: 'complete', body: { report: pick(REPORTS) } };
      case 'close':
        return { path: 'close', body: { note: '已电话回访，业主表示满意' } };
      case 'answer':
        return { path: 'answer', body: { reply: REPLIES[ticket.type]! } };
      default:
        return { path: step, body: {} };
    }
  };

  const advance = async (ticket: SoakTicket, actor: User) => {
    const step = ticket.plan[ticket.next]!;
    const { path, body } = stepBody(ticket, step);
    // notes need no version: they are appended and never conflict
    const versioned = path === 'notes' ? body : { version: ticket.version, ...body };
    const expectStatus = STATUS_AFTER[step];
    const url = `/api/v1/tickets/${ticket.id}/${path}`;
    ticket.busy = true;
    try {
      const { res, started, ms, failure } = await request(actor, 'POST', url, versioned);
      let why = failure;
      if (res?.status === 200 && res.json) {
        if (res.json.id !== ticket.id) why = `${step} answered with another request`;
        else if (expectStatus && res.json.status !== expectStatus)
          why = `${step} left ${ticket.number} ${String(res.json.status)}`;
        record(`step ${step}`, windowOf(started), ms, why === null, why ?? undefined);
        if (why) {
          ticket.next = ticket.plan.length; // not what we asked for: not driven on
          return;
        }
        remember(ticket, res.json);
        ticket.acked.push({ type: EVENT_OF[step], actorId: actor.id! });
        ticket.next++;
        ticket.readyAt = performance.now() + between(THINK_MIN_MS, THINK_MAX_MS);
        return;
      }
      if (res?.status === 409 && res.json?.code === 'CONFLICT') {
        const explained = await afterConflict(ticket, actor);
        if (explained) {
          systemConflicts++;
          record(`step ${step} (stale after an SLA escalation, reloaded)`, windowOf(started), ms, true);
          return;
        }
        why = `${step} on ${ticket.number} → 409 not explained by the server's own steps: ${res.text.slice(0, 300)}`;
      } else if (res) why = `POST ${url} (${step}) → ${res.status} ${res.text.slice(0, 300)}`;
      else ticket.inDoubt = { step, actorId: actor.id! };
      record(`step ${step}`, windowOf(started), ms, false, why ?? undefined);
      // its state is no longer what we know: it is not driven on (and is checked as it was acked)
      ticket.next = ticket.plan.length;
    } finally {
      ticket.busy = false;
    }
  };

  /**
   * A stale version is expected when the server itself changed the request since our last step:
   * the SLA scheduler escalates a breached request (R26) and bumps its version. The user then
   * reloads and tries again, as the 409's message asks. Anything else changing it is an error
   * (nobody but this run's users works on these requests). True when explained (and reloaded).
   */
  const afterConflict = async (ticket: SoakTicket, actor: User): Promise<boolean> => {
    const res = await call('refresh', actor, 'GET', `/api/v1/tickets/${ticket.id}`, 200);
    if (res?.status !== 200 || !res.json) return false;
    const events = res.json.events as { type: string; actor: { id: string } | null }[];
    const since = events.slice(ticket.eventsSeen);
    if (since.length === 0 || since.some((e) => e.actor !== null)) return false;
    remember(ticket, res.json);
    ticket.readyAt = performance.now();
    return true;
  };

  const step = async (): Promise<boolean> => {
    const now = performance.now();
    for (const ticket of tickets) {
      if (ticket.busy || ticket.next >= ticket.plan.length || ticket.readyAt > now) continue;
      const s = ticket.plan[ticket.next]!;
      let actor: User | null = null;
      if (BY_DESK.has(s)) {
        const agents = available('agent', ticket.communityId);
        actor = agents.length ? pick(agents) : null;
      } else if (ticket.technician?.state === 'in') actor = ticket.technician;
      if (!actor) continue;
      await advance(ticket, actor);
      return true;
    }
    return false;
  };

  const jobs = async (tech: User) => {
    const view = random() < 0.67 ? 'mine' : 'team';
    await call('jobs', tech, 'GET', `/api/v1/tickets?view=${view}`, 200, undefined, hasItems);
  };
  const job = async (tech: User) => {
    // a job is theirs once its dispatch to them is acknowledged (before that it is not: 404, R61)
    const mine = tickets.filter(
      (t) => t.technician === tech && t.status !== 'closed' && t.acked.some((a) => a.type === 'dispatch'),
    );
    if (!mine.length) return jobs(tech);
    const ticket = pick(mine);
    await call('job', tech, 'GET', `/api/v1/tickets/${ticket.id}`, 200, undefined, (json) =>
      json?.id === ticket.id ? null : 'not the job asked for',
    );
  };
  const board = async (supervisor: User, what: 'board' | 'overdue') => {
    await call(what, supervisor, 'GET', `/api/v1/sla/${what}?communityId=${communityOf(supervisor)}`, 200);
  };
  const logout = async (user: User) => {
    user.state = 'leaving';
    const res = await call('logout', user, 'POST', '/api/v1/auth/logout', 204);
    user.session = null;
    // back at the desk a moment later (a new session)
    user.state = 'out';
    if (res?.status !== 204) user.state = 'out'; // recorded as an error; logs in again all the same
  };
  const signIn = async (user: User) => {
    user.state = 'login';
    const started = performance.now();
    const res = await login(user, password).catch((error: unknown) => {
      record('login', windowOf(started), performance.now() - started, false, String(error));
      return null;
    });
    if (!res) {
      user.state = 'out';
      return;
    }
    const ok = res.status === 200;
    record(
      'login',
      windowOf(started),
      performance.now() - started,
      ok,
      ok ? undefined : `${res.status} ${res.text}`,
    );
    user.state = ok ? 'in' : 'out';
  };

  /** One slot of the schedule: a login due first, else the mix. */
  const slot = async () => {
    const out = op.users.find((u) => u.state === 'out' && u.inflight === 0);
    if (out) return signIn(out);
    let choice = weighted(MIX);
    if (choice === 'step') {
      if (await step()) return;
      choice = 'queue';
    }
    const role: Role =
      choice === 'jobs' || choice === 'job'
        ? 'technician'
        : choice === 'board' || choice === 'overdue'
          ? 'supervisor'
          : 'agent';
    if (choice === 'logout') {
      // someone with nothing in flight, and no request of theirs waiting on them right now
      const idle = op.users.filter((u) => u.state === 'in' && u.inflight === 0);
      if (idle.length) return logout(pick(idle));
      choice = 'queue';
    }
    let users = available(choice === 'queue' ? 'agent' : role);
    if (!users.length) {
      // everyone of that role is signing in or out this moment: an agent looks at the queue
      choice = 'queue';
      users = available('agent');
    }
    if (!users.length) {
      idleSlots++;
      return;
    }
    const user = pick(users);
    switch (choice) {
      case 'create':
        return create(user);
      case 'queue':
        return queue(user);
      case 'search':
        return search(user);
      case 'card':
        return card(user);
      case 'detail':
        return detail(user);
      case 'jobs':
        return jobs(user);
      case 'job':
        return job(user);
      case 'board':
      case 'overdue':
        return board(user, choice);
    }
  };

  // ---- memory, sampled on its own timer
  const cpuAtStart = cpuTicks(pid);
  const sampleRss = () => {
    const kib = rssKiB(pid);
    if (kib === null) return;
    const at = performance.now();
    rssSamples.push({ atS: (at - t0) / 1000, kib });
    const w = windowOf(at);
    if (w >= 0 && w < WINDOWS) {
      windows[w]!.rssKiB = kib;
      windows[w]!.cpuTicks = cpuTicks(pid);
      windows[w]!.load1 = loadavg()[0]!;
    }
  };
  sampleRss();
  const sampler = setInterval(sampleRss, RSS_SAMPLE_MS);

  // ---- the schedule: slot k is due at t0 + k / RATE, sent then whatever is still in flight
  const intervalMs = 1000 / RATE;
  const endAt = t0 + DURATION_S * 1000;
  let k = 0;
  let lastReport = t0;
  while (true) {
    const due = t0 + k * intervalMs;
    if (due >= endAt) break;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const lag = performance.now() - due;
    if (lag > scheduleLagMaxMs) scheduleLagMaxMs = lag;
    const task = slot().catch((error: unknown) => {
      errorCount++;
      errorSamples.push(`slot failed: ${String(error)}`);
    });
    inflight.add(task);
    void task.finally(() => inflight.delete(task));
    k++;
    if (performance.now() - lastReport >= WINDOW_S * 1000) {
      lastReport = performance.now();
      const w = windows[Math.max(0, windowOf(lastReport) - 1)]!;
      const sorted = Float64Array.from(w.latencies).sort();
      console.log(
        `  ${((lastReport - t0) / 1000).toFixed(0)} s: ${w.requests} requests, ${w.errors} errors, ` +
          `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, ` +
          `RSS ${w.rssKiB ? (w.rssKiB / 1024).toFixed(1) : '–'} MiB, ${inflight.size} in flight, ${created} requests created`,
      );
    }
  }
  const scheduled = k;
  const runSeconds = (performance.now() - t0) / 1000;
  // the last requests answer (each has its own timeout)
  await Promise.all([...inflight]);
  sampleRss();
  clearInterval(sampler);

  // ---- creations never answered: sent again with the same key, as the desk would (the server
  // answers with the request the first one created, or creates it now); then checked like the rest
  const retried = { count: unanswered.length, appliedBefore: 0, createdOnRetry: 0, failed: 0 };
  for (const lost of unanswered) {
    if (lost.agent.state !== 'in') await signIn(lost.agent);
    const res = await send('POST', '/api/v1/tickets', {
      user: lost.agent,
      body: lost.body,
      headers: { 'idempotency-key': lost.key },
    }).catch(() => null);
    if (res?.status !== 201 || !res.json) {
      retried.failed++;
      errorSamples.push(`retry of an unanswered creation: ${res?.status} ${res?.text.slice(0, 200)}`);
      continue;
    }
    const createdAt = new Date(res.json.createdAt as string);
    if (createdAt.getTime() <= lost.sentAt.getTime() + REQUEST_TIMEOUT_MS) retried.appliedBefore++;
    else retried.createdOnRetry++;
    const ticket: SoakTicket = {
      id: res.json.id as string,
      number: res.json.number as string,
      communityId: lost.body.communityId as string,
      type: lost.body.type as string,
      technician: null,
      version: 0,
      status: 'received',
      eventsSeen: 0,
      acked: [{ type: 'created', actorId: lost.agent.id! }],
      plan: [],
      next: 0,
      inDoubt: null,
      readyAt: 0,
      busy: false,
    };
    ticket.status = res.json.status as string;
    ticket.version = res.json.version as number;
    tickets.push(ticket);
  }

  // ---- every acknowledged write, read back through the API
  const verify = await verifyWrites(tickets, op.admin);
  return { scheduled, runSeconds, created, createFailed, retried, cpuAtStart, tickets, verify };
}

async function verifyWrites(tickets: SoakTicket[], admin: User) {
  let checked = 0;
  let present = 0;
  let stepsChecked = 0;
  const problems: string[] = [];
  const byStatus: Record<string, number> = {};
  let inDoubtApplied = 0;
  let inDoubtNotApplied = 0;
  let next = 0;
  const worker = async () => {
    while (next < tickets.length) {
      const ticket = tickets[next++]!;
      checked++;
      const res = await send('GET', `/api/v1/tickets/${ticket.id}`, { user: admin }).catch(
        (error: unknown) => ({
          status: 0,
          json: null,
          text: String(error),
          setCookies: [],
        }),
      );
      if (res.status !== 200 || !res.json) {
        problems.push(`${ticket.number}: ${res.status} ${res.text.slice(0, 200)}`);
        continue;
      }
      const json = res.json;
      byStatus[json.status as string] = (byStatus[json.status as string] ?? 0) + 1;
      const events = json.events as { type: string; actor: { id: string } | null }[];
      // the acknowledged steps appear on the timeline in the order they were acknowledged
      let at = 0;
      let missing: string | null = null;
      for (const step of ticket.acked) {
        while (
          at < events.length &&
          !(events[at]!.type === step.type && events[at]!.actor?.id === step.actorId)
        )
          at++;
        if (at === events.length) {
          missing = step.type;
          break;
        }
        at++;
      }
      // a step never answered is there entirely (its event after the acknowledged ones, and the
      // status it leads to) or not at all
      let expected = ticket.status;
      if (ticket.inDoubt && !missing) {
        const { step, actorId } = ticket.inDoubt;
        const applied = events.slice(at).some((e) => e.type === EVENT_OF[step] && e.actor?.id === actorId);
        if (applied) {
          inDoubtApplied++;
          expected = STATUS_AFTER[step] ?? ticket.status;
        } else inDoubtNotApplied++;
      }
      if (json.status !== expected)
        problems.push(
          `${ticket.number}: status ${String(json.status)}, expected ${expected} (acknowledged ${ticket.status}` +
            `${ticket.inDoubt ? `, ${ticket.inDoubt.step} unanswered` : ''})`,
        );
      else if ((json.version as number) < ticket.version)
        problems.push(`${ticket.number}: version ${String(json.version)} < acknowledged ${ticket.version}`);
      else if (missing) problems.push(`${ticket.number}: acknowledged ${missing} not on the timeline`);
      else {
        present++;
        stepsChecked += ticket.acked.length;
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return {
    checked,
    present,
    missing: checked - present,
    stepsChecked,
    unansweredSteps: { applied: inDoubtApplied, notApplied: inDoubtNotApplied },
    problems,
    byStatus,
  };
}

// ---------------------------------------------------------------------------------------------
// The report

interface SummaryRow {
  scenario: string;
  dialect: string;
  metric: string;
  value: number;
  unit: string;
  target?: string;
  met?: boolean;
}

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

const round = (n: number, digits = 1) =>
  Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n;

function report(r: {
  startedAt: Date;
  m0: Machine;
  m1: Machine;
  dialect: string;
  demo: DemoResult;
  loadSeconds: number;
  scheduled: number;
  runSeconds: number;
  created: number;
  createFailed: number;
  retried: { count: number; appliedBefore: number; createdOnRetry: number; failed: number };
  cpuAtStart: number | null;
  tickets: SoakTicket[];
  verify: Awaited<ReturnType<typeof verifyWrites>>;
  serverExitCode: number | null;
  serverErrors: { count: number; last: string[] };
}): number {
  const mib = (kib: number | null) => (kib === null ? Number.NaN : kib / 1024);
  // --trace-gc reports every isolate: tsx's module loader runs in a worker thread of its own. The
  // server's is the one with the largest heap.
  const largest = new Map<string, number>();
  for (const g of heapAfterFullGc) largest.set(g.isolate, Math.max(largest.get(g.isolate) ?? 0, g.mib));
  const main = [...largest.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const heapPoints = heapAfterFullGc
    .filter((g) => g.isolate === main)
    .map((g) => ({ x: (g.at - runStartedAt) / 60_000, y: g.mib }))
    .filter((p) => p.x >= 0 && p.x <= DURATION_S / 60 + 1);
  /** The heap after the window's last full collection (null: none ran in it). */
  const lastFullGcIn = (i: number) => {
    const inside = heapPoints.filter((p) => p.x >= (i * WINDOW_S) / 60 && p.x < ((i + 1) * WINDOW_S) / 60);
    return inside.length ? inside[inside.length - 1]!.y : null;
  };
  const perWindow = windows.map((w, i) => {
    const sorted = Float64Array.from(w.latencies).sort();
    // the server's share of one core over the window (100 % = one core busy all the time)
    const before = i === 0 ? r.cpuAtStart : windows[i - 1]!.cpuTicks;
    const cpu =
      w.cpuTicks === null || before === null
        ? Number.NaN
        : (100 * (w.cpuTicks - before)) / CLOCK_TICKS / WINDOW_S;
    return {
      window: i + 1,
      fromS: round(i * WINDOW_S, 0),
      requests: w.requests,
      errors: w.errors,
      rps: round(w.requests / WINDOW_S),
      p50: round(percentile(sorted, 50)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted.length ? sorted[sorted.length - 1]! : Number.NaN),
      rssMiB: round(mib(w.rssKiB)),
      serverCpuPercent: round(cpu, 0),
      heapAfterFullGcMiB: lastFullGcIn(i),
      loadAverage: w.load1 === null ? null : round(w.load1, 2),
    };
  });
  const all = Float64Array.from(windows.flatMap((w) => w.latencies)).sort();
  const requests = all.length;
  const first = perWindow[0]!;
  const last = perWindow[perWindow.length - 1]!;
  const rssMax = Math.max(...rssSamples.map((s) => s.kib));
  const points = rssSamples.map((s) => ({ x: s.atS / 60, y: s.kib / 1024 }));
  const trend = slope(points);
  const half = points.filter((p) => p.x >= DURATION_S / 120);
  const trendLate = slope(half);
  const heapLate = heapPoints.filter((p) => p.x >= DURATION_S / 120);
  const operations = [...byOp.entries()]
    .sort((a, b) => b[1].requests - a[1].requests)
    .map(([name, s]) => {
      const sorted = Float64Array.from(s.latencies).sort();
      return {
        op: name,
        requests: s.requests,
        errors: s.errors,
        p50: round(percentile(sorted, 50)),
        p99: round(percentile(sorted, 99)),
      };
    });
  const failed =
    errorCount > 0 ||
    r.verify.missing > 0 ||
    r.retried.failed > 0 ||
    r.serverErrors.count > 0 ||
    r.serverExitCode !== 0;
  const cpus = perWindow.map((w) => w.serverCpuPercent).filter(Number.isFinite);
  const loads = perWindow.map((w) => w.loadAverage).filter((l): l is number => l !== null);

  const scenario = `soak ${round(DURATION_S / 60, 2)} min at ${RATE} req/s`;
  const row = (metric: string, value: number, unit: string, target?: string, met?: boolean): SummaryRow => ({
    scenario,
    dialect: r.dialect,
    metric,
    value: round(value, 2),
    unit,
    ...(target === undefined ? {} : { target, met }),
  });
  const p99Drift = last.p99 / first.p99;
  const summary: SummaryRow[] = [
    row('requests', requests, 'requests'),
    // a fixed schedule, not a throughput: 'requests/s' keeps it apart from the req/s of the benchmarks
    row('rate sent (on schedule)', requests / r.runSeconds, 'requests/s'),
    row('errors', errorCount, 'requests', '0', errorCount === 0),
    row('server error log lines', r.serverErrors.count, 'lines', '0', r.serverErrors.count === 0),
    row('requests created', r.created, 'tickets'),
    row('writes checked', r.verify.stepsChecked, 'acknowledged writes'),
    row('requests missing or changed', r.verify.missing, 'tickets', '0', r.verify.missing === 0),
    row('steps unanswered (timed out): applied whole', r.verify.unansweredSteps.applied, 'requests'),
    row('steps unanswered (timed out): not applied', r.verify.unansweredSteps.notApplied, 'requests'),
    row('creations unanswered, resent with their Idempotency-Key', r.retried.count, 'requests'),
    row('… of which the first had been stored', r.retried.appliedBefore, 'tickets'),
    row('conflicts with SLA escalations, reloaded and retried', systemConflicts, 'requests'),
    row('RSS first window', first.rssMiB, 'MiB'),
    row('RSS last window', last.rssMiB, 'MiB'),
    row('RSS max', mib(rssMax), 'MiB'),
    row('RSS growth last − first window', last.rssMiB - first.rssMiB, 'MiB'),
    row('RSS trend (whole run)', trend, 'MiB/min'),
    row('RSS trend (second half)', trendLate, 'MiB/min'),
    row('full collections (mark-compact)', heapPoints.length, 'collections'),
    row('heap after the first full collection', heapPoints[0]?.y ?? Number.NaN, 'MB'),
    row('heap after the last full collection', heapPoints[heapPoints.length - 1]?.y ?? Number.NaN, 'MB'),
    row('heap after full collections, trend (second half)', slope(heapLate), 'MB/min'),
    row('p50 all', percentile(all, 50), 'ms'),
    row('p99 all', percentile(all, 99), 'ms'),
    row('p99 first window', first.p99, 'ms'),
    row('p99 last window', last.p99, 'ms'),
    row('p99 drift last / first window', p99Drift, '×'),
    row('client schedule lag max', scheduleLagMaxMs, 'ms'),
    row('server CPU mean', cpus.reduce((a, b) => a + b, 0) / Math.max(1, cpus.length), '% of a core'),
    row('server CPU max window', Math.max(...cpus), '% of a core'),
    row('machine load average (1 min) max', Math.max(...loads), 'runnable'),
    row(
      'server exit code after SIGTERM',
      r.serverExitCode ?? -1,
      'code',
      '0: clean exit',
      r.serverExitCode === 0,
    ),
    row('server shutdown after SIGTERM', shutdownSeconds, 's'),
  ];

  console.log(`\n${describeMachine(r.m1)} (at the start: load average ${r.m0.loadAverage.join(' ')})`);
  console.log(
    `${r.dialect}, ${r.demo.communities.length} communities, ${r.demo.counts.residents} residents, ` +
      `${r.demo.counts.staff} staff, ${r.demo.counts.tickets} demo requests (loaded in ${r.loadSeconds.toFixed(1)} s); ` +
      `${round(r.runSeconds, 0)} s at ${RATE} req/s (${r.scheduled} slots, ${idleSlots} with nobody free to send), window ${WINDOW_S} s\n`,
  );
  console.log(
    table([
      [
        'window',
        'from s',
        'requests',
        'errors',
        'req/s',
        'p50 ms',
        'p99 ms',
        'max ms',
        'RSS MiB',
        'server CPU %',
        'heap after full GC MB',
        'load avg',
      ],
      ...perWindow.map((w) => [
        w.window,
        w.fromS,
        w.requests,
        w.errors,
        w.rps,
        w.p50,
        w.p99,
        w.max,
        w.rssMiB,
        w.serverCpuPercent,
        w.heapAfterFullGcMiB ?? '–',
        w.loadAverage ?? '–',
      ]),
    ]),
  );
  console.log(
    `\n${table([['operation', 'requests', 'errors', 'p50 ms', 'p99 ms'], ...operations.map((o) => [o.op, o.requests, o.errors, o.p50, o.p99])])}`,
  );
  console.log(
    `\n${table([
      ['metric', 'value', 'unit', 'target', 'met'],
      ...summary.map((s) => [
        s.metric,
        s.value,
        s.unit,
        s.target ?? '',
        s.met === undefined ? '' : s.met ? '✓' : '✗',
      ]),
    ])}`,
  );
  console.log(`\nrequests created by status at the end: ${JSON.stringify(r.verify.byStatus)}`);
  if (errorCount) console.log(`errors by kind: ${JSON.stringify(errorKinds)}`);
  for (const line of errorSamples.slice(0, 20)) console.error(`  error: ${line}`);
  for (const line of r.verify.problems.slice(0, 20)) console.error(`  write: ${line}`);
  for (const line of r.serverErrors.last) console.error(`  server: ${line}`);

  const run = {
    dialect: r.dialect,
    startedAt: r.startedAt.toISOString(),
    machine: r.m1,
    loadAverageAtStart: r.m0.loadAverage,
    server: SERVER,
    settings: {
      seconds: DURATION_S,
      rate: RATE,
      windowSeconds: WINDOW_S,
      seed: SEED,
      thinkMs: [THINK_MIN_MS, THINK_MAX_MS],
    },
    dataset: r.demo.counts,
    loadSeconds: round(r.loadSeconds),
    scheduled: r.scheduled,
    idleSlots,
    runSeconds: round(r.runSeconds),
    windows: perWindow,
    operations,
    rssSamples: rssSamples.map((s) => ({ atS: round(s.atS), rssMiB: round(s.kib / 1024) })),
    heapAfterFullGc: heapPoints.map((p) => ({ atS: round(p.x * 60), mb: p.y })),
    writes: { ...r.verify, problems: r.verify.problems.slice(0, 50), retriedCreations: r.retried },
    shutdownSeconds: round(shutdownSeconds),
    errors: { count: errorCount, byKind: errorKinds, samples: errorSamples },
    serverErrorLines: r.serverErrors,
    ok: !failed,
    summary,
  };
  // one file for both dialects: a run replaces the last run of its own dialect only
  const file = join(resultsDir(), 'soak.json');
  let runs: (typeof run)[] = [];
  if (existsSync(file)) {
    try {
      runs = (JSON.parse(readFileSync(file, 'utf8')) as { runs?: (typeof run)[] }).runs ?? [];
    } catch {
      runs = [];
    }
  }
  runs = [...runs.filter((x) => x.dialect !== r.dialect), run];
  const written = writeResult('soak', {
    name: 'soak',
    // the machine of the latest run (each run keeps its own)
    machine: r.m1,
    runs,
    summary: runs.flatMap((x) => x.summary),
  });
  console.log(`\n${failed ? 'SOAK FAILED' : 'soak passed'}; results in ${written}`);
  return failed ? 1 : 0;
}

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch(async (error) => {
    console.error(error);
    await cleanup();
    process.exitCode = 1;
  });
