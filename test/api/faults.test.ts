import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfFile } from '../fixtures/attachments/files.js';
import { createTestDatabase, dialects, type TestDatabase } from '../helpers/db.js';
import { type HttpSession, httpLogin, runCli, startServer } from '../helpers/ops-harness.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const PASSWORD = 'Faults2026';
/** Server processes on a shared two-core machine. */
const TIMEOUT = 240_000;

const translated = {
  DATABASE_UNAVAILABLE: {
    'zh-CN': '数据库暂时无法连接，本次操作未保存，请稍后重试',
    en: 'The database cannot be reached just now; nothing was saved. Please try again shortly',
  },
  STORAGE_FULL: {
    'zh-CN': '服务器存储空间已满，本次内容未保存；请联系管理员清理空间后重试',
  },
};

async function setUp(admin: HttpSession, code: string) {
  const community = await admin.call<{ id: string }>('POST', '/api/v1/communities', {
    name: `小区${code}`,
    code,
  });
  expect(community.status).toBe(201);
  const building = await admin.call<{ id: string }>('POST', '/api/v1/buildings', {
    communityId: community.json.id,
    name: '1栋',
  });
  const unit = await admin.call<{ id: string }>('POST', '/api/v1/units', {
    buildingId: building.json.id,
    name: '1单元',
  });
  const room = await admin.call<{ id: string }>('POST', '/api/v1/rooms', {
    unitId: unit.json.id,
    number: '101',
  });
  expect(room.status).toBe(201);
  return { communityId: community.json.id, roomId: room.json.id };
}

function ticketBody(place: { communityId: string; roomId: string }, content: string) {
  return {
    communityId: place.communityId,
    roomId: place.roomId,
    callerName: '李女士',
    callerPhone: '13900139000',
    type: 'repair',
    channel: 'phone',
    content,
  };
}

async function readyz(url: string) {
  const res = await fetch(`${url}/readyz`);
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    json: (await res.json()) as Record<string, unknown>,
  };
}

// ---------------------------------------------------------------------------------------------
// mount: the disk-full and read-only tests need a small file system of their own

function sh(command: string, args: string[]) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return { ok: result.status === 0, message: `${result.stderr || ''}${result.error?.message ?? ''}`.trim() };
}

