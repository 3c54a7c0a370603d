import type { Kysely } from 'kysely';
import {
  type Actor,
  type InputFor,
  type LifecycleTicket,
  type TicketAction,
  transition,
} from '../../../domain/ticket-lifecycle.js';
import {
  type ComplaintGrade,
  MAJOR_COMPLAINT_LEVEL,
  type TicketStatus,
  type TicketType,
} from '../../../domain/tickets.js';
import { changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { hasRole, type RequestContext } from '../../platform/context.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError, errors } from '../../platform/errors.js';
import type { EventBus } from '../../platform/events.js';
import { t } from '../../platform/i18n/i18n.js';
import type { MessageKey } from '../../platform/i18n/messages.js';
import { newId } from '../../platform/ids.js';
import type { TeamsRepository } from '../teams/teams.repository.js';
import type { TicketsRepository } from './tickets.repository.js';
import type { TicketsService } from './tickets.service.js';

type Input<A extends TicketAction> = Omit<InputFor<A>, 'action'> & { version?: number };

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
    private readonly events: EventBus,
  ) {}

  async act<A extends TicketAction>(ctx: RequestContext, id: string, action: A, input: Input<A>) {
    const scope = ctx.principal.scope;
    const view = await this.tickets.get(scope, id, await this.ticketsService.workerOf(ctx));
    if (!view) throw errors.notFound();
    const before = await this.tickets.lifecycleOf(id);
    if (!before) throw errors.notFound();

    if (action === 'dispatch' || action === 'reassign') {
      await this.checkAssignment(ctx, view.communityId, input as unknown as Input<'dispatch'>);
    }
    const actor: Actor = {
      id: ctx.principal.userId,
      roles: ctx.principal.roles,
      teamIds: await this.tickets.teamIdsOf(ctx.principal.userId),
    };
    const { version, ...rest } = input;
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
      ...(action === 'complete'
        ? (() => {
            const report = (rest as unknown as Omit<InputFor<'complete'>, 'action'>).report;
            return {
              completion: JSON.stringify(report),
              charge_amount: report.charge ?? null,
              done_at: now.toISOString(),
            };
          })()
        : {}),
      ...(action === 'close' || action === 'answer' ? { closed_at: now.toISOString() } : {}),
      ...(action === 'reopen' ? { done_at: null, closed_at: null } : {}),
    };

    let stale = false;
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
    });
    return this.afterStep(ctx, id, action, stale, true);
  }

  /**
   * Adds to the timeline without changing the request: an internal note for staff, or a reply
   * the resident sees. Append-only, so it needs no version: two notes never conflict.
   */
  async addNote(
    ctx: RequestContext,
    id: string,
    input: { text: string; visibility: 'internal' | 'resident' },
  ) {
    const view = await this.tickets.get(ctx.principal.scope, id, await this.ticketsService.workerOf(ctx));
    if (!view) throw errors.notFound();
    const now = this.clock.now();
    const type = input.visibility === 'resident' ? 'reply' : 'note';
    await this.db.transaction().execute(async (trx) => {
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

  /** Puts one step on the timeline and in the audit trail, in the step's own transaction. */
  private async recordStep(
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
