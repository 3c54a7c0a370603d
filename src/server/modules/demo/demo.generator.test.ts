import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../../../test/helpers/db.js';
import { USER_ROLES } from '../../../domain/roles.js';
import { TICKET_CHANNELS, TICKET_TYPES } from '../../../domain/tickets.js';
import { buildServices, type Services } from '../../app.js';
import { ManualClock } from '../../platform/clock.js';
import { loadConfig } from '../../platform/config.js';
import { systemContext } from '../../platform/context.js';
import {
  DEMO_COMPANY,
  DEMO_PASSWORD,
  DEMO_PUBLIC_AREAS,
  type DemoOptions,
  generateDemo,
} from './demo.generator.js';

/** Small enough for a test, big enough to hold every status, kind, role, type and channel. */
const SMALL: Partial<DemoOptions> = {
  seed: 42,
  communities: 2,
  buildingsPerCommunity: 2,
  unitsPerBuilding: 2,
  floors: 6,
  doorsPerFloor: 2,
  tickets: 24,
};
const ROOMS_PER_COMMUNITY = 2 * 2 * 5 * 2;

async function open(dialect: 'sqlite' | 'postgres') {
  const testDb = await createTestDatabase(dialect);
  const config = loadConfig({ DATA_DIR: testDb.dataDir, WEB_DIR: '/nonexistent' });
  const services = buildServices(testDb.database, config, new ManualClock());
  return { testDb, services };
}

/**
 * Closes the pool and gives PostgreSQL a moment to see the connections go before the database is
 * dropped `with (force)`: a backend killed while its client is still saying goodbye raises an
 * 'error' on the pool, which has no listener, and fails the run as an unhandled error.
 */
async function drop(testDb: TestDatabase) {
  await testDb.database.close();
  await new Promise((resolve) => setTimeout(resolve, 100));
  await testDb.drop();
}

/** Every resident with room, phones (unmasked) and care marks, in a stable order. */
async function allResidents(testDb: TestDatabase) {
  const db = testDb.database.db;
  const rows = await db
    .selectFrom('residents')
    .innerJoin('rooms', 'rooms.id', 'residents.room_id')
    .innerJoin('buildings', 'buildings.id', 'rooms.building_id')
    .innerJoin('units', 'units.id', 'rooms.unit_id')
    .select([
      'residents.id',
      'buildings.name as building',
      'units.name as unit',
      'rooms.number',
      'residents.name',
      'residents.salutation',
      'residents.kind',
      'residents.care',
    ])
    .execute();
  const phones = await db
    .selectFrom('resident_phones')
    .select(['resident_id', 'phone'])
    .orderBy('sort')
    .execute();
  return rows
    .map((r) => {
      const own = phones.filter((p) => p.resident_id === r.id).map((p) => p.phone);
      return `${r.building}${r.unit}${r.number} ${r.name} ${r.salutation} ${r.kind} ${r.care} ${own}`;
    })
    .sort();
}

