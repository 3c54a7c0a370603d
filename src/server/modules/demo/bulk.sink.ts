import type SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Database } from '../../platform/db/database.js';

/**
 * Fast writers for the bulk generator (bulk.ts): rows are buffered per table and written in
 * chunks — SQLite through one prepared statement per table inside big transactions, PostgreSQL as
 * one `insert … select * from unnest($1::text[], …)` per chunk (one bound array per column),
 * several chunks per transaction. While loading, secondary indexes are dropped (recreated from
 * their own definitions afterwards, then ANALYZE) and durability is relaxed for the load's
 * session only: SQLite `synchronous=OFF` and no rollback journal on a fresh file, PostgreSQL
 * `synchronous_commit=off`; everything is restored at the end.
 */

export type Value = string | number | null;

export interface TableStats {
  table: string;
  rows: number;
  /** Time spent writing the rows (inserts and their share of commits). */
  insertSeconds: number;
  /** Time spent rebuilding the table's secondary indexes after the load. */
  indexSeconds: number;
}

interface Buffer {
  name: string;
  columns: readonly string[];
  rows: Value[][];
  count: number;
  ms: number;
  indexMs: number;
}

export interface SinkOptions {
  /** Rows per chunk of one table. */
  chunkRows?: number;
  /** Rows (all tables) per transaction. */
  commitRows?: number;
  /** Keep foreign-key checks on while loading (tests: a dangling reference fails the load). */
  checkForeignKeys?: boolean;
  /** The database holds nothing yet: SQLite may load without a rollback journal. */
  fresh?: boolean;
}

export abstract class BulkSink {
  protected readonly buffers = new Map<string, Buffer>();
  protected sinceCommit = 0;
  protected readonly chunkRows: number;
  protected readonly commitRows: number;

  constructor(protected readonly options: SinkOptions) {
    this.chunkRows = options.chunkRows ?? 5_000;
    this.commitRows = options.commitRows ?? 500_000;
  }

  /** Declares a table and the order of the values `add` takes. */
  define(name: string, columns: readonly string[]) {
    this.buffers.set(name, { name, columns, rows: [], count: 0, ms: 0, indexMs: 0 });
  }

  add(table: string, row: Value[]) {
    const buffer = this.buffers.get(table);
    if (!buffer) throw new Error(`bulk: table ${table} was not defined`);
    buffer.rows.push(row);
  }

  /**
   * Once any table's buffer is full, writes every table in the order they were defined (parents
   * first, so no row ever points at one not written yet); commits when enough rows are pending.
   */
  async maybeFlush() {
    let full = false;
    for (const buffer of this.buffers.values()) if (buffer.rows.length >= this.chunkRows) full = true;
    if (full) for (const buffer of this.buffers.values()) if (buffer.rows.length) await this.write(buffer);
    if (this.sinceCommit >= this.commitRows) await this.commit();
  }

  async flushAll() {
    for (const buffer of this.buffers.values()) if (buffer.rows.length) await this.write(buffer);
    await this.commit();
  }

  private async write(buffer: Buffer) {
    const rows = buffer.rows;
    buffer.rows = [];
    const started = performance.now();
    const measured = await this.insert(buffer.name, buffer.columns, rows);
    if (!measured) buffer.ms += performance.now() - started;
    buffer.count += rows.length;
    this.sinceCommit += rows.length;
  }

  /** For a sink that writes in the background: the time the database spent on a table's rows. */
  protected attributeInsertTime(table: string, ms: number) {
    const buffer = this.buffers.get(table);
    if (buffer) buffer.ms += ms;
  }

  stats(): TableStats[] {
    return [...this.buffers.values()].map((b) => ({
      table: b.name,
      rows: b.count,
      insertSeconds: b.ms / 1000,
      indexSeconds: b.indexMs / 1000,
    }));
  }

  protected attributeIndexTime(table: string, ms: number) {
    const buffer = this.buffers.get(table);
    if (buffer) buffer.indexMs += ms;
  }

  /** Relaxes durability, drops the secondary indexes of `tables`, opens the first transaction. */
  abstract start(tables: readonly string[]): Promise<void>;
  /** Writes rows; true when the sink measures the time itself (attributeInsertTime). */
  protected abstract insert(table: string, columns: readonly string[], rows: Value[][]): Promise<boolean>;
  protected abstract commit(): Promise<void>;
  /** Writes what is left, rebuilds the indexes, ANALYZE, restores the settings. */
  abstract finish(): Promise<{ indexSeconds: number; analyzeSeconds: number }>;
  /** Gives up (after an error): rolls back what is pending, puts indexes and settings back. */
  abstract abort(): Promise<void>;
}

export function openSink(database: Database, options: SinkOptions): BulkSink {
  if (database.dialect === 'sqlite') return new SqliteSink(database.sqlite!, options);
  return new PostgresSink(database.url!, options);
}

// ---- SQLite -------------------------------------------------------------------------------

