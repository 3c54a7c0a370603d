import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Client, createTestApp, PASSWORD, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { sampleBucket } from '../../../domain/return-visits.js';
import { systemContext } from '../../platform/context.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Monday 2026-11-30 10:00 in Shanghai. */
const MONDAY_1000 = '2026-11-30T02:00:00.000Z';

interface Visit {
  id: string;
  ticketId: string;
  status: string;
  version: number;
  dueAt: string;
  completedAt: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastOutcome: string | null;
  closeReason: string | null;
  resolved: boolean | null;
  assignee: { id: string; employeeNo: string } | null;
  phone: string | null;
  worker: { name: string; employeeNo: string } | null;
  rating: { overall: number; speed: number; attitude: number; quality: number; source: string } | null;
  ticketStatus: string;
  attemptLog?: { outcome: string }[];
}

describe.each(dialects())('return visits, R33 R34 R24 (%s)', (dialect) => {
  let t: TestApp;
  let agent: Client;
  let agent2: Client;
  let tech: Client;
  let manager: Client;
  let supervisor: Client;
  let teamId: string;
  let techId: string;
  let agentId: string;
  let agent2Id: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    const ctx = systemContext();
    techId = (await t.services.staffRepo.findByLogin('technician-a'))!.id;
    agentId = (await t.services.staffRepo.findByLogin('agent-a'))!.id;
    const second = await t.services.staff.create(ctx, {
      username: 'agent-a2',
      employeeNo: '2002',
      name: '客服小李',
      roles: ['agent'],
      communityIds: [t.world.communityA.id],
      password: PASSWORD,
    });
    await t.services.staffRepo.update(second.id, { must_change_password: 0 });
    agent2Id = second.id;
    const team = await t.services.teams.create(ctx, {
      communityId: t.world.communityA.id,
      name: '维修组',
      kind: 'repair',
      userIds: [techId],
    });
    teamId = team.id;
    agent = await t.as('agent-a');
    agent2 = await t.as('agent-a2');
    tech = await t.as('technician-a');
    manager = await t.as('manager-a');
    supervisor = await t.as('supervisor-a');
  });
  afterAll(async () => t?.close());
  beforeEach(() => t.clock.set(MONDAY_1000));

  const db = () => t.testDb.database.db;
  const act = async (client: Client, id: string, action: string, body: object = {}) => {
    const current = (await agent.get(`/api/v1/tickets/${id}`)).json();
    const res = await client.post(`/api/v1/tickets/${id}/${action}`, { version: current.version, ...body });
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
    return res.json();
  };
  /** A request taken, dispatched, worked and completed; returns it as it stands after completion. */
  const finish = async (over: Record<string, unknown> = {}) => {
    const created = await agent.post('/api/v1/tickets', {
      communityId: t.world.communityA.id,
      roomId: t.world.roomA.id,
      residentId: t.world.residentA.id,
      type: 'repair',
      channel: 'phone',
      content: '卫生间水管漏水',
      ...over,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    await act(agent, id, 'dispatch', { teamId, assigneeId: techId });
    await act(tech, id, 'accept');
    await act(tech, id, 'arrive');
    t.clock.advance(HOUR);
    return act(tech, id, 'complete', { report: { cause: '接头老化', work: '更换水管接头' } });
  };
  const visitOf = async (ticketId: string) => {
    const res = await agent.get(`/api/v1/tickets/${ticketId}/satisfaction`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as {
      visits: Visit[];
      ratings: unknown[];
      links: { status: string }[];
      followups: {
        id: string;
        reason: string[];
        assignee: { id: string } | null;
        version: number;
        status: string;
      }[];
    };
  };
  const clock = (ticketId: string) =>
    db()
      .selectFrom('sla_clocks')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .where('target', '=', 'return_visit')
      .orderBy('id', 'desc')
      .executeTakeFirst();
  const attempt = async (client: Client, v: Visit, outcome: string) => {
    const res = await client.post(`/api/v1/return-visits/${v.id}/attempts`, { version: v.version, outcome });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Visit;
  };
  const reached = async (ticketId: string) => {
    const [v] = (await visitOf(ticketId)).visits;
    return attempt(agent, v!, 'reached');
  };
  const setPolicy = async (kind: string, mode: string, samplePercent: number) => {
    const res = await manager.put('/api/v1/return-visit-policies', {
      policies: [{ kind, mode, samplePercent }],
    });
    expect(res.statusCode, res.body).toBe(200);
  };

  it('R33 R24: a completed in-home repair gets a return visit due exactly 3 days later, with its clock', async () => {
    const done = await finish();
    const completedAt = t.clock.now().toISOString();
    const { visits } = await visitOf(done.id);
    expect(visits).toHaveLength(1);
    const v = visits[0]!;
    expect(v).toMatchObject({
      status: 'open',
      kind: 'repair_indoor',
      mode: 'always',
      completedAt,
      dueAt: new Date(Date.parse(completedAt) + 3 * DAY).toISOString(),
      worker: { name: '测试technician-a', employeeNo: expect.any(String) },
      phone: '138****8000',
    });
    const c = await clock(done.id);
    expect(c).toMatchObject({ status: 'running', due_at: v.dueAt });
    // on the desk's queue
    const queue = await agent.get('/api/v1/return-visits?view=due');
    expect(queue.json().items.map((i: Visit) => i.id)).toContain(v.id);
  });

  it('R33: visits go to the community’s agents in turn (round-robin)', async () => {
    const a = (await visitOf((await finish()).id)).visits[0]!;
    const b = (await visitOf((await finish()).id)).visits[0]!;
    const c = (await visitOf((await finish()).id)).visits[0]!;
    const who = [a, b, c].map((v) => v.assignee?.id);
    expect(new Set([who[0], who[1]])).toEqual(new Set([agentId, agent2Id]));
    expect(who[2]).toBe(who[0]);
    const mine = (await agent2.get('/api/v1/return-visits?view=mine')).json().items as Visit[];
    expect(mine.every((v) => v.assignee?.id === agent2Id)).toBe(true);
    expect(mine.length).toBeGreaterThan(0);
  });

  it('R33: sampling is by a hash of the request id — deterministic; a job sampled out cancels its clock', async () => {
    await setPolicy('repair_public', 'skip_if_rated', 50);
    const seen: { bucket: number; visited: boolean }[] = [];
    for (let i = 0; i < 6; i++) {
      const done = await finish({
        roomId: undefined,
        residentId: undefined,
        publicAreaId: t.world.publicAreaA.id,
        callerName: '王先生',
        callerPhone: '13700137000',
      });
      const sat = await visitOf(done.id);
      const bucket = sampleBucket(done.id);
      seen.push({ bucket, visited: sat.visits.length === 1 });
      expect(sat.visits.length === 1, `bucket ${bucket}`).toBe(bucket < 50);
      const c = await clock(done.id);
      if (bucket < 50) expect(c!.status).toBe('running');
      else {
        // owed no visit: the clock is cancelled by a step on the timeline, not left to breach
        expect(c!.status).toBe('cancelled');
        const detail = (await agent.get(`/api/v1/tickets/${done.id}`)).json();
        expect(detail.events.map((e: { type: string }) => e.type)).toContain('return_visit_skipped');
      }
    }
    await setPolicy('repair_public', 'none', 100);
    const none = await finish({
      roomId: undefined,
      residentId: undefined,
      publicAreaId: t.world.publicAreaA.id,
      callerName: '王先生',
      callerPhone: '13700137000',
    });
    expect((await visitOf(none.id)).visits).toEqual([]);
    expect((await clock(none.id))!.status).toBe('cancelled');
    await setPolicy('repair_public', 'skip_if_rated', 30);
  });

  it('R33: unreachable residents are tried again on a schedule, and closed as unreachable after 3 attempts', async () => {
    const done = await finish();
    let v = (await visitOf(done.id)).visits[0]!;
    const first = t.clock.now();
    v = await attempt(agent, v, 'no_answer');
    expect(v).toMatchObject({ status: 'open', attempts: 1, lastOutcome: 'no_answer' });
    expect(v.nextAttemptAt).toBe(new Date(first.getTime() + 2 * HOUR).toISOString());
    // waiting for its retry: not in the callable-now queue
    expect(
      (await agent.get('/api/v1/return-visits?view=due&limit=200')).json().items.map((i: Visit) => i.id),
    ).not.toContain(v.id);
    t.clock.advance(2 * HOUR);
    v = await attempt(agent, v, 'busy');
    // the next day at 10:00 in Shanghai (02:00 UTC)
    expect(v).toMatchObject({ status: 'open', attempts: 2, nextAttemptAt: '2026-12-01T02:00:00.000Z' });
    t.clock.set('2026-12-01T02:00:00.000Z');
    // a night later: a new session (the old one has idled out)
    const morning = await t.as('agent-a');
    v = await attempt(morning, v, 'no_answer');
    expect(v).toMatchObject({
      status: 'closed',
      closeReason: 'unreachable',
      attempts: 3,
      nextAttemptAt: null,
    });
    expect(v.attemptLog!.map((a) => a.outcome)).toEqual(['no_answer', 'busy', 'no_answer']);
    // the visit is done: its clock is met, on the timeline
    expect((await clock(done.id))!.status).toBe('met');
    const detail = (await morning.get(`/api/v1/tickets/${done.id}`)).json();
    expect(detail.events.map((e: { type: string }) => e.type)).toContain('return_visit');
    // nothing more can be logged on it, in the caller's language
    const again = await morning.request({
      method: 'POST',
      url: `/api/v1/return-visits/${v.id}/attempts`,
      payload: { version: v.version, outcome: 'reached' },
      headers: { 'accept-language': 'en' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('This return visit is “closed”: nothing more can be done on it');
  });

  it('R34: a result needs the resident reached first; a stale version is a 409; bad scores a translated 400', async () => {
    const done = await finish();
    const v = (await visitOf(done.id)).visits[0]!;
    const early = await agent.post(`/api/v1/return-visits/${v.id}/result`, {
      version: v.version,
      resolved: true,
      overall: 5,
      speed: 5,
      attitude: 5,
      quality: 5,
    });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({
      code: 'VISIT_NOT_REACHED',
      message: '请先记录「已接通」，再填写回访结果',
    });
    const on = await attempt(agent, v, 'reached');
    expect(on.status).toBe('reached');
    const stale = await agent.post(`/api/v1/return-visits/${v.id}/result`, {
      version: v.version,
      resolved: true,
      overall: 5,
      speed: 5,
      attitude: 5,
      quality: 5,
    });
    expect(stale.statusCode).toBe(409);
    const bad = await agent.post(`/api/v1/return-visits/${v.id}/result`, {
      version: on.version,
      resolved: true,
      overall: 6,
      speed: 0,
      attitude: 5,
      quality: 5,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.map((d: { field: string }) => d.field)).toContain('overall');
    const ok = await agent.post(`/api/v1/return-visits/${v.id}/result`, {
      version: on.version,
      resolved: true,
      overall: 5,
      speed: 4,
      attitude: 5,
      quality: 5,
      comment: '师傅很专业',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'done',
      resolved: true,
      rating: { overall: 5, speed: 4, source: 'visit' },
    });
    // R24: the visit kept its promise; a satisfied resident opens no follow-up
    expect((await clock(done.id))!.status).toBe('met');
    expect((await visitOf(done.id)).followups).toEqual([]);
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', v.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'return_visit.create',
      'return_visit.attempt',
      'return_visit.result',
    ]);
  });

  it('R34: a score of 2 or less opens a complaint follow-up for the 客服主管, who is alerted', async () => {
    const done = await finish();
    const on = await reached(done.id);
    const res = await agent.post(`/api/v1/return-visits/${on.id}/result`, {
      version: on.version,
      resolved: true,
      overall: 3,
      speed: 4,
      attitude: 2,
      quality: 4,
      comment: '师傅态度不好',
    });
    expect(res.statusCode, res.body).toBe(200);
    const supervisorId = (await t.services.staffRepo.findByLogin('supervisor-a'))!.id;
    const { followups } = await visitOf(done.id);
    expect(followups).toHaveLength(1);
    expect(followups[0]).toMatchObject({
      reason: ['attitude'],
      status: 'open',
      assignee: { id: supervisorId },
    });
    const alerts = (await supervisor.get('/api/v1/me/alerts?limit=100')).json().items as {
      event: string;
      ticketId: string;
      text: string;
    }[];
    const alert = alerts.find((a) => a.event === 'visit_followup' && a.ticketId === done.id);
    expect(alert?.text).toContain('态度2');
    expect(alert?.text).toContain('师傅态度不好');
    // the supervisor closes it with what was done
    const list = (await supervisor.get('/api/v1/visit-followups?view=mine')).json().items as { id: string }[];
    expect(list.map((f) => f.id)).toContain(followups[0]!.id);
    expect(
      (await agent.post(`/api/v1/visit-followups/${followups[0]!.id}/close`, { version: 1, outcome: 'x' }))
        .statusCode,
    ).toBe(403);
    const closed = await supervisor.post(`/api/v1/visit-followups/${followups[0]!.id}/close`, {
      version: 1,
      outcome: '已致电道歉，并对师傅进行服务规范培训',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', closedBy: { id: supervisorId } });
  });

  it('R33 R13: "not resolved" reopens the request through its reopen action — counted, versioned, on the timeline', async () => {
    const done = await finish();
    const before = (await agent.get(`/api/v1/tickets/${done.id}`)).json();
    const on = await reached(done.id);
    const res = await agent.post(`/api/v1/return-visits/${on.id}/result`, {
      version: on.version,
      resolved: false,
      overall: 2,
      speed: 3,
      attitude: 4,
      quality: 1,
      comment: '还在漏水',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'done', resolved: false, ticketStatus: 'received' });
    const after = (await agent.get(`/api/v1/tickets/${done.id}`)).json();
    expect(after).toMatchObject({ status: 'received', reopenCount: 1 });
    expect(after.version).toBeGreaterThan(before.version);
    const types = after.events.map((e: { type: string }) => e.type);
    expect(types.slice(-2)).toEqual(['return_visit', 'reopen']);
    expect(after.events.at(-1).note).toBe('回访未解决：还在漏水');
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', done.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action).slice(-2)).toEqual(['ticket.return_visit', 'ticket.reopen']);
    // the resident is told it was taken up again (R14)
    const told = await db()
      .selectFrom('notifications')
      .select('event')
      .where('ticket_id', '=', done.id)
      .where('user_id', 'is', null)
      .execute();
    expect(told.map((n) => n.event)).toContain('reopen');
    // and the poor scores open a follow-up
    expect((await visitOf(done.id)).followups[0]!.reason).toEqual(['overall', 'quality']);
    // finished again: a new visit is owed
    await act(agent, done.id, 'dispatch', { teamId, assigneeId: techId });
    await act(tech, done.id, 'accept');
    await act(tech, done.id, 'arrive');
    await act(tech, done.id, 'complete', { report: { cause: '阀门损坏', work: '更换阀门' } });
    const visits = (await visitOf(done.id)).visits;
    expect(visits.map((v) => v.status)).toEqual(['done', 'open']);
  });

  it('R24: closing a finished job is not its return visit — the clock runs until the visit', async () => {
    const done = await finish();
    await act(agent, done.id, 'close', { note: '已完工' });
    expect((await clock(done.id))!.status).toBe('running');
    const on = await reached(done.id);
    const res = await agent.post(`/api/v1/return-visits/${on.id}/result`, {
      version: on.version,
      resolved: true,
      overall: 5,
      speed: 5,
      attitude: 5,
      quality: 5,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await clock(done.id))!.status).toBe('met');
  });

  it('R33: a request reopened by someone else closes its open visit', async () => {
    const done = await finish();
    await act(agent, done.id, 'reopen', { reason: '住户来电说还在漏' });
    const [v] = (await visitOf(done.id)).visits;
    expect(v).toMatchObject({ status: 'closed', closeReason: 'reopened' });
  });

  it('return-visit policies: supervisors read, managers write (audited); bad input changes nothing', async () => {
    expect((await supervisor.get('/api/v1/return-visit-policies')).statusCode).toBe(200);
    expect((await agent.get('/api/v1/return-visit-policies')).statusCode).toBe(403);
    expect(
      (
        await supervisor.put('/api/v1/return-visit-policies', {
          policies: [{ kind: 'praise', mode: 'none', samplePercent: 0 }],
        })
      ).statusCode,
    ).toBe(403);
    const items = (await manager.get('/api/v1/return-visit-policies')).json().items as {
      kind: string;
      mode: string;
      samplePercent: number;
    }[];
    expect(items.find((p) => p.kind === 'complaint')).toMatchObject({ mode: 'always', samplePercent: 100 });
    expect(items.find((p) => p.kind === 'repair_indoor')).toMatchObject({
      mode: 'always',
      samplePercent: 100,
    });
    expect(items.find((p) => p.kind === 'inquiry')).toMatchObject({
      mode: 'skip_if_rated',
      samplePercent: 30,
    });
    for (const policies of [
      [{ kind: 'praise', mode: 'sometimes', samplePercent: 10 }],
      [{ kind: 'praise', mode: 'none', samplePercent: 101 }],
      [{ kind: 'nothing', mode: 'none', samplePercent: 1 }],
      [],
    ]) {
      const res = await manager.put('/api/v1/return-visit-policies', { policies });
      expect(res.statusCode, JSON.stringify(policies)).toBe(400);
    }
    const res = await manager.put('/api/v1/return-visit-policies', {
      policies: [{ kind: 'praise', mode: 'none', samplePercent: 0 }],
    });
    expect(res.json().items.find((p: { kind: string }) => p.kind === 'praise')).toMatchObject({
      mode: 'none',
      samplePercent: 0,
    });
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'changes'])
      .where('entity_id', '=', 'praise')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.action).toBe('return_visit_policy.update');
  });

  it('R61: visits are scoped by community', async () => {
    const ctx = systemContext();
    const other = await t.services.staff.create(ctx, {
      username: 'agent-b',
      employeeNo: '2099',
      name: '乙小区客服',
      roles: ['agent'],
      communityIds: [t.world.communityB.id],
      password: PASSWORD,
    });
    await t.services.staffRepo.update(other.id, { must_change_password: 0 });
    const agentB = await t.as('agent-b');
    const done = await finish();
    const v = (await visitOf(done.id)).visits[0]!;
    expect((await agentB.get(`/api/v1/return-visits/${v.id}`)).statusCode).toBe(404);
    expect(((await agentB.get('/api/v1/return-visits?status=any')).json().items as Visit[]).length).toBe(0);
  });
});
