import type { Kysely } from 'kysely';
import {
  type Actor,
  type CompletionReport,
  ESCALATION_LEVELS,
  type InputFor,
  MAX_ESCALATION_LEVEL,
  OPEN_STATUSES,
  type TicketAction,
  transition,
} from '../../../domain/ticket-lifecycle.js';
import { type ComplaintGrade, MAJOR_COMPLAINT_LEVEL } from '../../../domain/tickets.js';
import { changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { hasRole, type RequestContext, systemContext } from '../../platform/context.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError, errors } from '../../platform/errors.js';
import { t } from '../../platform/i18n/i18n.js';
import type { MessageKey } from '../../platform/i18n/messages.js';
import { newId } from '../../platform/ids.js';
import type { LanguageGuard, LanguageOverrideInput } from '../language/language.service.js';
import type { TicketNotifier } from '../notifications/notifications.service.js';
import type { TeamsRepository } from '../teams/teams.repository.js';
import { emergencyBlocker } from './tickets.emergency.js';
import type { TicketsRepository } from './tickets.repository.js';
import { linkProblem, type TicketsService } from './tickets.service.js';

type Input<A extends TicketAction> = Omit<InputFor<A>, 'action'> & { version?: number };

/** §6: the texts of a step the resident is told (composeNotification), by body field. */
function residentTexts(action: string, given: Record<string, unknown>): Record<string, string | null> {
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  switch (action) {
    case 'answer':
      return { reply: text(given.reply) };
    case 'cancel':
      return { reason: text(given.reason) };
    case 'pend':
      return { reason: text(given.reason), nextStep: text(given.nextStep) };
    case 'complete':
      return { 'report.work': text((given.report as { work?: unknown } | undefined)?.work) };
    default:
      return {};
  }
}

/**
 * Every step of a request's life (派单, 抢单, 接单, 到场, 完成, 挂起, 转派, 升级, 作废 …) goes
 * through here: the pure state machine decides, this service checks the references, writes the
 * change only against the version the caller saw (R12), and appends the step to the timeline
 * and the audit trail in the same transaction.
 */
export class TicketActionsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly tickets: TicketsRepository,
    private readonly teams: TeamsRepository,
    private readonly ticketsService: TicketsService,
    private readonly clock: Clock,
    private readonly notifier: TicketNotifier,
    private readonly prices: PriceList,
    private readonly language: LanguageGuard,
  ) {}

  async act<A extends TicketAction>(ctx: RequestContext, id: string, action: A, input: Input<A>) {
    const scope = ctx.principal.scope;
    const view = await this.tickets.get(scope, id, await this.ticketsService.workerOf(ctx));
    if (!view) throw errors.notFound();
    const before = await this.tickets.lifecycleOf(id);
    if (!before) throw errors.notFound();
    // R16: an emergency is done only once the people are out and the incident is reported
    if (action === 'complete' || action === 'close') {
      const blocked = emergencyBlocker(view);
      if (blocked) throw new AppError(409, 'ILLEGAL_TRANSITION', blocked);
    }
    if (view.parentId && action !== 'cancel') {
      const parent = await this.tickets.brief(view.parentId);
      throw new AppError(409, 'LINKED_TO_PARENT', 'error.LINKED_TO_PARENT', { number: parent?.number ?? '' });
    }

    if (action === 'dispatch' || action === 'reassign') {
      await this.checkAssignment(ctx, view.communityId, input as unknown as Input<'dispatch'>);
    }
    const actor: Actor = {
      id: ctx.principal.userId,
      roles: ctx.principal.roles,
      teamIds: await this.tickets.teamIdsOf(ctx.principal.userId),
    };
    const { version, languageOverride, ...given } = input as typeof input & {
      languageOverride?: LanguageOverrideInput;
    };
    const completing =
      action === 'complete'
        ? await this.prepareCompletion(view, given as unknown as CompleteInput)
        : undefined;
    const rest = completing ? { ...given, report: completing.report } : given;
    const now = this.clock.now();
    const result = transition(before, action, actor, { ...rest, action } as InputFor<A>, now);
    if (!result.ok) {
      if (result.error === 'illegal_transition') {
        throw new AppError(409, 'ILLEGAL_TRANSITION', 'error.ILLEGAL_TRANSITION', {
          status: t(ctx.locale, `ticket.status.${before.status}` as MessageKey),
          action: t(ctx.locale, `ticket.action.${action}` as MessageKey),
        });
      }
      if (result.error === 'forbidden') throw errors.forbidden();
      throw errors.field(result.field ?? 'body', 'validation.invalid');
    }
    // a grab races other workers, not an edit: the pool itself is the guard, exactly one wins
    const guardVersion = action === 'grab' ? null : (version ?? null);
    if (action !== 'grab' && guardVersion === null) throw errors.field('version', 'validation.required');

    const after = result.ticket;
    const values = {
      status: after.status,
      team_id: after.teamId,
      assignee_id: after.assigneeId,
      pending_from: after.pendingFrom,
      escalation_level: after.escalationLevel,
      reopen_count: after.reopenCount,
      updated_at: now.toISOString(),
      ...(action === 'pend'
        ? (() => {
            const p = rest as unknown as Omit<InputFor<'pend'>, 'action'>;
            return {
              pending_reason: p.reason.trim(),
              pending_next_step: p.nextStep.trim(),
              pending_eta: new Date(p.eta).toISOString(),
            };
          })()
        : {}),
      ...(action === 'resume' ? { pending_reason: null, pending_next_step: null, pending_eta: null } : {}),
      ...(action === 'dispatch' || action === 'reassign' ? { dispatched_at: now.toISOString() } : {}),
      // 首问负责制 (R15): the first owner's part ends when a team has it
      ...((action === 'dispatch' || action === 'reassign') && !view.handedOverAt
        ? { handed_over_at: now.toISOString() }
        : {}),
      ...(completing
        ? (() => {
            const report = result.event.data.report as CompletionReport;
            return {
              completion: JSON.stringify({ ...report, ...completing.priced }),
              charge_amount: report.charge ?? null,
              confirmation: completing.confirmation ? JSON.stringify(completing.confirmation) : null,
              done_at: now.toISOString(),
            };
          })()
        : {}),
      ...(action === 'close' || action === 'answer' ? { closed_at: now.toISOString() } : {}),
      ...(action === 'reopen' ? { done_at: null, closed_at: null } : {}),
    };

    let stale = false;
    let followers: { id: string; communityId: string; status: string; version: number }[] = [];
    await this.db.transaction().execute(async (trx) => {
      const repo = this.tickets.with(trx);
      const applied =
        action === 'grab'
          ? await repo.applyIfPooled(id, before.teamId, values)
          : await repo.applyIfVersion(id, guardVersion!, values);
      if (!applied) {
        if (action === 'grab') throw new AppError(409, 'ALREADY_TAKEN', 'error.ALREADY_TAKEN');
        // read who changed it after this transaction: on SQLite its one connection is ours now
        stale = true;
        return;
      }
      // §6: what the resident is told of this step passes the service-language gate
      await this.language.check(trx, ctx, {
        entityType: 'ticket',
        entityId: id,
        communityId: view.communityId,
        fields: residentTexts(action, given),
        override: languageOverride ?? null,
      });
      await this.recordStep(trx, ctx, view, action, now, {
        note: result.event.note,
        data: result.event.data,
        changes: changesOf(
          {
            status: before.status,
            teamId: before.teamId,
            assigneeId: before.assigneeId,
            escalationLevel: before.escalationLevel,
          },
          {
            status: after.status,
            teamId: after.teamId,
            assigneeId: after.assigneeId,
            escalationLevel: after.escalationLevel,
          },
        ),
      });
      if (action === 'complete' || action === 'close' || action === 'reopen') {
        followers = await this.followParent(trx, ctx, { ...view, status: after.status }, action, now);
      }
    });
    const ticket = await this.afterStep(ctx, id, action, stale, true);
    for (const child of followers) await this.ticketsService.announce(child, action);
    return ticket;
  }

  /**
   * One incident, many reporters (R11): the requests linked to this one follow it. When it is
   * done, closed or reopened, so is every linked request, each on its own timeline — so every
   * reporter is told (R14) — in the parent's transaction.
   */
  private async followParent(
    trx: Kysely<DB>,
    ctx: RequestContext,
    parent: { id: string; number: string; communityId: string; status: string },
    action: 'complete' | 'close' | 'reopen',
    now: Date,
  ) {
    const repo = this.tickets.with(trx);
    const from = { complete: ['received'], close: ['done'], reopen: ['done', 'closed'] }[action];
    const followed = [];
    for (const child of await repo.children(parent.id)) {
      if (!from.includes(child.status)) continue;
      const at = now.toISOString();
      const values =
        action === 'complete'
          ? { status: 'done', done_at: at, completion: (await repo.completionOf(parent.id)) ?? null }
          : action === 'close'
            ? { status: 'closed', closed_at: at }
            : { status: 'received', done_at: null, closed_at: null };
      if (!(await repo.applyIfVersion(child.id, child.version, { ...values, updated_at: at }))) continue;
      await this.recordStep(trx, ctx, { id: child.id, communityId: child.community_id }, action, now, {
        note: `随主工单 ${parent.number}`,
        data: { followedParent: parent.id, parentNumber: parent.number },
        changes: { status: [child.status, values.status] },
      });
      followed.push({
        id: child.id,
        communityId: child.community_id,
        status: values.status,
        version: child.version + 1,
      });
    }
    return followed;
  }

  /**
   * Links a request to an open one of the same incident (R11): it is then handled with it and
   * follows its status. Only a request not yet dispatched can be linked, and only one level deep.
   */
  async link(ctx: RequestContext, id: string, input: { version: number; parentId: string }) {
    const scope = ctx.principal.scope;
    const view = await this.tickets.get(scope, id);
    if (!view) throw errors.notFound();
    if (input.parentId === id) throw errors.field('parentId', 'validation.linkSelf');
    if (view.status !== 'received' || view.teamId) {
      throw new AppError(409, 'ILLEGAL_TRANSITION', 'error.ILLEGAL_TRANSITION', {
        status: t(ctx.locale, `ticket.status.${view.status}` as MessageKey),
        action: t(ctx.locale, 'ticket.action.link'),
      });
    }
    if ((await this.tickets.children(id)).length) throw errors.field('parentId', 'validation.hasChildren');
    const parent = await this.tickets.get(scope, input.parentId);
    const problem = linkProblem(parent, view.communityId);
    if (problem || !parent) throw errors.field('parentId', problem ?? 'validation.notFound');
    return this.relink(ctx, view, parent, input.version);
  }

  /** Undoes a link (R11): the request is dispatched on its own again. */
  async unlink(ctx: RequestContext, id: string, input: { version: number }) {
    const view = await this.tickets.get(ctx.principal.scope, id);
    if (!view) throw errors.notFound();
    if (!view.parentId || view.status !== 'received') {
      throw new AppError(409, 'ILLEGAL_TRANSITION', 'error.ILLEGAL_TRANSITION', {
        status: t(ctx.locale, `ticket.status.${view.status}` as MessageKey),
        action: t(ctx.locale, 'ticket.action.unlink'),
      });
    }
    const parent = await this.tickets.brief(view.parentId);
    return this.relink(ctx, view, null, input.version, parent);
  }

  private async relink(
    ctx: RequestContext,
    child: { id: string; number: string; communityId: string; parentId: string | null },
    parent: { id: string; number: string } | null,
    version: number,
    formerParent?: { id: string; number: string },
  ) {
    const now = this.clock.now();
    const other = parent ?? formerParent;
    const type = parent ? 'link' : 'unlink';
    let stale = false;
    await this.db.transaction().execute(async (trx) => {
      const repo = this.tickets.with(trx);
      if (
        !(await repo.applyIfVersion(child.id, version, {
          parent_id: parent?.id ?? null,
          updated_at: now.toISOString(),
        }))
      ) {
        stale = true;
        return;
      }
      await this.recordStep(trx, ctx, child, type, now, {
        note: other?.number ?? null,
        data: { parentId: other?.id ?? null },
        changes: { parentId: [child.parentId, parent?.id ?? null] },
      });
      if (other) {
        // the incident's own timeline lists its reporters
        await repo.insertEvent({
          id: newId(now),
          ticket_id: other.id,
          community_id: child.communityId,
          type,
          at: now.toISOString(),
          actor_id: ctx.principal.userId === 'system' ? null : ctx.principal.userId,
          note: child.number,
          data: JSON.stringify({ childId: child.id }),
        });
      }
    });
    const ticket = await this.afterStep(ctx, child.id, type, stale, false);
    if (other) {
      const fresh = await this.tickets.brief(other.id);
      if (fresh)
        await this.ticketsService.announce({ ...fresh, communityId: child.communityId, version: 0 }, type);
    }
    return ticket;
  }

  /**
   * Adds to the timeline without changing the request: an internal note for staff, or a reply
   * the resident sees. Append-only, so it needs no version: two notes never conflict.
   */
  async addNote(
    ctx: RequestContext,
    id: string,
    input: { text: string; visibility: 'internal' | 'resident'; languageOverride?: LanguageOverrideInput },
  ) {
    const view = await this.tickets.get(ctx.principal.scope, id, await this.ticketsService.workerOf(ctx));
    if (!view) throw errors.notFound();
    const now = this.clock.now();
    const type = input.visibility === 'resident' ? 'reply' : 'note';
    await this.db.transaction().execute(async (trx) => {
      // §6: a reply the resident reads passes the service-language gate
      if (type === 'reply') {
        await this.language.check(trx, ctx, {
          entityType: 'ticket',
          entityId: id,
          communityId: view.communityId,
          fields: { text: input.text },
          override: input.languageOverride ?? null,
        });
      }
      await this.recordStep(trx, ctx, view, type, now, {
        note: input.text.trim(),
        data: { visibility: input.visibility },
      });
    });
    return this.afterStep(ctx, id, type, false, false);
  }

  /**
   * Grades a complaint (R15): valid, outside the service promise, or major. A major complaint
   * goes to the 服务中心经理: its escalation level is raised to the manager's at once.
   */
  async grade(
    ctx: RequestContext,
    id: string,
    input: { version: number; grade: ComplaintGrade; note?: string },
  ) {
    if (!hasRole(ctx.principal, ['agent', 'supervisor', 'manager', 'admin'])) throw errors.forbidden();
    const view = await this.tickets.get(ctx.principal.scope, id);
    if (!view) throw errors.notFound();
    if (view.type !== 'complaint') throw errors.field('grade', 'validation.onlyComplaints');
    const now = this.clock.now();
    const level =
      input.grade === 'major' ? Math.max(view.escalationLevel, MAJOR_COMPLAINT_LEVEL) : view.escalationLevel;
    let stale = false;
    await this.db.transaction().execute(async (trx) => {
      const applied = await this.tickets.with(trx).applyIfVersion(id, input.version, {
        complaint_grade: input.grade,
        escalation_level: level,
        updated_at: now.toISOString(),
      });
      if (!applied) {
        stale = true;
        return;
      }
      await this.recordStep(trx, ctx, view, 'grade', now, {
        note: input.note?.trim() || null,
        data: { grade: input.grade, escalationLevel: level },
        changes: {
          complaintGrade: [view.complaintGrade, input.grade],
          escalationLevel: [view.escalationLevel, level],
        },
      });
    });
    return this.afterStep(ctx, id, 'grade', stale, false);
  }

  /**
   * Records the payment of paid work (R10): the amount charged in the completion report, how it
   * was paid and the receipt. Only then may the request close.
   */
  async settle(
    ctx: RequestContext,
    id: string,
    input: { version: number; amount: number; method: string; receiptNo?: string },
  ) {
    if (!hasRole(ctx.principal, ['cashier', 'agent', 'supervisor', 'manager', 'admin']))
      throw errors.forbidden();
    const view = await this.tickets.get(ctx.principal.scope, id);
    if (!view) throw errors.notFound();
    if (!view.paid) throw errors.field('amount', 'validation.notPaidWork');
    if (view.status !== 'done' || view.chargeSettledAt !== null) {
      throw new AppError(409, 'ILLEGAL_TRANSITION', 'error.ILLEGAL_TRANSITION', {
        status: t(ctx.locale, `ticket.status.${view.status}` as MessageKey),
        action: t(ctx.locale, 'ticket.action.settle'),
      });
    }
    if (view.chargeAmount !== null && Math.abs(view.chargeAmount - input.amount) > 0.005) {
      throw errors.field('amount', 'validation.chargeMismatch', { charge: view.chargeAmount });
    }
    const now = this.clock.now();
    let stale = false;
    await this.db.transaction().execute(async (trx) => {
      const repo = this.tickets.with(trx);
      if (
        !(await repo.applyIfVersion(id, input.version, {
          charge_settled_at: now.toISOString(),
          updated_at: now.toISOString(),
        }))
      ) {
        stale = true;
        return;
      }
      const payment = {
        amount: input.amount,
        method: input.method,
        receiptNo: input.receiptNo?.trim() || null,
      };
      await this.recordStep(trx, ctx, view, 'settle', now, {
        note: null,
        data: payment,
        changes: { payment: [null, payment] },
      });
    });
    return this.afterStep(ctx, id, 'settle', stale, true);
  }

  /**
   * R26: a breached SLA clock escalates its request one level (worker → team lead → 客服主管 →
   * 服务中心经理 → 品质部), by the system (actor null), in the caller's transaction — the one that
   * records the breach. A request already at the top, or no longer open, is not escalated.
   * Returns the new level, or null.
   */
  async escalateForBreach(
    trx: Kysely<DB>,
    ticketId: string,
    target: string,
    now: Date,
  ): Promise<number | null> {
    const repo = this.tickets.with(trx);
    const row = await trx
      .selectFrom('tickets')
      .select(['community_id', 'escalation_level', 'status', 'version'])
      .where('id', '=', ticketId)
      .executeTakeFirst();
    if (!row || row.escalation_level >= MAX_ESCALATION_LEVEL) return null;
    if (!(OPEN_STATUSES as readonly string[]).includes(row.status)) return null;
    const level = row.escalation_level + 1;
    const values = { escalation_level: level, updated_at: now.toISOString() };
    if (!(await repo.applyIfVersion(ticketId, row.version, values))) return null;
    const ctx = systemContext();
    await this.recordStep(trx, ctx, { id: ticketId, communityId: row.community_id }, 'escalate', now, {
      note: t(ctx.locale, 'sla.breachEscalated', {
        target: t(ctx.locale, `sla.target.${target}` as MessageKey),
        level: t(ctx.locale, `sla.level.${level}` as MessageKey),
      }),
      data: { level, levelName: ESCALATION_LEVELS[level], breachedTarget: target },
      changes: { escalationLevel: [row.escalation_level, level] },
    });
    return level;
  }

  /** Puts one step on the timeline and in the audit trail, in the step's own transaction. */
  async recordStep(
    trx: Kysely<DB>,
    ctx: RequestContext,
    ticket: { id: string; communityId: string },
    type: string,
    now: Date,
    step: {
      note: string | null;
      data: Record<string, unknown>;
      changes?: Record<string, [unknown, unknown]>;
    },
  ) {
    await this.tickets.with(trx).insertEvent({
      id: newId(now),
      ticket_id: ticket.id,
      community_id: ticket.communityId,
      type,
      at: now.toISOString(),
      actor_id: ctx.principal.userId === 'system' ? null : ctx.principal.userId,
      note: step.note,
      data: JSON.stringify(step.data),
    });
    const actorId = ctx.principal.userId === 'system' ? null : ctx.principal.userId;
    await this.notifier.onStep(trx, ticket.id, type, step.data, now, step.note, actorId);
    await writeAudit(
      trx,
      ctx,
      {
        action: `ticket.${type}`,
        entityType: 'ticket',
        entityId: ticket.id,
        communityId: ticket.communityId,
        changes: step.changes ?? null,
      },
      now,
    );
  }

  /**
   * After a step's transaction: a stale write becomes the 409 that names who changed the request;
   * otherwise the fresh request is announced to open consoles and returned. `afterOwnAction`:
   * shown to the actor even if it is no longer theirs (a declined job, a settled charge).
   */
  private async afterStep(
    ctx: RequestContext,
    id: string,
    type: string,
    stale: boolean,
    afterOwnAction: boolean,
  ) {
    if (stale) throw await this.staleError(ctx, id);
    const ticket = await this.ticketsService.get(ctx, id, { afterOwnAction });
    await this.ticketsService.announce(ticket, type);
    return ticket;
  }

  /**
   * What completing adds to the report (R10): a charge priced from the category's published
   * list when the worker picks items from it (the total must agree with a charge they typed),
   * and the resident's confirmation — a signature drawn on the phone and uploaded to this
   * request, or a verbal confirmation by phone with a note of it.
   */
  private async prepareCompletion(view: { id: string; categoryId: string | null }, input: CompleteInput) {
    const report = { ...input.report };
    let priced: { lines: QuoteLine[]; total: number } | undefined;
    if (report.items?.length) {
      priced = await this.prices.quote(view.categoryId, report.items, { field: 'report.items' });
      if (report.charge !== undefined && Math.abs(report.charge - priced.total) > 0.005)
        throw errors.field('report.charge', 'validation.chargeNotListTotal', { charge: priced.total });
      report.charge = priced.total;
    }
    delete report.items;
    const confirmation = input.confirmation;
    if (confirmation?.method === 'signature') {
      const kind = await this.tickets.attachmentKind(view.id, confirmation.attachmentId);
      if (kind !== 'signature') throw errors.field('confirmation.attachmentId', 'validation.notSignature');
    }
    return {
      report,
      priced,
      confirmation: confirmation
        ? confirmation.method === 'signature'
          ? { method: 'signature', attachmentId: confirmation.attachmentId }
          : { method: 'verbal', note: confirmation.note.trim() }
        : null,
    };
  }

  /** The team must serve the ticket's community (or the whole company); the worker must be in it. */
  private async checkAssignment(
    ctx: RequestContext,
    communityId: string,
    input: { teamId: string; assigneeId?: string | null },
  ) {
    const team = await this.teams.get({ all: true }, input.teamId);
    if (
      !team ||
      team.archived_at !== null ||
      (team.community_id !== null && team.community_id !== communityId)
    ) {
      throw errors.field('teamId', 'validation.notFound');
    }
    if (input.assigneeId) {
      const members = await this.teams.memberIds(team.id);
      if (!members.includes(input.assigneeId)) throw errors.field('assigneeId', 'validation.notTeamMember');
    }
    void ctx;
  }

  /** A 409 that says who changed the request, when, and how (R12: never a silent overwrite). */
  private async staleError(ctx: RequestContext, id: string) {
    const last = await this.tickets.lastEvent(id);
    return new AppError(409, 'CONFLICT', 'error.STALE_TICKET', {
      who: last?.actor_name ?? '—',
      at: last ? `${last.at.slice(0, 16).replace('T', ' ')} UTC` : '',
      action: last ? t(ctx.locale, `ticket.action.${last.type}` as MessageKey) : '—',
    });
  }
}

/** A price list that can price paid work from its items (the categories module's). */
export interface PriceList {
  quote(
    categoryId: string | null,
    items: readonly { priceId: string; quantity: number }[],
    options?: { field?: string },
  ): Promise<{ lines: QuoteLine[]; total: number }>;
}

interface QuoteLine {
  priceId: string;
  name: string;
  unit: string;
  price: number;
  quantity: number;
  amount: number;
}

/** The body of a completion as the API takes it. */
interface CompleteInput {
  report: CompletionReport & { items?: { priceId: string; quantity: number }[] };
  confirmation?: { method: 'signature'; attachmentId: string } | { method: 'verbal'; note: string };
}
