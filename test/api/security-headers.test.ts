// The security headers (CSP, nosniff, no framing, no referrer, COOP, Permissions-Policy) on every
// kind of response: the console's pages and its SPA fallback, API answers, errors, downloads and
// the API docs. Headers do not depend on the database: SQLite only.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../src/server/platform/context.js';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../src/server/platform/security-headers.js';
import { pdfFile } from '../fixtures/attachments/files.js';
import { type Client, createTestApp, type TestApp } from '../helpers/app.js';

const WEB_DIR = resolve(fileURLToPath(new URL('../..', import.meta.url)), 'dist/web');

function expectSecurityHeaders(res: LightMyRequestResponse) {
  expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(res.headers['permissions-policy']).toBe(SECURITY_HEADERS['permissions-policy']);
}

describe('security headers on every response (sqlite)', () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    // serves the built console when there is one (npm test builds it first)
    t = await createTestApp('sqlite', { WEB_DIR });
    admin = await t.as('admin');
  });
  afterAll(async () => t?.close());

  it('the policy keeps scripts, frames, plugins and form posts to our own origin', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(SECURITY_HEADERS['permissions-policy']).toMatch(/camera=\(\).*microphone=\(\).*geolocation=\(\)/);
  });

  it('on the console page and on a deep link answered by the SPA fallback', async () => {
    const root = await t.anonymous.get('/');
    expect(root.statusCode).toBe(200);
    expect(root.headers['content-type']).toMatch(/text\/html/);
    expectSecurityHeaders(root);
    const login = await t.anonymous.get('/login');
    expect(login.statusCode).toBe(200);
    expect(login.body).toContain('<div id="root">');
    expectSecurityHeaders(login);
  });

  it('on API answers and on error answers (401, 403, 404, 400)', async () => {
    const me = await admin.get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expectSecurityHeaders(me);
    const unauthenticated = await t.anonymous.get('/api/v1/me');
    expect(unauthenticated.statusCode).toBe(401);
    expectSecurityHeaders(unauthenticated);
    const csrf = await t.anonymous.request({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { cookie: 'ed_session=forged' },
      payload: { locale: 'en' },
    });
    expect(csrf.statusCode).toBe(401);
    expectSecurityHeaders(csrf);
    const missing = await admin.get('/api/v1/no-such-route');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('ROUTE_NOT_FOUND');
    expectSecurityHeaders(missing);
    const noTicket = await admin.get('/api/v1/tickets/no-such-ticket');
    expect(noTicket.statusCode).toBe(404);
    expectSecurityHeaders(noTicket);
    const forbidden = await (await t.as('agent-a')).get('/api/v1/audit');
    expect(forbidden.statusCode).toBe(403);
    expectSecurityHeaders(forbidden);
    const invalid = await admin.post('/api/v1/residents', { name: '' });
    expect(invalid.statusCode).toBe(400);
    expectSecurityHeaders(invalid);
  });

  it('on an attachment download, which also keeps its own nosniff and disposition', async () => {
    const file = await t.services.attachments.upload(systemContext(), t.world.ticketB.id, {
      kind: 'file',
      fileName: '报价单.pdf',
      data: pdfFile(),
    });
    const res = await admin.get(`/api/v1/attachments/${file.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment/);
    expectSecurityHeaders(res);
  });

  it('on the API docs (Swagger UI), its assets and its JSON', async () => {
    const docs = await t.anonymous.get('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger-ui');
    // Swagger UI has no inline script: the console's policy serves it as it is
    expect(docs.body).not.toMatch(/<script>(?!\s*<\/script>)/);
    expectSecurityHeaders(docs);
    expectSecurityHeaders(await t.anonymous.get('/docs/static/swagger-initializer.js'));
    expectSecurityHeaders(await t.anonymous.get('/docs/json'));
  });

  it('on the health check', async () => {
    const res = await t.anonymous.get('/healthz');
    expect(res.statusCode).toBe(200);
    expectSecurityHeaders(res);
  });
});
