import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STANDARD_CALENDAR } from '../../src/domain/business-time.js';
import { INTEGRATION_ROLES } from '../../src/domain/roles.js';
import type { Access } from '../../src/server/platform/access.js';
import { systemContext } from '../../src/server/platform/context.js';
import { attachmentRoutesOnB } from '../fixtures/attachments/files.js';
import { type Client, createTestApp, PASSWORD, SEEDED_USERS, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

/**
 * Access, for every API route at once (R61): no login → 401, a role the route does not allow → 403,
 * and a record of another community → 404, as if it did not exist.
 */
describe.each(dialects())('access on every route (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const routes = () => t.app.routeAccess.filter((r) => !('public' in r.access));
  /** One session per user for the whole file: logging in (argon2) per route would dominate. */
  const sessions = new Map<string, Promise<Client>>();
  const session = (username: string) => {
    if (!sessions.has(username)) sessions.set(username, t.as(username));
    return sessions.get(username)!;
  };

  /** Community B's unit, public area and team, and an admin who sees community A only. */
  async function placesOfB() {
    const ctx = systemContext();
    const w = t.world;
    const [unitB] = (await t.services.registry.listUnits(ctx, { buildingId: w.buildingB.id })).items;
    const [publicAreaB] = (await t.services.registry.listPublicAreas(ctx, { communityId: w.communityB.id }))
      .items;
    const teamB = await t.services.teams.create(ctx, {
      communityId: w.communityB.id,
      name: '维修组',
      kind: 'repair',
    });
    const adminA = await t.services.staff.create(ctx, {
      username: 'admin-a',
      employeeNo: '900',
      name: '小区A管理员',
      roles: ['admin'],
      communityIds: [w.communityA.id],
      password: PASSWORD,
    });
    await t.services.staffRepo.update(adminA.id, { must_change_password: 0 });
    return { unitB: unitB!, publicAreaB: publicAreaB!, teamB };
  }
  const concrete = (url: string) => url.replace(/:id\b/g, 'some-id');
  /** An API token holding every integration role (§4 'telephony'), made once. */
  let tokenOfIntegrations: Promise<string> | null = null;
  const integrationToken = () => {
    tokenOfIntegrations ??= session('admin-2').then(async (admin) => {
      const res = await admin.post('/api/v1/api-tokens', {
        name: 'PBX',
        roles: [...INTEGRATION_ROLES],
        communityIds: [],
        allCommunities: true,
      });
      return res.json().token as string;
    });
    return tokenOfIntegrations;
  };

  it('every API route declares its access and most require a login', () => {
    expect(t.app.routeAccess.length).toBeGreaterThan(20);
    const publicRoutes = t.app.routeAccess
      .filter((r) => 'public' in r.access)
      .map((r) => `${r.method} ${r.url}`);
    expect(publicRoutes.sort()).toEqual([
      'GET /api/v1/company/public',
      // §5 R34: the resident's rating link (the token is the key)
      'GET /api/v1/public/ratings/:token',
      // §5 R36: the resident's survey link (the token is the key)
      'GET /api/v1/public/surveys/:token',
      'POST /api/v1/auth/login',
      'POST /api/v1/public/ratings/:token',
      'POST /api/v1/public/surveys/:token',
    ]);
  });

  it('answers 401 without a login, on every protected route', async () => {
    for (const route of routes()) {
      const res = await t.anonymous.request({
        method: route.method as 'GET',
        url: concrete(route.url),
        payload: {},
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(res.json()).toMatchObject({ code: 'UNAUTHENTICATED', message: '请先登录' });
    }
  });

  it('answers 401 for a revoked or made-up API token', async () => {
    const res = await t.anonymous.request({
      method: 'GET',
      url: '/api/v1/tickets',
      headers: { authorization: 'Bearer edt_nope' },
    });
    expect(res.statusCode).toBe(401);
  });

  it('answers 403 to every role a route does not allow', async () => {
    let checked = 0;
    for (const route of routes()) {
      const allowed = (route.access as Extract<Access, { roles: unknown }>).roles;
      for (const user of SEEDED_USERS.filter((u) => !u.roles.some((r) => allowed.includes(r)))) {
        const client = await session(user.username);
        const res = await client.request({
          method: route.method as 'GET',
          url: concrete(route.url),
          payload: {},
        });
        expect(res.statusCode, `${user.username} ${route.method} ${route.url}`).toBe(403);
        expect(res.json().code).toBe('FORBIDDEN');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('lets every allowed role through (no 401/403)', async () => {
    for (const route of routes()) {
      const allowed = (route.access as Extract<Access, { roles: unknown }>).roles;
      // §4: the telephony webhook takes the PBX's token only (no person holds its role)
      if (allowed.every((r) => INTEGRATION_ROLES.includes(r))) {
        const res = await t.anonymous.request({
          method: route.method as 'POST',
          url: concrete(route.url),
          payload: {},
          headers: { authorization: `Bearer ${await integrationToken()}` },
        });
        expect([401, 403], `token ${route.method} ${route.url} → ${res.statusCode}`).not.toContain(
          res.statusCode,
        );
        continue;
      }
      const user = SEEDED_USERS.find((u) => u.roles.some((r) => allowed.includes(r))) ?? {
        username: 'admin',
      };
      // a route of one's own session (logout …) gets a session of its own
      const client = route.url.startsWith('/api/v1/auth/')
        ? await t.as(user.username)
        : await session(user.username);
      // the event stream never ends by itself: take its status as soon as it starts
      const streaming = route.url === '/api/v1/events';
      const res = await client.request({
        method: route.method as 'GET',
        url: concrete(route.url),
        ...(streaming ? { payloadAsStream: true } : { payload: {} }),
      });
      if (streaming) res.stream().destroy();
      expect([401, 403], `${user.username} ${route.method} ${route.url} → ${res.statusCode}`).not.toContain(
        res.statusCode,
      );
    }
  });

  it("answers 404 to a community-A user for community B's records, on every route that reads or changes one", async () => {
    const w = { ...t.world, ...(await placesOfB()) };
    const importB = await t.services.imports.upload(systemContext(), {
      communityId: w.communityB.id,
      fileName: 'b.csv',
      body: Buffer.from('房屋,姓名,电话\n3-2-1502,赵六,13600136000\n'),
    });
    // R14: the message community B's resident was told when their request was received
    const notificationB = await t.testDb.database.db
      .selectFrom('notifications')
      .select('id')
      .where('ticket_id', '=', w.ticketB.id)
      .executeTakeFirstOrThrow();
    // §3: a time-promise policy of community B's own
    const slaPolicyB = await t.services.sla.createPolicy(systemContext(), {
      communityId: w.communityB.id,
      target: 'accept',
      minutes: 5,
    });
    // R26: an alert addressed to someone else (a breach on B's request reaches 品质部, B having no
    // supervisor or manager of its own): nobody else may mark it read
    await t.testDb.database.db
      .transaction()
      .execute((trx) =>
        t.services.ticketActions.escalateForBreach(trx, w.ticketB.id, 'accept', t.clock.now()),
      );
    const alertOfOther = await t.testDb.database.db
      .selectFrom('notifications')
      .select('id')
      .where('ticket_id', '=', w.ticketB.id)
      .where('user_id', 'is not', null)
      .executeTakeFirstOrThrow();
    // R30: a message taken in community B (for 品质部, who sees all communities)
    const callbackB = await t.services.callbacks.takeMessage(systemContext(), {
      communityId: w.communityB.id,
      callerName: '李女士',
      phone: '13900139000',
      content: '越权测试留言',
      forUserId: (await t.services.staffRepo.findByLogin('quality'))!.id,
      readBack: true,
    });
    const agentA = (await t.services.staffRepo.findByLogin('agent-a'))!;
    // §4: a call from community B's resident (the PBX's event, as its webhook hands it over)
    const callB = await t.services.calls.ingest(systemContext(), {
      event: 'newCall',
      callId: 'access-call-b',
      from: '13900139000', // 李秀英 of community B
      to: '4008001234',
      direction: 'in',
    });
    // §5 R33 R34: a return visit of community B's request, and a follow-up of a poor score
    const visitB = await returnVisitOnB(t, w.ticketB.id, w.communityB.id);
    // §5 R36: a draft survey of community B
    const surveyB = await t.services.surveys.create(systemContext(), {
      communityId: w.communityB.id,
      title: '翠湖苑满意度调查',
      anonymous: true,
      questions: [{ kind: 'scale', text: '请打分' }],
    });
    // R32: a standard answer of community B's own
    const articleB = await t.services.knowledge.create(systemContext(), {
      communityId: w.communityB.id,
      category: 'other',
      question: '翠湖苑的问题',
      answer: '翠湖苑的答案',
    });
    // §6 R39: a spot check of community B (a request mentioning 投诉), drawn and scored by 品质部
    await t.services.tickets.create(systemContext(), {
      communityId: w.communityB.id,
      roomId: w.roomB.id,
      residentId: w.residentB.id,
      type: 'complaint',
      channel: 'phone',
      content: '投诉保安态度差',
    });
    const qualityUser = await session('quality');
    const drawnB = await qualityUser.post('/api/v1/quality/samples/draw', {
      week: '2026-W49',
      communityId: w.communityB.id,
    });
    const sampleB = drawnB.json().items[0] as { id: string };
    const qaScores = Object.fromEntries(
      (
        (await qualityUser.get('/api/v1/quality/sheet')).json().items as { key: string; maxPoints: number }[]
      ).map((i) => [i.key, i.maxPoints]),
    );
    const checkB = (
      await qualityUser.post(`/api/v1/quality/samples/${sampleB.id}/check`, { scores: qaScores })
    ).json().check as { id: string };
    // each route on one scoped record, with a community-B record id and a valid body; a new
    // route must be added here, or the first assertion fails
    // `user`: a community-A user allowed on the route, when agent-a is not (admin-a: an admin of A only)
    const recordOfB: Record<string, { id: string; body?: object; roomId?: string; user?: string }> = {
      'GET /api/v1/communities/:id': { id: w.communityB.id },
      'PATCH /api/v1/communities/:id': { id: w.communityB.id, body: { name: '越权' }, user: 'admin-a' },
      'GET /api/v1/communities/:id/tree': { id: w.communityB.id },
      'GET /api/v1/buildings/:id': { id: w.buildingB.id },
      'PATCH /api/v1/buildings/:id': { id: w.buildingB.id, body: { name: '9栋' }, user: 'manager-a' },
      'PATCH /api/v1/units/:id': { id: w.unitB.id, body: { name: '9单元' }, user: 'manager-a' },
      'GET /api/v1/rooms/:id': { id: w.roomB.id },
      'PATCH /api/v1/rooms/:id': {
        id: w.roomB.id,
        body: { version: 1, status: 'vacant' },
        user: 'manager-a',
      },
      'PATCH /api/v1/public-areas/:id': { id: w.publicAreaB.id, body: { name: '越权' }, user: 'manager-a' },
      'GET /api/v1/teams/:id': { id: w.teamB.id },
      'PATCH /api/v1/teams/:id': { id: w.teamB.id, body: { name: '越权' }, user: 'manager-a' },
      'PUT /api/v1/teams/:id/members': { id: w.teamB.id, body: { userIds: [] }, user: 'manager-a' },
      // the member id stays ':userId': the team of B answers 404 before any member is looked up
      'PUT /api/v1/teams/:id/members/:userId/duty': { id: w.teamB.id, body: { onDuty: false } },
      'GET /api/v1/rooms/:id/household': { id: w.roomB.id },
      'GET /api/v1/residents/:id': { id: w.residentB.id },
      'PATCH /api/v1/residents/:id': { id: w.residentB.id, body: { version: 1, notes: '越权修改' } },
      'POST /api/v1/residents/:id/archive': { id: w.residentB.id, body: { version: 1, archived: true } },
      'POST /api/v1/residents/:id/reveal-phone': { id: w.residentB.id },
      'GET /api/v1/residents/:id/card': { id: w.residentB.id },
      'GET /api/v1/residents/:id/rooms': { id: w.residentB.id },
      'POST /api/v1/residents/:id/rooms': { id: w.residentB.id, body: { roomId: w.roomB.id, kind: 'owner' } },
      'POST /api/v1/residents/:id/rooms/:roomId/move-out': {
        id: w.residentB.id,
        roomId: w.roomB.id,
        body: { date: '2026-12-01' },
      },
      'GET /api/v1/tickets/:id': { id: w.ticketB.id },
      ...ticketActionsOnB(w.ticketB.id),
      'GET /api/v1/tickets/:id/notifications': { id: w.ticketB.id },
      'POST /api/v1/notifications/:id/retry': { id: notificationB.id, user: 'supervisor-a' },
      'POST /api/v1/me/alerts/:id/read': { id: alertOfOther.id },
      // R16: the emergency playbook of a request of B
      'POST /api/v1/tickets/:id/emergency-log': {
        id: w.ticketB.id,
        body: { version: 1, entry: 'reassurance_call', note: '越权' },
      },
      'POST /api/v1/tickets/:id/incident-report': {
        id: w.ticketB.id,
        body: { version: 1, cause: '越权', actions: '越权', injuries: '无', followUp: '越权' },
      },
      'GET /api/v1/imports/:id': { id: importB.id, user: 'manager-a' },
      'PUT /api/v1/imports/:id/mapping': {
        id: importB.id,
        body: { revision: 1, columns: [] },
        user: 'manager-a',
      },
      'POST /api/v1/imports/:id/commit': { id: importB.id, body: { revision: 1 }, user: 'manager-a' },
      'GET /api/v1/imports/:id/report.xlsx': { id: importB.id, user: 'manager-a' },
      ...(await attachmentRoutesOnB(t.services.attachments, w.ticketB.id)),
      // §3: a request's clocks, and the SLA settings of community B
      'GET /api/v1/tickets/:id/sla': { id: w.ticketB.id },
      'PATCH /api/v1/sla/policies/:id': { id: slaPolicyB.id, body: { minutes: 6 }, user: 'manager-a' },
      'DELETE /api/v1/sla/policies/:id': { id: slaPolicyB.id, user: 'manager-a' },
      'PUT /api/v1/sla/calendars/communities/:id': {
        id: w.communityB.id,
        body: { calendar: STANDARD_CALENDAR },
        user: 'manager-a',
      },
      // §5: a return visit of community B, its request's satisfaction, a follow-up of B
      'GET /api/v1/return-visits/:id': { id: visitB.visitId },
      'POST /api/v1/return-visits/:id/attempts': {
        id: visitB.visitId,
        body: { version: 1, outcome: 'busy' },
      },
      'POST /api/v1/return-visits/:id/result': {
        id: visitB.visitId,
        body: { version: 1, resolved: true, overall: 5, speed: 5, attitude: 5, quality: 5 },
      },
      'GET /api/v1/tickets/:id/satisfaction': { id: w.ticketB.id },
      'POST /api/v1/visit-followups/:id/close': {
        id: visitB.followupId,
        body: { version: 1, outcome: '越权' },
        user: 'supervisor-a',
      },
      // R30: a callback of community B
      'GET /api/v1/callbacks/:id': { id: callbackB.id },
      'POST /api/v1/callbacks/:id/attempts': { id: callbackB.id, body: { version: 1, outcome: 'no_answer' } },
      'POST /api/v1/callbacks/:id/close': { id: callbackB.id, body: { version: 1, reason: '越权' } },
      'POST /api/v1/callbacks/:id/assign': { id: callbackB.id, body: { version: 1, userId: agentA.id } },
      // §4: the screen pop, the linking and the number of a call of community B
      'GET /api/v1/calls/:id': { id: callB.id },
      'POST /api/v1/calls/:id/tickets': { id: callB.id, body: { ticketId: w.ticketB.id } },
      'POST /api/v1/calls/:id/reveal-phone': { id: callB.id },
      // §5 R36: a survey of community B (built by supervisors and up)
      'GET /api/v1/surveys/:id': { id: surveyB.id },
      'GET /api/v1/surveys/:id/results': { id: surveyB.id },
      'PUT /api/v1/surveys/:id': {
        id: surveyB.id,
        body: { version: 1, title: '越权', anonymous: true, questions: [{ kind: 'scale', text: '越权' }] },
        user: 'supervisor-a',
      },
      'POST /api/v1/surveys/:id/open': { id: surveyB.id, body: { version: 1 }, user: 'supervisor-a' },
      'POST /api/v1/surveys/:id/close': { id: surveyB.id, body: { version: 1 }, user: 'supervisor-a' },
      // R32: an answer of community B's own
      'GET /api/v1/knowledge/:id': { id: articleB.id },
      'PATCH /api/v1/knowledge/:id': {
        id: articleB.id,
        body: { version: 1, answer: '越权' },
        user: 'supervisor-a',
      },
      'POST /api/v1/knowledge/:id/review': { id: articleB.id, body: { version: 1 }, user: 'supervisor-a' },
      // §6 R39: a spot check of community B; a result that is not one's own
      'POST /api/v1/quality/samples/:id/check': {
        id: sampleB.id,
        body: { scores: qaScores },
        user: 'supervisor-a',
      },
      'POST /api/v1/quality/checks/:id/ack': { id: checkB.id, body: {} },
    };
    const companyWide = new Set([
      '/api/v1/staff/:id',
      '/api/v1/staff/:id/reset-password',
      '/api/v1/api-tokens/:id',
      // the category tree and its price lists are company-wide (one company per install)
      '/api/v1/ticket-categories/:id',
      '/api/v1/ticket-categories/:id/prices',
      '/api/v1/category-prices/:id',
      // R32: the standard scripts are the company's
      '/api/v1/knowledge/scripts/:id',
      // §6: the service-language library is the company's
      '/api/v1/language/phrases/:id',
    ]);
    const withId = routes().filter((r) => r.url.includes(':id') && !companyWide.has(r.url));
    expect(withId.map((r) => `${r.method} ${r.url}`).sort()).toEqual(Object.keys(recordOfB).sort());

    const clients = new Map<string, Client>();
    const as = async (username: string) => {
      if (!clients.has(username)) clients.set(username, await t.as(username));
      return clients.get(username)!;
    };
    const quality = await t.as('quality');
    const before = await t.testDb.database.db
      .selectFrom('residents')
      .selectAll()
      .where('id', '=', w.residentB.id)
      .executeTakeFirstOrThrow();
    for (const [route, record] of Object.entries(recordOfB)) {
      const [method, pattern] = route.split(' ') as ['GET' | 'POST' | 'PATCH' | 'PUT', string];
      const url = pattern.replace(':id', record.id).replace(':roomId', record.roomId ?? '');
      const client = await as(record.user ?? 'agent-a');
      const res = await client.request({ method, url, ...(record.body ? { payload: record.body } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json()).toMatchObject({ code: 'NOT_FOUND', message: '记录不存在' });
      // the same record exists for someone who may see community B
      // (quality, or an admin of all communities where the route is not for quality, e.g. imports)
      const reader = record.user ? await as('admin-2') : quality;
      if (method === 'GET') expect((await reader.get(url)).statusCode, url).toBe(200);
    }
    const after = await t.testDb.database.db
      .selectFrom('residents')
      .selectAll()
      .where('id', '=', w.residentB.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });

  it("never lists community B's records to a community-A user", async () => {
    const agent = await t.as('agent-a');
    const w = t.world;
    for (const url of [
      '/api/v1/communities',
      '/api/v1/buildings',
      '/api/v1/units',
      '/api/v1/rooms',
      '/api/v1/public-areas',
      '/api/v1/residents',
      '/api/v1/tickets',
    ]) {
      for (const query of ['', `?communityId=${w.communityB.id}`]) {
        if (url === '/api/v1/communities' && query) continue;
        const res = await agent.get(url + query);
        expect(res.statusCode, url + query).toBe(200);
        const items = res.json().items as { id: string; communityId?: string }[];
        for (const item of items) expect(item.communityId ?? item.id, url + query).not.toBe(w.communityB.id);
        if (query) expect(items, url + query).toHaveLength(0);
      }
    }
    // the SLA clocks: a complaint in community B runs its clocks, and agent-a sees none of them
    await t.services.tickets.create(systemContext(), {
      communityId: w.communityB.id,
      roomId: w.roomB.id,
      residentId: w.residentB.id,
      type: 'complaint',
      channel: 'phone',
      content: '楼上装修噪音',
    });
    const quality = await t.as('quality');
    const all = (await quality.get('/api/v1/sla/board')).json().items as { communityId: string }[];
    expect(all.some((c) => c.communityId === w.communityB.id)).toBe(true);
    for (const url of ['/api/v1/sla/board', '/api/v1/sla/overdue']) {
      const res = await agent.get(url);
      expect(res.statusCode, url).toBe(200);
      for (const clock of res.json().items as { communityId: string }[])
        expect(clock.communityId, url).not.toBe(w.communityB.id);
      expect((await agent.get(`${url}?communityId=${w.communityB.id}`)).statusCode, url).toBe(404);
    }
  });

  it('refuses to write into community B for a community-A user, and changes nothing', async () => {
    const agent = await t.as('agent-a');
    const manager = await t.as('manager-a');
    const w = t.world;
    const before = await t.testDb.database.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const ticket = await agent.post('/api/v1/tickets', {
      communityId: w.communityB.id,
      roomId: w.roomB.id,
      residentId: w.residentB.id,
      type: 'repair',
      channel: 'phone',
      content: '越权',
    });
    expect(ticket.statusCode).toBe(400);
    expect(ticket.json().details[0]).toMatchObject({ field: 'communityId' });
    const resident = await agent.post('/api/v1/residents', {
      communityId: w.communityB.id,
      roomId: w.roomB.id,
      name: '张三',
      phone: '13700137000',
      kind: 'owner',
    });
    expect(resident.statusCode).toBe(400);
    const building = await manager.post('/api/v1/buildings', { communityId: w.communityB.id, name: '9栋' });
    expect(building.statusCode).toBe(400);
    const after = await t.testDb.database.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

/** Every lifecycle action on community B's ticket, each with a body that passes validation. */
function ticketActionsOnB(id: string): Record<string, { id: string; body: object }> {
  const bodies: Record<string, object> = {
    dispatch: { version: 1, teamId: 'team-x' },
    grab: {},
    accept: { version: 1 },
    decline: { version: 1, reason: '越权' },
    arrive: { version: 1 },
    start: { version: 1 },
    complete: { version: 1, report: { cause: '越权', work: '越权' } },
    pend: { version: 1, reason: '越权', nextStep: '越权', eta: '2030-01-01T00:00:00.000Z' },
    resume: { version: 1 },
    reassign: { version: 1, teamId: 'team-x' },
    escalate: { version: 1, reason: '越权' },
    answer: { version: 1, reply: '越权' },
    close: { version: 1 },
    reopen: { version: 1, reason: '越权' },
    cancel: { version: 1, reason: '越权' },
  };
  const routes: Record<string, { id: string; body: object }> = {
    'POST /api/v1/tickets/:id/notes': { id, body: { text: '越权', visibility: 'internal' } },
    'POST /api/v1/tickets/:id/grade': { id, body: { version: 1, grade: 'major' } },
    'POST /api/v1/tickets/:id/settle': { id, body: { version: 1, amount: 10, method: 'cash' } },
    'POST /api/v1/tickets/:id/link': { id, body: { version: 1, parentId: id } },
    'POST /api/v1/tickets/:id/unlink': { id, body: { version: 1 } },
  };
  for (const [action, body] of Object.entries(bodies))
    routes[`POST /api/v1/tickets/:id/${action}`] = { id, body };
  return routes;
}

/** §5: a return visit and a follow-up on community B's request, as the visits module stores them. */
async function returnVisitOnB(t: TestApp, ticketId: string, communityId: string) {
  const db = t.testDb.database.db;
  const at = t.clock.now().toISOString();
  const visitId = 'access-visit-b';
  await db
    .insertInto('return_visits')
    .values({
      id: visitId,
      ticket_id: ticketId,
      community_id: communityId,
      open_ticket_id: ticketId,
      kind: 'repair_indoor',
      mode: 'always',
      status: 'open',
      assignee_id: null,
      completed_at: at,
      due_at: at,
      next_attempt_at: null,
      last_outcome: null,
      close_reason: null,
      resolved: null,
      rating_id: null,
      comment: null,
      created_at: at,
      updated_at: at,
      done_at: null,
    })
    .execute();
  await db
    .insertInto('ratings')
    .values({
      id: 'access-rating-b',
      ticket_id: ticketId,
      community_id: communityId,
      source: 'link',
      visit_id: null,
      overall: 1,
      speed: 1,
      attitude: 1,
      quality: 1,
      comment: null,
      created_by: null,
      created_at: at,
    })
    .execute();
  await db
    .insertInto('visit_followups')
    .values({
      id: 'access-followup-b',
      ticket_id: ticketId,
      community_id: communityId,
      rating_id: 'access-rating-b',
      visit_id: null,
      reason: 'overall',
      status: 'open',
      assignee_id: null,
      outcome: null,
      closed_by: null,
      closed_at: null,
      created_at: at,
    })
    .execute();
  return { visitId, followupId: 'access-followup-b' };
}
