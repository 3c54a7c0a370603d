import type { Kysely } from 'kysely';
import { normalizePhone } from '../../../domain/phone.js';
import type { Role } from '../../../domain/roles.js';
import { changesOf, writeAudit } from '../../platform/audit.js';
import { hashPassword, isStrongEnough } from '../../platform/auth/passwords.js';
import type { SessionStore } from '../../platform/auth/sessions.js';
import type { Clock } from '../../platform/clock.js';
import { inScope, type RequestContext } from '../../platform/context.js';
import type { DialectName } from '../../platform/db/database.js';
import { isUniqueViolation, serialize } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import { errors } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { decodeCursor, toPage } from '../../platform/schemas.js';
import type { StaffRecord, StaffRepository } from './staff.repository.js';

export interface CreateStaffInput {
  username: string;
  employeeNo: string;
  name: string;
  phone?: string | null;
  roles: Role[];
  communityIds: string[];
  allCommunities?: boolean;
  password: string;
}

export interface UpdateStaffInput {
  name?: string;
  phone?: string | null;
  roles?: Role[];
  communityIds?: string[];
  allCommunities?: boolean;
  disabled?: boolean;
  /** §4: the phone extension; null takes it away. */
  extension?: string | null;
}

function auditView(s: StaffRecord) {
  const { lastLoginAt: _ignored, ...rest } = s;
  return rest as unknown as Record<string, unknown>;
}

