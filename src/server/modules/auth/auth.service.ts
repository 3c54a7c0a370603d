import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { writeAudit } from '../../platform/audit.js';
import { dummyHash, hashPassword, isStrongEnough, verifyPassword } from '../../platform/auth/passwords.js';
import { type SessionPrincipal, type SessionStore, sha256 } from '../../platform/auth/sessions.js';
import type { Clock } from '../../platform/clock.js';
import { type RequestContext, systemContext } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import { errors } from '../../platform/errors.js';
import { newId, newSecret } from '../../platform/ids.js';
import type { StaffRecord, StaffRepository } from '../staff/staff.repository.js';

/** Failed logins from one address within the lock window after which it must wait. */
const MAX_FAILURES_PER_IP = 20;

export interface AuthSettings {
  maxFailures: number;
  lockMinutes: number;
}

export class AuthService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly staff: StaffRepository,
    private readonly sessions: SessionStore,
    private readonly clock: Clock,
    private readonly settings: AuthSettings,
  ) {}

  async login(login: string, password: string, ip: string, userAgent: string | null, requestId: string) {
    const now = this.clock.now();
    const since = new Date(now.getTime() - this.settings.lockMinutes * 60_000).toISOString();
    if ((await this.staff.countFailuresFromIp(ip, since)) >= MAX_FAILURES_PER_IP) throw errors.rateLimited();

    const user = await this.staff.findByLogin(login.trim());
    const ctx: RequestContext = { ...systemContext(), requestId, ip };
    const fail = async (userId: string | null, action: string) => {
      await this.staff.recordLoginAttempt({
        id: newId(now),
        login,
        ip,
        at: now.toISOString(),
        succeeded: false,
      });
      await writeAudit(
        this.db,
        { ...ctx, principal: { ...ctx.principal, id: userId ?? 'anonymous', name: login.slice(0, 100) } },
        { action, entityType: 'user', entityId: userId },
        now,
      );
    };

    if (!user) {
      await verifyPassword(await dummyHash(), password);
      await fail(null, 'auth.login_failed');
      throw errors.invalidCredentials();
    }
    if (user.locked_until && user.locked_until > now.toISOString()) {
      await fail(user.id, 'auth.login_refused_locked');
      const minutes = Math.ceil((new Date(user.locked_until).getTime() - now.getTime()) / 60_000);
      throw errors.locked(minutes);
    }
    if (!(await verifyPassword(user.password_hash, password))) {
      // counted in the database, so every server sees the same count
      const counted = await this.db
        .updateTable('users')
        .set({ failed_logins: sql`failed_logins + 1` })
        .where('id', '=', user.id)
        .returning('failed_logins')
        .executeTakeFirstOrThrow();
      if (counted.failed_logins >= this.settings.maxFailures) {
        const until = new Date(now.getTime() + this.settings.lockMinutes * 60_000).toISOString();
        await this.staff.update(user.id, { failed_logins: 0, locked_until: until });
        await fail(user.id, 'auth.account_locked');
        throw errors.locked(this.settings.lockMinutes);
      }
      await fail(user.id, 'auth.login_failed');
      throw errors.invalidCredentials();
    }
    if (user.disabled) {
      await fail(user.id, 'auth.login_refused_disabled');
      throw errors.disabled();
    }

    await this.staff.update(user.id, {
      failed_logins: 0,
      locked_until: null,
      last_login_at: now.toISOString(),
    });
    await this.staff.recordLoginAttempt({
      id: newId(now),
      login,
      ip,
      at: now.toISOString(),
      succeeded: true,
    });
    const session = await this.sessions.create(user.id, ip, userAgent);
    const record = (await this.staff.toRecord({ ...user, last_login_at: now.toISOString() })) as StaffRecord;
    await writeAudit(
      this.db,
      { ...ctx, principal: { ...ctx.principal, kind: 'user', id: user.id, name: user.name } },
      { action: 'auth.login', entityType: 'user', entityId: user.id },
      now,
    );
    return { user: record, ...session };
  }

  /** Ends the session of a cookie presented at login (unknown or already ended: nothing to do). */
  async endPresentedSession(token: string) {
    await this.sessions.revoke(sha256(token));
  }

  async logout(session: SessionPrincipal, ctx: RequestContext) {
    await this.sessions.revoke(session.sessionId);
    await writeAudit(
      this.db,
      ctx,
      { action: 'auth.logout', entityType: 'user', entityId: session.principal.id },
      this.clock.now(),
    );
  }

  async changePassword(ctx: RequestContext, sessionId: string | null, current: string, next: string) {
    const user = await this.staff.findRow(ctx.principal.userId);
    if (!user) throw errors.notFound();
    if (!(await verifyPassword(user.password_hash, current)))
      throw errors.field('currentPassword', 'validation.passwordWrong');
    if (!isStrongEnough(next)) throw errors.field('newPassword', 'validation.passwordWeak');
    if (current === next) throw errors.field('newPassword', 'validation.passwordSame');
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await this.staff.with(trx).update(user.id, {
        password_hash: await hashPassword(next),
        must_change_password: 0,
        updated_at: now.toISOString(),
      });
      await writeAudit(
        trx,
        ctx,
        { action: 'user.password_changed', entityType: 'user', entityId: user.id },
        now,
      );
    });
    // other devices signed in with the old password are signed out
    await this.sessions.revokeAllOf(user.id, sessionId ?? undefined);
  }

  async setLocale(ctx: RequestContext, locale: string) {
    const user = await this.staff.findRow(ctx.principal.userId);
    if (!user) throw errors.notFound();
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await this.staff.with(trx).update(user.id, { locale, updated_at: now.toISOString() });
      await writeAudit(
        trx,
        ctx,
        {
          action: 'user.locale_changed',
          entityType: 'user',
          entityId: user.id,
          changes: { locale: [user.locale, locale] },
        },
        now,
      );
    });
  }

  /**
   * On first start there is an `admin` with the configured password, or with a random one that
   * is printed once and must be changed at first login; never a fixed default. Safe when several
   * servers start at once: only the one whose insert wins prints a password.
   */
  async ensureAdmin(
    configuredPassword: string | null,
  ): Promise<{ created: boolean; password: string | null }> {
    const existing = await this.staff.findByLogin('admin');
    if (existing) return { created: false, password: null };
    const password = configuredPassword ?? `${newSecret(9)}7a`;
    const now = this.clock.now().toISOString();
    const id = newId();
    try {
      await this.db.transaction().execute(async (trx) => {
        await this.staff.with(trx).insert(
          {
            id,
            username: 'admin',
            employee_no: '0001',
            name: '系统管理员',
            phone: null,
            locale: null,
            password_hash: await hashPassword(password),
            must_change_password: configuredPassword ? 0 : 1,
            disabled: 0,
            all_communities: 1,
            locked_until: null,
            last_login_at: null,
            created_at: now,
            updated_at: now,
          },
          ['admin'],
          [],
        );
        await writeAudit(
          trx,
          systemContext(),
          { action: 'user.created', entityType: 'user', entityId: id },
          new Date(now),
        );
      });
    } catch (error) {
      if (isUniqueViolation(error)) return { created: false, password: null };
      throw error;
    }
    return { created: true, password: configuredPassword ? null : password };
  }
}
