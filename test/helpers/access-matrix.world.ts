// The world the access matrix runs in: createTestApp's two communities, filled with one record of
// every kind in each (so that every route has a real record of A to succeed on and one of B to be
// refused), community B's records carrying unique marker texts, and the actors: every seeded role,
// an admin of community A only, and API tokens of narrower scope.
import { DESK_ROLES, type Role, USER_ROLES } from '../../src/domain/roles.js';
import { systemContext } from '../../src/server/platform/context.js';
import { jpegPhoto, multipart, pdfFile } from '../fixtures/attachments/files.js';
import { type Actor, sessionClient, tokenClient } from './access-matrix.js';
import { type Client, PASSWORD, SEEDED_USERS, type TestApp } from './app.js';

type Json = Record<string, unknown>;
type Community = 'A' | 'B';

/** Texts that exist only in community B's records: none may appear in an answer to A's actors. */
export const B_TEXT = {
  ticket: '翠湖苑机密报修-B7Q',
  complaint: '翠湖苑机密投诉-B7Q',
  message: '翠湖苑机密留言-B7Q',
  article: '翠湖苑机密问答-B7Q',
  survey: '翠湖苑机密调查-B7Q',
  building: '翠湖苑机密楼-B7Q',
  resident: '赵秘乙',
  residentPhone: '13911112222',
  attachmentText: 'B7Q-ATTACHMENT-OF-COMMUNITY-B',
  caller: '钱秘乙',
  callerPhone: '13933334444',
} as const;

const MINUTE = 60_000;

/** Ids of the records of one community. */
export interface Place {
  communityId: string;
  buildingId: string;
  unitId: string;
  roomId: string;
  room2Id: string;
  publicAreaId: string;
  residentId: string;
  teamId: string;
  /** A repair request dispatched to the team, its job with technician-a (A) or admin-2 (B). */
  ticketId: string;
  photoId: string;
  fileId: string;
  importId: string;
  notificationId: string;
  slaPolicyId: string;
  callbackId: string;
  callId: string;
  visitId: string;
  followupId: string;
  surveyId: string;
  articleId: string;
  sampleId: string;
  checkId: string;
}

export interface MatrixWorld {
  A: Place;
  B: Place;
  /** Company-wide records (one company per install). */
  categoryId: string;
  priceId: string;
  scriptId: string;
  phraseId: string;
  /** An alert addressed to quality about community B: nobody else may mark it read. */
  alertOfOtherId: string;
  userIds: Map<string, string>;
  /** Everything only community B has: names, phones, texts, ids. */
  markers: string[];
}

/**
 * Drives requests through the API as an admin who sees every community (admin-2), the way the
 * console does, and walks requests through their lifecycle as the people who hold them.
 */
export class Flow {
  constructor(
    readonly t: TestApp,
    readonly admin: Client,
    /** A session of the user with this id (a token acts as the admin who created it). */
    readonly sessionOf: (userId: string) => Client,
  ) {}

