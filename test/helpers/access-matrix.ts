// The access matrix (issue 10 §3, R61): every API route in `app.routeAccess` × every actor (each
// seeded role, an admin of one community, API tokens of narrower scope) × {own community, other
// community, no session, expired session} → the status the route's declared access, the actor's
// roles and the actor's communities call for; and no data of the other community in any answer.
//
// This file holds the parts: the actors, the expectation computed from a route's declaration, the
// reading of an answer (JSON, text, event stream, .xlsx, file bytes) and the scan for community
// B's markers, and one fixture per route (test/helpers/access-matrix.fixtures.ts) saying how to
// call it on community A and on community B.
import ExcelJS from 'exceljs';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/domain/roles.js';
import type { Access } from '../../src/server/platform/access.js';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/server/platform/auth/sessions.js';
import type { Client, TestApp } from './app.js';

/** Someone who calls the API: a logged-in member of staff or an integration's API token. */
export interface Actor {
  /** 'agent-a', 'token agent@A' … */
  name: string;
  kind: 'session' | 'token';
  roles: readonly Role[];
  /** Whether the actor's communities include community B (all communities, or B itself). */
  seesB: boolean;
  /** The user who acts: the user, or the admin who created the token. */
  userId: string;
  client: Client;
}

export type Condition = 'own' | 'other' | 'none' | 'expired';

/** An expected answer: any 2xx, or an exact status. */
export type Expect = '2xx' | 400 | 401 | 403 | 404 | 409;

/** One request of a cell. `as` replaces the actor's client (a session of its own, for logout). */
export interface Req {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  /** A body sent as these exact bytes with these headers (multipart uploads, CSV). */
  raw?: { payload: Buffer | string; headers: Record<string, string> };
  /** A never-ending event stream: the status is read and the stream closed. */
  stream?: boolean;
  as?: Client;
}

/** What the declaration alone decides: 401, 403, or "through" (the service decides the rest). */
export function declaredOutcome(access: Access, actor: Actor | null): 401 | 403 | 'through' {
  if ('public' in access) return 'through';
  if (!actor) return 401;
  return actor.roles.some((r) => access.roles.includes(r)) ? 'through' : 403;
}

/** The code of the error body each status is answered with by the access layer and services. */
const CODE_OF: Partial<Record<number, string>> = {
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
};

export interface Answer {
  status: number;
  code: string | null;
  /** Every byte of the answer as it may carry text: the body, or the cells of a workbook. */
  content: Buffer;
  contentType: string;
  summary: string;
}

/** Sends a request as the actor (or anonymously) and reads the whole answer. */
export async function send(client: Client, req: Req): Promise<Answer> {
  const options: InjectOptions = { method: req.method, url: req.url };
  if (req.raw) {
    options.payload = req.raw.payload;
    options.headers = req.raw.headers;
  } else if (req.body !== undefined) {
    options.payload = req.body as InjectOptions['payload'];
  }
  if (req.stream) options.payloadAsStream = true;
  const res: LightMyRequestResponse = await (req.as ?? client).request(options);
  const contentType = String(res.headers['content-type'] ?? '');
  let content: Buffer;
  if (req.stream) {
    const stream = res.stream();
    if (res.statusCode === 200) {
      // never ends: ': connected', then nothing until something changes
      stream.destroy();
      return {
        status: res.statusCode,
        code: null,
        content: Buffer.alloc(0),
        contentType,
        summary: '(stream)',
      };
    }
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
    content = Buffer.concat(chunks);
  } else content = res.rawPayload;
  const body = content.toString('utf8');
  let code: string | null = null;
  if (contentType.includes('application/json')) {
    try {
      code = (JSON.parse(body) as { code?: unknown }).code as string | null;
      if (typeof code !== 'string') code = null;
    } catch {
      code = null;
    }
  } else if (contentType.includes('spreadsheetml') && res.statusCode < 300) {
    content = Buffer.from(await workbookText(content), 'utf8');
  }
  return { status: res.statusCode, code, content, contentType, summary: body.slice(0, 200) };
}

/** Every sheet name and cell of an .xlsx, as text, for the marker scan. */
export async function workbookText(bytes: Buffer): Promise<string> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  const parts: string[] = [];
  book.eachSheet((sheet) => {
    parts.push(sheet.name);
    sheet.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        parts.push(cell.text);
      });
    });
  });
  return parts.join('\n');
}

/** Whether an answer is the one expected; the reason when it is not. */
export function mismatch(expected: Expect, answer: Answer): string | null {
  if (expected === '2xx') {
    return answer.status >= 200 && answer.status < 300 ? null : `expected 2xx, got ${answer.status}`;
  }
  if (answer.status !== expected) return `expected ${expected}, got ${answer.status}`;
  const code = CODE_OF[expected];
  if (code && answer.code !== code) return `expected code ${code}, got ${answer.code}`;
  return null;
}

/** The markers of community B (names, phones, contents, ids) found in an answer. */
export function markersIn(answer: Answer, markers: readonly string[]): string[] {
  return markers.filter((m) => answer.content.includes(Buffer.from(m, 'utf8')));
}

/**
 * A client with a new session of the user, made by the app's own session store as a login makes
 * it (the password check is the login's tests' business; argon2 for each of ~25 sessions is not
 * this test's).
 */
export async function sessionClient(t: TestApp, userId: string): Promise<Client> {
  const { token, csrfToken } = await t.services.sessions.create(userId, '127.0.0.1', 'access-matrix');
  return headerClient(t, { cookie: `${SESSION_COOKIE}=${token}`, [CSRF_HEADER]: csrfToken });
}

/** A client that sends an API token, as an integration does. */
export function tokenClient(t: TestApp, secret: string): Client {
  return headerClient(t, { authorization: `Bearer ${secret}` });
}

function headerClient(t: TestApp, headers: Record<string, string>): Client {
  const request = (options: InjectOptions) =>
    t.app.inject({ ...options, headers: { ...headers, ...(options.headers ?? {}) } });
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

/** One checked cell: who, which route, in which condition, what was expected and what came. */
export interface Cell {
  route: string;
  actor: string;
  condition: Condition;
  expected: Expect;
  status: number;
  problem: string | null;
}

/** Counts of what a run checked, for the test's log and docs/reliability.md. */
export class Tally {
  readonly cells: Cell[] = [];
  readonly problems: string[] = [];
  scanned = 0;

  record(cell: Cell) {
    this.cells.push(cell);
    if (cell.problem)
      this.problems.push(`${cell.condition} · ${cell.actor} · ${cell.route} → ${cell.problem}`);
  }

  byCondition(): Record<Condition, number> {
    const out: Record<Condition, number> = { own: 0, other: 0, none: 0, expired: 0 };
    for (const c of this.cells) out[c.condition]++;
    return out;
  }

  byStatus(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.cells) {
      const key = c.status >= 200 && c.status < 300 ? '2xx' : String(c.status);
      out[key] = (out[key] ?? 0) + 1;
    }
    return out;
  }
}
