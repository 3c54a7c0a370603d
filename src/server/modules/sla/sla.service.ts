import { type Kysely, sql } from 'kysely';
import { type BusinessCalendar, STANDARD_CALENDAR, validateCalendar } from '../../../domain/business-time.js';
import {
  type ClockStatus,
  type ClockTerms,
  deadlines,
  nextFireAt,
  type PauseReason,
  policyFor,
  type SlaTarget,
} from '../../../domain/sla.js';
import { changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { hasRole, inScope, type RequestContext, withinScope } from '../../platform/context.js';
import type { DB } from '../../platform/db/schema.js';
import { errors } from '../../platform/errors.js';
import { t } from '../../platform/i18n/i18n.js';
import type { MessageKey } from '../../platform/i18n/messages.js';
import { newId } from '../../platform/ids.js';
import type { TicketsService } from '../tickets/tickets.service.js';
import { type ClockRow, type PolicyRow, type SlaRepository, termsOf, toPolicy } from './sla.repository.js';

export interface CreatePolicyInput {
  communityId?: string | null;
  ticketType?: string | null;
  priority?: string | null;
  categoryId?: string | null;
  target: SlaTarget;
  minutes: number | null;
  businessHours?: boolean;
  warnPercent?: number;
}

export interface UpdatePolicyInput {
  minutes?: number | null;
  businessHours?: boolean;
  warnPercent?: number;
}

type ComplianceGroup = 'community' | 'team' | 'worker' | 'type' | 'target';

/**
 * The SLA's settings and what it shows (§3): policies and calendars (admins company-wide,
 * managers for their communities), re-applying the policies to open clocks, each request's clocks,
 * the supervisor's board of what breaches next, the overdue list and the on-time rate.
 */
export class SlaService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly repo: SlaRepository,
    private readonly tickets: Pick<TicketsService, 'get'>,
    private readonly clock: Clock,
  ) {}

  // ---- policies ----

  async listPolicies(ctx: RequestContext, communityId?: string) {
    if (communityId && !inScope(ctx.principal.scope, communityId)) throw errors.notFound();
    const rows = await this.db
      .selectFrom('sla_policies')
      .selectAll()
      .where((eb) =>
        communityId
          ? eb.or([eb('community_id', 'is', null), eb('community_id', '=', communityId)])
          : eb.or([
              eb('community_id', 'is', null),
              ...(ctx.principal.scope.all
                ? [eb('community_id', 'is not', null)]
                : ctx.principal.scope.communityIds.length
                  ? [eb('community_id', 'in', ctx.principal.scope.communityIds as string[])]
                  : []),
            ]),
      )
      .orderBy('target')
      .orderBy('id')
      .execute();
    return rows.map(policyView);
  }

  async createPolicy(ctx: RequestContext, input: CreatePolicyInput) {
    const communityId = input.communityId ?? null;
    await this.checkWriteScope(ctx, communityId, 'communityId');
    if (input.categoryId) {
      const category = await this.db
        .selectFrom('ticket_categories')
        .select('id')
        .where('id', '=', input.categoryId)
        .executeTakeFirst();
      if (!category) throw errors.field('categoryId', 'validation.notFound');
    }
    const existing = await this.db
      .selectFrom('sla_policies')
      .select('id')
      .where('target', '=', input.target)
      .where((eb) =>
        eb.and([
          communityId === null ? eb('community_id', 'is', null) : eb('community_id', '=', communityId),
          input.ticketType ? eb('ticket_type', '=', input.ticketType) : eb('ticket_type', 'is', null),
          input.priority ? eb('priority', '=', input.priority) : eb('priority', 'is', null),
          input.categoryId ? eb('category_id', '=', input.categoryId) : eb('category_id', 'is', null),
        ]),
      )
      .executeTakeFirst();
    if (existing) {
      throw errors.field('target', 'validation.slaPolicyExists', {
        target: t(ctx.locale, `sla.target.${input.target}` as MessageKey),
      });
    }
    const now = this.clock.now();
    const row = {
      id: newId(now),
      community_id: communityId,
      ticket_type: input.ticketType ?? null,
      priority: input.priority ?? null,
      category_id: input.categoryId ?? null,
      target: input.target,
      minutes: input.minutes,
      business_hours: input.businessHours ? 1 : 0,
      warn_percent: input.warnPercent ?? 80,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('sla_policies').values(row).execute();
      await writeAudit(
        trx,
        ctx,
        {
          action: 'sla.policy.create',
          entityType: 'sla_policy',
          entityId: row.id,
          communityId,
          changes: changesOf(null, row),
        },
        now,
      );
    });
    return policyView({ ...row });
  }

  /** Changes a policy: only clocks started from now on follow it (re-apply moves open ones). */
  async updatePolicy(ctx: RequestContext, id: string, input: UpdatePolicyInput) {
    const before = await this.policyInScope(ctx, id);
    await this.checkWriteScope(ctx, before.community_id, 'id');
    const now = this.clock.now();
    const values = {
      ...(input.minutes !== undefined ? { minutes: input.minutes } : {}),
      ...(input.businessHours !== undefined ? { business_hours: input.businessHours ? 1 : 0 } : {}),
      ...(input.warnPercent !== undefined ? { warn_percent: input.warnPercent } : {}),
      updated_at: now.toISOString(),
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('sla_policies').set(values).where('id', '=', id).execute();
      await writeAudit(
        trx,
        ctx,
        {
          action: 'sla.policy.update',
          entityType: 'sla_policy',
          entityId: id,
          communityId: before.community_id,
          changes: changesOf(before, { ...before, ...values }),
        },
        now,
      );
    });
    return policyView({ ...before, ...values });
  }

  async deletePolicy(ctx: RequestContext, id: string) {
    const before = await this.policyInScope(ctx, id);
    await this.checkWriteScope(ctx, before.community_id, 'id');
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('sla_policies').where('id', '=', id).execute();
      await writeAudit(
        trx,
        ctx,
        {
          action: 'sla.policy.delete',
          entityType: 'sla_policy',
          entityId: id,
          communityId: before.community_id,
          changes: changesOf(before, null),
        },
        now,
      );
    });
  }

  private async policyInScope(ctx: RequestContext, id: string): Promise<PolicyRow> {
    const row = await this.db.selectFrom('sla_policies').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || (row.community_id !== null && !inScope(ctx.principal.scope, row.community_id)))
      throw errors.notFound();
    return row;
  }

  /** Company-wide settings are the admin's; a community's, its manager's (or an admin's). */
  private async checkWriteScope(ctx: RequestContext, communityId: string | null, field: string) {
    if (communityId === null) {
      if (!hasRole(ctx.principal, ['admin'])) throw errors.field(field, 'validation.slaCompanyOnlyAdmin');
      return;
    }
    if (!inScope(ctx.principal.scope, communityId)) throw errors.notFound();
    const exists = await this.db
      .selectFrom('communities')
      .select('id')
      .where('id', '=', communityId)
      .executeTakeFirst();
    if (!exists) throw errors.notFound();
  }

  // ---- calendars ----

  /** The company's calendar and those of the caller's communities (stored or inherited). */
  async listCalendars(ctx: RequestContext) {
    const stored = await this.db.selectFrom('sla_calendars').selectAll().execute();
    const communities = await withinScope(
      this.db.selectFrom('communities').select(['id', 'time_zone']),
      'communities.id',
      ctx.principal.scope,
    )
      .orderBy('id')
      .execute();
    const company = stored.find((s) => s.community_id === null);
    const companyCalendar: BusinessCalendar = company
      ? (JSON.parse(company.calendar) as BusinessCalendar)
      : STANDARD_CALENDAR;
    return [
      { communityId: null, calendar: companyCalendar, stored: Boolean(company) },
      ...communities.map((c) => {
        const own = stored.find((s) => s.community_id === c.id);
        return {
          communityId: c.id,
          calendar: own
            ? (JSON.parse(own.calendar) as BusinessCalendar)
            : company
              ? companyCalendar
              : { ...STANDARD_CALENDAR, timeZone: c.time_zone || STANDARD_CALENDAR.timeZone },
          stored: Boolean(own),
        };
      }),
    ];
  }

  /** Stores the company's (communityId null) or a community's calendar, checked field by field. */
  async putCalendar(ctx: RequestContext, communityId: string | null, raw: unknown) {
    await this.checkWriteScope(ctx, communityId, 'calendar');
    const checked = validateCalendar(raw);
    if (!checked.ok) {
      throw errors.field(`calendar.${checked.field}`, 'validation.slaCalendar', {
        problem: t(ctx.locale, `sla.calendarProblem.${checked.problem}` as MessageKey),
      });
    }
    const now = this.clock.now();
    const json = JSON.stringify(checked.calendar);
    await this.db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('sla_calendars')
        .selectAll()
        .where((eb) =>
          communityId === null ? eb('community_id', 'is', null) : eb('community_id', '=', communityId),
        )
        .executeTakeFirst();
      if (before) {
        await trx
          .updateTable('sla_calendars')
          .set({ calendar: json, updated_at: now.toISOString() })
          .where('id', '=', before.id)
          .execute();
      } else {
        await trx
          .insertInto('sla_calendars')
          .values({
            id: newId(now),
            community_id: communityId,
            calendar: json,
            updated_at: now.toISOString(),
          })
          .execute();
      }
      await writeAudit(
        trx,
        ctx,
        {
          action: 'sla.calendar.put',
          entityType: 'sla_calendar',
          entityId: communityId ?? 'company',
          communityId,
          changes: { calendar: [before ? JSON.parse(before.calendar) : null, checked.calendar] },
        },
        now,
      );
    });
    return { communityId, calendar: checked.calendar, stored: true };
  }

  // ---- re-apply ----

  /**
   * Recomputes the open clocks of a community from today's policies and calendars (a policy change
   * otherwise reaches new clocks only): each keeps its start and its paused time, and takes the new
   * minutes, warn share and calendar. Recorded in the audit trail and on each clock.
   */
  async reapply(ctx: RequestContext, communityId: string) {
    if (!inScope(ctx.principal.scope, communityId)) throw errors.notFound();
    const now = this.clock.now();
    const at = now.toISOString();
    let recomputed = 0;
    await this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      const community = await trx
        .selectFrom('communities')
        .select(['id', 'time_zone'])
        .where('id', '=', communityId)
        .executeTakeFirst();
      if (!community) throw errors.notFound();
      const policies = await repo.policiesFor(communityId);
      const calendar = await repo.calendarFor(communityId, community.time_zone);
      const open = await trx
        .selectFrom('sla_clocks')
        .selectAll()
        .where('community_id', '=', communityId)
        .where('status', 'in', ['running', 'paused'])
        .execute();
      const facts = new Map<string, Awaited<ReturnType<SlaRepository['ticketFacts']>>>();
      const events = [];
      for (const clock of open) {
        if (!facts.has(clock.ticket_id)) facts.set(clock.ticket_id, await repo.ticketFacts(clock.ticket_id));
        const ticket = facts.get(clock.ticket_id);
        if (!ticket) continue;
        const policy = policyFor(policies, ticket, clock.target as SlaTarget);
        const before = termsOf(clock);
        if (!policy || policy.minutes === null) {
          // the target no longer has a clock here
          await repo.updateClock(clock.id, { status: 'cancelled', ended_at: at, next_fire_at: null });
          events.push({ clock, data: { before, after: null } });
          recomputed++;
          continue;
        }
        const terms: ClockTerms = {
          minutes: policy.minutes,
          warnPercent: policy.warnPercent,
          calendar: policy.businessHours ? calendar : null,
        };
        const { dueAt, warnAt } = deadlines(terms, new Date(clock.started_at), Number(clock.paused_ms));
        await repo.updateClock(clock.id, {
          policy_id: policy.id,
          policy: JSON.stringify(terms),
          due_at: dueAt.toISOString(),
          warn_at: warnAt.toISOString(),
          next_fire_at: nextFireAt({
            status: clock.status as ClockStatus,
            warnAt: warnAt.toISOString(),
            dueAt: dueAt.toISOString(),
            warnedAt: clock.warned_at,
            breachedAt: clock.breached_at,
          }),
        });
        events.push({
          clock,
          data: { before: { ...before, dueAt: clock.due_at }, after: { ...terms, dueAt } },
        });
        recomputed++;
      }
      await repo.insertEvents(
        events.map((e) => ({
          id: newId(now),
          clock_id: e.clock.id,
          ticket_id: e.clock.ticket_id,
          type: 'reapply',
          at,
          data: JSON.stringify(e.data),
        })),
      );
      await writeAudit(
        trx,
        ctx,
        {
          action: 'sla.reapply',
          entityType: 'community',
          entityId: communityId,
          communityId,
          changes: { recomputedClocks: [null, recomputed] },
        },
        now,
      );
    });
    return { recomputed };
  }

  // ---- reading ----

  /** A request's clocks, for whoever may see the request. */
  async ticketClocks(ctx: RequestContext, ticketId: string) {
    const ticket = await this.tickets.get(ctx, ticketId);
    const rows = await this.db
      .selectFrom('sla_clocks')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .orderBy('id')
      .execute();
    const now = this.clock.now();
    return { items: rows.map((r) => clockView(r, ticket.number, now)), now: now.toISOString() };
  }

  /** The supervisor's board: open clocks, the one that breaches next first. */
  async board(ctx: RequestContext, query: { communityId?: string; limit?: number }) {
    return this.openClocks(ctx, query, ['running'], 'due_at');
  }

  /** Breached clocks of requests still open: the overdue queue, longest overdue first. */
  async overdue(ctx: RequestContext, query: { communityId?: string; limit?: number }) {
    return this.openClocks(ctx, query, ['breached'], 'due_at');
  }

  private async openClocks(
    ctx: RequestContext,
    query: { communityId?: string; limit?: number },
    statuses: ClockStatus[],
    order: 'due_at',
  ) {
    if (query.communityId && !inScope(ctx.principal.scope, query.communityId)) throw errors.notFound();
    const rows = await withinScope(
      // the clock carries its request's number: no lookup into the requests per clock
      this.db.selectFrom('sla_clocks').selectAll('sla_clocks'),
      'sla_clocks.community_id',
      ctx.principal.scope,
    )
      .where('sla_clocks.status', 'in', statuses)
      .where('sla_clocks.ended_at', 'is', null)
      .$if(Boolean(query.communityId), (q) => q.where('sla_clocks.community_id', '=', query.communityId!))
      .orderBy(`sla_clocks.${order}`)
      .limit(query.limit ?? 100)
      .execute();
    const now = this.clock.now();
    return { items: rows.map((r) => clockView(r, r.ticket_number, now)), now: now.toISOString() };
  }

  /**
   * The on-time rate (R25's 95% is judged by it): of the clocks started in [from, to) that were
   * kept or broken, how many were kept in time, per community, team, worker, type or target.
   */
  async compliance(
    ctx: RequestContext,
    query: { from: string; to: string; communityId?: string; groupBy?: ComplianceGroup },
  ) {
    if (query.communityId && !inScope(ctx.principal.scope, query.communityId)) throw errors.notFound();
    const from = new Date(query.from).toISOString();
    const to = new Date(query.to).toISOString();
    if (to <= from) throw errors.field('to', 'validation.invalid');
    const groupBy = query.groupBy ?? 'community';
    const key = {
      community: 'sla_clocks.community_id',
      team: 'tickets.team_id',
      worker: 'tickets.assignee_id',
      type: 'tickets.type',
      target: 'sla_clocks.target',
    }[groupBy];
    const rows = await withinScope(
      this.db
        .selectFrom('sla_clocks')
        .innerJoin('tickets', 'tickets.id', 'sla_clocks.ticket_id')
        .select([
          sql<string | null>`${sql.ref(key)}`.as('key'),
          sql<number>`count(*)`.as('total'),
          sql<number>`sum(case when sla_clocks.status = 'met' then 1 else 0 end)`.as('on_time'),
        ]),
      'sla_clocks.community_id',
      ctx.principal.scope,
    )
      .where('sla_clocks.status', 'in', ['met', 'breached'])
      .where('sla_clocks.started_at', '>=', from)
      .where('sla_clocks.started_at', '<', to)
      .$if(Boolean(query.communityId), (q) => q.where('sla_clocks.community_id', '=', query.communityId!))
      .groupBy(sql.ref(key))
      .orderBy(sql.ref(key))
      .execute();
    const names = await this.namesOf(
      groupBy,
      rows.map((r) => r.key).filter((k): k is string => k !== null),
    );
    return {
      groupBy,
      rows: rows.map((r) => {
        const total = Number(r.total);
        const onTime = Number(r.on_time);
        return {
          key: r.key,
          name: r.key === null ? null : (names.get(r.key) ?? r.key),
          total,
          onTime,
          rate: total ? onTime / total : null,
        };
      }),
    };
  }

  private async namesOf(groupBy: ComplianceGroup, keys: string[]): Promise<Map<string, string>> {
    if (!keys.length) return new Map();
    const table = { community: 'communities', team: 'teams', worker: 'users' }[groupBy as string] as
      | 'communities'
      | 'teams'
      | 'users'
      | undefined;
    if (!table) return new Map();
    const rows = await this.db.selectFrom(table).select(['id', 'name']).where('id', 'in', keys).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}

