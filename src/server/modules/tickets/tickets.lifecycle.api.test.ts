import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, PASSWORD, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { systemContext } from '../../platform/context.js';

describe.each(dialects())('the lifecycle of a request through the API (%s)', (dialect) => {
  let t: TestApp;
  let agent: Client;
  let tech: Client;
  let teamId: string;
  let techId: string;
  let tech2Id: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await t.as('agent-a');
    tech = await t.as('technician-a');
    const ctx = systemContext();
    const second = await t.services.staff.create(ctx, {
      username: 'technician-b',
      employeeNo: '3001',
      name: '李师傅',
      roles: ['technician'],
      communityIds: [t.world.communityA.id],
      password: PASSWORD,
    });
    await t.services.staffRepo.update(second.id, { must_change_password: 0 });
    techId = (await t.services.staffRepo.findByLogin('technician-a'))!.id;
    tech2Id = second.id;
    const team = await t.services.teams.create(ctx, {
      communityId: t.world.communityA.id,
      name: '维修组',
      kind: 'repair',
    });
    await t.services.teams.setMembers(ctx, team.id, { userIds: [techId, tech2Id] });
    teamId = team.id;
  });
  afterAll(async () => t?.close());

  const newTicket = async (type = 'repair') =>
    (
      await agent.post('/api/v1/tickets', {
        communityId: t.world.communityA.id,
        roomId: t.world.roomA.id,
        residentId: t.world.residentA.id,
        type,
        channel: 'phone',
        content: '厨房水管漏水',
      })
    ).json() as { id: string; version: number };

  const act = async (client: Client, id: string, action: string, body: object = {}) => {
    const current = (await agent.get(`/api/v1/tickets/${id}`)).json();
    return client.post(`/api/v1/tickets/${id}/${action}`, { version: current.version, ...body });
  };

  it('goes from 受理 to 关闭: dispatch, accept, arrive, start, complete, close — every step on the timeline', async () => {
    const ticket = await newTicket();
    expect((await agent.get(`/api/v1/tickets/${ticket.id}`)).json().allowedActions).toEqual(
      expect.arrayContaining(['dispatch', 'cancel']),
    );
    const dispatched = await act(agent, ticket.id, 'dispatch', { teamId, assigneeId: techId });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    // R14: the worker's name and 工号 are on the request for the resident to be told
    expect(dispatched.json()).toMatchObject({
      status: 'dispatched',
      teamName: '维修组',
      assignee: { name: '测试technician-a' },
    });
    // field staff read their own jobs, and nobody else's (R61)
    expect((await tech.get(`/api/v1/tickets/${ticket.id}`)).json().allowedActions).toEqual(
      expect.arrayContaining(['accept', 'decline']),
    );
    expect((await (await t.as('cleaning-a')).get(`/api/v1/tickets/${ticket.id}`)).statusCode).toBe(404);
    for (const action of ['accept', 'arrive', 'start']) {
      const res = await act(tech, ticket.id, action);
      expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
    }
    const done = await act(tech, ticket.id, 'complete', {
      report: { cause: '水管接头老化', work: '更换接头并试压', parts: '接头 x1', advice: '定期检查' },
    });
    expect(done.json()).toMatchObject({ status: 'done', completion: { cause: '水管接头老化' } });
    const closed = await act(agent, ticket.id, 'close', { note: '回访满意' });
    expect(closed.json().status).toBe('closed');
    expect(closed.json().events.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'dispatch',
      'accept',
      'arrive',
      'start',
      'complete',
      'close',
    ]);
    const audit = await t.testDb.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', ticket.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'ticket.created',
      'ticket.dispatch',
      'ticket.accept',
      'ticket.arrive',
      'ticket.start',
      'ticket.complete',
      'ticket.close',
    ]);
  });

  it('refuses a step the state machine does not allow with a clear 409', async () => {
    const ticket = await newTicket();
    const res = await act(agent, ticket.id, 'close');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      message: '工单当前「已受理」，不能「关闭」',
    });
  });

  it('R12: two edits with the same version — one wins, the other is told who changed it', async () => {
    const ticket = await newTicket();
    const body = { version: ticket.version, teamId, assigneeId: techId };
    const [a, b] = await Promise.all([
      agent.post(`/api/v1/tickets/${ticket.id}/dispatch`, body),
      (await t.as('supervisor-a')).post(`/api/v1/tickets/${ticket.id}/dispatch`, {
        ...body,
        assigneeId: tech2Id,
      }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().message).toMatch(/^工单已被测试(agent|supervisor)-a于 .* 「派单」，请刷新后重试$/);
    expect((await agent.get(`/api/v1/tickets/${ticket.id}`)).json().events).toHaveLength(2);
  });

  it('a grab from the team pool: of two technicians grabbing at once, exactly one wins', async () => {
    const ticket = await newTicket();
    expect((await act(agent, ticket.id, 'dispatch', { teamId })).json()).toMatchObject({
      status: 'dispatched',
      assignee: null,
    });
    const tech2 = await t.as('technician-b');
    const [a, b] = await Promise.all([
      tech.post(`/api/v1/tickets/${ticket.id}/grab`, {}),
      tech2.post(`/api/v1/tickets/${ticket.id}/grab`, {}),
    ]);
    const codes = [a.statusCode, b.statusCode].sort();
    expect(codes).toEqual([200, 409]);
    const winner = a.statusCode === 200 ? a : b;
    expect(winner.json().status).toBe('accepted');
    const final = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json();
    expect(final.events.filter((e: { type: string }) => e.type === 'grab')).toHaveLength(1);
    expect([techId, tech2Id]).toContain(final.assignee.id);
  });

  it('R13: a worker declines only with a reason, and the job goes back to dispatch', async () => {
    const ticket = await newTicket();
    await act(agent, ticket.id, 'dispatch', { teamId, assigneeId: techId });
    const blank = await act(tech, ticket.id, 'decline', { reason: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().details[0]).toMatchObject({ field: 'reason', message: '「原因」不能为空' });
    const declined = await act(tech, ticket.id, 'decline', { reason: '不在本人负责片区' });
    expect(declined.json()).toMatchObject({ status: 'received', assignee: null, teamId: null });
  });

  it('R7: on hold only with reason, next step and ETA; resumes where it was', async () => {
    const ticket = await newTicket();
    await act(agent, ticket.id, 'dispatch', { teamId, assigneeId: techId });
    await act(tech, ticket.id, 'accept');
    const held = await act(tech, ticket.id, 'pend', {
      reason: '等待配件',
      nextStep: '配件到货后上门更换',
      eta: '2026-12-02T06:00:00.000Z',
    });
    expect(held.json()).toMatchObject({
      status: 'pending',
      pending: { reason: '等待配件', nextStep: '配件到货后上门更换', eta: '2026-12-02T06:00:00.000Z' },
    });
    const past = await act(agent, ticket.id, 'resume');
    expect(past.json()).toMatchObject({ status: 'accepted', pending: null });
  });

  it('answers an inquiry and closes it at once; cancelling needs a reason (R13)', async () => {
    const inquiry = await newTicket('inquiry');
    expect(
      (await act(agent, inquiry.id, 'answer', { reply: '物业费可在服务中心或App缴纳' })).json().status,
    ).toBe('closed');
    const repair = await newTicket();
    expect((await act(agent, repair.id, 'answer', { reply: 'x' })).statusCode).toBe(409);
    const cancelled = await act(agent, repair.id, 'cancel', { reason: '住户重复报修' });
    expect(cancelled.json().status).toBe('cancelled');
  });

  it('dispatches only to a team of the community and a worker in that team', async () => {
    const ticket = await newTicket();
    const noTeam = await act(agent, ticket.id, 'dispatch', { teamId: 'nope' });
    expect(noTeam.json().details[0]).toMatchObject({ field: 'teamId', message: '「班组」指向的记录不存在' });
    const stranger = (await t.services.staffRepo.findByLogin('cleaning-a'))!.id;
    const notMember = await act(agent, ticket.id, 'dispatch', { teamId, assigneeId: stranger });
    expect(notMember.json().details[0]).toMatchObject({ field: 'assigneeId', message: '所选人员不在该班组' });
  });

  it('queues: mine, my team’s pool, waiting for dispatch, on hold — and field staff see only their jobs', async () => {
    const pooled = await newTicket();
    await act(agent, pooled.id, 'dispatch', { teamId });
    const mine = await newTicket();
    await act(agent, mine.id, 'dispatch', { teamId, assigneeId: techId });
    const waiting = await newTicket();
    const ids = async (client: Client, query: string) =>
      (await client.get(`/api/v1/tickets?limit=200${query}`))
        .json()
        .items.map((x: { id: string }) => x.id) as string[];
    expect(await ids(tech, '&view=mine')).toContain(mine.id);
    expect(await ids(tech, '&view=mine')).not.toContain(pooled.id);
    expect(await ids(tech, '&view=team')).toEqual(expect.arrayContaining([mine.id, pooled.id]));
    expect(await ids(agent, '&view=unassigned')).toContain(waiting.id);
    expect(await ids(agent, '&view=unassigned')).not.toContain(pooled.id);
    // a technician's unfiltered list holds only their own and their team's jobs
    const all = await ids(tech, '');
    expect(all).not.toContain(waiting.id);
    expect(all).toEqual(expect.arrayContaining([mine.id, pooled.id]));
    const cleaner = await t.as('cleaning-a');
    expect(await ids(cleaner, '')).toEqual([]);
  });

  it('keeps internal notes apart from replies the resident sees, both on the timeline, without a version', async () => {
    const ticket = await newTicket();
    const note = await agent.post(`/api/v1/tickets/${ticket.id}/notes`, {
      text: '住户情绪激动，注意沟通方式',
      visibility: 'internal',
    });
    expect(note.statusCode, note.body).toBe(200);
    const reply = await agent.post(`/api/v1/tickets/${ticket.id}/notes`, {
      text: '王先生，维修师傅今天下午到，请您留意电话',
      visibility: 'resident',
    });
    const events = reply.json().events.map((e: { type: string; note: string | null }) => [e.type, e.note]);
    expect(events).toEqual([
      ['created', null],
      ['note', '住户情绪激动，注意沟通方式'],
      ['reply', '王先生，维修师傅今天下午到，请您留意电话'],
    ]);
    expect(reply.json().version).toBe(ticket.version);
    const blank = await agent.post(`/api/v1/tickets/${ticket.id}/notes`, {
      text: ' ',
      visibility: 'internal',
    });
    expect(blank.json().details[0]).toEqual({ field: 'text', message: '「内容」不能为空' });
  });

  it('R15: a complaint is graded; a major one goes to the manager at once; other requests are not graded', async () => {
    const complaint = await newTicket('complaint');
    const graded = await agent.post(`/api/v1/tickets/${complaint.id}/grade`, {
      version: complaint.version,
      grade: 'major',
      note: '多次投诉未解决',
    });
    expect(graded.statusCode, graded.body).toBe(200);
    expect(graded.json()).toMatchObject({ complaintGrade: 'major', escalationLevel: 3 });
    expect(graded.json().events.at(-1)).toMatchObject({ type: 'grade', note: '多次投诉未解决' });
    const repair = await newTicket();
    const refused = await agent.post(`/api/v1/tickets/${repair.id}/grade`, {
      version: repair.version,
      grade: 'valid',
    });
    expect(refused.json().details[0]).toEqual({ field: 'grade', message: '只有投诉才能定级' });
    expect(
      (await tech.post(`/api/v1/tickets/${complaint.id}/grade`, { version: 2, grade: 'valid' })).statusCode,
    ).toBe(403);
  });

  it('R10: paid work closes only after its charge, at the reported amount, is settled', async () => {
    const created = await agent.post('/api/v1/tickets', {
      communityId: t.world.communityA.id,
      roomId: t.world.roomA.id,
      residentId: t.world.residentA.id,
      type: 'repair',
      channel: 'phone',
      content: '更换厨房水龙头（有偿）',
      paid: true,
    });
    const id = created.json().id as string;
    expect(created.json().paid).toBe(true);
    await act(agent, id, 'dispatch', { teamId, assigneeId: techId });
    for (const step of ['accept', 'arrive', 'start']) await act(tech, id, step);
    const noCharge = await act(tech, id, 'complete', { report: { cause: '龙头老化', work: '更换龙头' } });
    expect(noCharge.statusCode).toBe(400);
    expect(
      (
        await act(tech, id, 'complete', {
          report: { cause: '龙头老化', work: '更换龙头', parts: '龙头 x1', charge: 80 },
        })
      ).json().chargeAmount,
    ).toBe(80);
    const early = await act(agent, id, 'close');
    expect(early.statusCode).toBe(409);
    const wrong = await act(agent, id, 'settle', { amount: 60, method: 'wechat' });
    expect(wrong.json().details[0]).toEqual({
      field: 'amount',
      message: '收费金额须与完工报告中的 80 元一致',
    });
    const cashier = await t.as('cashier-a');
    const settled = await act(cashier, id, 'settle', { amount: 80, method: 'wechat', receiptNo: 'SF-0001' });
    expect(settled.statusCode, settled.body).toBe(200);
    expect(settled.json().chargeSettledAt).toBeTruthy();
    expect((await act(agent, id, 'close', { note: '已收费，住户确认' })).json().status).toBe('closed');
    const free = await newTicket();
    expect((await act(agent, free.id, 'settle', { amount: 1, method: 'cash' })).json().details[0].field).toBe(
      'amount',
    );
  });
});
