// §4 R30, end to end: the PBX's events for calls nobody answered, through the telephony webhook,
// become one callback task per number, timed by the SLA policy, which breaches if nobody calls back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

const MIN = 60_000;

interface CallbackView {
  id: string;
  kind: string;
  phone: string;
  misses: number;
  status: string;
  dueAt: string | null;
  breachedAt: string | null;
}

describe.each(dialects())('missed calls become callbacks (%s)', (dialect) => {
  let t: TestApp;
  let token: string;
  let agent: Client;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    const admin = await t.as('admin-2');
    const created = await admin.post('/api/v1/api-tokens', {
      name: '呼叫中心 PBX',
      roles: ['telephony'],
      communityIds: [],
      allCommunities: true,
    });
    expect(created.statusCode, created.body).toBe(201);
    token = created.json().token;
    agent = await t.as('agent-a');
  });
  afterAll(async () => t?.close());

  /** One PBX event, form-encoded as Zammad's generic CTI sends it. */
  const pbx = async (fields: Record<string, string>) => {
    const res = await t.anonymous.request({
      method: 'POST',
      url: '/api/v1/cti/events',
      payload: new URLSearchParams(fields).toString(),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode, res.body).toBe(200);
  };
  const missedCall = async (callId: string, from: string, cause = 'cancel') => {
    await pbx({ event: 'newCall', callId, from, to: '4008001234', direction: 'in' });
    t.clock.advance(20_000);
    await pbx({ event: 'hangup', callId, from, to: '4008001234', direction: 'in', cause });
  };
  const callbacksFor = async (phone: string) => {
    const res = await agent.get('/api/v1/callbacks?status=any');
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as CallbackView[]).filter((c) => c.phone === phone);
  };

  it('R30: three missed calls from one number (one event sent twice) make exactly one callback, due in 30 business minutes', async () => {
    // a Monday, 10:00 in Shanghai: inside business hours
    t.clock.set(new Date('2026-11-30T02:00:00.000Z'));
    await missedCall('miss-1', '13800138000');
    // the PBX sends the hangup again: nothing changes
    await pbx({
      event: 'hangup',
      callId: 'miss-1',
      from: '13800138000',
      to: '4008001234',
      direction: 'in',
      cause: 'cancel',
    });
    t.clock.advance(3 * MIN);
    await missedCall('miss-2', '13800138000', 'noAnswer');
    t.clock.advance(3 * MIN);
    await missedCall('miss-3', '13800138000');

    const tasks = await callbacksFor('13800138000');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ kind: 'missed_call', misses: 3, status: 'open', breachedAt: null });
    // the first miss started the promise: 10:00:20 + 30 min
    expect(tasks[0]!.dueAt).toBe('2026-11-30T02:30:20.000Z');
  });

  it('R30 R26: nobody calls back, so the callback breaches once at its due time', async () => {
    const [task] = await callbacksFor('13800138000');
    t.clock.set(new Date(new Date(task!.dueAt!).getTime() + 1_000));
    let breached = 0;
    for (;;) {
      const r = await t.services.callbackScheduler.runOnce(t.clock.now());
      if (r.claimed === 0) break;
      breached += r.breached;
    }
    expect(breached).toBe(1);
    expect(await t.services.callbackScheduler.runOnce(t.clock.now())).toMatchObject({ claimed: 0 });
    const [after] = await callbacksFor('13800138000');
    expect(after!.breachedAt).toBe(t.clock.now().toISOString());
    expect(after!.status).toBe('open');
  });

  it('an answered call and a call from another number make no callback for this number', async () => {
    await pbx({ event: 'newCall', callId: 'ok-1', from: '13900139000', to: '4008001234', direction: 'in' });
    await pbx({
      event: 'answer',
      callId: 'ok-1',
      from: '13900139000',
      to: '4008001234',
      direction: 'in',
      answeringNumber: '8001',
    });
    await pbx({
      event: 'hangup',
      callId: 'ok-1',
      from: '13900139000',
      to: '4008001234',
      direction: 'in',
      cause: 'normalClearing',
    });
    expect(await callbacksFor('13900139000')).toHaveLength(0);
    await missedCall('other-1', '13700137000');
    expect(await callbacksFor('13700137000')).toHaveLength(1);
    expect(await callbacksFor('13800138000')).toHaveLength(1);
  });
});
