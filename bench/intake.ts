/**
 * `npm run bench -- intake`: receiving requests (受理) through the public API as an integration
 * would — POST /api/v1/tickets with an API token (Bearer), realistic Chinese bodies of varied
 * types, channels and rooms, a fresh Idempotency-Key each — by autocannon with the same settings as
 * the hello-world ceiling measured in the same run (bench/ceiling.ts). Every response must be 201;
 * afterwards the rows are counted and must equal the 201s the server sent.
 *
 * On SQLite in a temp dir, and also on PostgreSQL with BENCH_DATABASE_URL (a fresh database
 * estatedesk_bench_<random> is created there and dropped afterwards). The database is first loaded
 * with the demo generator: BENCH_RESIDENTS (default 10,000) and BENCH_TICKETS (default residents/2).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp, buildServices } from '../src/server/app.js';
import { generateDemo } from '../src/server/modules/demo/demo.generator.js';
import { systemClock } from '../src/server/platform/clock.js';
import { loadConfig } from '../src/server/platform/config.js';
import { openDatabase } from '../src/server/platform/db/database.js';
import { migrateToLatest } from '../src/server/platform/db/migrate.js';
import { type CannonResult, runCannon } from './cannon.js';
import type { LoadSettings } from './ceiling.js';
import type { SummaryRow } from './summary.js';

/** 4 communities of 2-unit towers, floors 2..18, 2 flats a floor, as bench/run.ts. */
const COMMUNITIES = 4;
const ROOMS_PER_BUILDING = 2 * 17 * 2;
const RESIDENTS_PER_ROOM = 1.25;

/** What residents report, by type, with the channels they use. */
const BODIES: { type: string; channels: string[]; content: string[] }[] = [
  {
    type: 'repair',
    channels: ['phone', 'wechat', 'app'],
    content: [
      '卫生间漏水，楼下邻居反映天花板有水渍，麻烦尽快安排师傅上门',
      '厨房水龙头一直滴水，关不紧，已经关了总阀',
      '客厅插座没电，空气开关推不上去，冰箱也停了',
      '入户门锁坏了，钥匙拧不动，家里有老人进不去',
      '卧室窗户关不严，下雨时雨水渗进来',
      '厨房下水道堵塞，水排不下去，有异味',
      '阳台地漏返水，洗衣机一排水就漫出来',
      '热水器打不着火，显示E1故障码',
    ],
  },
  {
    type: 'complaint',
    channels: ['phone', 'walk_in', 'wechat'],
    content: [
      '楼上每天晚上十一点以后还在装修，电钻声音很大，影响休息',
      '楼道里堆放杂物很久了，多次反映没人清理，存在消防隐患',
      '地下车库有外来车辆长期占用我的车位，保安不管',
      '小区里有人遛狗不牵绳，还随地大小便',
      '垃圾桶满了两天没人收，夏天臭味很大',
    ],
  },
  {
    type: 'inquiry',
    channels: ['phone', 'app', 'web'],
    content: [
      '请问本月物业费账单什么时候出，可以线上缴纳吗',
      '想咨询一下装修需要办理哪些手续，押金是多少',
      '停水通知说明天几点恢复供水',
      '门禁卡丢了，补办需要带什么材料',
    ],
  },
  {
    type: 'suggestion',
    channels: ['app', 'wechat'],
    content: [
      '建议在中心花园增加几张长椅，老人散步累了可以坐一下',
      '建议快递柜旁边加个雨棚，下雨天取件很不方便',
    ],
  },
  { type: 'help', channels: ['phone'], content: ['家里老人摔倒了起不来，家属不在，请派人帮忙看一下'] },
  {
    type: 'praise',
    channels: ['wechat', 'walk_in'],
    content: ['感谢维修师傅周末加班帮我修好了水管，服务很耐心'],
  },
];

