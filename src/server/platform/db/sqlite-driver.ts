import type SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  SelectQueryNode,
} from 'kysely';

/** Distinct statements kept prepared; the app has a few hundred, a cap keeps odd ones from piling up. */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * Kysely's SQLite driver, with two changes that the intake profile asked for (docs/benchmarks.md,
 * "Intake: what was profiled and fixed"):
 *
 * - **Prepared statements are kept.** Kysely's own driver calls `prepare()` for every query, and
 *   SQLite compiled the same SQL again each time: 18 % of the server's CPU on `POST /tickets`.
 *   Statements are cached by their SQL text (SQLite re-prepares a cached statement by itself after
 *   a schema change).
 * - **The single connection is handed over first come, first served.** Kysely's mutex wakes every
 *   waiter on each release and lets them race for it again: under 50 concurrent requests that is
 *   work for nothing on every statement, and the order in which writers got the connection was
 *   not the order they asked in.
 *
 * Everything else is as in Kysely's driver: one connection (better-sqlite3 is synchronous), `begin`,
 * `commit`, `rollback` and savepoints as plain statements.
 */
export class CachingSqliteDriver implements Driver {
  readonly #handle: SQLite.Database;
  readonly #connection: CachingSqliteConnection;
  readonly #mutex = new FifoMutex();

  constructor(handle: SQLite.Database) {
    this.#handle = handle;
    this.#connection = new CachingSqliteConnection(handle);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string, _compile: QueryCompiler['compileQuery']) {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteName(name)}`));
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    _compile: QueryCompiler['compileQuery'],
  ) {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoteName(name)}`));
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    _compile: QueryCompiler['compileQuery'],
  ) {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoteName(name)}`));
  }

  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  async destroy(): Promise<void> {
    this.#connection.clear();
    this.#handle.close();
  }
}

function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

class CachingSqliteConnection implements DatabaseConnection {
  readonly #handle: SQLite.Database;
  /** SQL text → statement, and whether it returns rows (a native getter, read once). */
  readonly #statements = new Map<string, { statement: SQLite.Statement; reader: boolean }>();

  constructor(handle: SQLite.Database) {
    this.#handle = handle;
  }

  #prepare(sql: string) {
    let prepared = this.#statements.get(sql);
    if (!prepared) {
      // past the cap the oldest prepared goes: the app's own statements come back at once
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.#statements.keys().next().value;
        if (oldest !== undefined) this.#statements.delete(oldest);
      }
      const statement = this.#handle.prepare(sql);
      prepared = { statement, reader: statement.reader };
      this.#statements.set(sql, prepared);
    }
    return prepared;
  }

  clear() {
    this.#statements.clear();
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = compiledQuery;
    const { statement, reader } = this.#prepare(sql);
    if (reader) return Promise.resolve({ rows: statement.all(parameters) as R[] });
    const { changes, lastInsertRowid } = statement.run(parameters);
    return Promise.resolve({
      numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
      insertId:
        lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
      rows: [],
    });
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { sql, parameters, query } = compiledQuery;
    if (!SelectQueryNode.is(query))
      throw new Error('Sqlite driver only supports streaming of select queries');
    // a statement being iterated cannot run anything else meanwhile: a fresh one, not the cached
    const statement = this.#handle.prepare(sql);
    for (const row of statement.iterate(parameters)) yield { rows: [row as R] };
  }
}

/** One holder at a time; the next in line gets it directly on release, in the order they asked. */
class FifoMutex {
  #locked = false;
  readonly #waiting: (() => void)[] = [];

  lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  unlock(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#locked = false;
  }
}
