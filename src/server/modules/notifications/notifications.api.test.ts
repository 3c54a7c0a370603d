import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, PASSWORD, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { systemContext } from '../../platform/context.js';
import { notificationChannels } from './notifications.channels.js';
import { NotificationDispatcher } from './notifications.dispatcher.js';
import { NotificationsRepository } from './notifications.repository.js';
import { ResidentNotifier } from './notifications.service.js';

interface Message {
  id: string;
  event: string;
  channel: string;
  recipient: { name: string | null; phone: string | null; residentId: string | null };
  text: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  sentAt: string | null;
}

/** A worker 张三 (工号 1001) in a repair team of community A, and helpers to drive requests. */
async function setUp(t: TestApp) {
  const ctx = systemContext();
  const worker = await t.services.staff.create(ctx, {
    username: 'zhangsan',
    employeeNo: '1001',
    name: '张三',
    roles: ['technician'],
    communityIds: [t.world.communityA.id],
    password: PASSWORD,
  });
  await t.services.staffRepo.update(worker.id, { must_change_password: 0 });
  const team = await t.services.teams.create(ctx, {
    communityId: t.world.communityA.id,
    name: '维修组',
    kind: 'repair',
  });
  await t.services.teams.setMembers(ctx, team.id, { userIds: [worker.id] });
  const agent = await t.as('agent-a');
  const tech = await t.as('zhangsan');
  const newTicket = async (over: object = {}) => {
    const res = await agent.post('/api/v1/tickets', {
      communityId: t.world.communityA.id,
      roomId: t.world.roomA.id,
      residentId: t.world.residentA.id,
      type: 'repair',
      channel: 'phone',
      content: '厨房水管漏水',
      ...over,
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
  const outbox = async (id: string, client: Client = agent) => {
    const res = await client.get(`/api/v1/tickets/${id}/notifications`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as Message[];
  };
  /** Runs the dispatcher until nothing is due. */
  const drain = async (dispatcher = t.services.notificationDispatcher) => {
    let delivered = 0;
    for (;;) {
      const result = await dispatcher.runOnce();
      if (!result.claimed) return delivered;
      delivered += result.claimed;
    }
  };
  return { workerId: worker.id, teamId: team.id, agent, tech, newTicket, act, outbox, drain };
}

describe.each(dialects())('R14: the resident is told at every step, in-app (%s)', (dialect) => {
  let t: TestApp;
  let s: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    s = await setUp(t);
  });
  afterAll(async () => t?.close());

  it('R14: 受理 → 派单 → 接单 → 挂起 → 恢复 → 完成 → 关闭: one message per step, none for internal ones', async () => {
    const ticket = await s.newTicket();
    const [created] = await s.outbox(ticket.id);
    expect(created).toMatchObject({
      event: 'created',
      channel: 'in_app',
      status: 'queued',
      attempts: 0,
      recipient: { name: '王建国', phone: '138****8000', residentId: t.world.residentA.id },
    });
    expect(created!.text).toMatch(
      new RegExp(`^【物业】王先生，您好！您反映的“厨房水管漏水”已受理，工单号 ${ticket.number}。`),
    );
    expect(created!.text).toMatch(/——阳光花园客服中心$/);

    await s.act(s.agent, ticket.id, 'dispatch', { teamId: s.teamId, assigneeId: s.workerId });
    // an internal note is for the staff only; a reply is for the resident
    await s.agent.post(`/api/v1/tickets/${ticket.id}/notes`, {
      text: '住户脾气急，注意沟通',
      visibility: 'internal',
    });
    await s.agent.post(`/api/v1/tickets/${ticket.id}/notes`, {
      text: '师傅今天下午上门，请留人在家',
      visibility: 'resident',
    });
    await s.act(s.tech, ticket.id, 'accept');
    await s.act(s.tech, ticket.id, 'arrive');
    await s.act(s.tech, ticket.id, 'start');
    await s.act(s.tech, ticket.id, 'pend', {
      reason: '阀门缺货',
      nextStep: '到货后上门更换',
      eta: '2026-12-01T06:30:00.000Z',
    });
    await s.act(s.tech, ticket.id, 'resume');
    await s.act(s.tech, ticket.id, 'complete', { report: { cause: '接头老化', work: '更换接头并试压' } });
    await s.act(s.agent, ticket.id, 'close', { note: '回访满意' });

    const messages = await s.outbox(ticket.id);
    expect(messages.map((m) => m.event)).toEqual([
      'created',
      'dispatch',
      'reply',
      'accept',
      'pend',
      'resume',
      'complete',
      'close',
    ]);
    const text = Object.fromEntries(messages.map((m) => [m.event, m.text]));
    expect(text.dispatch).toContain('已安排维修师傅 张三（工号 1001）处理');
    expect(text.reply).toContain('师傅今天下午上门，请留人在家。');
    expect(text.accept).toContain('维修师傅 张三（工号 1001）已接单，正在前往');
    // R7: the reason, the next step and the ETA in the community's time (Asia/Shanghai)
    expect(text.pend).toContain('原因：阀门缺货；下一步：到货后上门更换；预计处理时间：12月1日 14:30');
    expect(text.complete).toContain('已处理完毕：更换接头并试压。请您确认处理结果');
    expect(text.close).toContain('已办结');
    expect(messages.map((m) => m.text).join()).not.toContain('脾气');
  });

  it('R14: a job in the team pool tells the team, then who grabbed it; cancel, reopen and answer tell the reason and reply', async () => {
    const pooled = await s.newTicket();
    await s.act(s.agent, pooled.id, 'dispatch', { teamId: s.teamId });
    const grabbed = await s.tech.post(`/api/v1/tickets/${pooled.id}/grab`, {});
    expect(grabbed.statusCode, grabbed.body).toBe(200);
    const pool = await s.outbox(pooled.id);
    expect(pool.map((m) => m.event)).toEqual(['created', 'dispatch', 'grab']);
    expect(pool[1]!.text).toContain('已转交维修组');
    expect(pool[2]!.text).toContain('张三（工号 1001）已接单，正在前往');

    const cancelled = await s.newTicket();
    await s.act(s.agent, cancelled.id, 'cancel', { reason: '住户已自行修好' });
    expect((await s.outbox(cancelled.id))[1]).toMatchObject({
      event: 'cancel',
      text: expect.stringContaining('已撤销，原因：住户已自行修好。'),
    });

    const inquiry = await s.newTicket({ type: 'inquiry', content: '物业费怎么交' });
    await s.act(s.agent, inquiry.id, 'answer', { reply: '可在服务中心或App缴纳' });
    await s.act(s.agent, inquiry.id, 'reopen', { reason: '住户追问发票' });
    const asked = await s.outbox(inquiry.id);
    expect(asked.map((m) => m.event)).toEqual(['created', 'answer', 'reopen']);
    expect(asked[1]!.text).toContain('关于您反映的“物业费怎么交”，答复如下：可在服务中心或App缴纳。');
  });

  it('R14: a message exists only if its step committed: a stale or refused step adds none', async () => {
    const ticket = await s.newTicket();
    const body = { version: ticket.version, teamId: s.teamId, assigneeId: s.workerId };
    expect((await s.agent.post(`/api/v1/tickets/${ticket.id}/dispatch`, body)).statusCode).toBe(200);
    // the version read before that dispatch: someone else changed the request meanwhile (R12)
    const stale = await s.agent.post(`/api/v1/tickets/${ticket.id}/dispatch`, {
      version: ticket.version,
      teamId: s.teamId,
    });
    expect(stale.statusCode).toBe(409);
    const refused = await s.agent.post(`/api/v1/tickets/${ticket.id}/close`, { version: ticket.version + 1 });
    expect(refused.statusCode).toBe(409);
    const invalid = await s.agent.post(`/api/v1/tickets/${ticket.id}/cancel`, {
      version: ticket.version + 1,
      reason: ' ',
    });
    expect(invalid.statusCode).toBe(400);
    expect((await s.outbox(ticket.id)).map((m) => m.event)).toEqual(['created', 'dispatch']);
  });

  it('R14: a caller as taken is told by name and phone; a patrol finding without a contact tells nobody', async () => {
    const walkIn = await s.newTicket({
      residentId: null,
      callerName: '赵女士',
      callerPhone: '13700137000',
      channel: 'walk_in',
    });
    const [message] = await s.outbox(walkIn.id);
    expect(message).toMatchObject({ recipient: { name: '赵女士', phone: '137****7000', residentId: null } });
    expect(message!.text).toContain('赵女士，您好！');
    const patrol = await s.newTicket({
      roomId: null,
      publicAreaId: t.world.publicAreaA.id,
      residentId: null,
      channel: 'patrol',
      content: '车库照明损坏',
    });
    expect(await s.outbox(patrol.id)).toEqual([]);
  });

  it('R14: in-app delivery marks every queued message sent, once, at the time of delivery', async () => {
    const ticket = await s.newTicket();
    t.clock.advance(1000);
    expect(await s.drain()).toBeGreaterThan(0);
    const [created] = await s.outbox(ticket.id);
    expect(created).toMatchObject({
      status: 'sent',
      attempts: 1,
      sentAt: t.clock.now().toISOString(),
      nextAttemptAt: null,
      lastError: null,
    });
    expect((await t.services.notificationDispatcher.runOnce()).claimed).toBe(0);
  });

  it("R14: another community's request answers 404; whoever sees it reads its messages", async () => {
    const res = await s.agent.get(`/api/v1/tickets/${t.world.ticketB.id}/notifications`);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
    const quality = await t.as('quality');
    const seen = await s.outbox(t.world.ticketB.id, quality);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ event: 'created', recipient: { name: '李秀英', phone: '139****9000' } });
  });

  it('R14: the background loop delivers on its own and, once stopped, delivers nothing more', async () => {
    const { db, dialect: name } = t.testDb.database;
    const loop = new NotificationDispatcher(
      new NotificationsRepository(db, name),
      notificationChannels(t.config).channels,
      t.clock,
      { intervalMs: 10 },
    );
    const first = await s.newTicket();
    loop.start();
    const statusOf = async (id: string) => (await s.outbox(id))[0]!.status;
    for (let i = 0; i < 100 && (await statusOf(first.id)) !== 'sent'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await statusOf(first.id)).toBe('sent');
    await loop.stop();
    const second = await s.newTicket();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await statusOf(second.id)).toBe('queued');
    await s.drain();
  });

  // last in this block: from here on the server delivers by itself
  it('R14: a listening server delivers the outbox by itself', async () => {
    const ticket = await s.newTicket();
    expect((await s.outbox(ticket.id))[0]!.status).toBe('queued');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    let status = 'queued';
    for (let i = 0; i < 100 && status !== 'sent'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await s.outbox(ticket.id))[0]!.status;
    }
    expect(status).toBe('sent');
  });
});

