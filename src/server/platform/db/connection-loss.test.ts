import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../../../test/helpers/db.js';
import { type Database, openDatabase } from './database.js';

/**
 * Found by the crash test (issue 10 §1): PostgreSQL restarting (or an admin ending a backend)
 * while a connection was checked out — between two queries of a transaction — made pg emit
 * 'error' on a client nobody listened to, and the whole server process died with "Unhandled
 * 'error' event". The pool listens only to idle connections; openDatabase now listens to every one.
 */
describe.runIf(dialects().includes('postgres'))('a PostgreSQL connection lost while in use', () => {
  let testDb: TestDatabase;
  let database: Database;
  const lost: Error[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres', { migrate: false });
    database = openDatabase({
      databaseUrl: testDb.databaseUrl,
      poolSize: 2,
      onIdleError: (e) => lost.push(e),
    });
  });
  afterAll(async () => {
    await database?.close();
    await testDb?.drop();
  });

  const terminate = async (pid: number) => {
    const admin = new pg.Client({ connectionString: inject('pgAdminUrl')! });
    await admin.connect();
    await admin.query('select pg_terminate_backend($1)', [pid]);
    await admin.end();
  };

  it('R62: fails the transaction in hand, does not crash the process, and the pool carries on', async () => {
    const attempt = database.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
      // the backend ends while this transaction holds its connection between two queries
      await terminate(rows[0]!.pid);
      await sleep(300);
      await sql`select 1`.execute(trx);
    });
    await expect(attempt).rejects.toThrow();
    // heard and told once (without a listener the 'error' event would have ended the process)
    expect(lost.map((e) => e.message)).toEqual(['terminating connection due to administrator command']);
    // the broken connection was dropped, not handed out again
    for (let i = 0; i < 4; i++) {
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db);
      expect(rows[0]!.one).toBe(1);
    }
  });

  it('R62: an idle connection ended by the server is told once and replaced', async () => {
    lost.length = 0;
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db);
    await terminate(rows[0]!.pid);
    await sleep(300);
    expect(lost.map((e) => e.message)).toEqual(['terminating connection due to administrator command']);
    const again = await sql<{ one: number }>`select 1 as one`.execute(database.db);
    expect(again.rows[0]!.one).toBe(1);
  });
});
