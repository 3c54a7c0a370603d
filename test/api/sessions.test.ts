// Sessions and accounts, on both dialects: no session fixation, CSRF on every cookie-authenticated
// write, lockout after repeated failures, the password policy with its translated error, and every
// way a session ends (logout, idle time on the injected clock, a password change elsewhere, an
// admin disabling the account).
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, PASSWORD, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/db.js';

interface Session {
  cookie: string;
  csrf: string;
  token: string;
}

describe.each(dialects())('sessions and accounts (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, {
      LOGIN_MAX_FAILURES: '5',
      LOGIN_LOCK_MINUTES: '15',
      SESSION_IDLE_MINUTES: '30',
    });
  });
  afterAll(async () => t?.close());

  const login = (login: string, password: string, headers: Record<string, string> = {}, ip = '10.1.0.1') =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login, password },
      headers,
      remoteAddress: ip,
    });

  async function signIn(username: string, password = PASSWORD, headers: Record<string, string> = {}) {
    const res = await login(username, password, headers);
    expect(res.statusCode, res.body).toBe(200);
    const token = res.cookies.find((c) => c.name === 'ed_session')!.value;
    return { cookie: `ed_session=${token}`, csrf: res.json().csrfToken as string, token } satisfies Session;
  }

  const get = (s: Session, url = '/api/v1/me', locale = 'zh-CN') =>
    t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie, 'accept-language': locale } });
  const write = (
    s: Session,
    method: 'PATCH' | 'PUT' | 'POST',
    url: string,
    payload: unknown,
    csrf: string | null = s.csrf,
    locale = 'zh-CN',
  ) =>
    t.app.inject({
      method,
      url,
      payload: payload as never,
      headers: {
        cookie: s.cookie,
        'accept-language': locale,
        ...(csrf === null ? {} : { 'x-csrf-token': csrf }),
      },
    });

  const expectError = (res: LightMyRequestResponse, status: number, code: string) => {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json()).toMatchObject({ code, requestId: expect.any(String) });
    expect(typeof res.json().message).toBe('string');
  };

  const count = async (table: string) =>
    Number(
      (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.testDb.database.db))
        .rows[0]!.n,
    );
  const userId = async (username: string) => (await t.services.staffRepo.findByLogin(username))!.id;

  it('no session fixation: a cookie presented before login is not the one after it, and ends', async () => {
    // a made-up cookie planted in the browser
    const planted = await login('agent-a', PASSWORD, { cookie: 'ed_session=planted-by-someone-else' });
    expect(planted.statusCode).toBe(200);
    const issued = planted.cookies.find((c) => c.name === 'ed_session')!.value;
    expect(issued).not.toBe('planted-by-someone-else');
    expect(issued.length).toBeGreaterThanOrEqual(32);
    expectError(
      await get({ cookie: 'ed_session=planted-by-someone-else', csrf: '', token: '' }),
      401,
      'UNAUTHENTICATED',
    );

    // a real session of someone else's, presented at login: a new session, and the old one ends
    const attacker = await signIn('supervisor-a');
    const victim = await signIn('agent-a', PASSWORD, { cookie: attacker.cookie });
    expect(victim.token).not.toBe(attacker.token);
    expect(victim.csrf).not.toBe(attacker.csrf);
    expect((await get(victim)).json().username).toBe('agent-a');
    expectError(await get(attacker), 401, 'UNAUTHENTICATED');
    // only a hash of the token is stored
    const stored = await t.testDb.database.db.selectFrom('sessions').select('id').execute();
    expect(stored.map((r) => r.id)).not.toContain(victim.token);
  });

  it('CSRF: a cookie-authenticated write without or with a wrong token is refused and changes nothing', async () => {
    const s = await signIn('steward-a');
    const other = await signIn('steward-a');
    const auditBefore = await count('audit_log');
    for (const csrf of [null, '', 'forged', `${s.csrf}x`, s.csrf.slice(0, -1)]) {
      const res = await write(s, 'PATCH', '/api/v1/me', { locale: 'en' }, csrf);
      expectError(res, 403, 'CSRF_FAILED');
      expect(res.json().message).toBe('页面已过期，请刷新后重试');
    }
    // another session's token is no better
    expectError(await write(s, 'PATCH', '/api/v1/me', { locale: 'en' }, other.csrf), 403, 'CSRF_FAILED');
    expectError(
      await write(
        s,
        'PUT',
        '/api/v1/me/password',
        { currentPassword: PASSWORD, newPassword: 'Another2026x' },
        null,
      ),
      403,
      'CSRF_FAILED',
    );
    expectError(await write(s, 'POST', '/api/v1/auth/logout', undefined, null), 403, 'CSRF_FAILED');
    expect((await get(s)).json().locale).toBeNull();
    expect(await count('audit_log')).toBe(auditBefore);
    expect((await get(s)).statusCode).toBe(200); // logout without the token did not end it
    // the login form is JSON only: a cross-site HTML form post cannot even reach it
    const form = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: `login=admin&password=${PASSWORD}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectError(form, 415, 'UNSUPPORTED_MEDIA_TYPE');
    // with the token it goes through
    expect((await write(s, 'PATCH', '/api/v1/me', { locale: 'en' })).json().locale).toBe('en');
  });

  it('locks an account after repeated failures; the lock ends by itself (injected clock)', async () => {
    for (let i = 0; i < 4; i++)
      expectError(await login('security-a', 'Wrong-pass1', {}, '10.1.0.2'), 401, 'INVALID_CREDENTIALS');
    const locked = await login('security-a', 'Wrong-pass1', {}, '10.1.0.2');
    expect(locked.statusCode).toBe(423);
    expect(locked.json().message).toMatch(/15/);
    // the right password does not open a locked account, and no session is made
    const sessionsBefore = await count('sessions');
    expect((await login('security-a', PASSWORD, {}, '10.1.0.2')).statusCode).toBe(423);
    expect(await count('sessions')).toBe(sessionsBefore);
    t.clock.advance(14 * 60_000);
    expect((await login('security-a', PASSWORD, {}, '10.1.0.2')).statusCode).toBe(423);
    t.clock.advance(2 * 60_000);
    expect((await login('security-a', PASSWORD, {}, '10.1.0.2')).statusCode).toBe(200);
  });

  it('password policy: a weak new password is refused with a translated error and changes nothing', async () => {
    const s = await signIn('cleaning-a');
    const hashBefore = (await t.services.staffRepo.findRow(await userId('cleaning-a')))!.password_hash;
    const messages: Record<string, string> = {
      'zh-CN': '密码至少 8 位，且须同时包含字母和数字',
      'zh-TW': '密碼至少 8 位，且須同時包含字母和數字',
      en: 'The password needs at least 8 characters with both letters and digits',
    };
    for (const weak of ['abc123', 'onlyletters', '12345678']) {
      for (const [locale, message] of Object.entries(messages)) {
        const res = await write(
          s,
          'PUT',
          '/api/v1/me/password',
          { currentPassword: PASSWORD, newPassword: weak },
          s.csrf,
          locale,
        );
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(res.json().details).toContainEqual({ field: 'newPassword', message });
      }
    }
    // an admin creating an account is held to the same policy
    const admin = await signIn('admin');
    const created = await write(admin, 'POST', '/api/v1/staff', {
      username: 'weak-one',
      employeeNo: '9001',
      name: '弱密码',
      roles: ['agent'],
      communityIds: [t.world.communityA.id],
      allCommunities: false,
      password: 'short1',
    });
    expectError(created, 400, 'VALIDATION_FAILED');
    expect(await t.services.staffRepo.findByLogin('weak-one')).toBeFalsy();
    expect((await t.services.staffRepo.findRow(await userId('cleaning-a')))!.password_hash).toBe(hashBefore);
  });

  it('logout revokes: the old cookie is refused afterwards', async () => {
    const s = await signIn('manager-a');
    expect((await get(s)).statusCode).toBe(200);
    const out = await write(s, 'POST', '/api/v1/auth/logout', undefined);
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'ed_session')?.value ?? '').toBe('');
    expectError(await get(s), 401, 'UNAUTHENTICATED');
    expectError(await write(s, 'PATCH', '/api/v1/me', { locale: 'en' }), 401, 'UNAUTHENTICATED');
  });

  it('changing one’s password ends one’s other sessions, not this one', async () => {
    const here = await signIn('greening-a');
    const phone = await signIn('greening-a');
    const someoneElse = await signIn('cashier-a');
    const res = await write(here, 'PUT', '/api/v1/me/password', {
      currentPassword: PASSWORD,
      newPassword: 'Greening2026x',
    });
    expect(res.statusCode, res.body).toBe(204);
    expect((await get(here)).statusCode).toBe(200);
    expectError(await get(phone), 401, 'UNAUTHENTICATED');
    expect((await get(someoneElse)).statusCode).toBe(200);
    expectError(await login('greening-a', PASSWORD, {}, '10.1.0.3'), 401, 'INVALID_CREDENTIALS');
    expect((await login('greening-a', 'Greening2026x', {}, '10.1.0.3')).statusCode).toBe(200);
  });

  it('an admin disabling a user ends all their sessions at once', async () => {
    const admin = await signIn('admin');
    const one = await signIn('technician-a');
    const two = await signIn('technician-a');
    const id = await userId('technician-a');
    const res = await write(admin, 'PATCH', `/api/v1/staff/${id}`, { disabled: true });
    expect(res.statusCode, res.body).toBe(200);
    expectError(await get(one), 401, 'UNAUTHENTICATED');
    expectError(await get(two), 401, 'UNAUTHENTICATED');
    const open = await t.testDb.database.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    expect(open).toEqual([]);
    expectError(await login('technician-a', PASSWORD, {}, '10.1.0.4'), 403, 'ACCOUNT_DISABLED');
    await write(admin, 'PATCH', `/api/v1/staff/${id}`, { disabled: false });
    // enabling again does not bring the old sessions back
    expectError(await get(one), 401, 'UNAUTHENTICATED');
  });

  it('an idle session ends (injected clock); activity keeps it alive', async () => {
    const s = await signIn('quality');
    t.clock.advance(25 * 60_000);
    expect((await get(s)).statusCode).toBe(200);
    t.clock.advance(25 * 60_000); // 50 minutes since login, 25 since the last request
    expect((await get(s)).statusCode).toBe(200);
    t.clock.advance(30 * 60_000 + 1_000);
    const expired = await get(s, '/api/v1/me', 'en');
    expectError(expired, 401, 'UNAUTHENTICATED');
    expect(expired.json().message).toBe('Please log in');
    // an expired session does not come back, and writes with it are refused too
    expectError(await write(s, 'PATCH', '/api/v1/me', { locale: 'en' }), 401, 'UNAUTHENTICATED');
  });
});
