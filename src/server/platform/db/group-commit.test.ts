import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../../../test/helpers/db.js';
import { GroupCommit } from './group-commit.js';

class RefusedWrite extends Error {}

describe.each(dialects())('group commit (%s)', (dialect) => {
  let testDb: TestDatabase;
  /** A second connection: what it sees is what has been committed. */
  let committed: (name: string) => Promise<boolean>;
  let closeWitness: () => Promise<void>;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    if (dialect === 'sqlite') {
      const witness = new SQLite(join(testDb.dataDir, 'estatedesk.sqlite'), { readonly: true });
      const query = witness.prepare('select 1 from counters where name = ?');
      committed = async (name) => query.get(name) !== undefined;
      closeWitness = async () => {
        witness.close();
      };
    } else {
      const witness = new pg.Client({ connectionString: testDb.databaseUrl! });
      await witness.connect();
      committed = async (name) =>
        (await witness.query('select 1 from counters where name = $1', [name])).rowCount === 1;
      closeWitness = () => witness.end();
    }
  });
  afterAll(async () => {
    await closeWitness?.();
    await testDb?.drop();
  });

  const names = async (prefix: string) =>
    (
      await testDb.database.db
        .selectFrom('counters')
        .select('name')
        .where('name', 'like', `${prefix}%`)
        .orderBy('name')
        .execute()
    ).map((r) => r.name);

  it('50 concurrent writes, one failing in the middle: 49 stored, only that one fails, each told after its commit', async () => {
    const group = new GroupCommit(testDb.database);
    const seenAtResolve: boolean[] = [];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => {
        const name = `a${String(i).padStart(2, '0')}`;
        return group
          .run(async (trx) => {
            await trx.insertInto('counters').values({ name, value: i }).execute();
            // written, then refused: its row must not survive
            if (i === 25) throw new RefusedWrite(`write ${i} refused`);
            return name;
          })
          .then(async (value) => {
            // the moment a writer hears "done", another connection must already see its row
            seenAtResolve[i] = await committed(value);
            return value;
          });
      }),
    );
    const failed = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [{ i, reason: o.reason }] : []));
    expect(failed).toHaveLength(1);
    expect(failed[0]!.i).toBe(25);
    expect(failed[0]!.reason).toBeInstanceOf(RefusedWrite);
    const stored = await names('a');
    expect(stored).toHaveLength(49);
    expect(stored).not.toContain('a25');
    expect(seenAtResolve.filter(Boolean)).toHaveLength(49);
    expect(await committed('a25')).toBe(false);
  });

  // PostgreSQL runs each write as its own transaction, concurrently: no order among them to test
  it.runIf(dialect === 'sqlite')(
    'a write sees the writes committed before it in its batch; a failed one leaves nothing behind',
    async () => {
      const group = new GroupCommit(testDb.database);
      await Promise.allSettled([
        group.run(async (trx) => {
          await trx.insertInto('counters').values({ name: 'b-shared', value: 1 }).execute();
        }),
        // the same key: a unique violation inside the batch, rolled back to its savepoint
        group.run(async (trx) => {
          await trx.insertInto('counters').values({ name: 'b-other', value: 1 }).execute();
          await trx.insertInto('counters').values({ name: 'b-shared', value: 2 }).execute();
        }),
        group.run(async (trx) => {
          await trx
            .updateTable('counters')
            .set({ value: sql`value + 10` })
            .where('name', '=', 'b-shared')
            .execute();
        }),
      ]);
      const rows = await testDb.database.db
        .selectFrom('counters')
        .selectAll()
        .where('name', 'like', 'b-%')
        .orderBy('name')
        .execute();
      // b-other went with its failed write; the third write saw the first one
      expect(rows).toEqual([{ name: 'b-shared', value: 11 }]);
    },
  );

  it.runIf(dialect === 'sqlite')('the first write of a batch failing fails alone too', async () => {
    const group = new GroupCommit(testDb.database);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        group.run(async (trx) => {
          await trx
            .insertInto('counters')
            .values({ name: `e${i}`, value: i })
            .execute();
          if (i === 0) throw new RefusedWrite('the first is refused');
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', ...Array(9).fill('fulfilled')]);
    expect(await names('e')).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9']);
    // the first went alone and was rolled back whole; the nine shared the next commit
    expect(group.stats).toEqual({ commits: 1, writes: 9 });
  });

  it.runIf(dialect === 'sqlite')('shares one commit between writes that arrive together', async () => {
    const group = new GroupCommit(testDb.database);
    const handle = testDb.database.sqlite!;
    const started = Array.from({ length: 20 }, (_, i) =>
      group.run(async (trx) => {
        await trx
          .insertInto('counters')
          .values({ name: `c${i}`, value: i })
          .execute();
        return handle.inTransaction;
      }),
    );
    const results = await Promise.all(started);
    expect(results.every(Boolean)).toBe(true);
    expect(await names('c')).toHaveLength(20);
    // all twenty were queued by the time the connection was the batch's: one commit
    expect(group.stats).toEqual({ commits: 1, writes: 20 });
  });

  it.runIf(dialect === 'sqlite')(
    'a commit that fails fails every write of its batch, and none is stored',
    async () => {
      const group = new GroupCommit(testDb.database);
      await group.run(async (trx) => {
        await trx.insertInto('counters').values({ name: 'd-first', value: 0 }).execute();
      });
      // five writes queued together: one batch
      const batch = Array.from({ length: 5 }, (_, i) =>
        group.run(async (trx) => {
          if (i === 2) {
            // a foreign key checked only at commit (deferred), left broken: the commit is refused
            await sql`pragma defer_foreign_keys = on`.execute(trx);
            await trx.insertInto('user_roles').values({ user_id: 'nobody', role: 'agent' }).execute();
          }
          await trx
            .insertInto('counters')
            .values({ name: `d${i}`, value: i })
            .execute();
        }),
      );
      const outcomes = await Promise.allSettled(batch);
      expect(outcomes.map((o) => o.status)).toEqual(Array(5).fill('rejected'));
      expect((outcomes[0] as PromiseRejectedResult).reason).toMatchObject({
        code: 'SQLITE_CONSTRAINT_FOREIGNKEY',
      });
      expect(await names('d')).toEqual(['d-first']);
      // and the connection is usable afterwards
      await group.run(async (trx) => {
        await trx.insertInto('counters').values({ name: 'd-after', value: 1 }).execute();
      });
      expect(await names('d')).toEqual(['d-after', 'd-first']);
    },
  );
});
