import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { systemContext } from '../../platform/context.js';
import { emergencyBlocker } from './tickets.emergency.js';

const MINUTE = 60_000;
/** A time as the server's messages show it. */
const utc = (d: Date | string | number) => `${new Date(d).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

describe.each(dialects())('R16: the lift entrapment playbook through the API (%s)', (dialect) => {
  let t: TestApp;
  let agent: Client;
  let guard: Client;
  let securityTeamId: string;
  let guardId: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await t.as('agent-a');
    guard = await t.as('security-a');
    guardId = (await t.services.staffRepo.findByLogin('security-a'))!.id;
    const team = await t.services.teams.create(systemContext(), {
      communityId: t.world.communityA.id,
      name: '秩序维护组',
      kind: 'security',
    });
    await t.services.teams.setMembers(systemContext(), team.id, { userIds: [guardId] });
    securityTeamId = team.id;
  });
  afterAll(async () => t?.close());

  const entrapment = (emergency: object = {}, extra: object = {}) => ({
    communityId: t.world.communityA.id,
    publicAreaId: t.world.publicAreaA.id,
    callerName: '王先生',
    callerPhone: '13800138000',
    type: 'emergency',
    channel: 'phone',
    content: '3栋2单元1号梯困人，轿厢停在12楼',
    emergency: { kind: 'lift_entrapment', lift: '3栋2单元1号梯', floor: '12', people: 2, ...emergency },
    ...extra,
  });

  const receive = async () => {
    const res = await agent.post('/api/v1/tickets', entrapment());
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; version: number };
  };

  /** Logs a step with the version the desk sees now. */
  const log = async (client: Client, id: string, body: object) => {
    const { version } = (await agent.get(`/api/v1/tickets/${id}`)).json();
    return client.post(`/api/v1/tickets/${id}/emergency-log`, { version, ...body });
  };
  const report = async (client: Client, id: string, body: object = {}) => {
    const { version } = (await agent.get(`/api/v1/tickets/${id}`)).json();
    return client.post(`/api/v1/tickets/${id}/incident-report`, {
      version,
      cause: '厅门门锁回路接触不良',
      actions: '安抚被困人员，维保单位到场盘车放人，电梯停用检修',
      injuries: '无人受伤',
      followUp: '更换门锁开关，次日复查',
      ...body,
    });
  };

  /** What a refused step must leave untouched: the row, the timeline and the audit trail. */
  const footprint = async (id: string) => {
    const db = t.testDb.database.db;
    const row = await db
      .selectFrom('tickets')
      .select(['version', 'emergency', 'updated_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const events = await db.selectFrom('ticket_events').select('id').where('ticket_id', '=', id).execute();
    const audit = await db.selectFrom('audit_log').select('id').where('entity_id', '=', id).execute();
    return { row, events: events.length, audit: audit.length };
  };

  it('R16: a lift entrapment is received with the lift, floor and number of people, urgent, the contractor call prompted at once', async () => {
    const res = await agent.post(
      '/api/v1/tickets',
      entrapment({ notes: '被困者为一名老人和一名儿童' }, { priority: 'low' }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const ticket = res.json();
    expect(ticket).toMatchObject({
      type: 'emergency',
      priority: 'urgent',
      emergency: {
        kind: 'lift_entrapment',
        lift: '3栋2单元1号梯',
        floor: '12',
        people: 2,
        notes: '被困者为一名老人和一名儿童',
        reportedAt: ticket.createdAt,
        log: [],
        nextStep: 'contractor_called',
        reassuranceOverdue: false,
        releasedAt: null,
        report: null,
      },
    });
    expect(ticket.emergency.checklist[0]).toEqual({
      step: 'recorded',
      done: true,
      at: ticket.createdAt,
      count: 1,
    });
    // other requests carry no playbook
    const other = await agent.post('/api/v1/tickets', {
      ...entrapment(),
      type: 'repair',
      emergency: undefined,
    });
    expect(other.json()).toMatchObject({ emergency: null, priority: 'normal' });
  });

  it('R16: a lift entrapment without the number of people is refused in zh-CN, and nothing is written', async () => {
    const count = async () =>
      Number(
        (
          await t.testDb.database.db
            .selectFrom('tickets')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const body = entrapment();
    const { people: _people, ...noPeople } = body.emergency as Record<string, unknown>;
    const missing = await agent.post('/api/v1/tickets', { ...body, emergency: noPeople });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'emergency.people', message: '请填写「被困人数」' }],
    });
    const none = await agent.post('/api/v1/tickets', entrapment({ lift: ' ', floor: undefined, people: 0 }));
    expect(none.json().details).toEqual([
      { field: 'emergency.lift', message: '请填写「电梯」' },
      { field: 'emergency.floor', message: '请填写「被困楼层」' },
      { field: 'emergency.people', message: '「被困人数」不能小于 1' },
    ]);
    const notEmergency = await agent.post('/api/v1/tickets', entrapment({}, { type: 'repair' }));
    expect(notEmergency.json().details).toEqual([
      { field: 'emergency', message: '只有「紧急事件」类工单才能填写「紧急事件信息」' },
    ]);
    const unknownKind = await agent.post('/api/v1/tickets', entrapment({ kind: 'fire' }));
    expect(unknownKind.statusCode).toBe(400);
    expect(await count()).toBe(before);
  });

  it('R16: the playbook end to end — contractor called, staff sent, reassured until freed, rescuers, release, lift check, report — on the timeline and the audit trail', async () => {
    const ticket = await receive();
    const start = t.clock.now().getTime();

    t.clock.advance(MINUTE);
    const called = await log(agent, ticket.id, {
      entry: 'contractor_called',
      contractor: { name: '迅达电梯维保站', phone: '400 820 1234' },
      note: '维保承诺 30 分钟内到场',
    });
    expect(called.statusCode, called.body).toBe(200);
    expect(called.json().emergency).toMatchObject({
      log: [
        {
          entry: 'contractor_called',
          at: new Date(start + MINUTE).toISOString(),
          contractor: { name: '迅达电梯维保站', phone: '4008201234' },
          by: { name: '测试agent-a', employeeNo: '100' },
        },
      ],
      nextStep: 'onsite_notified',
    });
    expect(
      (await log(agent, ticket.id, { entry: 'onsite_notified', note: '已通知秩序维护组到场' })).statusCode,
    ).toBe(200);

    // nobody has spoken to the trapped people for longer than the interval: the desk is prompted
    t.clock.advance(5 * MINUTE);
    const overdue = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json().emergency;
    expect(overdue).toMatchObject({
      reassuranceOverdue: true,
      reassuranceDueAt: new Date(start + 5 * MINUTE).toISOString(),
      nextStep: 'reassurance_call',
    });
    const calm = await log(agent, ticket.id, {
      entry: 'reassurance_call',
      note: '通过五方对讲安抚，被困人员情绪稳定',
    });
    expect(calm.json().emergency).toMatchObject({ reassuranceOverdue: false, nextStep: 'rescuers_arrived' });

    // the guard sent to the lift logs from their phone, on their own job
    const { version } = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json();
    const dispatched = await agent.post(`/api/v1/tickets/${ticket.id}/dispatch`, {
      version,
      teamId: securityTeamId,
      assigneeId: guardId,
    });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    t.clock.advance(4 * MINUTE);
    expect((await log(guard, ticket.id, { entry: 'reassurance_call' })).statusCode).toBe(200);
    t.clock.advance(10 * MINUTE);
    expect((await log(guard, ticket.id, { entry: 'rescuers_arrived' })).statusCode).toBe(200);
    t.clock.advance(6 * MINUTE);
    const released = await log(guard, ticket.id, {
      entry: 'released',
      injuries: false,
      note: '2人均安全救出',
    });
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json().emergency).toMatchObject({
      releasedAt: new Date(start + 26 * MINUTE).toISOString(),
      injuries: false,
      reassuranceOverdue: false,
      reassuranceDueAt: null,
      nextStep: 'lift_checked',
    });
    expect(
      (await log(agent, ticket.id, { entry: 'lift_checked', note: '电梯停用，待维保检修' })).statusCode,
    ).toBe(200);
    t.clock.advance(30 * MINUTE);
    const filed = await report(agent, ticket.id);
    expect(filed.statusCode, filed.body).toBe(200);
    const detail = filed.json();
    expect(detail.emergency).toMatchObject({
      nextStep: null,
      report: {
        cause: '厅门门锁回路接触不良',
        durationMinutes: 26,
        injuries: '无人受伤',
        followUp: '更换门锁开关，次日复查',
        by: { name: '测试agent-a' },
      },
    });
    expect(detail.emergency.checklist.every((c: { done: boolean }) => c.done)).toBe(true);
    expect(
      detail.emergency.checklist.find((c: { step: string }) => c.step === 'reassurance_call').count,
    ).toBe(2);
    expect(detail.events.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'emergency_contractor_called',
      'emergency_onsite_notified',
      'emergency_reassurance_call',
      'dispatch',
      'emergency_reassurance_call',
      'emergency_rescuers_arrived',
      'emergency_released',
      'emergency_lift_checked',
      'incident_report',
    ]);
    expect(detail.events[1]).toMatchObject({
      note: '维保承诺 30 分钟内到场',
      actor: { name: '测试agent-a' },
    });
    expect(detail.events[6].actor.name).toBe('测试security-a');
    const audit = await t.testDb.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', ticket.id)
      .orderBy('id')
      .execute();
    const playbook = /^ticket\.(created|emergency_.*|incident_report)$/;
    expect(audit.map((a) => a.action).filter((a) => playbook.test(a))).toEqual([
      'ticket.created',
      'ticket.emergency_contractor_called',
      'ticket.emergency_onsite_notified',
      'ticket.emergency_reassurance_call',
      'ticket.emergency_reassurance_call',
      'ticket.emergency_rescuers_arrived',
      'ticket.emergency_released',
      'ticket.emergency_lift_checked',
      'ticket.incident_report',
    ]);
  });

  it('R16: a step logged late keeps the time it happened, never a time in the future or before the request', async () => {
    const ticket = await receive();
    const received = t.clock.now().getTime();
    const at = (minutes: number) => new Date(received + minutes * MINUTE).toISOString();
    t.clock.advance(10 * MINUTE);
    const late = await log(agent, ticket.id, {
      entry: 'contractor_called',
      at: new Date(received + 2 * MINUTE).toISOString(),
    });
    expect(late.json().emergency.log[0]).toMatchObject({
      at: new Date(received + 2 * MINUTE).toISOString(),
      loggedAt: new Date(received + 10 * MINUTE).toISOString(),
    });
    const before = await footprint(ticket.id);
    const future = await log(agent, ticket.id, {
      entry: 'reassurance_call',
      at: new Date(received + 11 * MINUTE).toISOString(),
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().details).toEqual([{ field: 'at', message: '「发生时间」不能晚于现在' }]);
    const early = await log(agent, ticket.id, { entry: 'reassurance_call', at: at(-1) });
    expect(early.json().details).toEqual([
      { field: 'at', message: `「发生时间」不能早于工单受理时间 ${utc(received)}` },
    ]);
    // the rescuers come after the contractor is called
    const beforeCall = await log(agent, ticket.id, { entry: 'rescuers_arrived', at: at(1) });
    expect(beforeCall.json().details).toEqual([
      { field: 'at', message: `「发生时间」不能早于「通知电梯维保单位」的时间 ${utc(at(2))}` },
    ]);
    expect(await footprint(ticket.id)).toEqual(before);
  });

  it('R16: steps out of order are refused with a clear 409 or 400, and change nothing', async () => {
    const ticket = await receive();
    const untouched = await footprint(ticket.id);
    const cases: [object, number, string, string?][] = [
      [{ entry: 'released', injuries: false }, 409, '请先记录「通知电梯维保单位」', 'EMERGENCY_OUT_OF_ORDER'],
      [{ entry: 'rescuers_arrived' }, 409, '请先记录「通知电梯维保单位」'],
      [{ entry: 'lift_checked' }, 409, '请先记录「被困人员解救」'],
      [{ entry: 'reassurance_call', contractor: { name: '迅达' } }, 400, '提交的内容有误，请检查后重试'],
      [{ entry: 'reassurance_call', injuries: true }, 400, '提交的内容有误，请检查后重试'],
    ];
    for (const [body, status, message, code] of cases) {
      const res = await log(agent, ticket.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().message).toBe(message);
      if (code) expect(res.json().code).toBe(code);
    }
    const early = await report(agent, ticket.id);
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toBe('请先记录「被困人员解救」');
    expect(await footprint(ticket.id)).toEqual(untouched);

    await log(agent, ticket.id, { entry: 'contractor_called' });
    await log(agent, ticket.id, { entry: 'rescuers_arrived' });
    const noInjuries = await log(agent, ticket.id, { entry: 'released' });
    expect(noInjuries.json().details).toEqual([{ field: 'injuries', message: '请填写「受伤情况」' }]);
    const twiceCalled = await log(agent, ticket.id, { entry: 'contractor_called' });
    expect(twiceCalled.statusCode).toBe(409);
    expect(twiceCalled.json().message).toBe(
      `「通知电梯维保单位」已于 ${utc(t.clock.now())} 记录，不能重复记录`,
    );
    expect((await log(agent, ticket.id, { entry: 'released', injuries: true })).statusCode).toBe(200);
    const freed = await footprint(ticket.id);
    const again = await log(agent, ticket.id, { entry: 'released', injuries: false });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe(`被困人员已于 ${utc(t.clock.now())} 解救，不能再记录「被困人员解救」`);
    const lateCall = await log(agent, ticket.id, { entry: 'reassurance_call' });
    expect(lateCall.json().message).toBe(
      `被困人员已于 ${utc(t.clock.now())} 解救，不能再记录「安抚被困人员」`,
    );
    expect((await report(agent, ticket.id)).statusCode).toBe(200);
    const second = await report(agent, ticket.id);
    expect(second.statusCode).toBe(409);
    expect(second.json().message).toBe(`「事件报告」已于 ${utc(t.clock.now())} 记录，不能重复记录`);
    const reported = await footprint(ticket.id);
    expect(reported.row.version).toBe(freed.row.version + 1);
    expect(await footprint(ticket.id)).toEqual(reported);
  });

  it('R16: nothing is logged on a cancelled request, nor on one without a playbook', async () => {
    const ticket = await receive();
    const { version } = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json();
    expect(
      (await agent.post(`/api/v1/tickets/${ticket.id}/cancel`, { version, reason: '误报，电梯运行正常' }))
        .statusCode,
    ).toBe(200);
    const before = await footprint(ticket.id);
    const res = await log(agent, ticket.id, { entry: 'reassurance_call' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      message: '工单当前「已作废」，不能「安抚被困人员」',
    });
    expect(await footprint(ticket.id)).toEqual(before);

    const repair = (
      await agent.post('/api/v1/tickets', { ...entrapment(), type: 'repair', emergency: undefined })
    ).json();
    const none = await log(agent, repair.id, { entry: 'contractor_called' });
    expect(none.statusCode).toBe(409);
    expect(none.json().code).toBe('EMERGENCY_NO_PLAYBOOK');
  });

  it('R12: a step sent with a stale version is a 409 that says who changed the request, and changes nothing', async () => {
    const ticket = await receive();
    await log(agent, ticket.id, { entry: 'contractor_called' });
    const before = await footprint(ticket.id);
    const stale = await agent.post(`/api/v1/tickets/${ticket.id}/emergency-log`, {
      version: ticket.version,
      entry: 'reassurance_call',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'CONFLICT' });
    expect(stale.json().message).toMatch(/^工单已被测试agent-a于 .* 「通知电梯维保单位」，请刷新后重试$/);
    expect(await footprint(ticket.id)).toEqual(before);
  });

  it("R16: only the desk and the guard or technician on the job log; another community's request is a 404", async () => {
    const ticket = await receive();
    expect((await log(await t.as('cleaning-a'), ticket.id, { entry: 'reassurance_call' })).statusCode).toBe(
      403,
    );
    // a technician with no part in this job does not see it
    expect((await log(await t.as('technician-a'), ticket.id, { entry: 'reassurance_call' })).statusCode).toBe(
      404,
    );
    const ofB = await agent.post(`/api/v1/tickets/${t.world.ticketB.id}/emergency-log`, {
      version: 1,
      entry: 'reassurance_call',
    });
    expect(ofB.statusCode).toBe(404);
    expect(ofB.json()).toMatchObject({ code: 'NOT_FOUND', message: '记录不存在' });
    const reportOfB = await agent.post(`/api/v1/tickets/${t.world.ticketB.id}/incident-report`, {
      version: 1,
      cause: 'x',
      actions: 'x',
      injuries: '无',
      followUp: 'x',
    });
    expect(reportOfB.statusCode).toBe(404);
  });

  it('R16: the completion blocker holds an emergency until the people are freed and the report is filed', async () => {
    const ticket = await receive();
    const row = () =>
      t.testDb.database.db
        .selectFrom('tickets')
        .selectAll()
        .where('id', '=', ticket.id)
        .executeTakeFirstOrThrow();
    expect(emergencyBlocker(await row())).toBe('error.EMERGENCY_NOT_RELEASED');
    await log(agent, ticket.id, { entry: 'contractor_called' });
    await log(agent, ticket.id, { entry: 'rescuers_arrived' });
    await log(agent, ticket.id, { entry: 'released', injuries: false });
    expect(emergencyBlocker(await row())).toBe('error.EMERGENCY_NO_REPORT');
    await report(agent, ticket.id);
    expect(emergencyBlocker(await row())).toBeNull();
    // the same from the request as the service reads it
    const view = await t.services.tickets.get(systemContext(), ticket.id);
    expect(emergencyBlocker({ emergency: null })).toBeNull();
    expect(view.emergency?.nextStep).toBe('lift_checked');
    const repairRow = await t.testDb.database.db
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', t.world.ticketB.id)
      .executeTakeFirstOrThrow();
    expect(emergencyBlocker(repairRow)).toBeNull();
  });

  it('R16: through the API an emergency is not completed or closed before the release and the report', async () => {
    const ticket = await receive();
    const step = async (client: Client, action: string, body: object = {}) => {
      const { version } = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json();
      return client.post(`/api/v1/tickets/${ticket.id}/${action}`, { version, ...body });
    };
    expect((await step(agent, 'dispatch', { teamId: securityTeamId, assigneeId: guardId })).statusCode).toBe(
      200,
    );
    for (const action of ['accept', 'arrive', 'start'])
      expect((await step(guard, action)).statusCode).toBe(200);
    const completion = { report: { cause: '厅门门锁回路接触不良', work: '维保单位盘车放人' } };
    const early = await step(guard, 'complete', completion);
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toBe('被困人员尚未解救，紧急事件工单不能完成或关闭');
    expect((await guard.get(`/api/v1/tickets/${ticket.id}`)).json().allowedActions).not.toContain('complete');

    await log(agent, ticket.id, { entry: 'contractor_called' });
    await log(guard, ticket.id, { entry: 'rescuers_arrived' });
    await log(guard, ticket.id, { entry: 'released', injuries: false });
    const noReport = await step(guard, 'complete', completion);
    expect(noReport.json().message).toBe('请先提交事件报告，再完成或关闭紧急事件工单');
    expect((await report(agent, ticket.id)).statusCode).toBe(200);
    expect((await guard.get(`/api/v1/tickets/${ticket.id}`)).json().allowedActions).toContain('complete');
    const done = await step(guard, 'complete', completion);
    expect(done.statusCode, done.body).toBe(200);
  });
});