export interface IntakeResult {
  dialect: 'sqlite' | 'postgres';
  dataset: Record<string, number>;
  loadSeconds: number;
  load: CannonResult;
  /**
   * 201s the server sent (warm-up included), requests never answered (in flight when a phase ended
   * and the client closed its sockets), rows counted afterwards: 201s <= rows <= 201s + aborted.
   */
  served201: number;
  aborted: number;
  rowsAdded: number;
  checked: boolean;
  problems: string[];
  /**
   * The same requests timed by the server, from Fastify's onRequest to its onResponse (ms): what
   * the app itself takes, without the time a request waits before the server reads it.
   */
  server: { p50: number; p90: number; p99: number; max: number };
  /** SQLite's group commit during the run: writes and the commits that carried them. */
  groupCommit: { writes: number; commits: number } | null;
}

export async function intake(options: {
  dialect: 'sqlite' | 'postgres';
  pgAdminUrl: string | null;
  residents: number;
  tickets: number;
  settings: LoadSettings;
  log?: (line: string) => void;
}): Promise<IntakeResult> {
  const log = options.log ?? (() => {});
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const dataDir = mkdtempSync(join(tmpdir(), 'estatedesk-bench-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    let databaseUrl: string | null = null;
    if (options.dialect === 'postgres') {
      const adminUrl = options.pgAdminUrl;
      if (!adminUrl) throw new Error('PostgreSQL needs BENCH_DATABASE_URL');
      const name = `estatedesk_bench_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      cleanups.push(async () => {
        const client = new pg.Client({ connectionString: adminUrl });
        await client.connect();
        await client.query(`drop database if exists ${name} with (force)`);
        await client.end();
      });
      const url = new URL(adminUrl);
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
      if (databaseUrl) await new Promise((resolve) => setTimeout(resolve, 200));
    });
    await migrateToLatest(database.db, database.dialect);
    const services = buildServices(database, config, systemClock);
    await services.auth.ensureAdmin(config.adminPassword);

    const buildingsPerCommunity = Math.max(
      1,
      Math.ceil(options.residents / (COMMUNITIES * ROOMS_PER_BUILDING * RESIDENTS_PER_ROOM)),
    );
    log(`loading ${options.residents} residents and ${options.tickets} requests into ${database.dialect}…`);
    // loading only: no fsync per commit on SQLite; measured with the shipped FULL again
    database.sqlite?.pragma('synchronous = NORMAL');
    const dataset = await generateDemo(services, {
      seed: 1,
      communities: COMMUNITIES,
      buildingsPerCommunity,
      maxResidents: options.residents,
      tickets: options.tickets,
      concurrency: database.dialect === 'postgres' ? 8 : 4,
    });
    database.sqlite?.pragma('synchronous = FULL');
    if (database.dialect === 'postgres') await sql`analyze`.execute(database.db);
    const loadSeconds = dataset.elapsedMs / 1000;
    log(`  loaded in ${loadSeconds.toFixed(1)} s: ${JSON.stringify(dataset.counts)}`);

    // the services the data was loaded through (as the tests do): their group commit is read below
    const app = await buildApp({ config, database, services });
    // the server's own count of the requests it accepted, to compare with the rows afterwards
    // (requests the client gave up on — in flight when a phase's clock stopped and autocannon
    // closed its sockets — still finish on the server, but no response is sent for them: Fastify
    // drops it, and runs no onResponse hook; they are counted as received and never answered)
    let received = 0;
    let answered = 0;
    let served201 = 0;
    const isIntake = (request: { method: string; routeOptions: { url?: string } }) =>
      request.method === 'POST' && request.routeOptions.url === '/api/v1/tickets';
    const serverMs: number[] = [];
    app.addHook('onRequest', async (request) => {
      if (isIntake(request)) received++;
    });
    app.addHook('onResponse', async (request, reply) => {
      if (!isIntake(request)) return;
      answered++;
      if (reply.statusCode === 201) served201++;
      serverMs.push(reply.elapsedTime);
    });
    cleanups.push(() => app.close());
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    const baseUrl = `http://127.0.0.1:${address.port}`;

    // an integration's token, created by the admin through the API (as an operator would)
    const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: config.adminPassword }),
    });
    if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${await login.text()}`);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const created = await fetch(`${baseUrl}/api/v1/api-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({
        name: '压测：工单接入',
        roles: ['agent'],
        communityIds: [],
        allCommunities: true,
      }),
    });
    if (created.status !== 201) throw new Error(`token: ${created.status} ${await created.text()}`);
    const { token } = (await created.json()) as { token: string };

    // residents of every community, spread evenly, each with a body of its own
    const step = Math.max(1, Math.floor(dataset.residents.length / 1000));
    const bodies = dataset.residents
      .filter((_, i) => i % step === 0)
      .slice(0, 1000)
      .map((resident, i) => {
        const kind = BODIES[i % BODIES.length]!;
        return JSON.stringify({
          communityId: resident.communityId,
          roomId: resident.roomId,
          residentId: resident.id,
          type: kind.type,
          channel: kind.channels[i % kind.channels.length],
          content: kind.content[Math.floor(i / BODIES.length) % kind.content.length],
        });
      });

    const countTickets = async () =>
      Number(
        (
          await database.db
            .selectFrom('tickets')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await countTickets();
    const commitsBefore = { ...services.tickets.commits.stats };
    const load = await runCannon({
      name: `POST /api/v1/tickets (${database.dialect}, API token)`,
      url: `${baseUrl}/api/v1/tickets`,
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      bodies,
      idempotencyKey: true,
      expectStatus: 201,
      ...options.settings,
    });
    // requests in flight when the client stopped still finish on the server: wait for them
    let last = -1;
    while (last !== answered) {
      last = answered;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const rowsAdded = (await countTickets()) - before;
    const aborted = received - answered;
    const commitsAfter = services.tickets.commits.stats;

    const problems: string[] = [];
    if (Object.keys(load.unexpected).length)
      problems.push(`unexpected statuses ${JSON.stringify(load.unexpected)}: ${load.firstUnexpected}`);
    if (load.errors || load.timeouts)
      problems.push(`${load.errors} socket errors, ${load.timeouts} timeouts`);
    if (rowsAdded < served201 || rowsAdded > served201 + aborted)
      problems.push(`${rowsAdded} rows added but ${served201} 201s sent and ${aborted} requests aborted`);
    const got201 = load.expected + load.warmupExpected;
    if (got201 > served201) problems.push(`${got201} 201s received but ${served201} sent`);
    if (load.expected === 0) problems.push('no 201 at all');
    return {
      dialect: database.dialect,
      dataset: dataset.counts,
      loadSeconds,
      load,
      served201,
      aborted,
      rowsAdded,
      checked: problems.length === 0,
      problems,
      server: percentiles(serverMs),
      groupCommit:
        database.dialect === 'sqlite'
          ? {
              writes: commitsAfter.writes - commitsBefore.writes,
              commits: commitsAfter.commits - commitsBefore.commits,
            }
          : null,
    };
  } finally {
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (error) {
        console.error('cleanup failed:', error);
      }
    }
  }
}

