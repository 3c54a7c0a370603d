import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { type Database, type DialectName, openDatabase } from '../../src/server/platform/db/database.js';
import { migrateToLatest } from '../../src/server/platform/db/migrate.js';
import { adminQuery } from './pg-admin.js';

/** The dialects this run covers: SQLite always, PostgreSQL when the global setup found a server. */
export function dialects(): DialectName[] {
  return inject('pgAdminUrl') ? ['sqlite', 'postgres'] : ['sqlite'];
}

export interface TestDatabase {
  database: Database;
  /** For child processes: the DATABASE_URL, or the SQLite data dir. */
  databaseUrl: string | null;
  dataDir: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own: a new PostgreSQL database or a new SQLite file. */
export async function createTestDatabase(
  dialect: DialectName,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'estatedesk-test-'));
  let databaseUrl: string | null = null;
  let name: string | null = null;
  const adminUrl = inject('pgAdminUrl');
  if (dialect === 'postgres') {
    if (!adminUrl) throw new Error('PostgreSQL suite is not enabled');
    name = `estatedesk_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    // a copy of the run's migrated template (test/helpers/global-setup.ts), unless asked empty
    const template = options.migrate !== false ? inject('pgTemplate') : null;
    await adminQuery(adminUrl, `create database ${name}${template ? ` template ${template}` : ''}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  }
  // dropping the database at the end ends idle connections: expected, not an error
  const database = openDatabase({ databaseUrl, dataDir, poolSize: 5, onIdleError: () => {} });
  // on a copy of the template this finds every migration applied and only checks
  if (options.migrate !== false) await migrateToLatest(database.db, database.dialect);
  return {
    database,
    databaseUrl,
    dataDir,
    async drop() {
      await database.close();
      if (name && adminUrl) {
        await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