class SqliteSink extends BulkSink {
  private readonly statements = new Map<string, SQLite.Statement>();
  private dropped: { table: string; name: string; sql: string }[] = [];
  private saved: { journal: string; synchronous: number; foreignKeys: number; cacheSize: number } | null =
    null;
  private inTransaction = false;

  constructor(
    private readonly handle: SQLite.Database,
    options: SinkOptions,
  ) {
    super(options);
  }

  async start(tables: readonly string[]) {
    const h = this.handle;
    this.saved = {
      journal: String(h.pragma('journal_mode', { simple: true })),
      synchronous: Number(h.pragma('synchronous', { simple: true })),
      foreignKeys: Number(h.pragma('foreign_keys', { simple: true })),
      cacheSize: Number(h.pragma('cache_size', { simple: true })),
    };
    h.pragma('synchronous = OFF');
    if (!this.options.checkForeignKeys) h.pragma('foreign_keys = OFF');
    // 1 GiB of page cache while loading and building indexes
    h.pragma('cache_size = -1048576');
    h.pragma('temp_store = MEMORY');
    // a fresh file has nothing to lose: no rollback journal at all (a crash leaves a file to delete)
    if (this.options.fresh) h.pragma('journal_mode = OFF');
    const placeholders = tables.map(() => '?').join(', ');
    this.dropped = h
      .prepare(
        `select tbl_name as "table", name, sql from sqlite_master
         where type = 'index' and sql is not null and tbl_name in (${placeholders}) order by name`,
      )
      .all(...tables) as { table: string; name: string; sql: string }[];
    for (const index of this.dropped) h.exec(`drop index "${index.name}"`);
    h.exec('begin');
    this.inTransaction = true;
  }

  /** One statement for one row, and one for a batch of rows (fewer calls into SQLite). */
  private statementFor(table: string, columns: readonly string[], rows: number) {
    const key = `${table}/${rows}`;
    let statement = this.statements.get(key);
    if (!statement) {
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      statement = this.handle.prepare(
        `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${Array(rows)
          .fill(tuple)
          .join(', ')}`,
      );
      this.statements.set(key, statement);
    }
    return statement;
  }

  protected async insert(table: string, columns: readonly string[], rows: Value[][]) {
    // well under SQLite's limit of bound parameters (32,766)
    const batch = Math.max(1, Math.min(100, Math.floor(30_000 / columns.length)));
    const many = this.statementFor(table, columns, batch);
    const one = this.statementFor(table, columns, 1);
    let i = 0;
    const values: Value[] = [];
    for (; i + batch <= rows.length; i += batch) {
      values.length = 0;
      for (let j = i; j < i + batch; j++) for (const v of rows[j]!) values.push(v);
      many.run(...values);
    }
    for (; i < rows.length; i++) one.run(...rows[i]!);
    return false;
  }

  protected async commit() {
    if (!this.inTransaction) return;
    this.handle.exec('commit');
    this.handle.exec('begin');
    this.sinceCommit = 0;
  }

  async finish() {
    await this.flushAll();
    this.handle.exec('commit');
    this.inTransaction = false;
    const indexStarted = performance.now();
    for (const index of this.dropped) {
      const started = performance.now();
      this.handle.exec(index.sql);
      this.attributeIndexTime(index.table, performance.now() - started);
    }
    this.dropped = [];
    const indexSeconds = (performance.now() - indexStarted) / 1000;
    const analyzeStarted = performance.now();
    this.handle.exec('analyze');
    const analyzeSeconds = (performance.now() - analyzeStarted) / 1000;
    this.restore();
    if (this.options.checkForeignKeys) {
      const broken = this.handle.pragma('foreign_key_check') as unknown[];
      if (broken.length)
        throw new Error(`bulk: ${broken.length} dangling references, e.g. ${JSON.stringify(broken[0])}`);
    }
    return { indexSeconds, analyzeSeconds };
  }

  async abort() {
    if (this.inTransaction) {
      try {
        this.handle.exec('rollback');
      } catch {
        // nothing pending
      }
      this.inTransaction = false;
    }
    for (const index of this.dropped) this.handle.exec(index.sql);
    this.dropped = [];
    this.restore();
  }

  private restore() {
    const saved = this.saved;
    if (!saved) return;
    const h = this.handle;
    if (this.options.fresh) h.pragma(`journal_mode = ${saved.journal}`);
    h.pragma(`synchronous = ${saved.synchronous}`);
    h.pragma(`foreign_keys = ${saved.foreignKeys ? 'ON' : 'OFF'}`);
    h.pragma(`cache_size = ${saved.cacheSize}`);
    h.pragma('temp_store = DEFAULT');
    this.saved = null;
  }
}

// ---- PostgreSQL ---------------------------------------------------------------------------

/** information_schema's udt_name → the array type unnest reads. */
const ARRAY_TYPES: Record<string, string> = {
  text: 'text[]',
  varchar: 'text[]',
  int4: 'int4[]',
  int8: 'int8[]',
  float8: 'float8[]',
  numeric: 'numeric[]',
  timestamptz: 'timestamptz[]',
  timestamp: 'timestamp[]',
  bool: 'bool[]',
};