  async ok(res: { statusCode: number; body: string; json(): unknown }, what: string): Promise<Json> {
    if (res.statusCode >= 300) throw new Error(`${what}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return (res.statusCode === 204 ? {} : res.json()) as Json;
  }

  async post(url: string, body?: unknown, as: Client = this.admin) {
    return this.ok(await as.post(url, body), `POST ${url}`);
  }
  async get(url: string, as: Client = this.admin) {
    return this.ok(await as.get(url), `GET ${url}`);
  }
  async put(url: string, body: unknown, as: Client = this.admin) {
    return this.ok(await as.put(url, body), `PUT ${url}`);
  }

  /** A new request in a place; a repair in its room unless told otherwise. */
  async ticket(place: Place, extra: Json = {}) {
    return this.post('/api/v1/tickets', {
      communityId: place.communityId,
      roomId: place.roomId,
      residentId: place.residentId,
      type: 'repair',
      channel: 'phone',
      content: '阳台地漏堵塞',
      ...extra,
    }) as Promise<{ id: string; version: number }>;
  }

  /** A lift entrapment (R16) in a place's public area. */
  async emergency(place: Place) {
    return this.post('/api/v1/tickets', {
      communityId: place.communityId,
      publicAreaId: place.publicAreaId,
      callerName: '孙先生',
      callerPhone: '13800138001',
      type: 'emergency',
      channel: 'phone',
      content: '1号梯困人',
      emergency: { kind: 'lift_entrapment', lift: '1号梯', floor: '6', people: 1 },
    }) as Promise<{ id: string; version: number }>;
  }

  async version(id: string) {
    return (await this.get(`/api/v1/tickets/${id}`)).version as number;
  }

  /** A step of a request's life; the version is read first unless the caller knows it. */
  async act(id: string, action: string, body: Json = {}, as: Client = this.admin, version?: number) {
    return this.post(
      `/api/v1/tickets/${id}/${action}`,
      { version: version ?? (await this.version(id)), ...body },
      as,
    );
  }

  /**
   * Walks a new request of the place to a state, its job with `assigneeId` in the place's team
   * ('pool': dispatched to the team with nobody on it yet, for 抢单); its id and version.
   */
  async ticketAt(
    place: Place,
    state: 'received' | 'pool' | 'dispatched' | 'accepted' | 'in_progress' | 'pending' | 'done',
    assigneeId: string,
    extra: Json = {},
  ): Promise<{ id: string; version: number }> {
    const created = await this.ticket(place, extra);
    const id = created.id;
    let version = created.version;
    const step = async (action: string, body: Json = {}, as: Client = this.admin) => {
      version = (await this.act(id, action, body, as, version)).version as number;
    };
    if (state === 'pool') await step('dispatch', { teamId: place.teamId });
    if (state === 'received' || state === 'pool') return { id, version };
    await step('dispatch', { teamId: place.teamId, assigneeId });
    if (state === 'dispatched') return { id, version };
    const worker = this.sessionOf(assigneeId);
    await step('accept', {}, worker);
    if (state === 'pending')
      await step('pend', { reason: '等待配件', nextStep: '配件到后上门', eta: '2026-12-05T02:00:00.000Z' });
    if (state === 'accepted' || state === 'pending') return { id, version };
    await step('start', {}, worker);
    if (state === 'in_progress') return { id, version };
    await step(
      'complete',
      { report: { cause: '管道堵塞', work: '疏通', charge: extra.paid ? 50 : undefined } },
      worker,
    );
    return { id, version };
  }

  /** A finished repair in a room, which gets its return visit (repair_indoor: always, R33). */
  async visit(place: Place) {
    const { id: ticketId } = await this.ticketAt(place, 'done', this.userId('admin-2'));
    const visit = await this.t.testDb.database.db
      .selectFrom('return_visits')
      .select('id')
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst();
    if (!visit) throw new Error(`no return visit for ${ticketId}`);
    return { id: visit.id, ticketId };
  }

  /** Records that the resident answered the return visit's call; the visit's version after it. */
  async reached(visitId: string) {
    const { version } = await this.get(`/api/v1/return-visits/${visitId}`);
    const after = await this.post(`/api/v1/return-visits/${visitId}/attempts`, {
      version,
      outcome: 'reached',
    });
    return after.version as number;
  }

  /** A follow-up (R35): the resident told the return visit they were not satisfied. */
  async followup(place: Place) {
    const visit = await this.visit(place);
    await this.post(`/api/v1/return-visits/${visit.id}/result`, {
      version: await this.reached(visit.id),
      resolved: false,
      overall: 1,
      speed: 1,
      attitude: 1,
      quality: 1,
      comment: '没修好',
    });
    const followup = await this.t.testDb.database.db
      .selectFrom('visit_followups')
      .select('id')
      .where('ticket_id', '=', visit.ticketId)
      .executeTakeFirst();
    if (!followup) throw new Error(`no follow-up for ${visit.ticketId}`);
    return followup.id;
  }

  /** A message taken for someone (R30): a callback, and an alert for the person it is for. */
  async message(place: Place, forUserId: string | null, content = '请回电') {
    return this.post('/api/v1/callbacks/messages', {
      communityId: place.communityId,
      callerName: '周女士',
      phone: '13700137001',
      content,
      ...(forUserId ? { forUserId } : { forTeamId: place.teamId }),
      readBack: true,
    }) as Promise<{ id: string }>;
  }

  /** An alert (R30) addressed to the user: the message taken for them. */
  async alertFor(place: Place, userId: string) {
    await this.message(place, userId);
    const row = await this.t.testDb.database.db
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** A spot check (R39): a complaint taken by `agent`, drawn into the week's sample of the place. */
  async sample(place: Place, agent: Client, content = '投诉电梯噪音') {
    const { id: ticketId } = (await this.ok(
      await agent.post('/api/v1/tickets', {
        communityId: place.communityId,
        roomId: place.roomId,
        residentId: place.residentId,
        type: 'complaint',
        channel: 'phone',
        content,
      }),
      'complaint',
    )) as { id: string };
    const quality = this.sessionOf(this.userId('quality'));
    const drawn = (await this.post(
      '/api/v1/quality/samples/draw',
      { week: '2026-W49', communityId: place.communityId },
      quality,
    )) as { items: { id: string; subjectId: string }[] };
    let sample = drawn.items.find((s) => s.subjectId === ticketId);
    if (!sample) {
      const all = (await this.get(
        `/api/v1/quality/samples?week=2026-W49&communityId=${place.communityId}&limit=200`,
        quality,
      )) as { items: { id: string; subjectId: string }[] };
      sample = all.items.find((s) => s.subjectId === ticketId);
    }
    if (!sample) throw new Error(`the complaint ${ticketId} was not drawn`);
    return sample.id;
  }

  /** A scored spot check of a complaint taken by `agent` (theirs to acknowledge). */
  async check(place: Place, agent: Client) {
    const sampleId = await this.sample(place, agent);
    const quality = this.sessionOf(this.userId('quality'));
    const sheet = (await this.get('/api/v1/quality/sheet', quality)) as {
      items: { key: string; maxPoints: number }[];
    };
    const scores = Object.fromEntries(sheet.items.map((i) => [i.key, i.maxPoints]));
    const checked = (await this.post(`/api/v1/quality/samples/${sampleId}/check`, { scores }, quality)) as {
      check: { id: string };
    };
    return checked.check.id;
  }

  /** An upload of community data: a CSV of one household. */
  async upload(place: Place, line = '3-2-1502,吴七,13600136001') {
    const res = await this.admin.request({
      method: 'POST',
      url: `/api/v1/imports?communityId=${place.communityId}&fileName=m.csv`,
      payload: Buffer.from(`房屋,姓名,电话\n${line}\n`),
      headers: { 'content-type': 'text/csv' },
    });
    return (await this.ok(res, 'import')) as { id: string; revision: number };
  }

  async attach(ticketId: string, kind: string, fileName: string, data: Buffer, as: Client = this.admin) {
    const form = multipart({ kind }, [{ fileName, data }]);
    const res = await as.request({
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/attachments`,
      payload: form.payload,
      headers: form.headers,
    });
    return (await this.ok(res, 'attachment')) as { id: string };
  }

  /** A PBX call from a number (§4), through the telephony token. */
  async call(pbx: Client, from: string, callId: string) {
    await this.ok(
      await pbx.post('/api/v1/cti/events', {
        event: 'newCall',
        callId,
        from,
        to: '4008001234',
        direction: 'in',
      }),
      'cti',
    );
    const row = await this.t.testDb.database.db
      .selectFrom('calls')
      .select('id')
      .where('pbx_call_id', '=', callId)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async survey(place: Place, title = '年度满意度调查') {
    return this.post('/api/v1/surveys', {
      communityId: place.communityId,
      title,
      anonymous: true,
      questions: [{ kind: 'scale', text: '请为物业服务打分' }],
    }) as Promise<{ id: string; version: number }>;
  }

  async article(place: Place | null, question = '停车卡丢了怎么办？', answer = '请到服务中心补办') {
    return this.post('/api/v1/knowledge', {
      ...(place ? { communityId: place.communityId } : {}),
      category: 'lost_card',
      question,
      answer,
    }) as Promise<{ id: string; version: number }>;
  }

  async resident(place: Place, phone: string, name = '郑住户') {
    return this.post('/api/v1/residents', {
      communityId: place.communityId,
      roomId: place.roomId,
      name,
      phone,
      kind: 'owner',
    }) as Promise<{ id: string; version: number }>;
  }

  userId(username: string) {
    const id = this.users.get(username);
    if (!id) throw new Error(`no user ${username}`);
    return id;
  }
  users = new Map<string, string>();
}

