/**
 * `npx tsx bench/search.ts`: resident search (R3) at scale. Loads BENCH_RESIDENTS residents
 * (default 1,000,000) straight into a fresh database in bulk, starts the real app, and measures
 * each kind of search through HTTP over loopback, one desk at a time (latency, not throughput),
 * for a user scoped to one community and for one who sees all of them.
 *
 * Environment: BENCH_RESIDENTS, BENCH_DATABASE_URL (a PostgreSQL server: a fresh database
 * estatedesk_bench_<random> is created there and dropped afterwards), BENCH_REQUESTS (per query
 * kind, default 400).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Insertable, sql } from 'kysely';
import pg from 'pg';
import { nameSearchKeys } from '../src/domain/names.js';
import { buildApp, buildServices } from '../src/server/app.js';
import { systemClock } from '../src/server/platform/clock.js';
import { loadConfig } from '../src/server/platform/config.js';
import { systemContext } from '../src/server/platform/context.js';
import { openDatabase } from '../src/server/platform/db/database.js';
import { migrateToLatest } from '../src/server/platform/db/migrate.js';
import type { DB } from '../src/server/platform/db/schema.js';
import { newId } from '../src/server/platform/ids.js';
import type { LoadResult } from './load.js';
import { runLoadInWorker } from './load-runner.js';

const RESIDENTS = Number(process.env.BENCH_RESIDENTS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const PG_ADMIN_URL = process.env.BENCH_DATABASE_URL?.trim() || null;
const PER_COMMUNITY = 5_000;
const BUILDINGS = 10;
const UNITS = 2;
const FLOORS = 25; // floors 2..26
const DOORS = 5;
const PASSWORD = 'Bench2026x';

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split(
    '',
  );
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国建华志强海燕文博子涵浩然欣怡梓萱宇轩思远雨桐嘉怡晨曦俊杰佳琪'.split(
    '',
  );

/** A small deterministic PRNG, so two runs load the same data. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
  const { db } = database;
  try {
    await migrateToLatest(db, database.dialect);
    const config = loadConfig({
      DATA_DIR: dataDir,
      WEB_DIR: '/nonexistent',
      ESTATEDESK_ADMIN_PASSWORD: PASSWORD,
    });
    const services = buildServices(database, config, systemClock);
    await services.auth.ensureAdmin(PASSWORD);

    // ---- bulk load -------------------------------------------------------------------------
    const started = Date.now();
    const random = prng(20261130);
    const now = new Date().toISOString();
    const communities = Math.ceil(RESIDENTS / PER_COMMUNITY);
    const keyCache = new Map<string, { initials: string; pinyin: string }>();
    const samples: { communityIndex: number; phone: string; name: string; code: string }[] = [];
    const communityIds: string[] = [];
    let made = 0;
    let phoneSeq = 0;
    for (let c = 0; c < communities; c++) {
      const communityId = newId();
      communityIds.push(communityId);
      const buildings: Insertable<DB['buildings']>[] = [];
      const units: Insertable<DB['units']>[] = [];
      const rooms: Insertable<DB['rooms']>[] = [];
      const residents: Insertable<DB['residents']>[] = [];
      const phones: Insertable<DB['resident_phones']>[] = [];
      const memberships: Insertable<DB['resident_rooms']>[] = [];
      for (let b = 1; b <= BUILDINGS; b++) {
        const buildingId = newId();
        buildings.push({
          id: buildingId,
          community_id: communityId,
          name: `${b}栋`,
          code: null,
          designator: String(b),
          steward_user_id: null,
          created_at: now,
        });
        for (let u = 1; u <= UNITS; u++) {
          const unitId = newId();
          units.push({
            id: unitId,
            community_id: communityId,
            building_id: buildingId,
            name: `${u}单元`,
            designator: String(u),
            created_at: now,
          });
          for (let f = 2; f < 2 + FLOORS; f++) {
            for (let d = 1; d <= DOORS; d++) {
              const number = `${f}${String(d).padStart(2, '0')}`;
              rooms.push({
                id: newId(),
                community_id: communityId,
                building_id: buildingId,
                unit_id: unitId,
                number,
                floor: f,
                area: 89,
                status: 'occupied',
                building_key: String(b),
                unit_key: String(u),
                created_at: now,
                version: 1,
              });
            }
          }
        }
      }
      const target = Math.min(PER_COMMUNITY, RESIDENTS - made);
      for (let r = 0; r < target; r++) {
        const room = rooms[r % rooms.length]!;
        const name =
          SURNAMES[Math.floor(random() * SURNAMES.length)]! +
          GIVEN[Math.floor(random() * GIVEN.length)]! +
          (random() < 0.6 ? GIVEN[Math.floor(random() * GIVEN.length)]! : '');
        let keys = keyCache.get(name);
        if (!keys) {
          keys = nameSearchKeys(name);
          keyCache.set(name, keys);
        }
        // unique mobile numbers, spread over the range
        const phone = `13${String((phoneSeq++ * 7919 + 12_345) % 1_000_000_000).padStart(9, '0')}`;
        const id = newId();
        residents.push({
          id,
          community_id: communityId,
          room_id: room.id!,
          name,
          phone,
          phone_tail: phone.slice(-4),
          salutation: random() < 0.5 ? 'mr' : 'ms',
          kind: 'owner',
          notes: null,
          name_initials: keys.initials,
          name_pinyin: keys.pinyin,
          care: null,
          move_in_date: null,
          move_out_date: null,
          archived_at: null,
          created_at: now,
          updated_at: now,
          version: 1,
        });
        phones.push({
          resident_id: id,
          community_id: communityId,
          phone,
          phone_tail: phone.slice(-4),
          sort: 0,
        });
        memberships.push({
          resident_id: id,
          room_id: room.id!,
          community_id: communityId,
          kind: 'owner',
          move_in_date: null,
          move_out_date: null,
          created_at: now,
        });
        if (random() < 400 / RESIDENTS || (c === 0 && r % 25 === 0)) {
          samples.push({
            communityIndex: c,
            phone,
            name,
            code: `${room.building_key}-${room.unit_key}-${room.number}`,
          });
        }
      }
      made += target;
      await db.transaction().execute(async (trx) => {
        const save = async <T extends keyof DB>(table: T, rows: Insertable<DB[T]>[]) => {
          for (let i = 0; i < rows.length; i += 1000) {
            // biome-ignore lint/suspicious/noExplicitAny: one generic bulk insert for several tables
            await (trx.insertInto(table) as any).values(rows.slice(i, i + 1000)).execute();
          }
        };
        await trx
          .insertInto('communities')
          .values({
            id: communityId,
            name: `小区${c + 1}`,
            code: `B${c + 1}`,
            address: null,
            time_zone: 'Asia/Shanghai',
            created_at: now,
            updated_at: now,
          })
          .execute();
        await save('buildings', buildings);
        await save('units', units);
        await save('rooms', rooms);
        await save('residents', residents);
        await save('resident_phones', phones);
        await save('resident_rooms', memberships);
      });
      if ((c + 1) % 20 === 0)
        process.stdout.write(
          `  loaded ${made.toLocaleString()} residents (${((Date.now() - started) / 1000).toFixed(0)} s)\n`,
        );
    }
    // fresh statistics, as a running database would have
    if (database.dialect === 'postgres') await sql`analyze`.execute(db);
    else database.sqlite!.exec('analyze');
    const loadSeconds = (Date.now() - started) / 1000;

    // ---- users: an agent of community 1, and the admin who sees all ------------------------
    const ctx = systemContext();
    const agent = await services.staff.create(ctx, {
      username: 'benchagent',
      employeeNo: 'B001',
      name: '压测客服',
      roles: ['agent'],
      communityIds: [communityIds[0]!],
      password: PASSWORD,
    });
    await services.staffRepo.update(agent.id, { must_change_password: 0 });

    const app = await buildApp({ config, database });
    const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const login = async (user: string) => {
      const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: user, password: PASSWORD }),
      });
      return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    };
    const who = {
      'agent (1 community)': await login('benchagent'),
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
