import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { systemContext } from '../../platform/context.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MONDAY_1000 = '2026-11-30T02:00:00.000Z';
const FIVE = { overall: 5, speed: 4, attitude: 5, quality: 5, comment: '师傅很细心，谢谢！' };

describe.each(dialects())('the resident’s rating link, R34 R35 (%s)', (dialect) => {
  let t: TestApp;
  let agent: Client;
  let tech: Client;
  let teamId: string;
  let techId: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    techId = (await t.services.staffRepo.findByLogin('technician-a'))!.id;
    const team = await t.services.teams.create(systemContext(), {
      communityId: t.world.communityA.id,
      name: '维修组',
      kind: 'repair',
      userIds: [techId],
    });
    teamId = team.id;
    agent = await t.as('agent-a');
    tech = await t.as('technician-a');
  });
  afterAll(async () => t?.close());
  beforeEach(() => t.clock.set(MONDAY_1000));

  const db = () => t.testDb.database.db;
  let ip = 0;
  /** Each test from an address of its own: the per-address limit is tested on its own. */
  const from = () => `10.0.0.${++ip}`;
  const act = async (client: Client, id: string, action: string, body: object = {}) => {
    const current = (await agent.get(`/api/v1/tickets/${id}`)).json();
    const res = await client.post(`/api/v1/tickets/${id}/${action}`, { version: current.version, ...body });
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
    return res.json();
  };
  const finish = async (over: Record<string, unknown> = {}) => {
    const created = await agent.post('/api/v1/tickets', {
      communityId: t.world.communityA.id,
      roomId: t.world.roomA.id,
      residentId: t.world.residentA.id,
      type: 'repair',
      channel: 'phone',
      content: '卫生间水管漏水，请尽快上门',
      ...over,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    await act(agent, id, 'dispatch', { teamId, assigneeId: techId });
    await act(tech, id, 'accept');
    await act(tech, id, 'arrive');
    return act(tech, id, 'complete', { report: { cause: '接头老化', work: '更换水管接头并试压' } });
  };
  /** The link in the message the resident was sent (only a hash of the token is stored). */
  const tokenOf = async (ticketId: string) => {
    const row = await db()
      .selectFrom('notifications')
      .select(['body', 'recipient_phone'])
      .where('ticket_id', '=', ticketId)
      .where('event', '=', 'complete')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const match = /\/r\/([A-Za-z0-9_-]{43})/.exec(row.body);
    expect(match, row.body).not.toBeNull();
    return { token: match![1]!, body: row.body, phone: row.recipient_phone };
  };
  const get = (token: string, address = from(), locale = 'zh-CN') =>
    t.app.inject({
      method: 'GET',
      url: `/api/v1/public/ratings/${token}`,
      remoteAddress: address,
      headers: { 'accept-language': locale },
    });
  const post = (token: string, payload: object, address = from(), locale = 'zh-CN') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/public/ratings/${token}`,
      payload,
      remoteAddress: address,
      headers: { 'accept-language': locale },
    });

  it('R34: completing a request sends the resident a one-time rating link; only its hash is stored', async () => {
    const done = await finish();
    const { token, body, phone } = await tokenOf(done.id);
    expect(phone).toBe('13800138000');
    expect(body).toContain(`${t.config.publicUrl}/r/${token}`);
    expect(body).toContain('王先生，您好！');
    expect(body).toContain('7天内有效');
    const links = await db()
      .selectFrom('rating_links')
      .selectAll()
      .where('ticket_id', '=', done.id)
      .execute();
    expect(links).toHaveLength(1);
    expect(links[0]!.token_hash).not.toContain(token);
    expect(JSON.stringify(links)).not.toContain(token);
    expect(links[0]!.expires_at).toBe(new Date(t.clock.now().getTime() + 7 * DAY).toISOString());
    // one text, not two: the invitation joins the 'complete' message, before its sign-off
    expect(body).toContain('已处理完毕：更换水管接头并试压。');
    expect(body).toMatch(/诚邀您对本次服务进行评价：\S+ （7天内有效）。——阳光花园客服中心$/);
    const events = await db()
      .selectFrom('notifications')
      .select('event')
      .where('ticket_id', '=', done.id)
      .where('user_id', 'is', null)
      .execute();
    expect(events.map((e) => e.event)).not.toContain('rating');
    // staff reading what the resident was told see the link without its token
    const told = await agent.get(`/api/v1/tickets/${done.id}/notifications`);
    const text = (told.json().items as { event: string; text: string }[]).find(
      (m) => m.event === 'complete',
    )!.text;
    expect(text).not.toContain(token);
    expect(text).toContain(`${t.config.publicUrl}/r/******`);
  });

  it('R34: the page shows what was done and by whom (工号), and nothing personal', async () => {
    const done = await finish();
    const { token } = await tokenOf(done.id);
    const res = await get(token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const view = res.json();
    expect(view).toMatchObject({
      number: done.number,
      communityName: '阳光花园',
      work: '更换水管接头并试压',
      worker: { name: '测试technician-a', employeeNo: expect.stringMatching(/^\d+$/) },
      completedAt: t.clock.now().toISOString(),
    });
    const text = res.body;
    expect(text).not.toContain('13800138000');
    expect(text).not.toContain('王建国');
    expect(text).not.toContain('1502');
  });

  it('R34: the link rates exactly once; a second submission is refused in the resident’s language', async () => {
    const done = await finish();
    const { token } = await tokenOf(done.id);
    const first = await post(token, FIVE);
    expect(first.statusCode, first.body).toBe(200);
    const ratings = await db().selectFrom('ratings').selectAll().where('ticket_id', '=', done.id).execute();
    expect(ratings).toHaveLength(1);
    expect(ratings[0]).toMatchObject({
      source: 'link',
      overall: 5,
      speed: 4,
      attitude: 5,
      quality: 5,
      comment: FIVE.comment,
    });
    const again = await post(token, { ...FIVE, overall: 1 });
    expect(again.statusCode).toBe(410);
    expect(again.json()).toMatchObject({
      code: 'RATING_LINK_USED',
      message: '您已经评价过了，感谢您的支持！',
    });
    const tw = await get(token, from(), 'zh-TW');
    expect(tw.statusCode).toBe(410);
    expect(tw.json().message).toBe('您已經評價過了，感謝您的支持！');
    expect(
      (await db().selectFrom('ratings').selectAll().where('ticket_id', '=', done.id).execute()).length,
    ).toBe(1);
    // on the request's timeline and in the audit trail, with the scores on its detail
    const detail = (await agent.get(`/api/v1/tickets/${done.id}`)).json();
    expect(detail.events.at(-1)).toMatchObject({ type: 'rated', note: FIVE.comment, actor: null });
    const sat = (await agent.get(`/api/v1/tickets/${done.id}/satisfaction`)).json();
    expect(sat.ratings[0]).toMatchObject({ source: 'link', overall: 5, speed: 4 });
    expect(sat.links[0].status).toBe('used');
    // and the resident's card shows it to the desk (their only rated request so far)
    const card = (await agent.get(`/api/v1/residents/${t.world.residentA.id}/card`)).json();
    expect(card.satisfaction).toEqual({ average: 5, count: 1 });
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'actor_type'])
      .where('entity_id', '=', ratings[0]!.id)
      .execute();
    expect(audit).toEqual([{ action: 'rating.link', actor_type: 'anonymous' }]);
  });

  it('R34: two submissions at once — exactly one is stored', async () => {
    const done = await finish();
    const { token } = await tokenOf(done.id);
    const results = await Promise.all([post(token, FIVE), post(token, { ...FIVE, overall: 1, attitude: 1 })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 410]);
    const ratings = await db().selectFrom('ratings').selectAll().where('ticket_id', '=', done.id).execute();
    expect(ratings).toHaveLength(1);
    // the loser left nothing behind: no follow-up for its poor scores unless it was the winner
    const followups = await db()
      .selectFrom('visit_followups')
      .selectAll()
      .where('ticket_id', '=', done.id)
      .execute();
    expect(followups.length).toBe(ratings[0]!.overall === 1 ? 1 : 0);
  });

  it('R34: the link expires', async () => {
    const done = await finish();
    const { token } = await tokenOf(done.id);
    t.clock.advance(7 * DAY + 1);
    const res = await get(token, from(), 'en');
    expect(res.statusCode).toBe(410);
    expect(res.json()).toMatchObject({
      code: 'RATING_LINK_EXPIRED',
      message: 'This rating link has expired; to give feedback, please call the service center',
    });
    expect((await post(token, FIVE)).statusCode).toBe(410);
    expect(await db().selectFrom('ratings').selectAll().where('ticket_id', '=', done.id).execute()).toEqual(
      [],
    );
  });

  it('R34: forged, guessed and malformed tokens are refused (404) and change nothing', async () => {
    const done = await finish();
    const { token } = await tokenOf(done.id);
    const forged = [
      `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`,
      'A'.repeat(43),
      'short',
      `${token}x`,
    ];
    for (const bad of forged) {
      const res = await get(bad);
      expect(res.statusCode, bad).toBe(404);
      expect(res.json()).toMatchObject({ code: 'NOT_FOUND', message: '评价链接无效，请核对短信中的链接' });
      expect((await post(bad, FIVE)).statusCode, bad).toBe(404);
    }
    // the hash itself is no key either
    const [link] = await db()
      .selectFrom('rating_links')
      .select('token_hash')
      .where('ticket_id', '=', done.id)
      .execute();
    expect((await get(link!.token_hash)).statusCode).toBe(404);
    expect(await db().selectFrom('ratings').selectAll().where('ticket_id', '=', done.id).execute()).toEqual(
      [],
    );
    // bad scores: a translated 400, and the link is still good
    const bad = await post(token, { ...FIVE, quality: 0 });
    expect(bad.statusCode).toBe(400);
    expect((await get(token)).statusCode).toBe(200);
  });

  it('the public pages are rate-limited per address', async () => {
    const address = '10.9.9.9';
    const limit = t.config.ratingRateLimit;
    for (let i = 0; i < limit; i++) expect((await get('A'.repeat(43), address)).statusCode).toBe(404);
    const over = await get('A'.repeat(43), address);
    expect(over.statusCode).toBe(429);
    expect(over.json().code).toBe('RATE_LIMITED');
    // another address is not held back; the bucket refills with time
    expect((await get('A'.repeat(43), '10.9.9.10')).statusCode).toBe(404);
    t.clock.advance(60_000);
    expect((await get('A'.repeat(43), address)).statusCode).toBe(404);
  });

  it('R34: a poor rating from the link opens a follow-up for the 客服主管', async () => {
    const done = await finish();
    const { token } = await tokenOf(done.id);
    const res = await post(token, { overall: 2, speed: 2, attitude: 3, quality: 3, comment: '等了三天' });
    expect(res.statusCode).toBe(200);
    const sat = (await agent.get(`/api/v1/tickets/${done.id}/satisfaction`)).json();
    expect(sat.followups[0]).toMatchObject({
      reason: ['overall', 'speed'],
      status: 'open',
      rating: { source: 'link' },
    });
    const supervisor = await t.as('supervisor-a');
    const alerts = (await supervisor.get('/api/v1/me/alerts?limit=100')).json().items as {
      event: string;
      ticketId: string;
    }[];
    expect(alerts.some((a) => a.event === 'visit_followup' && a.ticketId === done.id)).toBe(true);
  });

  it('R33: under "skip if rated", a satisfied rating is the visit (its clock met); a poor one still needs the call', async () => {
    const manager = await t.as('manager-a');
    await manager.put('/api/v1/return-visit-policies', {
      policies: [{ kind: 'repair_public', mode: 'skip_if_rated', samplePercent: 100 }],
    });
    const place = {
      roomId: undefined,
      residentId: undefined,
      publicAreaId: t.world.publicAreaA.id,
      callerName: '王先生',
      callerPhone: '13700137000',
    };
    const happy = await finish(place);
    const poor = await finish(place);
    await post((await tokenOf(happy.id)).token, FIVE);
    await post((await tokenOf(poor.id)).token, { ...FIVE, overall: 1 });
    const visitOf = async (id: string) =>
      (await agent.get(`/api/v1/tickets/${id}/satisfaction`)).json().visits[0];
    expect(await visitOf(happy.id)).toMatchObject({
      status: 'closed',
      closeReason: 'rated',
      rating: { source: 'link', overall: 5 },
    });
    expect(await visitOf(poor.id)).toMatchObject({ status: 'open' });
    const clockOf = (id: string) =>
      db()
        .selectFrom('sla_clocks')
        .select('status')
        .where('ticket_id', '=', id)
        .where('target', '=', 'return_visit')
        .executeTakeFirstOrThrow();
    expect((await clockOf(happy.id)).status).toBe('met');
    expect((await clockOf(poor.id)).status).toBe('running');
    await manager.put('/api/v1/return-visit-policies', {
      policies: [{ kind: 'repair_public', mode: 'skip_if_rated', samplePercent: 30 }],
    });
  });

  it('a request completed again sends a new link; the old unused one expires', async () => {
    const done = await finish();
    const old = (await tokenOf(done.id)).token;
    await act(agent, done.id, 'reopen', { reason: '住户说还有问题' });
    await act(agent, done.id, 'dispatch', { teamId, assigneeId: techId });
    await act(tech, done.id, 'accept');
    await act(tech, done.id, 'arrive');
    t.clock.advance(HOUR);
    await act(tech, done.id, 'complete', { report: { cause: '阀门', work: '更换阀门' } });
    const fresh = (await tokenOf(done.id)).token;
    expect(fresh).not.toBe(old);
    expect((await get(old)).statusCode).toBe(410);
    expect((await get(fresh)).statusCode).toBe(200);
  });
});