/** A gateway on a real local HTTP server that records what it receives and answers as told. */
function gateway() {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const state = { status: 200, delayMs: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      setTimeout(() => {
        res.writeHead(state.status, { 'content-type': 'application/json' });
        res.end(state.status < 300 ? '{"ok":true}' : '{"error":"gateway says no"}');
      }, state.delayMs);
    });
  });
  return {
    received,
    state,
    async listen() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const SECRET = 'gateway-shared-secret-2026';

describe.each(dialects())('R14: delivery through a webhook gateway (%s)', (dialect) => {
  let t: TestApp;
  let s: Awaited<ReturnType<typeof setUp>>;
  const hook = gateway();
  beforeAll(async () => {
    const url = await hook.listen();
    t = await createTestApp(dialect, { NOTIFY_WEBHOOK_URL: url, NOTIFY_WEBHOOK_SECRET: SECRET });
    s = await setUp(t);
    await s.drain(); // the world's own messages
    hook.received.length = 0;
  });
  afterAll(async () => {
    await t?.close();
    await hook.close();
  });

  it('R14: each message is POSTed as JSON with an HMAC-SHA256 signature over the body, then marked sent', async () => {
    hook.state.status = 200;
    const ticket = await s.newTicket();
    const [queued] = await s.outbox(ticket.id);
    expect(queued).toMatchObject({ channel: 'webhook', status: 'queued' });
    expect(await s.drain()).toBe(1);
    expect(hook.received).toHaveLength(1);
    const { headers, body } = hook.received[0]!;
    expect(headers['content-type']).toMatch(/^application\/json/);
    const expected = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    expect(headers['x-estatedesk-signature']).toBe(expected);
    expect(JSON.parse(body)).toEqual({
      id: queued!.id,
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      event: 'created',
      audience: 'resident',
      recipient: { name: '王建国', phone: '13800138000' },
      text: queued!.text,
      createdAt: t.clock.now().toISOString(),
    });
    expect((await s.outbox(ticket.id))[0]).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    hook.received.length = 0;
  });

  it('R14: a failing gateway is retried after 30 s, 2 min, 10 min, 1 h, 6 h, then the message fails; a supervisor retries it', async () => {
    hook.state.status = 503;
    const ticket = await s.newTicket();
    const waits = [30_000, 120_000, 600_000, 3_600_000, 21_600_000];
    for (let attempt = 1; attempt <= 6; attempt++) {
      expect((await t.services.notificationDispatcher.runOnce()).claimed, `attempt ${attempt}`).toBe(1);
      const [message] = await s.outbox(ticket.id);
      expect(message!.attempts).toBe(attempt);
      expect(message!.lastError).toContain('webhook answered 503');
      if (attempt < 6) {
        const wait = waits[attempt - 1]!;
        expect(message).toMatchObject({
          status: 'queued',
          nextAttemptAt: new Date(t.clock.now().getTime() + wait).toISOString(),
        });
        // not due before its time
        t.clock.advance(wait - 1);
        expect((await t.services.notificationDispatcher.runOnce()).claimed).toBe(0);
        t.clock.advance(1);
      } else {
        expect(message).toMatchObject({ status: 'failed', nextAttemptAt: null });
      }
    }
    expect(hook.received).toHaveLength(6);
    hook.received.length = 0;

    const [failed] = await s.outbox(ticket.id);
    const supervisor = await t.as('supervisor-a');
    const retried = await supervisor.post(`/api/v1/notifications/${failed!.id}/retry`, {});
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'queued', attempts: 0 });
    const audit = await t.testDb.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name'])
      .where('entity_id', '=', failed!.id)
      .execute();
    expect(audit).toEqual([{ action: 'notification.retry', actor_name: '测试supervisor-a' }]);
    hook.state.status = 200;
    expect(await s.drain()).toBe(1);
    expect((await s.outbox(ticket.id))[0]).toMatchObject({ status: 'sent', attempts: 1 });
    // only a failed message can be sent again
    const again = await supervisor.post(`/api/v1/notifications/${failed!.id}/retry`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('只有发送失败的通知才能重发');
    hook.received.length = 0;
  });

  it('R14: a gateway that refuses a message (4xx) makes it undeliverable at once, with its answer', async () => {
    hook.state.status = 422;
    const ticket = await s.newTicket();
    await s.drain();
    expect((await s.outbox(ticket.id))[0]).toMatchObject({
      status: 'undeliverable',
      attempts: 1,
      nextAttemptAt: null,
      lastError: 'webhook answered 422: {"error":"gateway says no"}',
    });
    hook.state.status = 200;
    hook.received.length = 0;
  });

  it('R14: a claim whose dispatcher died mid-send is taken over once its lease runs out', async () => {
    hook.state.status = 200;
    const ticket = await s.newTicket();
    const repo = new NotificationsRepository(t.testDb.database.db, t.testDb.database.dialect);
    const now = t.clock.now();
    // a dispatcher claims the message and vanishes
    const claimed = await repo.claimDue(
      now.toISOString(),
      new Date(now.getTime() + 120_000).toISOString(),
      10,
    );
    expect(claimed.map((c) => c.ticket_id)).toEqual([ticket.id]);
    expect((await s.outbox(ticket.id))[0]).toMatchObject({ status: 'sending', attempts: 1 });
    expect((await t.services.notificationDispatcher.runOnce()).claimed).toBe(0);
    t.clock.advance(120_000);
    expect((await t.services.notificationDispatcher.runOnce()).sent).toBe(1);
    expect((await s.outbox(ticket.id))[0]).toMatchObject({ status: 'sent', attempts: 2 });
    // the vanished dispatcher's late outcome changes nothing
    expect(
      await repo.settle(claimed[0]!.id, 1, { status: 'failed', next_attempt_at: null, last_error: 'late' }),
    ).toBe(false);
    expect((await s.outbox(ticket.id))[0]).toMatchObject({ status: 'sent', lastError: null });
    hook.received.length = 0;
  });

  it('R14: two dispatchers running at once deliver each of 50 messages exactly once', async () => {
    hook.state.status = 200;
    hook.state.delayMs = 5;
    await s.drain();
    hook.received.length = 0;
    const { db, dialect: name } = t.testDb.database;
    const repo = new NotificationsRepository(db, name);
    const notifier = new ResidentNotifier(repo, 'webhook');
    const ticket = await s.newTicket();
    await s.drain();
    hook.received.length = 0;
    for (let i = 0; i < 50; i++) {
      await db
        .transaction()
        .execute((trx) => notifier.onStep(trx, ticket.id, 'reply', {}, t.clock.now(), `第 ${i + 1} 条进展`));
    }
    // two servers: their own repositories (on PostgreSQL, their own pool connections) and channels
    const dispatchers = [0, 1].map(
      () =>
        new NotificationDispatcher(
          new NotificationsRepository(db, name),
          notificationChannels({ notifyWebhookUrl: t.config.notifyWebhookUrl, notifyWebhookSecret: SECRET })
            .channels,
          t.clock,
          { batchSize: 5 },
        ),
    );
    const batches: number[] = [];
    const counts = await Promise.all(
      dispatchers.map(async (d) => {
        let delivered = 0;
        for (let r = await d.runOnce(); r.claimed; r = await d.runOnce()) {
          batches.push(r.claimed);
          delivered += r.sent;
        }
        return delivered;
      }),
    );
    expect(counts[0]! + counts[1]!).toBe(50);
    expect(Math.max(...batches)).toBeLessThanOrEqual(5);
    if (dialect === 'postgres') expect(Math.min(...counts)).toBeGreaterThan(0);
    const ids = hook.received.map((r) => JSON.parse(r.body).id as string);
    expect(ids).toHaveLength(50);
    expect(new Set(ids).size).toBe(50);
    const messages = await s.outbox(ticket.id);
    expect(
      messages.filter((m) => m.event === 'reply').every((m) => m.status === 'sent' && m.attempts === 1),
    ).toBe(true);
    hook.state.delayMs = 0;
  });
});
