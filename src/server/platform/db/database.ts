import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { type DatabaseConnection, type Driver, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { assertDataDirWritable } from '../data-dir.js';
import type { DB } from './schema.js';
import { CachingSqliteDriver } from './sqlite-driver.js';

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
  /** DATA_DIR: checked to be writable at open (a read-only one stops the start with a ConfigError). */
  dataDir?: string;
  poolSize?: number;
  /**
   * Told when a PostgreSQL connection fails (server restart, admin kill), idle or in use, once per
   * connection; the pool replaces it.
   */
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

/**
 * SQLite rolls a transaction back by itself on some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM).
 * Kysely then sends its own `rollback`, which fails with "no transaction is active" and replaces the
 * real error: a full disk would surface as a meaningless SQLITE_ERROR. So roll back only when a
 * transaction is still open, and let the original error through.
 */
class SqliteFaultAwareDialect extends SqliteDialect {
  constructor(private readonly handle: SQLite.Database) {
    super({ database: handle });
  }

  override createDriver(): Driver {
    // prepared statements kept, the connection handed over in turn (sqlite-driver.ts)
    const driver = new CachingSqliteDriver(this.handle);
    const rollback = driver.rollbackTransaction.bind(driver);
    driver.rollbackTransaction = async (connection: DatabaseConnection) => {
      if (this.handle.inTransaction) await rollback(connection);
    };
    return driver;
  }
}

export function openDatabase(options: DatabaseOptions): Database {
  if (options.dataDir) assertDataDirWritable(options.dataDir);
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      types: pgTypes,
      // an unreachable server (a black-holed network) fails a request after 10 s (503
      // DATABASE_UNAVAILABLE) instead of holding it forever; also bounds the wait for a free connection
      connectionTimeoutMillis: 10_000,
      // notice a peer that vanished without closing the connection
      keepAlive: true,
    });
    // without a listener, an idle connection dropped by the server would crash the process
    const lost =
      options.onIdleError ?? ((error) => console.error(`PostgreSQL connection lost: ${error.message}`));
    const reported = new WeakSet<object>();
    const tell = (error: Error, client: object) => {
      if (reported.has(client)) return;
      reported.add(client);
      lost(error);
    };
    pool.on('error', tell);
    // A connection in use also fails when PostgreSQL restarts or ends it (between two queries of a
    // transaction, say), and the pool listens only to idle ones: unheard, that 'error' event would
    // crash the process. The query in hand fails by itself and the pool drops the broken client on
    // release; this only keeps the process alive and says so, once per connection.
    pool.on('connect', (client) => client.on('error', (error) => tell(error, client)));
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
  const db = new Kysely<DB>({ dialect: new SqliteFaultAwareDialect(handle) });
  return { db, dialect: 'sqlite', url: null, sqlite: handle, close: () => db.destroy() };
}
