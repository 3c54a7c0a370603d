import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Env, fixtures } from '../helpers/access-matrix.fixtures.js';
import {
  type Actor,
  type Answer,
  declaredOutcome,
  type Expect,
  markersIn,
  mismatch,
  type Req,
  send,
  Tally,
  tokenClient,
} from '../helpers/access-matrix.js';
import {
  type Actors,
  B_TEXT,
  buildActors,
  buildWorld,
  Flow,
  type MatrixWorld,
} from '../helpers/access-matrix.world.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

/**
 * Issue 10 §3, R61: the access matrix, generated from the route table. Every API route × every
 * actor (each role of community A, quality and an admin who see every community, an admin of A
 * only, API tokens narrower than their creator) × {own community, other community, no session,
 * expired session} gets the status its declared access calls for, and no answer to an actor who
 * does not see community B carries anything of B (JSON, .xlsx cells, file bytes, the event stream).
 */
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

/** How many actors run their cells of one route at once (each on records of its own). */
const PARALLEL = 4;

/** Runs `work` for each item, at most `width` at a time. */
async function inTurns<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
}

describe.each(dialects())('R61 access matrix over every route (%s)', (dialect) => {
  let t: TestApp;
  let env: Env;
  let actors: Actors;
  let w: MatrixWorld;
  let pbxServer: Server;
  /** What the PBX was asked to ring (click to call). */
  const originated: unknown[] = [];
  const tally = new Tally();
  const table = fixtures();

  let startedAt = 0;
  let cpuAtStart: NodeJS.CpuUsage | undefined;
  beforeAll(async () => {
    startedAt = performance.now();
    cpuAtStart = process.cpuUsage();
    // a PBX that accepts click-to-call requests, so that originate can succeed for real
    pbxServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        originated.push(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => pbxServer.listen(0, '127.0.0.1', resolve));
    const { port } = pbxServer.address() as AddressInfo;
    t = await createTestApp(dialect, { CTI_ORIGINATE_URL: `http://127.0.0.1:${port}/originate` });
    const appAt = performance.now();
    const built = await buildActors(t);
    actors = built.actors;
    const admin = actors.sessions.get('admin-2')!;
    const sessionOf = (userId: string) => {
      const name = [...built.users.entries()].find(([, id]) => id === userId)?.[0];
      const client = name ? actors.sessions.get(name) : undefined;
      if (!client) throw new Error(`no session of user ${userId}`);
      return client;
    };
    const flow = new Flow(t, admin, sessionOf);
    flow.users = built.users;
    const built2 = performance.now();
    w = await buildWorld(t, flow, actors);
    env = { t, w, flow, actors };
    // MATRIX_PROFILE=1: where the time goes (set-up here, the slowest routes after the own cells)
    if (process.env.MATRIX_PROFILE)
      console.log(
        `set-up: app ${seconds(appAt - startedAt)} s, actors ${seconds(built2 - appAt)} s, world ${seconds(performance.now() - built2)} s`,
      );
  }, 180_000);

  afterAll(async () => {
    const c = tally.byCondition();
    const routes = t ? t.app.routeAccess.filter((r) => !('public' in r.access)).length : 0;
    console.log(
      `access matrix (${dialect}): ${routes} routes × ${actors?.all.length ?? 0} actors → ${tally.cells.length} cells ` +
        `(own ${c.own}, other ${c.other}, no session ${c.none}, expired ${c.expired}); ` +
        `${tally.scanned} answers scanned for community B; statuses ${JSON.stringify(tally.byStatus())}; ` +
        `${seconds(performance.now() - startedAt)} s wall, ${seconds(cpuMs(process.cpuUsage(cpuAtStart)))} s CPU ` +
        `of this process, load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
    );
    await t?.close();
    await new Promise((resolve) => pbxServer?.close(resolve));
  });

  const protectedRoutes = () => t.app.routeAccess.filter((r) => !('public' in r.access));
  const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
  /** A URL of the route with made-up ids: enough for checks that run before anything is read. */
  const anyUrl = (url: string) => url.replace(/:(\w+)/g, 'x');

  /** Sends a cell's request and records what came back against what was expected. */
  async function cell(
    route: string,
    actor: Actor | null,
    condition: 'own' | 'other' | 'none' | 'expired',
    req: Req,
    expected: Expect,
    client = actor?.client ?? t.anonymous,
  ) {
    let answer: Answer;
    try {
      answer = await send(client, req);
    } catch (error) {
      tally.record({
        route,
        actor: actor?.name ?? 'anonymous',
        condition,
        expected,
        status: 0,
        problem: `threw ${String(error)}`,
      });
      return;
    }
    let problem = mismatch(expected, answer);
    if (problem) problem += ` (${req.method} ${req.url.slice(0, 120)}: ${answer.summary})`;
    if (actor && !actor.seesB && answer.status < 300) {
      tally.scanned++;
      const found = markersIn(answer, w.markers);
      if (found.length)
        problem = `${problem ? `${problem}; ` : ''}community B's data in the answer: ${found.join(', ')} (${req.method} ${req.url.slice(0, 120)})`;
    }
    tally.record({
      route,
      actor: actor?.name ?? 'anonymous',
      condition,
      expected,
      status: answer.status,
      problem,
    });
  }

  const report = (problems: string[]) =>
    problems.length ? `${problems.length} cells wrong:\n${problems.slice(0, 60).join('\n')}` : 'none';

  it('has a fixture for every route in the route table (a new route must declare one)', () => {
    const declared = protectedRoutes().map(key);
    const missing = declared.filter((k) => !table[k]);
    const stale = Object.keys(table).filter((k) => !declared.includes(k));
    expect(
      missing,
      `routes without an access-matrix fixture: add one to test/helpers/access-matrix.fixtures.ts for each, ` +
        `saying how to call it on community A (own) and on community B (other, with the status an actor of A ` +
        `gets: 404, or 400 for a reference in the body), or why there is no B variant (noOther)`,
    ).toEqual([]);
    expect(stale, 'fixtures of routes that no longer exist').toEqual([]);
    for (const [k, f] of Object.entries(table))
      expect(Boolean(f.other) !== Boolean(f.noOther), `${k}: declare other or noOther (one)`).toBe(true);
    expect(declared.length).toBeGreaterThan(150);
  });

  it('answers 401 without a session, or with a made-up token, on every protected route', async () => {
    const bogus = tokenClient(t, 'edt_madeup');
    const before = tally.problems.length;
    for (const route of protectedRoutes()) {
      const req: Req = { method: route.method as Req['method'], url: anyUrl(route.url), body: {} };
      await cell(key(route), null, 'none', req, 401);
      await cell(key(route), null, 'none', req, 401, bogus);
    }
    expect(report(tally.problems.slice(before))).toBe('none');
  });

  /** Every row of community B in every table that has a community: what B's records are. */
  async function snapshotOfB() {
    const db = t.testDb.database.db;
    const tables = await db.introspection.getTables();
    const out: Record<string, unknown[]> = {};
    for (const table of tables) {
      if (!table.columns.some((c) => c.name === 'community_id')) continue;
      const { rows } =
        await sql`select * from ${sql.table(table.name)} where community_id = ${w.B.communityId}`.execute(db);
      out[table.name] = rows.map((r) => JSON.stringify(r)).sort();
    }
    const { rows: events } = await sql`select * from ticket_events where ticket_id = ${w.B.ticketId}`.execute(
      db,
    );
    out.ticket_events_of_b = events.map((r) => JSON.stringify(r)).sort();
    return out;
  }

  it("R61: community B's records are 404 (or a refused reference) to those who do not see B, in every route, and unchanged", async () => {
    const before = tally.problems.length;
    const snapshot = await snapshotOfB();
    // first everyone who does not see B, and every role a route refuses: B's rows must not change
    for (const route of protectedRoutes()) {
      const other = table[key(route)]?.other;
      if (!other) continue;
      const denied = actors.all.filter((a) => declaredOutcome(route.access, a) === 403);
      if (denied.length) {
        const cases = await other(env, denied[0]!);
        await Promise.all(
          denied.map(async (actor) => {
            for (const c of cases) await cell(key(route), actor, 'other', c.req, 403);
          }),
        );
      }
      const onlyA = actors.all.filter((a) => !a.seesB && declaredOutcome(route.access, a) === 'through');
      await inTurns(onlyA, PARALLEL, async (actor) => {
        for (const c of await other(env, actor)) await cell(key(route), actor, 'other', c.req, c.expect);
      });
    }
    expect(report(tally.problems.slice(before))).toBe('none');
    expect(await snapshotOfB()).toEqual(snapshot);
    // then those who see B read the same records: they exist (the 404s above are the scope's)
    for (const route of protectedRoutes()) {
      const fixture = table[key(route)];
      if (!fixture?.other || route.method !== 'GET') continue;
      for (const actor of actors.all.filter((a) => a.seesB && declaredOutcome(route.access, a) === 'through'))
        for (const c of await fixture.other(env, actor)) await cell(key(route), actor, 'other', c.req, '2xx');
    }
    expect(report(tally.problems.slice(before))).toBe('none');
  }, 240_000);

  it('R61: every actor gets on community A what its roles allow: 2xx, or 403 for a role the route does not declare', async () => {
    const before = tally.problems.length;
    const ordered = [
      ...protectedRoutes().filter((r) => !table[key(r)]?.last),
      ...protectedRoutes().filter((r) => table[key(r)]?.last),
    ];
    const spent: [string, number][] = [];
    for (const route of ordered) {
      const started = performance.now();
      const fixture = table[key(route)]!;
      const denied = actors.all.filter((a) => declaredOutcome(route.access, a) === 403);
      const through = actors.all.filter((a) => declaredOutcome(route.access, a) === 'through');
      // the first allowed actor's prepared request also serves every refused actor: refused before
      // anything is read, it leaves the record as it was for the one it was prepared for
      const first = through[0] ? await fixture.own(through[0], env) : null;
      if (denied.length) {
        const { as: _own, ...plain } = first ?? (await fixture.own(denied[0]!, env));
        await Promise.all(denied.map((actor) => cell(key(route), actor, 'own', plain, 403)));
      }
      // each actor on records of its own: several at a time, unless they share one
      await inTurns(through, fixture.serial ? 1 : PARALLEL, async (actor) => {
        const req = actor === through[0] && first ? first : await fixture.own(actor, env);
        await cell(key(route), actor, 'own', req, fixture.ownExpect?.(actor) ?? '2xx');
      });
      spent.push([key(route), performance.now() - started]);
    }
    if (process.env.MATRIX_PROFILE)
      console.log(
        spent
          .sort((a, b) => b[1] - a[1])
          .slice(0, 25)
          .map(([r, ms]) => `${Math.round(ms)} ms ${r}`)
          .join('\n'),
      );
    expect(report(tally.problems.slice(before))).toBe('none');
    expect(originated.length).toBeGreaterThan(0);
  }, 300_000);

  it("sees inside what it scans: the same exports and files, read by someone who sees B, show B's markers", async () => {
    const quality = actors.all.find((a) => a.name === 'quality')!;
    const admin = actors.all.find((a) => a.name === 'admin-2')!;
    const reads: [Actor, string, string][] = [
      [admin, `/api/v1/residents/export.xlsx?communityId=${w.B.communityId}`, B_TEXT.resident],
      [
        quality,
        '/api/v1/reports/satisfaction.xlsx?from=2026-11-01&to=2026-12-31&groupBy=community',
        t.world.communityB.name,
      ],
      [admin, `/api/v1/imports/${w.B.importId}/report.xlsx`, B_TEXT.resident],
      [quality, `/api/v1/attachments/${w.B.fileId}`, B_TEXT.attachmentText],
      [quality, `/api/v1/residents?q=${B_TEXT.residentPhone}`, B_TEXT.resident],
    ];
    for (const [actor, url, marker] of reads) {
      const answer = await send(actor.client, { method: 'GET', url });
      expect(answer.status, url).toBe(200);
      expect(markersIn(answer, [marker, ...w.markers]), url).toContain(marker);
    }
  });

  /** Opens the event stream as the actor and collects what it carries. */
  async function listen(actor: Actor) {
    const res = await actor.client.request({ method: 'GET', url: '/api/v1/events', payloadAsStream: true });
    expect(res.statusCode, actor.name).toBe(200);
    const stream = res.stream();
    const heard = { text: '', stream };
    stream.on('data', (chunk: Buffer) => {
      heard.text += chunk.toString('utf8');
    });
    return heard;
  }
  async function until(what: string, check: () => boolean, ms = 5000) {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it("R61: the event stream of those who see A only carries A's changes, never B's", async () => {
    const byName = (name: string) => actors.all.find((a) => a.name === name)!;
    const onlyA = ['agent-a', 'technician-a', 'admin-a', 'token every-role@A', 'token agent@A'].map(byName);
    const seesB = byName('quality');
    const streams = new Map<Actor, Awaited<ReturnType<typeof listen>>>();
    for (const actor of [...onlyA, seesB]) streams.set(actor, await listen(actor));
    await until('the streams to open', () =>
      [...streams.values()].every((h) => h.text.includes(': connected')),
    );
    // B's request changes first (escalated, and a note), then a request of A is received
    await env.flow.act(w.B.ticketId, 'escalate', { reason: '住户再次来电' });
    await env.flow.post(`/api/v1/tickets/${w.B.ticketId}/notes`, {
      text: `${B_TEXT.ticket}备注`,
      visibility: 'internal',
    });
    const { id: ticketOfA } = await env.flow.ticket(w.A, { content: '楼道灯不亮' });
    // the one who sees B hears B's change (so it was announced), and everyone hears A's
    await until("quality hearing B's change", () => streams.get(seesB)!.text.includes(w.B.ticketId));
    for (const [actor, heard] of streams)
      await until(`${actor.name} hearing A's new request`, () => heard.text.includes(ticketOfA));
    for (const actor of onlyA) {
      const heard = streams.get(actor)!;
      tally.scanned++;
      const found = w.markers.filter((m) => heard.text.includes(m));
      tally.record({
        route: 'GET /api/v1/events (stream)',
        actor: actor.name,
        condition: 'other',
        expected: '2xx',
        status: 200,
        problem: found.length ? `community B in the stream: ${found.join(', ')}` : null,
      });
      expect(found, `${actor.name} heard community B`).toEqual([]);
    }
    for (const heard of streams.values()) heard.stream.destroy();
  });

  it('answers 401 to every session once its idle time is up (on the injected clock), and to revoked tokens, on every route', async () => {
    const before = tally.problems.length;
    // the tokens are revoked by their maker while its session still lives
    const admin = actors.sessions.get('admin-2')!;
    const tokens = (await admin.get('/api/v1/api-tokens')).json().items as { id: string; name: string }[];
    for (const actor of actors.all.filter((a) => a.kind === 'token')) {
      const token = tokens.find((x) => x.name === actor.name)!;
      expect((await admin.delete(`/api/v1/api-tokens/${token.id}`)).statusCode).toBe(204);
    }
    t.clock.advance((t.config.sessionIdleMinutes + 1) * 60_000);
    for (const route of protectedRoutes()) {
      const req: Req = { method: route.method as Req['method'], url: anyUrl(route.url), body: {} };
      await Promise.all(actors.all.map((actor) => cell(key(route), actor, 'expired', req, 401)));
    }
    expect(report(tally.problems.slice(before))).toBe('none');
  });
});
