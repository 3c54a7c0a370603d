// One fixture per API route for the access matrix: how to call the route on community A's data
// (fresh records per actor where the call changes them, so that every actor the declaration lets
// through can succeed), what an actor let through gets there when it is not 2xx (and why), and
// how to aim the call at community B's data. A route without a fixture fails the matrix, with a
// message saying what to add here.
import { STANDARD_CALENDAR } from '../../src/domain/business-time.js';
import { DESK_ROLES, type Role } from '../../src/domain/roles.js';
import {
  LIFECYCLE,
  REOPEN_ROLES,
  TICKET_ACTIONS,
  type TicketAction,
} from '../../src/domain/ticket-lifecycle.js';
import { jpegPhoto, multipart } from '../fixtures/attachments/files.js';
import { type Actor, type Expect, type Req, sessionClient } from './access-matrix.js';
import type { Actors, Flow, MatrixWorld, Place } from './access-matrix.world.js';
import { PASSWORD, type TestApp } from './app.js';

export interface Env {
  t: TestApp;
  w: MatrixWorld;
  flow: Flow;
  actors: Actors;
}

/** A call aimed at community B, and what an actor who does not see B gets. */
export interface OtherCase {
  req: Req;
  expect: Expect;
}

export interface RouteFixture {
  /** The call on community A (or company-wide data), made once per actor the declaration lets through. */
  own(actor: Actor, env: Env): Req | Promise<Req>;
  /** What such an actor gets, when it is not 2xx; the rule is named where this is set. */
  ownExpect?(actor: Actor): Expect;
  /**
   * The same call aimed at community B: for an actor who does not see B, each case's status (and
   * no B data in any 2xx); for one who does, any 2xx on reads (the record exists).
   */
  other?(env: Env, actor: Actor): OtherCase[] | Promise<OtherCase[]>;
  /** Why there is no community-B variant: company-wide data, one's own session or alerts … */
  noOther?: string;
  /** Runs after every other route of the actor (changing one's password ends other sessions). */
  last?: boolean;
  /** The actors take turns: the call changes one shared record (versioned, or the same row). */
  serial?: boolean;
}

const GET = (url: string): Req => ({ method: 'GET', url });
const POST = (url: string, body?: unknown): Req => ({ method: 'POST', url, body });
const PUT = (url: string, body: unknown): Req => ({ method: 'PUT', url, body });
const PATCH = (url: string, body: unknown): Req => ({ method: 'PATCH', url, body });
const DELETE = (url: string): Req => ({ method: 'DELETE', url });
const has = (actor: Actor, roles: readonly Role[]) => actor.roles.some((r) => roles.includes(r));
/** Only a person has a profile, a password, an extension, alerts of their own (not an integration). */
const personOnly = (actor: Actor): Expect => (actor.kind === 'session' ? '2xx' : 403);
let serial = 0;
/** A unique suffix for names and codes made per actor. */
const uniq = () => `${(++serial).toString(36)}${Date.now().toString(36).slice(-3)}`.toUpperCase();

/** A record of A by id: 2xx; B's record: 404 (as if it did not exist, R61). */
function byId(
  method: Req['method'],
  path: string,
  pick: (p: Place, env: Env) => string,
  body?: (env: Env) => unknown,
): RouteFixture {
  const req = (p: Place, env: Env): Req => ({
    method,
    url: path.replace(':id', pick(p, env)),
    ...(body ? { body: body(env) } : {}),
  });
  return { own: (_a, env) => req(env.w.A, env), other: (env) => [{ req: req(env.w.B, env), expect: 404 }] };
}

/** A list: A's, scanned for B; filtered to B, `otherExpect` (an empty list, or 404). */
function list(
  url: string,
  filterToB: ((w: MatrixWorld) => string) | null,
  otherExpect: Expect = '2xx',
): RouteFixture {
  const join = url.includes('?') ? '&' : '?';
  return {
    own: () => GET(url),
    ...(filterToB
      ? { other: (env: Env) => [{ req: GET(`${url}${join}${filterToB(env.w)}`), expect: otherExpect }] }
      : { noOther: 'the list itself is scanned for community B' }),
  };
}

const communityB = (w: MatrixWorld) => `communityId=${w.B.communityId}`;

/** Writes on community B's record with a body that passes validation: 404 before anything is read. */
function writeOnB(method: Req['method'], path: string, pick: (p: Place) => string, body: unknown) {
  return (env: Env): OtherCase[] => [
    { req: { method, url: path.replace(':id', pick(env.w.B)), body }, expect: 404 },
  ];
}

// ---- the ticket lifecycle: a fresh request per actor, in the state the step starts from ----

const START: Record<TicketAction, { state: Parameters<Flow['ticketAt']>[1]; extra?: object }> = {
  // a dispatched job (re-dispatch) is seen by its team, so field staff meet the rule, not a 404
  dispatch: { state: 'dispatched' },
  grab: { state: 'pool' },
  accept: { state: 'dispatched' },
  decline: { state: 'dispatched' },
  arrive: { state: 'accepted' },
  start: { state: 'accepted' },
  complete: { state: 'in_progress' },
  pend: { state: 'accepted' },
  resume: { state: 'pending' },
  reassign: { state: 'accepted' },
  escalate: { state: 'dispatched' },
  // only a received inquiry may be answered at once
  answer: { state: 'received', extra: { type: 'inquiry', content: '物业费怎么交？' } },
  close: { state: 'done' },
  reopen: { state: 'done' },
  cancel: { state: 'dispatched' },
};

const BODY: Record<TicketAction, (env: Env) => object> = {
  dispatch: (e) => ({ teamId: e.w.A.teamId }),
  grab: () => ({}),
  accept: () => ({}),
  decline: () => ({ reason: '不在服务范围' }),
  arrive: () => ({}),
  start: () => ({}),
  complete: () => ({ report: { cause: '密封圈老化', work: '更换密封圈' } }),
  pend: () => ({ reason: '等待配件', nextStep: '到货后上门', eta: '2026-12-08T02:00:00.000Z' }),
  resume: () => ({}),
  reassign: (e) => ({ teamId: e.w.A.teamId, assigneeId: e.w.userIds.get('technician-a') }),
  escalate: () => ({ reason: '住户多次来电' }),
  answer: () => ({ reply: '您好，物业费可在服务中心或线上缴纳，谢谢。' }),
  close: () => ({}),
  reopen: () => ({ reason: '住户反映仍未修好' }),
  cancel: () => ({ reason: '住户已自行处理' }),
};

/** Who may take a step, from the lifecycle's own table (the actor holds the job and is in its team). */
function lifecycleExpect(action: TicketAction, actor: Actor): Expect {
  switch (LIFECYCLE[action].who) {
    case 'desk':
      // a received request has no team yet: field staff do not see it at all (R61)
      if (START[action].state === 'received' && !has(actor, [...DESK_ROLES, 'quality'])) return 404;
      return has(actor, DESK_ROLES) ? '2xx' : 403;
    case 'reopen':
      return has(actor, REOPEN_ROLES) ? '2xx' : 403;
    default:
      return '2xx';
  }
}

function lifecycleFixtures(): Record<string, RouteFixture> {
  const out: Record<string, RouteFixture> = {};
  for (const action of TICKET_ACTIONS) {
    out[`POST /api/v1/tickets/:id/${action}`] = {
      async own(actor, env) {
        const { state, extra } = START[action];
        const { id, version } = await env.flow.ticketAt(
          env.w.A,
          state,
          actor.userId,
          extra as Record<string, unknown>,
        );
        return POST(`/api/v1/tickets/${id}/${action}`, { version, ...BODY[action](env) });
      },
      ownExpect: (actor) => lifecycleExpect(action, actor),
      other: (env) => [
        {
          req: POST(`/api/v1/tickets/${env.w.B.ticketId}/${action}`, { version: 1, ...BODY[action](env) }),
          expect: 404,
        },
      ],
    };
  }
  return out;
}

