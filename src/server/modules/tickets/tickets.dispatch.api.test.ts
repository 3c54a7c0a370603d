import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, signaturePng } from '../../../../test/fixtures/attachments/files.js';
import { type Client, createTestApp, PASSWORD, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';
import { systemContext } from '../../platform/context.js';

/**
 * A request of a category set to dispatch itself goes to the team at once — round-robin among
 * those on duty, or into the team's grab pool — and a paid job is priced from the published list
 * and confirmed by the resident's signature (R10).
 */
describe.each(dialects())('dispatch by category and priced completion (%s)', (dialect) => {
  let t: TestApp;
  let agent: Client;
  let admin: Client;
  let teamId: string;
  const workers: { id: string; client: Client }[] = [];
  beforeAll(async () => {
    t = await createTestApp(dialect);
    agent = await t.as('agent-a');
    admin = await t.as('admin-2');
    const ctx = systemContext();
    const ids: string[] = [];
    for (const [i, name] of ['赵师傅', '钱师傅', '孙师傅'].entries()) {
      const user = await t.services.staff.create(ctx, {
        username: `fixer-${i}`,
        employeeNo: `70${i}`,
        name,
        roles: ['technician'],
        communityIds: [t.world.communityA.id],
        password: PASSWORD,
      });
      await t.services.staffRepo.update(user.id, { must_change_password: 0 });
      ids.push(user.id);
    }
    const team = await t.services.teams.create(ctx, {
      communityId: t.world.communityA.id,
      name: '水电组',
      kind: 'repair',
    });
    await t.services.teams.setMembers(ctx, team.id, { userIds: ids });
    teamId = team.id;
    for (const [i, id] of ids.entries()) workers.push({ id, client: await t.as(`fixer-${i}`) });
  });
  afterAll(async () => t?.close());

  const report = (categoryId: string, extra: object = {}) =>
    agent.post('/api/v1/tickets', {
      communityId: t.world.communityA.id,
      roomId: t.world.roomA.id,
      residentId: t.world.residentA.id,
      type: 'repair',
      channel: 'phone',
      categoryId,
      content: '卫生间水龙头漏水',
      ...extra,
    });
  const setMode = async (categoryId: string, dispatchMode: string) => {
    const res = await admin.patch(`/api/v1/ticket-categories/${categoryId}`, { dispatchMode, teamId });
    expect(res.statusCode, res.body).toBe(200);
  };

  it('auto: takes turns among the members on duty, skipping one who is off duty', async () => {
    await setMode('cat-fixture', 'auto');
    const first = (await report('cat-fixture')).json();
    expect(first).toMatchObject({ status: 'dispatched', teamId, assignee: { id: workers[0]!.id } });
    expect(first.events.map((e: { type: string }) => e.type)).toEqual(['created', 'dispatch']);
    expect(first.events[1]).toMatchObject({ actor: null, note: '按类别自动派单（轮流）' });

    const offDuty = await workers[1]!.client.put(`/api/v1/teams/${teamId}/members/${workers[1]!.id}/duty`, {
      onDuty: false,
    });
    expect(offDuty.statusCode, offDuty.body).toBe(200);
    const next = [];
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1000);
      next.push((await report('cat-fixture')).json().assignee.id);
    }
    expect(next).toEqual([workers[2]!.id, workers[0]!.id, workers[2]!.id]);
    // the worker sees it in their own queue at once
    const mine = (await workers[2]!.client.get('/api/v1/tickets?view=mine')).json();
    expect(mine.items.length).toBe(2);
  });

  it('grab: the request waits in the team’s pool; nobody on duty sends an auto category there too', async () => {
    await setMode('cat-drain', 'grab');
    const pooled = (await report('cat-drain')).json();
    expect(pooled).toMatchObject({ status: 'dispatched', teamId, assignee: null });
    const grabbed = await workers[0]!.client.post(`/api/v1/tickets/${pooled.id}/grab`, {});
    expect(grabbed.statusCode, grabbed.body).toBe(200);

    for (const w of workers) {
      await w.client.put(`/api/v1/teams/${teamId}/members/${w.id}/duty`, { onDuty: false });
    }
    const nobody = (await report('cat-fixture')).json();
    expect(nobody).toMatchObject({ status: 'dispatched', teamId, assignee: null });
    for (const w of workers) {
      await w.client.put(`/api/v1/teams/${teamId}/members/${w.id}/duty`, { onDuty: true });
    }
  });

  it('assign (the default) leaves the request for the desk; a linked report is never dispatched', async () => {
    const manual = (await report('cat-leak')).json();
    expect(manual).toMatchObject({ status: 'received', teamId: null });
    const linked = (await report('cat-fixture', { parentId: manual.id })).json();
    expect(linked).toMatchObject({ status: 'received', teamId: null, parentId: manual.id });
  });

  it('R10: paid work is priced from the published list and confirmed by the resident’s signature', async () => {
    const price = await admin.post('/api/v1/ticket-categories/cat-water_power/prices', {
      name: '更换水龙头（人工）',
      unit: '个',
      price: 30,
    });
    expect(price.statusCode, price.body).toBe(201);
    await setMode('cat-fixture', 'auto');
    const job = (await report('cat-fixture', { paid: true })).json();
    const worker = workers.find((w) => w.id === job.assignee.id)!;
    const act = async (action: string, body: object = {}) => {
      const current = (await worker.client.get(`/api/v1/tickets/${job.id}`)).json();
      return worker.client.post(`/api/v1/tickets/${job.id}/${action}`, { version: current.version, ...body });
    };
    for (const step of ['accept', 'arrive', 'start']) expect((await act(step)).statusCode).toBe(200);

    const form = multipart({ kind: 'signature' }, [
      { fileName: 'signature.png', contentType: 'image/png', data: await signaturePng() },
    ]);
    const signed = await worker.client.request({
      method: 'POST',
      url: `/api/v1/tickets/${job.id}/attachments`,
      ...form,
    });
    expect(signed.statusCode, signed.body).toBe(201);
    const items = [{ priceId: price.json().id, quantity: 2 }];

    const wrongCharge = await act('complete', {
      report: { cause: '阀芯老化', work: '更换龙头', items, charge: 50 },
      confirmation: { method: 'signature', attachmentId: signed.json().id },
    });
    expect(wrongCharge.statusCode).toBe(400);
    expect(wrongCharge.json().details[0].message).toBe('按收费标准，收费应为 60 元');
    const notSignature = await act('complete', {
      report: { cause: '阀芯老化', work: '更换龙头', items },
      confirmation: { method: 'signature', attachmentId: 'nope' },
    });
    expect(notSignature.json().details[0].message).toBe('「住户签名」须是上传到本工单的签名图片');
    expect((await worker.client.get(`/api/v1/tickets/${job.id}`)).json().status).toBe('in_progress');

    const done = await act('complete', {
      report: { cause: '阀芯老化', work: '更换龙头', items },
      confirmation: { method: 'signature', attachmentId: signed.json().id },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({
      status: 'done',
      chargeAmount: 60,
      confirmation: { method: 'signature', attachmentId: signed.json().id },
      completion: {
        charge: 60,
        total: 60,
        lines: [{ name: '更换水龙头（人工）', unit: '个', price: 30, quantity: 2, amount: 60 }],
      },
    });
    // R10: it closes only once the charge is settled
    const current = (await agent.get(`/api/v1/tickets/${job.id}`)).json();
    expect(
      (await agent.post(`/api/v1/tickets/${job.id}/close`, { version: current.version })).statusCode,
    ).toBe(409);
  });

  it('a verbal confirmation by phone is recorded with its note', async () => {
    const job = (await report('cat-leak')).json();
    const worker = workers[0]!;
    const step = async (client: Client, action: string, body: object = {}) => {
      const current = (await agent.get(`/api/v1/tickets/${job.id}`)).json();
      const res = await client.post(`/api/v1/tickets/${job.id}/${action}`, {
        version: current.version,
        ...body,
      });
      expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
      return res.json();
    };
    await step(agent, 'dispatch', { teamId, assigneeId: worker.id });
    for (const action of ['accept', 'arrive', 'start']) await step(worker.client, action);
    const done = await step(worker.client, 'complete', {
      report: { cause: '管道接口松动', work: '紧固接口' },
      confirmation: { method: 'verbal', note: '王先生电话确认已不漏水' },
    });
    expect(done.confirmation).toEqual({ method: 'verbal', note: '王先生电话确认已不漏水' });
  });
});