class PostgresSink extends BulkSink {
  private readonly client: pg.Client;
  private readonly statements = new Map<string, string>();
  private types = new Map<string, Map<string, string>>();
  private dropped: { table: string; name: string; sql: string }[] = [];
  private inTransaction = false;
  private replicationRole = false;
  /** The chunk sent and not yet answered: the server inserts it while the next is being built. */
  private inFlight: Promise<void>[] = [];

  constructor(url: string, options: SinkOptions) {
    super(options);
    this.client = new pg.Client({ connectionString: url });
  }

  async start(tables: readonly string[]) {
    const c = this.client;
    await c.connect();
    // this session only: a lost commit during a load is a load to run again
    await c.query('set synchronous_commit = off');
    await c.query(`set maintenance_work_mem = '512MB'`);
    if (!this.options.checkForeignKeys) {
      // skips the foreign-key triggers while loading (rows are consistent by construction); needs
      // a superuser, so where it is refused the checks simply run
      try {
        await c.query('set session_replication_role = replica');
        this.replicationRole = true;
      } catch {
        this.replicationRole = false;
      }
    }
    const columns = await c.query<{ table_name: string; column_name: string; udt_name: string }>(
      `select table_name, column_name, udt_name from information_schema.columns
       where table_schema = current_schema() and table_name = any($1)`,
      [tables],
    );
    for (const r of columns.rows) {
      const ofTable = this.types.get(r.table_name) ?? new Map<string, string>();
      ofTable.set(r.column_name, r.udt_name);
      this.types.set(r.table_name, ofTable);
    }
    const indexes = await c.query<{ table: string; name: string; sql: string }>(
      `select t.relname as "table", i.relname as name, pg_get_indexdef(i.oid) as sql
       from pg_index x
       join pg_class i on i.oid = x.indexrelid
       join pg_class t on t.oid = x.indrelid
       join pg_namespace n on n.oid = t.relnamespace
       where n.nspname = current_schema() and t.relname = any($1)
         and not exists (select 1 from pg_constraint k where k.conindid = x.indexrelid)
       order by i.relname`,
      [tables],
    );
    this.dropped = indexes.rows;
    for (const index of this.dropped) await c.query(`drop index "${index.name}"`);
    await c.query('begin');
    this.inTransaction = true;
  }

  protected async insert(table: string, columns: readonly string[], rows: Value[][]) {
    let text = this.statements.get(table);
    if (!text) {
      const types = this.types.get(table);
      if (!types) throw new Error(`bulk: no table ${table}`);
      const casts = columns.map((column, i) => {
        const udt = types.get(column);
        const array = udt ? ARRAY_TYPES[udt] : undefined;
        if (!array) throw new Error(`bulk: column ${table}.${column} (${udt ?? 'missing'}) cannot be loaded`);
        return `$${i + 1}::${array}`;
      });
      text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) select * from unnest(${casts.join(', ')})`;
      this.statements.set(table, text);
    }
    const arrays: Value[][] = columns.map(() => new Array<Value>(rows.length));
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      for (let c = 0; c < arrays.length; c++) arrays[c]![r] = row[c]!;
    }
    // one query at a time on the connection (in order: parents before children), but without
    // waiting for it here: the generator builds the next chunk meanwhile (two cores: one for
    // Node, one for PostgreSQL)
    await this.drain();
    const sent = performance.now();
    const done = this.client.query(text, arrays).then(() => {
      this.attributeInsertTime(table, performance.now() - sent);
    });
    // a failure surfaces where it is awaited (the next chunk, or the commit), never unhandled
    done.catch(() => {});
    this.inFlight.push(done);
    return true;
  }

  private async drain() {
    const pending = this.inFlight;
    this.inFlight = [];
    await Promise.all(pending);
  }

  protected async commit() {
    if (!this.inTransaction) return;
    await this.drain();
    await this.client.query('commit');
    await this.client.query('begin');
    this.sinceCommit = 0;
  }

  async finish() {
    await this.flushAll();
    await this.client.query('commit');
    this.inTransaction = false;
    const indexStarted = performance.now();
    for (const index of this.dropped) {
      const started = performance.now();
      await this.client.query(index.sql);
      this.attributeIndexTime(index.table, performance.now() - started);
    }
    this.dropped = [];
    const indexSeconds = (performance.now() - indexStarted) / 1000;
    const analyzeStarted = performance.now();
    await this.client.query('analyze');
    const analyzeSeconds = (performance.now() - analyzeStarted) / 1000;
    await this.close();
    return { indexSeconds, analyzeSeconds };
  }

  async abort() {
    try {
      await Promise.allSettled(this.inFlight);
      this.inFlight = [];
      if (this.inTransaction) await this.client.query('rollback');
      this.inTransaction = false;
      for (const index of this.dropped) await this.client.query(index.sql);
      this.dropped = [];
    } finally {
      await this.close();
    }
  }

  private async close() {
    if (this.replicationRole) await this.client.query('set session_replication_role = default');
    await this.client.end();
  }
}
