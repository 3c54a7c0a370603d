import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: DialectName;
  /** The PostgreSQL connection string; null on SQLite. */
  url: string | null;
  /** The raw SQLite handle (for online backup and checkpoints); null on PostgreSQL. */
  sqlite: SQLite.Database | null;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | null;
  /** SQLite file path, or ':memory:'. Ignored when databaseUrl is set. */
  sqlitePath?: string;
  dataDir?: string;
  poolSize?: number;
  /** Told when an idle PostgreSQL connection fails (server restart, admin kill); the pool replaces it. */
  onIdleError?: (error: Error) => void;
}

const TIMESTAMPTZ_OID = 1184;
const TIMESTAMP_OID = 1114;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Reads PostgreSQL values in the same shapes better-sqlite3 returns. */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMPTZ_OID || oid === TIMESTAMP_OID) {
      return (value: string) => new Date(oid === TIMESTAMP_OID ? `${value}Z` : value).toISOString();
    }
    // counts and sums fit comfortably in a double
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export function openSqlite(path: string): SQLite.Database {
  const handle = new SQLite(path);
  // WAL lets readers run beside the writer; synchronous=FULL fsyncs the WAL on every commit,
  // so an acknowledged write survives kill -9 and power loss alike.
  handle.pragma('journal_mode = WAL');
  handle.pragma('synchronous = FULL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 5000');
  return handle;
}

export function openDatabase(options: DatabaseOptions): Database {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: pgTypes,
    });
    // without a listener, an idle connection dropped by the server would crash the process
    pool.on(
      'error',
      options.onIdleError ?? ((error) => console.error(`PostgreSQL connection lost: ${error.message}`)),
    );
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', url: options.databaseUrl, sqlite: null, close: () => db.destroy() };
  }
  let path = options.sqlitePath;
  if (!path) {
    const dir = options.dataDir ?? 'data';
    mkdirSync(dir, { recursive: true });
    path = join(dir, 'estatedesk.sqlite');
  }
  const handle = openSqlite(path);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: handle }) });
  return { db, dialect: 'sqlite', url: null, sqlite: handle, close: () => db.destroy() };
}
