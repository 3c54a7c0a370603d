import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../helpers/db.js';
import { loginOver, startServerProcess } from '../helpers/server-process.js';

const PASSWORD = 'Durable2026';

/** R62 "nothing is lost": an acknowledged request survives kill -9 of the server, for real. */
describe.each(dialects())('a request survives kill -9 (%s)', (dialect) => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase(dialect, { migrate: false });
  });
  afterAll(async () => testDb?.drop());

  it('is still there after the server is killed and restarted', async () => {
    const env = {
      DATA_DIR: testDb.dataDir,
      ESTATEDESK_ADMIN_PASSWORD: PASSWORD,
      ...(testDb.databaseUrl ? { DATABASE_URL: testDb.databaseUrl } : {}),
    };
    const first = await startServerProcess(env);
    const admin = await loginOver(first.url, 'admin', PASSWORD);
    const community = await admin.post('/api/v1/communities', { name: '阳光花园', code: 'YGHY' });
    expect(community.status).toBe(201);
    const building = await admin.post('/api/v1/buildings', { communityId: community.json.id, name: '3栋' });
    const unit = await admin.post('/api/v1/units', { buildingId: building.json.id, name: '2单元' });
    const room = await admin.post('/api/v1/rooms', { unitId: unit.json.id, number: '1502' });
    const created = await admin.post('/api/v1/tickets', {
      communityId: community.json.id,
      roomId: room.json.id,
      callerName: '王先生',
      callerPhone: '13800138000',
      type: 'repair',
      channel: 'phone',
      content: '卫生间漏水，楼下已渗水',
    });
    expect(created.status).toBe(201);
    // the moment the 201 arrives, the server dies without any chance to flush
    await first.kill9();

    const second = await startServerProcess(env);
    try {
      const again = await loginOver(second.url, 'admin', PASSWORD);
      const read = await again.get(`/api/v1/tickets/${created.json.id}`);
      expect(read.status).toBe(200);
      expect(read.json).toMatchObject({
        number: created.json.number,
        content: '卫生间漏水，楼下已渗水',
        status: 'received',
      });
      expect(read.json.events).toHaveLength(1);
    } finally {
      expect(await second.terminate()).toBe(0);
    }
  }, 180_000); // two server starts, which take tens of seconds on a loaded two-core machine
});