/** Calls that change one shared record (the same row, or a versioned one): the actors take turns. */
const SHARED_RECORD = [
  'PUT /api/v1/company',
  'PATCH /api/v1/communities/:id',
  'PATCH /api/v1/buildings/:id',
  'PATCH /api/v1/units/:id',
  'PATCH /api/v1/public-areas/:id',
  'PATCH /api/v1/teams/:id',
  'PUT /api/v1/teams/:id/members/:userId/duty',
  'PATCH /api/v1/ticket-categories/:id',
  'PATCH /api/v1/category-prices/:id',
  'POST /api/v1/tickets/:id/notes',
  'POST /api/v1/tickets/:id/attachments',
  'PATCH /api/v1/sla/policies/:id',
  'PUT /api/v1/sla/calendars/company',
  'PUT /api/v1/sla/calendars/communities/:id',
  'POST /api/v1/sla/reapply',
  'PUT /api/v1/return-visit-policies',
  'PUT /api/v1/quality/sheet',
  'POST /api/v1/quality/samples/draw',
  'PATCH /api/v1/knowledge/scripts/:id',
];

export function fixtures(): Record<string, RouteFixture> {
  const table = routeFixtures();
  for (const route of SHARED_RECORD) table[route] = { ...table[route]!, serial: true };
  return table;
}

