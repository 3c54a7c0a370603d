// Property-based fuzzing of the whole API, driven by docs/openapi.json: for every route with a
// JSON body or a query string, bodies and queries generated from its schema with hostile values
// mixed in (100k strings, deep JSON, wrong types, NUL bytes, lone surrogates, SQL / HTML / script /
// path-traversal text), sent as an authenticated admin. No answer may be a 5xx, every 4xx has the
// ErrorBody shape, and a refused request changes no row of the main tables (nor the audit log).
// SQLite by default (FUZZ_DIALECT=postgres for PostgreSQL); bounded (FUZZ_RUNS per route, default
// 20) to stay under ~20 s; FUZZ_SEED picks another sequence.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

type Schema = Record<string, unknown> & {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
};
interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

const spec = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
/** SQLite by default; FUZZ_DIALECT=postgres runs the same against PostgreSQL (slower). */
const DIALECT = process.env.FUZZ_DIALECT === 'postgres' ? 'postgres' : 'sqlite';

/** Routes left out, and why. */
const SKIPPED: Record<string, string> = {
  'GET /api/v1/events': 'a never-ending event stream',
  'POST /api/v1/auth/login': 'failures lock accounts and rate-limit the address (auth tests cover it)',
  'POST /api/v1/auth/logout': 'would end the session the fuzzing runs in',
};

/** The main tables: a refused request must leave every count as it was. */
const TABLES = [
  'users',
  'sessions',
  'communities',
  'buildings',
  'units',
  'rooms',
  'residents',
  'tickets',
  'ticket_events',
  'teams',
  'ticket_categories',
  'api_tokens',
  'notifications',
  'audit_log',
];

function deepJson(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** A body sent as this exact text; fast-check reports it by its label (printing it would overflow). */
class RawJson {
  constructor(
    readonly text: string,
    readonly label: string,
  ) {}
  [fc.toStringMethod]() {
    return this.label;
  }
}

const HOSTILE_STRINGS = [
  'x'.repeat(100_000),
  '王'.repeat(100_000),
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
  "' OR 1=1 --",
  "'; DROP TABLE tickets; --",
  '1; select pg_sleep(1)',
  '<script>window.__x=1</script>',
  '"><img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00%2e%2e%2f',
  // a template injection probe, written so that it is no template here
  ['$', '{7*7}{{7*7}}'].join(''),
  '\u202e\u200b\ufeff',
  ' ',
  '',
  '2026-02-30',
  '9999-12-31T23:59:59.999Z',
  'NaN',
  '-1',
];
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...HOSTILE_STRINGS),
  fc.constantFrom<unknown>(
    null,
    true,
    0,
    -1,
    1.5,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    {},
    [],
    [null],
    { $ne: null },
    { __proto__: { admin: true } },
    deepJson(200),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
);
/** Whole bodies that are not what any route takes. */
const hostileBody: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  null,
  'a string',
  42,
  [],
  [{}],
  new RawJson(`${'['.repeat(5_000)}${']'.repeat(5_000)}`, 'JSON nested 5000 deep'),
  new RawJson(`${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`, 'JSON nested 20000 deep'),
  new RawJson('{"a":', 'truncated JSON'),
  new RawJson('{"a":"\\u0000"}', 'escaped NUL'),
  { constructor: { prototype: { polluted: true } } },
  JSON.parse('{"__proto__": {"polluted": true}}'),
);

function resolve(schema: Schema): Schema {
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    return resolve(spec.components.schemas[name] ?? {});
  }
  return schema;
}

/** Values for a JSON schema (TypeBox's subset), with a hostile value now and then at any level. */
function fromSchema(input: Schema, depth = 0, ids: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  const schema = resolve(input);
  const value = plain(schema, depth, ids);
  return fc.oneof({ weight: 6, arbitrary: value }, { weight: 1, arbitrary: hostileValue });
}

