import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';

describe.each(dialects())('company profile (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('is edited by an admin, audited, and its name shows on the login page', async () => {
    const admin = await t.as('admin');
    const logo = `data:image/png;base64,${Buffer.from('png-bytes').toString('base64')}`;
    const res = await admin.put('/api/v1/company', {
      name: '安居物业服务有限公司',
      shortName: '安居物业',
      hotline: '400-820-1234',
      timeZone: 'Asia/Shanghai',
      logoDataUrl: logo,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      name: '安居物业服务有限公司',
      shortName: '安居物业',
      hotline: '400-820-1234',
      logoDataUrl: logo,
    });
    expect((await t.anonymous.get('/api/v1/company/public')).json()).toEqual({
      name: '安居物业服务有限公司',
      shortName: '安居物业',
      hotline: '400-820-1234',
    });
    const audit = await t.testDb.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'company.updated')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.changes!)).toMatchObject({
      name: ['物业服务有限公司', '安居物业服务有限公司'],
      logoDataUrl: ['(image)', '(image)'],
    });
  });

  it('is read by any staff member and changed by admins only', async () => {
    const agent = await t.as('agent-a');
    expect((await agent.get('/api/v1/company')).statusCode).toBe(200);
    expect(
      (await agent.put('/api/v1/company', { name: 'x', shortName: 'x', timeZone: 'Asia/Shanghai' }))
        .statusCode,
    ).toBe(403);
  });

  it('lets admins and quality read the audit trail, newest first', async () => {
    const quality = await t.as('quality');
    const res = await quality.get('/api/v1/audit?entityType=company');
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0]).toMatchObject({
      action: 'company.updated',
      actorName: '系统管理员',
      entityType: 'company',
    });
    expect((await (await t.as('supervisor-a')).get('/api/v1/audit')).statusCode).toBe(403);
  });
});
