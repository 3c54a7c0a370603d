import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';

describe.each(dialects())('staff directory (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('lets a manager find the stewards of their community, without phones or logins', async () => {
    const manager = await t.as('manager-a');
    const res = await manager.get(
      `/api/v1/staff/directory?communityId=${t.world.communityA.id}&role=steward`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      { id: expect.any(String), name: '测试steward-a', employeeNo: expect.any(String), roles: ['steward'] },
    ]);
    const all = (await manager.get(`/api/v1/staff/directory?communityId=${t.world.communityA.id}`)).json()
      .items;
    // everyone assigned to A plus those who see every community
    expect(all.map((u: { name: string }) => u.name)).toEqual(
      expect.arrayContaining(['测试agent-a', '测试quality', '系统管理员']),
    );
  });

  it('answers 404 for another community and 403 for a role that does not assign work', async () => {
    const manager = await t.as('manager-a');
    expect(
      (await manager.get(`/api/v1/staff/directory?communityId=${t.world.communityB.id}`)).statusCode,
    ).toBe(404);
    expect(
      (await (await t.as('agent-a')).get(`/api/v1/staff/directory?communityId=${t.world.communityA.id}`))
        .statusCode,
    ).toBe(403);
  });
});
