import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOpenClocks } from '../../src/server/modules/sla/sla.load.js';
import { createTestDatabase, dialects, type TestDatabase } from '../helpers/db.js';
import { loginOver, type ServerProcess, startServerProcess } from '../helpers/server-process.js';
import { expectEachClockFiredOnce } from '../helpers/sla.js';

const PASSWORD = 'Clocks2026';
const COUNT = 1_500;

/**
 * Issue 5, §3: two real server processes on one PostgreSQL database, each with its own SLA
 * scheduler running on the real clock: every clock that comes due warns once and breaches once,
 * and its request is escalated once — never twice, whichever server got there first.
 */
describe.runIf(dialects().includes('postgres'))('SLA clocks with two server processes (postgres)', () => {
  let testDb: TestDatabase;
  const servers: ServerProcess[] = [];
  beforeAll(async () => {
    testDb = await createTestDatabase('postgres', { migrate: false });
  });
  afterAll(async () => {
    for (const s of servers) await s.terminate();
    await testDb?.drop();
  });

  it('R26: no clock fires twice when two servers fire side by side', async () => {
    const env = {
      DATA_DIR: testDb.dataDir,
      ESTATEDESK_ADMIN_PASSWORD: PASSWORD,
      DATABASE_URL: testDb.databaseUrl!,
    };
    servers.push(await startServerProcess(env));
    servers.push(await startServerProcess(env));
    const admin = await loginOver(servers[0]!.url, 'admin', PASSWORD);
    const community = await admin.post('/api/v1/communities', { name: '阳光花园', code: 'YGHY' });
    expect(community.status).toBe(201);

    // clocks coming due over the next few seconds, while both schedulers are running
    const db = testDb.database.db;
    const now = Date.now();
    await loadOpenClocks(db, {
      communityId: community.json.id,
      count: COUNT,
      firstDue: new Date(now + 4_000),
      spacingMs: 2,
      warnBeforeMs: 2_000,
      startedAt: new Date(now),
    });

    const breaches = async () =>
      Number(
        (
          await db
            .selectFrom('sla_clock_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('type', '=', 'breach')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const deadline = Date.now() + 90_000;
    while ((await breaches()) < COUNT && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    // a moment more: a second firing, if there were one, would land now
    await new Promise((r) => setTimeout(r, 2_000));

    await expectEachClockFiredOnce(db, COUNT);
  }, 180_000);
});
