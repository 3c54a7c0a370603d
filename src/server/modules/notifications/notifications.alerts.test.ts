import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, PASSWORD, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { systemContext } from '../../platform/context.js';

const MIN = 60_000;

interface Alert {
  id: string;
  ticketId: string;
  ticketNumber: string;
  event: string;
  text: string;
  readAt: string | null;
}

/**
 * R26 逐级负责制: each escalation — a breach's or a person's — reaches the people of the level it
 * was escalated to, in their console and through the notification channel, and nobody else.
 */
describe.each(dialects())('escalation alerts to staff (%s)', (dialect) => {
  let t: TestApp;
  let teamId: string;
  let techId: string;
  let leaderId: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    const ctx = systemContext();
    techId = (await t.services.staffRepo.findByLogin('technician-a'))!.id;
    const leader = await t.services.staff.create(ctx, {
      username: 'leader-a',
      employeeNo: 'L001',
      name: '李组长',
      roles: ['technician'],
      communityIds: [t.world.communityA.id],
      password: PASSWORD,
    });
    leaderId = leader.id;
    // as if they had chosen their own password at first login
    await t.testDb.database.db
      .updateTable('users')
      .set({ must_change_password: 0 })
      .where('id', '=', leaderId)
      .execute();
    const team = await t.services.teams.create(ctx, {
      communityId: t.world.communityA.id,
      name: '维修组',
      kind: 'repair',
      userIds: [techId, leaderId],
      leaderUserId: leaderId,
    });
    teamId = team.id;
  });
  afterAll(async () => t?.close());

  const login = (username: string) => t.as(username);
  const newTicket = async (agent: Client) => {
    const res = await agent.post('/api/v1/tickets', {
      communityId: t.world.communityA.id,
      roomId: t.world.roomA.id,
      residentId: t.world.residentA.id,
      type: 'repair',
      priority: 'urgent',
      channel: 'phone',
      content: '厨房水管漏水，水已经流到楼下',
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: string; version: number };
  };
  const alertsOf = async (client: Client, query = '') => {
    const res = await client.get(`/api/v1/me/alerts${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { unread: number; items: Alert[] };
  };
  const drain = async () => {
    while ((await t.services.slaScheduler.runOnce(t.clock.now())).claimed > 0);
  };

  it('R26: a breach alerts the team leader; the next breach the community’s 客服主管; each once, and nobody else', async () => {
    await drain();
    const agent = await login('agent-a');
    const ticket = await newTicket(agent);
    const current = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json();
    const dispatched = await agent.post(`/api/v1/tickets/${ticket.id}/dispatch`, {
      version: current.version,
      teamId,
      assigneeId: techId,
    });
    expect(dispatched.statusCode, dispatched.body).toBe(200);

    t.clock.advance(5 * MIN); // first contact (5 min) due: worker → team leader
    await drain();
    const leader = await login('leader-a');
    const toLeader = (await alertsOf(leader)).items.filter((a) => a.ticketId === ticket.id);
    expect(toLeader).toHaveLength(1);
    expect(toLeader[0]).toMatchObject({ event: 'escalate', ticketNumber: ticket.number, readAt: null });
    expect(toLeader[0]!.text).toBe(
      `【工单升级】${ticket.number}（${t.world.communityA.name}）已升级至班组长：「联系住户」已超时。诉求：厨房水管漏水，水已经流到楼下`,
    );
    // not yet the supervisor's business
    const supervisor = await login('supervisor-a');
    expect((await alertsOf(supervisor)).items.filter((a) => a.ticketId === ticket.id)).toHaveLength(0);

    t.clock.advance(5 * MIN); // acceptance (10 min) due: team leader → 客服主管
    await drain();
    const toSupervisor = (await alertsOf(await login('supervisor-a'))).items.filter(
      (a) => a.ticketId === ticket.id,
    );
    expect(toSupervisor).toHaveLength(1);
    expect(toSupervisor[0]!.text).toContain('已升级至客服主管：「接单」已超时');
    // the leader heard of the first breach only; the other community's staff of nothing
    expect(
      (await alertsOf(await login('leader-a'))).items.filter((a) => a.ticketId === ticket.id),
    ).toHaveLength(1);
    const rows = await t.testDb.database.db
      .selectFrom('notifications')
      .select(['user_id', 'channel', 'status', 'recipient_name'])
      .where('ticket_id', '=', ticket.id)
      .where('user_id', 'is not', null)
      .execute();
    expect(rows.map((r) => r.user_id).sort()).toEqual(
      [leaderId, (await t.services.staffRepo.findByLogin('supervisor-a'))!.id].sort(),
    );
    // they go out on the notification channel too (in-app here), like the residents' messages
    expect(rows.every((r) => r.channel === 'in_app')).toBe(true);
    const heard: { type: string; userIds?: string[] }[] = [];
    const unsubscribe = t.services.events.subscribe((e) => heard.push(e));
    while ((await t.services.notificationDispatcher.runOnce()).claimed > 0);
    unsubscribe();
    // each addressee's console is told at once, and nobody else's
    const announced = heard.filter((e) => e.type === 'alert.created').flatMap((e) => e.userIds ?? []);
    expect(announced.sort()).toEqual(rows.map((r) => r.user_id).sort());
    const sent = await t.testDb.database.db
      .selectFrom('notifications')
      .select('status')
      .where('ticket_id', '=', ticket.id)
      .where('user_id', 'is not', null)
      .execute();
    expect(sent.every((r) => r.status === 'sent')).toBe(true);
    // …and they are not among what the resident was told
    const told = (await agent.get(`/api/v1/tickets/${ticket.id}/notifications`)).json().items as {
      event: string;
    }[];
    expect(told.some((m) => m.event === 'escalate')).toBe(false);
  });

  it('R26: a person’s escalation alerts the next level with their reason; an empty level passes it on', async () => {
    const agent = await login('agent-a');
    const ticket = await newTicket(agent);
    // no team, so no team leader: the escalation to level 1 reaches the 客服主管 instead
    let current = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json();
    let res = await agent.post(`/api/v1/tickets/${ticket.id}/escalate`, {
      version: current.version,
      reason: '住户情绪激动，要求主管回电',
    });
    expect(res.statusCode, res.body).toBe(200);
    const supervisor = await login('supervisor-a');
    const mine = (await alertsOf(supervisor, '?unread=true')).items.filter((a) => a.ticketId === ticket.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.text).toContain('已升级至客服主管：住户情绪激动，要求主管回电。');

    // the 主管 escalates in turn: level 2 is their own, so the 经理 hears it, not they themselves
    current = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json();
    res = await supervisor.post(`/api/v1/tickets/${ticket.id}/escalate`, {
      version: current.version,
      reason: '需经理协调',
    });
    expect(res.statusCode, res.body).toBe(200);
    const manager = await login('manager-a');
    const toManager = (await alertsOf(manager)).items.filter((a) => a.ticketId === ticket.id);
    expect(toManager).toHaveLength(1);
    expect(toManager[0]!.text).toContain('已升级至服务中心经理：需经理协调');
    expect((await alertsOf(supervisor)).items.filter((a) => a.ticketId === ticket.id)).toHaveLength(1);
  });

  it('marks one alert or all of them read, on the record; another person’s alert is not found', async () => {
    const supervisor = await login('supervisor-a');
    const before = await alertsOf(supervisor);
    expect(before.unread).toBeGreaterThanOrEqual(2);
    const first = before.items[0]!;
    const one = await supervisor.post(`/api/v1/me/alerts/${first.id}/read`);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toEqual({ marked: 1, unread: before.unread - 1 });
    // reading it again changes nothing
    expect((await supervisor.post(`/api/v1/me/alerts/${first.id}/read`)).json()).toEqual({
      marked: 0,
      unread: before.unread - 1,
    });
    const audit = await t.testDb.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name'])
      .where('entity_id', '=', first.id)
      .execute();
    expect(audit).toEqual([{ action: 'notification.read', actor_name: '测试supervisor-a' }]);

    // the manager cannot mark the supervisor's alert
    const manager = await login('manager-a');
    const foreign = await manager.post(`/api/v1/me/alerts/${first.id}/read`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ code: 'NOT_FOUND', message: '记录不存在' });

    const all = await supervisor.post('/api/v1/me/alerts/read');
    expect(all.json()).toEqual({ marked: before.unread - 1, unread: 0 });
    expect((await alertsOf(supervisor, '?unread=true')).items).toHaveLength(0);
    expect((await alertsOf(manager)).unread).toBeGreaterThanOrEqual(1);

    const bad = await supervisor.get('/api/v1/me/alerts?limit=0');
    expect(bad.statusCode).toBe(400);
  });
});
