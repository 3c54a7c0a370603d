import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.js';
import { RegistryRepository } from '../modules/registry/registry.repository.js';
import { RegistryService } from '../modules/registry/registry.service.js';
import { ManualClock } from '../platform/clock.js';
import { systemContext } from '../platform/context.js';
import type { Manifest } from './backup-archive.js';

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
      const out = join(testDb.dataDir, 'copy');
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
      expect(stdout).toMatch(/backup written: .*copy \(sqlite/);
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
      expect(manifest).toMatchObject({ format: 'estatedesk-backup', kind: 'backup', dialect: 'sqlite' });
      expect(manifest.migrations.length).toBeGreaterThan(0);
      const copy = new SQLite(join(out, 'estatedesk.sqlite'), { readonly: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        const { n } = copy.prepare('select count(*) as n from communities').get() as { n: number };
        expect(n).toBeGreaterThanOrEqual(20);
        expect(n).toBeLessThanOrEqual(60);
        // the manifest describes this very snapshot
        expect(manifest.counts.communities).toBe(n);
      } finally {
        copy.close();
      }
      expect(existsSync(`${out}.partial`)).toBe(false);
    } finally {
      await testDb.drop();
    }
  });

  it('refuses when there is no database, and will not write over an existing folder', async () => {
    const missing = run(process.execPath, ['--import', 'tsx', join(root, 'src/server/cli/backup.ts')], {
      cwd: root,
      env: { ...process.env, DATA_DIR: '/tmp/estatedesk-no-such-dir', DATABASE_URL: '' },
    });
    await expect(missing).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/No database at/) });
    // nothing is left behind, not even an empty backups folder
    expect(existsSync('/tmp/estatedesk-no-such-dir')).toBe(false);

    const testDb = await createTestDatabase('sqlite');
    try {
      const taken = run(
        process.execPath,
        ['--import', 'tsx', join(root, 'src/server/cli/backup.ts'), '--out', testDb.dataDir],
        { cwd: root, env: { ...process.env, DATA_DIR: testDb.dataDir, DATABASE_URL: '' } },
      );
      await expect(taken).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/already exists/) });
    } finally {
      await testDb.drop();
    }
  });
});
