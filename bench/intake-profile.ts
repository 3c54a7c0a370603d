/**
 * `npx tsx bench/intake-profile.ts`: where the time of one request intake (POST /api/v1/tickets
 * with an API token) goes, server side only. The real app (buildApp) on a fresh database loaded
 * by the demo generator, called in-process with app.inject (no sockets, no load tool):
 *
 * - sequential: PROFILE_REQUESTS creates one after another — statements per request (every SQL
 *   statement Kysely runs, counted and timed by a log hook), ms per request, and the time spent
 *   in COMMIT (on SQLite the fsync of synchronous = FULL);
 * - concurrent: the same number of creates with PROFILE_CONCURRENCY in flight — throughput when
 *   the writes can share commits.
 *
 * PROFILE_DATABASE_URL (a PostgreSQL server URL) runs it on a scratch database there instead of
 * SQLite. Run under `node --cpu-prof --import tsx bench/intake-profile.ts` for a CPU profile.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, type LogEvent, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { buildApp, buildServices } from '../src/server/app.js';
import { generateDemo } from '../src/server/modules/demo/demo.generator.js';
import { systemClock } from '../src/server/platform/clock.js';
import { loadConfig } from '../src/server/platform/config.js';
import { type Database, openSqlite } from '../src/server/platform/db/database.js';
import { migrateToLatest } from '../src/server/platform/db/migrate.js';
import type { DB } from '../src/server/platform/db/schema.js';
import { CachingSqliteDriver } from '../src/server/platform/db/sqlite-driver.js';
import { runCannon } from './cannon.js';
import { envWhole } from './common.js';

const REQUESTS = envWhole('PROFILE_REQUESTS', 500, 1, 100_000);
const CONCURRENCY = envWhole('PROFILE_CONCURRENCY', 50, 1, 1000);
const RESIDENTS = envWhole('PROFILE_RESIDENTS', 2000, 50, 1_000_000);
const PG_URL = process.env.PROFILE_DATABASE_URL?.trim() || null;
/** Seconds of a third phase over real HTTP (app.listen, autocannon in a worker thread); 0: none. */
const HTTP_SECONDS = envWhole('PROFILE_HTTP_SECONDS', 0, 0, 600);
/** A .cpuprofile of the measured phases only (not the loading), for Chrome DevTools or speedscope. */
const CPU_PROFILE = process.env.PROFILE_CPU?.trim() || null;

/** As platform/db/database.ts reads PostgreSQL values: ISO strings for times, numbers for counts. */
const PG_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 1184 || oid === 1114)
      return (value: string) => new Date(oid === 1114 ? `${value}Z` : value).toISOString();
    if (oid === 20 || oid === 1700) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** Every statement Kysely runs, by its first words, with its time. */
const statements = {
  count: 0,
  ms: 0,
  commitMs: 0,
  commits: 0,
  bySql: new Map<string, number>(),
  msBySql: new Map<string, number>(),
};
function onQuery(event: LogEvent) {
  statements.count++;
  statements.ms += event.queryDurationMillis;
  const text = event.query.sql.replace(/\s+/g, ' ');
  if (/^commit/i.test(text)) {
    statements.commits++;
    statements.commitMs += event.queryDurationMillis;
  }
  const key = text.slice(0, 70);
  statements.bySql.set(key, (statements.bySql.get(key) ?? 0) + 1);
  statements.msBySql.set(key, (statements.msBySql.get(key) ?? 0) + event.queryDurationMillis);
}
function resetStatements() {
  statements.count = 0;
  statements.ms = 0;
  statements.commitMs = 0;
  statements.commits = 0;
  statements.bySql.clear();
  statements.msBySql.clear();
}