async function count(
  testDb: TestDatabase,
  table: 'rooms' | 'residents' | 'tickets' | 'public_areas' | 'users',
) {
  const row = await testDb.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(dialects())('demo generator (%s)', (dialect) => {
  let first: Awaited<ReturnType<typeof open>>;
  let result: Awaited<ReturnType<typeof generateDemo>>;

  beforeAll(async () => {
    first = await open(dialect);
    result = await generateDemo(first.services, SMALL);
  }, 120_000);
  afterAll(async () => {
    if (first) await drop(first.testDb);
  });

  it('loads the company, both communities and every room through the services', async () => {
    const { services, testDb } = first;
    expect(result.alreadyPresent).toBe(false);
    expect(result.communities.map((c) => [c.code, c.name])).toEqual([
      ['YGHY', '阳光花园'],
      ['CHY', '翠湖苑'],
    ]);
    expect(await services.company.get()).toMatchObject(DEMO_COMPANY);
    expect(await count(testDb, 'rooms')).toBe(2 * ROOMS_PER_COMMUNITY);
    expect(result.counts.rooms).toBe(2 * ROOMS_PER_COMMUNITY);
    expect(await count(testDb, 'public_areas')).toBe(2 * DEMO_PUBLIC_AREAS.length);

    const rooms = await services.registry.listRooms(systemContext(), {
      communityId: result.communities[0]!.id,
      limit: 200,
    });
    expect(rooms.items).toHaveLength(ROOMS_PER_COMMUNITY);
    expect(rooms.items.map((r) => r.label)).toContain('1栋1单元201');
    expect(rooms.items.map((r) => r.label)).toContain('2栋2单元602');
    const statuses = rooms.items.map((r) => r.status);
    expect(new Set(statuses)).toEqual(new Set(['occupied', 'vacant', 'renovating']));
    const occupied = statuses.filter((s) => s === 'occupied').length / statuses.length;
    expect(occupied).toBeGreaterThan(0.5);
    expect(occupied).toBeLessThan(0.9);
  });

  it('registers residents with valid, unique mobiles, audited like any other input', async () => {
    const { testDb } = first;
    const residents = await testDb.database.db.selectFrom('residents').selectAll().execute();
    expect(residents.length).toBe(result.counts.residents);
    expect(residents.length).toBeGreaterThan(ROOMS_PER_COMMUNITY);
    for (const r of residents) expect(r.name).toMatch(/^\p{Script=Han}{2,3}$/u);
    expect(new Set(residents.map((r) => r.kind))).toEqual(new Set(['owner', 'tenant', 'family']));
    expect(new Set(residents.map((r) => r.salutation))).toEqual(new Set(['mr', 'ms']));
    // R5: a few residents need extra care
    expect(residents.some((r) => r.care?.includes('elderly'))).toBe(true);

    const phones = await testDb.database.db.selectFrom('resident_phones').selectAll().execute();
    expect(phones.length).toBeGreaterThan(residents.length); // some owners leave a second phone
    for (const p of phones) {
      expect(p.phone).toMatch(/^1[3-9]\d{9}$/);
      expect(p.phone_tail).toBe(p.phone.slice(-4));
    }
    expect(new Set(phones.map((p) => p.phone)).size).toBe(phones.length);

    const audited = await testDb.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'resident.created')
      .executeTakeFirstOrThrow();
    expect(Number(audited.n)).toBe(residents.length);
  });

  it('creates staff of every role who log straight in with the demo password', async () => {
    const { services } = first;
    const staff = await services.staff.list({ limit: 200 });
    const demoStaff = staff.items.filter((s) => s.username !== 'admin');
    expect(new Set(demoStaff.flatMap((s) => s.roles))).toEqual(new Set(USER_ROLES));
    expect(demoStaff.every((s) => !s.mustChangePassword && /^\d{4}$/.test(s.employeeNo))).toBe(true);
    expect(result.staff.map((s) => s.username)).toContain('agent01');

    const { user } = await services.auth.login('agent01', DEMO_PASSWORD, '127.0.0.1', null, 'test');
    expect(user.mustChangePassword).toBe(false);
    expect(user.communityIds).toEqual([result.communities[0]!.id]);
  });

  it('logs requests of every type and channel in both communities', async () => {
    const { services, testDb } = first;
    expect(await count(testDb, 'tickets')).toBe(24);
    const page = await services.tickets.list(systemContext(), { limit: 200 });
    expect(new Set(page.items.map((t) => t.type))).toEqual(new Set(TICKET_TYPES));
    expect(new Set(page.items.map((t) => t.channel))).toEqual(new Set(TICKET_CHANNELS));
    expect(new Set(page.items.map((t) => t.communityId))).toEqual(
      new Set(result.communities.map((c) => c.id)),
    );
    expect(page.items.filter((t) => t.type === 'emergency').every((t) => t.priority === 'urgent')).toBe(true);
    expect(page.items.some((t) => t.content === '')).toBe(false);
  });

  it('is deterministic: the same seed gives the same people in a fresh database', async () => {
    const second = await open(dialect);
    const third = await open(dialect);
    try {
      await generateDemo(second.services, SMALL);
      await generateDemo(third.services, { ...SMALL, seed: 43 });
      const expected = await allResidents(first.testDb);
      expect(await allResidents(second.testDb)).toEqual(expected);
      // a test that could not fail would prove nothing: another seed gives other people
      expect(await allResidents(third.testDb)).not.toEqual(expected);
      const names = async (s: Services) =>
        (await s.staff.list({ limit: 200 })).items.map((u) => u.name).sort();
      expect(await names(second.services)).toEqual(await names(first.services));
    } finally {
      await drop(second.testDb);
      await drop(third.testDb);
    }
  }, 120_000);

  it('does nothing the second time: the demo communities are already there', async () => {
    const { services, testDb } = first;
    const before = await Promise.all(
      (['rooms', 'residents', 'tickets', 'users'] as const).map((t) => count(testDb, t)),
    );
    const again = await generateDemo(services, SMALL);
    expect(again.alreadyPresent).toBe(true);
    expect(again.communities.map((c) => c.code).sort()).toEqual(['CHY', 'YGHY']);
    expect(again.counts.residents).toBe(0);
    const after = await Promise.all(
      (['rooms', 'residents', 'tickets', 'users'] as const).map((t) => count(testDb, t)),
    );
    expect(after).toEqual(before);
  });
});
