import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from '../../../../test/helpers/db.js';
import { OPEN_STATUSES } from '../../../domain/ticket-lifecycle.js';
import { TICKET_TYPES } from '../../../domain/tickets.js';
import { buildApp, buildServices, type Services } from '../../app.js';
import { ManualClock } from '../../platform/clock.js';
import { loadConfig } from '../../platform/config.js';
import type { DB } from '../../platform/db/schema.js';
import { ticketNumberPrefix } from '../tickets/tickets.service.js';
import { type BulkResult, generateBulk } from './bulk.js';

/** Tiny, but with every status, type and clock state a large load has. */
const SIZE = { communities: 3, residents: 300, tickets: 2_000, seed: 7 };
/** A Monday, 14:00 in Shanghai. */
const NOW = new Date('2026-11-30T06:00:00.000Z');

/** Events that rewrite the request's row (and so raise its version): every step but these. */
const NOT_VERSIONED = new Set(['created', 'sla_warn', 'sla_breach', 'return_visit_skipped', 'note', 'reply']);

async function load(dialect: 'sqlite' | 'postgres') {
  const testDb = await createTestDatabase(dialect);
  const result = await generateBulk(testDb.database, { ...SIZE, now: NOW, checkForeignKeys: true });
  return { testDb, result };
}

async function drop(testDb: TestDatabase) {
  await testDb.database.close();
  await new Promise((resolve) => setTimeout(resolve, 100));
  await testDb.drop();
}

/** A digest of a table's rows in key order: two loads of one seed must agree on every value. */
async function digest(testDb: TestDatabase, table: keyof DB, key: string) {
  const rows = await testDb.database.db
    .selectFrom(table)
    .selectAll()
    .orderBy(key as never)
    .execute();
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
}