/** p50 / p90 / p99 / max of a list of milliseconds. */
function percentiles(values: number[]) {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! : Number.NaN;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(at(1)) };
}

/**
 * The optional peer (issue 9): a helpdesk's own ticket-creation API loaded exactly as EstateDesk's
 * intake is, in the same run — osTicket's `POST /api/tickets.json` with its `X-API-Key` header
 * (the key is bound to the caller's IP address in osTicket's admin panel) and its JSON fields.
 * osTicket answers 201 with the new ticket's number; anything else counts as unexpected.
 */
export interface PeerResult {
  url: string;
  load: CannonResult;
  checked: boolean;
  problems: string[];
}

export function peerSettings(env: NodeJS.ProcessEnv = process.env): { url: string; apiKey: string } | null {
  const url = env.PEER_TICKETS_URL?.trim();
  const apiKey = env.PEER_API_KEY?.trim();
  return url && apiKey ? { url, apiKey } : null;
}

/** The same kinds of request as EstateDesk's intake, in osTicket's shape. */
export function peerBodies(count = 1000): string[] {
  const names = ['王建国', '李秀英', '张伟', '刘洋', '陈静', '杨帆', '赵磊', '黄丽'];
  return Array.from({ length: count }, (_, i) => {
    const kind = BODIES[i % BODIES.length]!;
    const content = kind.content[Math.floor(i / BODIES.length) % kind.content.length]!;
    return JSON.stringify({
      alert: false,
      autorespond: false,
      source: 'API',
      name: names[i % names.length],
      email: `resident${i}@example.com`,
      phone: `138${String(10_000_000 + i).slice(-8)}`,
      subject: `${kind.type}: ${content.slice(0, 20)}`,
      message: content,
      ip: '127.0.0.1',
    });
  });
}

