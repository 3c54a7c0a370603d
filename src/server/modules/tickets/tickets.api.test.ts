import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';

describe.each(dialects())('service requests (%s)', (dialect) => {
  let t: TestApp;
  let agent: Client;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await t.as('agent-a');
  });
  afterAll(async () => t?.close());

  const phoned = () => ({
    communityId: t.world.communityA.id,
    roomId: t.world.roomA.id,
    residentId: t.world.residentA.id,
    type: 'repair',
    channel: 'phone',
    priority: 'high',
    categoryId: 'cat-water_power',
    content: '卫生间漏水',
  });

  it('receives a request with a daily number, the creator, and a timeline that starts with 受理', async () => {
    const res = await agent.post('/api/v1/tickets', phoned());
    expect(res.statusCode).toBe(201);
    const ticket = res.json();
    expect(ticket).toMatchObject({
      communityId: t.world.communityA.id,
      communityName: '阳光花园',
      status: 'received',
      type: 'repair',
      channel: 'phone',
      priority: 'high',
      roomLabel: '3栋2单元1502',
      residentName: '王建国',
      content: '卫生间漏水',
      createdBy: { name: '测试agent-a', employeeNo: '100' },
    });
    // 02:00 UTC is 10:00 in Shanghai on the same day
    expect(ticket.number).toMatch(/^GD20261130-\d{4}$/);
    expect(ticket.events).toEqual([
      expect.objectContaining({ type: 'created', actor: expect.objectContaining({ employeeNo: '100' }) }),
    ]);
    const read = await agent.get(`/api/v1/tickets/${ticket.id}`);
    expect(read.json()).toEqual(ticket);
    const audit = await t.testDb.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', ticket.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'ticket.created',
      actor_name: '测试agent-a',
      community_id: t.world.communityA.id,
    });
  });

  it('numbers by the community’s local day: 17:00 UTC is already tomorrow in Shanghai', async () => {
    t.clock.set('2026-11-30T16:30:00.000Z');
    const evening = await t.as('agent-a'); // the morning session has gone idle by now
    const late = await evening.post('/api/v1/tickets', phoned());
    expect(late.json().number).toBe('GD20261201-0001');
    const next = await evening.post('/api/v1/tickets', phoned());
    expect(next.json().number).toBe('GD20261201-0002');
    t.clock.set('2026-11-30T02:00:00.000Z');
  });

  it('R6: a phoned-in request must say who called, where and how to reach them', async () => {
    const noPlace = await agent.post('/api/v1/tickets', { ...phoned(), roomId: undefined });
    expect(noPlace.statusCode).toBe(400);
    expect(noPlace.json().details[0]).toMatchObject({
      field: 'roomId',
      message: '请填写「房屋」或「公共区域」其中之一',
    });
    const noCaller = await agent.post('/api/v1/tickets', {
      ...phoned(),
      residentId: undefined,
      callerName: '王先生',
    });
    expect(noCaller.json().details).toEqual([{ field: 'callerPhone', message: '请填写「来电人电话」' }]);
    // a caller who is not a registered resident: name and phone as taken
    const stranger = await agent.post('/api/v1/tickets', {
      ...phoned(),
      residentId: undefined,
      callerName: '快递员小刘',
      callerPhone: '139 0000 1111',
    });
    expect(stranger.statusCode).toBe(201);
    expect(stranger.json()).toMatchObject({
      callerName: '快递员小刘',
      callerPhone: '13900001111',
      residentId: null,
    });
    // a web inquiry need not name a place
    const web = await agent.post('/api/v1/tickets', {
      communityId: t.world.communityA.id,
      callerName: '访客',
      callerPhone: '13700001111',
      type: 'inquiry',
      channel: 'web',
      content: '物业费怎么交？',
    });
    expect(web.statusCode).toBe(201);
    // something found on patrol has no caller at all
    const patrol = await agent.post('/api/v1/tickets', {
      communityId: t.world.communityA.id,
      publicAreaId: t.world.publicAreaA.id,
      type: 'repair',
      channel: 'patrol',
      content: '车库B区两盏灯不亮',
    });
    expect(patrol.statusCode).toBe(201);
    expect(patrol.json()).toMatchObject({ callerName: null, callerPhone: null, residentId: null });
  });

  it('R12: a retried submission with the same Idempotency-Key creates one request', async () => {
    const headers = { 'idempotency-key': 'form-7f3a9c21-retry' };
    const before = (await agent.get('/api/v1/tickets?limit=200')).json().items.length;
    const [a, b] = await Promise.all([
      agent.post('/api/v1/tickets', phoned(), headers),
      agent.post('/api/v1/tickets', phoned(), headers),
    ]);
    const c = await agent.post('/api/v1/tickets', phoned(), headers);
    expect([a.statusCode, b.statusCode, c.statusCode]).toEqual([201, 201, 201]);
    expect(new Set([a.json().id, b.json().id, c.json().id]).size).toBe(1);
    const after = (await agent.get('/api/v1/tickets?limit=200')).json().items.length;
    expect(after).toBe(before + 1);
    // the same key from another user is another submission
    const other = await (await t.as('supervisor-a')).post('/api/v1/tickets', phoned(), headers);
    expect(other.json().id).not.toBe(a.json().id);
  });

  it('lists newest first with filters and a cursor that walks every page once', async () => {
    for (let i = 0; i < 5; i++) {
      await agent.post('/api/v1/tickets', { ...phoned(), type: 'complaint', content: `投诉 ${i}` });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await agent.get(
        `/api/v1/tickets?type=complaint&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.statusCode).toBe(200);
      const body = page.json();
      for (const item of body.items) {
        expect(item.type).toBe('complaint');
        seen.push(item.content);
      }
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['投诉 4', '投诉 3', '投诉 2', '投诉 1', '投诉 0']);
    const byStatus = await agent.get(`/api/v1/tickets?status=closed&communityId=${t.world.communityA.id}`);
    expect(byStatus.json()).toEqual({ items: [], nextCursor: null });
    const bad = await agent.get('/api/v1/tickets?status=unknown');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0]).toMatchObject({ field: 'status', message: '「状态」的取值无效' });
  });

  it('offers the category tree', async () => {
    const res = await agent.get('/api/v1/ticket-categories');
    expect(res.json().items.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['水电', '电梯', '噪音', '收费']),
    );
  });
});
