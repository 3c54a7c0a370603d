import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';

describe.each(dialects())('operations endpoints (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('healthz and readyz', async () => {
    expect((await t.anonymous.get('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await t.anonymous.get('/readyz')).json()).toEqual({ status: 'ready', database: dialect });
  });

  it('metrics count requests by route and status, with latency histograms', async () => {
    await t.anonymous.get('/api/v1/tickets');
    await t.anonymous.get('/api/v1/tickets');
    const text = (await t.anonymous.get('/metrics')).body;
    expect(text).toMatch(
      /estatedesk_http_requests_total\{method="GET",route="\/api\/v1\/tickets",status="401"\} 2/,
    );
    expect(text).toMatch(
      /estatedesk_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/tickets"\} 2/,
    );
    expect(text).toMatch(/# TYPE estatedesk_http_request_duration_seconds histogram/);
  });

  it('serves the OpenAPI document and its viewer at /docs', async () => {
    const res = await t.anonymous.get('/docs/json');
    expect(res.statusCode).toBe(200);
    expect(res.json().paths['/api/v1/tickets'].post.summary).toMatch(/受理工单/);
    expect((await t.anonymous.get('/docs')).statusCode).toBeLessThan(400);
  });

  it('answers an unknown API route with a translated 404', async () => {
    const res = await t.anonymous.request({
      method: 'GET',
      url: '/api/v1/nothing-here',
      headers: { 'accept-language': 'zh-TW' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND', message: '介面不存在' });
  });

  it('readyz answers 503 when the database is gone', async () => {
    await t.testDb.database.close();
    const res = await t.anonymous.get('/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toEqual({ status: 'unavailable', database: dialect, reason: 'DATABASE_UNAVAILABLE' });
  });
});
