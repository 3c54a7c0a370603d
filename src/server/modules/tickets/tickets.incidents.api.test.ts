import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { systemContext } from '../../platform/context.js';

/**
 * What a request records beyond its type and content (scope, appointment, hotline order number,
 * its first owner), and one incident reported by many (R11).
 */
describe.each(dialects())('incidents and request details through the API (%s)', (dialect) => {
  let t: TestApp;
  let agent: Client;
  let tech: Client;
  let teamId: string;
  let techId: string;
  let neighbourRoomId: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await t.as('agent-a');
    tech = await t.as('technician-a');
    const ctx = systemContext();
    techId = (await t.services.staffRepo.findByLogin('technician-a'))!.id;
    const team = await t.services.teams.create(ctx, {
      communityId: t.world.communityA.id,
      name: '维修组',
      kind: 'repair',
    });
    await t.services.teams.setMembers(ctx, team.id, { userIds: [techId] });
    teamId = team.id;
    // a neighbour in the same building (3栋), on another floor
    const room = (await t.services.registry.getRoom(ctx, t.world.roomA.id))!;
    const neighbour = await t.services.registry.createRoom(ctx, {
      unitId: room.unitId,
      number: '1402',
      status: 'occupied',
    });
    neighbourRoomId = neighbour.id;
  });
  afterAll(async () => t?.close());

  const report = (body: Record<string, unknown>) =>
    agent.post('/api/v1/tickets', {
      communityId: t.world.communityA.id,
      type: 'repair',
      channel: 'phone',
      callerName: '住户',
      callerPhone: '13700137000',
      content: '楼上漏水，天花板滴水',
      ...body,
    });
  const act = async (client: Client, id: string, action: string, body: object = {}) => {
    const current = (await agent.get(`/api/v1/tickets/${id}`)).json();
    return client.post(`/api/v1/tickets/${id}/${action}`, { version: current.version, ...body });
  };

  it('records a repair as indoor (户内) or public (公区), defaulting from where it is', async () => {
    const indoor = (await report({ roomId: t.world.roomA.id })).json();
    expect(indoor.repairScope).toBe('indoor');
    const outdoor = (await report({ publicAreaId: t.world.publicAreaA.id })).json();
    expect(outdoor.repairScope).toBe('public');
    const stated = (await report({ roomId: t.world.roomA.id, repairScope: 'public' })).json();
    expect(stated.repairScope).toBe('public');
    const inquiry = await report({ roomId: t.world.roomA.id, type: 'inquiry', repairScope: 'indoor' });
    expect(inquiry.statusCode).toBe(400);
    expect(inquiry.json().details).toEqual([
      expect.objectContaining({ field: 'repairScope', message: '只有报修才分户内/公区' }),
    ]);
  });

  it('records the appointment window of a home visit (上门须预约), refusing one that makes no sense', async () => {
    const now = t.clock.now().getTime();
    const from = new Date(now + 2 * 3_600_000).toISOString();
    const to = new Date(now + 4 * 3_600_000).toISOString();
    const ok = await report({ roomId: t.world.roomA.id, appointment: { from, to } });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().appointment).toEqual({ from, to });

    const count = async () =>
      Number(
        (
          await t.testDb.database.db
            .selectFrom('tickets')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    for (const appointment of [
      { from: to, to: from },
      { from, to: new Date(now + 20 * 3_600_000).toISOString() },
      { from: new Date(now - 3 * 3_600_000).toISOString(), to: new Date(now - 3_600_000).toISOString() },
    ]) {
      const res = await report({ roomId: t.world.roomA.id, appointment });
      expect(res.statusCode).toBe(400);
      expect(res.json().details[0]).toMatchObject({ field: 'appointment' });
      expect(res.json().details[0].message).toContain('预约时段');
    }
    const noRoom = await report({ publicAreaId: t.world.publicAreaA.id, appointment: { from, to } });
    expect(noRoom.json().details[0].message).toBe('上门预约须指定房间');
    expect(await count()).toBe(before);
  });

  it('keeps the government hotline’s own order number, and requires it for a hotline request', async () => {
    const body = { publicAreaId: t.world.publicAreaA.id, type: 'complaint', channel: 'hotline' };
    const missing = await report(body);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().details[0]).toMatchObject({ field: 'externalRef', message: '请填写「热线单号」' });
    const ok = await report({ ...body, externalRef: '12345-202612010088' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().externalRef).toBe('12345-202612010088');
    const notHotline = await report({ publicAreaId: t.world.publicAreaA.id, externalRef: 'X1' });
    expect(notHotline.json().details[0].message).toBe('只有政府热线工单才有热线单号');
  });

  it('R15: whoever first hears a complaint owns it (首问负责制) until it is handed to a team', async () => {
    const complaint = (
      await report({ roomId: t.world.roomA.id, type: 'complaint', content: '保安态度不好' })
    ).json();
    expect(complaint.firstOwner).toMatchObject({ name: '测试agent-a' });
    expect(complaint.handedOverAt).toBeNull();
    t.clock.advance(5 * 60_000);
    const handed = (await act(agent, complaint.id, 'dispatch', { teamId })).json();
    expect(handed.handedOverAt).toBe(t.clock.now().toISOString());
    // handing it on again does not move the moment it left its first owner
    t.clock.advance(60_000);
    const again = (await act(agent, complaint.id, 'reassign', { teamId, assigneeId: techId })).json();
    expect(again.handedOverAt).toBe(handed.handedOverAt);
  });

  describe('R11: one incident, many reporters', () => {
    let first: { id: string; number: string };

    it('offers the open request of the same building and category as the same incident', async () => {
      first = (
        await report({ roomId: t.world.roomA.id, categoryId: 'cat-leak', residentId: t.world.residentA.id })
      ).json();
      const similar = await agent.get(
        `/api/v1/tickets/similar?communityId=${t.world.communityA.id}&categoryId=cat-leak&roomId=${neighbourRoomId}`,
      );
      expect(similar.statusCode, similar.body).toBe(200);
      expect(similar.json().items.map((i: { id: string }) => i.id)).toEqual([first.id]);
      // its first-level category 水电 matches too (one caller says 漏水, another 水电); 噪音 does not
      const sibling = await agent.get(
        `/api/v1/tickets/similar?communityId=${t.world.communityA.id}&categoryId=cat-water_power&roomId=${neighbourRoomId}`,
      );
      expect(sibling.json().items.map((i: { id: string }) => i.id)).toContain(first.id);
      const other = await agent.get(
        `/api/v1/tickets/similar?communityId=${t.world.communityA.id}&categoryId=cat-noise&roomId=${neighbourRoomId}`,
      );
      expect(other.json().items).toEqual([]);
      // the public area is another place
      const area = await agent.get(
        `/api/v1/tickets/similar?communityId=${t.world.communityA.id}&categoryId=cat-leak&publicAreaId=${t.world.publicAreaA.id}`,
      );
      expect(area.json().items).toEqual([]);
      // requests older than a day are another incident (asked of the service: a day later the
      // agent's session would have expired)
      t.clock.advance(25 * 3_600_000);
      const later = await t.services.tickets.similar(systemContext(), {
        communityId: t.world.communityA.id,
        categoryId: 'cat-leak',
        roomId: neighbourRoomId,
      });
      expect(later.items).toEqual([]);
      t.clock.advance(-25 * 3_600_000);
    });

    it('links reports at intake and later; linked ones stay out of the dispatch queue and follow the parent', async () => {
      const second = await report({ roomId: neighbourRoomId, categoryId: 'cat-leak', parentId: first.id });
      expect(second.statusCode, second.body).toBe(201);
      expect(second.json()).toMatchObject({
        parentId: first.id,
        parent: { id: first.id, number: first.number },
      });
      expect(second.json().allowedActions).toEqual(['cancel']);

      const third = (
        await report({ roomId: neighbourRoomId, categoryId: 'cat-leak', callerName: '张阿姨' })
      ).json();
      const linked = await agent.post(`/api/v1/tickets/${third.id}/link`, {
        version: third.version,
        parentId: first.id,
      });
      expect(linked.statusCode, linked.body).toBe(200);
      expect(linked.json().parent.number).toBe(first.number);

      const parent = (await agent.get(`/api/v1/tickets/${first.id}`)).json();
      expect(parent.children.map((c: { id: string }) => c.id)).toEqual([second.json().id, third.id]);
      expect(parent.children[1].reporterName).toBe('张阿姨');
      expect(parent.events.filter((e: { type: string }) => e.type === 'link')).toHaveLength(2);

      const unassigned = (await agent.get('/api/v1/tickets?view=unassigned&limit=100')).json();
      const ids = unassigned.items.map((i: { id: string }) => i.id);
      expect(ids).toContain(first.id);
      expect(ids).not.toContain(third.id);

      // a linked request is not dispatched on its own
      const dispatch = await act(agent, third.id, 'dispatch', { teamId });
      expect(dispatch.statusCode).toBe(409);
      expect(dispatch.json()).toMatchObject({
        code: 'LINKED_TO_PARENT',
        message: `本工单已关联到主工单 ${first.number}，随主工单处理`,
      });

      // the parent is worked; when it is done and closed, every linked report is too
      await act(agent, first.id, 'dispatch', { teamId, assigneeId: techId });
      for (const step of ['accept', 'arrive', 'start'])
        expect((await act(tech, first.id, step)).statusCode).toBe(200);
      const done = await act(tech, first.id, 'complete', {
        report: { cause: '15楼水管爆裂', work: '关阀更换水管', advice: '冬季注意防冻' },
      });
      expect(done.statusCode, done.body).toBe(200);
      for (const child of [second.json().id, third.id]) {
        const c = (await agent.get(`/api/v1/tickets/${child}`)).json();
        expect(c.status).toBe('done');
        expect(c.completion).toMatchObject({ cause: '15楼水管爆裂' });
        expect(c.events.at(-1)).toMatchObject({ type: 'complete', note: `随主工单 ${first.number}` });
      }
      expect((await act(agent, first.id, 'close')).statusCode).toBe(200);
      expect((await agent.get(`/api/v1/tickets/${third.id}`)).json().status).toBe('closed');
      // reopened, the incident takes its reports with it
      expect((await act(agent, first.id, 'reopen', { reason: '住户反映仍在滴水' })).statusCode).toBe(200);
      expect((await agent.get(`/api/v1/tickets/${third.id}`)).json().status).toBe('received');
    });

    it('refuses links that make no sense, and changes nothing', async () => {
      const a = (await report({ roomId: t.world.roomA.id, categoryId: 'cat-drain' })).json();
      const b = (await report({ roomId: t.world.roomA.id, categoryId: 'cat-drain', parentId: a.id })).json();
      const c = (await report({ roomId: t.world.roomA.id, categoryId: 'cat-drain' })).json();
      const self = await agent.post(`/api/v1/tickets/${c.id}/link`, { version: c.version, parentId: c.id });
      expect(self.json().details[0].message).toBe('工单不能关联到自己');
      const toChild = await agent.post(`/api/v1/tickets/${c.id}/link`, {
        version: c.version,
        parentId: b.id,
      });
      expect(toChild.json().details[0].message).toBe('要关联的工单本身已关联到其他工单，请关联到主工单');
      const parentAway = await agent.post(`/api/v1/tickets/${a.id}/link`, {
        version: a.version,
        parentId: c.id,
      });
      expect(parentAway.json().details[0].message).toBe('已有其他工单关联到本工单，它不能再关联到别的工单');
      const otherCommunity = await agent.post(`/api/v1/tickets/${c.id}/link`, {
        version: c.version,
        parentId: t.world.ticketB.id,
      });
      expect(otherCommunity.statusCode).toBe(400);
      const stale = await agent.post(`/api/v1/tickets/${c.id}/link`, {
        version: c.version + 5,
        parentId: a.id,
      });
      expect(stale.statusCode).toBe(409);
      const fresh = (await agent.get(`/api/v1/tickets/${c.id}`)).json();
      expect(fresh).toMatchObject({ parentId: null, version: c.version });

      // a dispatched request is worked on its own: it cannot be linked any more
      await act(agent, c.id, 'dispatch', { teamId });
      const dispatched = await act(agent, c.id, 'link', { parentId: a.id });
      expect(dispatched.statusCode).toBe(409);

      // unlinked, a report waits for its own dispatch again
      const unlinked = await agent.post(`/api/v1/tickets/${b.id}/unlink`, { version: b.version });
      expect(unlinked.statusCode, unlinked.body).toBe(200);
      expect(unlinked.json()).toMatchObject({ parentId: null, parent: null });
      expect(unlinked.json().allowedActions).toContain('dispatch');
    });
  });
});