/** Staff accounts, managed by admins: roles, communities, 工号, disabling and password resets. */
export class StaffService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly staff: StaffRepository,
    private readonly sessions: SessionStore,
    private readonly clock: Clock,
    private readonly dialect: DialectName,
  ) {}

  async list(query: { q?: string; cursor?: string; limit?: number }) {
    const limit = query.limit ?? 50;
    const rows = await this.staff.list({ q: query.q?.trim(), afterId: decodeCursor(query.cursor), limit });
    return toPage(rows, limit);
  }

  /**
   * Who works in a community: for managers and supervisors who assign stewards, team members and
   * work, without the admin's full staff list (no phones, no login names).
   */
  async directory(ctx: RequestContext, communityId: string, role?: Role) {
    if (!inScope(ctx.principal.scope, communityId)) throw errors.notFound();
    const rows = await this.staff.directory(communityId, role);
    const roles = await this.staff.rolesOf(rows.map((r) => r.id));
    return {
      items: rows.map((r) => ({
        id: r.id,
        name: r.name,
        employeeNo: r.employee_no,
        roles: roles.get(r.id) ?? [],
      })),
    };
  }

  async get(id: string) {
    const user = await this.staff.get(id);
    if (!user) throw errors.notFound();
    return user;
  }

  private phoneOf(phone: string | null | undefined) {
    if (phone === undefined || phone === null || phone.trim() === '') return null;
    const normalized = normalizePhone(phone);
    if (!normalized) throw errors.field('phone', 'validation.phone');
    return normalized;
  }

  /**
   * The communities given must exist and be the caller's own: an admin of some communities gives
   * access to those only, and never to every community (R61: no one grants what they do not see).
   */
  private async checkCommunities(
    ctx: RequestContext,
    input: { communityIds?: readonly string[]; allCommunities?: boolean },
  ) {
    const { scope } = ctx.principal;
    if (input.allCommunities && !scope.all) throw errors.forbidden();
    const ids = input.communityIds ?? [];
    const found = new Set(await this.staff.existingCommunityIds(ids));
    if (ids.some((id) => !found.has(id) || !inScope(scope, id)))
      throw errors.field('communityIds', 'validation.notFound');
  }

  /**
   * An admin of some communities manages the staff of those communities only: not someone who
   * also works elsewhere or everywhere, whose password they could otherwise reset and use (R61).
   */
  private mayManage(ctx: RequestContext, target: StaffRecord) {
    const { scope, kind, userId } = ctx.principal;
    // one's own record (the extension) is one's own; a token acts for its maker, not as them
    if (scope.all || (kind === 'user' && target.id === userId)) return;
    if (target.allCommunities || target.communityIds.some((id) => !inScope(scope, id)))
      throw errors.forbidden();
  }

  async create(ctx: RequestContext, input: CreateStaffInput) {
    if (!isStrongEnough(input.password)) throw errors.field('password', 'validation.passwordWeak');
    // one login box takes either: a 工号 equal to someone's username would be ambiguous
    if (await this.staff.findByLogin(input.employeeNo.trim())) {
      throw errors.validation([{ field: 'employeeNo', key: 'error.DUPLICATE' }]);
    }
    const phone = this.phoneOf(input.phone);
    await this.checkCommunities(ctx, input);
    const now = this.clock.now();
    const id = newId(now);
    const passwordHash = await hashPassword(input.password);
    try {
      await this.db.transaction().execute(async (trx) => {
        const repo = this.staff.with(trx);
        await repo.insert(
          {
            id,
            username: input.username.trim(),
            employee_no: input.employeeNo.trim(),
            name: input.name.trim(),
            phone,
            locale: null,
            password_hash: passwordHash,
            // a password an admin chose is known to the admin: the user replaces it at first login
            must_change_password: 1,
            disabled: 0,
            all_communities: input.allCommunities ? 1 : 0,
            locked_until: null,
            last_login_at: null,
            created_at: now.toISOString(),
            updated_at: now.toISOString(),
          },
          input.roles,
          input.communityIds,
        );
        const created = await repo.get(id);
        await writeAudit(
          trx,
          ctx,
          {
            action: 'user.created',
            entityType: 'user',
            entityId: id,
            changes: changesOf(null, auditView(created!)),
          },
          now,
        );
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        const taken = (await this.staff.findByLogin(input.username.trim())) ? 'username' : 'employeeNo';
        throw errors.validation([{ field: taken, key: 'error.DUPLICATE' }]);
      }
      throw error;
    }
    return this.get(id);
  }

  async update(ctx: RequestContext, id: string, input: UpdateStaffInput) {
    const before = await this.get(id);
    this.mayManage(ctx, before);
    const phone = input.phone === undefined ? undefined : this.phoneOf(input.phone);
    await this.checkCommunities(ctx, input);
    const losesAdmin =
      before.roles.includes('admin') &&
      !before.disabled &&
      (input.disabled === true || (input.roles && !input.roles.includes('admin')));
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const repo = this.staff.with(trx);
      if (losesAdmin) {
        // two admins removing each other at once must not leave the company with none
        await serialize(trx, this.dialect, 'last-admin');
        if ((await repo.countOtherActiveAdmins(id)) === 0) {
          throw errors.field(input.disabled ? 'disabled' : 'roles', 'validation.lastAdmin');
        }
      }
      // §4: one extension, one active person (the screen pop must know whose console rings)
      const extension = input.extension === undefined ? before.extension : input.extension?.trim() || null;
      const active = input.disabled === undefined ? !before.disabled : !input.disabled;
      if (extension && active && (input.extension !== undefined || input.disabled === false)) {
        await serialize(trx, this.dialect, 'user-extension');
        const holder = await repo.extensionHolder(extension, id);
        if (holder)
          throw errors.field('extension', 'validation.extensionTaken', {
            name: holder.name,
            employeeNo: holder.employee_no,
          });
      }
      await repo.update(id, {
        ...(input.extension !== undefined ? { extension } : {}),
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(phone !== undefined ? { phone } : {}),
        ...(input.allCommunities !== undefined ? { all_communities: input.allCommunities ? 1 : 0 } : {}),
        ...(input.disabled !== undefined ? { disabled: input.disabled ? 1 : 0 } : {}),
        updated_at: now.toISOString(),
      });
      await repo.setAccess(id, input.roles, input.communityIds);
      const after = await repo.get(id);
      await writeAudit(
        trx,
        ctx,
        {
          action: 'user.updated',
          entityType: 'user',
          entityId: id,
          changes: changesOf(auditView(before), auditView(after!)),
        },
        now,
      );
    });
    if (input.disabled) await this.sessions.revokeAllOf(id);
    return this.get(id);
  }

  async resetPassword(ctx: RequestContext, id: string, newPassword: string) {
    this.mayManage(ctx, await this.get(id));
    if (!isStrongEnough(newPassword)) throw errors.field('newPassword', 'validation.passwordWeak');
    const now = this.clock.now();
    const passwordHash = await hashPassword(newPassword);
    await this.db.transaction().execute(async (trx) => {
      await this.staff.with(trx).update(id, {
        password_hash: passwordHash,
        must_change_password: 1,
        failed_logins: 0,
        locked_until: null,
        updated_at: now.toISOString(),
      });
      await writeAudit(trx, ctx, { action: 'user.password_reset', entityType: 'user', entityId: id }, now);
    });
    await this.sessions.revokeAllOf(id);
  }
}
