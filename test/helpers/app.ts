import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/domain/roles.js';
import { buildApp, buildServices, type Services } from '../../src/server/app.js';
import { ManualClock } from '../../src/server/platform/clock.js';
import { type Config, loadConfig } from '../../src/server/platform/config.js';
import { systemContext } from '../../src/server/platform/context.js';
import type { DialectName } from '../../src/server/platform/db/database.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export const PASSWORD = 'Passw0rd!';

export interface World {
  communityA: { id: string; name: string };
  communityB: { id: string; name: string };
  roomA: { id: string; label: string };
  roomB: { id: string; label: string };
  buildingB: { id: string };
  publicAreaA: { id: string };
  residentA: { id: string; name: string; phone: string };
  residentB: { id: string; name: string; phone: string };
  ticketB: { id: string };
}

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  clock: ManualClock;
  config: Config;
  testDb: TestDatabase;
  world: World;
  /** Logs in as a seeded user (e.g. 'agent-a', 'admin') and returns a client bound to that session. */
  as(username: string): Promise<Client>;
  anonymous: Client;
  close(): Promise<void>;
}

export interface Client {
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  patch(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

function client(app: FastifyInstance, cookie?: string, csrf?: string): Client {
  const request = (options: InjectOptions) =>
    app.inject({
      ...options,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(csrf ? { 'x-csrf-token': csrf } : {}),
        ...(options.headers ?? {}),
      },
    });
  return {
    request,
    get: (url) => request({ method: 'GET', url }),
    post: (url, payload, headers) =>
      request({ method: 'POST', url, payload: payload as never, headers: headers ?? {} }),
    patch: (url, payload) => request({ method: 'PATCH', url, payload: payload as never }),
    put: (url, payload) => request({ method: 'PUT', url, payload: payload as never }),
    delete: (url) => request({ method: 'DELETE', url }),
  };
}

/** Every role, scoped to community A, plus an admin and a quality user who see all communities. */
export const SEEDED_USERS: { username: string; roles: Role[]; all?: boolean }[] = [
  { username: 'agent-a', roles: ['agent'] },
  { username: 'supervisor-a', roles: ['supervisor'] },
  { username: 'manager-a', roles: ['manager'] },
  { username: 'steward-a', roles: ['steward'] },
  { username: 'technician-a', roles: ['technician'] },
  { username: 'security-a', roles: ['security'] },
  { username: 'cleaning-a', roles: ['cleaning'] },
  { username: 'greening-a', roles: ['greening'] },
  { username: 'cashier-a', roles: ['cashier'] },
  { username: 'quality', roles: ['quality'], all: true },
  { username: 'admin-2', roles: ['admin'], all: true },
];

/** The real app on a fresh database, with a small world in two communities. */
export async function createTestApp(
  dialect: DialectName,
  env: Record<string, string> = {},
): Promise<TestApp> {
  const testDb = await createTestDatabase(dialect);
  const config = loadConfig({
    DATA_DIR: testDb.dataDir,
    ESTATEDESK_ADMIN_PASSWORD: PASSWORD,
    WEB_DIR: '/nonexistent',
    ...env,
  });
  const clock = new ManualClock('2026-11-30T02:00:00.000Z');
  const services = buildServices(testDb.database, config, clock);
  await services.auth.ensureAdmin(PASSWORD);
  // one set of services: what a test does through them (the SLA scheduler's passes, …) is what
  // the app serves and announces on its event stream
  const app = await buildApp({ config, database: testDb.database, clock, services });
  const ctx = systemContext();

  const communityA = await services.registry.createCommunity(ctx, { name: '阳光花园', code: 'YGHY' });
  const communityB = await services.registry.createCommunity(ctx, { name: '翠湖苑', code: 'CHY' });
  const place = async (communityId: string) => {
    const building = await services.registry.createBuilding(ctx, { communityId, name: '3栋' });
    const unit = await services.registry.createUnit(ctx, { buildingId: building.id, name: '2单元' });
    const room = await services.registry.createRoom(ctx, {
      unitId: unit.id,
      number: '1502',
      status: 'occupied',
    });
    const area = await services.registry.createPublicArea(ctx, { communityId, name: '地下车库' });
    return { room, area, building };
  };
  const a = await place(communityA.id);
  const b = await place(communityB.id);
  const residentA = await services.residents.create(ctx, {
    communityId: communityA.id,
    roomId: a.room.id,
    name: '王建国',
    phone: '13800138000',
    salutation: 'mr',
    kind: 'owner',
  });
  const residentB = await services.residents.create(ctx, {
    communityId: communityB.id,
    roomId: b.room.id,
    name: '李秀英',
    phone: '13900139000',
    salutation: 'ms',
    kind: 'owner',
  });
  const { ticket: ticketB } = await services.tickets.create(ctx, {
    communityId: communityB.id,
    roomId: b.room.id,
    residentId: residentB.id,
    type: 'repair',
    channel: 'phone',
    content: '厨房水管漏水',
  });

  let n = 100;
  for (const user of SEEDED_USERS) {
    const created = await services.staff.create(ctx, {
      username: user.username,
      employeeNo: String(n++),
      name: `测试${user.username}`,
      roles: user.roles,
      communityIds: user.all ? [] : [communityA.id],
      allCommunities: user.all ?? false,
      password: PASSWORD,
    });
    await services.staffRepo.update(created.id, { must_change_password: 0 });
  }

  const world: World = {
    communityA,
    communityB,
    roomA: { id: a.room.id, label: a.room.label },
    roomB: { id: b.room.id, label: b.room.label },
    buildingB: { id: b.building.id },
    publicAreaA: { id: a.area.id },
    residentA,
    residentB,
    ticketB,
  };

  return {
    app,
    services,
    clock,
    config,
    testDb,
    world,
    anonymous: client(app),
    async as(username: string) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { login: username, password: PASSWORD },
      });
      if (res.statusCode !== 200)
        throw new Error(`login as ${username} failed: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      return client(app, cookie, res.json().csrfToken);
    },
    async close() {
      await app.close();
      await testDb.drop();
    },
  };
}
