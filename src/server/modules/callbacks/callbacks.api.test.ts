import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { systemContext } from '../../platform/context.js';
import type { MissedCall } from './callbacks.service.js';

const MIN = 60_000;
/** Monday 2026-11-30 11:00 in Shanghai: two business hours run to 14:30, across the lunch break. */
const MONDAY_1100 = '2026-11-30T03:00:00.000Z';

interface Callback {
  id: string;
  kind: string;
  status: string;
  version: number;
  dueAt: string | null;
  warnAt: string | null;
  breachedAt: string | null;
  respondedAt: string | null;
  nextAttemptAt: string | null;
  attempts: number;
  misses: number;
  outcome: string | null;
  phone: string;
  room: string | null;
  forUser: { id: string } | null;
  forTeam: { id: string } | null;
  calls?: { callId: string }[];
  attemptLog?: { outcome: string; user: { id: string } }[];
}

interface Alert {
  id: string;
  ticketId: string | null;
  callbackId: string | null;
  event: string;
  text: string;
}

describe.each(dialects())('callbacks and messages, R30 (%s)', (dialect) => {
  let t: TestApp;
  let agent: Client;
  let tech: Client;
  let techId: string;
  let teamId: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    techId = (await t.services.staffRepo.findByLogin('technician-a'))!.id;
    const team = await t.services.teams.create(systemContext(), {
      communityId: t.world.communityA.id,
      name: '维修组',
      kind: 'repair',
      userIds: [techId],
      leaderUserId: techId,
    });
    teamId = team.id;
    agent = await t.as('agent-a');
    tech = await t.as('technician-a');
  });
  afterAll(async () => t?.close());
  beforeEach(() => {
    t.clock.set(MONDAY_1100);
  });

  const db = () => t.testDb.database.db;
  const message = (over: Record<string, unknown> = {}) => ({
    communityId: t.world.communityA.id,
    callerName: '王先生',
    phone: '138 0013 8000',
    roomId: t.world.roomA.id,
    content: '家里卫生间漏水，想请李师傅下午回个电话约上门时间',
    forUserId: techId,
    readBack: true,
    ...over,
  });
  const take = async (over: Record<string, unknown> = {}) => {
    const res = await agent.post('/api/v1/callbacks/messages', message(over));
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Callback;
  };
  const alertsOf = async (client: Client) => {
    const res = await client.get('/api/v1/me/alerts?limit=100');
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { unread: number; items: Alert[] };
  };
  const missed = (call: Partial<MissedCall> & { callId: string }) =>
    db()
      .transaction()
      .execute((trx) =>
        t.services.callbacks.onMissedCall(trx, {
          phone: '13700137000',
          communityId: t.world.communityA.id,
          residentId: null,
          queue: null,
          at: t.clock.now(),
          ...call,
        }),
      );
  const drain = async (now: Date) => {
    const total = { warned: 0, breached: 0 };
    for (;;) {
      const r = await t.services.callbackScheduler.runOnce(now);
      total.warned += r.warned;
      total.breached += r.breached;
      if (r.claimed === 0) return total;
    }
  };

  it('R30 [002]: a message is not saved until it was read back to the caller', async () => {
    const before = await db().selectFrom('callbacks').select('id').execute();
    const res = await agent.post('/api/v1/callbacks/messages', message({ readBack: false }));
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([
      { field: 'readBack', message: '请先向来电人复述留言内容并得到确认，再保存留言' },
    ]);
    const en = await agent.request({
      method: 'POST',
      url: '/api/v1/callbacks/messages',
      payload: message({ readBack: false }),
      headers: { 'accept-language': 'en' },
    });
    expect(en.statusCode).toBe(400);
    expect((await db().selectFrom('callbacks').select('id').execute()).length).toBe(before.length);
  });

  it('R30: bad input gets a translated error and saves nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ phone: '12' }, 'phone'],
      [{ forUserId: null }, 'forUserId'],
      [{ forTeamId: teamId }, 'forUserId'],
      [{ forUserId: 'nobody' }, 'forUserId'],
      [{ roomId: t.world.roomB.id }, 'roomId'],
    ];
    const before = (await db().selectFrom('callbacks').select('id').execute()).length;
    for (const [over, field] of cases) {
      const res = await agent.post('/api/v1/callbacks/messages', message(over));
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
    }
    // community B is not agent-a's: as if it did not exist
    const out = await agent.post(
      '/api/v1/callbacks/messages',
      message({ communityId: t.world.communityB.id }),
    );
    expect(out.statusCode).toBe(400);
    expect((await db().selectFrom('callbacks').select('id').execute()).length).toBe(before);
  });

  it('R30: a message becomes the colleague’s callback due 2 business hours later (across lunch), and alerts them at once', async () => {
    const cb = await take();
    expect(cb).toMatchObject({
      kind: 'message',
      status: 'open',
      phone: '13800138000',
      room: t.world.roomA.label,
    });
    expect(cb.forUser?.id).toBe(techId);
    // 11:00 + 1 h to lunch + 1 h from 13:30 → 14:30 Shanghai
    expect(cb.dueAt).toBe('2026-11-30T06:30:00.000Z');
    // 80% of 120 min = 96 min: 11:00 + 60 + 36 → 14:06
    expect(cb.warnAt).toBe('2026-11-30T06:06:00.000Z');
    const alerts = await alertsOf(tech);
    const alert = alerts.items.find((a) => a.callbackId === cb.id)!;
    expect(alert).toMatchObject({ ticketId: null, event: 'callback_message' });
    expect(alert.text).toBe(
      `【留言】王先生（${t.world.roomA.label}，138****8000）来电留言：家里卫生间漏水，想请李师傅下午回个电话约上门时间，请在 14:30 前回电`,
    );
    // in their queue
    const mine = await tech.get('/api/v1/callbacks?view=mine');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().items.map((c: Callback) => c.id)).toContain(cb.id);
    // recorded
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', cb.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['callback.message']);
  });

  it('R30: attempts follow the retry schedule; done only when reached; versions guard every change', async () => {
    const cb = await take();
    const noAnswer = await tech.post(`/api/v1/callbacks/${cb.id}/attempts`, {
      version: cb.version,
      outcome: 'no_answer',
    });
    expect(noAnswer.statusCode, noAnswer.body).toBe(200);
    const a1 = noAnswer.json() as Callback;
    expect(a1).toMatchObject({ status: 'open', attempts: 1, outcome: 'no_answer' });
    expect(a1.nextAttemptAt).toBe(new Date(t.clock.now().getTime() + 10 * MIN).toISOString());
    // the first attempt keeps the promise: the clock stops
    expect(a1.respondedAt).toBe(t.clock.now().toISOString());
    // a stale version is refused
    const stale = await tech.post(`/api/v1/callbacks/${cb.id}/attempts`, {
      version: cb.version,
      outcome: 'busy',
    });
    expect(stale.statusCode).toBe(409);
    t.clock.advance(10 * MIN);
    const busy = (
      await tech.post(`/api/v1/callbacks/${cb.id}/attempts`, { version: a1.version, outcome: 'busy' })
    ).json() as Callback;
    expect(busy.nextAttemptAt).toBe(new Date(t.clock.now().getTime() + 30 * MIN).toISOString());
    // a wrong number alone leaves a promise nobody can keep
    const wrong = await tech.post(`/api/v1/callbacks/${cb.id}/attempts`, {
      version: busy.version,
      outcome: 'wrong_number',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().details[0].field).toBe('correctedPhone');
    const fixed = (
      await tech.post(`/api/v1/callbacks/${cb.id}/attempts`, {
        version: busy.version,
        outcome: 'wrong_number',
        correctedPhone: '13800138001',
      })
    ).json() as Callback;
    expect(fixed).toMatchObject({ status: 'open', phone: '13800138001' });
    const reached = await tech.post(`/api/v1/callbacks/${cb.id}/attempts`, {
      version: fixed.version,
      outcome: 'reached',
      note: '约好明天上午上门',
    });
    expect(reached.statusCode, reached.body).toBe(200);
    const done = reached.json() as Callback;
    expect(done).toMatchObject({ status: 'done', attempts: 4, nextAttemptAt: null });
    expect(done.attemptLog!.map((a) => a.outcome)).toEqual(['no_answer', 'busy', 'wrong_number', 'reached']);
    // nothing more on a done callback
    const again = await tech.post(`/api/v1/callbacks/${cb.id}/close`, {
      version: done.version,
      reason: '重复',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('已回电');
  });

  it('R30: closed only with a reason', async () => {
    const cb = await take({ forUserId: null, forTeamId: teamId });
    const blank = await agent.post(`/api/v1/callbacks/${cb.id}/close`, { version: cb.version, reason: ' ' });
    expect(blank.statusCode).toBe(400);
    const closed = await agent.post(`/api/v1/callbacks/${cb.id}/close`, {
      version: cb.version,
      reason: '业主已再次来电，问题已解决',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', closeReason: '业主已再次来电，问题已解决' });
  });

  it('R30: a missed call makes exactly one callback; several misses from one number merge; a call counts once', async () => {
    t.clock.set('2026-11-30T02:00:00.000Z'); // 10:00
    await missed({ callId: 'pbx-1' });
    t.clock.advance(5 * MIN);
    await missed({ callId: 'pbx-2', phone: '137-0013-7000' });
    await missed({ callId: 'pbx-2' }); // the telephony told us twice
    const rows = await db().selectFrom('callbacks').selectAll().where('phone', '=', '13700137000').execute();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ kind: 'missed_call', status: 'open', misses: 2 });
    // the first miss started the promise: 10:00 + 30 business minutes
    expect(row.due_at).toBe('2026-11-30T02:30:00.000Z');
    const detail = (await agent.get(`/api/v1/callbacks/${row.id}`)).json() as Callback;
    expect(detail.calls!.map((c) => c.callId)).toEqual(['pbx-1', 'pbx-2']);
    // in the desk's list, alerting nobody individually
    const desk = (await agent.get('/api/v1/callbacks?view=desk')).json().items as Callback[];
    expect(desk.map((c) => c.id)).toContain(row.id);
    const alerts = await db()
      .selectFrom('notifications')
      .select('id')
      .where('callback_id', '=', row.id)
      .execute();
    expect(alerts).toEqual([]);
  });

  it('R30 R26: an unhandled missed call breaches its promise once, and the 客服主管 hears of it', async () => {
    // whatever earlier tests left open fires first; then a miss on Tuesday 10:00
    await drain(new Date('2026-12-01T01:00:00.000Z'));
    t.clock.set('2026-12-01T02:00:00.000Z');
    await missed({ callId: 'pbx-breach', phone: '13600136000' });
    const row = await db()
      .selectFrom('callbacks')
      .selectAll()
      .where('phone', '=', '13600136000')
      .executeTakeFirstOrThrow();
    expect(await drain(new Date(Date.parse(row.warn_at!) - 1000))).toEqual({ warned: 0, breached: 0 });
    expect(await drain(new Date(row.warn_at!))).toEqual({ warned: 1, breached: 0 });
    expect(await drain(new Date(row.due_at!))).toEqual({ warned: 0, breached: 1 });
    expect(await drain(new Date(Date.parse(row.due_at!) + 60 * MIN))).toEqual({ warned: 0, breached: 0 });
    const after = await db()
      .selectFrom('callbacks')
      .selectAll()
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(after.breached_at).toBe(row.due_at);
    expect(after.status).toBe('open');
    const supervisor = await t.as('supervisor-a');
    const alerts = (await alertsOf(supervisor)).items.filter((a) => a.callbackId === row.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text).toContain('【回电超时】');
    expect(alerts[0]!.event).toBe('callback_breach');
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', row.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'callback.missed_call',
      'callback.sla_warn',
      'callback.sla_breach',
    ]);
  });

  it('R30: a callback attempted in time does not breach', async () => {
    t.clock.set('2026-11-30T02:00:00.000Z');
    await missed({ callId: 'pbx-kept', phone: '13500135000' });
    const row = await db()
      .selectFrom('callbacks')
      .selectAll()
      .where('phone', '=', '13500135000')
      .executeTakeFirstOrThrow();
    t.clock.advance(10 * MIN);
    const res = await agent.post(`/api/v1/callbacks/${row.id}/attempts`, {
      version: row.version,
      outcome: 'reached',
    });
    expect(res.statusCode, res.body).toBe(200);
    await drain(new Date(Date.parse(row.due_at!) + MIN));
    const after = await db()
      .selectFrom('callbacks')
      .selectAll()
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: 'done', breached_at: null, warned_at: null });
  });

  it.runIf(dialect === 'postgres')(
    'R30: two misses from one number committing at once still make one callback',
    async () => {
      const at = t.clock.now();
      await Promise.all(
        ['race-1', 'race-2', 'race-3'].map((callId) => missed({ callId, phone: '13300133000', at })),
      );
      const rows = await db()
        .selectFrom('callbacks')
        .selectAll()
        .where('phone', '=', '13300133000')
        .execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.misses).toBe(3);
    },
  );

  it('R61: community scoping, and colleagues see only what is for them', async () => {
    // a message in community B, taken by someone who may
    const b = await t.services.callbacks.takeMessage(systemContext(), {
      ...message({ communityId: t.world.communityB.id, roomId: t.world.roomB.id, forUserId: null }),
      forTeamId: null,
      forUserId: (await t.services.staffRepo.findByLogin('quality'))!.id,
    } as never);
    expect((await agent.get(`/api/v1/callbacks/${b.id}`)).statusCode).toBe(404);
    const all = (await agent.get('/api/v1/callbacks?status=any&limit=200')).json().items as Callback[];
    expect(all.some((c) => c.id === b.id)).toBe(false);
    const quality = await t.as('quality');
    expect((await quality.get(`/api/v1/callbacks/${b.id}`)).statusCode).toBe(200);
    // a message for the technician is theirs; one for someone else is not
    const forTech = await take();
    const forOther = await take({ forUserId: (await t.services.staffRepo.findByLogin('steward-a'))!.id });
    expect((await tech.get(`/api/v1/callbacks/${forTech.id}`)).statusCode).toBe(200);
    expect((await tech.get(`/api/v1/callbacks/${forOther.id}`)).statusCode).toBe(404);
    const cleaner = await t.as('cleaning-a');
    expect((await cleaner.get(`/api/v1/callbacks/${forTech.id}`)).statusCode).toBe(404);
    const theirs = (await tech.get('/api/v1/callbacks?status=any&limit=200')).json().items as Callback[];
    expect(theirs.every((c) => c.forUser?.id === techId || c.forTeam?.id === teamId)).toBe(true);
  });

  it('lists page by due time with a cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await agent.get(`/api/v1/callbacks?status=any&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { items: (Callback & { createdAt: string })[]; nextCursor: string | null };
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const count = await db()
      .selectFrom('callbacks')
      .select('id')
      .where('community_id', 'in', [t.world.communityA.id])
      .execute();
    expect(seen.length).toBeGreaterThanOrEqual(count.length);
  });

  it('§3: the callbacks’ promises are SLA policies, and never start a request’s clock', async () => {
    const admin = await t.as('admin-2');
    const policies = (await admin.get('/api/v1/sla/policies')).json() as {
      target: string;
      minutes: number;
      businessHours: boolean;
    }[];
    expect(policies.filter((p) => p.target === 'callback' || p.target === 'message_callback')).toEqual([
      expect.objectContaining({ target: 'callback', minutes: 30, businessHours: true }),
      expect.objectContaining({ target: 'message_callback', minutes: 120, businessHours: true }),
    ]);
    const res = await agent.post('/api/v1/tickets', {
      communityId: t.world.communityA.id,
      roomId: t.world.roomA.id,
      residentId: t.world.residentA.id,
      type: 'complaint',
      channel: 'phone',
      content: '楼上装修噪音',
    });
    expect(res.statusCode, res.body).toBe(201);
    const clocks = await db()
      .selectFrom('sla_clocks')
      .select('target')
      .where('ticket_id', '=', res.json().id)
      .execute();
    expect(clocks.length).toBeGreaterThan(0);
    expect(clocks.some((c) => c.target === 'callback' || c.target === 'message_callback')).toBe(false);
  });
});
