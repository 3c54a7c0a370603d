import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';

describe.each(dialects())('the full registry: search, masking, households, card (%s)', (dialect) => {
  let t: TestApp;
  let agent: Client;
  let zhang: { id: string; version: number; roomId: string };
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await t.as('agent-a');
    const manager = await t.as('manager-a');
    const building = (
      await manager.post('/api/v1/buildings', { communityId: t.world.communityA.id, name: '12号楼' })
    ).json();
    const unit = (await manager.post('/api/v1/units', { buildingId: building.id, name: '二单元' })).json();
    const room = (
      await manager.post('/api/v1/rooms', { unitId: unit.id, number: '0302', status: 'occupied' })
    ).json();
    const res = await agent.post('/api/v1/residents', {
      communityId: t.world.communityA.id,
      roomId: room.id,
      name: '张三',
      phones: ['+86 139 1234 0001', '021-6234 9999'],
      salutation: 'mr',
      kind: 'owner',
      care: ['elderly', 'living_alone'],
      moveInDate: '2020-05-01',
    });
    expect(res.statusCode, res.body).toBe(201);
    zhang = res.json();
  });
  afterAll(async () => t?.close());

  const search = async (q: string, client = agent) =>
    (await client.get(`/api/v1/residents?q=${encodeURIComponent(q)}`))
      .json()
      .items.map((r: { name: string }) => r.name);

  it.each([
    ['12-2-302'],
    ['12栋2单元302'],
    ['12号楼二单元302室'],
    ['１２－２－０３０２'],
    ['12栋302'],
    ['zs'],
    ['zhangs'],
    ['张三'],
    ['张'],
    ['0001'],
    ['9999'],
    ['139-1234-0001'],
    ['+8613912340001'],
    ['02162349999'],
  ])('R3: finds 张三 by %s', async (q) => {
    expect(await search(q)).toContain('张三');
  });

  it('R3: ranks an exact match first and never shows another community', async () => {
    expect((await search('1502'))[0]).not.toBe('张三');
    expect(await search('李秀英')).toEqual([]);
    expect(await search('13900139000')).toEqual([]); // 李秀英's phone, community B
    expect(await search('lxy')).toEqual([]);
    const quality = await t.as('quality');
    expect(await search('13900139000', quality)).toEqual(['李秀英']);
  });

  it('R4: phones are masked; a reveal shows them and leaves an audit record', async () => {
    const read = (await agent.get(`/api/v1/residents/${zhang.id}`)).json();
    expect(read.phones).toEqual(['139****0001', '021****9999']);
    expect(JSON.stringify(read)).not.toContain('13912340001');
    const revealed = await agent.post(`/api/v1/residents/${zhang.id}/reveal-phone`);
    expect(revealed.json()).toEqual({ phones: ['13912340001', '02162349999'] });
    const audit = await t.testDb.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'resident.phone_revealed')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      entity_id: zhang.id,
      actor_name: '测试agent-a',
      community_id: t.world.communityA.id,
    });
    // a technician sees masked numbers and may not reveal them here
    const tech = await t.as('technician-a');
    expect((await tech.post(`/api/v1/residents/${zhang.id}/reveal-phone`)).statusCode).toBe(403);
  });

  it('R12: an edit against a stale version is a conflict and changes nothing', async () => {
    const first = await agent.patch(`/api/v1/residents/${zhang.id}`, {
      version: zhang.version,
      notes: '下午六点后方便接电话',
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ notes: '下午六点后方便接电话', version: zhang.version + 1 });
    const stale = await agent.patch(`/api/v1/residents/${zhang.id}`, {
      version: zhang.version,
      notes: '覆盖',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().message).toBe('记录已被他人修改，请刷新后重试');
    expect((await agent.get(`/api/v1/residents/${zhang.id}`)).json().notes).toBe('下午六点后方便接电话');
    zhang = first.json();
    // sending what is already there changes nothing: same version, no audit record
    const same = await agent.patch(`/api/v1/residents/${zhang.id}`, {
      version: zhang.version,
      notes: '下午六点后方便接电话',
    });
    expect(same.json().version).toBe(zhang.version);
  });

  it('edits phones and name, and search follows', async () => {
    const res = await agent.patch(`/api/v1/residents/${zhang.id}`, {
      version: zhang.version,
      phones: ['13700005555'],
      name: '张三丰',
    });
    expect(res.json()).toMatchObject({ name: '张三丰', phones: ['137****5555'] });
    expect(await search('5555')).toContain('张三丰');
    expect(await search('0001')).not.toContain('张三丰');
    expect(await search('zsf')).toContain('张三丰');
    zhang = res.json();
  });

  it('households: a resident in two rooms, moving out of one', async () => {
    const added = await agent.post(`/api/v1/residents/${zhang.id}/rooms`, {
      roomId: t.world.roomA.id,
      kind: 'family',
    });
    expect(added.statusCode, added.body).toBe(200);
    expect(
      added.json().items.map((m: { roomLabel: string; kind: string }) => `${m.roomLabel}:${m.kind}`),
    ).toEqual(['12号楼二单元302:owner', '3栋2单元1502:family']);
    const household = (await agent.get(`/api/v1/rooms/${t.world.roomA.id}/household`)).json();
    expect(household.members.map((m: { name: string }) => m.name)).toEqual(['王建国', '张三丰']);
    const twice = await agent.post(`/api/v1/residents/${zhang.id}/rooms`, {
      roomId: t.world.roomA.id,
      kind: 'family',
    });
    expect(twice.statusCode).toBe(400);
    const out = await agent.post(`/api/v1/residents/${zhang.id}/rooms/${t.world.roomA.id}/move-out`, {
      date: '2026-11-30',
    });
    expect(out.json().items[1]).toMatchObject({ moveOutDate: '2026-11-30' });
    expect(
      (await agent.get(`/api/v1/rooms/${t.world.roomA.id}/household`))
        .json()
        .members.map((m: { name: string }) => m.name),
    ).toEqual(['王建国']);
  });

  it('R5: a care mark raises the priority of the resident’s requests', async () => {
    const ticket = await agent.post('/api/v1/tickets', {
      communityId: t.world.communityA.id,
      roomId: zhang.roomId,
      residentId: zhang.id,
      type: 'repair',
      channel: 'phone',
      priority: 'normal',
      content: '暖气不热',
    });
    expect(ticket.json().priority).toBe('high');
    expect(ticket.json().events[0].note).toBe('住户需特别关怀，优先级已调高');
    const other = await agent.post('/api/v1/tickets', {
      communityId: t.world.communityA.id,
      roomId: t.world.roomA.id,
      residentId: t.world.residentA.id,
      type: 'repair',
      channel: 'phone',
      priority: 'normal',
      content: '暖气不热',
    });
    expect(other.json().priority).toBe('normal');
  });

  it('the resident card: greeting, rooms, household, open requests and complaints', async () => {
    await agent.post('/api/v1/tickets', {
      communityId: t.world.communityA.id,
      roomId: zhang.roomId,
      residentId: zhang.id,
      type: 'complaint',
      channel: 'phone',
      content: '楼上噪音',
    });
    const card = (await agent.get(`/api/v1/residents/${zhang.id}/card`)).json();
    expect(card.greeting).toBe('张先生');
    expect(card.resident).toMatchObject({
      name: '张三丰',
      care: ['elderly', 'living_alone'],
      phones: ['137****5555'],
    });
    expect(card.rooms.map((r: { roomLabel: string }) => r.roomLabel)).toEqual(['12号楼二单元302']);
    expect(card.openTickets.map((x: { content: string }) => x.content)).toEqual(['楼上噪音', '暖气不热']);
    expect(card.recentComplaints.map((x: { content: string }) => x.content)).toEqual(['楼上噪音']);
    expect(card.satisfaction).toBeNull();
  });

  it('archives instead of deleting; archived residents leave search but keep their history', async () => {
    const res = await agent.post(`/api/v1/residents/${zhang.id}/archive`, {
      version: zhang.version,
      archived: true,
    });
    expect(res.json()).toMatchObject({ archived: true });
    expect(await search('张三丰')).toEqual([]);
    expect((await agent.get('/api/v1/residents?q=张三丰&includeArchived=true')).json().items).toHaveLength(1);
    expect((await agent.get(`/api/v1/residents/${zhang.id}/card`)).json().openTickets).toHaveLength(2);
    const audit = await t.testDb.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', zhang.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'resident.created',
      'resident.phone_revealed',
      'resident.updated',
      'resident.updated',
      'resident.room_added',
      'resident.moved_out',
      'resident.archived',
    ]);
  });
});
