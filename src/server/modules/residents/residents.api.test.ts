import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';

describe.each(dialects())('registry and residents (%s)', (dialect) => {
  let t: TestApp;
  let manager: Client;
  let agent: Client;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    manager = await t.as('manager-a');
    agent = await t.as('agent-a');
  });
  afterAll(async () => t?.close());

  it('R1: builds a community down to its rooms, with occupancy, and reads it back', async () => {
    const communityId = t.world.communityA.id;
    const building = await manager.post('/api/v1/buildings', { communityId, name: '5栋', code: 'B5' });
    expect(building.statusCode).toBe(201);
    const unit = await manager.post('/api/v1/units', { buildingId: building.json().id, name: '1单元' });
    expect(unit.json()).toMatchObject({ communityId, buildingId: building.json().id, name: '1单元' });
    const room = await manager.post('/api/v1/rooms', {
      unitId: unit.json().id,
      number: '1203',
      area: 89.5,
      status: 'occupied',
    });
    expect(room.json()).toMatchObject({
      communityId,
      number: '1203',
      floor: 12,
      area: 89.5,
      status: 'occupied',
      label: '5栋1单元1203',
    });
    await manager.post('/api/v1/rooms', { unitId: unit.json().id, number: '1204' });
    const rooms = await agent.get(`/api/v1/rooms?buildingId=${building.json().id}`);
    expect(
      rooms.json().items.map((r: { number: string; status: string }) => `${r.number}:${r.status}`),
    ).toEqual(['1203:occupied', '1204:vacant']);
    const duplicate = await manager.post('/api/v1/rooms', { unitId: unit.json().id, number: '1203' });
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.json().details[0]).toEqual({ field: 'number', message: '「房号」已存在' });
    const audit = await t.testDb.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name'])
      .where('entity_id', '=', room.json().id)
      .execute();
    expect(audit).toEqual([{ action: 'room.created', actor_name: '测试manager-a' }]);
  });

  it('R3: the room picker finds a room however its code is written', async () => {
    const find = async (q: string) =>
      (await agent.get(`/api/v1/rooms?communityId=${t.world.communityA.id}&q=${encodeURIComponent(q)}`))
        .json()
        .items.map((r: { label: string }) => r.label);
    for (const q of ['3-2-1502', '3栋2单元1502', '3号楼二单元1502室', '３－２－１５０２', '1502', '150']) {
      expect(await find(q), q).toContain('3栋2单元1502');
    }
    expect(await find('4-2-1502')).toEqual([]);
    expect(await find('3-1-1502')).toEqual([]);
  });

  it('an agent may read the registry but not change it', async () => {
    const res = await agent.post('/api/v1/buildings', { communityId: t.world.communityA.id, name: '6栋' });
    expect(res.statusCode).toBe(403);
  });

  it('R3: finds a resident by name, room number, full phone (however typed), or its last four digits', async () => {
    const created = await agent.post('/api/v1/residents', {
      communityId: t.world.communityA.id,
      roomId: t.world.roomA.id,
      name: '陈美玲',
      phone: '186 1234 5678',
      salutation: 'ms',
      kind: 'tenant',
      notes: '晚上六点后方便接电话',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      phone: '186****5678',
      phones: ['186****5678'],
      roomLabel: '3栋2单元1502',
      kind: 'tenant',
    });
    const find = async (q: string) =>
      (await agent.get(`/api/v1/residents?communityId=${t.world.communityA.id}&q=${encodeURIComponent(q)}`))
        .json()
        .items.map((r: { name: string }) => r.name);
    expect(await find('陈美')).toEqual(['陈美玲']);
    expect(await find('5678')).toEqual(['陈美玲']);
    expect(await find('186-1234-5678')).toEqual(['陈美玲']);
    expect(await find('１８６１２３４５６７８')).toEqual(['陈美玲']);
    expect(await find('1502')).toEqual(['陈美玲', '王建国']);
    expect(await find('9999')).toEqual([]);
    // the other community's resident with the same room number stays invisible
    expect(await find('李秀英')).toEqual([]);
  });

  it('refuses a resident in a room of another community of mine', async () => {
    const admin = await t.as('admin');
    const res = await admin.post('/api/v1/residents', {
      communityId: t.world.communityA.id,
      roomId: t.world.roomB.id,
      name: '错房',
      phone: '13600001111',
      kind: 'owner',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0]).toEqual({ field: 'roomId', message: '所选房屋不属于该小区' });
  });
});
