import type { Kysely } from 'kysely';
import type { Role } from '../../../domain/roles.js';
import { changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { hasRole, inScope, type RequestContext } from '../../platform/context.js';
import type { DB } from '../../platform/db/schema.js';
import { errors, type FieldError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { decodeCursor, toPage } from '../../platform/schemas.js';
import type { RegistryRepository } from '../registry/registry.repository.js';
import type { TeamMember, TeamRow, TeamsRepository } from './teams.repository.js';

export const TEAM_KINDS = [
  'repair',
  'security',
  'cleaning',
  'greening',
  'engineering',
  'service',
  'other',
] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];

/** Who may put any member of a team they keep on or off duty, besides the member and the leader. */
const DUTY_KEEPERS: readonly Role[] = ['supervisor', 'manager', 'admin'];

export interface CreateTeamInput {
  communityId: string | null;
  name: string;
  kind: TeamKind;
  leaderUserId?: string | null;
  userIds?: string[];
}

export interface UpdateTeamInput {
  name?: string;
  kind?: TeamKind;
  leaderUserId?: string | null;
  archived?: boolean;
}

/**
 * Staff teams (维修组, 保安队, 保洁组 …): of one community, or company-wide (no community).
 * Admins and managers keep them; a company-wide team is kept only by someone who sees every
 * community. The leader is always a member. Every change is audited.
 */
export class TeamsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly teams: TeamsRepository,
    private readonly registry: RegistryRepository,
    private readonly clock: Clock,
  ) {}

  async list(
    ctx: RequestContext,
    q: { communityId?: string; kind?: TeamKind; includeArchived?: boolean; cursor?: string; limit?: number },
  ) {
    const limit = q.limit ?? 50;
    const rows = await this.teams.list(ctx.principal.scope, {
      communityId: q.communityId,
      kind: q.kind,
      includeArchived: q.includeArchived,
      afterId: decodeCursor(q.cursor),
      limit,
    });
    const page = toPage(rows, limit);
    return { items: await this.views(page.items), nextCursor: page.nextCursor };
  }

  async get(ctx: RequestContext, id: string) {
    const row = await this.teams.get(ctx.principal.scope, id);
    if (!row) throw errors.notFound();
    const [view] = await this.views([row]);
    return view!;
  }

  async create(ctx: RequestContext, input: CreateTeamInput) {
    if (input.communityId === null) this.mayKeepCompanyWide(ctx);
    else if (!(await this.registry.getCommunity(ctx.principal.scope, input.communityId))) {
      throw errors.field('communityId', 'validation.notFound');
    }
    const userIds = [...new Set(input.userIds ?? [])];
    const problems = await this.memberProblems(userIds, input.communityId);
    if (input.leaderUserId && !userIds.includes(input.leaderUserId)) {
      problems.push({ field: 'leaderUserId', key: 'validation.leaderNotMember' });
    }
    if (problems.length) throw errors.validation(problems);
    const now = this.clock.now();
    const row = {
      id: newId(now),
      community_id: input.communityId,
      name: input.name.trim(),
      kind: input.kind,
      leader_user_id: input.leaderUserId ?? null,
      created_at: now.toISOString(),
      archived_at: null,
    };
    await this.db.transaction().execute(async (trx) => {
      const repo = this.teams.with(trx);
      await repo.insert(row);
      await repo.replaceMembers(row.id, userIds);
      await writeAudit(
        trx,
        ctx,
        {
          action: 'team.created',
          entityType: 'team',
          entityId: row.id,
          communityId: row.community_id,
          changes: changesOf(null, { ...row, user_ids: userIds }),
        },
        now,
      );
    });
    return this.get(ctx, row.id);
  }

  async update(ctx: RequestContext, id: string, input: UpdateTeamInput) {
    const before = await this.writable(ctx, id);
    if (input.leaderUserId) {
      const problems = await this.memberProblems([input.leaderUserId], before.community_id, 'leaderUserId');
      if (problems.length) throw errors.validation(problems);
    }
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const repo = this.teams.with(trx);
      await repo.lock(id);
      // checked under the lock: a concurrent member change cannot leave a leader outside the team
      if (input.leaderUserId && !(await repo.memberIds(id)).includes(input.leaderUserId)) {
        throw errors.field('leaderUserId', 'validation.leaderNotMember');
      }
      const current = (await repo.get({ all: true }, id))!;
      const values = {
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.kind !== undefined ? { kind: input.kind } : {}),
        ...(input.leaderUserId !== undefined ? { leader_user_id: input.leaderUserId } : {}),
        ...(input.archived !== undefined && input.archived !== (current.archived_at !== null)
          ? { archived_at: input.archived ? now.toISOString() : null }
          : {}),
      };
      const changes = changesOf(auditView(current), auditView({ ...current, ...values }));
      if (Object.keys(changes).length === 0) return;
      await repo.update(id, values);
      await writeAudit(
        trx,
        ctx,
        {
          action: 'team.updated',
          entityType: 'team',
          entityId: id,
          communityId: current.community_id,
          changes,
        },
        now,
      );
    });
    return this.get(ctx, id);
  }

  /** Replaces the member list; the leader cannot be dropped (change the leader first). */
  async setMembers(ctx: RequestContext, id: string, input: { userIds: string[] }) {
    const team = await this.writable(ctx, id);
    const userIds = [...new Set(input.userIds)];
    const problems = await this.memberProblems(userIds, team.community_id);
    if (problems.length) throw errors.validation(problems);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const repo = this.teams.with(trx);
      await repo.lock(id);
      const current = (await repo.get({ all: true }, id))!;
      if (current.leader_user_id && !userIds.includes(current.leader_user_id)) {
        throw errors.field('userIds', 'validation.leaderRemoved');
      }
      const before = (await repo.memberIds(id)).sort();
      const after = [...userIds].sort();
      const changes = changesOf({ user_ids: before }, { user_ids: after });
      if (Object.keys(changes).length === 0) return;
      await repo.replaceMembers(id, userIds);
      await writeAudit(
        trx,
        ctx,
        {
          action: 'team.members_changed',
          entityType: 'team',
          entityId: id,
          communityId: current.community_id,
          changes,
        },
        now,
      );
    });
    return this.get(ctx, id);
  }

  /**
   * Puts a member on or off duty (在岗): automatic dispatch takes turns only among those on
   * duty. The member themself or the team leader may, and supervisors, managers and admins
   * who may keep the team (a company-wide one: only those who see every community).
   */
  async setDuty(ctx: RequestContext, id: string, userId: string, input: { onDuty: boolean }) {
    const team = await this.teams.get(ctx.principal.scope, id);
    if (!team) throw errors.notFound();
    const member = await this.teams.member(id, userId);
    if (!member) throw errors.notFound();
    const { principal } = ctx;
    const asPerson =
      principal.kind === 'user' && (principal.userId === userId || principal.userId === team.leader_user_id);
    const asLead = hasRole(principal, DUTY_KEEPERS) && (team.community_id !== null || principal.scope.all);
    if (!asPerson && !asLead) throw errors.forbidden();

    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const repo = this.teams.with(trx);
      const current = await repo.member(id, userId);
      if (!current) throw errors.notFound();
      const before = current.on_duty === 1;
      if (before === input.onDuty) return;
      await repo.setDuty(id, userId, input.onDuty);
      await writeAudit(
        trx,
        ctx,
        {
          action: 'team.duty_changed',
          entityType: 'team',
          entityId: id,
          communityId: team.community_id,
          changes: { user_id: [userId, userId], on_duty: [before, input.onDuty] },
        },
        now,
      );
    });
    return this.get(ctx, id);
  }

  /** The team, if the caller sees it (else 404) and may change it (else 403). */
  private async writable(ctx: RequestContext, id: string) {
    const team = await this.teams.get(ctx.principal.scope, id);
    if (!team) throw errors.notFound();
    if (team.community_id === null) this.mayKeepCompanyWide(ctx);
    return team;
  }

  /** A company-wide team serves every community: only someone who sees them all may keep it. */
  private mayKeepCompanyWide(ctx: RequestContext) {
    if (!ctx.principal.scope.all) throw errors.forbidden();
  }

  /** Each user must exist, be active, and see the team's community (any community for a company-wide team). */
  private async memberProblems(
    userIds: string[],
    communityId: string | null,
    field = 'userIds',
  ): Promise<FieldError[]> {
    const found = new Map((await this.teams.candidates(userIds)).map((c) => [c.id, c]));
    for (const id of userIds) {
      const user = found.get(id);
      if (!user) return [{ field, key: 'validation.notFound' }];
      const who = { name: user.name };
      if (user.disabled) return [{ field, key: 'validation.staffDisabled', params: who }];
      const scope = user.allCommunities
        ? ({ all: true } as const)
        : ({ all: false, communityIds: user.communityIds } as const);
      if (communityId !== null && !inScope(scope, communityId)) {
        return [{ field, key: 'validation.staffCommunity', params: who }];
      }
    }
    return [];
  }

  private async views(rows: TeamRow[]) {
    const members = await this.teams.members(rows.map((r) => r.id));
    return rows.map((row) =>
      teamView(
        row,
        members.filter((m) => m.teamId === row.id),
      ),
    );
  }
}

function auditView(r: TeamRow) {
  return { name: r.name, kind: r.kind, leader_user_id: r.leader_user_id, archived_at: r.archived_at };
}

function teamView(r: TeamRow, members: TeamMember[]) {
  const list = members
    .map(({ teamId: _t, ...m }) => m)
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.employeeNo.localeCompare(b.employeeNo));
  const leader = list.find((m) => m.id === r.leader_user_id);
  return {
    id: r.id,
    communityId: r.community_id,
    name: r.name,
    kind: r.kind as TeamKind,
    leaderUserId: r.leader_user_id,
    leader: leader ? { id: leader.id, name: leader.name, employeeNo: leader.employeeNo } : null,
    archived: r.archived_at !== null,
    archivedAt: r.archived_at,
    createdAt: r.created_at,
    members: list,
  };
}