/** The actors: every seeded user, an admin of community A only, and API tokens. */
export interface Actors {
  all: Actor[];
  /** Sessions by username, for acting as the assignee of a job. */
  sessions: Map<string, Client>;
  /** The telephony integration's token (the only actor of the PBX webhook). */
  pbx: Client;
}

/** Tokens of narrower scope than their creator (admin-2, who sees every community). */
const TOKENS: { name: string; roles: readonly Role[]; communityA: boolean }[] = [
  { name: 'token agent@A', roles: ['agent'], communityA: true },
  { name: 'token technician@A', roles: ['technician'], communityA: true },
  { name: 'token every-role@A', roles: USER_ROLES, communityA: true },
  { name: 'token quality@all', roles: ['quality'], communityA: false },
  { name: 'token telephony@all', roles: ['telephony'], communityA: false },
];

export async function buildActors(t: TestApp): Promise<{ actors: Actors; users: Map<string, string> }> {
  const ctx = systemContext();
  const adminA = await t.services.staff.create(ctx, {
    username: 'admin-a',
    employeeNo: '900',
    name: '小区A管理员',
    roles: ['admin'],
    communityIds: [t.world.communityA.id],
    password: PASSWORD,
  });
  await t.services.staffRepo.update(adminA.id, { must_change_password: 0 });
  const people = [...SEEDED_USERS, { username: 'admin-a', roles: ['admin'] as Role[], all: false }];
  const users = new Map<string, string>();
  const sessions = new Map<string, Client>();
  const all: Actor[] = [];
  for (const person of people) {
    const user = (await t.services.staffRepo.findByLogin(person.username))!;
    users.set(person.username, user.id);
    const client = await sessionClient(t, user.id);
    sessions.set(person.username, client);
    // §4: the desk's people have an extension (click to call rings it)
    if (person.roles.some((r) => DESK_ROLES.includes(r))) {
      const res = await client.put('/api/v1/me/extension', { extension: `8${user.employee_no}` });
      if (res.statusCode !== 200) throw new Error(`extension of ${person.username}: ${res.body}`);
    }
    all.push({
      name: person.username,
      kind: 'session',
      roles: person.roles,
      seesB: person.all ?? false,
      userId: user.id,
      client,
    });
  }
  const creator = sessions.get('admin-2')!;
  let pbx: Client | null = null;
  for (const token of TOKENS) {
    const res = await creator.post('/api/v1/api-tokens', {
      name: token.name,
      roles: token.roles,
      communityIds: token.communityA ? [t.world.communityA.id] : [],
      allCommunities: !token.communityA,
    });
    if (res.statusCode !== 201) throw new Error(`token ${token.name}: ${res.statusCode} ${res.body}`);
    const client = tokenClient(t, res.json().token as string);
    if (token.roles.includes('telephony')) pbx = client;
    all.push({
      name: token.name,
      kind: 'token',
      roles: token.roles,
      seesB: !token.communityA,
      userId: users.get('admin-2')!,
      client,
    });
  }
  return { actors: { all, sessions, pbx: pbx! }, users };
}

