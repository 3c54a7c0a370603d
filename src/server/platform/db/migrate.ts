import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely';
import type { DialectName } from './database.js';
import { migrations } from './migrations/index.js';
import type { DB } from './schema.js';

function migrator(db: Kysely<DB>, dialect: DialectName): Migrator {
  return new Migrator({
    db,
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
 * Brings the schema up to date. On PostgreSQL Kysely holds an advisory lock for the whole run
 * (pg_advisory_xact_lock inside one transaction), so several servers may start together; on
 * SQLite the write lock of the migration transaction does the same.
 */
export async function migrateToLatest(db: Kysely<DB>, dialect: DialectName): Promise<string[]> {
  const result = await migrator(db, dialect).migrateToLatest();
  return unwrap(result);
}

export async function migrateDown(db: Kysely<DB>, dialect: DialectName): Promise<string[]> {
  return unwrap(await migrator(db, dialect).migrateDown());
}

function unwrap({ error, results }: MigrationResultSet): string[] {
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
