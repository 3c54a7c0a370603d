import { type Kysely, sql } from 'kysely';
import type { Database } from './database.js';
import type { DB } from './schema.js';

/** Most writes one SQLite commit carries: bounds how long the first of a batch waits for the last. */
export const MAX_GROUP = 64;

interface Pending<T> {
  work: (trx: Kysely<DB>) => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Runs write transactions so that concurrent ones can share a commit (docs/decisions/0006-group-commit.md).
 *
 * SQLite: `synchronous = FULL` makes every commit wait for an fsync, and one connection writes at a
 * time, so the commit is what a burst of writes queues behind. Writes that arrive while a commit
 * is under way (or waiting for the connection) wait for it and then go in one transaction, each
 * inside its own savepoint: a write that fails is rolled back to its savepoint and fails alone, the
 * others go on. The batch then commits once (one fsync), and only then is each writer told its
 * outcome — nobody is answered before their write is on disk. If the commit itself fails, every
 * write of the batch fails with that error. The only wait added is one turn of the event loop
 * (`setImmediate`): at low load a write goes alone, microseconds later than it would have.
 *
 * The work must read and write only through the `trx` it is given (as for any transaction on
 * SQLite's single connection), and it may see the writes of the batch that went before it — as it
 * would had they committed just before, which is the order they are committed in.
 *
 * PostgreSQL: each write is its own transaction on its own pooled connection. The server already
 * shares WAL flushes between commits that arrive together; nothing is gained by batching here.
 */
export class GroupCommit {
  readonly #queue: Pending<unknown>[] = [];
  #draining = false;
  /** Commits made and writes they carried (SQLite): writes / commits is the batching achieved. */
  readonly stats = { commits: 0, writes: 0 };

  constructor(
    private readonly database: Pick<Database, 'db' | 'dialect' | 'sqlite'>,
    private readonly maxGroup = MAX_GROUP,
  ) {}

  /** PostgreSQL: transactions run side by side, each on its own connection (none are grouped). */
  get sideBySide(): boolean {
    return this.database.dialect !== 'sqlite';
  }

  /** Runs `work` in a transaction and resolves once that transaction has committed. */
  run<T>(work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
    if (this.database.dialect !== 'sqlite') return this.database.db.transaction().execute(work);
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve, reject } as Pending<unknown>);
      if (this.#draining) return;
      this.#draining = true;
      // better-sqlite3 answers at once, so a request runs from its first statement to its last
      // without letting another in: without this turn of the event loop no two writes would ever
      // meet. The requests whose bytes arrived in the same turn reach this point first.
      setImmediate(() => void this.#drain());
    });
  }

  async #drain() {
    try {
      while (this.#queue.length) await this.#commitNext();
    } finally {
      this.#draining = false;
    }
  }

  /**
   * One transaction. The writes are taken only once the connection is ours — those that queued
   * while it was busy, and those that arrive while the batch runs, up to `maxGroup` — each after
   * the first in its savepoint; then one commit.
   */
  async #commitNext() {
    const batch: Pending<unknown>[] = [];
    const outcomes: Outcome[] = [];
    try {
      await this.database.db.transaction().execute(async (trx) => {
        while (this.#queue.length && batch.length < this.maxGroup) {
          const item = this.#queue.shift()!;
          batch.push(item);
          if (batch.length === 1) {
            // the first needs no savepoint: if it fails, the transaction is rolled back whole with
            // nothing else in it, exactly as a transaction of its own would be
            outcomes.push({ ok: true, value: await item.work(trx) });
            continue;
          }
          await sql`savepoint group_write`.execute(trx);
          try {
            const value = await item.work(trx);
            await sql`release group_write`.execute(trx);
            outcomes.push({ ok: true, value });
          } catch (error) {
            // SQLite ends the whole transaction by itself on some errors (a full disk, an I/O
            // error): then there is no savepoint left to return to, and the batch fails with the
            // write's own error rather than with "no such savepoint"
            if (this.database.sqlite && !this.database.sqlite.inTransaction) throw error;
            await sql`rollback to group_write`.execute(trx);
            await sql`release group_write`.execute(trx);
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // nothing of the batch was committed; a write taken but not yet run is failed with it too
      for (const item of batch) item.reject(error);
      return;
    }
    this.stats.commits++;
    this.stats.writes += outcomes.filter((o) => o.ok).length;
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}
