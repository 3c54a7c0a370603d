import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, dialects } from '../../../../test/helpers/db.js';
import { loadOpenClocks } from '../../modules/sla/sla.load.js';
import { writeAudit } from '../audit.js';
import { systemContext } from '../context.js';
import { openDatabase } from './database.js';
import { migrateDown, migrateToLatest } from './migrate.js';
import { migrations } from './migrations/index.js';

describe.each(dialects())('migrations and the database (%s)', (dialect) => {
  it('migrate up, down and up again', async () => {
    const testDb = await createTestDatabase(dialect, { migrate: false });
    try {
      const { db } = testDb.database;
      expect(await migrateToLatest(db, dialect)).toEqual(Object.keys(migrations));
      expect(await migrateToLatest(db, dialect)).toEqual([]);
      for (let i = 0; i < Object.keys(migrations).length; i++) await migrateDown(db, dialect);
      const tables = await db.introspection.getTables();
      expect(tables.map((t) => t.name).filter((n) => !n.startsWith('kysely_'))).toEqual([]);
      expect(await migrateToLatest(db, dialect)).toEqual(Object.keys(migrations));
    } finally {
      await testDb.drop();
    }
  });

  it('several processes migrating at once apply each migration once', async () => {
    const testDb = await createTestDatabase(dialect, { migrate: false });
    try {
      // separate processes, as when servers start together or `npm run migrate` runs beside one
      const root = join(import.meta.dirname, '..', '..', '..', '..');
      const run = () =>
        new Promise<string>((resolve, reject) => {
          execFile(
            process.execPath,
            ['--import', 'tsx', join(root, 'src/server/cli/migrate.ts')],
            {
              cwd: root,
              env: {
                ...process.env,
                DATA_DIR: testDb.dataDir,
                ...(testDb.databaseUrl ? { DATABASE_URL: testDb.databaseUrl } : {}),
              },
            },
            (error, stdout, stderr) =>
              error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
          );
        });
      const outputs = await Promise.all([run(), run(), run()]);
      expect(outputs.filter((o) => o.includes('migrations applied'))).toHaveLength(1);
      expect(outputs.filter((o) => o.includes('database is up to date'))).toHaveLength(2);
      const applied = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(
        testDb.database.db,
      );
      expect(Number(applied.rows[0]!.n)).toBe(Object.keys(migrations).length);
    } finally {
      await testDb.drop();
    }
  });

  it('several servers in one process migrating together apply each migration once', async () => {
    if (dialect === 'sqlite') return; // one SQLite process has one writer: nothing to race
    const testDb = await createTestDatabase(dialect, { migrate: false });
    const others = [0, 1, 2].map(() =>
      openDatabase({ databaseUrl: testDb.databaseUrl, dataDir: testDb.dataDir, poolSize: 2 }),
    );
    try {
      const results = await Promise.all(others.map((o) => migrateToLatest(o.db, o.dialect)));
      expect(results.flat()).toEqual(Object.keys(migrations));
      const applied = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(
        testDb.database.db,
      );
      expect(Number(applied.rows[0]!.n)).toBe(Object.keys(migrations).length);
    } finally {
      await Promise.all(others.map((o) => o.close()));
      await testDb.drop();
    }
  });

  it('the audit trail is append-only: the database refuses updates and deletes', async () => {
    const testDb = await createTestDatabase(dialect);
    try {
      const { db } = testDb.database;
      await writeAudit(
        db,
        systemContext(),
        { action: 'test.done', entityType: 'test', entityId: '1' },
        new Date(),
      );
      await expect(db.updateTable('audit_log').set({ action: 'forged' }).execute()).rejects.toThrow(
        /append-only/,
      );
      await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
      const rows = await db.selectFrom('audit_log').select('action').execute();
      expect(rows).toEqual([{ action: 'test.done' }]);
    } finally {
      await testDb.drop();
    }
  });

  it('reads timestamps back as the ISO strings it wrote, and counts as numbers', async () => {
    const testDb = await createTestDatabase(dialect);
    try {
      const { db } = testDb.database;
      const at = '2026-11-30T02:03:04.567Z';
      await db
        .insertInto('communities')
        .values({
          id: 'c1',
          name: '阳光花园',
          code: 'Y',
          address: null,
          time_zone: 'Asia/Shanghai',
          created_at: at,
          updated_at: at,
        })
        .execute();
      const row = await db
        .selectFrom('communities')
        .select(['created_at'])
        .where('created_at', '>=', '2026-11-30T02:03:04.000Z')
        .executeTakeFirstOrThrow();
      expect(row.created_at).toBe(at);
      const count = await db
        .selectFrom('communities')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(count.n).toBe(1);
    } finally {
      await testDb.drop();
    }
  });

  it.runIf(dialect === 'sqlite')('SQLite runs in WAL mode with FULL sync and foreign keys on', async () => {
    const testDb = await createTestDatabase(dialect);
    try {
      const handle = testDb.database.sqlite!;
      expect(handle.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(handle.pragma('synchronous', { simple: true })).toBe(2);
      expect(handle.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(handle.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      await testDb.drop();
    }
  });

  it('clocks started before they carried their request number get it when the database is migrated', async () => {
    const testDb = await createTestDatabase(dialect);
    try {
      const { db } = testDb.database;
      const now = new Date('2026-12-01T08:00:00Z');
      await db
        .insertInto('communities')
        .values({
          id: 'c-m',
          name: '迁移小区',
          code: 'MIG',
          time_zone: 'Asia/Shanghai',
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        })
        .execute();
      await loadOpenClocks(db, {
        communityId: 'c-m',
        count: 3,
        firstDue: now,
        spacingMs: 60_000,
        warnBeforeMs: 1000,
        startedAt: now,
      });
      // back to before the column (the last migration), then forward again: the backfill runs
      expect(Object.keys(migrations).at(-1)).toBe('20261202010000-clock-ticket-number');
      await migrateDown(db, dialect);
      expect(await migrateToLatest(db, dialect)).toEqual(['20261202010000-clock-ticket-number']);
      const rows = await db
        .selectFrom('sla_clocks')
        .innerJoin('tickets', 'tickets.id', 'sla_clocks.ticket_id')
        .select(['sla_clocks.ticket_number', 'tickets.number'])
        .execute();
      expect(rows).toHaveLength(3);
      for (const row of rows) expect(row.ticket_number).toBe(row.number);
    } finally {
      await testDb.drop();
    }
  });
});