async function main() {
  const cleanups: (() => Promise<void>)[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'estatedesk-profile-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  try {
    let database: Database;
    let databaseUrl: string | null = null;
    if (PG_URL) {
      const name = `estatedesk_profile_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      cleanups.push(async () => {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        await client.query(`drop database if exists ${name} with (force)`);
        await client.end();
      });
      const url = new URL(PG_URL);
      url.pathname = `/${name}`;
      databaseUrl = url.toString();
      // the app's pool settings and value shapes (platform/db/database.ts), with the log hook added
      const logged = new pg.Pool({ connectionString: databaseUrl, max: 10, types: PG_TYPES });
      const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: logged }), log: onQuery });
      database = { db, dialect: 'postgres', url: databaseUrl, sqlite: null, close: () => db.destroy() };
    } else {
      const handle = openSqlite(join(dataDir, 'estatedesk.sqlite'));
      // the app's driver (platform/db/sqlite-driver.ts), with the log hook added
      const dialect = new (class extends SqliteDialect {
        override createDriver() {
          return new CachingSqliteDriver(handle);
        }
      })({ database: handle });
      const db = new Kysely<DB>({ dialect, log: onQuery });
      database = { db, dialect: 'sqlite', url: null, sqlite: handle, close: () => db.destroy() };
    }
    cleanups.push(() => database.close());
    const config = loadConfig({
      DATA_DIR: dataDir,
      WEB_DIR: '/nonexistent',
      LOG_LEVEL: 'silent',
      ESTATEDESK_ADMIN_PASSWORD: `profile-${randomBytes(6).toString('hex')}1`,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    });
    await migrateToLatest(database.db, database.dialect);
    const services = buildServices(database, config, systemClock);
    await services.auth.ensureAdmin(config.adminPassword);
    database.sqlite?.pragma('synchronous = NORMAL');
    const dataset = await generateDemo(services, {
      seed: 1,
      communities: 4,
      buildingsPerCommunity: Math.max(1, Math.ceil(RESIDENTS / (4 * 68 * 1.25))),
      maxResidents: RESIDENTS,
      tickets: 0,
      concurrency: 4,
    });
    database.sqlite?.pragma('synchronous = FULL');
    const app = await buildApp({ config, database, services });
    cleanups.push(() => app.close());
    // where a request's time goes on the server: before the handler (auth, body, validation),
    // waiting for its commit, the rest of the handler, and sending
    const phases = { beforeHandler: [] as number[], commit: [] as number[], total: [] as number[] };
    const startedAt = new WeakMap<object, number>();
    app.addHook('onRequest', async (request) => {
      startedAt.set(request, performance.now());
    });
    app.addHook('preHandler', async (request) => {
      phases.beforeHandler.push(performance.now() - startedAt.get(request)!);
    });
    app.addHook('onResponse', async (request) => {
      phases.total.push(performance.now() - startedAt.get(request)!);
    });
    const commits = services.tickets.commits;
    const run = commits.run.bind(commits);
    commits.run = async (work) => {
      const queued = performance.now();
      try {
        return await run(work);
      } finally {
        phases.commit.push(performance.now() - queued);
      }
    };
    const percentiles = (label: string, values: number[]) => {
      const sorted = Float64Array.from(values).sort();
      const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
      return `${label} p50 ${at(0.5).toFixed(1)} / p90 ${at(0.9).toFixed(1)} / p99 ${at(0.99).toFixed(1)} / max ${at(1).toFixed(1)} ms`;
    };
    const resetPhases = () => {
      for (const list of Object.values(phases)) list.length = 0;
    };

    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: 'admin', password: config.adminPassword },
    });
    const { csrfToken } = login.json() as { csrfToken: string };
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: { cookie, 'x-csrf-token': csrfToken },
      payload: { name: '压测', roles: ['agent'], communityIds: [], allCommunities: true },
    });
    const { token } = created.json() as { token: string };
    const residents = dataset.residents;
    const post = (i: number) => {
      const r = residents[(i * 7) % residents.length]!;
      return app.inject({
        method: 'POST',
        url: '/api/v1/tickets',
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
        payload: {
          communityId: r.communityId,
          roomId: r.roomId,
          residentId: r.id,
          type: 'repair',
          channel: 'phone',
          content: '卫生间漏水，楼下邻居反映天花板有水渍，麻烦尽快安排师傅上门',
        },
      });
    };
    // warm-up: JIT, prepared statements, caches
    for (let i = 0; i < 50; i++) await post(i);

    console.log(
      `${database.dialect}, ${RESIDENTS} residents, ${REQUESTS} requests; load average ${loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`,
    );
    const inspector = CPU_PROFILE ? new Session() : null;
    if (inspector) {
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
      await inspector.post('Profiler.start');
    }
    resetStatements();
    let started = performance.now();
    for (let i = 0; i < REQUESTS; i++) {
      const res = await post(i);
      if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
    }
    let elapsed = performance.now() - started;
    console.log(
      `sequential: ${(elapsed / REQUESTS).toFixed(2)} ms/request (${((1000 * REQUESTS) / elapsed).toFixed(0)}/s), ` +
        `${(statements.count / REQUESTS).toFixed(1)} statements/request (${(statements.ms / REQUESTS).toFixed(2)} ms in them), ` +
        `${(statements.commits / REQUESTS).toFixed(2)} commits/request, ${(statements.commitMs / REQUESTS).toFixed(2)} ms/request in COMMIT`,
    );
    const top = [...statements.bySql.entries()].sort((a, b) => b[1] - a[1]);
    // per request: how many times, and the ms they took together
    for (const [text, n] of top)
      console.log(
        `  ${(n / REQUESTS).toFixed(2)}  ${((statements.msBySql.get(text) ?? 0) / REQUESTS).toFixed(2).padStart(6)} ms  ${text}`,
      );

    resetStatements();
    resetPhases();
    started = performance.now();
    let next = 0;
    let failed = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < REQUESTS) {
          const res = await post(next++);
          if (res.statusCode !== 201) failed++;
        }
      }),
    );
    elapsed = performance.now() - started;
    // the intake's group commit (platform/db/group-commit.ts): writes carried per commit
    const group = services.tickets.commits.stats;
    console.log(
      `group commit since start: ${group.writes} writes in ${group.commits} commits (${(group.writes / Math.max(1, group.commits)).toFixed(2)} per commit)`,
    );
    console.log(
      `concurrent (${CONCURRENCY} in flight): ${((1000 * REQUESTS) / elapsed).toFixed(0)}/s, ` +
        `${(statements.count / REQUESTS).toFixed(1)} statements/request, ` +
        `${(statements.commits / REQUESTS).toFixed(2)} commits/request, ${(statements.commitMs / REQUESTS).toFixed(2)} ms/request in COMMIT, ${failed} failed`,
    );
    console.log(
      `  server side: ${percentiles('before handler', phases.beforeHandler)}; ${percentiles('commit wait', phases.commit)}; ${percentiles('whole', phases.total)}`,
    );
    if (HTTP_SECONDS > 0) {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      if (!address || typeof address === 'string') throw new Error('no port');
      const bodies = Array.from({ length: 500 }, (_, i) => {
        const r = residents[(i * 7) % residents.length]!;
        return JSON.stringify({
          communityId: r.communityId,
          roomId: r.roomId,
          residentId: r.id,
          type: 'repair',
          channel: 'phone',
          content: '卫生间漏水，楼下邻居反映天花板有水渍，麻烦尽快安排师傅上门',
        });
      });
      resetStatements();
      resetPhases();
      const before = { ...commits.stats };
      const load = await runCannon({
        name: 'POST /api/v1/tickets',
        url: `http://127.0.0.1:${address.port}/api/v1/tickets`,
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        bodies,
        idempotencyKey: true,
        expectStatus: 201,
        connections: CONCURRENCY,
        seconds: HTTP_SECONDS,
        warmupSeconds: 1,
      });
      const writes = commits.stats.writes - before.writes;
      console.log(
        `HTTP (${CONCURRENCY} connections, ${HTTP_SECONDS} s): ${load.rps.toFixed(0)}/s, client p50 ${load.p50} / p90 ${load.p90} / p99 ${load.p99} / max ${load.max} ms, ` +
          `${JSON.stringify(load.unexpected)} unexpected, ${load.errors} errors; ${(writes / Math.max(1, commits.stats.commits - before.commits)).toFixed(1)} writes per commit; ` +
          `${(statements.commits / Math.max(1, phases.total.length)).toFixed(2)} commits per request (all writers)`,
      );
      console.log(
        `  server side: ${percentiles('before handler', phases.beforeHandler)}; ${percentiles('commit wait', phases.commit)}; ${percentiles('whole', phases.total)}`,
      );
    }
    if (inspector && CPU_PROFILE) {
      const { profile } = await inspector.post('Profiler.stop');
      writeFileSync(CPU_PROFILE, JSON.stringify(profile));
      inspector.disconnect();
      console.log(`CPU profile of both phases: ${CPU_PROFILE}`);
    }
    console.log(
      `load average ${loadavg()
        .map((n) => n.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    for (const step of cleanups.reverse()) await step().catch((e) => console.error(e));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
