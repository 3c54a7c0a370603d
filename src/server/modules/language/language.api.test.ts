import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';

describe.each(dialects())('service language, §6 (%s)', (dialect) => {
  let t: TestApp;
  let agent: Client;
  let supervisor: Client;
  let admin: Client;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await t.as('agent-a');
    supervisor = await t.as('supervisor-a');
    admin = await t.as('admin');
  });
  afterAll(async () => t?.close());

  const db = () => t.testDb.database.db;
  const newTicket = async () => {
    const res = await agent.post('/api/v1/tickets', {
      communityId: t.world.communityA.id,
      roomId: t.world.roomA.id,
      residentId: t.world.residentA.id,
      type: 'inquiry',
      channel: 'phone',
      priority: 'normal',
      content: '物业费怎么交',
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; version: number };
  };
  const counts = async (ticketId: string) => ({
    events: (await db().selectFrom('ticket_events').select('id').where('ticket_id', '=', ticketId).execute())
      .length,
    outbox: (await db().selectFrom('notifications').select('id').where('ticket_id', '=', ticketId).execute())
      .length,
  });

  it('POST /language/check returns hits with original offsets, category and alternative', async () => {
    const text = '您好，这件事 我 不 知 道，你必须明天再来';
    const res = await agent.post('/api/v1/language/check', { text });
    expect(res.statusCode, res.body).toBe(200);
    const { hits } = res.json() as { hits: { start: number; end: number; severity: string }[] };
    expect(hits).toEqual([
      {
        start: 7,
        end: 14,
        phrase: '我不知道',
        category: '不负责的话',
        severity: 'forbidden',
        alternative: '请稍等，我帮您查一下',
      },
      expect.objectContaining({ severity: 'warning', phrase: '你必须…', category: '命令式' }),
    ]);
    expect(text.slice(hits[0]?.start, hits[0]?.end)).toBe('我 不 知 道');
    expect(text.slice(hits[1]?.start, hits[1]?.end)).toBe('你必须明天再来');
    const tw = await agent.post('/api/v1/language/check', { text: '這與我無關' });
    expect(tw.json().hits[0]).toMatchObject({ start: 1, end: 5, phrase: '与我无关' });
  });

  it('bad input to the checker and the library is refused with a translated 400', async () => {
    const long = await agent.post('/api/v1/language/check', { text: 'x'.repeat(5001) });
    expect(long.statusCode).toBe(400);
    expect(long.json().code).toBe('VALIDATION_FAILED');
    const missing = await agent.post('/api/v1/language/check', {}, { 'accept-language': 'en' });
    expect(missing.statusCode).toBe(400);
    const noAlt = await supervisor.post('/api/v1/language/phrases', {
      phrase: '找开发商去',
      category: '推诿',
      severity: 'forbidden',
    });
    expect(noAlt.statusCode).toBe(400);
    expect(noAlt.json().details[0]).toMatchObject({
      field: 'alternative',
      message: '禁用语须填写建议的替代说法',
    });
    const onlyPunct = await supervisor.post('/api/v1/language/phrases', {
      phrase: '，。！',
      category: '推诿',
      severity: 'warning',
    });
    expect(onlyPunct.statusCode).toBe(400);
    expect(onlyPunct.json().details[0].field).toBe('phrase');
    expect(
      (await agent.post('/api/v1/language/phrases', { phrase: 'x', category: 'y', severity: 'warning' }))
        .statusCode,
    ).toBe(403);
  });

  it('a reply with 我不知道 is refused (422, translated, nothing on the timeline, nothing queued)', async () => {
    const ticket = await newTicket();
    const before = await counts(ticket.id);
    const res = await agent.post(`/api/v1/tickets/${ticket.id}/notes`, {
      text: '这个我不知道',
      visibility: 'resident',
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'FORBIDDEN_PHRASE',
      details: [{ field: 'text', message: '「我不知道」是服务禁用语，建议改为：请稍等，我帮您查一下' }],
    });
    const en = await agent.post(
      `/api/v1/tickets/${ticket.id}/notes`,
      { text: '我不知道', visibility: 'resident' },
      { 'accept-language': 'en' },
    );
    expect(en.statusCode).toBe(422);
    expect(en.json().message).toMatch(/forbidden service phrase/);
    expect(await counts(ticket.id)).toEqual(before);
    // an internal note is not read by the resident: not checked
    const internal = await agent.post(`/api/v1/tickets/${ticket.id}/notes`, {
      text: '我不知道怎么处理，请主管看一下',
      visibility: 'internal',
    });
    expect(internal.statusCode).toBe(200);
  });

  it('with an override the reply is sent, recorded in language_overrides, the audit and the report', async () => {
    const ticket = await newTicket();
    const before = await counts(ticket.id);
    const short = await agent.post(`/api/v1/tickets/${ticket.id}/notes`, {
      text: '我不知道',
      visibility: 'resident',
      languageOverride: { reason: ' ' },
    });
    expect(short.statusCode).toBe(400);
    const res = await agent.post(`/api/v1/tickets/${ticket.id}/notes`, {
      text: '我不知道具体时间，已请工程部答复',
      visibility: 'resident',
      languageOverride: { reason: '住户要求如实告知' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = await counts(ticket.id);
    expect(after.events).toBe(before.events + 1);
    expect(after.outbox).toBe(before.outbox + 1);
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'language.override')
      .where('changes', 'like', `%${ticket.id}%`)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.community_id).toBe(t.world.communityA.id);
    const report = await supervisor.get('/api/v1/language/overrides');
    expect(report.statusCode).toBe(200);
    const item = (report.json().items as { entityId: string }[]).find((i) => i.entityId === ticket.id);
    expect(item).toMatchObject({
      entityType: 'ticket',
      field: 'text',
      text: '我不知道具体时间，已请工程部答复',
      phrases: ['我不知道'],
      reason: '住户要求如实告知',
      communityId: t.world.communityA.id,
      user: { name: expect.any(String) },
    });
    expect((await agent.get('/api/v1/language/overrides')).statusCode).toBe(403);
    const filtered = await supervisor.get(`/api/v1/language/overrides?communityId=${t.world.communityB.id}`);
    expect(filtered.json().items).toEqual([]);
  });

  it('the answer, cancel and pend texts told to the resident pass the same gate; warnings never block', async () => {
    const ticket = await newTicket();
    const refused = await agent.post(`/api/v1/tickets/${ticket.id}/answer`, {
      version: ticket.version,
      reply: '與我無關，你找開發商',
    });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().details[0].field).toBe('reply');
    const warned = await agent.post(`/api/v1/tickets/${ticket.id}/answer`, {
      version: ticket.version,
      reply: '你必须在月底前缴纳，可在服务中心或App缴纳',
    });
    expect(warned.statusCode, warned.body).toBe(200);
    const other = await newTicket();
    const cancel = await agent.post(`/api/v1/tickets/${other.id}/cancel`, {
      version: other.version,
      reason: '不可能',
    });
    expect(cancel.statusCode).toBe(422);
    expect(cancel.json().details[0].field).toBe('reason');
  });

  it('library CRUD is audited; a disabled phrase no longer blocks; built-ins cannot be deleted', async () => {
    const list = await agent.get('/api/v1/language/phrases');
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { id: string; phrase: string; version: number; builtIn: boolean }[];
    expect(items.filter((i) => i.builtIn).length).toBeGreaterThan(150);
    const busy = items.find((i) => i.phrase === '我没空');
    expect(busy).toMatchObject({ severity: 'forbidden', builtIn: true, enabled: true, phraseTw: '我沒空' });

    const ticket = await newTicket();
    const blocked = await agent.post(`/api/v1/tickets/${ticket.id}/notes`, {
      text: '我没空',
      visibility: 'resident',
    });
    expect(blocked.statusCode).toBe(422);
    const disabled = await supervisor.patch(`/api/v1/language/phrases/${busy?.id}`, {
      version: busy?.version,
      enabled: false,
    });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json()).toMatchObject({ enabled: false, version: (busy?.version ?? 0) + 1 });
    const stale = await supervisor.patch(`/api/v1/language/phrases/${busy?.id}`, {
      version: busy?.version,
      enabled: true,
    });
    expect(stale.statusCode).toBe(409);
    const sent = await agent.post(`/api/v1/tickets/${ticket.id}/notes`, {
      text: '我没空',
      visibility: 'resident',
    });
    expect(sent.statusCode).toBe(200);

    const created = await admin.post('/api/v1/language/phrases', {
      phrase: '找开发商去',
      category: '推诿',
      severity: 'forbidden',
      alternative: '我们来联系开发商，稍后答复您',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ builtIn: false, enabled: true, script: 'zh-CN' });
    const check = await agent.post('/api/v1/language/check', { text: '你找開發商去吧' });
    expect(check.json().hits[0]).toMatchObject({ phrase: '找开发商去', start: 1, end: 6 });
    const audits = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'language_phrase')
      .execute();
    expect(audits.map((a) => a.action).sort()).toEqual(['language.phrase.create', 'language.phrase.update']);
    expect(
      (await supervisor.request({ method: 'DELETE', url: `/api/v1/language/phrases/${busy?.id}` }))
        .statusCode,
    ).toBe(404);
    expect(
      (await supervisor.patch('/api/v1/language/phrases/nope', { version: 1, enabled: false })).statusCode,
    ).toBe(404);
  });
});