function plain(schema: Schema, depth: number, ids: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union?.length) return fc.oneof(...union.map((s) => plain(resolve(s), depth + 1, ids)));
  if (schema.allOf?.length) return plain(resolve(schema.allOf[0]!), depth + 1, ids);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      const min = Number(schema.minLength ?? 0);
      const max = Math.min(Number(schema.maxLength ?? 60), 300);
      if (schema.format === 'date') return fc.constantFrom('2026-11-30', '2026-12-01', '2027-01-15');
      if (schema.format === 'date-time')
        return fc.constantFrom('2026-11-30T03:00:00.000Z', '2026-12-01T10:30:00+08:00');
      if (typeof schema.pattern === 'string') return fc.oneof(ids, fc.string({ maxLength: max }));
      return fc.oneof(ids, fc.string({ minLength: min, maxLength: Math.max(min, max) }));
    }
    case 'integer':
      return fc.integer({
        min: Number(schema.minimum ?? -5),
        max: Math.min(Number(schema.maximum ?? 1_000), 1_000_000),
      });
    case 'number':
      return fc.double({
        min: Number(schema.minimum ?? -5),
        max: Number(schema.maximum ?? 1_000),
        noNaN: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(fromSchema(schema.items ?? {}, depth + 1, ids), {
        minLength: Number(schema.minItems ?? 0),
        maxLength: Math.min(Number(schema.maxItems ?? 4), 6),
      });
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, sub] of Object.entries(props)) record[key] = fromSchema(sub, depth + 1, ids);
      return fc.record(record, {
        requiredKeys: Object.keys(props).filter((k) => required.has(k)),
      });
    }
    default:
      return hostileValue;
  }
}

function isErrorBody(body: unknown): boolean {
  if (!body || typeof body !== 'object') return false;
  const b = body as Record<string, unknown>;
  return (
    typeof b.code === 'string' &&
    typeof b.message === 'string' &&
    b.message.length > 0 &&
    typeof b.requestId === 'string' &&
    (b.details === null ||
      (Array.isArray(b.details) &&
        b.details.every(
          (d) =>
            d &&
            typeof (d as { field?: unknown }).field === 'string' &&
            typeof (d as { message?: unknown }).message === 'string',
        )))
  );
}

interface Route {
  method: string;
  path: string;
  op: Operation;
}

const routes: Route[] = [];
for (const [path, ops] of Object.entries(spec.paths)) {
  for (const [method, op] of Object.entries(ops)) {
    const key = `${method.toUpperCase()} ${path}`;
    if (SKIPPED[key]) continue;
    const hasQuery = op.parameters?.some((p) => p.in === 'query');
    if (op.requestBody || hasQuery) routes.push({ method: method.toUpperCase(), path, op });
  }
}

