import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, PASSWORD, type TestApp } from '../../../../test/helpers/app.js';
import { dialects } from '../../../../test/helpers/db.js';

describe.each(dialects())('login, sessions and tokens (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, {
      LOGIN_MAX_FAILURES: '3',
      LOGIN_LOCK_MINUTES: '15',
      SESSION_IDLE_MINUTES: '30',
    });
  });
  afterAll(async () => t?.close());

  const login = (login: string, password: string, ip = '10.0.0.1') =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login, password },
      remoteAddress: ip,
    });

  it('logs in by username or by 工号, with an HttpOnly SameSite=Lax cookie', async () => {
    const byName = await login('agent-a', PASSWORD);
    expect(byName.statusCode).toBe(200);
    const cookie = byName.cookies[0]!;
    expect(cookie).toMatchObject({ name: 'ed_session', httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy();
    expect(byName.json().user).toMatchObject({ username: 'agent-a', employeeNo: '100', roles: ['agent'] });
    const byNumber = await login('100', PASSWORD);
    expect(byNumber.json().user.username).toBe('agent-a');
  });

  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    const secure = await createTestApp(dialect, { PUBLIC_URL: 'https://desk.example.com' });
    try {
      const res = await secure.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { login: 'admin', password: PASSWORD },
      });
      expect(res.cookies[0]!.secure).toBe(true);
    } finally {
      await secure.close();
    }
  });

  it('says the same thing for an unknown user and a wrong password', async () => {
    const unknown = await login('nobody', 'whatever1', '10.0.0.2');
    const wrong = await login('cashier-a', 'whatever1', '10.0.0.2');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().message).toBe(wrong.json().message);
    expect(unknown.json().message).toBe('用户名/工号或密码不正确');
  });

  it('locks an account after repeated failures, audits it, and the right password no longer works', async () => {
    for (let i = 0; i < 2; i++)
      expect((await login('greening-a', 'wrong-pass1', '10.0.0.3')).statusCode).toBe(401);
    const locked = await login('greening-a', 'wrong-pass1', '10.0.0.3');
    expect(locked.statusCode).toBe(423);
    expect(locked.json().message).toMatch(/账号已锁定，请 15 分钟后再试/);
    expect((await login('greening-a', PASSWORD, '10.0.0.3')).statusCode).toBe(423);
    const audit = await t.testDb.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'auth.account_locked')
      .execute();
    expect(audit).toHaveLength(1);
    // the lock ends by itself
    t.clock.advance(16 * 60_000);
    expect((await login('greening-a', PASSWORD, '10.0.0.3')).statusCode).toBe(200);
  });

  it('rate-limits one address that keeps failing, whatever account it tries', async () => {
    let last = 0;
    for (let i = 0; i < 21; i++) last = (await login(`guess${i}`, 'nope-nope1', '10.9.9.9')).statusCode;
    expect(last).toBe(429);
    // another address is not affected
    expect((await login('agent-a', PASSWORD, '10.9.9.10')).statusCode).toBe(200);
  });

  it('refuses a cookie-authenticated write without the CSRF header, accepts it with it', async () => {
    const res = await login('agent-a', PASSWORD);
    const cookie = `ed_session=${res.cookies[0]!.value}`;
    const body = { locale: 'zh-TW' };
    const without = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      payload: body,
      headers: { cookie },
    });
    expect(without.statusCode).toBe(403);
    expect(without.json().code).toBe('CSRF_FAILED');
    const wrong = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      payload: body,
      headers: { cookie, 'x-csrf-token': 'forged' },
    });
    expect(wrong.statusCode).toBe(403);
    const right = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      payload: body,
      headers: { cookie, 'x-csrf-token': res.json().csrfToken },
    });
    expect(right.statusCode).toBe(200);
    expect(right.json().locale).toBe('zh-TW');
  });

  it('ends a session after idle time, and on logout', async () => {
    const res = await login('supervisor-a', PASSWORD);
    const headers = { cookie: `ed_session=${res.cookies[0]!.value}`, 'x-csrf-token': res.json().csrfToken };
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(200);
    t.clock.advance(29 * 60_000);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(200);
    t.clock.advance(29 * 60_000); // still alive: the last request renewed it
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(200);
    t.clock.advance(31 * 60_000);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers })).statusCode).toBe(401);

    const again = await login('supervisor-a', PASSWORD);
    const h2 = { cookie: `ed_session=${again.cookies[0]!.value}`, 'x-csrf-token': again.json().csrfToken };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: h2 })).statusCode).toBe(
      204,
    );
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: h2 })).statusCode).toBe(401);
  });

  it('makes a user with an admin-set password change it before anything else', async () => {
    const admin = await t.as('admin');
    const created = await admin.post('/api/v1/staff', {
      username: 'newagent',
      employeeNo: '2001',
      name: '新客服',
      roles: ['agent'],
      communityIds: [t.world.communityA.id],
      password: 'Initial123',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().mustChangePassword).toBe(true);
    const res = await login('newagent', 'Initial123');
    const headers = { cookie: `ed_session=${res.cookies[0]!.value}`, 'x-csrf-token': res.json().csrfToken };
    const blocked = await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('PASSWORD_CHANGE_REQUIRED');
    const weak = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/password',
      headers,
      payload: { currentPassword: 'Initial123', newPassword: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    const wrong = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/password',
      headers,
      payload: { currentPassword: 'Nope12345', newPassword: 'Better2026' },
    });
    expect(wrong.json().details[0]).toMatchObject({ field: 'currentPassword', message: '当前密码不正确' });
    const ok = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/password',
      headers,
      payload: { currentPassword: 'Initial123', newPassword: 'Better2026' },
    });
    expect(ok.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers })).statusCode).toBe(200);
    expect((await login('newagent', 'Initial123')).statusCode).toBe(401);
    expect((await login('newagent', 'Better2026')).statusCode).toBe(200);
  });

  it('disabling a user ends their sessions; resetting a password does too', async () => {
    const admin = await t.as('admin');
    const cashier = await t.as('cashier-a');
    expect((await cashier.get('/api/v1/me')).statusCode).toBe(200);
    const list = await admin.get('/api/v1/staff?q=cashier-a');
    const id = list.json().items[0].id;
    expect((await admin.patch(`/api/v1/staff/${id}`, { disabled: true })).json().disabled).toBe(true);
    expect((await cashier.get('/api/v1/me')).statusCode).toBe(401);
    expect((await login('cashier-a', PASSWORD)).json().code).toBe('ACCOUNT_DISABLED');
    await admin.patch(`/api/v1/staff/${id}`, { disabled: false });
    const back = await t.as('cashier-a');
    expect(
      (await admin.post(`/api/v1/staff/${id}/reset-password`, { newPassword: 'Reset2026x' })).statusCode,
    ).toBe(204);
    expect((await back.get('/api/v1/me')).statusCode).toBe(401);
    const relog = await login('cashier-a', 'Reset2026x');
    expect(relog.json().user.mustChangePassword).toBe(true);
  });

  it('never lets the last admin be disabled or lose the role', async () => {
    const admin = await t.as('admin');
    const other = (await admin.get('/api/v1/staff?q=admin-2')).json().items[0].id;
    const me = (await admin.get('/api/v1/me')).json().id;
    expect((await admin.patch(`/api/v1/staff/${other}`, { disabled: true })).statusCode).toBe(200);
    const refused = await admin.patch(`/api/v1/staff/${me}`, { roles: ['agent'] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().details[0].message).toBe('不能停用或降级最后一位系统管理员');
    await admin.patch(`/api/v1/staff/${other}`, { disabled: false });
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY is set, so the per-address limit cannot be dodged', async () => {
    let last = 0;
    for (let i = 0; i < 21; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { login: `spoof${i}`, password: 'nope-nope1' },
        remoteAddress: '10.7.7.7',
        headers: { 'x-forwarded-for': `192.0.2.${i}` },
      });
      last = res.statusCode;
    }
    expect(last).toBe(429);
  });

  it('keeps usernames and 工号 from colliding in the one login box', async () => {
    const admin = await t.as('admin');
    const numeric = await admin.post('/api/v1/staff', {
      username: '100',
      employeeNo: '7001',
      name: '数字',
      roles: ['agent'],
      communityIds: [],
      password: 'Abcdef123',
    });
    expect(numeric.statusCode).toBe(400);
    expect(numeric.json().details[0].field).toBe('username');
    const clash = await admin.post('/api/v1/staff', {
      username: 'zhang',
      employeeNo: 'agent-a',
      name: '撞名',
      roles: ['agent'],
      communityIds: [],
      password: 'Abcdef123',
    });
    expect(clash.statusCode).toBe(400);
    expect(clash.json().details[0]).toEqual({ field: 'employeeNo', message: '「工号」已存在' });
  });

  it('prunes ended sessions and old login attempts', async () => {
    await login('agent-a', PASSWORD);
    t.clock.advance(2 * 24 * 60 * 60_000);
    const pruned = await t.services.sessions.prune();
    expect(pruned.sessions).toBeGreaterThan(0);
    expect(pruned.loginAttempts).toBeGreaterThan(0);
    const left = await t.testDb.database.db.selectFrom('login_attempts').select('id').execute();
    expect(left).toEqual([]);
  });

  it('API tokens: created by an admin, shown once, scoped, stored hashed, revocable', async () => {
    const admin = await t.as('admin');
    const created = await admin.post('/api/v1/api-tokens', {
      name: '12345 对接',
      roles: ['agent'],
      communityIds: [t.world.communityA.id],
    });
    expect(created.statusCode).toBe(201);
    const { token, apiToken } = created.json();
    const stored = await t.testDb.database.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', apiToken.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    expect(JSON.stringify(stored)).not.toContain(token);
    const bearer = { authorization: `Bearer ${token}` };
    // no CSRF for bearer tokens; role and community scope apply
    const ticket = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: bearer,
      payload: {
        communityId: t.world.communityA.id,
        publicAreaId: t.world.publicAreaA.id,
        callerName: '12345热线',
        callerPhone: '12345',
        type: 'complaint',
        channel: 'hotline',
        externalRef: '12345-20261130-0042',
        content: '车库照明不足',
      },
    });
    expect(ticket.statusCode, ticket.body).toBe(201);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${t.world.ticketB.id}`, headers: bearer }))
        .statusCode,
    ).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/staff', headers: bearer })).statusCode).toBe(
      403,
    );
    expect((await admin.delete(`/api/v1/api-tokens/${apiToken.id}`)).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: bearer })).statusCode).toBe(
      401,
    );
  });
});

describe.each(dialects())('first start (%s)', (dialect) => {
  it('creates admin with a random password that must be changed, never a fixed default', async () => {
    const { createTestDatabase } = await import('../../../../test/helpers/db.js');
    const { buildServices } = await import('../../app.js');
    const { loadConfig } = await import('../../platform/config.js');
    const { ManualClock } = await import('../../platform/clock.js');
    const testDb = await createTestDatabase(dialect);
    try {
      const services = buildServices(
        testDb.database,
        loadConfig({ DATA_DIR: testDb.dataDir }),
        new ManualClock(),
      );
      const first = await services.auth.ensureAdmin(null);
      expect(first.created).toBe(true);
      expect(first.password).toMatch(/^\S{12,}$/);
      const again = await services.auth.ensureAdmin(null);
      expect(again).toEqual({ created: false, password: null });
      const other = buildServices(
        testDb.database,
        loadConfig({ DATA_DIR: testDb.dataDir }),
        new ManualClock(),
      );
      const row = await other.staffRepo.findByLogin('admin');
      expect(row!.must_change_password).toBe(1);
      // a second fresh database gets a different password
      const testDb2 = await createTestDatabase(dialect);
      try {
        const s2 = buildServices(
          testDb2.database,
          loadConfig({ DATA_DIR: testDb2.dataDir }),
          new ManualClock(),
        );
        expect((await s2.auth.ensureAdmin(null)).password).not.toBe(first.password);
      } finally {
        await testDb2.drop();
      }
    } finally {
      await testDb.drop();
    }
  });
});