function routeFixtures(): Record<string, RouteFixture> {
  return {
    // ---- auth: one's own session ----
    'POST /api/v1/auth/logout': {
      // a session of its own, so that the actor's session lives on
      own: async (actor, env) =>
        actor.kind === 'session'
          ? { ...POST('/api/v1/auth/logout'), as: await sessionClient(env.t, actor.userId) }
          : POST('/api/v1/auth/logout'),
      noOther: "one's own session",
    },
    'GET /api/v1/me': { own: () => GET('/api/v1/me'), ownExpect: personOnly, noOther: "one's own profile" },
    'PATCH /api/v1/me': {
      own: () => PATCH('/api/v1/me', { locale: 'zh-CN' }),
      ownExpect: personOnly,
      noOther: "one's own profile",
    },
    'PUT /api/v1/me/password': {
      own: () => PUT('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'Matrix#2026pw' }),
      ownExpect: personOnly,
      noOther: "one's own password",
      last: true,
    },

    // ---- staff and API tokens: the company's ----
    'GET /api/v1/staff': { own: () => GET('/api/v1/staff'), noOther: 'the staff are the company’s' },
    'GET /api/v1/staff/directory': {
      own: (_a, e) => GET(`/api/v1/staff/directory?communityId=${e.w.A.communityId}`),
      other: (e) => [{ req: GET(`/api/v1/staff/directory?${communityB(e.w)}`), expect: 404 }],
    },
    'POST /api/v1/staff': {
      own: (_a, e) => {
        const n = uniq();
        return POST('/api/v1/staff', {
          username: `mx-${n.toLowerCase()}`,
          employeeNo: `MX${n}`,
          name: '矩阵员工',
          roles: ['agent'],
          communityIds: [e.w.A.communityId],
          password: PASSWORD,
        });
      },
      // an admin of A alone may not make someone of B, nor someone of every community
      other: (e) => {
        const n = uniq();
        const body = {
          username: `mx-${n.toLowerCase()}`,
          employeeNo: `MX${n}`,
          name: '越权员工',
          roles: ['agent'],
          password: PASSWORD,
        };
        return [
          { req: POST('/api/v1/staff', { ...body, communityIds: [e.w.B.communityId] }), expect: 400 },
          {
            req: POST('/api/v1/staff', {
              ...body,
              username: `${body.username}x`,
              employeeNo: `${body.employeeNo}X`,
              communityIds: [],
              allCommunities: true,
            }),
            expect: 403,
          },
        ];
      },
    },
    'GET /api/v1/staff/:id': {
      own: (_a, e) => GET(`/api/v1/staff/${e.w.userIds.get('technician-a')}`),
      noOther: 'the staff are the company’s',
    },
    'PATCH /api/v1/staff/:id': {
      own: async (_a, e) => PATCH(`/api/v1/staff/${await newStaff(e)}`, { name: '改名员工' }),
      other: async (e) => {
        const id = await newStaff(e);
        return [
          { req: PATCH(`/api/v1/staff/${id}`, { communityIds: [e.w.B.communityId] }), expect: 400 },
          { req: PATCH(`/api/v1/staff/${id}`, { allCommunities: true }), expect: 403 },
          // someone who also works where the caller does not (quality sees every community)
          { req: PATCH(`/api/v1/staff/${e.w.userIds.get('quality')}`, { name: '越权' }), expect: 403 },
        ];
      },
    },
    'POST /api/v1/staff/:id/reset-password': {
      own: async (_a, e) =>
        POST(`/api/v1/staff/${await newStaff(e)}/reset-password`, { newPassword: 'Reset#2026pw' }),
      // an admin of A alone may not take over someone who sees B by resetting their password
      other: (e) => [
        {
          req: POST(`/api/v1/staff/${e.w.userIds.get('quality')}/reset-password`, {
            newPassword: 'Reset#2026pw',
          }),
          expect: 403,
        },
      ],
    },
    'GET /api/v1/api-tokens': {
      own: () => GET('/api/v1/api-tokens'),
      noOther: 'the tokens are the company’s',
    },
    'POST /api/v1/api-tokens': {
      own: (_a, e) =>
        POST('/api/v1/api-tokens', {
          name: `矩阵${uniq()}`,
          roles: ['agent'],
          communityIds: [e.w.A.communityId],
        }),
      // an admin of A alone may not make a key to B, nor to every community
      other: (e) => [
        {
          req: POST('/api/v1/api-tokens', {
            name: '越权',
            roles: ['agent'],
            communityIds: [e.w.B.communityId],
          }),
          expect: 400,
        },
        {
          req: POST('/api/v1/api-tokens', {
            name: '越权',
            roles: ['agent'],
            communityIds: [],
            allCommunities: true,
          }),
          expect: 403,
        },
      ],
    },
    'DELETE /api/v1/api-tokens/:id': {
      own: async (_a, e) => {
        const made = await e.flow.post('/api/v1/api-tokens', {
          name: `待撤销${uniq()}`,
          roles: ['agent'],
          communityIds: [e.w.A.communityId],
        });
        return DELETE(`/api/v1/api-tokens/${(made.apiToken as { id: string }).id}`);
      },
      noOther: 'the tokens are the company’s',
    },

    // ---- company ----
    'GET /api/v1/company': { own: () => GET('/api/v1/company'), noOther: 'one company per install' },
    'PUT /api/v1/company': {
      own: async (_a, e) => {
        const { name, shortName, timeZone } = await e.flow.get('/api/v1/company');
        return PUT('/api/v1/company', { name, shortName, timeZone });
      },
      noOther: 'one company per install',
    },

    // ---- registry ----
    'GET /api/v1/communities': list('/api/v1/communities', null),
    'POST /api/v1/communities': {
      own: () => POST('/api/v1/communities', { name: `矩阵小区${uniq()}`, code: `MX${uniq()}` }),
      noOther: 'a new community',
    },
    'GET /api/v1/communities/:id': byId('GET', '/api/v1/communities/:id', (p) => p.communityId),
    'PATCH /api/v1/communities/:id': {
      own: (_a, e) => PATCH(`/api/v1/communities/${e.w.A.communityId}`, { address: '阳光路1号' }),
      other: writeOnB('PATCH', '/api/v1/communities/:id', (p) => p.communityId, { address: '越权' }),
    },
    'GET /api/v1/communities/:id/tree': byId('GET', '/api/v1/communities/:id/tree', (p) => p.communityId),
    'GET /api/v1/buildings': list('/api/v1/buildings', communityB),
    'POST /api/v1/buildings': {
      own: (_a, e) => POST('/api/v1/buildings', { communityId: e.w.A.communityId, name: `${uniq()}栋` }),
      other: (e) => [
        { req: POST('/api/v1/buildings', { communityId: e.w.B.communityId, name: '9栋' }), expect: 400 },
      ],
    },
    'GET /api/v1/buildings/:id': byId('GET', '/api/v1/buildings/:id', (p) => p.buildingId),
    'PATCH /api/v1/buildings/:id': {
      own: (_a, e) => PATCH(`/api/v1/buildings/${e.w.A.buildingId}`, { code: 'B3' }),
      other: writeOnB('PATCH', '/api/v1/buildings/:id', (p) => p.buildingId, { code: 'X' }),
    },
    'GET /api/v1/units': list('/api/v1/units', communityB),
    'POST /api/v1/units': {
      own: (_a, e) => POST('/api/v1/units', { buildingId: e.w.A.buildingId, name: `${uniq()}单元` }),
      other: (e) => [
        { req: POST('/api/v1/units', { buildingId: e.w.B.buildingId, name: '9单元' }), expect: 400 },
      ],
    },
    'PATCH /api/v1/units/:id': {
      own: (_a, e) => PATCH(`/api/v1/units/${e.w.A.unitId}`, { name: '2单元' }),
      other: writeOnB('PATCH', '/api/v1/units/:id', (p) => p.unitId, { name: '9单元' }),
    },
    'GET /api/v1/rooms': list('/api/v1/rooms', communityB),
    'POST /api/v1/rooms': {
      own: (_a, e) =>
        POST('/api/v1/rooms', { unitId: e.w.A.unitId, number: `${1700 + (++serial % 200)}${serial}` }),
      other: (e) => [{ req: POST('/api/v1/rooms', { unitId: e.w.B.unitId, number: '9901' }), expect: 400 }],
    },
    'GET /api/v1/rooms/:id': byId('GET', '/api/v1/rooms/:id', (p) => p.roomId),
    'PATCH /api/v1/rooms/:id': {
      own: async (_a, e) => {
        const room = await e.flow.post('/api/v1/rooms', {
          unitId: e.w.A.unitId,
          number: `${2000 + ++serial}`,
        });
        return PATCH(`/api/v1/rooms/${room.id}`, { version: room.version, status: 'renovating' });
      },
      other: writeOnB('PATCH', '/api/v1/rooms/:id', (p) => p.roomId, { version: 1, status: 'vacant' }),
    },
    'GET /api/v1/public-areas': list('/api/v1/public-areas', communityB),
    'POST /api/v1/public-areas': {
      own: (_a, e) => POST('/api/v1/public-areas', { communityId: e.w.A.communityId, name: `花园${uniq()}` }),
      other: (e) => [
        { req: POST('/api/v1/public-areas', { communityId: e.w.B.communityId, name: '越权' }), expect: 400 },
      ],
    },
    'PATCH /api/v1/public-areas/:id': {
      own: (_a, e) => PATCH(`/api/v1/public-areas/${e.w.A.publicAreaId}`, { name: '地下车库' }),
      other: writeOnB('PATCH', '/api/v1/public-areas/:id', (p) => p.publicAreaId, { name: '越权' }),
    },

    // ---- residents: search by name, phone and 尾号 (R3) finds nobody of B ----
    'GET /api/v1/residents': {
      own: () => GET(`/api/v1/residents?q=${encodeURIComponent('王建国')}`),
      other: (e) => [
        { req: GET(`/api/v1/residents?${communityB(e.w)}`), expect: '2xx' },
        { req: GET(`/api/v1/residents?q=${encodeURIComponent('赵秘乙')}`), expect: '2xx' },
        { req: GET('/api/v1/residents?q=13911112222'), expect: '2xx' },
        { req: GET('/api/v1/residents?q=2222'), expect: '2xx' },
        { req: GET(`/api/v1/residents?roomId=${e.w.B.roomId}`), expect: '2xx' },
      ],
    },
    'POST /api/v1/residents': {
      own: (_a, e) =>
        POST('/api/v1/residents', {
          communityId: e.w.A.communityId,
          roomId: e.w.A.roomId,
          name: '冯住户',
          phone: phone(),
          kind: 'tenant',
        }),
      other: (e) => [
        {
          req: POST('/api/v1/residents', {
            communityId: e.w.B.communityId,
            roomId: e.w.B.roomId,
            name: '越权',
            phone: phone(),
            kind: 'owner',
          }),
          expect: 400,
        },
      ],
    },
    'GET /api/v1/residents/:id': byId('GET', '/api/v1/residents/:id', (p) => p.residentId),
    'PATCH /api/v1/residents/:id': {
      own: async (_a, e) => {
        const r = await e.flow.resident(e.w.A, phone());
        return PATCH(`/api/v1/residents/${r.id}`, { version: r.version, notes: '矩阵备注' });
      },
      other: writeOnB('PATCH', '/api/v1/residents/:id', (p) => p.residentId, { version: 1, notes: '越权' }),
    },
    'POST /api/v1/residents/:id/archive': {
      own: async (_a, e) => {
        const r = await e.flow.resident(e.w.A, phone());
        return POST(`/api/v1/residents/${r.id}/archive`, { version: r.version, archived: true });
      },
      other: writeOnB('POST', '/api/v1/residents/:id/archive', (p) => p.residentId, {
        version: 1,
        archived: true,
      }),
    },
    'POST /api/v1/residents/:id/reveal-phone': byId(
      'POST',
      '/api/v1/residents/:id/reveal-phone',
      (p) => p.residentId,
    ),
    'GET /api/v1/residents/:id/card': byId('GET', '/api/v1/residents/:id/card', (p) => p.residentId),
    'GET /api/v1/residents/:id/rooms': byId('GET', '/api/v1/residents/:id/rooms', (p) => p.residentId),
    'POST /api/v1/residents/:id/rooms': {
      own: async (_a, e) => {
        const r = await e.flow.resident(e.w.A, phone());
        return POST(`/api/v1/residents/${r.id}/rooms`, { roomId: e.w.A.room2Id, kind: 'family' });
      },
      other: async (e) => {
        const r = await e.flow.resident(e.w.A, phone());
        return [
          {
            req: POST(`/api/v1/residents/${e.w.B.residentId}/rooms`, {
              roomId: e.w.B.room2Id,
              kind: 'owner',
            }),
            expect: 404,
          },
          // A's resident into B's room
          {
            req: POST(`/api/v1/residents/${r.id}/rooms`, { roomId: e.w.B.room2Id, kind: 'owner' }),
            expect: 400,
          },
        ];
      },
    },
    'POST /api/v1/residents/:id/rooms/:roomId/move-out': {
      own: async (_a, e) => {
        const r = await e.flow.resident(e.w.A, phone());
        return POST(`/api/v1/residents/${r.id}/rooms/${e.w.A.roomId}/move-out`, { date: '2026-11-30' });
      },
      other: (e) => [
        {
          req: POST(`/api/v1/residents/${e.w.B.residentId}/rooms/${e.w.B.roomId}/move-out`, {
            date: '2026-11-30',
          }),
          expect: 404,
        },
      ],
    },
    'GET /api/v1/rooms/:id/household': byId('GET', '/api/v1/rooms/:id/household', (p) => p.roomId),

    // ---- tickets ----
    'POST /api/v1/tickets': {
      own: (_a, e) =>
        POST('/api/v1/tickets', {
          communityId: e.w.A.communityId,
          roomId: e.w.A.roomId,
          residentId: e.w.A.residentId,
          type: 'repair',
          channel: 'phone',
          content: '卧室插座没电',
        }),
      other: (e) => [
        {
          req: POST('/api/v1/tickets', {
            communityId: e.w.B.communityId,
            roomId: e.w.B.roomId,
            residentId: e.w.B.residentId,
            type: 'repair',
            channel: 'phone',
            content: '越权',
          }),
          expect: 400,
        },
        // A's request for B's room and resident
        {
          req: POST('/api/v1/tickets', {
            communityId: e.w.A.communityId,
            roomId: e.w.B.roomId,
            residentId: e.w.B.residentId,
            type: 'repair',
            channel: 'phone',
            content: '越权',
          }),
          expect: 400,
        },
      ],
    },
    'GET /api/v1/tickets': {
      own: () => GET('/api/v1/tickets'),
      other: (e) => [
        { req: GET(`/api/v1/tickets?${communityB(e.w)}`), expect: '2xx' },
        { req: GET('/api/v1/tickets?view=team'), expect: '2xx' },
        { req: GET('/api/v1/tickets?view=unassigned'), expect: '2xx' },
      ],
    },
    'GET /api/v1/tickets/:id': byId('GET', '/api/v1/tickets/:id', (p) => p.ticketId),
    ...lifecycleFixtures(),
    'POST /api/v1/tickets/:id/grade': {
      own: async (_a, e) => {
        const { id, version } = await e.flow.ticket(e.w.A, { type: 'complaint', content: '保安态度差' });
        return POST(`/api/v1/tickets/${id}/grade`, { version, grade: 'valid' });
      },
      other: writeOnB('POST', '/api/v1/tickets/:id/grade', (p) => p.ticketId, { version: 1, grade: 'major' }),
    },
    'POST /api/v1/tickets/:id/settle': {
      own: async (_a, e) => {
        const { id, version } = await e.flow.ticketAt(e.w.A, 'done', e.w.userIds.get('technician-a')!, {
          paid: true,
        });
        return POST(`/api/v1/tickets/${id}/settle`, { version, amount: 50, method: 'cash' });
      },
      other: writeOnB('POST', '/api/v1/tickets/:id/settle', (p) => p.ticketId, {
        version: 1,
        amount: 10,
        method: 'cash',
      }),
    },
    'GET /api/v1/tickets/similar': {
      own: (_a, e) =>
        GET(
          `/api/v1/tickets/similar?communityId=${e.w.A.communityId}&categoryId=${e.w.categoryId}&roomId=${e.w.A.roomId}`,
        ),
      other: (e) => [
        {
          req: GET(
            `/api/v1/tickets/similar?${communityB(e.w)}&categoryId=${e.w.categoryId}&roomId=${e.w.B.roomId}`,
          ),
          expect: 400,
        },
      ],
    },
    'POST /api/v1/tickets/:id/link': {
      own: async (_a, e) => {
        const child = await e.flow.ticket(e.w.A);
        const parent = await e.flow.ticket(e.w.A);
        return POST(`/api/v1/tickets/${child.id}/link`, { version: child.version, parentId: parent.id });
      },
      other: async (e) => {
        const child = await e.flow.ticket(e.w.A);
        return [
          {
            req: POST(`/api/v1/tickets/${e.w.B.ticketId}/link`, { version: 1, parentId: child.id }),
            expect: 404,
          },
          // A's request under B's
          {
            req: POST(`/api/v1/tickets/${child.id}/link`, {
              version: child.version,
              parentId: e.w.B.ticketId,
            }),
            expect: 400,
          },
        ];
      },
    },
    'POST /api/v1/tickets/:id/unlink': {
      own: async (_a, e) => {
        const child = await e.flow.ticket(e.w.A);
        const parent = await e.flow.ticket(e.w.A);
        const linked = await e.flow.post(`/api/v1/tickets/${child.id}/link`, {
          version: child.version,
          parentId: parent.id,
        });
        return POST(`/api/v1/tickets/${child.id}/unlink`, { version: linked.version });
      },
      other: writeOnB('POST', '/api/v1/tickets/:id/unlink', (p) => p.ticketId, { version: 1 }),
    },
    'POST /api/v1/tickets/:id/notes': byId(
      'POST',
      '/api/v1/tickets/:id/notes',
      (p) => p.ticketId,
      () => ({
        text: '已电话联系住户',
        visibility: 'internal',
      }),
    ),
    'POST /api/v1/tickets/:id/emergency-log': {
      own: async (actor, e) => {
        const { id, version } = await e.flow.emergency(e.w.A);
        const dispatched = await e.flow.act(
          id,
          'dispatch',
          { teamId: e.w.A.teamId, assigneeId: actor.userId },
          undefined,
          version,
        );
        return POST(`/api/v1/tickets/${id}/emergency-log`, {
          version: dispatched.version,
          entry: 'contractor_called',
        });
      },
      other: writeOnB('POST', '/api/v1/tickets/:id/emergency-log', (p) => p.ticketId, {
        version: 1,
        entry: 'reassurance_call',
      }),
    },
    'POST /api/v1/tickets/:id/incident-report': {
      own: async (actor, e) => {
        const { id, version: created } = await e.flow.emergency(e.w.A);
        let { version } = await e.flow.act(
          id,
          'dispatch',
          { teamId: e.w.A.teamId, assigneeId: actor.userId },
          undefined,
          created,
        );
        for (const entry of [
          { entry: 'contractor_called' },
          { entry: 'rescuers_arrived' },
          { entry: 'released', injuries: false },
        ])
          ({ version } = await e.flow.post(`/api/v1/tickets/${id}/emergency-log`, { version, ...entry }));
        return POST(`/api/v1/tickets/${id}/incident-report`, {
          version,
          cause: '门锁回路故障',
          actions: '盘车放人',
          injuries: '无',
          followUp: '检修',
        });
      },
      other: writeOnB('POST', '/api/v1/tickets/:id/incident-report', (p) => p.ticketId, {
        version: 1,
        cause: '越权',
        actions: '越权',
        injuries: '无',
        followUp: '越权',
      }),
    },

    // ---- imports and the residents' export ----
    'POST /api/v1/imports': {
      own: (_a, e) => ({
        method: 'POST',
        url: `/api/v1/imports?communityId=${e.w.A.communityId}&fileName=a.csv`,
        raw: {
          payload: Buffer.from('房屋,姓名,电话\n3-2-1502,陈八,13600136002\n'),
          headers: { 'content-type': 'text/csv' },
        },
      }),
      other: (e) => [
        {
          req: {
            method: 'POST',
            url: `/api/v1/imports?communityId=${e.w.B.communityId}&fileName=b.csv`,
            raw: {
              payload: Buffer.from('房屋,姓名,电话\n3-2-1502,越权,13600136003\n'),
              headers: { 'content-type': 'text/csv' },
            },
          },
          expect: 404,
        },
      ],
    },
    'GET /api/v1/imports/template.xlsx': {
      own: () => GET('/api/v1/imports/template.xlsx'),
      noOther: 'a blank template',
    },
    'GET /api/v1/imports/:id': byId('GET', '/api/v1/imports/:id', (p) => p.importId),
    'PUT /api/v1/imports/:id/mapping': {
      own: async (_a, e) => {
        const job = await e.flow.upload(e.w.A, `3-2-1502,褚九,${phone()}`);
        const current = await e.flow.get(`/api/v1/imports/${job.id}`);
        return PUT(`/api/v1/imports/${job.id}/mapping`, {
          revision: current.revision,
          columns: (current.columns as { index: number; field: string | null }[]).map((c) => ({
            index: c.index,
            field: c.field,
          })),
        });
      },
      other: writeOnB('PUT', '/api/v1/imports/:id/mapping', (p) => p.importId, { revision: 1, columns: [] }),
    },
    'POST /api/v1/imports/:id/commit': {
      own: async (_a, e) => {
        const job = await e.flow.upload(e.w.A, `3-2-1502,卫十,${phone()}`);
        const current = await e.flow.get(`/api/v1/imports/${job.id}`);
        return POST(`/api/v1/imports/${job.id}/commit`, { revision: current.revision });
      },
      other: writeOnB('POST', '/api/v1/imports/:id/commit', (p) => p.importId, { revision: 1 }),
    },
    'GET /api/v1/imports/:id/report.xlsx': byId('GET', '/api/v1/imports/:id/report.xlsx', (p) => p.importId),
    'GET /api/v1/residents/export.xlsx': {
      own: (_a, e) => GET(`/api/v1/residents/export.xlsx?communityId=${e.w.A.communityId}`),
      other: (e) => [{ req: GET(`/api/v1/residents/export.xlsx?${communityB(e.w)}`), expect: 404 }],
    },

    // ---- teams ----
    'GET /api/v1/teams': list('/api/v1/teams', communityB),
    'POST /api/v1/teams': {
      own: (_a, e) =>
        POST('/api/v1/teams', { communityId: e.w.A.communityId, name: `保洁${uniq()}组`, kind: 'cleaning' }),
      other: (e) => [
        {
          req: POST('/api/v1/teams', { communityId: e.w.B.communityId, name: '越权组', kind: 'cleaning' }),
          expect: 400,
        },
      ],
    },
    'GET /api/v1/teams/:id': byId('GET', '/api/v1/teams/:id', (p) => p.teamId),
    'PATCH /api/v1/teams/:id': {
      own: (_a, e) => PATCH(`/api/v1/teams/${e.w.A.teamId}`, { name: '综合维修组' }),
      other: writeOnB('PATCH', '/api/v1/teams/:id', (p) => p.teamId, { name: '越权' }),
    },
    'PUT /api/v1/teams/:id/members': {
      own: async (_a, e) => {
        const team = await e.flow.post('/api/v1/teams', {
          communityId: e.w.A.communityId,
          name: `绿化${uniq()}组`,
          kind: 'greening',
        });
        return PUT(`/api/v1/teams/${team.id}/members`, { userIds: [e.w.userIds.get('greening-a')] });
      },
      other: writeOnB('PUT', '/api/v1/teams/:id/members', (p) => p.teamId, { userIds: [] }),
    },
    'PUT /api/v1/teams/:id/members/:userId/duty': {
      // one's own duty (在岗); a token is nobody's person: only a duty keeper's role lets it
      own: (actor, e) => PUT(`/api/v1/teams/${e.w.A.teamId}/members/${actor.userId}/duty`, { onDuty: true }),
      ownExpect: (actor) =>
        actor.kind === 'session' || has(actor, ['supervisor', 'manager', 'admin']) ? '2xx' : 403,
      other: (e, actor) => [
        {
          req: PUT(`/api/v1/teams/${e.w.B.teamId}/members/${actor.userId}/duty`, { onDuty: true }),
          expect: 404,
        },
      ],
    },

    // ---- categories and prices: the company's ----
    'GET /api/v1/ticket-categories': {
      own: () => GET('/api/v1/ticket-categories'),
      noOther: 'the company’s categories',
    },
    'POST /api/v1/ticket-categories': {
      own: () =>
        POST('/api/v1/ticket-categories', { name: `矩阵类${uniq()}`, code: `mx_${uniq().toLowerCase()}` }),
      // a category dispatched to B's team
      other: (e) => [
        {
          req: POST('/api/v1/ticket-categories', {
            name: '越权类',
            code: `mx_x${uniq().toLowerCase()}`,
            dispatchMode: 'assign',
            teamId: e.w.B.teamId,
          }),
          expect: 400,
        },
      ],
    },
    'PATCH /api/v1/ticket-categories/:id': {
      own: (_a, e) => PATCH(`/api/v1/ticket-categories/${e.w.categoryId}`, { sort: 1 }),
      other: (e) => [
        {
          req: PATCH(`/api/v1/ticket-categories/${e.w.categoryId}`, {
            dispatchMode: 'assign',
            teamId: e.w.B.teamId,
          }),
          expect: 400,
        },
      ],
    },
    'GET /api/v1/ticket-categories/:id/prices': {
      own: (_a, e) => GET(`/api/v1/ticket-categories/${e.w.categoryId}/prices`),
      noOther: 'the company’s price list',
    },
    'POST /api/v1/ticket-categories/:id/prices': {
      own: (_a, e) =>
        POST(`/api/v1/ticket-categories/${e.w.categoryId}/prices`, {
          name: `配件${uniq()}`,
          unit: '个',
          price: 12,
        }),
      noOther: 'the company’s price list',
    },
    'PATCH /api/v1/category-prices/:id': {
      own: (_a, e) => PATCH(`/api/v1/category-prices/${e.w.priceId}`, { price: 30 }),
      noOther: 'the company’s price list',
    },

    // ---- the audit trail: an admin of A reads A's records (and the company's) only ----
    'GET /api/v1/audit': {
      own: () => GET('/api/v1/audit?limit=200'),
      other: (e) => [
        { req: GET(`/api/v1/audit?entityId=${e.w.B.residentId}`), expect: '2xx' },
        { req: GET(`/api/v1/audit?entityId=${e.w.B.ticketId}`), expect: '2xx' },
      ],
    },

    // ---- the event stream (what it carries: the SSE test) ----
    'GET /api/v1/events': {
      own: () => ({ method: 'GET', url: '/api/v1/events', stream: true }),
      noOther: 'what the stream carries is checked by the SSE test',
    },

    // ---- notifications and alerts ----
    'GET /api/v1/tickets/:id/notifications': byId(
      'GET',
      '/api/v1/tickets/:id/notifications',
      (p) => p.ticketId,
    ),
    'POST /api/v1/notifications/:id/retry': {
      own: async (_a, e) => {
        const { id } = await e.flow.ticket(e.w.A);
        const row = await e.t.testDb.database.db
          .updateTable('notifications')
          .set({ status: 'failed' })
          .where('ticket_id', '=', id)
          .returning('id')
          .executeTakeFirstOrThrow();
        return POST(`/api/v1/notifications/${row.id}/retry`);
      },
      other: (e) => [{ req: POST(`/api/v1/notifications/${e.w.B.notificationId}/retry`), expect: 404 }],
    },
    'GET /api/v1/me/alerts': {
      own: () => GET('/api/v1/me/alerts?limit=100'),
      noOther: 'one’s own alerts, scanned',
    },
    'POST /api/v1/me/alerts/:id/read': {
      own: async (actor, e) => POST(`/api/v1/me/alerts/${await e.flow.alertFor(e.w.A, actor.userId)}/read`),
      other: (e) => [{ req: POST(`/api/v1/me/alerts/${e.w.alertOfOtherId}/read`), expect: 404 }],
    },
    'POST /api/v1/me/alerts/read': { own: () => POST('/api/v1/me/alerts/read'), noOther: 'one’s own alerts' },

    // ---- attachments: the bytes of B's files never reach A ----
    'POST /api/v1/tickets/:id/attachments': {
      own: async (_a, e) => {
        const form = multipart({ kind: 'photo_after' }, [{ fileName: 'after.jpg', data: await photo() }]);
        return {
          method: 'POST',
          url: `/api/v1/tickets/${e.w.A.ticketId}/attachments`,
          raw: { payload: form.payload, headers: form.headers },
        };
      },
      other: async (e) => {
        const form = multipart({ kind: 'photo_after' }, [{ fileName: 'x.jpg', data: await photo() }]);
        return [
          {
            req: {
              method: 'POST',
              url: `/api/v1/tickets/${e.w.B.ticketId}/attachments`,
              raw: { payload: form.payload, headers: form.headers },
            },
            expect: 404,
          },
        ];
      },
    },
    'GET /api/v1/tickets/:id/attachments': byId('GET', '/api/v1/tickets/:id/attachments', (p) => p.ticketId),
    'GET /api/v1/attachments/:id': {
      own: (_a, e) => GET(`/api/v1/attachments/${e.w.A.fileId}`),
      other: (e) => [
        { req: GET(`/api/v1/attachments/${e.w.B.fileId}`), expect: 404 },
        { req: GET(`/api/v1/attachments/${e.w.B.photoId}`), expect: 404 },
      ],
    },
    'GET /api/v1/attachments/:id/thumbnail': byId(
      'GET',
      '/api/v1/attachments/:id/thumbnail',
      (p) => p.photoId,
    ),

    // ---- SLA ----
    'GET /api/v1/tickets/:id/sla': byId('GET', '/api/v1/tickets/:id/sla', (p) => p.ticketId),
    'GET /api/v1/sla/board': list('/api/v1/sla/board', communityB, 404),
    'GET /api/v1/sla/overdue': list('/api/v1/sla/overdue', communityB, 404),
    'GET /api/v1/sla/compliance': list(
      '/api/v1/sla/compliance?from=2026-11-01T00:00:00.000Z&to=2026-12-31T00:00:00.000Z',
      communityB,
      404,
    ),
    'GET /api/v1/sla/policies': list('/api/v1/sla/policies', communityB, 404),
    'POST /api/v1/sla/policies': {
      own: (_a, e) =>
        POST('/api/v1/sla/policies', {
          communityId: e.w.A.communityId,
          ticketType: 'repair',
          categoryId: e.w.categoryId,
          priority: (['urgent', 'high', 'normal', 'low'] as const)[serial % 4],
          target: (['accept', 'arrival', 'resolution', 'first_contact', 'escalation'] as const)[++serial % 5],
          minutes: 30 + serial,
        }),
      other: (e) => [
        {
          req: POST('/api/v1/sla/policies', { communityId: e.w.B.communityId, target: 'accept', minutes: 5 }),
          expect: 404,
        },
      ],
    },
    'PATCH /api/v1/sla/policies/:id': {
      own: (_a, e) => PATCH(`/api/v1/sla/policies/${e.w.A.slaPolicyId}`, { minutes: 600 }),
      other: writeOnB('PATCH', '/api/v1/sla/policies/:id', (p) => p.slaPolicyId, { minutes: 6 }),
    },
    'DELETE /api/v1/sla/policies/:id': {
      own: async (_a, e) => {
        const made = await e.flow.post('/api/v1/sla/policies', {
          communityId: e.w.A.communityId,
          ticketType: 'praise',
          priority: (['urgent', 'high', 'normal', 'low'] as const)[serial % 4],
          target: (['accept', 'arrival', 'resolution', 'first_contact', 'escalation'] as const)[++serial % 5],
          minutes: 100 + serial,
        });
        return DELETE(`/api/v1/sla/policies/${made.id}`);
      },
      other: (e) => [{ req: DELETE(`/api/v1/sla/policies/${e.w.B.slaPolicyId}`), expect: 404 }],
    },
    'GET /api/v1/sla/calendars': list('/api/v1/sla/calendars', null),
    'PUT /api/v1/sla/calendars/company': {
      own: () => PUT('/api/v1/sla/calendars/company', { calendar: STANDARD_CALENDAR }),
      noOther: 'the company’s calendar',
    },
    'PUT /api/v1/sla/calendars/communities/:id': {
      own: (_a, e) =>
        PUT(`/api/v1/sla/calendars/communities/${e.w.A.communityId}`, { calendar: STANDARD_CALENDAR }),
      other: writeOnB('PUT', '/api/v1/sla/calendars/communities/:id', (p) => p.communityId, {
        calendar: STANDARD_CALENDAR,
      }),
    },
    'POST /api/v1/sla/reapply': {
      own: (_a, e) => POST('/api/v1/sla/reapply', { communityId: e.w.A.communityId }),
      other: (e) => [{ req: POST('/api/v1/sla/reapply', { communityId: e.w.B.communityId }), expect: 404 }],
    },

    // ---- callbacks (R30) ----
    'POST /api/v1/callbacks/messages': {
      own: (_a, e) =>
        POST('/api/v1/callbacks/messages', {
          communityId: e.w.A.communityId,
          callerName: '蒋女士',
          phone: '13700137002',
          content: '请回电说明停水时间',
          forUserId: e.w.userIds.get('agent-a'),
          readBack: true,
        }),
      other: (e) => [
        {
          req: POST('/api/v1/callbacks/messages', {
            communityId: e.w.B.communityId,
            callerName: '越权',
            phone: '13700137003',
            content: '越权',
            forUserId: e.w.userIds.get('quality'),
            readBack: true,
          }),
          expect: 400,
        },
      ],
    },
    'GET /api/v1/callbacks/recipients': {
      own: (_a, e) => GET(`/api/v1/callbacks/recipients?communityId=${e.w.A.communityId}`),
      other: (e) => [{ req: GET(`/api/v1/callbacks/recipients?${communityB(e.w)}`), expect: 400 }],
    },
    'GET /api/v1/callbacks/message-due': {
      own: (_a, e) => GET(`/api/v1/callbacks/message-due?communityId=${e.w.A.communityId}`),
      other: (e) => [{ req: GET(`/api/v1/callbacks/message-due?${communityB(e.w)}`), expect: 400 }],
    },
    'GET /api/v1/callbacks': {
      own: () => GET('/api/v1/callbacks?view=all&status=any'),
      other: (e) => [
        { req: GET(`/api/v1/callbacks?view=all&status=any&${communityB(e.w)}`), expect: '2xx' },
        { req: GET('/api/v1/callbacks?view=mine&status=any'), expect: '2xx' },
      ],
    },
    'GET /api/v1/callbacks/:id': byId('GET', '/api/v1/callbacks/:id', (p) => p.callbackId),
    'POST /api/v1/callbacks/:id/attempts': {
      own: async (actor, e) => {
        const cb = await e.flow.message(e.w.A, actor.userId);
        return POST(`/api/v1/callbacks/${cb.id}/attempts`, { version: 1, outcome: 'no_answer' });
      },
      other: writeOnB('POST', '/api/v1/callbacks/:id/attempts', (p) => p.callbackId, {
        version: 1,
        outcome: 'no_answer',
      }),
    },
    'POST /api/v1/callbacks/:id/close': {
      own: async (actor, e) => {
        const cb = await e.flow.message(e.w.A, actor.userId);
        return POST(`/api/v1/callbacks/${cb.id}/close`, { version: 1, reason: '住户已来电说明' });
      },
      other: writeOnB('POST', '/api/v1/callbacks/:id/close', (p) => p.callbackId, {
        version: 1,
        reason: '越权',
      }),
    },
    'POST /api/v1/callbacks/:id/assign': {
      own: async (actor, e) => {
        const cb = await e.flow.message(e.w.A, actor.userId);
        return POST(`/api/v1/callbacks/${cb.id}/assign`, { version: 1, userId: e.w.userIds.get('agent-a') });
      },
      other: (e) => [
        {
          req: POST(`/api/v1/callbacks/${e.w.B.callbackId}/assign`, {
            version: 1,
            userId: e.w.userIds.get('agent-a'),
          }),
          expect: 404,
        },
      ],
    },

    // ---- calls (§4) ----
    'POST /api/v1/cti/events': {
      own: () =>
        POST('/api/v1/cti/events', {
          event: 'newCall',
          callId: `mx-${uniq()}`,
          from: '13800138000',
          to: '4008001234',
          direction: 'in',
        }),
      noOther: 'the PBX reports every call of the company',
    },
    'GET /api/v1/calls': {
      own: () => GET('/api/v1/calls?limit=100'),
      other: (e) => [{ req: GET(`/api/v1/calls?residentId=${e.w.B.residentId}`), expect: '2xx' }],
    },
    // filtered to B: nothing counted (scanned like every answer)
    'GET /api/v1/calls/stats': list('/api/v1/calls/stats', communityB),
    'GET /api/v1/calls/:id': byId('GET', '/api/v1/calls/:id', (p) => p.callId),
    'POST /api/v1/calls/:id/tickets': {
      own: async (_a, e) => {
        const callId = await e.flow.call(e.actors.pbx, '13800138000', `mx-link-${uniq()}`);
        const { id } = await e.flow.ticket(e.w.A);
        return POST(`/api/v1/calls/${callId}/tickets`, { ticketId: id });
      },
      other: (e) => [
        { req: POST(`/api/v1/calls/${e.w.B.callId}/tickets`, { ticketId: e.w.B.ticketId }), expect: 404 },
        // A's call and B's request: a reference the caller cannot see
        { req: POST(`/api/v1/calls/${e.w.A.callId}/tickets`, { ticketId: e.w.B.ticketId }), expect: 400 },
      ],
    },
    'POST /api/v1/calls/:id/reveal-phone': byId('POST', '/api/v1/calls/:id/reveal-phone', (p) => p.callId),
    'POST /api/v1/calls/originate': {
      // rings one's own extension (every person of the desk has one; a token rings its maker's)
      own: () => POST('/api/v1/calls/originate', { number: '13800138000' }),
      other: (e) => [{ req: POST('/api/v1/calls/originate', { callId: e.w.B.callId }), expect: 404 }],
    },
    'GET /api/v1/me/extension': { own: () => GET('/api/v1/me/extension'), noOther: 'one’s own extension' },
    'PUT /api/v1/me/extension': {
      own: (actor) => PUT('/api/v1/me/extension', { extension: `7${actor.userId.slice(-6)}` }),
      ownExpect: personOnly,
      noOther: 'one’s own extension',
    },

    // ---- return visits, ratings, follow-ups (§5) ----
    'GET /api/v1/return-visits': {
      own: () => GET('/api/v1/return-visits?view=all&status=any'),
      other: (e) => [
        { req: GET(`/api/v1/return-visits?view=all&status=any&${communityB(e.w)}`), expect: '2xx' },
      ],
    },
    'GET /api/v1/return-visits/:id': byId('GET', '/api/v1/return-visits/:id', (p) => p.visitId),
    'POST /api/v1/return-visits/:id/attempts': {
      own: async (_a, e) => {
        const visit = await e.flow.visit(e.w.A);
        const { version } = await e.flow.get(`/api/v1/return-visits/${visit.id}`);
        return POST(`/api/v1/return-visits/${visit.id}/attempts`, { version, outcome: 'busy' });
      },
      other: writeOnB('POST', '/api/v1/return-visits/:id/attempts', (p) => p.visitId, {
        version: 1,
        outcome: 'busy',
      }),
    },
    'POST /api/v1/return-visits/:id/result': {
      own: async (_a, e) => {
        const visit = await e.flow.visit(e.w.A);
        return POST(`/api/v1/return-visits/${visit.id}/result`, {
          version: await e.flow.reached(visit.id),
          resolved: true,
          overall: 5,
          speed: 5,
          attitude: 5,
          quality: 5,
        });
      },
      other: writeOnB('POST', '/api/v1/return-visits/:id/result', (p) => p.visitId, {
        version: 1,
        resolved: true,
        overall: 5,
        speed: 5,
        attitude: 5,
        quality: 5,
      }),
    },
    'GET /api/v1/tickets/:id/satisfaction': byId(
      'GET',
      '/api/v1/tickets/:id/satisfaction',
      (p) => p.ticketId,
    ),
    'GET /api/v1/return-visit-policies': {
      own: () => GET('/api/v1/return-visit-policies'),
      noOther: 'the company’s policies',
    },
    'PUT /api/v1/return-visit-policies': {
      own: async (_a, e) => {
        const { items } = (await e.flow.get('/api/v1/return-visit-policies')) as {
          items: { kind: string; mode: string; samplePercent: number }[];
        };
        return PUT('/api/v1/return-visit-policies', {
          policies: items.map(({ kind, mode, samplePercent }) => ({ kind, mode, samplePercent })),
        });
      },
      noOther: 'the company’s policies',
    },
    'GET /api/v1/visit-followups': list('/api/v1/visit-followups?status=any&view=all', null),
    'POST /api/v1/visit-followups/:id/close': {
      own: async (_a, e) => {
        const id = await e.flow.followup(e.w.A);
        return POST(`/api/v1/visit-followups/${id}/close`, { version: 1, outcome: '已上门复修，住户满意' });
      },
      other: writeOnB('POST', '/api/v1/visit-followups/:id/close', (p) => p.followupId, {
        version: 1,
        outcome: '越权',
      }),
    },

    // ---- surveys (R36) ----
    'GET /api/v1/surveys': list('/api/v1/surveys', communityB),
    'POST /api/v1/surveys': {
      own: (_a, e) =>
        POST('/api/v1/surveys', {
          communityId: e.w.A.communityId,
          title: '物业服务满意度',
          anonymous: true,
          questions: [{ kind: 'scale', text: '请打分' }],
        }),
      other: (e) => [
        {
          req: POST('/api/v1/surveys', {
            communityId: e.w.B.communityId,
            title: '越权',
            anonymous: true,
            questions: [{ kind: 'scale', text: '请打分' }],
          }),
          expect: 400,
        },
      ],
    },
    'GET /api/v1/surveys/:id': byId('GET', '/api/v1/surveys/:id', (p) => p.surveyId),
    'PUT /api/v1/surveys/:id': {
      own: async (_a, e) => {
        const s = await e.flow.survey(e.w.A);
        return PUT(`/api/v1/surveys/${s.id}`, {
          version: s.version,
          title: '物业服务满意度（修订）',
          anonymous: true,
          questions: [{ kind: 'scale', text: '请为本年度服务打分' }],
        });
      },
      other: writeOnB('PUT', '/api/v1/surveys/:id', (p) => p.surveyId, {
        version: 1,
        title: '越权',
        anonymous: true,
        questions: [{ kind: 'scale', text: '越权' }],
      }),
    },
    'POST /api/v1/surveys/:id/open': {
      own: async (_a, e) => {
        const s = await e.flow.survey(e.w.A);
        return POST(`/api/v1/surveys/${s.id}/open`, { version: s.version });
      },
      other: writeOnB('POST', '/api/v1/surveys/:id/open', (p) => p.surveyId, { version: 1 }),
    },
    'POST /api/v1/surveys/:id/close': {
      own: async (_a, e) => {
        const s = await e.flow.survey(e.w.A);
        const opened = await e.flow.post(`/api/v1/surveys/${s.id}/open`, { version: s.version });
        return POST(`/api/v1/surveys/${s.id}/close`, { version: opened.version });
      },
      other: writeOnB('POST', '/api/v1/surveys/:id/close', (p) => p.surveyId, { version: 1 }),
    },
    'GET /api/v1/surveys/:id/results': byId('GET', '/api/v1/surveys/:id/results', (p) => p.surveyId),

    // ---- reports and their .xlsx exports (R61: no document leaves without a record) ----
    'GET /api/v1/reports/satisfaction': list(
      '/api/v1/reports/satisfaction?from=2026-11-01&to=2026-12-31',
      communityB,
      404,
    ),
    'GET /api/v1/reports/satisfaction.xlsx': list(
      '/api/v1/reports/satisfaction.xlsx?from=2026-11-01&to=2026-12-31&groupBy=worker',
      communityB,
      404,
    ),
    'GET /api/v1/reports/return-visits': list(
      '/api/v1/reports/return-visits?from=2026-11-01&to=2026-12-31',
      communityB,
      404,
    ),
    'GET /api/v1/reports/return-visits.xlsx': list(
      '/api/v1/reports/return-visits.xlsx?from=2026-11-01&to=2026-12-31',
      communityB,
      404,
    ),

    // ---- quality spot checks (R39) ----
    'GET /api/v1/quality/sheet': {
      own: () => GET('/api/v1/quality/sheet'),
      noOther: 'the company’s score sheet',
    },
    'PUT /api/v1/quality/sheet': {
      own: async (_a, e) => {
        const sheet = (await e.flow.get('/api/v1/quality/sheet')) as {
          version: number;
          name: string;
          items: { key: string; name: string; maxPoints: number; deductions?: unknown }[];
        };
        return PUT('/api/v1/quality/sheet', {
          version: sheet.version,
          name: sheet.name,
          items: sheet.items.map(({ key, name, maxPoints, deductions }) => ({
            key,
            name,
            maxPoints,
            deductions,
          })),
        });
      },
      noOther: 'the company’s score sheet',
    },
    'POST /api/v1/quality/samples/draw': {
      own: (_a, e) =>
        POST('/api/v1/quality/samples/draw', { week: '2026-W49', communityId: e.w.A.communityId }),
      other: (e) => [
        {
          req: POST('/api/v1/quality/samples/draw', { week: '2026-W49', communityId: e.w.B.communityId }),
          expect: 404,
        },
      ],
    },
    'GET /api/v1/quality/samples': list('/api/v1/quality/samples?limit=200', communityB),
    'POST /api/v1/quality/samples/:id/check': {
      own: async (_a, e) => {
        const sampleId = await e.flow.sample(
          e.w.A,
          e.actors.sessions.get('agent-a')!,
          `投诉${uniq()}号楼噪音`,
        );
        const sheet = (await e.flow.get('/api/v1/quality/sheet')) as {
          items: { key: string; maxPoints: number }[];
        };
        return POST(`/api/v1/quality/samples/${sampleId}/check`, {
          scores: Object.fromEntries(sheet.items.map((i) => [i.key, i.maxPoints])),
        });
      },
      other: async (e) => {
        const sheet = (await e.flow.get('/api/v1/quality/sheet')) as {
          items: { key: string; maxPoints: number }[];
        };
        const scores = Object.fromEntries(sheet.items.map((i) => [i.key, i.maxPoints]));
        return [{ req: POST(`/api/v1/quality/samples/${e.w.B.sampleId}/check`, { scores }), expect: 404 }];
      },
    },
    'GET /api/v1/quality/my-results': list('/api/v1/quality/my-results', null),
    'POST /api/v1/quality/checks/:id/ack': {
      // one's own result: a complaint the actor took, checked by quality
      own: async (actor, e) => {
        const agent = actor.kind === 'session' ? actor.client : e.flow.admin;
        return POST(`/api/v1/quality/checks/${await e.flow.check(e.w.A, agent)}/ack`, {});
      },
      other: (e) => [{ req: POST(`/api/v1/quality/checks/${e.w.B.checkId}/ack`, {}), expect: 404 }],
    },
    'GET /api/v1/quality/report': list('/api/v1/quality/report?month=2026-12', communityB, 404),

    // ---- knowledge (R32): search finds nothing of B ----
    'GET /api/v1/knowledge': {
      own: () => GET(`/api/v1/knowledge?q=${encodeURIComponent('停车卡')}`),
      other: (e) => [
        { req: GET(`/api/v1/knowledge?q=${encodeURIComponent('翠湖苑机密问答')}`), expect: '2xx' },
        { req: GET(`/api/v1/knowledge?${communityB(e.w)}`), expect: 404 },
      ],
    },
    'GET /api/v1/knowledge/review-due': list('/api/v1/knowledge/review-due', communityB, 404),
    'GET /api/v1/knowledge/scripts': {
      own: (_a, e) => GET(`/api/v1/knowledge/scripts?residentId=${e.w.A.residentId}`),
      other: (e) => [
        { req: GET(`/api/v1/knowledge/scripts?residentId=${e.w.B.residentId}`), expect: 404 },
        { req: GET(`/api/v1/knowledge/scripts?${communityB(e.w)}`), expect: 404 },
      ],
    },
    'PATCH /api/v1/knowledge/scripts/:id': {
      own: async (_a, e) => {
        const scripts = (await e.flow.get('/api/v1/knowledge/scripts')) as {
          items: { id: string; version: number }[];
        };
        const script = scripts.items.find((s) => s.id === e.w.scriptId)!;
        return PATCH(`/api/v1/knowledge/scripts/${script.id}`, {
          version: script.version,
          note: `矩阵${uniq()}`,
        });
      },
      noOther: 'the company’s scripts',
    },
    'GET /api/v1/knowledge/:id': byId('GET', '/api/v1/knowledge/:id', (p) => p.articleId),
    'POST /api/v1/knowledge': {
      own: (_a, e) =>
        POST('/api/v1/knowledge', {
          communityId: e.w.A.communityId,
          category: 'parking',
          question: `访客车辆怎么登记${uniq()}？`,
          answer: '请到岗亭登记',
        }),
      other: (e) => [
        {
          req: POST('/api/v1/knowledge', {
            communityId: e.w.B.communityId,
            category: 'parking',
            question: '越权',
            answer: '越权',
          }),
          expect: 400,
        },
      ],
    },
    'PATCH /api/v1/knowledge/:id': {
      own: async (_a, e) => {
        const a = await e.flow.article(e.w.A, `装修时间${uniq()}？`, '工作日8点到18点');
        return PATCH(`/api/v1/knowledge/${a.id}`, {
          version: a.version,
          answer: '工作日8:00-12:00、14:00-18:00',
        });
      },
      other: writeOnB('PATCH', '/api/v1/knowledge/:id', (p) => p.articleId, { version: 1, answer: '越权' }),
    },
    'POST /api/v1/knowledge/:id/review': {
      own: async (_a, e) => {
        const a = await e.flow.article(e.w.A, `停水通知${uniq()}？`, '提前一天公告');
        return POST(`/api/v1/knowledge/${a.id}/review`, { version: a.version });
      },
      other: writeOnB('POST', '/api/v1/knowledge/:id/review', (p) => p.articleId, { version: 1 }),
    },

    // ---- the service-language library (§6): the company's ----
    'POST /api/v1/language/check': {
      own: () => POST('/api/v1/language/check', { text: '您好，请稍等' }),
      noOther: 'a check of a text',
    },
    'GET /api/v1/language/phrases': {
      own: () => GET('/api/v1/language/phrases'),
      noOther: 'the company’s phrases',
    },
    'POST /api/v1/language/phrases': {
      own: () =>
        POST('/api/v1/language/phrases', {
          phrase: `矩阵词${uniq()}`,
          category: 'other',
          severity: 'polite',
        }),
      noOther: 'the company’s phrases',
    },
    'PATCH /api/v1/language/phrases/:id': {
      own: async (_a, e) => {
        const p = (await e.flow.post('/api/v1/language/phrases', {
          phrase: `待改词${uniq()}`,
          category: 'other',
          severity: 'warning',
        })) as { id: string; version: number };
        return PATCH(`/api/v1/language/phrases/${p.id}`, { version: p.version, enabled: false });
      },
      noOther: 'the company’s phrases',
    },
    // filtered to B: nothing (scanned)
    'GET /api/v1/language/overrides': list('/api/v1/language/overrides', communityB),
  };
}

/** A member of staff of A, made by admin-2, for the staff writes. */
async function newStaff(e: Env) {
  const n = uniq();
  const made = await e.flow.post('/api/v1/staff', {
    username: `mxs-${n.toLowerCase()}`,
    employeeNo: `MXS${n}`,
    name: '矩阵员工',
    roles: ['cleaning'],
    communityIds: [e.w.A.communityId],
    password: PASSWORD,
  });
  return made.id as string;
}

let phones = 0;
/** A mobile number nobody else in the world has. */
function phone() {
  return `1370${String(5_000_000 + ++phones).padStart(7, '0')}`;
}

let photoBytes: Promise<Buffer> | null = null;
function photo() {
  photoBytes ??= jpegPhoto(32, 24);
  return photoBytes;
}