export async function peerIntake(
  peer: { url: string; apiKey: string },
  settings: LoadSettings,
): Promise<PeerResult> {
  const load = await runCannon({
    name: `peer: POST ${new URL(peer.url).pathname} (osTicket API key)`,
    url: peer.url,
    method: 'POST',
    headers: { 'x-api-key': peer.apiKey },
    bodies: peerBodies(),
    expectStatus: 201,
    ...settings,
  });
  const problems: string[] = [];
  if (Object.keys(load.unexpected).length)
    problems.push(`unexpected statuses ${JSON.stringify(load.unexpected)}: ${load.firstUnexpected}`);
  if (load.errors || load.timeouts) problems.push(`${load.errors} socket errors, ${load.timeouts} timeouts`);
  if (load.expected === 0) problems.push('no 201 at all');
  // the key is a secret: the result keeps the address only
  return { url: peer.url, load, checked: problems.length === 0, problems };
}

/** The figures of docs/benchmarks.md's summary (bench/summary.ts) for the intake runs. */
export function intakeSummary(
  runs: (IntakeResult & { percentOfCeiling: number })[],
  helloWorldRps: number,
  peer: PeerResult | null,
) {
  const target = 0.3 * helloWorldRps;
  const rows: SummaryRow[] = runs.flatMap((r): SummaryRow[] => [
    {
      scenario: 'intake: POST /api/v1/tickets (API token)',
      dialect: r.dialect,
      metric: `throughput, ${r.load.connections} connections`,
      value: r.load.rps,
      unit: 'req/s',
      // issue 9: at least 30 % of the hello-world ceiling measured in the same run
      target,
      met: r.load.rps >= target,
    },
    {
      scenario: 'intake: POST /api/v1/tickets (API token)',
      dialect: r.dialect,
      metric: 'p99 latency, client',
      value: r.load.p99,
      unit: 'ms',
    },
    {
      scenario: 'intake: POST /api/v1/tickets (API token)',
      dialect: r.dialect,
      metric: 'p99 latency, server (onRequest → onResponse)',
      value: r.server.p99,
      unit: 'ms',
    },
    {
      scenario: 'intake: every acknowledged ticket stored',
      dialect: r.dialect,
      metric: 'rows counted after the run',
      value: r.rowsAdded,
      unit: 'rows',
      met: r.checked,
    },
  ]);
  if (peer) {
    rows.push({
      scenario: 'intake: peer (osTicket POST /api/tickets.json)',
      dialect: '–',
      metric: `throughput, ${peer.load.connections} connections`,
      value: peer.load.rps,
      unit: 'req/s',
    });
    for (const r of runs)
      rows.push({
        scenario: 'intake: EstateDesk / peer',
        dialect: r.dialect,
        metric: 'throughput ratio',
        value: peer.load.rps > 0 ? r.load.rps / peer.load.rps : 0,
        unit: '×',
      });
  }
  return rows;
}
