import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { systemContext } from '../../platform/context.js';
import { maskRatingLinks } from '../notifications/notifications.service.js';

const MONDAY_1000 = '2026-11-30T02:00:00.000Z';

const QUESTIONS = [
  { kind: 'single', text: '您对小区保洁是否满意？', options: ['满意', '一般', '不满意'] },
  { kind: 'multiple', text: '您最关注哪些服务？', options: ['安保', '保洁', '绿化', '维修'] },
  { kind: 'scale', text: '请为客服中心的总体服务打分' },
  { kind: 'text', text: '您还有什么意见或建议？', required: false },
];

describe.each(dialects())('satisfaction surveys, R36 (%s)', (dialect) => {
  let t: TestApp;
  let supervisor: Client;
  let agent: Client;
  let a2: string;
  let a3: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    const ctx = systemContext();
    const w = t.world;
    // community A: 王建国 (the world's), two more current residents, one archived, one moved out
    a2 = (
      await t.services.residents.create(ctx, {
        communityId: w.communityA.id,
        roomId: w.roomA.id,
        name: '张丽',
        phone: '13700137001',
        salutation: 'ms',
        kind: 'tenant',
      })
    ).id;
    a3 = (
      await t.services.residents.create(ctx, {
        communityId: w.communityA.id,
        roomId: w.roomA.id,
        name: '陈明',
        phone: '13700137002',
        salutation: 'mr',
        kind: 'family',
      })
    ).id;
    const archived = await t.services.residents.create(ctx, {
      communityId: w.communityA.id,
      roomId: w.roomA.id,
      name: '赵旧',
      phone: '13700137003',
      kind: 'tenant',
    });
    await t.services.residents.setArchived(ctx, archived.id, true, archived.version);
    const movedOut = await t.services.residents.create(ctx, {
      communityId: w.communityA.id,
      roomId: w.roomA.id,
      name: '钱搬',
      phone: '13700137004',
      kind: 'tenant',
    });
    await t.services.residents.moveOut(ctx, movedOut.id, w.roomA.id, '2026-11-01');
    supervisor = await t.as('supervisor-a');
    agent = await t.as('agent-a');
  });
  afterAll(async () => t?.close());
  beforeEach(() => t.clock.set(MONDAY_1000));

  const db = () => t.testDb.database.db;
  let ip = 0;
  const from = () => `10.1.0.${++ip}`;
  const get = (token: string, locale = 'zh-CN') =>
    t.app.inject({
      method: 'GET',
      url: `/api/v1/public/surveys/${token}`,
      remoteAddress: from(),
      headers: { 'accept-language': locale },
    });
  const post = (token: string, payload: object, locale = 'zh-CN') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/public/surveys/${token}`,
      payload,
      remoteAddress: from(),
      headers: { 'accept-language': locale },
    });

  const create = async (over: Record<string, unknown> = {}) => {
    const res = await supervisor.post('/api/v1/surveys', {
      communityId: t.world.communityA.id,
      title: '2026 年度住户满意度调查',
      intro: '感谢您抽出时间参与调查。',
      anonymous: false,
      questions: QUESTIONS,
      ...over,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const open = async (survey: { id: string; version: number }) => {
    const res = await supervisor.post(`/api/v1/surveys/${survey.id}/open`, { version: survey.version });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  /** Each invited resident's token, from the message they were sent (only its hash is stored). */
  const tokensOf = async (surveyId: string) => {
    const invitations = await db()
      .selectFrom('survey_invitations')
      .select(['resident_id'])
      .where('survey_id', '=', surveyId)
      .execute();
    const rows = await db()
      .selectFrom('notifications')
      .select(['body', 'resident_id', 'recipient_phone', 'ticket_id', 'user_id'])
      .where('event', '=', 'survey')
      .where(
        'resident_id',
        'in',
        invitations.map((i) => i.resident_id!),
      )
      .orderBy('id', 'desc')
      .execute();
    const out = new Map<string, string>();
    for (const row of rows) {
      expect(row.ticket_id).toBeNull();
      expect(row.user_id).toBeNull();
      const match = /\/s\/([A-Za-z0-9_-]{43})/.exec(row.body);
      expect(match, row.body).not.toBeNull();
      // the newest message per resident is this survey's (surveys are opened one after another)
      if (!out.has(row.resident_id!)) out.set(row.resident_id!, match![1]!);
    }
    return out;
  };
  const answersFor = (questions: { id: string }[], values: unknown[]) => ({
    answers: questions.map((q, i) => ({ questionId: q.id, value: values[i] })),
  });
  const counts = async (surveyId: string) => {
    const r = await db()
      .selectFrom('survey_responses')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('survey_id', '=', surveyId)
      .executeTakeFirstOrThrow();
    const a = await db()
      .selectFrom('survey_answers')
      .innerJoin('survey_responses', 'survey_responses.id', 'survey_answers.response_id')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('survey_responses.survey_id', '=', surveyId)
      .executeTakeFirstOrThrow();
    return { responses: Number(r.n), answers: Number(a.n) };
  };

  it('R36: create → open invites the community’s current residents with a phone → two answer → exact results and response rate', async () => {
    const draft = await create();
    expect(draft).toMatchObject({ status: 'draft', questionCount: 4, invited: 0, anonymous: false });
    expect(draft.questions.map((q: { position: number }) => q.position)).toEqual([0, 1, 2, 3]);
    const opened = await open(draft);
    // 王建国, 张丽, 陈明: not the archived one, not the one moved out, not community B's 李秀英
    expect(opened).toMatchObject({ status: 'open', invited: 3, responded: 0, responseRate: 0 });
    expect(opened.opensAt).toBe(MONDAY_1000);
    const tokens = await tokensOf(draft.id);
    expect([...tokens.keys()].sort()).toEqual([t.world.residentA.id, a2, a3].sort());
    const message = await db()
      .selectFrom('notifications')
      .select(['body', 'recipient_phone', 'community_id'])
      .where('resident_id', '=', t.world.residentA.id)
      .where('event', '=', 'survey')
      .executeTakeFirstOrThrow();
    expect(message.recipient_phone).toBe('13800138000');
    expect(message.community_id).toBe(t.world.communityA.id);
    expect(message.body).toContain('王先生，您好！');
    expect(message.body).toContain(`${t.config.publicUrl}/s/${tokens.get(t.world.residentA.id)}`);
    // staff who read the message see the link without its token
    expect(maskRatingLinks(message.body)).toContain(`${t.config.publicUrl}/s/******`);
    expect(maskRatingLinks(message.body)).not.toContain(tokens.get(t.world.residentA.id)!);
    // only the hash of each token is stored
    const stored = JSON.stringify(await db().selectFrom('survey_invitations').selectAll().execute());
    for (const token of tokens.values()) expect(stored).not.toContain(token);

    const page = await get(tokens.get(a2)!);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const view = page.json();
    expect(view).toMatchObject({
      title: '2026 年度住户满意度调查',
      communityName: '阳光花园',
      anonymous: false,
    });
    expect(view.questions).toHaveLength(4);
    expect(JSON.stringify(view)).not.toContain('张丽');

    const q = view.questions as { id: string }[];
    const one = await post(tokens.get(a2)!, answersFor(q, [0, [0, 1], 4, '  绿化可以再加强  ']));
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toEqual({ submitted: true });
    // the optional text left out
    const two = await post(tokens.get(a3)!, answersFor(q, [2, [1, 3], 5, null]));
    expect(two.statusCode, two.body).toBe(200);

    const results = await agent.get(`/api/v1/surveys/${draft.id}/results`);
    expect(results.statusCode, results.body).toBe(200);
    const r = results.json();
    expect(r).toMatchObject({ invited: 3, responded: 2, responseRate: 0.6667 });
    expect(r.questions.map((x: object) => ({ ...x, id: undefined }))).toEqual([
      expect.objectContaining({ kind: 'single', answered: 2, counts: [1, 0, 1], average: null, texts: null }),
      expect.objectContaining({ kind: 'multiple', answered: 2, counts: [1, 2, 0, 1] }),
      expect.objectContaining({ kind: 'scale', answered: 2, counts: [0, 0, 0, 1, 1], average: 4.5 }),
      expect.objectContaining({ kind: 'text', answered: 1, counts: null, texts: ['绿化可以再加强'] }),
    ]);
    // a named survey keeps who answered
    const responses = await db()
      .selectFrom('survey_responses')
      .select(['resident_id', 'created_at'])
      .where('survey_id', '=', draft.id)
      .execute();
    expect(responses.map((x) => x.resident_id).sort()).toEqual([a2, a3].sort());
    expect(responses[0]!.created_at).toBe(MONDAY_1000);
    const list = (await agent.get(`/api/v1/surveys?communityId=${t.world.communityA.id}`)).json();
    expect(list.items.find((s: { id: string }) => s.id === draft.id)).toMatchObject({
      invited: 3,
      responded: 2,
      responseRate: 0.6667,
    });
    // every staff write audited
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'actor_type'])
      .where('entity_id', '=', draft.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['survey.create', 'survey.open']);
  });

  it('R36: an anonymous survey stores no resident on its responses, and nothing joins them to an invitation', async () => {
    const survey = await open(await create({ anonymous: true, title: '匿名调查' }));
    const tokens = await tokensOf(survey.id);
    const token = tokens.get(a2)!;
    const q = (await get(token)).json().questions as { id: string }[];
    t.clock.set('2026-11-30T05:37:12.345Z');
    expect((await post(token, answersFor(q, [1, [2], 3, '匿名意见']))).statusCode).toBe(200);
    const responses = await db()
      .selectFrom('survey_responses')
      .selectAll()
      .where('survey_id', '=', survey.id)
      .execute();
    expect(responses).toHaveLength(1);
    const response = responses[0]!;
    expect(response.resident_id).toBeNull();
    // the day only, and an id that is not time-ordered (UUID v4)
    expect(response.created_at).toBe('2026-11-30T00:00:00.000Z');
    expect(response.id[14]).toBe('4');
    const used = await db()
      .selectFrom('survey_invitations')
      .select(['resident_id', 'responded_at'])
      .where('survey_id', '=', survey.id)
      .where('responded_at', 'is not', null)
      .execute();
    expect(used).toEqual([{ resident_id: a2, responded_at: '2026-11-30T00:00:00.000Z' }]);
    // no audit record of the response (it would carry the exact time and the address)
    const audit = await db()
      .selectFrom('audit_log')
      .select('id')
      .where('entity_id', '=', response.id)
      .execute();
    expect(audit).toHaveLength(0);
    const results = (await supervisor.get(`/api/v1/surveys/${survey.id}/results`)).json();
    expect(results).toMatchObject({ invited: 3, responded: 1, responseRate: 0.3333 });
    expect(results.questions[3].texts).toEqual(['匿名意见']);
  });

  it('R36: a link works once; a second submission and a second look are refused (410) in the resident’s language', async () => {
    const survey = await open(await create({ title: '一次性' }));
    const token = (await tokensOf(survey.id)).get(t.world.residentA.id)!;
    const q = (await get(token)).json().questions as { id: string }[];
    expect((await post(token, answersFor(q, [0, [0], 5, null]))).statusCode).toBe(200);
    const again = await post(token, answersFor(q, [1, [1], 1, '再来一次']));
    expect(again.statusCode).toBe(410);
    expect(again.json()).toMatchObject({
      code: 'SURVEY_LINK_USED',
      message: '您已经提交过这份问卷了，感谢您的宝贵意见！',
    });
    const look = await get(token, 'zh-TW');
    expect(look.statusCode).toBe(410);
    expect(look.json().message).toBe('您已經提交過這份問卷了，感謝您的寶貴意見！');
    expect(await counts(survey.id)).toEqual({ responses: 1, answers: 3 });
  });

  it('R36: two submissions at once — exactly one is stored', async () => {
    const survey = await open(await create({ title: '并发' }));
    const token = (await tokensOf(survey.id)).get(a3)!;
    const q = (await get(token)).json().questions as { id: string }[];
    const [x, y] = await Promise.all([
      post(token, answersFor(q, [0, [0], 5, '第一次'])),
      post(token, answersFor(q, [1, [1], 1, '第二次'])),
    ]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 410]);
    expect(await counts(survey.id)).toEqual({ responses: 1, answers: 4 });
  });

  it('R36: forged, guessed and malformed tokens are a 404 and change nothing', async () => {
    for (const token of ['A'.repeat(43), 'short', 'x'.repeat(100)]) {
      const res = await get(token, 'en');
      expect(res.statusCode, token).toBe(404);
      expect(res.json().message).toBe('This survey link is not valid; please check the link in your message');
      expect((await post(token, { answers: [] })).statusCode).toBe(404);
    }
  });

  it('R36: a closed survey’s links are a 410; one past its end too', async () => {
    const survey = await open(await create({ title: '已结束' }));
    const tokens = await tokensOf(survey.id);
    const token = tokens.get(a2)!;
    const q = (await get(token)).json().questions as { id: string }[];
    const closed = await supervisor.post(`/api/v1/surveys/${survey.id}/close`, { version: survey.version });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', closesAt: MONDAY_1000 });
    for (const res of [await get(token), await post(token, answersFor(q, [0, [0], 5, null]))]) {
      expect(res.statusCode).toBe(410);
      expect(res.json()).toMatchObject({ code: 'SURVEY_CLOSED', message: '本次调查已结束，感谢您的关注' });
    }
    expect(await counts(survey.id)).toEqual({ responses: 0, answers: 0 });
    // closing twice: 409
    const again = await supervisor.post(`/api/v1/surveys/${survey.id}/close`, {
      version: closed.json().version,
    });
    expect(again.statusCode).toBe(409);

    const timed = await open(await create({ title: '限时', closesAt: '2026-11-30T02:20:00.000Z' }));
    const timedToken = (await tokensOf(timed.id)).get(a2)!;
    expect((await get(timedToken)).statusCode).toBe(200);
    t.clock.set('2026-11-30T02:20:00.000Z');
    expect((await get(timedToken)).statusCode).toBe(410);
    expect((await agent.get(`/api/v1/surveys/${timed.id}`)).json().status).toBe('closed');
  });

  it('R36: bad answers (a required one missing, an option not in the list, a score of 6) are refused and nothing is stored', async () => {
    const survey = await open(await create({ title: '校验' }));
    const token = (await tokensOf(survey.id)).get(a2)!;
    const q = (await get(token)).json().questions as { id: string }[];
    const cases: [unknown[], string, string][] = [
      [[null, [0], 5, null], 'answers/0', '请回答第 1 题'],
      [[3, [0], 5, null], 'answers/0', '第 1 题的答案不在选项中'],
      [[0, [0, 9], 5, null], 'answers/1', '第 2 题的答案不在选项中'],
      [[0, [0, 0], 5, null], 'answers/1', '第 2 题的答案不在选项中'],
      [[0, [0], 6, null], 'answers/2', '第 3 题请选择 1 到 5 分'],
      [[0, [0], 0, null], 'answers/2', '第 3 题请选择 1 到 5 分'],
      [[0, [0], '5', null], 'answers/2', '第 3 题的答案格式不正确'],
      [[0, [0], 5, '长'.repeat(1001)], 'answers/3', '第 4 题的回答不能超过 1000 个字'],
    ];
    for (const [values, field, message] of cases) {
      const res = await post(token, answersFor(q, values));
      expect(res.statusCode, JSON.stringify(values)).toBe(400);
      expect(res.json().details, JSON.stringify(values)).toContainEqual({ field, message });
    }
    // a question of another survey, and a missing required one in English
    const foreign = await post(token, {
      answers: [...answersFor(q, [0, [0], 5, null]).answers, { questionId: 'nope', value: 1 }],
    });
    expect(foreign.statusCode).toBe(400);
    const en = await post(token, { answers: [] }, 'en');
    expect(en.json().details).toContainEqual({ field: 'answers/0', message: 'Please answer question 1' });
    expect(await counts(survey.id)).toEqual({ responses: 0, answers: 0 });
    // the link still works
    expect((await post(token, answersFor(q, [0, [0], 5, null]))).statusCode).toBe(200);
  });

  it('R36: the builder’s rules — 1–30 questions, 2–10 distinct options, text lengths — in the caller’s language', async () => {
    const bad = async (body: Record<string, unknown>, locale = 'zh-CN') => {
      const res = await supervisor.request({
        method: 'POST',
        url: '/api/v1/surveys',
        payload: { communityId: t.world.communityA.id, title: '规则', anonymous: true, ...body },
        headers: { 'accept-language': locale },
      });
      expect(res.statusCode, res.body).toBe(400);
      return res.json().details as { field: string; message: string }[];
    };
    expect(await bad({ questions: [] })).toContainEqual({
      field: 'questions',
      message: '问卷须有 1 到 30 道题',
    });
    expect(
      await bad({ questions: Array.from({ length: 31 }, () => ({ kind: 'scale', text: '打分' })) }),
    ).toHaveLength(1);
    expect(
      await bad({ questions: [{ kind: 'single', text: '只有一个选项', options: ['是'] }] }),
    ).toContainEqual({
      field: 'questions/0/options',
      message: '第 1 题须有 2 到 10 个选项',
    });
    expect(
      await bad({
        questions: [
          { kind: 'scale', text: '好' },
          { kind: 'multiple', text: '重复', options: Array.from({ length: 11 }, (_, i) => `选项${i}`) },
        ],
      }),
    ).toContainEqual({ field: 'questions/1/options', message: '第 2 题须有 2 到 10 个选项' });
    expect(
      await bad({ questions: [{ kind: 'single', text: '重复', options: ['是', ' 是 '] }] }, 'zh-TW'),
    ).toContainEqual({
      field: 'questions/0/options',
      message: '第 1 題的選項不能為空、不能重複，且每項不超過 100 個字',
    });
    expect(await bad({ questions: [{ kind: 'scale', text: '  ' }] }, 'en')).toContainEqual({
      field: 'questions/0/text',
      message: 'Question 1 must not be empty or longer than 300 characters',
    });
    expect(await bad({ questions: [{ kind: 'text', text: '文字', options: ['a', 'b'] }] })).toContainEqual({
      field: 'questions/0/options',
      message: '第 1 题是评分题或文字题，不设选项',
    });
    expect(
      await bad({ title: '长'.repeat(101), questions: [{ kind: 'scale', text: '打分' }] }),
    ).toContainEqual({
      field: 'title',
      message: '「标题」不能超过 100 个字符',
    });
    expect(
      await bad({ closesAt: '2026-11-01T00:00:00.000Z', questions: [{ kind: 'scale', text: '打分' }] }),
    ).toContainEqual({ field: 'closesAt', message: '「截止时间」须晚于现在' });
    // another community's: as if it did not exist
    expect(
      await bad({ communityId: t.world.communityB.id, questions: [{ kind: 'scale', text: '打分' }] }),
    ).toContainEqual(expect.objectContaining({ field: 'communityId' }));
    const none = await db().selectFrom('surveys').select('id').where('title', '=', '规则').execute();
    expect(none).toHaveLength(0);
  });

  it('R36: a draft is edited (questions reordered and replaced); once open it can no longer be', async () => {
    const draft = await create({ title: '草稿' });
    const edited = await supervisor.put(`/api/v1/surveys/${draft.id}`, {
      version: draft.version,
      title: '草稿（改）',
      anonymous: true,
      questions: [QUESTIONS[2], QUESTIONS[0]],
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ title: '草稿（改）', anonymous: true, questionCount: 2 });
    expect(edited.json().questions.map((q: { kind: string }) => q.kind)).toEqual(['scale', 'single']);
    const stale = await supervisor.put(`/api/v1/surveys/${draft.id}`, {
      version: draft.version,
      title: '过期',
      anonymous: true,
      questions: [QUESTIONS[2]],
    });
    expect(stale.statusCode).toBe(409);
    const opened = await open(edited.json());
    const late = await supervisor.put(`/api/v1/surveys/${draft.id}`, {
      version: opened.version,
      title: '发出后修改',
      anonymous: false,
      questions: [QUESTIONS[2]],
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().message).toBe('问卷已发出，不能再修改或再次发出');
    expect(
      (await supervisor.post(`/api/v1/surveys/${draft.id}/open`, { version: opened.version })).statusCode,
    ).toBe(409);
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', draft.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['survey.create', 'survey.update', 'survey.open']);
    // agents read, they do not build
    expect((await agent.post('/api/v1/surveys', { communityId: t.world.communityA.id })).statusCode).toBe(
      403,
    );
  });

  it('R36: a community with nobody to invite cannot be sent a survey (nothing changes)', async () => {
    const ctx = systemContext();
    const empty = await t.services.registry.createCommunity(ctx, { name: '空小区', code: 'EMPTY' });
    const survey = await t.services.surveys.create(ctx, {
      communityId: empty.id,
      title: '无人',
      anonymous: true,
      questions: [{ kind: 'scale', text: '打分' }],
    });
    const admin = await t.as('admin-2');
    const res = await admin.post(`/api/v1/surveys/${survey.id}/open`, { version: survey.version });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toBe('该小区没有登记了电话的在住住户，问卷无法发出');
    expect((await admin.get(`/api/v1/surveys/${survey.id}`)).json()).toMatchObject({
      status: 'draft',
      version: 1,
    });
  });
});
