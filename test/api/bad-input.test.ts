import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

const TABLES = [
  'tickets',
  'ticket_events',
  'residents',
  'rooms',
  'units',
  'buildings',
  'public_areas',
  'communities',
  'users',
  'company',
  'audit_log',
  'api_tokens',
] as const;

/** R62: bad input gets a clear, translated error and never a partial write. */
describe.each(dialects())('bad input changes nothing (%s)', (dialect) => {
  let t: TestApp;
  let admin: Client;
  let agent: Client;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = await t.as('admin');
    agent = await t.as('agent-a');
  });
  afterAll(async () => t?.close());

  async function snapshot() {
    const counts: Record<string, number> = {};
    for (const table of TABLES) {
      const row = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(
        t.testDb.database.db,
      );
      counts[table] = Number(row.rows[0]!.n);
    }
    return counts;
  }

  const validTicket = () => ({
    communityId: t.world.communityA.id,
    roomId: t.world.roomA.id,
    residentId: t.world.residentA.id,
    type: 'repair',
    channel: 'phone',
    content: '卫生间漏水',
  });

  type Case = {
    name: string;
    client: () => Client;
    method: 'POST' | 'PATCH' | 'PUT';
    url: () => string;
    payload: () => unknown;
    field?: string;
    message?: RegExp;
    code?: string;
    raw?: boolean;
  };
  const cases: Case[] = [
    {
      name: 'unknown field',
      client: () => agent,
      method: 'POST',
      url: () => '/api/v1/tickets',
      payload: () => ({ ...validTicket(), hacker: 1 }),
      field: 'hacker',
      message: /不认识的字段「hacker」/,
    },
    {
      name: 'wrong type (number for text)',
      client: () => agent,
      method: 'POST',
      url: () => '/api/v1/tickets',
      payload: () => ({ ...validTicket(), content: 12345 }),
      field: 'content',
      message: /「内容」的格式不正确/,
    },
    {
      name: 'string for a number is not coerced',
      client: () => admin,
      method: 'POST',
      url: () => '/api/v1/rooms',
      payload: () => ({ unitId: 'x', number: '101', floor: '3' }),
      field: 'floor',
      message: /「楼层」的格式不正确/,
    },
    {
      name: 'oversized string',
      client: () => agent,
      method: 'POST',
      url: () => '/api/v1/tickets',
      payload: () => ({ ...validTicket(), content: '漏'.repeat(2001) }),
      field: 'content',
      message: /「内容」不能超过 2000 个字符/,
    },
    {
      name: 'missing required field',
      client: () => agent,
      method: 'POST',
      url: () => '/api/v1/tickets',
      payload: () => {
        const { content: _c, ...rest } = validTicket();
        return rest;
      },
      field: 'content',
      message: /请填写「内容」/,
    },
    {
      name: 'blank text',
      client: () => agent,
      method: 'POST',
      url: () => '/api/v1/tickets',
      payload: () => ({ ...validTicket(), content: '   ' }),
      field: 'content',
      message: /「内容」不能为空/,
    },
    {
      name: 'unknown enum value',
      client: () => agent,
      method: 'POST',
      url: () => '/api/v1/tickets',
      payload: () => ({ ...validTicket(), type: 'gossip' }),
      field: 'type',
      message: /「类型」的取值无效/,
    },
    {
      name: 'bad JSON',
      client: () => agent,
      method: 'POST',
      url: () => '/api/v1/tickets',
      payload: () => '{"communityId": ',
      raw: true,
      code: 'INVALID_JSON',
      message: /不是有效的 JSON/,
    },
    {
      name: 'a room of another community',
      client: () => admin,
      method: 'POST',
      url: () => '/api/v1/tickets',
      payload: () => ({ ...validTicket(), roomId: t.world.roomB.id }),
      field: 'roomId',
      message: /所选房屋不属于该小区/,
    },
    {
      name: 'no caller when there is no resident',
      client: () => agent,
      method: 'POST',
      url: () => '/api/v1/tickets',
      payload: () => ({ ...validTicket(), residentId: null }),
      field: 'callerName',
      message: /请填写「来电人姓名」/,
    },
    {
      name: 'invalid phone',
      client: () => agent,
      method: 'POST',
      url: () => '/api/v1/residents',
      payload: () => ({
        communityId: t.world.communityA.id,
        roomId: t.world.roomA.id,
        name: '张三',
        phone: '1380-013',
        kind: 'owner',
      }),
      field: 'phone',
      message: /「电话」不是有效的电话号码/,
    },
    {
      name: 'duplicate 工号',
      client: () => admin,
      method: 'POST',
      url: () => '/api/v1/staff',
      payload: () => ({
        username: 'newbie',
        employeeNo: '100',
        name: '新人',
        roles: ['agent'],
        communityIds: [],
        password: 'Abcdef123',
      }),
      field: 'employeeNo',
      message: /「工号」已存在/,
    },
    {
      name: 'weak password',
      client: () => admin,
      method: 'POST',
      url: () => '/api/v1/staff',
      payload: () => ({
        username: 'weak',
        employeeNo: '9999',
        name: '弱',
        roles: ['agent'],
        communityIds: [],
        password: '12345678',
      }),
      field: 'password',
      message: /密码至少 8 位/,
    },
    {
      name: 'unknown role',
      client: () => admin,
      method: 'POST',
      url: () => '/api/v1/staff',
      payload: () => ({
        username: 'r',
        employeeNo: '9998',
        name: '角',
        roles: ['king'],
        communityIds: [],
        password: 'Abcdef123',
      }),
      field: 'roles',
      message: /「角色」的取值无效/,
    },
    {
      name: 'bad time zone',
      client: () => admin,
      method: 'PUT',
      url: () => '/api/v1/company',
      payload: () => ({ name: '安居物业', shortName: '安居', timeZone: 'Mars/Olympus' }),
      field: 'timeZone',
      message: /「时区」不是有效的时区/,
    },
    {
      name: 'duplicate community code',
      client: () => admin,
      method: 'POST',
      url: () => '/api/v1/communities',
      payload: () => ({ name: '重复', code: 'YGHY' }),
      field: 'code',
      message: /「编码」已存在/,
    },
    {
      name: 'text for a boolean',
      client: () => admin,
      method: 'PATCH',
      url: () => '/api/v1/staff/none',
      payload: () => ({ disabled: 'yes' }),
      field: 'disabled',
      message: /格式不正确/,
    },
  ];

  for (const c of cases) {
    it(`${c.name} → 400 with a zh-CN message, nothing written`, async () => {
      const before = await snapshot();
      const res = await c.client().request({
        method: c.method,
        url: c.url(),
        payload: c.raw ? (c.payload() as string) : (c.payload() as object),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.statusCode, res.body).toBe(400);
      const body = res.json();
      expect(body.requestId).toBeTruthy();
      expect(body.code).toBe(c.code ?? 'VALIDATION_FAILED');
      if (c.field) {
        const detail = (body.details as { field: string; message: string }[]).find(
          (d) => d.field === c.field,
        );
        expect(detail, JSON.stringify(body.details)).toBeTruthy();
        expect(detail!.message).toMatch(c.message!);
      } else {
        expect(body.message).toMatch(c.message!);
      }
      expect(await snapshot()).toEqual(before);
    });
  }

  it('answers in the language asked for: zh-TW and en', async () => {
    const payload = { ...validTicket(), content: '' };
    const tw = await agent.request({
      method: 'POST',
      url: '/api/v1/tickets',
      payload,
      headers: { 'accept-language': 'zh-TW,zh;q=0.9' },
    });
    expect(tw.json().details[0].message).toBe('「內容」不能為空');
    const en = await agent.request({
      method: 'POST',
      url: '/api/v1/tickets',
      payload,
      headers: { 'accept-language': 'en-US' },
    });
    expect(en.json().details[0].message).toBe('"content" must not be blank');
  });

  it('a user’s own language setting wins over Accept-Language', async () => {
    expect((await agent.patch('/api/v1/me', { locale: 'en' })).statusCode).toBe(200);
    const res = await agent.request({
      method: 'GET',
      url: '/api/v1/tickets/nope',
      headers: { 'accept-language': 'zh-CN' },
    });
    expect(res.json().message).toBe('Record not found');
    await agent.patch('/api/v1/me', { locale: 'zh-CN' });
  });

  it('refuses a non-JSON body and an oversized body', async () => {
    const before = await snapshot();
    const form = await agent.request({
      method: 'POST',
      url: '/api/v1/tickets',
      payload: 'a=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.statusCode).toBe(415);
    expect(form.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const big = await agent.request({
      method: 'POST',
      url: '/api/v1/tickets',
      payload: JSON.stringify({ content: 'x'.repeat(2_000_000) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.statusCode).toBe(413);
    expect(await snapshot()).toEqual(before);
  });

  it('a 5xx shows no internals, only a request id', async () => {
    const db = t.testDb.database.db;
    await sql`alter table ticket_categories rename to ticket_categories_gone`.execute(db);
    try {
      const res = await agent.get('/api/v1/ticket-categories');
      expect(res.statusCode).toBe(500);
      const body = res.json();
      expect(body).toMatchObject({ code: 'INTERNAL', details: null });
      expect(body.message).toMatch(/请将请求编号告知管理员/);
      expect(body.requestId).toBe(res.headers['x-request-id']);
      expect(res.body).not.toMatch(/ticket_categories|sqlite|postgres|at \//i);
    } finally {
      await sql`alter table ticket_categories_gone rename to ticket_categories`.execute(db);
    }
  });
});
