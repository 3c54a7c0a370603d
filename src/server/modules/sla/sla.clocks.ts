import type { Kysely } from 'kysely';
import { businessTimeBetween } from '../../../domain/business-time.js';
import {
  type ClockTerms,
  clockEffect,
  covers,
  deadlines,
  nextFireAt,
  policyFor,
  SLA_TARGETS,
  type SlaTarget,
  targetApplies,
} from '../../../domain/sla.js';
import type { DB } from '../../platform/db/schema.js';
import { newId } from '../../platform/ids.js';
import type { TicketNotifier } from '../notifications/notifications.service.js';
import { type ClockRow, type SlaRepository, termsOf } from './sla.repository.js';

/**
 * Hands every ticket step to several hooks in turn, in the step's transaction: the resident's
 * notifier (R14) and the SLA clocks both hear every step without the ticket services knowing.
 */
export function combineStepHooks(...hooks: TicketNotifier[]): TicketNotifier {
  return {
    async onStep(trx, ticketId, step, data, now, note, actorId) {
      for (const hook of hooks) await hook.onStep(trx, ticketId, step, data, now, note, actorId);
    },
  };
}

/** Steps that can touch a clock (see the table in domain/sla); all others are skipped unread. */
const CLOCK_STEPS = new Set([
  'created',
  'dispatch',
  'reassign',
  'grab',
  'accept',
  'decline',
  'arrive',
  'start',
  'emergency_rescuers_arrived',
  'reply',
  'escalate',
  'pend',
  'resume',
  'complete',
  'close',
  'answer',
  'reopen',
  'cancel',
  'link',
  // §5 R24 R33: the return visit done, or not owed under its policy
  'return_visit',
  'return_visit_skipped',
]);

/**
 * The clocks of a ticket, moved by its steps (§3): started, met, paused, resumed and cancelled as
 * the step table in domain/sla says, each change written with its clock event in the step's own
 * transaction — a clock changes if and only if its step committed.
 */
export class SlaClocks implements TicketNotifier {
  constructor(private readonly repo: SlaRepository) {}

