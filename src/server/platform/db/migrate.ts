import { type Kysely, type Migration, type MigrationResultSet, Migrator, sql } from 'kysely';
import type { DialectName } from './database.js';
import { migrations } from './migrations/index.js';
import type { DB } from './schema.js';

function migrator(db: Kysely<DB>, dialect: DialectName): Migrator {
  return new Migrator({
    db,
    // on SQLite the caller holds one immediate transaction around the whole run (see withLock)
    disableTransactions: dialect === 'sqlite',
    provider: {
      async getMigrations() {
        const bound: Record<string, Migration> = {};
        for (const [name, step] of Object.entries(migrations)) {
          bound[name] = { up: (d) => step.up(d, dialect), down: (d) => step.down(d, dialect) };
        }
        return bound;
      },
    },
  });
}

/**
 * Several processes may migrate at once (servers starting together, `npm run migrate`).
 * PostgreSQL: Kysely holds a session-level advisory lock (pg_advisory_lock) around the run.
 * SQLite: Kysely's lock is a no-op and its transactions begin deferred, so two processes could
 * both decide to migrate; BEGIN IMMEDIATE takes the write lock before anything is read.
 */
async function withLock(db: Kysely<DB>, dialect: DialectName, run: () => Promise<MigrationResultSet>) {
  if (dialect !== 'sqlite') return unwrap(await run());
  await sql`begin immediate`.execute(db);
  let result: MigrationResultSet;
  try {
    result = await run();
  } catch (error) {
    await sql`rollback`.execute(db);
    throw error;
  }
  await sql.raw(result.error ? 'rollback' : 'commit').execute(db);
  return unwrap(result);
}

/** Brings the schema up to date; returns the names of the migrations applied. */
export function migrateToLatest(db: Kysely<DB>, dialect: DialectName): Promise<string[]> {
  return withLock(db, dialect, () => migrator(db, dialect).migrateToLatest());
}

export function migrateDown(db: Kysely<DB>, dialect: DialectName): Promise<string[]> {
  return withLock(db, dialect, () => migrator(db, dialect).migrateDown());
}

function unwrap({ error, results }: MigrationResultSet): string[] {
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
