import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, PASSWORD, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { systemContext } from '../../platform/context.js';

/** Monday 30 Nov 2026, 10:00 in Shanghai: week 2026-W49 (30 Nov – 6 Dec). */
const MONDAY_1000 = '2026-11-30T02:00:00.000Z';

type Sample = {
  id: string;
  subjectType: 'ticket' | 'call';
  subjectId: string;
  reason: string;
  status: string;
  agent: { id: string; name: string } | null;
  check: {
    id: string;
    total: number;
    seenAt: string | null;
    items: { key: string; points: number }[];
  } | null;
};

describe.each(dialects())('quality spot checks, R39 (%s)', (dialect) => {
  let t: TestApp;
  let quality: Client;
  let supervisor: Client;
  let agentNew: Client;
  let agentOld: Client;
  let oldId: string;
  let newId: string;
  const keyword: Record<string, string> = {};
  const db = () => t.testDb.database.db;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    const ctx = systemContext();
    const w = t.world;
    // an agent who joined in January (not new staff); agent-a joined today (new staff: 2×)
    t.clock.set('2026-01-05T02:00:00.000Z');
    const old = await t.services.staff.create(ctx, {
      username: 'agent-old',
      employeeNo: '0801',
      name: '老客服',
      roles: ['agent'],
      communityIds: [w.communityA.id],
      password: PASSWORD,
    });
    await t.services.staffRepo.update(old.id, { must_change_password: 0 });
    oldId = old.id;
    t.clock.set(MONDAY_1000);
    newId = (await t.services.staffRepo.findByLogin('agent-a'))!.id;
    const as = (id: string, name: string) => {
      const sys = systemContext();
      return { ...sys, principal: { ...sys.principal, id, userId: id, name, roles: ['agent' as const] } };
    };
    const ctxOld = as(oldId, '老客服');
    const ctxNew = as(newId, '测试agent-a');

    const log = async (c: typeof ctxOld, content: string) =>
      (
        await t.services.tickets.create(c, {
          communityId: w.communityA.id,
          roomId: w.roomA.id,
          residentId: w.residentA.id,
          type: 'inquiry',
          channel: 'phone',
          content,
        })
      ).ticket.id;
    // 00:30 on Monday in Shanghai (Sunday in UTC): this week; 23:00 on Sunday before: last week
    t.clock.set('2026-11-29T15:00:00.000Z');
    await log(ctxOld, '住户说要起诉开发商（上周）');
    t.clock.set('2026-11-29T16:30:00.000Z');
    keyword.boundary = await log(ctxOld, '住户称要起诉开发商');
    t.clock.set(MONDAY_1000);
    for (let i = 0; i < 5; i++) await log(ctxOld, `咨询物业费缴纳方式 ${i}`);
    keyword.compensation = await log(ctxOld, '车辆被高空坠物砸坏，要求赔偿');
    // the new agent's requests: Wednesday 2 December; one mentions 投訴 only in a note
    t.clock.set('2026-12-02T03:00:00.000Z');
    for (let i = 0; i < 6; i++) await log(ctxNew, `咨询停车月卡办理 ${i}`);
    keyword.note = await log(ctxNew, '楼上漏水到我家');
    await t.services.ticketActions.addNote(ctxNew, keyword.note, {
      visibility: 'internal',
      text: '住户情绪激动，说要投訴到住建局',
    });
    // community B: never in community A's sample
    await t.services.tickets.create(ctx, {
      communityId: w.communityB.id,
      roomId: w.roomB.id,
      residentId: w.residentB.id,
      type: 'complaint',
      channel: 'phone',
      content: '投诉保安态度差',
    });
    // two calls answered by the old agent; the first led to the request asking for compensation
    t.clock.set('2026-12-01T02:00:00.000Z');
    const calls = [];
    let i = 0;
    for (const callId of ['qa-call-1', 'qa-call-2']) {
      const base = {
        callId,
        from: i++ ? '13800138000' : '13700000000',
        to: '4008001234',
        direction: 'in' as const,
      };
      await t.services.calls.ingest(ctx, { ...base, event: 'newCall' });
      await t.services.calls.ingest(ctx, { ...base, event: 'answer', answeringNumber: 'agent-old' });
      await t.services.calls.ingest(ctx, { ...base, event: 'hangup', cause: 'normalClearing' });
      calls.push(
        await db()
          .selectFrom('calls')
          .select(['id', 'agent_user_id', 'community_id'])
          .where('pbx_call_id', '=', callId)
          .executeTakeFirstOrThrow(),
      );
    }
    expect(calls[0]!.agent_user_id).toBe(oldId);
    // the first caller's number is unknown: the call belongs to community A by the request it led to
    expect(calls.map((c) => c.community_id)).toEqual([null, w.communityA.id]);
    await t.services.calls.linkTicket(ctxOld, calls[0]!.id, keyword.compensation);
    keyword.call = calls[0]!.id;
    t.clock.set('2026-12-07T02:00:00.000Z');
    quality = await t.as('quality');
    supervisor = await t.as('supervisor-a');
    agentNew = await t.as('agent-a');
    agentOld = await t.as('agent-old');
  });
  afterAll(async () => t?.close());

  const draw = (client: Client, week = '2026-W49', communityId = t.world.communityA.id) =>
    client.post('/api/v1/quality/samples/draw', { week, communityId });
  const samples = async (query = 'week=2026-W49') => {
    const res = await quality.get(`/api/v1/quality/samples?${query}&limit=200`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Sample[];
  };

  it('R39 draws 2 per agent at random, 4 for new staff, and every one mentioning 投诉/赔偿/起诉', async () => {
    const res = await draw(quality);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ week: '2026-W49', from: '2026-11-30', to: '2026-12-06', added: 10 });
    const items = body.items as Sample[];
    const of = (agent: string, reason: string) =>
      items.filter((s) => s.agent?.id === agent && s.reason === reason).length;
    expect(of(oldId, 'random')).toBe(2);
    expect(of(newId, 'new_staff')).toBe(4);
    expect(
      items
        .filter((s) => s.reason === 'keyword')
        .map((s) => s.subjectId)
        .sort(),
    ).toEqual([keyword.boundary, keyword.compensation, keyword.note, keyword.call].sort());
    expect(items.find((s) => s.subjectId === keyword.call)).toMatchObject({
      subjectType: 'call',
      agent: { id: oldId },
    });
    expect(items.every((s) => s.status === 'pending' && s.check === null)).toBe(true);
    // one audit record of the draw
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'quality.draw')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ community_id: t.world.communityA.id, actor_name: '测试quality' });
  });

  it('R39 drawing the same week again (by label or by a date in it) adds nothing', async () => {
    const before = await samples();
    for (const week of ['2026-W49', '2026-12-03']) {
      const res = await draw(supervisor, week);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().added).toBe(0);
      expect(res.json().items).toHaveLength(10);
    }
    expect((await samples()).map((s) => s.id).sort()).toEqual(before.map((s) => s.id).sort());
    expect(
      await db().selectFrom('audit_log').select('id').where('action', '=', 'quality.draw').execute(),
    ).toHaveLength(1);
    // last week holds the one request of Sunday evening (Shanghai): drawn as a keyword one there
    const last = await draw(quality, '2026-W48');
    expect(last.json()).toMatchObject({ added: 1, items: [{ reason: 'keyword' }] });
  });

  it('refuses a bad week, a community out of reach and the wrong roles, with translated errors', async () => {
    const bad = await draw(quality, '2026-W60');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0]).toMatchObject({
      field: 'week',
      message: expect.stringContaining('2026-W49'),
    });
    const en = await quality.request({
      method: 'POST',
      url: '/api/v1/quality/samples/draw',
      payload: { week: 'last week', communityId: t.world.communityA.id },
      headers: { 'accept-language': 'en' },
    });
    expect(en.json().details[0].message).toContain('ISO week');
    expect((await draw(supervisor, '2026-W49', t.world.communityB.id)).statusCode).toBe(404);
    expect((await draw(agentNew)).statusCode).toBe(403);
    expect((await agentNew.get('/api/v1/quality/samples')).statusCode).toBe(403);
    expect((await quality.get('/api/v1/quality/samples?week=W49')).statusCode).toBe(400);
  });

  it('R39 scores on the sheet: every item 0..max, the total computed, once; bad scores change nothing', async () => {
    const sheet = (await quality.get('/api/v1/quality/sheet')).json();
    expect(sheet).toMatchObject({ version: 1, current: true, maxTotal: 100 });
    expect(sheet.items.map((i: { key: string }) => i.key)).toEqual([
      'greeting',
      'accuracy',
      'attitude',
      'language',
      'timeliness',
      'record',
    ]);
    expect(sheet.items[0].deductions).toMatch(/扣\d分\/次/);
    const sample = (await samples(`week=2026-W49&agentId=${oldId}`)).find((s) => s.reason === 'keyword')!;
    const full = { greeting: 15, accuracy: 25, attitude: 20, language: 20, timeliness: 10, record: 10 };
    const url = `/api/v1/quality/samples/${sample.id}/check`;

    const { greeting: _, ...missing } = full;
    const cases: [object, string, RegExp][] = [
      [missing, 'scores.greeting', /请为「问候与开场」打分/],
      [{ ...full, accuracy: 26 }, 'scores.accuracy', /0 到 25 分/],
      [{ ...full, attitude: -1 }, 'scores.attitude', /0 到 20 分/],
      [{ ...full, record: 2.3 }, 'scores.record', /0\.5 分/],
      [{ ...full, bonus: 5 }, 'scores.bonus', /没有「bonus」/],
    ];
    for (const [scores, field, message] of cases) {
      const res = await supervisor.post(url, { scores });
      expect(res.statusCode, JSON.stringify(scores)).toBe(400);
      expect(res.json().details).toContainEqual({ field, message: expect.stringMatching(message) });
    }
    expect(
      await db()
        .selectFrom('qa_checks' as never)
        .selectAll()
        .execute(),
    ).toHaveLength(0);

    const ok = await supervisor.post(url, {
      scores: { ...full, greeting: 13, language: 15, record: 9.5 },
      comment: '未报工号；使用了“不可能”',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      status: 'scored',
      check: { total: 92.5, maxTotal: 100, seenAt: null, sheetVersion: 1 },
    });
    const again = await quality.post(url, { scores: full });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'QA_ALREADY_SCORED', message: '这条抽查已经评过分了' });
    expect((await agentOld.post(url, { scores: full })).statusCode).toBe(403);
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'quality.check')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.changes!)).toMatchObject({
      total: [null, 92.5],
      status: ['pending', 'scored'],
    });
  });

  it('R39 a new version of the sheet is used from then on; earlier checks keep theirs', async () => {
    const sheet = (await quality.get('/api/v1/quality/sheet')).json();
    const items = sheet.items.map((i: { key: string; maxPoints: number }) =>
      i.key === 'accuracy' ? { ...i, maxPoints: 30 } : i.key === 'record' ? { ...i, maxPoints: 5 } : i,
    );
    const bad = await quality.put('/api/v1/quality/sheet', { version: 1, name: '评分表', items: [] });
    expect(bad.statusCode).toBe(400);
    const res = await quality.put('/api/v1/quality/sheet', {
      version: 1,
      name: '客服质检评分表（2027版）',
      items,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ version: 2, maxTotal: 100 });
    expect((await quality.put('/api/v1/quality/sheet', { version: 1, name: 'x', items })).statusCode).toBe(
      409,
    );
    const scored = (await samples('status=scored'))[0]!;
    expect(scored.check).toMatchObject({ total: 92.5 });
    expect(scored.check!.items.find((i) => i.key === 'accuracy')).toMatchObject({ maxPoints: 25 });
    expect(
      await db().selectFrom('audit_log').select('id').where('action', '=', 'quality.sheet.update').execute(),
    ).toHaveLength(1);
  });

  it('R39 agents see only their own results and acknowledge them', async () => {
    expect((await agentNew.get('/api/v1/quality/my-results')).json().items).toEqual([]);
    const mine = (await samples(`week=2026-W49&agentId=${newId}`))[0]!;
    const scored = await quality.post(`/api/v1/quality/samples/${mine.id}/check`, {
      scores: { greeting: 15, accuracy: 20, attitude: 20, language: 20, timeliness: 10, record: 5 },
    });
    expect(scored.statusCode, scored.body).toBe(200);
    expect(scored.json().check).toMatchObject({ total: 90, sheetVersion: 2 });

    const results = (await agentNew.get('/api/v1/quality/my-results')).json().items as Sample[];
    expect(results.map((r) => r.id)).toEqual([mine.id]);
    const oldResults = (await agentOld.get('/api/v1/quality/my-results')).json().items as Sample[];
    expect(oldResults).toHaveLength(1);
    expect(oldResults[0]!.agent!.id).toBe(oldId);

    // someone else's result: as if it did not exist
    const other = await agentNew.post(`/api/v1/quality/checks/${oldResults[0]!.check!.id}/ack`, {});
    expect(other.statusCode).toBe(404);
    const ack = await agentNew.post(`/api/v1/quality/checks/${results[0]!.check!.id}/ack`, {});
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json().check.seenAt).toBe('2026-12-07T02:00:00.000Z');
    t.clock.set('2026-12-07T02:01:00.000Z');
    const twice = await agentNew.post(`/api/v1/quality/checks/${results[0]!.check!.id}/ack`, {});
    expect(twice.json().check.seenAt).toBe('2026-12-07T02:00:00.000Z');
    expect(
      await db().selectFrom('audit_log').select('id').where('action', '=', 'quality.ack').execute(),
    ).toHaveLength(1);
  });

  it('R39 the monthly report per agent: samples, checked, average, weakest item, R37 overrides', async () => {
    // R37: a reply with a forbidden phrase, sent with an override (the language module records it)
    const url = `/api/v1/tickets/${keyword.note}/notes`;
    const reply = { visibility: 'resident', text: '这个我不知道，您问问别人吧' };
    expect((await agentNew.post(url, reply)).statusCode).toBe(422);
    const sent = await agentNew.post(url, { ...reply, languageOverride: { reason: '住户要求原话转达' } });
    expect(sent.statusCode, sent.body).toBe(200);
    const nov = await quality.get(
      `/api/v1/quality/report?month=2026-11&communityId=${t.world.communityA.id}`,
    );
    expect(nov.statusCode, nov.body).toBe(200);
    // the old agent's requests of 30 Nov (and Sunday evening's); his calls of 1 Dec are December's
    const novOld = nov.json().items.find((i: { agent: { id: string } }) => i.agent.id === oldId);
    expect(nov.json().items.find((i: { agent: { id: string } }) => i.agent.id === newId)).toBeUndefined();
    const oldSamples = (await samples(`agentId=${oldId}`)).length;
    expect(novOld.samples + (await monthCount(oldId, '2026-12'))).toBe(oldSamples);
    const dec = (await quality.get('/api/v1/quality/report?month=2026-12')).json();
    const decNew = dec.items.find((i: { agent: { id: string } }) => i.agent.id === newId);
    expect(decNew).toMatchObject({
      samples: 5,
      checked: 1,
      averageTotal: 90,
      lowestItem: { key: 'accuracy', averagePoints: 20, maxPoints: 30 },
      overrides: 1,
    });
    expect(nov.json().items.every((i: { overrides: number }) => i.overrides === 0)).toBe(true);
    const scoredOld = (await samples('status=scored')).find((s) => s.agent?.id === oldId)!;
    const line = [...nov.json().items, ...dec.items].find(
      (i: { agent: { id: string }; checked: number }) => i.agent.id === oldId && i.checked === 1,
    );
    expect(line).toMatchObject({
      averageTotal: 92.5,
      lowestItem: { key: 'language', averagePoints: 15, maxPoints: 20 },
    });
    expect(scoredOld.check!.total).toBe(92.5);

    const badMonth = await quality.get('/api/v1/quality/report?month=2026-13');
    expect(badMonth.statusCode).toBe(400);
    expect(badMonth.json().details[0]).toMatchObject({
      field: 'month',
      message: '「月份」须为年月，如 2026-12',
    });
    expect(
      (await supervisor.get(`/api/v1/quality/report?month=2026-12&communityId=${t.world.communityB.id}`))
        .statusCode,
    ).toBe(404);
    expect((await agentNew.get('/api/v1/quality/report?month=2026-12')).statusCode).toBe(403);
  });

  async function monthCount(agentId: string, month: string) {
    const res = await quality.get(`/api/v1/quality/report?month=${month}`);
    return res.json().items.find((i: { agent: { id: string } }) => i.agent.id === agentId)?.samples ?? 0;
  }
});