/** Fills both communities; community B's records carry the marker texts. */
export async function buildWorld(t: TestApp, flow: Flow, actors: Actors): Promise<MatrixWorld> {
  const ctx = systemContext();
  const w = t.world;
  const db = t.testDb.database.db;
  const userIds = flow.users;
  const admin2 = userIds.get('admin-2')!;

  const base = async (community: Community) => {
    const communityId = community === 'A' ? w.communityA.id : w.communityB.id;
    const [building] = (await t.services.registry.listBuildings(ctx, { communityId })).items;
    const [unit] = (await t.services.registry.listUnits(ctx, { buildingId: building!.id })).items;
    const room2 = await t.services.registry.createRoom(ctx, {
      unitId: unit!.id,
      number: '1601',
      status: 'vacant',
    });
    const [area] = (await t.services.registry.listPublicAreas(ctx, { communityId })).items;
    return {
      communityId,
      buildingId: building!.id,
      unitId: unit!.id,
      roomId: community === 'A' ? w.roomA.id : w.roomB.id,
      room2Id: room2.id,
      publicAreaId: area!.id,
      residentId: community === 'A' ? w.residentA.id : w.residentB.id,
    };
  };
  const a = await base('A');
  const b = await base('B');
  // every member of staff of A is in A's team (field staff see the jobs of their teams), and
  // admin-2, who acts for the tokens; B's team has admin-2 only
  const teamA = await t.services.teams.create(ctx, {
    communityId: a.communityId,
    name: '综合维修组',
    kind: 'repair',
  });
  await t.services.teams.setMembers(ctx, teamA.id, {
    userIds: [...userIds.values()],
  });
  const teamB = await t.services.teams.create(ctx, {
    communityId: b.communityId,
    name: '翠湖苑维修组',
    kind: 'repair',
  });
  await t.services.teams.setMembers(ctx, teamB.id, { userIds: [admin2] });

  // the return visits of finished repairs in rooms are always made (the default, R33)
  const partial = (p: typeof a, teamId: string) => ({ ...p, teamId }) as Place;
  const A = partial(a, teamA.id);
  const B = partial(b, teamB.id);
  // B's own texts: a building, a resident and a phone of its own
  await t.services.registry.updateBuilding(ctx, B.buildingId, { name: B_TEXT.building });
  const residentB2 = await flow.resident(B, B_TEXT.residentPhone, B_TEXT.resident);

  const technicianA = userIds.get('technician-a')!;
  A.ticketId = (await flow.ticketAt(A, 'dispatched', technicianA, { content: '阳光花园厨房水龙头漏水' })).id;
  B.ticketId = (
    await flow.ticketAt(B, 'dispatched', admin2, { content: B_TEXT.ticket, residentId: residentB2.id })
  ).id;
  for (const [place, text] of [
    [A, 'A'],
    [B, B_TEXT.attachmentText],
  ] as const) {
    place.photoId = (await flow.attach(place.ticketId, 'photo_before', 'p.jpg', await jpegPhoto(64, 48))).id;
    const pdf = Buffer.concat([pdfFile(), Buffer.from(`% ${text}\n`)]);
    place.fileId = (await flow.attach(place.ticketId, 'file', 'f.pdf', pdf)).id;
  }
  A.importId = (await flow.upload(A)).id;
  B.importId = (await flow.upload(B, `3-2-1502,${B_TEXT.resident},${B_TEXT.residentPhone}`)).id;
  for (const place of [A, B]) {
    place.notificationId = (
      await db
        .selectFrom('notifications')
        .select('id')
        .where('ticket_id', '=', place.ticketId)
        .executeTakeFirstOrThrow()
    ).id;
    place.slaPolicyId = (
      (await flow.post('/api/v1/sla/policies', {
        communityId: place.communityId,
        ticketType: 'suggestion',
        target: 'resolution',
        minutes: 600,
      })) as { id: string }
    ).id;
  }
  // a message for admin-2 in B: admin-2's alert about B, which the tokens admin-2 made for A must not read
  B.callbackId = (await flow.message(B, admin2, B_TEXT.message)).id;
  // A's callback is for A's team, in which everybody is
  A.callbackId = (await flow.message(A, null)).id;
  A.callId = await flow.call(actors.pbx, '13800138000', 'matrix-call-a');
  B.callId = await flow.call(actors.pbx, B_TEXT.residentPhone, 'matrix-call-b');
  A.visitId = (await flow.visit(A)).id;
  B.visitId = (await flow.visit(B)).id;
  A.followupId = await flow.followup(A);
  B.followupId = await flow.followup(B);
  A.surveyId = (await flow.survey(A)).id;
  B.surveyId = (await flow.survey(B, B_TEXT.survey)).id;
  A.articleId = (await flow.article(A)).id;
  B.articleId = (await flow.article(B, B_TEXT.article, B_TEXT.article)).id;
  // spot checks: of agent-a's complaint in A; of admin-2's complaint in B (admin-2's own result)
  A.sampleId = await flow.sample(A, actors.sessions.get('agent-a')!);
  A.checkId = await flow.check(A, actors.sessions.get('agent-a')!);
  B.sampleId = await flow.sample(B, flow.admin, B_TEXT.complaint);
  B.checkId = await flow.check(B, flow.admin);

  // R26: a breach on B's request escalates and alerts the level it reached (quality)
  await db
    .transaction()
    .execute((trx) => t.services.ticketActions.escalateForBreach(trx, B.ticketId, 'accept', t.clock.now()));
  const alertOfOther = await db
    .selectFrom('notifications')
    .select('id')
    .where('ticket_id', '=', B.ticketId)
    .where('user_id', '=', userIds.get('quality')!)
    .executeTakeFirstOrThrow();

  const category = (await flow.post('/api/v1/ticket-categories', { name: '水电维修', code: 'mx_water' })) as {
    id: string;
  };
  const price = (await flow.post(`/api/v1/ticket-categories/${category.id}/prices`, {
    name: '更换水龙头',
    unit: '个',
    price: 30,
  })) as { id: string };
  const scripts = (await flow.get('/api/v1/knowledge/scripts')) as { items: { id: string }[] };
  const phrase = (await flow.post('/api/v1/language/phrases', {
    phrase: '矩阵测试用语',
    category: 'other',
    severity: 'warning',
  })) as { id: string };

  // let time pass so that the clocks, visits and reports have something to say
  t.clock.advance(MINUTE);

  const markers = [
    w.communityB.name,
    w.residentB.name,
    w.residentB.phone,
    '139****9000',
    ...Object.values(B_TEXT),
    '139****2222',
    residentB2.id,
    ...Object.values(B).filter((v): v is string => typeof v === 'string'),
    w.ticketB.id,
  ];
  return {
    A,
    B,
    categoryId: category.id,
    priceId: price.id,
    scriptId: scripts.items[0]!.id,
    phraseId: phrase.id,
    alertOfOtherId: alertOfOther.id,
    userIds,
    markers: [...new Set(markers)],
  };
}