function policyView(row: PolicyRow) {
  const p = toPolicy(row);
  return {
    id: p.id,
    communityId: p.communityId,
    ticketType: p.ticketType as never,
    priority: p.priority as never,
    categoryId: p.categoryId,
    target: p.target,
    minutes: p.minutes,
    businessHours: p.businessHours,
    warnPercent: p.warnPercent,
    updatedAt: row.updated_at,
  };
}

function clockView(row: ClockRow, ticketNumber: string, now: Date) {
  const terms = termsOf(row);
  const ended = row.ended_at !== null || row.status === 'met' || row.status === 'cancelled';
  return {
    id: row.id,
    ticketId: row.ticket_id,
    ticketNumber,
    communityId: row.community_id,
    target: row.target as SlaTarget,
    status: row.status as ClockStatus,
    startedAt: row.started_at,
    dueAt: row.due_at,
    warnAt: row.warn_at,
    pausedAt: row.paused_at,
    pauseReason: row.pause_reason as PauseReason | null,
    pausedMs: Number(row.paused_ms),
    warnedAt: row.warned_at,
    breachedAt: row.breached_at,
    metAt: row.met_at,
    // a paused clock's deadline stands still with it
    remainingMs: ended
      ? null
      : new Date(row.due_at).getTime() - (row.paused_at ? new Date(row.paused_at) : now).getTime(),
    minutes: terms.minutes,
    businessHours: terms.calendar !== null,
  };
}
