/**
 * `npx tsx bench/search.ts`: resident search (R3) at scale. Loads BENCH_RESIDENTS residents
 * (default 1,000,000, in communities of about 5,000) with the bulk generator of the large operator
 * (src/server/modules/demo/bulk.ts: the same rows, search keys and 尾号 the residents service
 * writes) into a fresh database, starts the real app, and measures each kind of search through
 * HTTP over loopback, one desk at a time (latency, not throughput), for an agent scoped to one
 * community and for an admin who sees all of them.
 *
 * Environment: BENCH_RESIDENTS, BENCH_DATABASE_URL (a PostgreSQL server: a fresh database
 * estatedesk_bench_<random> is created there and dropped afterwards), BENCH_REQUESTS (per query
 * kind, default 400).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { nameSearchKeys } from '../src/domain/names.js';
import { buildApp, buildServices } from '../src/server/app.js';
import { generateBulk } from '../src/server/modules/demo/bulk.js';
import { systemClock } from '../src/server/platform/clock.js';
import { loadConfig } from '../src/server/platform/config.js';
import { openDatabase } from '../src/server/platform/db/database.js';
import { migrateToLatest } from '../src/server/platform/db/migrate.js';
import type { LoadResult } from './load.js';
import { runLoadInWorker } from './load-runner.js';

const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const PG_ADMIN_URL = process.env.BENCH_DATABASE_URL?.trim() || null;
const PER_COMMUNITY = 5_000;
const PASSWORD = 'Bench2026x';

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'estatedesk-bench-search-'));
  let databaseUrl: string | null = null;
  let dbName: string | null = null;
  if (PG_ADMIN_URL) {
    dbName = `estatedesk_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }
  const database = openDatabase({ databaseUrl, dataDir, poolSize: 8 });
  try {
    await migrateToLatest(database.db, database.dialect);
    const config = loadConfig({
      DATA_DIR: dataDir,
      WEB_DIR: '/nonexistent',
      ESTATEDESK_ADMIN_PASSWORD: PASSWORD,
    });
    const services = buildServices(database, config, systemClock);
    await services.auth.ensureAdmin(PASSWORD);

    // ---- bulk load: residents only (fresh statistics: the generator runs ANALYZE) -------------
    const communities = Math.ceil(RESIDENTS / PER_COMMUNITY);
    const loaded = await generateBulk(database, {
      communities,
      residents: RESIDENTS,
      tickets: 0,
      samples: 400,
      onProgress: (line) => console.log(line),
    });
    const loadSeconds = loaded.totalSeconds;
    const samples = loaded.samples.map((s) => ({
      communityIndex: s.communityIndex,
      phone: s.phone,
      name: s.name,
      code: s.roomCode,
    }));

    // ---- users: an agent of community 1, and the admin who sees all ------------------------
    const agentLogin = `${loaded.communities[0]!.code.toLowerCase()}.agent1`;

    const app = await buildApp({ config, database });
    const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const login = async (user: string, password = PASSWORD) => {
      const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: user, password }),
      });
      return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    };
    const who = {
      'agent (1 community)': await login(agentLogin, loaded.password),
      'admin (all communities)': await login('admin'),
    };

    const mine = samples.filter((s) => s.communityIndex === 0);
    const kinds: Record<string, (s: (typeof samples)[number]) => string> = {
      '尾号 (4 digits)': (s) => s.phone.slice(-4),
      'full phone, typed with dashes': (s) =>
        `${s.phone.slice(0, 3)}-${s.phone.slice(3, 7)}-${s.phone.slice(7)}`,
      'room code 3-2-1502': (s) => s.code,
      'name (surname + first given char)': (s) => s.name.slice(0, 2),
      'pinyin initials': (s) => nameSearchKeys(s.name).initials,
    };
    const results: { who: string; kind: string; result: LoadResult }[] = [];
    for (const [role, cookie] of Object.entries(who)) {
      const pool = role.startsWith('agent') ? mine : samples;
      for (const [kind, text] of Object.entries(kinds)) {
        const paths = pool.map((s) => `/api/v1/residents?q=${encodeURIComponent(text(s))}&limit=20`);
        const result = await runLoadInWorker({
          name: kind,
          baseUrl,
          method: 'GET',
          paths,
          headers: { cookie },
          expectStatus: 200,
          connections: 1,
          maxRequests: REQUESTS,
          maxSeconds: 30,
          warmup: 30,
        });
        results.push({ who: role, kind, result });
      }
    }
    await app.close();

    console.log(
      `\nresident search at ${RESIDENTS.toLocaleString()} residents in ${communities} communities — ${database.dialect}, node ${process.version}, ${cpus().length} cores`,
    );
    console.log(`bulk load: ${loadSeconds.toFixed(1)} s\n`);
    console.log('| who | query | requests | p50 ms | p95 ms | p99 ms | errors |');
    console.log('|---|---|---:|---:|---:|---:|---:|');
    for (const { who: w, kind, result: r } of results) {
      console.log(
        `| ${w} | ${kind} | ${r.requests} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors}${r.firstError ? ` (${r.firstError})` : ''} |`,
      );
    }
  } finally {
    await database.close();
    if (dbName && PG_ADMIN_URL) {
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
