import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { nextInTurn } from '../../../domain/dispatch.js';
import { maskPhone } from '../../../domain/names.js';
import {
  invalidScore,
  needsVisit,
  poorDimensions,
  SCORE_DIMENSIONS,
  type Scores,
  sampleBucket,
  VISIT_KINDS,
  type VisitKind,
  type VisitMode,
  type VisitOutcome,
  type VisitPolicy,
  type VisitView,
  visitAttemptEffect,
  visitKindOf,
} from '../../../domain/return-visits.js';
import { changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { type RequestContext, systemContext } from '../../platform/context.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError, errors } from '../../platform/errors.js';
import { isLocale, t } from '../../platform/i18n/i18n.js';
import type { Locale, MessageKey } from '../../platform/i18n/messages.js';
import { newId } from '../../platform/ids.js';
import { decodeCursor, encodeCursor } from '../../platform/schemas.js';
import type { NotificationsRepository } from '../notifications/notifications.repository.js';
import { recipientOf, type TicketNotifier } from '../notifications/notifications.service.js';
import { escalationRecipients } from '../notifications/notifications.staff.js';
import type { TicketActionsService } from '../tickets/tickets.actions.js';
import type { TicketsService } from '../tickets/tickets.service.js';
import type { RatingRow, VisitRecord, VisitsRepository, VisitTicket } from './visits.repository.js';

const DAY_MS = 24 * 3_600_000;
/** R24: when no return_visit clock runs (its policy turned off), a visit is still due in 3 days. */
const DEFAULT_DUE_MS = 3 * DAY_MS;
const MAX_TURN_ATTEMPTS = 5;

export interface VisitsOptions {
  /** Where residents reach the public rating page: `${publicUrl}/r/<token>`. */
  publicUrl: string;
  /** How long a rating link stays valid (RATING_LINK_DAYS). */
  linkDays: number;
}

/** The base64url SHA-256 of a rating token: the only form in which a token is stored. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

function summary(content: string, max = 40): string {
  const chars = [...content.replace(/\s+/g, ' ').trim()];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}

function workOf(completion: string | null): string | null {
  if (!completion) return null;
  try {
    const report = JSON.parse(completion) as { work?: unknown };
    return typeof report.work === 'string' ? report.work : null;
  } catch {
    return null;
  }
}

function scoresOf(row: Pick<RatingRow, 'overall' | 'speed' | 'attitude' | 'quality'>): Scores {
  return { overall: row.overall, speed: row.speed, attitude: row.attitude, quality: row.quality };
}

export function ratingView(row: RatingRow) {
  return {
    id: row.id,
    source: row.source as 'link' | 'visit',
    visitId: row.visit_id,
    ...scoresOf(row),
    comment: row.comment,
    createdAt: row.created_at,
  };
}

/** Someone not logged in: the resident on the rating page. The timeline shows no actor for them. */
export function residentContext(ip: string | null, locale: Locale, requestId: string): RequestContext {
  return {
    principal: {
      kind: 'user',
      id: 'anonymous',
      userId: 'system',
      name: 'resident (rating link)',
      employeeNo: null,
      roles: [],
      scope: { all: false, communityIds: [] },
    },
    requestId,
    ip,
    locale,
  };
}

/**
 * Return visits (回访) and satisfaction, §5 R33–R34. A finished request gets a visit task by the
 * policy of its kind and its sampling, due with its return_visit clock (R24, 3 days), assigned to
 * the community's agents in turn; or, owed none, its clock is cancelled by a `return_visit_skipped`
 * step. The resident gets a one-time rating link. The agent logs attempts (retried on a schedule,
 * closed as unreachable after three) and, on reaching the resident, the result: resolved or not
 * and four 1–5 scores. The visit done (or closed) is a `return_visit` step that meets the clock;
 * "not resolved" reopens the request through the ticket's own reopen action; a poor score opens a
 * complaint follow-up for the 客服主管 and alerts them.
 */
export class VisitsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly repo: VisitsRepository,
    private readonly outbox: NotificationsRepository,
    /** The channel residents' messages and staff alerts go out on. */
    private readonly channel: string,
    private readonly tickets: TicketsService,
    private readonly actions: TicketActionsService,
    private readonly clock: Clock,
    private readonly options: VisitsOptions,
  ) {}

  // ---- the ticket steps (called by ReturnVisitHook, in the step's transaction) ----

  async onStep(trx: Kysely<DB>, ticketId: string, step: string, now: Date): Promise<void> {
    if (step === 'complete') await this.onComplete(trx, ticketId, now);
    else if (step === 'reopen') await this.onReopen(trx, ticketId, now);
  }

  private async onComplete(trx: Kysely<DB>, ticketId: string, now: Date) {
    const repo = this.repo.with(trx);
    const ticket = await repo.ticket(ticketId);
    if (!ticket) return;
    const kind = visitKindOf(ticket);
    const row = await repo.policy(kind);
    const policy: VisitPolicy | undefined = row
      ? { kind, mode: row.mode as VisitMode, samplePercent: row.sample_percent }
      : undefined;
    if (!(await repo.openOf(ticketId))) {
      if (needsVisit(policy, ticketId)) await this.createVisit(trx, ticket, policy!, now);
      else {
        // owed no visit: its clock must not breach for nothing (R24)
        await this.actions.recordStep(trx, systemContext(), ticket, 'return_visit_skipped', now, {
          note: null,
          data: {
            kind,
            mode: policy?.mode ?? 'none',
            samplePercent: policy?.samplePercent ?? 0,
            bucket: sampleBucket(ticketId),
          },
        });
      }
    }
    await this.sendLink(trx, ticket, now);
  }

  private async createVisit(trx: Kysely<DB>, ticket: VisitTicket, policy: VisitPolicy, now: Date) {
    const repo = this.repo.with(trx);
    const at = now.toISOString();
    // due with the request's return_visit clock, which the complete step has just started
    const dueAt = (await repo.clockDue(ticket.id)) ?? new Date(now.getTime() + DEFAULT_DUE_MS).toISOString();
    const assigneeId = await this.nextAgent(trx, ticket.communityId, at);
    const id = newId(now);
    await repo.insertVisit({
      id,
      ticket_id: ticket.id,
      community_id: ticket.communityId,
      open_ticket_id: ticket.id,
      kind: policy.kind,
      mode: policy.mode,
      status: 'open',
      assignee_id: assigneeId,
      completed_at: at,
      due_at: dueAt,
      attempts: 0,
      next_attempt_at: null,
      last_outcome: null,
      close_reason: null,
      resolved: null,
      rating_id: null,
      comment: null,
      version: 1,
      created_at: at,
      updated_at: at,
      done_at: null,
    });
    await writeAudit(
      trx,
      systemContext(),
      {
        action: 'return_visit.create',
        entityType: 'return_visit',
        entityId: id,
        communityId: ticket.communityId,
        changes: changesOf(null, {
          ticketId: ticket.id,
          kind: policy.kind,
          mode: policy.mode,
          dueAt,
          assigneeId,
        }),
      },
      now,
    );
  }

  /**
   * Round-robin among the community's active agents: whoever waited longest since their last
   * visit goes next, claimed by a conditional update so two servers never give one turn twice.
   * Nobody (or others keep winning the turn): the visit waits unassigned in the `due` queue.
   */
  private async nextAgent(trx: Kysely<DB>, communityId: string, at: string): Promise<string | null> {
    const repo = this.repo.with(trx);
    for (let attempt = 0; attempt < MAX_TURN_ATTEMPTS; attempt++) {
      const next = nextInTurn(await repo.agentsIn(communityId));
      if (!next) return null;
      if (await repo.takeTurn(next.userId, next.lastAssignedAt, at)) return next.userId;
    }
    return null;
  }

  /**
   * R34: the resident's one-time rating link, sent through the outbox beside the 'complete'
   * message. Only the token's hash is stored; an earlier unused link of the request expires now.
   */
  private async sendLink(trx: Kysely<DB>, ticket: VisitTicket, now: Date) {
    const outbox = this.outbox.with(trx);
    const facts = await outbox.ticketFacts(ticket.id);
    const recipient = facts ? recipientOf(facts) : null;
    if (!facts || !recipient?.phone) return;
    const at = now.toISOString();
    await trx
      .updateTable('rating_links')
      .set({ expires_at: at })
      .where('ticket_id', '=', ticket.id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', at)
      .execute();
    const token = randomBytes(32).toString('base64url');
    await this.repo.with(trx).insertLink({
      id: newId(now),
      ticket_id: ticket.id,
      community_id: ticket.communityId,
      token_hash: tokenHash(token),
      expires_at: new Date(now.getTime() + this.options.linkDays * DAY_MS).toISOString(),
      used_at: null,
      rating_id: null,
      created_at: at,
    });
    const locale: Locale = 'zh-CN';
    const url = `${this.options.publicUrl.replace(/\/+$/, '')}/r/${token}`;
    const invitation = t(locale, 'notify.ratingLink', { url, days: this.options.linkDays });
    // one text, not two: the invitation joins the 'complete' message the resident is sent now
    // (R14), before its sign-off; only without one does it go out on its own
    const told = await this.repo.with(trx).completeMessage(ticket.id, at);
    if (told) {
      const suffix =
        (facts.hotline ? t(locale, 'notify.help', { hotline: facts.hotline }) : '') +
        t(locale, 'notify.closing', { community: facts.communityName });
      const body = told.body.endsWith(suffix)
        ? `${told.body.slice(0, told.body.length - suffix.length)}${invitation}${suffix}`
        : `${told.body}${invitation}`;
      await this.repo.with(trx).setMessageBody(told.id, body);
      return;
    }
    const body = [
      facts.companyName ? t(locale, 'notify.sign', { company: facts.companyName }) : '',
      recipient.greeting ? t(locale, 'notify.greeting', { name: recipient.greeting }) : '',
      t(locale, 'notify.rating', { number: facts.number, url, days: this.options.linkDays }),
      t(locale, 'notify.closing', { community: facts.communityName }),
    ].join('');
    await outbox.insert({
      id: newId(now),
      ticket_id: facts.id,
      community_id: facts.communityId,
      event: 'rating',
      channel: this.channel,
      recipient_name: recipient.name,
      recipient_phone: recipient.phone,
      resident_id: recipient.residentId,
      body,
      status: 'queued',
      attempts: 0,
      next_attempt_at: at,
      last_error: null,
      created_at: at,
      sent_at: null,
    });
  }

  /** A request reopened by anyone: its open visit is moot (the reopen met its clock). */
  private async onReopen(trx: Kysely<DB>, ticketId: string, now: Date) {
    const repo = this.repo.with(trx);
    const open = await repo.openOf(ticketId);
    if (!open) return;
    const at = now.toISOString();
    await repo.applyIfVersion(open.id, open.version, {
      status: 'closed',
      close_reason: 'reopened',
      open_ticket_id: null,
      next_attempt_at: null,
      done_at: at,
      updated_at: at,
    });
    await writeAudit(
      trx,
      systemContext(),
      {
        action: 'return_visit.close',
        entityType: 'return_visit',
        entityId: open.id,
        communityId: open.community_id,
        changes: { status: [open.status, 'closed'], closeReason: [null, 'reopened'] },
      },
      now,
    );
  }

  // ---- ratings and follow-ups, shared by the visit and the link ----

  /**
   * Stores a rating and, for a poor score on any dimension (R34), opens a complaint follow-up
   * for the community's 客服主管 — passed up to the 经理 when there is none — and alerts them.
   */
  async recordRating(
    trx: Kysely<DB>,
    ctx: RequestContext,
    ticket: VisitTicket,
    input: Scores & { comment: string | null; source: 'link' | 'visit'; visitId: string | null },
    now: Date,
  ): Promise<{ ratingId: string; followupId: string | null }> {
    const repo = this.repo.with(trx);
    const ratingId = newId(now);
    const at = now.toISOString();
    await repo.insertRating({
      id: ratingId,
      ticket_id: ticket.id,
      community_id: ticket.communityId,
      source: input.source,
      visit_id: input.visitId,
      overall: input.overall,
      speed: input.speed,
      attitude: input.attitude,
      quality: input.quality,
      comment: input.comment,
      created_by: ctx.principal.userId === 'system' ? null : ctx.principal.userId,
      created_at: at,
    });
    const poor = poorDimensions(input);
    if (!poor.length) return { ratingId, followupId: null };
    const { users } = await escalationRecipients(trx, { communityId: ticket.communityId, teamId: null }, 2);
    const followupId = newId(now);
    await repo.insertFollowup({
      id: followupId,
      ticket_id: ticket.id,
      community_id: ticket.communityId,
      rating_id: ratingId,
      visit_id: input.visitId,
      reason: poor.join(','),
      status: 'open',
      assignee_id: users[0]?.id ?? null,
      outcome: null,
      closed_by: null,
      closed_at: null,
      version: 1,
      created_at: at,
    });
    await writeAudit(
      trx,
      ctx,
      {
        action: 'visit_followup.open',
        entityType: 'visit_followup',
        entityId: followupId,
        communityId: ticket.communityId,
        changes: changesOf(null, {
          ticketId: ticket.id,
          reason: poor.join(','),
          assigneeId: users[0]?.id ?? null,
        }),
      },
      now,
    );
    await this.outbox.with(trx).insertMany(
      users.map((user) => {
        const locale: Locale = user.locale && isLocale(user.locale) ? user.locale : 'zh-CN';
        const scores = SCORE_DIMENSIONS.map(
          (d) => `${t(locale, `visit.dimension.${d}` as MessageKey)}${input[d]}`,
        ).join(locale === 'en' ? ', ' : '、');
        return {
          id: newId(now),
          ticket_id: ticket.id,
          community_id: ticket.communityId,
          event: 'visit_followup',
          channel: this.channel,
          recipient_name: user.name,
          recipient_phone: user.phone,
          resident_id: null,
          user_id: user.id,
          read_at: null,
          body: t(locale, 'alert.visitFollowup', {
            number: ticket.number,
            community: ticket.communityName,
            scores,
            comment: input.comment?.trim().replace(/[。.！!]+$/, '') || t(locale, 'visit.noComment'),
          }),
          status: 'queued',
          attempts: 0,
          next_attempt_at: at,
          last_error: null,
          created_at: at,
          sent_at: null,
        };
      }),
    );
    return { ratingId, followupId };
  }

  /** A step on the request's timeline (and audit trail), in the caller's transaction. */
  recordStepFor(
    trx: Kysely<DB>,
    ctx: RequestContext,
    ticket: { id: string; communityId: string },
    type: string,
    now: Date,
    step: { note: string | null; data: Record<string, unknown> },
  ) {
    return this.actions.recordStep(trx, ctx, ticket, type, now, step);
  }

  // ---- the desk's API ----

  toView(row: VisitRecord, rating: RatingRow | undefined, now: Date = this.clock.now()) {
    const phone = row.resident_phone ?? row.caller_phone;
    const open = row.status === 'open' || row.status === 'reached';
    return {
      id: row.id,
      ticketId: row.ticket_id,
      ticketNumber: row.ticket_number,
      ticketType: row.ticket_type,
      ticketStatus: row.ticket_status,
      communityId: row.community_id,
      communityName: row.community_name,
      content: summary(row.ticket_content),
      work: workOf(row.ticket_completion),
      worker: row.worker_name ? { name: row.worker_name, employeeNo: row.worker_employee_no ?? '' } : null,
      residentId: row.resident_id,
      residentName: row.resident_name ?? row.caller_name,
      phone: phone ? maskPhone(phone) : null,
      kind: row.kind as VisitKind,
      mode: row.mode as VisitMode,
      status: row.status as 'open' | 'reached' | 'done' | 'closed',
      assignee: row.assignee_id
        ? { id: row.assignee_id, name: row.assignee_name ?? '', employeeNo: row.assignee_employee_no ?? '' }
        : null,
      completedAt: row.completed_at,
      dueAt: row.due_at,
      remainingMs: open ? new Date(row.due_at).getTime() - now.getTime() : null,
      attempts: row.attempts,
      nextAttemptAt: row.next_attempt_at,
      lastOutcome: row.last_outcome as VisitOutcome | null,
      closeReason: row.close_reason,
      resolved: row.resolved === null ? null : row.resolved === 1,
      rating: rating ? ratingView(rating) : null,
      version: row.version,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      doneAt: row.done_at,
    };
  }

  async list(
    ctx: RequestContext,
    q: {
      view?: VisitView;
      status?: 'open' | 'finished' | 'any';
      communityId?: string;
      cursor?: string;
      limit?: number;
    },
  ) {
    const limit = q.limit ?? 50;
    const raw = decodeCursor(q.cursor);
    const sep = raw?.lastIndexOf('|') ?? -1;
    const after = raw && sep > 0 ? { at: raw.slice(0, sep), id: raw.slice(sep + 1) } : undefined;
    const now = this.clock.now();
    const rows = await this.repo.list(ctx.principal.scope, {
      view: q.view ?? 'all',
      userId: ctx.principal.userId,
      status: q.status ?? 'open',
      communityId: q.communityId,
      now: now.toISOString(),
      after,
      limit,
    });
    const items = rows.slice(0, limit);
    const ratings = await Promise.all(
      items.map((r) => (r.rating_id ? this.repo.rating(r.rating_id) : undefined)),
    );
    const last = items[items.length - 1];
    return {
      items: items.map((r, i) => this.toView(r, ratings[i], now)),
      nextCursor: rows.length > limit && last ? encodeCursor(`${last.due_at}|${last.id}`) : null,
    };
  }

  async get(ctx: RequestContext, id: string) {
    const row = await this.repo.get(ctx.principal.scope, id);
    if (!row) throw errors.notFound();
    return this.detail(row);
  }

  private async detail(row: VisitRecord) {
    const [attempts, rating] = await Promise.all([
      this.repo.attempts(row.id),
      row.rating_id ? this.repo.rating(row.rating_id) : undefined,
    ]);
    return {
      ...this.toView(row, rating),
      attemptLog: attempts.map((a) => ({
        id: a.id,
        at: a.at,
        outcome: a.outcome as VisitOutcome,
        note: a.note,
        user: { id: a.user_id, name: a.user_name, employeeNo: a.user_employee_no },
      })),
    };
  }

  private async openVisit(ctx: RequestContext, id: string, version: number, allowed: readonly string[]) {
    const row = await this.repo.get(ctx.principal.scope, id);
    if (!row) throw errors.notFound();
    if (!allowed.includes(row.status)) {
      if (row.status === 'open' && allowed.includes('reached'))
        throw new AppError(409, 'VISIT_NOT_REACHED', 'error.VISIT_NOT_REACHED');
      throw errors.conflict('error.VISIT_NOT_OPEN', {
        status: t(ctx.locale, `visit.status.${row.status}` as MessageKey),
      });
    }
    if (row.version !== version) throw errors.conflict();
    return row;
  }

  /**
   * Logs one attempt to reach the resident: reached → the result is recorded next; refused →
   * closed; no answer / busy → retried +2 h, then the next day at 10:00 (community time), and
   * closed as unreachable after the third. A closed visit is done: a `return_visit` step meets
   * the request's clock.
   */
  async attempt(
    ctx: RequestContext,
    id: string,
    input: { version: number; outcome: VisitOutcome; note?: string | null },
  ) {
    const row = await this.openVisit(ctx, id, input.version, ['open']);
    const now = this.clock.now();
    const at = now.toISOString();
    const effect = visitAttemptEffect(input.outcome, row.attempts, now, row.time_zone);
    const note = input.note?.trim() || null;
    const values = {
      attempts: row.attempts + 1,
      last_outcome: input.outcome,
      updated_at: at,
      ...(effect.status === 'reached' ? { status: 'reached', next_attempt_at: null } : {}),
      ...(effect.status === 'open' ? { next_attempt_at: effect.retryAt.toISOString() } : {}),
      ...(effect.status === 'closed'
        ? {
            status: 'closed',
            close_reason: effect.reason,
            open_ticket_id: null,
            next_attempt_at: null,
            done_at: at,
          }
        : {}),
    };
    const applied = await this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      if (!(await repo.applyIfVersion(id, row.version, values))) return false;
      await repo.insertAttempt({
        id: newId(now),
        visit_id: id,
        at,
        user_id: ctx.principal.userId,
        outcome: input.outcome,
        note,
      });
      await writeAudit(
        trx,
        ctx,
        {
          action: 'return_visit.attempt',
          entityType: 'return_visit',
          entityId: id,
          communityId: row.community_id,
          changes: {
            ...changesOf(
              { status: row.status, attempts: row.attempts, nextAttemptAt: row.next_attempt_at },
              {
                status: values.status ?? row.status,
                attempts: values.attempts,
                nextAttemptAt:
                  values.next_attempt_at === undefined ? row.next_attempt_at : values.next_attempt_at,
              },
            ),
            outcome: [row.last_outcome, input.outcome],
          },
        },
        now,
      );
      if (effect.status === 'closed') {
        await this.actions.recordStep(
          trx,
          ctx,
          { id: row.ticket_id, communityId: row.community_id },
          'return_visit',
          now,
          { note, data: { visitId: id, closed: effect.reason, attempts: values.attempts } },
        );
      }
      return true;
    });
    if (!applied) throw errors.conflict();
    return this.get(ctx, id);
  }

  /**
   * The result of a visit that reached the resident (R33 R34): resolved or not, four 1–5 scores
   * and a comment. The visit is done and its clock met; a poor score opens a follow-up; "not
   * resolved" then reopens the request through its own reopen action (version check, timeline,
   * audit, the resident told), counted in its reopen count (R13).
   */
  async result(
    ctx: RequestContext,
    id: string,
    input: Scores & { version: number; resolved: boolean; comment?: string | null },
  ) {
    const bad = invalidScore(input as unknown as Record<string, unknown>);
    if (bad) throw errors.field(bad, 'validation.score');
    const row = await this.openVisit(ctx, id, input.version, ['reached']);
    const ticket = await this.repo.ticket(row.ticket_id);
    if (!ticket) throw errors.notFound();
    const now = this.clock.now();
    const at = now.toISOString();
    const comment = input.comment?.trim() || null;
    const scores: Scores = {
      overall: input.overall,
      speed: input.speed,
      attitude: input.attitude,
      quality: input.quality,
    };
    const applied = await this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      if (
        !(await repo.applyIfVersion(id, row.version, {
          status: 'done',
          open_ticket_id: null,
          resolved: input.resolved ? 1 : 0,
          comment,
          done_at: at,
          updated_at: at,
        }))
      )
        return false;
      const rated = await this.recordRating(
        trx,
        ctx,
        ticket,
        { ...scores, comment, source: 'visit', visitId: id },
        now,
      );
      await repo.setRating(id, rated.ratingId);
      await writeAudit(
        trx,
        ctx,
        {
          action: 'return_visit.result',
          entityType: 'return_visit',
          entityId: id,
          communityId: row.community_id,
          changes: changesOf(
            { status: row.status, resolved: null },
            { status: 'done', resolved: input.resolved, ...scores, comment },
          ),
        },
        now,
      );
      await this.actions.recordStep(
        trx,
        ctx,
        { id: row.ticket_id, communityId: row.community_id },
        'return_visit',
        now,
        {
          note: comment,
          data: { visitId: id, resolved: input.resolved, ...scores, followupId: rated.followupId },
        },
      );
      return true;
    });
    if (!applied) throw errors.conflict();
    if (!input.resolved) await this.reopen(ctx, ticket, comment);
    return this.get(ctx, id);
  }

  /**
   * "Not resolved" (R33): the request is reopened through its own action, right after the result
   * is saved. A request linked to an incident (R11) reopens the incident, which takes its reporters
   * with it. A request someone else has reopened meanwhile is left as it is; a stale version is
   * read again and retried.
   */
  private async reopen(ctx: RequestContext, ticket: VisitTicket, comment: string | null): Promise<boolean> {
    const targetId = ticket.parentId ?? ticket.id;
    const reason = t(ctx.locale, 'visit.reopenReason', {
      comment: comment ?? t(ctx.locale, 'visit.noComment'),
    });
    for (let attempt = 0; attempt < 3; attempt++) {
      const target = await this.repo.ticket(targetId);
      if (!target || !['done', 'closed'].includes(target.status)) return false;
      try {
        await this.actions.act(ctx, targetId, 'reopen', { reason, version: target.version });
        return true;
      } catch (error) {
        if (error instanceof AppError && error.status === 409) continue;
        throw error;
      }
    }
    return false;
  }

  /** A request's visits, ratings, rating links and follow-ups, for its detail page. */
  async forTicket(ctx: RequestContext, ticketId: string) {
    await this.tickets.get(ctx, ticketId);
    const [visits, ratings, links, followups] = await Promise.all([
      this.repo.forTicket(ticketId),
      this.repo.ratingsOf(ticketId),
      this.repo.linksOf(ticketId),
      this.repo.followupsOf(ticketId),
    ]);
    const byId = new Map(ratings.map((r) => [r.id, r]));
    const now = this.clock.now();
    return {
      visits: visits.map((v) => this.toView(v, v.rating_id ? byId.get(v.rating_id) : undefined, now)),
      ratings: ratings.map(ratingView),
      links: links.map((l) => ({
        id: l.id,
        createdAt: l.created_at,
        expiresAt: l.expires_at,
        usedAt: l.used_at,
        status: (l.used_at ? 'used' : l.expires_at <= now.toISOString() ? 'expired' : 'sent') as
          | 'used'
          | 'expired'
          | 'sent',
      })),
      followups: followups.map((f) => this.followupView(f)),
    };
  }

  // ---- policies ----

  async policies() {
    const rows = await this.repo.policies();
    const byKind = new Map(rows.map((r) => [r.kind, r]));
    return {
      items: VISIT_KINDS.filter((k) => byKind.has(k)).map((kind) => {
        const r = byKind.get(kind)!;
        return {
          kind,
          mode: r.mode as VisitMode,
          samplePercent: r.sample_percent,
          updatedAt: r.updated_at,
        };
      }),
    };
  }

  /** Sets the policies of the kinds given (the others stay); each change audited. */
  async setPolicies(
    ctx: RequestContext,
    input: { policies: { kind: VisitKind; mode: VisitMode; samplePercent: number }[] },
  ) {
    const seen = new Set<string>();
    input.policies.forEach((p, i) => {
      if (seen.has(p.kind)) throw errors.field(`policies/${i}/kind`, 'validation.invalid');
      seen.add(p.kind);
    });
    const now = this.clock.now();
    const at = now.toISOString();
    await this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      for (const p of input.policies) {
        const before = await repo.policy(p.kind);
        if (!before) continue;
        const changes = changesOf(
          { mode: before.mode, samplePercent: before.sample_percent },
          { mode: p.mode, samplePercent: p.samplePercent },
        );
        if (!Object.keys(changes).length) continue;
        await repo.updatePolicy(p.kind, {
          mode: p.mode,
          sample_percent: p.samplePercent,
          updated_at: at,
          updated_by: ctx.principal.userId === 'system' ? null : ctx.principal.userId,
        });
        await writeAudit(
          trx,
          ctx,
          {
            action: 'return_visit_policy.update',
            entityType: 'return_visit_policy',
            entityId: p.kind,
            changes,
          },
          now,
        );
      }
    });
    return this.policies();
  }

  // ---- follow-ups ----

  private followupView(f: Awaited<ReturnType<VisitsRepository['followupsOf']>>[number]) {
    return {
      id: f.id,
      ticketId: f.ticket_id,
      ticketNumber: f.ticket_number,
      communityId: f.community_id,
      visitId: f.visit_id,
      reason: f.reason.split(',').filter(Boolean),
      rating: {
        source: f.rating_source as 'link' | 'visit',
        overall: f.overall,
        speed: f.speed,
        attitude: f.attitude,
        quality: f.quality,
        comment: f.rating_comment,
      },
      status: f.status as 'open' | 'closed',
      assignee: f.assignee_id
        ? { id: f.assignee_id, name: f.assignee_name ?? '', employeeNo: f.assignee_employee_no ?? '' }
        : null,
      outcome: f.outcome,
      closedBy: f.closed_by ? { id: f.closed_by, name: f.closer_name ?? '' } : null,
      closedAt: f.closed_at,
      version: f.version,
      createdAt: f.created_at,
    };
  }

  async followups(
    ctx: RequestContext,
    q: { status?: 'open' | 'closed' | 'any'; view?: 'mine' | 'all'; cursor?: string; limit?: number },
  ) {
    const limit = q.limit ?? 50;
    const rows = await this.repo.followups(ctx.principal.scope, {
      status: q.status ?? 'open',
      mine: q.view === 'mine' ? ctx.principal.userId : null,
      afterId: decodeCursor(q.cursor),
      limit,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((f) => this.followupView(f)),
      nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null,
    };
  }

  /** Closes a follow-up with what was done for the resident (R34); audited. */
  async closeFollowup(ctx: RequestContext, id: string, input: { version: number; outcome: string }) {
    const row = await this.repo.followup(ctx.principal.scope, id);
    if (!row) throw errors.notFound();
    if (row.status !== 'open') throw errors.conflict('error.FOLLOWUP_CLOSED');
    if (row.version !== input.version) throw errors.conflict();
    const now = this.clock.now();
    const outcome = input.outcome.trim();
    const applied = await this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      if (
        !(await repo.applyFollowupIfVersion(id, row.version, {
          status: 'closed',
          outcome,
          closed_by: ctx.principal.userId,
          closed_at: now.toISOString(),
        }))
      )
        return false;
      await writeAudit(
        trx,
        ctx,
        {
          action: 'visit_followup.close',
          entityType: 'visit_followup',
          entityId: id,
          communityId: row.community_id,
          changes: { status: ['open', 'closed'], outcome: [null, outcome] },
        },
        now,
      );
      return true;
    });
    if (!applied) throw errors.conflict();
    return this.followupView((await this.repo.followup(ctx.principal.scope, id))!);
  }
}

/**
 * Hears every ticket step in the step's transaction (beside the notifiers and the SLA clocks,
 * after the clocks: the visit is due with the return_visit clock the 'complete' step starts, and
 * a skipped visit's step must find that clock to cancel it). Bound to the service once the ticket
 * services it records steps through exist.
 */
export class ReturnVisitHook implements TicketNotifier {
  private service: VisitsService | null = null;

  bind(service: VisitsService) {
    this.service = service;
  }

  async onStep(trx: Kysely<DB>, ticketId: string, step: string, _data: Record<string, unknown>, now: Date) {
    if (step !== 'complete' && step !== 'reopen') return;
    if (!this.service) throw new Error('ReturnVisitHook is not bound to the visits service');
    await this.service.onStep(trx, ticketId, step, now);
  }
}