/** Why tmpfs mounts cannot be used here (not root, no CAP_SYS_ADMIN), or null when they can. */
function mountUnavailable(): string | null {
  const probe = mkdtempSync(join(tmpdir(), 'estatedesk-mount-probe-'));
  try {
    const mounted = sh('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]);
    if (!mounted.ok) return `mount -t tmpfs is not permitted here (${mounted.message || 'no reason given'})`;
    sh('umount', [probe]);
    return null;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

function mountTmpfs(sizeMb: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'estatedesk-fault-'));
  const mounted = sh('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0755`, 'tmpfs', dir]);
  if (!mounted.ok) throw new Error(`mount failed: ${mounted.message}`);
  return dir;
}

function unmount(dir: string) {
  sh('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
}

/** Writes zeros until the file system says ENOSPC; returns the filler's path. */
function fillDisk(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  // the last partial blocks too
  const small = openSync(path, 'a');
  try {
    for (;;) writeSync(small, Buffer.alloc(512));
  } catch {
    // full
  } finally {
    closeSync(small);
  }
  return path;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

const mountProblem = mountUnavailable();
if (mountProblem) {
  console.warn(`\n*** disk-full and read-only tests SKIPPED: ${mountProblem}\n`);
}

// ---------------------------------------------------------------------------------------------

describe.skipIf(!dialects().includes('postgres'))(
  'PostgreSQL unreachable (a TCP proxy between app and database)',
  () => {
    let testDb: TestDatabase;
    let proxy: TcpProxy;
    let server: ServerProcess | null = null;
    beforeAll(async () => {
      testDb = await createTestDatabase('postgres', { migrate: false });
      await testDb.database.close();
      const target = new URL(testDb.databaseUrl!);
      proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    }, 120_000);
    afterAll(async () => {
      if (server) await server.terminate();
      await proxy?.close();
      await testDb?.drop();
    }, 120_000);

    it(
      'answers 503 DATABASE_UNAVAILABLE with Retry-After and readyz 503 while cut, and recovers by itself',
      async () => {
        const url = new URL(testDb.databaseUrl!);
        url.port = String(proxy.port);
        server = await startServer({
          DATA_DIR: testDb.dataDir,
          DATABASE_URL: url.toString(),
          ESTATEDESK_ADMIN_PASSWORD: PASSWORD,
        });
        const admin = await httpLogin(server.url, 'admin', PASSWORD);
        const place = await setUp(admin, 'NET1');
        expect((await admin.call('POST', '/api/v1/tickets', ticketBody(place, '停电前的报修'))).status).toBe(
          201,
        );
        expect((await readyz(server.url)).status).toBe(200);

        proxy.cut();
        const read = await admin.call('GET', '/api/v1/tickets');
        expect(read.status).toBe(503);
        expect(read.headers.get('retry-after')).toBe('5');
        expect(read.json).toMatchObject({
          code: 'DATABASE_UNAVAILABLE',
          message: translated.DATABASE_UNAVAILABLE['zh-CN'],
          requestId: expect.any(String),
        });
        const write = await admin.call('POST', '/api/v1/tickets', ticketBody(place, '断网期间的报修'));
        expect(write.status).toBe(503);
        expect(write.json.code).toBe('DATABASE_UNAVAILABLE');
        const english = await fetch(`${server.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'accept-language': 'en' },
          body: JSON.stringify({ login: 'admin', password: PASSWORD }),
        });
        expect(english.status).toBe(503);
        expect(english.headers.get('retry-after')).toBe('5');
        expect(await english.json()).toMatchObject({ message: translated.DATABASE_UNAVAILABLE.en });
        const notReady = await readyz(server.url);
        expect(notReady).toMatchObject({
          status: 503,
          retryAfter: '5',
          json: { status: 'unavailable', reason: 'DATABASE_UNAVAILABLE' },
        });
        // liveness is not readiness: the process is fine, a restart would not help
        expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
        // still cut a while later: every answer is the same clear 503, the process stays up
        for (let i = 0; i < 5; i++) {
          expect((await admin.call('GET', '/api/v1/tickets')).status).toBe(503);
        }
        expect(server.child.exitCode).toBeNull();

        proxy.restore();
        const deadline = Date.now() + 30_000;
        while ((await readyz(server.url)).status !== 200) {
          expect(Date.now()).toBeLessThan(deadline);
          await new Promise((r) => setTimeout(r, 200));
        }
        // the same session, the same process: no restart, nothing to do by hand
        const list = await admin.call<{ items: { content: string }[] }>('GET', '/api/v1/tickets');
        expect(list.status).toBe(200);
        expect(list.json.items.map((t) => t.content)).toEqual(['停电前的报修']);
        expect((await admin.call('POST', '/api/v1/tickets', ticketBody(place, '恢复后的报修'))).status).toBe(
          201,
        );
        expect(server.child.exitCode).toBeNull();
        expect(server.output()).toMatch(/PostgreSQL connection lost; the pool will reconnect/);
        expect(server.output()).not.toMatch(/"statusCode":500/);
        expect(await server.terminate()).toBe(0);
        server = null;
      },
      TIMEOUT,
    );
  },
);

describe('SQLite file locked by another program (the embedded equivalent of an unreachable database)', () => {
  // An open SQLite file cannot become unreadable under the server (it holds the descriptor, and root
  // ignores permissions), so what an operator meets is another program holding the write lock.
  let testDb: TestDatabase;
  let server: ServerProcess | null = null;
  beforeAll(async () => {
    testDb = await createTestDatabase('sqlite', { migrate: false });
    await testDb.database.close();
  });
  afterAll(async () => {
    if (server) await server.terminate();
    await testDb?.drop();
  }, 120_000);

  it(
    'answers writes 503 DATABASE_BUSY with Retry-After while the lock is held, serves reads, and recovers',
    async () => {
      server = await startServer({
        DATA_DIR: testDb.dataDir,
        DATABASE_URL: '',
        ESTATEDESK_ADMIN_PASSWORD: PASSWORD,
      });
      const admin = await httpLogin(server.url, 'admin', PASSWORD);
      const place = await setUp(admin, 'LCK1');
      const locker = new SQLite(join(testDb.dataDir, 'estatedesk.sqlite'));
      try {
        locker.exec('begin immediate');
        const write = await admin.call('POST', '/api/v1/tickets', ticketBody(place, '锁住期间的报修'));
        expect(write.status).toBe(503);
        expect(write.headers.get('retry-after')).toBe('2');
        expect(write.json).toMatchObject({
          code: 'DATABASE_BUSY',
          message: '数据库正忙，本次操作未保存，请稍后重试',
        });
        // WAL: readers are not blocked by the writer's lock
        expect((await admin.call('GET', '/api/v1/tickets')).status).toBe(200);
        expect((await readyz(server.url)).status).toBe(200);
      } finally {
        locker.exec('rollback');
        locker.close();
      }
      expect((await admin.call('POST', '/api/v1/tickets', ticketBody(place, '解锁后的报修'))).status).toBe(
        201,
      );
      const list = await admin.call<{ items: { content: string }[] }>('GET', '/api/v1/tickets');
      expect(list.json.items.map((t) => t.content)).toEqual(['解锁后的报修']);
      expect(await server.terminate()).toBe(0);
      server = null;
    },
    TIMEOUT,
  );
});

describe.skipIf(mountProblem !== null).each(dialects())(
  'disk full: DATA_DIR on an 8 MB tmpfs (%s)',
  (dialect) => {
    let testDb: TestDatabase;
    let dataDir: string;
    let server: ServerProcess | null = null;
    beforeAll(async () => {
      testDb = await createTestDatabase(dialect, { migrate: false });
      await testDb.database.close();
      dataDir = mountTmpfs(8);
    }, 120_000);
    afterAll(async () => {
      if (server) await server.terminate();
      if (dataDir) unmount(dataDir);
      await testDb?.drop();
    }, 120_000);

    it(
      'refuses writes with 507 STORAGE_FULL, keeps serving reads, leaves no half file, and is whole afterwards',
      async () => {
        server = await startServer({
          DATA_DIR: dataDir,
          DATABASE_URL: testDb.databaseUrl ?? '',
          ESTATEDESK_ADMIN_PASSWORD: PASSWORD,
          // a checkpoint every 2 s instead of every minute, so one falls while the disk is full
          SQLITE_CHECKPOINT_SECONDS: '2',
        });
        const admin = await httpLogin(server.url, 'admin', PASSWORD);
        const place = await setUp(admin, 'FULL');
        const first = await admin.call<{ id: string }>(
          'POST',
          '/api/v1/tickets',
          ticketBody(place, '满盘前的报修'),
        );
        expect(first.status).toBe(201);
        const photo = await admin.upload(first.json.id, 'file', '满盘前.pdf', pdfFile(), 'application/pdf');
        expect(photo.status).toBe(201);
        const acknowledged = [first.json.id];
        if (dialect === 'sqlite') {
          // an empty WAL, then committed writes that are not yet in the database file: the next
          // checkpoint must grow the file, and that fails while the disk is full
          const handle = new SQLite(join(dataDir, 'estatedesk.sqlite'));
          handle.pragma('wal_checkpoint(TRUNCATE)');
          handle.close();
          for (let i = 0; i < 10; i++) {
            const created = await admin.call<{ id: string }>(
              'POST',
              '/api/v1/tickets',
              ticketBody(place, `检查点前 ${i}`),
            );
            expect(created.status).toBe(201);
            acknowledged.push(created.json.id);
          }
        }
        const attachmentsBefore = filesUnder(join(dataDir, 'attachments'));

        if (dialect === 'sqlite') {
          // the session last seen 2 minutes ago: the next request makes its once-a-minute
          // last-seen write, which fails on the full disk and must not fail the request
          const handle = new SQLite(join(dataDir, 'estatedesk.sqlite'));
          handle
            .prepare('update sessions set last_seen_at = ?')
            .run(new Date(Date.now() - 2 * 60_000).toISOString());
          handle.close();
        }
        const filler = fillDisk(dataDir);
        const filledAt = Date.now();
        // an upload: a clear 507, and not a byte of it left behind
        const upload = await admin.upload(
          first.json.id,
          'file',
          '满盘时.pdf',
          Buffer.concat([pdfFile(), Buffer.alloc(300_000, 0x20)]),
          'application/pdf',
        );
        expect(upload.status).toBe(507);
        expect(upload.headers.get('retry-after')).toBe('60');
        expect(upload.json).toMatchObject({
          code: 'STORAGE_FULL',
          message: translated.STORAGE_FULL['zh-CN'],
        });
        expect(filesUnder(join(dataDir, 'attachments'))).toEqual(attachmentsBefore);

        const refused: number[] = [];
        if (dialect === 'sqlite') {
          for (let i = 0; i < 50 && refused.length < 3; i++) {
            const res = await admin.call<{ id: string }>(
              'POST',
              '/api/v1/tickets',
              ticketBody(place, `满盘时 ${i}`),
            );
            if (res.status === 201) acknowledged.push(res.json.id);
            else {
              expect(res.status).toBe(507);
              expect(res.json).toMatchObject({
                code: 'STORAGE_FULL',
                message: translated.STORAGE_FULL['zh-CN'],
              });
              expect(res.headers.get('retry-after')).toBe('60');
              refused.push(res.status);
            }
          }
          expect(refused.length).toBe(3);
        } else {
          // on PostgreSQL only the attachments live in DATA_DIR: requests are still taken
          const res = await admin.call<{ id: string }>(
            'POST',
            '/api/v1/tickets',
            ticketBody(place, '满盘时的报修'),
          );
          expect(res.status).toBe(201);
          acknowledged.push(res.json.id);
        }
        // reads keep working, including the session's last-seen write and, on SQLite, the WAL
        // checkpoints (every 2 s here), which both fail on the full disk
        const readUntil = filledAt + (dialect === 'sqlite' ? 6_000 : 0);
        do {
          const list = await admin.call<{ items: unknown[] }>('GET', '/api/v1/tickets');
          expect(list.status).toBe(200);
          expect((await admin.call('GET', `/api/v1/tickets/${first.json.id}`)).status).toBe(200);
          const download = await admin.call('GET', `/api/v1/attachments/${String(photo.json.id)}`);
          expect(download.status).toBe(200);
          expect(download.bytes.equals(pdfFile())).toBe(true);
          if (Date.now() < readUntil) await new Promise((r) => setTimeout(r, 1_000));
        } while (Date.now() < readUntil);
        expect(server.child.exitCode).toBeNull();
        if (dialect === 'sqlite') expect(server.output()).toMatch(/SQLite checkpoint failed; will try again/);
        expect(server.output()).not.toMatch(/"statusCode":500/);

        unlinkSync(filler);
        const after = await admin.call<{ id: string }>(
          'POST',
          '/api/v1/tickets',
          ticketBody(place, '清理后的报修'),
        );
        expect(after.status).toBe(201);
        acknowledged.push(after.json.id);
        const again = await admin.upload(first.json.id, 'file', '清理后.pdf', pdfFile(), 'application/pdf');
        expect(again.status).toBe(201);
        expect(await server.terminate()).toBe(0);
        server = null;

        // nothing half-written: exactly the acknowledged requests, and a sound database file
        expect(
          existsSync(join(dataDir, 'attachments', '.incoming'))
            ? readdirSync(join(dataDir, 'attachments', '.incoming'))
            : [],
        ).toEqual([]);
        if (dialect === 'sqlite') {
          const handle = new SQLite(join(dataDir, 'estatedesk.sqlite'), { readonly: true });
          try {
            expect(handle.pragma('integrity_check', { simple: true })).toBe('ok');
            const ids = (handle.prepare('select id from tickets order by id').all() as { id: string }[]).map(
              (r) => r.id,
            );
            expect(ids).toEqual([...acknowledged].sort());
          } finally {
            handle.close();
          }
        }
      },
      TIMEOUT,
    );
  },
);

describe.skipIf(mountProblem !== null)('read-only data directory', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mountTmpfs(16);
  });
  afterAll(() => {
    if (dataDir) {
      sh('mount', ['-o', 'remount,rw', dataDir]);
      unmount(dataDir);
    }
  });

  it(
    'the server refuses to start with one clear line and exit code 2; the data is untouched',
    async () => {
      const env = { DATA_DIR: dataDir, DATABASE_URL: '', ESTATEDESK_ADMIN_PASSWORD: PASSWORD };
      const first = await startServer(env);
      const admin = await httpLogin(first.url, 'admin', PASSWORD);
      await setUp(admin, 'RO01');
      expect(await first.terminate()).toBe(0);

      expect(sh('mount', ['-o', 'remount,ro', dataDir]).ok).toBe(true);
      const refused = await startServer(env).then(
        (server) => server,
        (error: { exitCode?: number; output?: string }) => error,
      );
      expect(refused).toMatchObject({ exitCode: 2 });
      const output = (refused as { output: string }).output;
      expect(output).toContain(`EstateDesk cannot start: DATA_DIR ${dataDir} is not writable (EROFS)`);
      expect(output).not.toMatch(/\n\s+at /); // one line, no stack trace
      // the restore says the same before touching anything
      const restore = await runCli('restore', [join(dataDir, 'estatedesk.sqlite')], env);
      expect(restore.code).toBe(2);
      expect(restore.stderr).toContain('is not writable (EROFS)');

      expect(sh('mount', ['-o', 'remount,rw', dataDir]).ok).toBe(true);
      const second = await startServer(env);
      try {
        const again = await httpLogin(second.url, 'admin', PASSWORD);
        const communities = await again.call<{ items: { code: string }[] }>('GET', '/api/v1/communities');
        expect(communities.json.items.map((c) => c.code)).toEqual(['RO01']);
      } finally {
        expect(await second.terminate()).toBe(0);
      }
    },
    TIMEOUT,
  );
});