describe(`fuzzing every route with a body or a query (${DIALECT})`, () => {
  let t: TestApp;
  let admin: Client;
  let ids: fc.Arbitrary<string>;
  beforeAll(async () => {
    t = await createTestApp(DIALECT);
    admin = await t.as('admin');
    const w = t.world;
    // real ids so that bodies reach the services, and ids that are not
    ids = fc.constantFrom(
      w.communityA.id,
      w.communityB.id,
      w.roomA.id,
      w.roomB.id,
      w.residentA.id,
      w.residentB.id,
      w.ticketB.id,
      w.publicAreaA.id,
      w.buildingB.id,
      'no-such-id',
      '../../etc/passwd',
    );
  });
  afterAll(async () => t?.close());

  async function counts() {
    const out: Record<string, number> = {};
    for (const table of TABLES) {
      const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(
        t.testDb.database.db,
      );
      out[table] = Number(rows[0]!.n);
    }
    return out;
  }

  /** Answers by status class, to show the fuzzing reached the services and not only the validator. */
  const tally: Record<string, number> = {};

  it('knows what it fuzzes', () => {
    expect(routes.length).toBeGreaterThan(50);
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_name, route) => {
    const pathParams = (route.op.parameters ?? []).filter((p) => p.in === 'path');
    const queryParams = (route.op.parameters ?? []).filter((p) => p.in === 'query');
    const jsonSchema = route.op.requestBody?.content['application/json']?.schema;
    const pathArb = fc.record(
      Object.fromEntries(pathParams.map((p) => [p.name, fc.oneof(ids, fc.string())])),
    );
    const queryArb = fc.record(
      Object.fromEntries(queryParams.map((p) => [p.name, fromSchema(p.schema, 0, ids)])),
      { requiredKeys: [] },
    );
    const bodyArb = route.op.requestBody
      ? fc.oneof(
          { weight: 8, arbitrary: jsonSchema ? fromSchema(jsonSchema, 0, ids) : hostileValue },
          { weight: 1, arbitrary: hostileBody },
        )
      : fc.constant(undefined);

    await fc.assert(
      fc.asyncProperty(pathArb, queryArb, bodyArb, async (params, query, body) => {
        const url =
          route.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
            encodeURIComponent(String((params as Record<string, unknown>)[name] ?? 'x')),
          ) +
          (Object.keys(query).length
            ? `?${new URLSearchParams(
                Object.entries(query).map(([k, v]): [string, string] => [
                  k,
                  typeof v === 'string' ? v : JSON.stringify(v),
                ]),
              ).toString()}`
            : '');
        const before = await counts();
        const res: LightMyRequestResponse = await admin.request({
          method: route.method as 'GET',
          url,
          ...(body === undefined
            ? {}
            : {
                payload: body instanceof RawJson ? body.text : JSON.stringify(body),
                headers: { 'content-type': 'application/json' },
              }),
        });
        const context = `${route.method} ${url.slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
        const klass = `${String(res.statusCode).slice(0, 1)}xx`;
        tally[klass] = (tally[klass] ?? 0) + 1;
        expect(res.statusCode, context).toBeLessThan(500);
        if (res.statusCode >= 400) {
          expect(isErrorBody(JSON.parse(res.body)), context).toBe(true);
          expect(await counts(), context).toEqual(before);
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261201), endOnFailure: true },
    );
  });

  it('got past validation often enough: some generated requests succeeded', () => {
    // the record for docs/reliability.md: inputs tried, and answers by class (5xx must stay 0)
    const tried = Object.values(tally).reduce((sum, n) => sum + n, 0);
    console.log(
      `fuzzing (${DIALECT}, ${RUNS} runs per route, seed ${process.env.FUZZ_SEED ?? 20261201}): ` +
        `${routes.length} routes, ${tried} inputs tried, answers ${JSON.stringify(tally)}, 5xx seen: ${tally['5xx'] ?? 0}`,
    );
    expect(tally['2xx'] ?? 0).toBeGreaterThan(routes.length / 2);
    expect(tally['4xx'] ?? 0).toBeGreaterThan(routes.length);
  });
});

describe.each(dialects())('found by fuzzing: NUL characters and forged cursors (%s)', (dialect) => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.as('admin');
  });
  afterAll(async () => t?.close());

  it('in a body, a query or a path: 400 naming the field, translated, and nothing written', async () => {
    const before = await t.testDb.database.db
      .selectFrom('residents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const created = await admin.post('/api/v1/residents', {
      communityId: t.world.communityA.id,
      roomId: t.world.roomA.id,
      name: '王\u0000建国',
      phone: '13600136000',
      kind: 'owner',
    });
    expect(created.statusCode).toBe(400);
    expect(created.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'name', message: expect.stringContaining('NUL') }],
    });
    const en = await admin.request({
      method: 'POST',
      url: '/api/v1/residents',
      payload: {
        communityId: t.world.communityA.id,
        roomId: t.world.roomA.id,
        name: 'a\u0000',
        kind: 'owner',
      },
      headers: { 'accept-language': 'en' },
    });
    expect(en.json().details[0].message).toMatch(/^".+" contains an invisible NUL character/);
    const after = await t.testDb.database.db
      .selectFrom('residents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const query = await admin.get('/api/v1/rooms?communityId=a%00b');
    expect(query.statusCode).toBe(400);
    expect(query.json().details[0].field).toBe('communityId');
    const path = await admin.get('/api/v1/tickets/a%00b');
    expect(path.statusCode).toBe(400);
    // a nested value names its top-level field
    const nested = await admin.post('/api/v1/residents', {
      communityId: t.world.communityA.id,
      roomId: t.world.roomA.id,
      name: '王建国',
      phones: ['1360013\u00006000'],
      kind: 'owner',
    });
    expect(nested.json().details[0].field).toBe('phones');
  });

  it('a page cursor the server did not make is refused (it decoded to NUL bytes: a 500 on PostgreSQL)', async () => {
    for (const url of ['/api/v1/teams', '/api/v1/audit', '/api/v1/buildings', '/api/v1/units']) {
      const res = await admin.get(`${url}?cursor=${encodeURIComponent("'; DROP TABLE tickets; --")}`);
      expect(res.statusCode, `${url} ${res.body}`).toBe(400);
      expect(res.json().details[0].field).toBe('cursor');
    }
  });
});
