import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { systemContext } from '../../platform/context.js';

interface Article {
  id: string;
  communityId: string | null;
  question: string;
  version: number;
  reviewDue: boolean;
  reviewBy: string | null;
  template: boolean;
}

describe.each(dialects())('knowledge base and scripts, R32 (%s)', (dialect) => {
  let t: TestApp;
  let agent: Client;
  let supervisor: Client;
  let quality: Client;
  let ownOfB: Article;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await t.as('agent-a');
    supervisor = await t.as('supervisor-a');
    quality = await t.as('quality');
    const admin = await t.as('admin-2');
    const res = await admin.post('/api/v1/knowledge', {
      communityId: t.world.communityB.id,
      category: 'parking',
      question: '翠湖苑装修垃圾放在哪里？',
      answer: '请放到地下车库入口旁的装修垃圾点',
      keywords: ['装修垃圾'],
    });
    expect(res.statusCode).toBe(201);
    ownOfB = res.json();
  });
  afterAll(async () => t?.close());

  const search = async (client: Client, query: string) => {
    const res = await client.get(`/api/v1/knowledge?${query}`);
    expect(res.statusCode, query).toBe(200);
    return res.json().items as Article[];
  };

  it('seeds a starter set of templates that invent no company facts', async () => {
    const items = await search(agent, '');
    expect(items.length).toBeGreaterThanOrEqual(10);
    expect(items.every((a) => a.template && a.communityId === null && a.reviewDue)).toBe(true);
    const reno = (await search(agent, `q=${encodeURIComponent('装修申报')}`))[0]!;
    expect(reno.question).toContain('装修');
    expect((reno as unknown as { answer: string }).answer).toContain('请按本公司规定填写');
  });

  it('ranks answers: question and keywords first; Traditional and pinyin initials found (R32)', async () => {
    const reno = await search(agent, `q=${encodeURIComponent('装修')}`);
    expect(reno[0]!.question).toContain('装修申报');
    expect((await search(agent, `q=${encodeURIComponent('門禁卡')}`))[0]!.question).toContain('门禁卡');
    expect((await search(agent, 'q=mjk'))[0]!.question).toContain('门禁卡');
    expect(await search(agent, `q=${encodeURIComponent('不存在的问题xyz')}`)).toEqual([]);
    const fees = await search(agent, 'category=fees');
    expect(fees.length).toBeGreaterThan(0);
    expect(fees.every((a) => (a as unknown as { category: string }).category === 'fees')).toBe(true);
  });

  it("is scoped: company-wide and my communities' answers only (R61)", async () => {
    expect((await search(agent, `q=${encodeURIComponent('装修垃圾')}`)).map((a) => a.id)).not.toContain(
      ownOfB.id,
    );
    expect((await search(quality, `q=${encodeURIComponent('装修垃圾')}`))[0]!.id).toBe(ownOfB.id);
    expect((await agent.get(`/api/v1/knowledge/${ownOfB.id}`)).statusCode).toBe(404);
    expect((await agent.get(`/api/v1/knowledge?communityId=${t.world.communityB.id}`)).statusCode).toBe(404);
    const res = await supervisor.post('/api/v1/knowledge', {
      communityId: t.world.communityB.id,
      category: 'other',
      question: '越权',
      answer: '越权',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('communityId');
  });

  it('supervisors add and edit answers, audited, with a version check (409)', async () => {
    expect(
      (await agent.post('/api/v1/knowledge', { category: 'other', question: '问', answer: '答' })).statusCode,
    ).toBe(403);
    const created = await supervisor.post('/api/v1/knowledge', {
      communityId: t.world.communityA.id,
      category: 'parking',
      question: '阳光花园访客车位在哪里？',
      answer: '访客车位在 3 栋北侧',
      keywords: ['访客车位', ' 访客车位 ', '临停'],
    });
    expect(created.statusCode).toBe(201);
    const article = created.json();
    expect(article).toMatchObject({
      keywords: ['访客车位', '临停'],
      template: false,
      reviewDue: false,
      version: 1,
    });
    expect(article.reviewBy > '2026-11-30').toBe(true);
    // the community's own answer first on a tie with a company-wide one
    expect((await search(agent, `q=${encodeURIComponent('访客车位')}`))[0]!.id).toBe(article.id);

    const edited = await supervisor.patch(`/api/v1/knowledge/${article.id}`, {
      version: 1,
      answer: '访客车位在 3 栋北侧，临时停车请在岗亭登记',
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().version).toBe(2);
    const stale = await supervisor.patch(`/api/v1/knowledge/${article.id}`, {
      version: 1,
      question: '旧版本',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('CONFLICT');
    const archived = await supervisor.patch(`/api/v1/knowledge/${article.id}`, {
      version: 2,
      status: 'archived',
    });
    expect(archived.json().status).toBe('archived');
    expect((await search(agent, `q=${encodeURIComponent('访客车位')}`)).map((a) => a.id)).not.toContain(
      article.id,
    );

    const audit = await t.testDb.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', article.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'knowledge.created',
      'knowledge.updated',
      'knowledge.updated',
    ]);
  });

  it('review: marks reviewed now, sets the next date, leaves the due list; audited', async () => {
    const due = (await supervisor.get('/api/v1/knowledge/review-due')).json().items as Article[];
    const target = due.find((a) => a.question.includes('门禁卡'))!;
    expect(target).toBeDefined();
    expect(
      (await agent.post(`/api/v1/knowledge/${target.id}/review`, { version: target.version })).statusCode,
    ).toBe(403);
    const past = await supervisor.post(`/api/v1/knowledge/${target.id}/review`, {
      version: target.version,
      nextReviewBy: '2026-11-30',
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().details[0]).toMatchObject({ field: 'nextReviewBy' });
    const res = await supervisor.post(`/api/v1/knowledge/${target.id}/review`, { version: target.version });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      reviewBy: '2027-05-29',
      reviewDue: false,
      reviewedAt: '2026-11-30T02:00:00.000Z',
      reviewedBy: { name: '测试supervisor-a' },
      version: target.version + 1,
    });
    const after = (await supervisor.get('/api/v1/knowledge/review-due')).json().items as Article[];
    expect(after.map((a) => a.id)).not.toContain(target.id);
    // due again once its day comes
    t.clock.set('2027-05-29T02:00:00.000Z');
    try {
      // (the session would have expired by then: ask the service)
      const later = await t.services.knowledge.reviewDue(systemContext(), {});
      expect(later.items.map((a) => a.id)).toContain(target.id);
    } finally {
      t.clock.set('2026-11-30T02:00:00.000Z');
    }
    const audit = await t.testDb.database.db
      .selectFrom('audit_log')
      .select(['action', 'changes'])
      .where('entity_id', '=', target.id)
      .executeTakeFirstOrThrow();
    expect(audit.action).toBe('knowledge.reviewed');
    expect(JSON.parse(audit.changes!).review_by).toEqual([null, '2027-05-29']);
  });

  it('refuses bad input with translated messages and changes nothing', async () => {
    const before = await t.testDb.database.db.selectFrom('kb_articles').selectAll().orderBy('id').execute();
    const bad = [
      { category: 'nope', question: '问', answer: '答' },
      { category: 'other', question: '   ', answer: '答' },
      { category: 'other', question: '问', answer: 'x'.repeat(4001) },
      { category: 'other', question: '问', answer: '答', keywords: ['x'.repeat(21)] },
      { category: 'other', question: '问', answer: '答', reviewBy: '2026-11-30' },
      { category: 'other', question: '问', answer: '答', extra: 1 },
    ];
    for (const body of bad) {
      const res = await supervisor.post('/api/v1/knowledge', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
    const tw = await supervisor.request({
      method: 'POST',
      url: '/api/v1/knowledge',
      payload: { category: 'other', question: '问', answer: '答', reviewBy: '2026-11-01' },
      headers: { 'accept-language': 'zh-TW' },
    });
    expect(tw.json().details[0].message).toBe('「複核日期」須晚於今天');
    expect((await agent.get(`/api/v1/knowledge?q=${'x'.repeat(51)}`)).statusCode).toBe(400);
    expect((await agent.get('/api/v1/knowledge?category=nope')).statusCode).toBe(400);
    expect((await agent.get('/api/v1/knowledge/nope')).statusCode).toBe(404);
    expect(
      (await supervisor.patch('/api/v1/knowledge/kb-template-01', { question: '没有版本' })).statusCode,
    ).toBe(400);
    const after = await t.testDb.database.db.selectFrom('kb_articles').selectAll().orderBy('id').execute();
    expect(after).toEqual(before);
  });

  it('renders the scripts for me and the resident (R28, R31, R35)', async () => {
    const all = (await agent.get('/api/v1/knowledge/scripts')).json().items as {
      id: string;
      stage: string;
      text: string;
      unfilled: string[];
      version: number;
    }[];
    expect(all.map((s) => s.stage)).toEqual([
      'greeting',
      'hold',
      'hold_check',
      'transfer',
      'message',
      'complaint',
      'closing',
      'visit_greeting',
      'visit_closing',
    ]);
    const agentNo = (await t.services.staffRepo.findByLogin('agent-a'))!.employee_no;
    expect(all[0]!.text).toBe(`您好！物业客户服务中心，工号${agentNo}，请问有什么可以帮到您？`);
    expect(all.find((s) => s.stage === 'complaint')!.text).toContain('谢谢您将此事告知我们');
    const forWang = (
      await agent.get(`/api/v1/knowledge/scripts?stage=visit_greeting&residentId=${t.world.residentA.id}`)
    ).json().items;
    expect(forWang).toHaveLength(1);
    expect(forWang[0].text).toBe(
      `王先生好！我是阳光花园客户服务中心的测试agent-a，工号${agentNo}，按约定来为您处理。`,
    );
    expect(forWang[0].unfilled).toEqual([]);
    // another community's resident or community: as if they did not exist
    expect((await agent.get(`/api/v1/knowledge/scripts?residentId=${t.world.residentB.id}`)).statusCode).toBe(
      404,
    );
    expect(
      (await agent.get(`/api/v1/knowledge/scripts?communityId=${t.world.communityB.id}`)).statusCode,
    ).toBe(404);
    expect((await agent.get('/api/v1/knowledge/scripts?stage=nope')).statusCode).toBe(400);
  });

  it('supervisors edit a script (audited); unknown placeholders are refused', async () => {
    const [closing] = (await supervisor.get('/api/v1/knowledge/scripts?stage=closing')).json().items;
    expect(
      (await agent.patch(`/api/v1/knowledge/scripts/${closing.id}`, { version: 1, title: 'x' })).statusCode,
    ).toBe(403);
    const bad = await supervisor.patch(`/api/v1/knowledge/scripts/${closing.id}`, {
      version: closing.version,
      body: '再见{residnet}',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].message).toContain('{residnet}');
    const res = await supervisor.patch(`/api/v1/knowledge/scripts/${closing.id}`, {
      version: closing.version,
      body: '感谢{resident}的来电，{community}客户服务中心祝您生活愉快，再见！',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      text: '感谢您的来电，本小区客户服务中心祝您生活愉快，再见！',
      version: 2,
    });
    expect(
      (await supervisor.patch(`/api/v1/knowledge/scripts/${closing.id}`, { version: 1, title: '旧' }))
        .statusCode,
    ).toBe(409);
    const audit = await t.testDb.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', closing.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['knowledge_script.updated']);
  });
});
