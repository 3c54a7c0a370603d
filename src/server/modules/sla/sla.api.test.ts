import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { systemContext } from '../../platform/context.js';

const MIN = 60_000;

interface ClockView {
  target: string;
  status: string;
  dueAt: string;
  warnAt: string;
  startedAt: string;
  pausedMs: number;
  pauseReason: string | null;
  remainingMs: number | null;
  warnedAt: string | null;
  breachedAt: string | null;
}

describe.each(dialects())('SLA clocks through the API (%s)', (dialect) => {
  let t: TestApp;
  let agent: Client;
  let tech: Client;
  let admin: Client;
  let supervisor: Client;
  let teamId: string;
  let techId: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    const ctx = systemContext();
    techId = (await t.services.staffRepo.findByLogin('technician-a'))!.id;
    const team = await t.services.teams.create(ctx, {
      communityId: t.world.communityA.id,
      name: '维修组',
      kind: 'repair',
    });
    await t.services.teams.setMembers(ctx, team.id, { userIds: [techId] });
    teamId = team.id;
  });
  afterAll(async () => t?.close());
  // the injected clock moves hours between tests: sessions idle out, so each test logs in afresh
  beforeEach(async () => {
    agent = await t.as('agent-a');
    tech = await t.as('technician-a');
    admin = await t.as('admin-2');
    supervisor = await t.as('supervisor-a');
  });

  const newTicket = async (body: Record<string, unknown> = {}) => {
    const res = await agent.post('/api/v1/tickets', {
      communityId: t.world.communityA.id,
      roomId: t.world.roomA.id,
      residentId: t.world.residentA.id,
      type: 'repair',
      channel: 'phone',
      content: '厨房水管漏水',
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: string; version: number };
  };
  const act = async (client: Client, id: string, action: string, body: object = {}) => {
    const current = (await agent.get(`/api/v1/tickets/${id}`)).json();
    const res = await client.post(`/api/v1/tickets/${id}/${action}`, { version: current.version, ...body });
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
    return res.json();
  };
  const clocks = async (id: string) => {
    const res = await agent.get(`/api/v1/tickets/${id}/sla`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as ClockView[]).reduce<Record<string, ClockView>>(
      (all, c) => Object.assign(all, { [c.target]: c }),
      {},
    );
  };
  const at = (base: string, ms: number) => new Date(new Date(base).getTime() + ms).toISOString();
  const timeline = async (id: string) =>
    ((await agent.get(`/api/v1/tickets/${id}`)).json().events as { type: string; note: string | null }[]).map(
      (e) => e.type,
    );

  it('R19 R20 R21 R22 R24: the clocks start and stop with the steps', async () => {
    const ticket = await newTicket();
    const created = t.clock.now().toISOString();
    expect(await clocks(ticket.id)).toEqual({});
    await act(agent, ticket.id, 'dispatch', { teamId, assigneeId: techId });
    let c = await clocks(ticket.id);
    // R21 10 min to accept, R19 5 min to contact, R20 2 h on site for a normal repair
    expect(c.accept).toMatchObject({
      status: 'running',
      dueAt: at(created, 10 * MIN),
      warnAt: at(created, 8 * MIN),
    });
    expect(c.first_contact).toMatchObject({ status: 'running', dueAt: at(created, 5 * MIN) });
    expect(c.arrival).toMatchObject({ status: 'running', dueAt: at(created, 120 * MIN) });
    expect(c.accept!.remainingMs).toBe(10 * MIN);

    t.clock.advance(2 * MIN);
    await act(tech, ticket.id, 'accept');
    t.clock.advance(20 * MIN);
    await act(tech, ticket.id, 'arrive');
    c = await clocks(ticket.id);
    expect(c.accept!.status).toBe('met');
    expect(c.arrival!.status).toBe('met');
    // arrived after 22 min: the 5-minute contact was broken, even if the scheduler had not yet said so
    expect(c.first_contact).toMatchObject({ status: 'breached', breachedAt: at(created, 5 * MIN) });
    // R22: from on site, 2 h to fix or escalate
    expect(c.escalation).toMatchObject({ status: 'running', dueAt: at(created, 142 * MIN) });

    t.clock.advance(30 * MIN);
    await act(tech, ticket.id, 'complete', { report: { cause: '接头老化', work: '更换接头' } });
    c = await clocks(ticket.id);
    expect(c.escalation!.status).toBe('met');
    // R24: the return visit within 3 days of completion
    expect(c.return_visit).toMatchObject({
      status: 'running',
      dueAt: at(created, 52 * MIN + 3 * 24 * 60 * MIN),
    });
    await act(agent, ticket.id, 'close', {});
    // closing is not the return visit (R24): only the visit keeps that promise (module visits)
    expect((await clocks(ticket.id)).return_visit!.status).toBe('running');
    // the ticket steps and the SLA never touch each other's results: nothing fired
    expect((await t.services.slaScheduler.runOnce(t.clock.now())).claimed).toBe(0);
  });

  it('R15 R23: a complaint gets its handover and 24 h clocks; a typed pause really moves the deadline', async () => {
    const ticket = await newTicket({ type: 'complaint', content: '楼上装修噪音' });
    const created = t.clock.now().toISOString();
    let c = await clocks(ticket.id);
    expect(c.handover).toMatchObject({ dueAt: at(created, 20 * MIN) });
    expect(c.resolution).toMatchObject({ dueAt: at(created, 24 * 60 * MIN) });
    t.clock.advance(10 * MIN);
    await act(agent, ticket.id, 'dispatch', { teamId, assigneeId: techId });
    c = await clocks(ticket.id);
    expect(c.handover!.status).toBe('met');
    await act(tech, ticket.id, 'accept');

    // a hold without a typed reason stops nothing
    await act(agent, ticket.id, 'pend', {
      reason: '等待物业内部协调',
      nextStep: '明日答复',
      eta: at(t.clock.now().toISOString(), 60 * MIN),
    });
    expect((await clocks(ticket.id)).resolution!.status).toBe('running');
    await act(agent, ticket.id, 'resume');

    await act(agent, ticket.id, 'pend', {
      reason: '住户出差',
      nextStep: '住户回来后上门',
      eta: at(t.clock.now().toISOString(), 3 * 60 * MIN),
      pauseReason: 'resident_unavailable',
    });
    c = await clocks(ticket.id);
    expect(c.resolution).toMatchObject({ status: 'paused', pauseReason: 'resident_unavailable' });
    // while paused the time left stands still
    const left = c.resolution!.remainingMs;
    t.clock.advance(3 * 60 * MIN);
    expect((await clocks(ticket.id)).resolution!.remainingMs).toBe(left);
    expect((await t.services.slaScheduler.runOnce(t.clock.now())).claimed).toBe(0);
    await act(agent, ticket.id, 'resume');
    c = await clocks(ticket.id);
    expect(c.resolution).toMatchObject({
      status: 'running',
      pausedMs: 3 * 60 * MIN,
      dueAt: at(created, 27 * 60 * MIN),
      warnAt: at(created, 0.8 * 24 * 60 * MIN + 3 * 60 * MIN),
    });
    expect(c.resolution!.remainingMs).toBe(left);
    // a pending reason that is not one of the three is refused, the ticket unchanged
    const current = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json();
    const bad = await agent.post(`/api/v1/tickets/${ticket.id}/pend`, {
      version: current.version,
      reason: '等',
      nextStep: '等',
      eta: at(t.clock.now().toISOString(), 60 * MIN),
      pauseReason: 'lunch',
    });
    expect(bad.statusCode).toBe(400);
    expect((await agent.get(`/api/v1/tickets/${ticket.id}`)).json().version).toBe(current.version);
  });

  it('R21 R26: a warning and a breach fire exactly once each; the breach escalates one level, on the timeline', async () => {
    // what earlier tests left running fires first, so that the counts below are this ticket's alone
    t.clock.advance(10 * 24 * 60 * MIN);
    while ((await t.services.slaScheduler.runOnce(t.clock.now())).claimed > 0);
    agent = await t.as('agent-a');
    tech = await t.as('technician-a');
    const ticket = await newTicket({ priority: 'urgent' });
    await act(agent, ticket.id, 'dispatch', { teamId, assigneeId: techId });
    const run = () => t.services.slaScheduler.runOnce(t.clock.now());

    t.clock.advance(4 * MIN); // first_contact warns at 80% of 5 min
    expect(await run()).toMatchObject({ warned: 1, breached: 0 });
    expect(await run()).toMatchObject({ claimed: 0 });
    t.clock.advance(1 * MIN); // first_contact due
    expect(await run()).toMatchObject({ warned: 0, breached: 1, escalated: 1 });
    expect(await run()).toMatchObject({ claimed: 0 });
    let detail = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json();
    expect(detail.escalationLevel).toBe(1);
    const escalation = (detail.events as { type: string; note: string; actor: unknown }[]).find(
      (e) => e.type === 'escalate',
    );
    expect(escalation?.note).toBe('「联系住户」已超时，自动升级至班组长');

    t.clock.advance(3 * MIN); // accept warns at 8 min
    expect(await run()).toMatchObject({ warned: 1, breached: 0 });
    t.clock.advance(60 * MIN); // accept due at 10, arrival (urgent: 15 min) warned and due
    agent = await t.as('agent-a');
    supervisor = await t.as('supervisor-a');
    const late = await run();
    expect(late).toMatchObject({ breached: 2, escalated: 2 });
    expect(await run()).toMatchObject({ claimed: 0 });
    detail = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json();
    // one level per breach: worker → team lead → 客服主管 → 服务中心经理
    expect(detail.escalationLevel).toBe(3);
    const types = await timeline(ticket.id);
    expect(types.filter((x) => x === 'sla_warn')).toHaveLength(2);
    expect(types.filter((x) => x === 'sla_breach')).toHaveLength(3);
    expect(types.filter((x) => x === 'escalate')).toHaveLength(3);
    // the supervisor's overdue queue and board show it; the engine's own events are stored
    const overdue = (await supervisor.get(`/api/v1/sla/overdue?communityId=${t.world.communityA.id}`)).json();
    const mine = overdue.items.filter((c: { ticketId: string }) => c.ticketId === ticket.id);
    expect(mine).toHaveLength(3);
    // each clock names its request by number (kept with the clock since it started)
    for (const c of mine) expect(c.ticketNumber).toBe(ticket.number);
    const events = await t.testDb.database.db
      .selectFrom('sla_clock_events')
      .select(['type'])
      .where('ticket_id', '=', ticket.id)
      .execute();
    expect(events.filter((e) => e.type === 'breach')).toHaveLength(3);
    const audit = await t.testDb.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', ticket.id)
      .where('action', 'in', ['ticket.sla_breach', 'ticket.escalate'])
      .execute();
    expect(audit).toHaveLength(6);
    // cancelling ends the clocks still open
    await act(agent, ticket.id, 'cancel', { reason: '住户撤回' });
    expect(Object.values(await clocks(ticket.id)).every((c) => c.status !== 'running')).toBe(true);
  });

  it('R16: a lift entrapment has its own 30-minute rescue clock, met when the rescuers arrive', async () => {
    const res = await agent.post('/api/v1/tickets', {
      communityId: t.world.communityA.id,
      publicAreaId: t.world.publicAreaA.id,
      callerName: '王先生',
      callerPhone: '13800138000',
      type: 'emergency',
      channel: 'phone',
      content: '3栋2单元1号梯困人',
      emergency: { kind: 'lift_entrapment', lift: '3栋2单元1号梯', floor: '12', people: 2 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const ticket = res.json() as { id: string };
    const created = t.clock.now().toISOString();
    expect((await clocks(ticket.id)).rescue).toMatchObject({
      status: 'running',
      dueAt: at(created, 30 * MIN),
    });
    const log = async (entry: string, extra: object = {}) => {
      const { version } = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json();
      const r = await agent.post(`/api/v1/tickets/${ticket.id}/emergency-log`, { version, entry, ...extra });
      expect(r.statusCode, r.body).toBe(200);
    };
    t.clock.advance(2 * MIN);
    await log('contractor_called', { contractor: { name: '奥的斯维保', phone: '4008801234' } });
    t.clock.advance(20 * MIN);
    await log('rescuers_arrived');
    expect((await clocks(ticket.id)).rescue!.status).toBe('met');
  });

  it('R17: a hotline order is signed for within 1 working day, on the business calendar', async () => {
    // Friday 17:00 in Shanghai: one hour today, then Monday 08:30–12:00 and 13:30–17:00
    t.clock.set('2026-12-04T09:00:00.000Z');
    const ticket = await newTicket({ channel: 'hotline', externalRef: '12345-0001' });
    const c = await clocks(ticket.id);
    expect(c.hotline_signoff).toMatchObject({ status: 'running', dueAt: '2026-12-07T09:00:00.000Z' });
    await act(agent, ticket.id, 'dispatch', { teamId, assigneeId: techId });
    await act(tech, ticket.id, 'accept');
    expect((await clocks(ticket.id)).hotline_signoff!.status).toBe('met');
  });

  it('a policy change applies to new clocks only; an admin re-applies it to open ones, recorded', async () => {
    const before = await newTicket({ type: 'complaint', content: '垃圾未清运' });
    const created = t.clock.now().toISOString();
    const policies = (await admin.get(`/api/v1/sla/policies`)).json() as {
      id: string;
      target: string;
      ticketType: string | null;
      communityId: string | null;
    }[];
    expect(policies.find((p) => p.target === 'accept')).toMatchObject({ communityId: null });
    // a community override: complaints there are resolved within 12 h
    const override = await admin.post('/api/v1/sla/policies', {
      communityId: t.world.communityA.id,
      ticketType: 'complaint',
      target: 'resolution',
      minutes: 12 * 60,
    });
    expect(override.statusCode, override.body).toBe(201);
    // the same scope twice is refused, in the caller's language
    const twice = await admin.post('/api/v1/sla/policies', {
      communityId: t.world.communityA.id,
      ticketType: 'complaint',
      target: 'resolution',
      minutes: 60,
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().details[0].message).toContain('解决');
    // a manager may not change the company's policy
    const manager = await t.as('manager-a');
    const companyAccept = policies.find((p) => p.target === 'accept')!;
    expect((await manager.patch(`/api/v1/sla/policies/${companyAccept.id}`, { minutes: 5 })).statusCode).toBe(
      400,
    );

    expect((await clocks(before.id)).resolution!.dueAt).toBe(at(created, 24 * 60 * MIN));
    const after = await newTicket({ type: 'complaint', content: '垃圾未清运 2' });
    expect((await clocks(after.id)).resolution!.dueAt).toBe(at(t.clock.now().toISOString(), 12 * 60 * MIN));

    const reapplied = await admin.post('/api/v1/sla/reapply', { communityId: t.world.communityA.id });
    expect(reapplied.statusCode, reapplied.body).toBe(200);
    expect(reapplied.json().recomputed).toBeGreaterThan(0);
    expect((await clocks(before.id)).resolution!.dueAt).toBe(at(created, 12 * 60 * MIN));
    const audit = await t.testDb.database.db
      .selectFrom('audit_log')
      .select(['action', 'changes'])
      .where('action', 'in', ['sla.reapply', 'sla.policy.create'])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['sla.policy.create', 'sla.reapply']);
    // only an admin re-applies
    expect(
      (await manager.post('/api/v1/sla/reapply', { communityId: t.world.communityA.id })).statusCode,
    ).toBe(403);
  });

  it('calendars are validated with a translated error and stored per community', async () => {
    const bad = await admin.put(`/api/v1/sla/calendars/communities/${t.world.communityA.id}`, {
      calendar: { timeZone: 'Mars/Olympus', weekly: {}, holidays: [], workdays: [] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'calendar.timeZone', message: expect.stringContaining('不是有效的时区') }],
    });
    const list = (await admin.get('/api/v1/sla/calendars')).json() as {
      communityId: string | null;
      stored: boolean;
    }[];
    expect(list.find((c) => c.communityId === null)).toMatchObject({ stored: false });
    const calendar = (list.find((c) => c.communityId === null) as unknown as { calendar: object }).calendar;
    const ok = await admin.put(`/api/v1/sla/calendars/communities/${t.world.communityA.id}`, {
      calendar: { ...calendar, timeZone: 'Asia/Urumqi' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ stored: true, calendar: { timeZone: 'Asia/Urumqi' } });
  });

  it('R25: the on-time rate per community and per target', async () => {
    const res = await supervisor.get(
      `/api/v1/sla/compliance?from=2026-11-01T00:00:00.000Z&to=2027-01-01T00:00:00.000Z&groupBy=target`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().rows as { key: string; total: number; onTime: number; rate: number }[];
    const accept = rows.find((r) => r.key === 'accept')!;
    expect(accept.total).toBeGreaterThanOrEqual(2);
    expect(accept.onTime).toBeGreaterThanOrEqual(1);
    expect(accept.rate).toBeCloseTo(accept.onTime / accept.total);
    const byCommunity = (
      await supervisor.get(`/api/v1/sla/compliance?from=2026-11-01T00:00:00.000Z&to=2027-01-01T00:00:00.000Z`)
    ).json();
    expect(byCommunity.rows.map((r: { name: string }) => r.name)).toEqual(['阳光花园']);
    const board = (await supervisor.get('/api/v1/sla/board')).json();
    const dues = (board.items as { dueAt: string }[]).map((c) => c.dueAt);
    expect(dues).toEqual([...dues].sort());
    // the desk sees the clocks of its queue (its own communities), not the on-time rates
    expect((await agent.get('/api/v1/sla/board')).statusCode).toBe(200);
    expect((await agent.get('/api/v1/sla/compliance')).statusCode).toBe(403);
  });

  it('fires in the background within a second of the due time; the safety net restores a lost firing time', async () => {
    const ticket = await newTicket({ priority: 'urgent' });
    await act(agent, ticket.id, 'dispatch', { teamId, assigneeId: techId });
    const db = t.testDb.database.db;
    // a clock that somehow lost its next firing time is found again by the reconciliation
    await db
      .updateTable('sla_clocks')
      .set({ next_fire_at: null })
      .where('ticket_id', '=', ticket.id)
      .where('target', '=', 'first_contact')
      .execute();
    expect(await t.services.slaScheduler.reconcile()).toBe(1);
    const scheduler = t.services.slaScheduler;
    scheduler.start();
    try {
      t.clock.advance(5 * MIN);
      const deadline = Date.now() + 3_000;
      let breached: string | null = null;
      while (!breached && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        breached = (
          await db
            .selectFrom('sla_clocks')
            .select('breached_at')
            .where('ticket_id', '=', ticket.id)
            .where('target', '=', 'first_contact')
            .executeTakeFirstOrThrow()
        ).breached_at;
      }
      expect(breached).toBe(t.clock.now().toISOString());
    } finally {
      await scheduler.stop();
    }
  });
});