  async onStep(
    trx: Kysely<DB>,
    ticketId: string,
    step: string,
    data: Record<string, unknown>,
    now: Date,
  ): Promise<void> {
    if (!CLOCK_STEPS.has(step)) return;
    // the system's escalation on a breach (R26) moves no clock: skip reading anything for it
    if (step === 'escalate' && data.breachedTarget) return;
    // the step's transaction only: on SQLite another connection would wait for it forever
    const repo = this.repo.with(trx);
    const ticket = await repo.ticketFacts(ticketId);
    if (!ticket) return;
    const effect = clockEffect(step, data, ticket);
    const at = now.toISOString();
    // a request being created has no clocks yet: one statement less on every intake
    const open = step === 'created' ? [] : await repo.openClocks(ticketId);
    const events: { clock: ClockRow; type: string; data?: Record<string, unknown> }[] = [];

    for (const clock of open) {
      const target = clock.target as SlaTarget;
      if (effect.cancel === 'all' || effect.cancel.includes(target) || effect.restart.includes(target)) {
        await repo.updateClock(clock.id, {
          status: clock.status === 'breached' ? 'breached' : 'cancelled',
          ended_at: at,
          next_fire_at: null,
          paused_at: null,
        });
        events.push({ clock, type: 'cancel', data: { step } });
      } else if (covers(effect.meet, target)) {
        events.push({ clock, type: 'met', data: await this.meet(repo, clock, now, step) });
      } else if (effect.pause && clock.status === 'running') {
        await repo.updateClock(clock.id, {
          status: 'paused',
          paused_at: at,
          pause_reason: effect.pause,
          next_fire_at: null,
        });
        events.push({ clock, type: 'pause', data: { reason: effect.pause } });
      } else if (effect.resume && clock.status === 'paused') {
        const resumed = this.resumeValues(clock, now);
        await repo.updateClock(clock.id, resumed.values);
        events.push({ clock, type: 'resume', data: { pausedMs: resumed.pausedMs, dueAt: resumed.dueAt } });
      }
    }

    const stillOpen = new Set(
      open
        .filter(
          (c) =>
            !(effect.cancel === 'all' || effect.cancel.includes(c.target as SlaTarget)) &&
            !effect.restart.includes(c.target as SlaTarget) &&
            !covers(effect.meet, c.target as SlaTarget),
        )
        .map((c) => c.target),
    );
    const toStart = [...effect.restart, ...effect.start].filter(
      (target, i, all) =>
        all.indexOf(target) === i && !stillOpen.has(target) && targetApplies(target, ticket),
    );
    if (toStart.length) {
      const policies = await repo.policiesFor(ticket.communityId);
      for (const target of SLA_TARGETS.filter((t) => toStart.includes(t))) {
        const policy = policyFor(policies, ticket, target);
        if (!policy || policy.minutes === null) continue;
        const terms: ClockTerms = {
          minutes: policy.minutes,
          warnPercent: policy.warnPercent,
          calendar: policy.businessHours ? await repo.calendarFor(ticket.communityId, ticket.timeZone) : null,
        };
        const { dueAt, warnAt } = deadlines(terms, now, 0);
        const row = {
          id: newId(now),
          ticket_id: ticketId,
          community_id: ticket.communityId,
          target,
          policy_id: policy.id,
          policy: JSON.stringify(terms),
          started_at: at,
          due_at: dueAt.toISOString(),
          warn_at: warnAt.toISOString(),
          paused_at: null,
          pause_reason: null,
          paused_ms: 0,
          status: 'running',
          warned_at: null,
          breached_at: null,
          met_at: null,
          ended_at: null,
          next_fire_at: null as string | null,
          created_at: at,
          ticket_number: ticket.number,
        };
        row.next_fire_at = nextFireAt({
          status: 'running',
          warnAt: row.warn_at,
          dueAt: row.due_at,
          warnedAt: null,
          breachedAt: null,
        });
        await repo.insertClock(row);
        events.push({
          clock: row as ClockRow,
          type: 'start',
          data: { step, dueAt: row.due_at, minutes: terms.minutes, business: terms.calendar !== null },
        });
      }
    }

    await repo.insertEvents(
      events.map((e) => ({
        id: newId(now),
        clock_id: e.clock.id,
        ticket_id: ticketId,
        type: e.type,
        at,
        data: e.data ? JSON.stringify(e.data) : null,
      })),
    );
  }

  /** Stops a clock as kept: on time if before its due time (or while paused), else late. */
  private async meet(repo: SlaRepository, clock: ClockRow, now: Date, step: string) {
    const at = now.toISOString();
    const late = clock.status === 'breached' || (clock.status === 'running' && clock.due_at < at);
    await repo.updateClock(clock.id, {
      // a clock kept after its due time but before the scheduler got to it is still a breach
      status: late ? 'breached' : 'met',
      breached_at: clock.breached_at ?? (late ? clock.due_at : null),
      met_at: at,
      ended_at: at,
      paused_at: null,
      next_fire_at: null,
    });
    return { step, late };
  }

  /**
   * A paused clock counts again: the time it stood still — in business time on a calendar
   * policy — is added to its paused time, and its warn and due times move by as much.
   */
  private resumeValues(clock: ClockRow, now: Date) {
    const terms = termsOf(clock);
    const pausedFrom = new Date(clock.paused_at ?? now.toISOString());
    const stood = Math.max(0, businessTimeBetween(pausedFrom, now, terms.calendar));
    const pausedMs = Number(clock.paused_ms) + stood;
    const { dueAt, warnAt } = deadlines(terms, new Date(clock.started_at), pausedMs);
    const values = {
      status: 'running',
      paused_at: null,
      pause_reason: null,
      paused_ms: pausedMs,
      due_at: dueAt.toISOString(),
      warn_at: warnAt.toISOString(),
      next_fire_at: nextFireAt({
        status: 'running',
        warnAt: warnAt.toISOString(),
        dueAt: dueAt.toISOString(),
        warnedAt: clock.warned_at,
        breachedAt: clock.breached_at,
      }),
    };
    return { values, pausedMs: stood, dueAt: values.due_at };
  }
}
