import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../helpers/db.js';
import { loginOver, startServerProcess } from '../helpers/server-process.js';

const PASSWORD = 'Durable2026';

/**
 * R62 "nothing is lost" with requests received together: on SQLite they share commits (group
 * commit, docs/decisions/0006-group-commit.md), and a 201 must still mean "on disk". 50 requests
 * at once over HTTP, the server killed with SIGKILL the moment the last 201 arrives: after a
 * restart every one of them is there, whole.
 */
describe.each(dialects())('a burst of acknowledged requests survives kill -9 (%s)', (dialect) => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase(dialect, { migrate: false });
  });
  afterAll(async () => testDb?.drop());

  it('R62 all 50 are there after the server is killed and restarted', async () => {
    const env = {
      DATA_DIR: testDb.dataDir,
      ESTATEDESK_ADMIN_PASSWORD: PASSWORD,
      ...(testDb.databaseUrl ? { DATABASE_URL: testDb.databaseUrl } : {}),
    };
    const first = await startServerProcess(env);
    let created: Awaited<ReturnType<Awaited<ReturnType<typeof loginOver>>['post']>>[];
    try {
      const admin = await loginOver(first.url, 'admin', PASSWORD);
      const community = await admin.post('/api/v1/communities', { name: '阳光花园', code: 'YGHY' });
      const building = await admin.post('/api/v1/buildings', { communityId: community.json.id, name: '3栋' });
      const unit = await admin.post('/api/v1/units', { buildingId: building.json.id, name: '2单元' });
      const room = await admin.post('/api/v1/rooms', { unitId: unit.json.id, number: '1502' });
      expect(room.status).toBe(201);

      created = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          admin.post('/api/v1/tickets', {
            communityId: community.json.id,
            roomId: room.json.id,
            callerName: '王先生',
            callerPhone: '13800138000',
            type: 'repair',
            channel: 'phone',
            content: `卫生间漏水，第${i}次报修`,
          }),
        ),
      );
      expect(created.map((c) => c.status)).toEqual(Array(50).fill(201));
    } finally {
      // the moment the last 201 arrives (or the test fails), the server dies without any chance to flush
      await first.kill9();
    }

    const second = await startServerProcess(env);
    try {
      const again = await loginOver(second.url, 'admin', PASSWORD);
      for (const [i, ticket] of created.entries()) {
        const read = await again.get(`/api/v1/tickets/${ticket.json.id}`);
        expect(read.status).toBe(200);
        expect(read.json).toMatchObject({
          number: ticket.json.number,
          content: `卫生间漏水，第${i}次报修`,
          status: 'received',
        });
        expect(read.json.events).toHaveLength(1);
      }
    } finally {
      expect(await second.terminate()).toBe(0);
    }
  }, 180_000);
});