describe.each(dialects())('the large-operator generator (%s)', (dialect) => {
  let testDb: TestDatabase;
  let result: BulkResult;
  let services: Services;
  let app: FastifyInstance;
  const clock = new ManualClock(NOW);
  const db = () => testDb.database.db;

  beforeAll(async () => {
    ({ testDb, result } = await load(dialect));
    const config = loadConfig({ DATA_DIR: testDb.dataDir, WEB_DIR: '/nonexistent', LOG_LEVEL: 'silent' });
    services = buildServices(testDb.database, config, clock);
    app = await buildApp({ config, database: testDb.database, clock, services });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    if (testDb) await drop(testDb);
  });

  /** Logs in as a generated member of staff (they all share the generator's password). */
  async function as(username: string) {
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: username, password: result.password },
    });
    expect(login.statusCode, login.body).toBe(200);
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const csrf = login.json().csrfToken as string;
    return {
      get: (url: string) => app.inject({ method: 'GET', url, headers: { cookie } }),
      post: (url: string, payload: object) =>
        app.inject({ method: 'POST', url, payload, headers: { cookie, 'x-csrf-token': csrf } }),
    };
  }

  const community = () => result.communities[0]!;
  const code = () => community().code.toLowerCase();
  async function ticketsOf(status: string) {
    return db()
      .selectFrom('tickets')
      .selectAll()
      .where('community_id', '=', community().id)
      .where('status', '=', status)
      .orderBy('id')
      .execute();
  }

  it('writes the sizes asked for: communities, residents with phones and rooms, staff, teams, requests', async () => {
    const count = async (table: keyof DB) =>
      Number(
        (
          await db()
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('communities')).toBe(3);
    expect(await count('residents')).toBe(300);
    expect(await count('resident_rooms')).toBe(300);
    expect(await count('resident_phones')).toBeGreaterThanOrEqual(300);
    expect(await count('tickets')).toBe(2_000);
    expect(await count('teams')).toBe(3 * 5);
    expect(await count('users')).toBe(3 * 15 + 1 + 2);
    expect(await count('ticket_events')).toBe(result.counts.ticket_events);
    expect(await count('sla_clocks')).toBe(result.counts.sla_clocks);
    expect(result.tables.find((t) => t.table === 'tickets')?.rows).toBe(2_000);
    // phones are unique, and so are the ids of every kind
    const phones = await db().selectFrom('resident_phones').select('phone').execute();
    expect(new Set(phones.map((p) => p.phone)).size).toBe(phones.length);
  });

  it('spreads types, channels, priorities and statuses roughly as configured', async () => {
    const byStatus = await db()
      .selectFrom('tickets')
      .select(['status', (eb) => eb.fn.countAll().as('n')])
      .groupBy('status')
      .execute();
    const n = Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)]));
    const open = OPEN_STATUSES.reduce((s, st) => s + (n[st] ?? 0), 0) + (n.done ?? 0);
    expect(open).toBeGreaterThan(2_000 * 0.015);
    expect(open).toBeLessThan(2_000 * 0.05);
    expect(n.closed).toBeGreaterThan(2_000 * 0.85);
    expect(n.cancelled).toBeGreaterThan(2_000 * 0.01);
    expect(n.cancelled).toBeLessThan(2_000 * 0.06);
    expect(
      Object.keys(n).filter((s) => (OPEN_STATUSES as readonly string[]).includes(s)).length,
    ).toBeGreaterThanOrEqual(5);
    const types = result.distributions.type;
    for (const type of TICKET_TYPES) expect(types[type], type).toBeGreaterThan(0);
    expect(Math.max(...Object.values(types))).toBe(types.repair);
    expect(result.distributions.channel.phone).toBe(Math.max(...Object.values(result.distributions.channel)));
    expect(result.distributions.priority.urgent).toBeGreaterThan(0);
    // two years of requests, none after now
    const span = await db()
      .selectFrom('tickets')
      .select((eb) => [eb.fn.min('created_at').as('first'), eb.fn.max('created_at').as('last')])
      .executeTakeFirstOrThrow();
    expect(Date.parse(String(span.first))).toBeLessThan(NOW.getTime() - 700 * 86_400_000);
    expect(Date.parse(String(span.last))).toBeLessThanOrEqual(NOW.getTime());
  });

  it('gives every request the timeline of its status, its version and its daily number', async () => {
    const tickets = await db()
      .selectFrom('tickets')
      .select(['id', 'number', 'status', 'version', 'created_at', 'escalation_level'])
      .execute();
    const events = await db()
      .selectFrom('ticket_events')
      .select(['ticket_id', 'type', 'data', 'at'])
      .orderBy('ticket_id')
      .orderBy('id')
      .execute();
    const byTicket = new Map<string, typeof events>();
    for (const e of events) byTicket.set(e.ticket_id, [...(byTicket.get(e.ticket_id) ?? []), e]);
    for (const t of tickets) {
      const timeline = byTicket.get(t.id) ?? [];
      expect(timeline[0]?.type, t.number).toBe('created');
      let status = 'received';
      let level = 0;
      for (const e of timeline) {
        const data = JSON.parse(e.data ?? '{}') as { to?: string; level?: number };
        if (data.to) status = data.to;
        if (e.type === 'escalate') level = data.level!;
        expect(Date.parse(String(e.at))).toBeLessThanOrEqual(NOW.getTime());
      }
      expect(status, t.number).toBe(t.status);
      expect(level, t.number).toBe(t.escalation_level);
      expect(t.version, t.number).toBe(1 + timeline.filter((e) => !NOT_VERSIONED.has(e.type)).length);
      expect(t.number.startsWith(`${ticketNumberPrefix(new Date(t.created_at), 'Asia/Shanghai')}-`)).toBe(
        true,
      );
    }
    const counter = await db()
      .selectFrom('counters')
      .selectAll()
      .where('name', '=', `ticket:${ticketNumberPrefix(NOW, 'Asia/Shanghai')}`)
      .executeTakeFirst();
    const today = tickets.filter((t) => t.number.startsWith(ticketNumberPrefix(NOW, 'Asia/Shanghai')));
    expect(Number(counter?.value ?? 0)).toBe(today.length);
  });

  it('R26: leaves the open requests’ clocks as the scheduler would have — breaches escalated, nothing due now', async () => {
    const fired = await services.slaScheduler.runOnce(NOW);
    expect(fired.claimed).toBe(0);
    const clocks = await db().selectFrom('sla_clocks').selectAll().execute();
    expect(clocks.some((c) => c.status === 'running')).toBe(true);
    expect(clocks.some((c) => c.status === 'breached')).toBe(true);
    expect(clocks.some((c) => c.status === 'met')).toBe(true);
    for (const c of clocks.filter((k) => k.status === 'running'))
      expect(Date.parse(String(c.next_fire_at))).toBeGreaterThan(NOW.getTime());
    // only requests still open (or done, awaiting their return visit) have clocks
    const owners = await db()
      .selectFrom('sla_clocks')
      .innerJoin('tickets', 'tickets.id', 'sla_clocks.ticket_id')
      .select('tickets.status')
      .distinct()
      .execute();
    for (const o of owners) expect(['closed', 'cancelled']).not.toContain(o.status);
    const escalated = await db()
      .selectFrom('tickets')
      .select('id')
      .where('escalation_level', '>', 0)
      .executeTakeFirst();
    expect(escalated).toBeDefined();
  });

  it('R33: owes a return visit for finished jobs by the policy, skips the others', async () => {
    const done = await db().selectFrom('tickets').select('id').where('status', '=', 'done').execute();
    const visits = await db()
      .selectFrom('return_visits')
      .select(['ticket_id', 'due_at', 'assignee_id'])
      .execute();
    const skipped = await db()
      .selectFrom('ticket_events')
      .select('ticket_id')
      .where('type', '=', 'return_visit_skipped')
      .execute();
    expect(done.length).toBeGreaterThan(0);
    expect(visits.length + skipped.length).toBe(done.length);
    for (const v of visits) expect(v.assignee_id).not.toBeNull();
  });

  it('R3: the app lists, reads and searches the generated records through its API', async () => {
    const agent = await as(`${code()}.agent1`);
    let cursor: string | null = null;
    for (let page = 0; page < 3; page++) {
      const res = await agent.get(
        `/api/v1/tickets?communityId=${community().id}&limit=30${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { items: { id: string; communityId: string }[]; nextCursor: string | null };
      expect(body.items).toHaveLength(30);
      for (const item of body.items) expect(item.communityId).toBe(community().id);
      cursor = body.nextCursor;
    }
    for (const view of ['unassigned', 'pending']) {
      const res = await agent.get(`/api/v1/tickets?communityId=${community().id}&view=${view}`);
      expect(res.statusCode, res.body).toBe(200);
    }
    const [open] = await ticketsOf('in_progress');
    const [closed] = await ticketsOf('closed');
    for (const t of [open!, closed!]) {
      const res = await agent.get(`/api/v1/tickets/${t.id}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().status).toBe(t.status);
      expect((await agent.get(`/api/v1/tickets/${t.id}/sla`)).statusCode).toBe(200);
    }
    const board = await agent.get(`/api/v1/sla/board?communityId=${community().id}&limit=500`);
    expect(board.statusCode, board.body).toBe(200);
    const due = (board.json().items as { dueAt: string }[]).map((c) => c.dueAt);
    expect(due.length).toBeGreaterThan(0);
    expect([...due].sort()).toEqual(due);

    const sample = result.samples.find((s) => s.communityIndex === 0)!;
    for (const q of [sample.phone.slice(-4), sample.roomCode, sample.name, sample.phone]) {
      const res = await agent.get(`/api/v1/residents?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(
        (res.json().items as { id: string }[]).map((r) => r.id),
        q,
      ).toContain(sample.residentId);
    }
    const card = await agent.get(`/api/v1/residents/${sample.residentId}/card`);
    expect(card.statusCode, card.body).toBe(200);
  }, 120_000);

  it('the app moves generated requests on: a received one is dispatched and closed, a held one resumes, a new number follows the day’s', async () => {
    const codeOf = (communityId: string) =>
      result.communities.find((c) => c.id === communityId)!.code.toLowerCase();
    const step = async (
      who: Awaited<ReturnType<typeof as>>,
      id: string,
      action: string,
      body: object = {},
    ) => {
      const current = (await who.get(`/api/v1/tickets/${id}`)).json() as { version: number };
      const res = await who.post(`/api/v1/tickets/${id}/${action}`, { version: current.version, ...body });
      expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
      return res.json() as { status: string };
    };

    const received = await db()
      .selectFrom('tickets')
      .select(['id', 'community_id'])
      .where('status', '=', 'received')
      .where('type', '=', 'repair')
      .orderBy('id')
      .executeTakeFirst();
    expect(received).toBeDefined();
    const home = codeOf(received!.community_id);
    const agent = await as(`${home}.agent1`);
    const technician = await as(`${home}.technician1`);
    const team = await db()
      .selectFrom('teams')
      .select('id')
      .where('community_id', '=', received!.community_id)
      .where('kind', '=', 'repair')
      .executeTakeFirstOrThrow();
    const tech = await db()
      .selectFrom('users')
      .select('id')
      .where('username', '=', `${home}.technician1`)
      .executeTakeFirstOrThrow();
    await step(agent, received!.id, 'dispatch', { teamId: team.id, assigneeId: tech.id });
    await step(technician, received!.id, 'accept');
    await step(technician, received!.id, 'arrive');
    await step(technician, received!.id, 'complete', { report: { cause: '角阀老化', work: '更换角阀' } });
    expect((await step(agent, received!.id, 'close')).status).toBe('closed');

    // a hold that stopped the clocks (a typed reason): resuming starts them again
    const held = await db()
      .selectFrom('tickets')
      .innerJoin('sla_clocks', 'sla_clocks.ticket_id', 'tickets.id')
      .select(['tickets.id', 'tickets.community_id'])
      .where('tickets.status', '=', 'pending')
      .where('sla_clocks.status', '=', 'paused')
      .orderBy('tickets.id')
      .executeTakeFirst();
    expect(held).toBeDefined();
    const desk = await as(`${codeOf(held!.community_id)}.agent1`);
    await step(desk, held!.id, 'resume');
    const paused = await db()
      .selectFrom('sla_clocks')
      .select('id')
      .where('ticket_id', '=', held!.id)
      .where('status', '=', 'paused')
      .execute();
    expect(paused).toHaveLength(0);

    // a new request today takes the next of the day's numbers
    const resident = result.samples.find((s) => s.communityIndex === 0)!;
    const room = await db()
      .selectFrom('residents')
      .select('room_id')
      .where('id', '=', resident.residentId)
      .executeTakeFirstOrThrow();
    const created = await (await as(`${codeOf(resident.communityId)}.agent1`)).post('/api/v1/tickets', {
      communityId: resident.communityId,
      residentId: resident.residentId,
      roomId: room.room_id,
      type: 'repair',
      channel: 'phone',
      content: '卫生间漏水',
    });
    expect(created.statusCode, created.body).toBe(201);
    const prefix = ticketNumberPrefix(NOW, 'Asia/Shanghai');
    const today = await db()
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('number', 'like', `${prefix}-%`)
      .executeTakeFirstOrThrow();
    expect(created.json().number).toBe(`${prefix}-${String(Number(today.n)).padStart(4, '0')}`);
  }, 120_000);
});

describe('the large-operator generator is deterministic', () => {
  it('one seed and one `now` give the same rows, ids included', async () => {
    const a = await load('sqlite');
    const b = await load('sqlite');
    try {
      for (const [table, key] of [
        ['residents', 'id'],
        ['rooms', 'id'],
        ['tickets', 'id'],
        ['ticket_events', 'id'],
        ['sla_clocks', 'id'],
        ['return_visits', 'id'],
      ] as const) {
        expect(await digest(a.testDb, table, key), table).toBe(await digest(b.testDb, table, key));
      }
    } finally {
      await drop(a.testDb);
      await drop(b.testDb);
    }
  }, 120_000);

  it('adds a second company beside the first (what --force does): nothing collides, numbers go on', async () => {
    const testDb = await createTestDatabase('sqlite');
    try {
      const small = { communities: 1, residents: 50, tickets: 300, seed: 7, now: NOW };
      await generateBulk(testDb.database, small);
      await generateBulk(testDb.database, small);
      const db = testDb.database.db;
      const tickets = await db.selectFrom('tickets').select(['number']).execute();
      expect(tickets).toHaveLength(600);
      expect(new Set(tickets.map((t) => t.number)).size).toBe(600);
      const codes = await db.selectFrom('communities').select('code').execute();
      expect(codes.map((c) => c.code).sort()).toEqual(['XQ0001', 'XQ0002']);
    } finally {
      await drop(testDb);
    }
  }, 120_000);
});

describe('npm run generate', () => {
  it('refuses a database that already holds data, unless --force', async () => {
    const testDb = await createTestDatabase('sqlite');
    try {
      await generateBulk(testDb.database, { communities: 1, residents: 20, tickets: 10, now: NOW });
      await testDb.database.close();
      const cli = join(import.meta.dirname, '..', '..', 'cli', 'generate.ts');
      const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', cli, '--communities', '1', '--residents', '20', '--tickets', '10'],
        {
          env: { ...process.env, DATA_DIR: testDb.dataDir, LOG_LEVEL: 'silent' },
          encoding: 'utf8',
          timeout: 120_000,
        },
      );
      expect(run.status, run.stderr).toBe(1);
      expect(run.stderr).toContain('--force');
    } finally {
      await testDb.drop();
    }
  }, 150_000);
});
