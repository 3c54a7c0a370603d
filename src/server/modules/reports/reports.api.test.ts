import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, PASSWORD, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { systemContext } from '../../platform/context.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const WHOLE = 'from=2026-11-01&to=2026-12-31';

/**
 * One small month of work, made through the API: community A (Asia/Shanghai) and community B
 * (Europe/London), requests completed, rated through the resident's link and through return
 * visits, one reopened, a follow-up opened by a 2-point score and closed with its outcome.
 */
describe.each(dialects())('satisfaction and return-visit reports, R33 R34 (%s)', (dialect) => {
  let t: TestApp;
  let agent: Client;
  let tech: Client;
  let techB: Client;
  let admin: Client;
  let supervisor: Client;
  let manager: Client;
  let quality: Client;
  const tickets: Record<string, { id: string; number: string }> = {};
  let techId: string;
  let techBId: string;
  let teamId: string;
  let teamBId: string;

  const act = async (client: Client, id: string, action: string, body: object = {}) => {
    const current = (await admin.get(`/api/v1/tickets/${id}`)).json();
    const res = await client.post(`/api/v1/tickets/${id}/${action}`, { version: current.version, ...body });
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
    return res.json();
  };
  const finish = async (
    name: string,
    by: { creator: Client; worker: Client; workerId: string; teamId: string },
    body: Record<string, unknown>,
  ) => {
    const created = await by.creator.post('/api/v1/tickets', {
      type: 'repair',
      channel: 'phone',
      content: `测试工单 ${name}`,
      ...body,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    await act(by.creator, id, 'dispatch', { teamId: by.teamId, assigneeId: by.workerId });
    await act(by.worker, id, 'accept');
    await act(by.worker, id, 'arrive');
    const done = await act(by.worker, id, 'complete', { report: { cause: '老化', work: '已更换' } });
    tickets[name] = { id, number: done.number };
  };
  const rateByLink = async (name: string, scores: object) => {
    const row = await t.testDb.database.db
      .selectFrom('notifications')
      .select('body')
      .where('ticket_id', '=', tickets[name]!.id)
      .where('event', '=', 'complete')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const token = /\/r\/([A-Za-z0-9_-]{43})/.exec(row.body)![1]!;
    const res = await t.anonymous.post(`/api/v1/public/ratings/${token}`, scores);
    expect(res.statusCode, res.body).toBe(200);
  };
  const visitOf = async (name: string) => {
    const sat = (await admin.get(`/api/v1/tickets/${tickets[name]!.id}/satisfaction`)).json();
    return sat.visits[0] as { id: string; version: number; status: string; closeReason: string | null };
  };
  const visitResult = async (name: string, result: object) => {
    const visit = await visitOf(name);
    const reached = await agent.post(`/api/v1/return-visits/${visit.id}/attempts`, {
      version: visit.version,
      outcome: 'reached',
    });
    expect(reached.statusCode, reached.body).toBe(200);
    const res = await agent.post(`/api/v1/return-visits/${visit.id}/result`, {
      version: reached.json().version,
      ...result,
    });
    expect(res.statusCode, res.body).toBe(200);
  };

  /** Sessions end after idle minutes: the clock jumps days, so everyone logs in again. */
  const login = async () => {
    agent = await t.as('agent-a');
    tech = await t.as('technician-a');
    techB = await t.as('technician-b');
    admin = await t.as('admin-2');
    supervisor = await t.as('supervisor-a');
    manager = await t.as('manager-a');
    quality = await t.as('quality');
  };
  const at = async (iso: string) => {
    t.clock.set(iso);
    await login();
  };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    const ctx = systemContext();
    const w = t.world;
    techId = (await t.services.staffRepo.findByLogin('technician-a'))!.id;
    teamId = (
      await t.services.teams.create(ctx, {
        communityId: w.communityA.id,
        name: '维修一组',
        kind: 'repair',
        userIds: [techId],
      })
    ).id;
    const staffB = await t.services.staff.create(ctx, {
      username: 'technician-b',
      employeeNo: '3001',
      name: '翠湖师傅',
      roles: ['technician'],
      communityIds: [w.communityB.id],
      password: PASSWORD,
    });
    await t.services.staffRepo.update(staffB.id, { must_change_password: 0 });
    techBId = staffB.id;
    teamBId = (
      await t.services.teams.create(ctx, {
        communityId: w.communityB.id,
        name: '翠湖维修组',
        kind: 'repair',
        userIds: [techBId],
      })
    ).id;
    await login();

    // community B keeps London time; public repairs are visited unless the resident rates well first
    expect(
      (await admin.patch(`/api/v1/communities/${w.communityB.id}`, { timeZone: 'Europe/London' })).statusCode,
    ).toBe(200);
    const policy = await manager.put('/api/v1/return-visit-policies', {
      policies: [{ kind: 'repair_public', mode: 'skip_if_rated', samplePercent: 100 }],
    });
    expect(policy.statusCode, policy.body).toBe(200);

    // Monday 2026-11-30 10:00 in Shanghai: five requests completed
    await at('2026-11-30T02:00:00.000Z');
    const inA = { creator: agent, worker: tech, workerId: techId, teamId };
    const placeA = { communityId: w.communityA.id, roomId: w.roomA.id, residentId: w.residentA.id };
    await finish('a1', inA, { ...placeA, categoryId: 'cat-leak', repairScope: 'public' });
    await finish('a2', inA, { ...placeA, categoryId: 'cat-leak', repairScope: 'indoor' });
    await finish('a3', inA, { ...placeA, repairScope: 'indoor' });
    await finish('a4', inA, { ...placeA, repairScope: 'indoor' });
    await finish(
      'b1',
      { creator: admin, worker: techB, workerId: techBId, teamId: teamBId },
      { communityId: w.communityB.id, roomId: w.roomB.id, residentId: w.residentB.id },
    );
    // a4's resident refuses the visit
    const a4 = await visitOf('a4');
    const refused = await agent.post(`/api/v1/return-visits/${a4.id}/attempts`, {
      version: a4.version,
      outcome: 'refused',
    });
    expect(refused.statusCode, refused.body).toBe(200);

    // 23:30 in Shanghai on the last day of November: a1 rated 5 by link (closes its visit: rated)
    await at('2026-11-30T15:30:00.000Z');
    await rateByLink('a1', { overall: 5, speed: 4, attitude: 5, quality: 5 });
    // an hour later: 00:30 on 1 December in Shanghai, still 30 November in London
    await at('2026-11-30T16:30:00.000Z');
    await rateByLink('a2', { overall: 3, speed: 3, attitude: 3, quality: 3 });
    await rateByLink('b1', { overall: 1, speed: 1, attitude: 1, quality: 1, comment: '没修好' });
    // 2 December: a2's visit — not resolved (reopened), 2 points overall and attitude (follow-up)
    await at('2026-12-02T02:00:00.000Z');
    await visitResult('a2', {
      resolved: false,
      overall: 2,
      speed: 3,
      attitude: 2,
      quality: 3,
      comment: '师傅态度差',
    });
    // 5 December: a3's visit, two days late
    await at('2026-12-05T02:00:00.000Z');
    await visitResult('a3', { resolved: true, overall: 4, speed: 3, attitude: 4, quality: 5 });
    // 6 December: the supervisor closes a2's follow-up
    await at('2026-12-06T02:00:00.000Z');
    const open = (await supervisor.get('/api/v1/visit-followups')).json().items as {
      id: string;
      ticketId: string;
      version: number;
    }[];
    const followA = open.find((f) => f.ticketId === tickets.a2!.id)!;
    const closed = await supervisor.post(`/api/v1/visit-followups/${followA.id}/close`, {
      version: followA.version,
      outcome: '已上门致歉并重新维修',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    await at('2026-12-10T02:00:00.000Z');
  });
  afterAll(async () => t?.close());

  it('R34: satisfaction by community — each request once, its latest rating (link or visit)', async () => {
    const res = await admin.get(`/api/v1/reports/satisfaction?${WHOLE}`);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.groupBy).toBe('community');
    // a1 5/4/5/5 (link), a2 2/3/2/3 (its visit, after a 3 by link), a3 4/3/4/5 (visit); b1 1/1/1/1
    expect(report.groups).toEqual([
      {
        key: t.world.communityA.id,
        name: '阳光花园',
        count: 3,
        overall: 3.7,
        speed: 3.3,
        attitude: 3.7,
        quality: 4.3,
        satisfied: 2,
        satisfiedRate: 0.667,
      },
      {
        key: t.world.communityB.id,
        name: '翠湖苑',
        count: 1,
        overall: 1,
        speed: 1,
        attitude: 1,
        quality: 1,
        satisfied: 0,
        satisfiedRate: 0,
      },
    ]);
    expect(report.totals).toEqual({
      count: 4,
      overall: 3,
      speed: 2.8,
      attitude: 3,
      quality: 3.5,
      satisfied: 2,
      satisfiedRate: 0.5,
    });
    // months in each request's own zone: a1 (23:30 on 30 Nov, Shanghai) and b1 (London) in November
    expect(
      report.months.map((m: { month: string; count: number; overall: number }) => [
        m.month,
        m.count,
        m.overall,
      ]),
    ).toEqual([
      ['2026-11', 2, 3],
      ['2026-12', 2, 3],
    ]);
  });

  it('R34: month boundaries are local days — 23:30 on the last day counts in that month', async () => {
    const nov = (
      await supervisor.get('/api/v1/reports/satisfaction?from=2026-11-01&to=2026-11-30&groupBy=month')
    ).json();
    expect(nov.groups).toEqual([
      expect.objectContaining({ key: '2026-11', count: 1, overall: 5, satisfied: 1 }),
    ]);
    // 1 December in Shanghai: only a2's link rating (3) was given that day — its latest in the period
    const dec1 = (await supervisor.get('/api/v1/reports/satisfaction?from=2026-12-01&to=2026-12-01')).json();
    expect(dec1.totals).toMatchObject({ count: 1, overall: 3, speed: 3, satisfied: 0, satisfiedRate: 0 });
    const dec = (
      await supervisor.get('/api/v1/reports/satisfaction?from=2026-12-01&to=2026-12-31&groupBy=month')
    ).json();
    expect(dec.groups).toEqual([
      {
        key: '2026-12',
        name: '2026-12',
        count: 2,
        overall: 3,
        speed: 3,
        attitude: 3,
        quality: 4,
        satisfied: 1,
        satisfiedRate: 0.5,
      },
    ]);
    expect(dec.months).toHaveLength(1);
  });

  it('R34: by team, worker and category; none is its own group, last', async () => {
    const team = (await admin.get(`/api/v1/reports/satisfaction?${WHOLE}&groupBy=team`)).json();
    expect(
      team.groups.map((g: { name: string; count: number; overall: number }) => [g.name, g.count, g.overall]),
    ).toEqual([
      ['维修一组', 3, 3.7],
      ['翠湖维修组', 1, 1],
    ]);
    const worker = (await supervisor.get(`/api/v1/reports/satisfaction?${WHOLE}&groupBy=worker`)).json();
    expect(worker.groups).toHaveLength(1);
    expect(worker.groups[0]).toMatchObject({ key: techId, count: 3, satisfied: 2 });
    expect(worker.groups[0].name).toMatch(/^测试technician-a（\d+）$/);
    const category = (await supervisor.get(`/api/v1/reports/satisfaction?${WHOLE}&groupBy=category`)).json();
    expect(category.groups).toEqual([
      expect.objectContaining({ key: 'cat-leak', name: '漏水渗水', count: 2, overall: 3.5, satisfied: 1 }),
      expect.objectContaining({ key: null, name: null, count: 1, overall: 4, satisfied: 1 }),
    ]);
  });

  it('R33: return visits due in the period — on time, late, open, refused — and the on-time rate', async () => {
    const res = await admin.get(`/api/v1/reports/return-visits?${WHOLE}`);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    // a1 closed by its 5-point link rating, a2 done on 2 Dec (due 3 Dec), a3 done late on 5 Dec,
    // a4 refused, b1 still open (its 1-point link rating does not replace the call) and overdue
    expect(report.visits).toEqual({
      due: 5,
      onTime: 2,
      late: 1,
      open: 1,
      overdue: 1,
      unreachable: 0,
      refused: 1,
      rated: 1,
      cancelled: 0,
      onTimeRate: 0.4,
    });
    // R13: of the five requests completed, a2 was reopened by its visit
    expect(report.reopen).toEqual({ completed: 5, reopened: 1, rate: 0.2 });
    expect(report.followups).toMatchObject({ opened: 2, closed: 1, open: 1 });
    expect(report.followups.items).toEqual([
      expect.objectContaining({
        ticketNumber: tickets.b1!.number,
        communityName: '翠湖苑',
        source: 'link',
        overall: 1,
        comment: '没修好',
        status: 'open',
        outcome: null,
      }),
      expect.objectContaining({
        ticketNumber: tickets.a2!.number,
        reason: ['overall', 'attitude'],
        source: 'visit',
        overall: 2,
        attitude: 2,
        status: 'closed',
        outcome: '已上门致歉并重新维修',
        closedBy: '测试supervisor-a',
        closedAt: '2026-12-06T02:00:00.000Z',
      }),
    ]);
  });

  it('R61: a community-A user gets only A’s numbers; community B is a 404; other roles a 403', async () => {
    const mine = (await supervisor.get(`/api/v1/reports/satisfaction?${WHOLE}`)).json();
    expect(mine.groups.map((g: { key: string }) => g.key)).toEqual([t.world.communityA.id]);
    expect(mine.totals.count).toBe(3);
    const visits = (await manager.get(`/api/v1/reports/return-visits?${WHOLE}`)).json();
    expect(visits.visits).toMatchObject({ due: 4, onTime: 2, late: 1, refused: 1, open: 0 });
    expect(visits.reopen).toEqual({ completed: 4, reopened: 1, rate: 0.25 });
    expect(visits.followups.items.map((f: { ticketNumber: string }) => f.ticketNumber)).toEqual([
      tickets.a2!.number,
    ]);
    for (const url of [
      '/api/v1/reports/satisfaction',
      '/api/v1/reports/return-visits',
      '/api/v1/reports/satisfaction.xlsx',
      '/api/v1/reports/return-visits.xlsx',
    ]) {
      const b = await supervisor.get(`${url}?${WHOLE}&communityId=${t.world.communityB.id}`);
      expect(b.statusCode, url).toBe(404);
      expect(b.json()).toMatchObject({ code: 'NOT_FOUND', message: '记录不存在' });
      expect(
        (await quality.get(`${url}?${WHOLE}&communityId=${t.world.communityB.id}`)).statusCode,
        url,
      ).toBe(200);
      expect((await agent.get(`${url}?${WHOLE}`)).statusCode, url).toBe(403);
    }
  });

  it('refuses a bad period with a translated message, at most 366 days', async () => {
    const cases: [string, string][] = [
      ['from=2026-01-01&to=2027-01-02', 'to'],
      ['from=2026-12-02&to=2026-12-01', 'to'],
      ['to=2026-12-01', 'from'],
      ['from=2026-13-01&to=2026-12-01', 'from'],
      [`${WHOLE}&groupBy=building`, 'groupBy'],
    ];
    for (const [query, field] of cases) {
      const res = await supervisor.get(`/api/v1/reports/satisfaction?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().details[0].field, query).toBe(field);
    }
    const zh = (await supervisor.get('/api/v1/reports/return-visits?from=2026-01-01&to=2027-01-02')).json();
    expect(zh.details[0].message).toBe('报表时段须在 366 天以内，且开始日期不晚于结束日期');
    const en = await supervisor.request({
      method: 'GET',
      url: '/api/v1/reports/return-visits?from=2026-01-01&to=2027-01-02',
      headers: { 'accept-language': 'en' },
    });
    expect(en.json().details[0].message).toBe(
      'The report period must be at most 366 days, its first day not after its last',
    );
    // a leap year's whole year is allowed
    expect(
      (await supervisor.get('/api/v1/reports/satisfaction?from=2028-01-01&to=2028-12-31')).statusCode,
    ).toBe(200);
  });

  it('exports both reports as .xlsx with Chinese headers, each export audited', async () => {
    const sat = await manager.get(`/api/v1/reports/satisfaction.xlsx?${WHOLE}&groupBy=team`);
    expect(sat.statusCode, sat.body).toBe(200);
    expect(sat.headers['content-type']).toBe(XLSX);
    expect(sat.headers['content-disposition']).toContain(
      encodeURIComponent('满意度报表-2026-11-01至2026-12-31.xlsx'),
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(sat.rawPayload as never);
    const sheet = book.getWorksheet('按班组')!;
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      '班组',
      '评价数',
      '总体满意度',
      '速度',
      '态度',
      '质量',
      '满意数（4–5分）',
      '满意率',
    ]);
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual([
      '维修一组',
      3,
      3.7,
      3.3,
      3.7,
      4.3,
      2,
      0.667,
    ]);
    expect(book.getWorksheet('按月')!.getRow(2).getCell(1).value).toBe('2026-11');

    const visits = await manager.get(`/api/v1/reports/return-visits.xlsx?${WHOLE}`);
    expect(visits.statusCode, visits.body).toBe(200);
    const vbook = new ExcelJS.Workbook();
    await vbook.xlsx.load(visits.rawPayload as never);
    const summary = vbook.getWorksheet('回访及时率')!;
    expect(summary.getRow(2).values).toEqual([undefined, '应回访（到期在本时段）', 4]);
    const follow = vbook.getWorksheet('投诉跟进')!;
    expect(follow.getRow(2).getCell(1).value).toBe(tickets.a2!.number);
    expect(follow.getRow(2).getCell(3).value).toBe('2026-12-02 10:00');
    expect(follow.getRow(2).getCell(12).value).toBe('已上门致歉并重新维修');

    const audit = await t.testDb.database.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'actor_name'])
      .where('action', '=', 'report.exported')
      .orderBy('id')
      .execute();
    expect(audit.slice(-2)).toEqual([
      { action: 'report.exported', entity_id: 'satisfaction', actor_name: '测试manager-a' },
      { action: 'report.exported', entity_id: 'return-visits', actor_name: '测试manager-a' },
    ]);
  });
});
