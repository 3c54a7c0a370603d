import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { systemContext } from '../../platform/context.js';
import type { ChangeEvent } from '../../platform/events.js';
import { CallsRepository } from './calls.repository.js';
import { CallsService } from './calls.service.js';

const SECRET = 'pbx-originate-secret-0123456789';

/** A stand-in PBX that takes originate requests (node:http, a real socket). */
function fakePbx() {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  let status = 200;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return {
    received,
    answer(code: number) {
      status = code;
    },
    async listen() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/originate`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(dialects())('call desk: telephony webhook, call log, screen pop (%s)', (dialect) => {
  let t: TestApp;
  let pbx: ReturnType<typeof fakePbx>;
  let token: string;
  let admin: Client;
  let agent: Client;
  let agentId: string;
  const heard: ChangeEvent[] = [];

  /** POSTs one PBX event as JSON with the telephony token. */
  const post = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.anonymous.request({
      method: 'POST',
      url: '/api/v1/cti/events',
      payload: body,
      headers: { authorization: `Bearer ${token}`, ...headers },
    });
  const callRow = (pbxCallId: string) =>
    t.testDb.database.db
      .selectFrom('calls')
      .selectAll()
      .where('pbx_call_id', '=', pbxCallId)
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    pbx = fakePbx();
    const url = await pbx.listen();
    t = await createTestApp(dialect, {
      CTI_ORIGINATE_URL: url,
      CTI_ORIGINATE_SECRET: SECRET,
      CTI_ANSWER_THRESHOLD_SECONDS: '15',
    });
    t.services.events.subscribe((e) => heard.push(e));
    admin = await t.as('admin-2');
    const created = await admin.post('/api/v1/api-tokens', {
      name: '呼叫中心 PBX',
      roles: ['telephony'],
      communityIds: [],
      allCommunities: true,
    });
    expect(created.statusCode).toBe(201);
    token = created.json().token;
    agent = await t.as('agent-a');
    agentId = (await agent.get('/api/v1/me')).json().id;
    expect((await agent.put('/api/v1/me/extension', { extension: '8001' })).json()).toEqual({
      extension: '8001',
      originate: true,
    });
  });
  afterAll(async () => {
    await t?.close();
    await pbx?.close();
  });

  it('accepts only a telephony token: no token 401, a staff session 403, a token of another role 403', async () => {
    const body = {
      event: 'newCall',
      callId: 'auth-1',
      from: '13800138000',
      to: '4008001234',
      direction: 'in',
    };
    expect((await t.anonymous.post('/api/v1/cti/events', body)).statusCode).toBe(401);
    const session = await agent.post('/api/v1/cti/events', body);
    expect(session.statusCode).toBe(403);
    expect(session.json().code).toBe('FORBIDDEN');
    const other = await admin.post('/api/v1/api-tokens', {
      name: 'report export',
      roles: ['admin'],
      communityIds: [],
      allCommunities: true,
    });
    const wrong = await post(body, { authorization: `Bearer ${other.json().token}` });
    expect(wrong.statusCode).toBe(403);
    // a telephony token opens nothing else
    const elsewhere = await t.anonymous.request({
      method: 'GET',
      url: '/api/v1/tickets',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(elsewhere.statusCode).toBe(403);
    expect(
      await t.testDb.database.db
        .selectFrom('calls')
        .select('id')
        .where('pbx_call_id', '=', 'auth-1')
        .execute(),
    ).toHaveLength(0);
  });

  it('a person can never be given the telephony role', async () => {
    const res = await admin.post('/api/v1/staff', {
      username: 'pbxperson',
      employeeNo: '7001',
      name: '假冒',
      roles: ['telephony'],
      communityIds: [],
      password: 'Passw0rd!x',
    });
    expect(res.statusCode).toBe(400);
  });

  it('R27: a ringing call pops on the console of the agent on duty, with the card and the R28 greeting', async () => {
    heard.length = 0;
    const res = await post({
      event: 'newCall',
      callId: 'pop-1',
      from: '+86 138 0013 8000',
      to: '4008001234',
      direction: 'in',
      queue: 'hotline',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ callId: 'pop-1', status: 'ringing', duplicate: false });
    const id = res.json().id as string;
    const ringing = heard.find((e) => e.type === 'call.ringing');
    expect(ringing).toMatchObject({ callId: id, communityId: t.world.communityA.id });
    // only the agents on duty for the caller's community (desk role + extension) are told
    expect(ringing && 'userIds' in ringing ? ringing.userIds : []).toEqual([agentId]);

    const pop = await agent.get(`/api/v1/calls/${id}`);
    expect(pop.statusCode).toBe(200);
    const body = pop.json();
    expect(body.known).toBe(true);
    expect(body.card.greeting).toBe('王先生');
    expect(body.card.resident.id).toBe(t.world.residentA.id);
    expect(body.call.number).toBe('138****8000'); // R4
    expect(body.script).toBe('您好！物业客户服务中心，工号100，请问有什么可以帮到您？');
    expect(body.holdPromptSeconds).toBe(20);
    // a user of another community does not see the call of community A's resident
    expect(heard.filter((e) => e.type === 'call.ringing')).toHaveLength(1);
  });

  it('R27: an unknown number pops to every desk agent on duty, flagged unknown', async () => {
    heard.length = 0;
    const res = await post({ event: 'newCall', callId: 'unknown-1', from: '13700001111', to: '4008001234' });
    const pop = (await agent.get(`/api/v1/calls/${res.json().id}`)).json();
    expect(pop.known).toBe(false);
    expect(pop.card).toBeNull();
    expect(pop.call.resident).toBeNull();
    const reveal = await agent.post(`/api/v1/calls/${res.json().id}/reveal-phone`);
    expect(reveal.json()).toEqual({ number: '13700001111' });
    const audit = await t.testDb.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', res.json().id)
      .execute();
    expect(audit.map((a) => a.action)).toContain('call.number_revealed');
  });

  it('accepts Zammad-style form-encoded events (user[], answeringNumber), and the token in ?token=', async () => {
    const form = (fields: [string, string][]) =>
      t.anonymous.request({
        method: 'POST',
        url: '/api/v1/cti/events',
        payload: new URLSearchParams(fields).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}` },
      });
    const base: [string, string][] = [
      ['from', '13800138000'],
      ['to', '4008001234'],
      ['direction', 'in'],
      ['callId', 'zammad-1'],
    ];
    expect((await form([['event', 'newCall'], ...base, ['user[]', '测试agent-a']])).statusCode).toBe(200);
    t.clock.advance(9_000);
    const answered = await form([
      ['event', 'answer'],
      ...base,
      ['user', '测试agent-a'],
      ['answeringNumber', '8001'],
    ]);
    expect(answered.json()).toMatchObject({ status: 'answered' });
    t.clock.advance(65_000);
    const byQuery = await t.anonymous.request({
      method: 'POST',
      url: `/api/v1/cti/events?token=${encodeURIComponent(token)}`,
      payload: new URLSearchParams([['event', 'hangup'], ...base, ['cause', 'normalClearing']]).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(byQuery.statusCode).toBe(200);
    const row = await callRow('zammad-1');
    expect(row).toMatchObject({
      status: 'ended',
      outcome: 'answered',
      agent_user_id: agentId,
      extension: '8001',
      resident_id: t.world.residentA.id,
      ring_seconds: 9,
      talk_seconds: 65,
    });
    // a bad token in the query is refused like a bad header
    const bad = await t.anonymous.request({
      method: 'POST',
      url: '/api/v1/cti/events?token=edt_nope',
      payload: { event: 'newCall', callId: 'x' },
    });
    expect(bad.statusCode).toBe(401);
    // the query token is for the webhook only
    const elsewhere = await t.anonymous.get(`/api/v1/calls?token=${encodeURIComponent(token)}`);
    expect(elsewhere.statusCode).toBe(401);
  });

  it('accepts multipart form-data as curl --form sends it', async () => {
    const form = new FormData();
    for (const [k, v] of [
      ['event', 'newCall'],
      ['from', '13900139000'],
      ['to', '4008001234'],
      ['direction', 'in'],
      ['callId', 'multipart-1'],
    ])
      form.append(k!, v!);
    const request = new Request('http://x/', { method: 'POST', body: form });
    const res = await t.anonymous.request({
      method: 'POST',
      url: '/api/v1/cti/events',
      payload: Buffer.from(await request.arrayBuffer()),
      headers: { 'content-type': request.headers.get('content-type')!, authorization: `Bearer ${token}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await callRow('multipart-1')).resident_id).toBe(t.world.residentB.id);
  });

  it('refuses a bad event with a translated error and stores nothing', async () => {
    const res = await post({ event: 'ringing-ish', callId: '', direction: 'sideways' });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .details.map((d: { field: string }) => d.field)
        .sort(),
    ).toEqual(['callId', 'direction', 'event']);
    const en = await post({ event: 'x', callId: 'y' }, { 'accept-language': 'en' });
    expect(en.json().details[0].message).toBe('"event" must be newCall, answer or hangup');
  });

  it('a repeated event changes nothing (duplicates)', async () => {
    const ring = {
      event: 'newCall',
      callId: 'dup-1',
      from: '13800138000',
      to: '4008001234',
      direction: 'in',
    };
    const first = await post(ring);
    t.clock.advance(5_000);
    const again = await post(ring);
    expect(again.json()).toMatchObject({ id: first.json().id, duplicate: true });
    await post({ ...ring, event: 'answer', answeringNumber: '8001' });
    t.clock.advance(30_000);
    await post({ ...ring, event: 'hangup', cause: 'normalClearing' });
    const before = await callRow('dup-1');
    t.clock.advance(5_000);
    for (const event of ['newCall', 'answer', 'hangup']) {
      const res = await post({ ...ring, event, cause: 'cancel' });
      expect(res.json().duplicate).toBe(true);
    }
    expect(await callRow('dup-1')).toEqual(before);
    const events = await t.testDb.database.db
      .selectFrom('call_events')
      .select('event')
      .where('call_id', '=', before.id)
      .execute();
    expect(events).toHaveLength(3);
  });

  it('events in any order converge to the same call (all permutations, PBX timestamps)', async () => {
    const at = (s: number) => new Date(t.clock.now().getTime() - 60_000 + s * 1000).toISOString();
    const events = [
      { event: 'newCall', timestamp: at(0) },
      { event: 'answer', answeringNumber: '8001', timestamp: at(12) },
      { event: 'hangup', cause: 'normalClearing', timestamp: at(100) },
    ];
    const orders = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    const finals = [];
    for (const [n, order] of orders.entries()) {
      const callId = `perm-${n}`;
      for (const i of order)
        await post({ ...events[i]!, callId, from: '13800138000', to: '4008001234', direction: 'in' });
      const { id, pbx_call_id, created_at, updated_at, missed_handled_at, ...rest } = await callRow(callId);
      finals.push(rest);
    }
    for (const f of finals) expect(f).toEqual(finals[0]);
    expect(finals[0]).toMatchObject({
      status: 'ended',
      outcome: 'answered',
      ring_seconds: 12,
      talk_seconds: 88,
      agent_user_id: agentId,
    });
  });

  it('without PBX timestamps, a hangup before the answer still ends answered (normalClearing)', async () => {
    const base = { callId: 'late-answer', from: '13800138000', to: '4008001234', direction: 'in' };
    await post({ ...base, event: 'hangup', cause: 'normalClearing', answeringNumber: '8001' });
    expect((await callRow('late-answer')).outcome).toBe('answered');
    await post({ ...base, event: 'answer', answeringNumber: '8001' });
    await post({ ...base, event: 'newCall' });
    expect(await callRow('late-answer')).toMatchObject({
      status: 'ended',
      outcome: 'answered',
      agent_user_id: agentId,
    });
  });

  it('R30: an unanswered inbound call reaches the missed-call sink exactly once, whatever the order', async () => {
    const seen: string[] = [];
    // the app wires the callbacks' sink; here the same service over the same database, with a
    // sink that records what it is handed inside the transaction
    const db = t.testDb.database.db;
    const service = new CallsService(
      db,
      new CallsRepository(db, t.testDb.database.dialect),
      t.services.residents,
      t.services.tickets,
      t.services.company,
      t.services.staff,
      t.services.events,
      t.clock,
      { answerThresholdSeconds: 15, originateUrl: null, originateSecret: null },
      {
        async onMissedCall(trx, call) {
          // inside the transaction: the call's row is there, ended
          const row = await trx
            .selectFrom('calls')
            .select('status')
            .where('id', '=', call.callId)
            .executeTakeFirst();
          seen.push(`${call.callId}:${call.phone}:${call.residentId}:${row?.status}`);
        },
      },
    );
    const ctx = systemContext();
    const base = { callId: 'missed-1', from: '13800138000', to: '4008001234', direction: 'in' };
    await service.ingest(ctx, { ...base, event: 'hangup', cause: 'cancel' });
    await service.ingest(ctx, { ...base, event: 'newCall' });
    await service.ingest(ctx, { ...base, event: 'hangup', cause: 'cancel' });
    await service.ingest(ctx, { ...base, event: 'newCall' });
    const row = await callRow('missed-1');
    expect(row).toMatchObject({ status: 'ended', outcome: 'abandoned' });
    expect(seen).toEqual([`${row.id}:13800138000:${t.world.residentA.id}:ended`]);
    // an outbound call nobody answered is no missed call
    const out = { callId: 'out-1', from: '8001', to: '13900139000', direction: 'out' };
    await service.ingest(ctx, { ...out, event: 'newCall' });
    await service.ingest(ctx, { ...out, event: 'hangup', cause: 'busy' });
    expect(await callRow('out-1')).toMatchObject({ outcome: 'busy', agent_user_id: agentId });
    // nor is an answered one
    const answered = { callId: 'answered-1', from: '13800138000', to: '4008001234', direction: 'in' };
    await service.ingest(ctx, { ...answered, event: 'newCall' });
    await service.ingest(ctx, { ...answered, event: 'hangup', cause: 'normalClearing' });
    expect(seen).toHaveLength(1);
  });

  it('the call log: mine, with ring-to-answer and talk seconds; a request linked in one click (audited)', async () => {
    const mine = await agent.get('/api/v1/calls?mine=true&limit=200');
    expect(mine.statusCode).toBe(200);
    const zammad = mine.json().items.find((c: { pbxCallId: string }) => c.pbxCallId === 'zammad-1');
    expect(zammad).toMatchObject({
      direction: 'in',
      outcome: 'answered',
      ringSeconds: 9,
      talkSeconds: 65,
      withinThreshold: true,
      agent: { id: agentId, employeeNo: '100' },
      resident: { id: t.world.residentA.id, greeting: '王先生' },
      number: '138****8000',
    });
    const { ticket } = await t.services.tickets.create(systemContext(), {
      communityId: t.world.communityA.id,
      roomId: t.world.roomA.id,
      residentId: t.world.residentA.id,
      type: 'repair',
      channel: 'phone',
      content: '卫生间漏水',
    });
    const linked = await agent.post(`/api/v1/calls/${zammad.id}/tickets`, { ticketId: ticket.id });
    expect(linked.statusCode).toBe(200);
    expect(linked.json().tickets).toEqual([
      { id: ticket.id, number: ticket.number, type: 'repair', status: ticket.status },
    ]);
    // twice is once
    expect(
      (await agent.post(`/api/v1/calls/${zammad.id}/tickets`, { ticketId: ticket.id })).json().tickets,
    ).toHaveLength(1);
    // community B's request is not there for agent-a
    const other = await agent.post(`/api/v1/calls/${zammad.id}/tickets`, { ticketId: t.world.ticketB.id });
    expect(other.statusCode).toBe(400);
    expect(other.json().details[0]).toMatchObject({ field: 'ticketId' });
    const audit = await t.testDb.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', zammad.id)
      .execute();
    expect(audit.filter((a) => a.action === 'call.ticket_linked')).toHaveLength(1);
    // live calls: ringing or in progress only
    const live = (await agent.get('/api/v1/calls?live=true')).json().items as { status: string }[];
    expect(live.length).toBeGreaterThan(0);
    for (const c of live) expect(['ringing', 'answered']).toContain(c.status);
  });

  it('answered within three rings: the rate per agent and per hour (threshold 15 s)', async () => {
    // a fresh day for clean numbers
    t.clock.set('2026-12-02T01:00:00.000Z'); // 09:00 in Shanghai
    const ring = async (callId: string, answerAfter: number | null, agentExt = '8001') => {
      const base = { callId, from: '13800138000', to: '4008001234', direction: 'in' };
      await post({ ...base, event: 'newCall' });
      if (answerAfter !== null) {
        t.clock.advance(answerAfter * 1000);
        await post({ ...base, event: 'answer', answeringNumber: agentExt });
        t.clock.advance(30_000);
        await post({ ...base, event: 'hangup', cause: 'normalClearing' });
      } else {
        t.clock.advance(40_000);
        await post({ ...base, event: 'hangup', cause: 'cancel' });
      }
    };
    await ring('s-1', 5);
    await ring('s-2', 15);
    await ring('s-3', 16);
    t.clock.set('2026-12-02T02:10:00.000Z'); // 10:10
    await ring('s-4', null);
    // two days on, the sessions went idle: sign in again
    agent = await t.as('agent-a');
    admin = await t.as('admin-2');
    const stats = await agent.get(
      '/api/v1/calls/stats?from=2026-12-01T16:00:00.000Z&to=2026-12-02T16:00:00.000Z',
    );
    expect(stats.statusCode).toBe(200);
    const s = stats.json();
    expect(s.thresholdSeconds).toBe(15);
    expect(s.overall).toMatchObject({ offered: 4, answered: 3, answeredWithin: 2, rate: 0.5 });
    expect(s.byAgent).toEqual([
      expect.objectContaining({
        agentUserId: agentId,
        answered: 3,
        answeredWithin: 2,
        rate: 0.667,
        averageRingSeconds: 12,
      }),
    ]);
    expect(s.byHour).toEqual([
      expect.objectContaining({ hour: '2026-12-02 09', offered: 3, answeredWithin: 2, rate: 0.667 }),
      expect.objectContaining({ hour: '2026-12-02 10', offered: 1, answeredWithin: 0, rate: 0 }),
    ]);
    // today by default (the company's day)
    expect((await agent.get('/api/v1/calls/stats')).json().overall.offered).toBe(4);
    const bad = await agent.get(
      '/api/v1/calls/stats?from=2026-12-02T00:00:00.000Z&to=2026-11-01T00:00:00.000Z',
    );
    expect(bad.statusCode).toBe(400);
  });

  it('an extension belongs to one active person', async () => {
    const other = await t.as('supervisor-a');
    const taken = await other.put('/api/v1/me/extension', { extension: '8001' });
    expect(taken.statusCode).toBe(400);
    expect(taken.json().details[0]).toMatchObject({ field: 'extension' });
    expect(taken.json().details[0].message).toContain('测试agent-a');
    const bad = await other.put('/api/v1/me/extension', { extension: '80 01' });
    expect(bad.statusCode).toBe(400);
    // the admin sets it through the staff module
    const staff = (await admin.get('/api/v1/staff?q=supervisor-a')).json().items[0];
    const set = await admin.patch(`/api/v1/staff/${staff.id}`, { extension: '8002' });
    expect(set.statusCode).toBe(200);
    expect(set.json().extension).toBe('8002');
    expect((await other.get('/api/v1/me/extension')).json().extension).toBe('8002');
  });

  it('click to call: a signed POST to the PBX from my extension; translated errors without one', async () => {
    pbx.received.length = 0;
    const res = await agent.post('/api/v1/calls/originate', { number: '138-0013-8000' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ extension: '8001', number: '138****8000' });
    const [sent] = pbx.received;
    const body = JSON.parse(sent!.body);
    expect(body).toMatchObject({
      extension: '8001',
      number: '13800138000',
      requestedBy: { id: agentId, employeeNo: '100' },
    });
    expect(sent!.headers['x-estatedesk-signature']).toBe(
      `sha256=${createHmac('sha256', SECRET).update(sent!.body).digest('hex')}`,
    );
    // call back the other party of a call, without seeing the number
    const call = await callRow('unknown-1');
    expect((await agent.post('/api/v1/calls/originate', { callId: call.id })).statusCode).toBe(202);
    expect(JSON.parse(pbx.received[1]!.body).number).toBe('13700001111');

    const manager = await t.as('manager-a');
    const none = await manager.post('/api/v1/calls/originate', { number: '13800138000' });
    expect(none.statusCode).toBe(409);
    expect(none.json().message).toBe('您还没有设置分机号，请先在「来电」页设置');
    expect((await agent.post('/api/v1/calls/originate', { number: 'abc' })).statusCode).toBe(400);
    pbx.answer(500);
    const failed = await agent.post('/api/v1/calls/originate', { number: '13800138000' });
    expect(failed.statusCode).toBe(502);
    expect(failed.json().code).toBe('PBX_UNAVAILABLE');
    pbx.answer(200);
  });
});

describe.each(dialects())('click to call when not configured (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('answers 409 with a translated message', async () => {
    const agent = await t.as('agent-a');
    await agent.put('/api/v1/me/extension', { extension: '8001' });
    expect((await agent.get('/api/v1/me/extension')).json()).toEqual({ extension: '8001', originate: false });
    const res = await agent.request({
      method: 'POST',
      url: '/api/v1/calls/originate',
      payload: { number: '13800138000' },
      headers: { 'accept-language': 'zh-TW' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toBe('未設定外撥（CTI_ORIGINATE_URL），請聯絡管理員');
  });
});
