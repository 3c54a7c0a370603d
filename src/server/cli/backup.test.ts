import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.js';
import { RegistryRepository } from '../modules/registry/registry.repository.js';
import { RegistryService } from '../modules/registry/registry.service.js';
import { ManualClock } from '../platform/clock.js';
import { systemContext } from '../platform/context.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..', '..');

describe('npm run backup (SQLite)', () => {
  it('writes a consistent copy of the live database while it is open and being written', async () => {
    const testDb = await createTestDatabase('sqlite');
    try {
      const { db, dialect } = testDb.database;
      const registry = new RegistryService(db, new RegistryRepository(db, dialect), new ManualClock());
      for (let i = 0; i < 20; i++)
        await registry.createCommunity(systemContext(), { name: `小区${i}`, code: `C${i}` });
      const out = join(testDb.dataDir, 'copy.sqlite');
      // keep writing while the backup runs
      const writing = (async () => {
        for (let i = 20; i < 60; i++)
          await registry.createCommunity(systemContext(), { name: `小区${i}`, code: `C${i}` });
      })();
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', join(root, 'src/server/cli/backup.ts'), '--out', out],
        {
          cwd: root,
          env: { ...process.env, DATA_DIR: testDb.dataDir },
        },
      );
      await writing;
      expect(stdout).toMatch(/backup written/);
      const copy = new SQLite(out, { readonly: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        const { n } = copy.prepare('select count(*) as n from communities').get() as { n: number };
        expect(n).toBeGreaterThanOrEqual(20);
        expect(n).toBeLessThanOrEqual(60);
      } finally {
        copy.close();
      }
    } finally {
      await testDb.drop();
    }
  });

  it('refuses when there is no database, and on PostgreSQL points at pg_dump', async () => {
    const missing = run(process.execPath, ['--import', 'tsx', join(root, 'src/server/cli/backup.ts')], {
      cwd: root,
      env: { ...process.env, DATA_DIR: '/tmp/estatedesk-no-such-dir' },
    });
    await expect(missing).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/No database at/) });
    const pg = run(process.execPath, ['--import', 'tsx', join(root, 'src/server/cli/backup.ts')], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: 'postgres://x@127.0.0.1/none' },
    });
    await expect(pg).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/pg_dump/) });
  });
});
