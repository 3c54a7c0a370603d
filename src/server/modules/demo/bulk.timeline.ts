import type { BusinessCalendar } from '../../../domain/business-time.js';
import {
  type ClockStatus,
  type ClockTerms,
  clockEffect,
  covers,
  deadlines,
  firing,
  nextFireAt,
  policyFor,
  SLA_TARGETS,
  type SlaPolicy,
  type SlaTarget,
  type SlaTicket,
  targetApplies,
} from '../../../domain/sla.js';
import { ESCALATION_LEVELS, MAX_ESCALATION_LEVEL, OPEN_STATUSES } from '../../../domain/ticket-lifecycle.js';
import type { TicketStatus } from '../../../domain/tickets.js';
import { t } from '../../platform/i18n/i18n.js';
import type { MessageKey } from '../../platform/i18n/messages.js';
import type { Random } from './bulk.data.js';

/**
 * One request's history as the app would have written it, replayed in memory for the bulk
 * generator: its timeline steps, and — for requests still open — its SLA clocks moved by each step
 * exactly as SlaClocks.onStep does (domain/sla's step table), with the scheduler's warnings and
 * breaches fired at their times in between and a breach escalating the request one level (R26),
 * as SlaScheduler and escalateForBreach do. Nothing here touches a database.
 */

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * UUIDv7 ids at given times, as platform/ids makes them (48-bit ms, version 7, a 12-bit counter
 * for ids of one millisecond, variant, random bits) but from a seeded PRNG, so one seed gives the
 * same ids; and without the process-wide clamp to the latest time seen, so a history generated
 * out of order still gets ids of its own times. `restart()` between requests.
 */
export class IdMaker {
  private lastMs = -1;
  private sequence = 0;
  constructor(private readonly random: Random) {}

  restart() {
    this.lastMs = -1;
  }

  at(msIn: number): string {
    let ms = Math.floor(msIn);
    if (ms <= this.lastMs) {
      ms = this.lastMs;
      if (++this.sequence > 0xfff) {
        ms++;
        this.sequence = 0;
      }
    } else {
      this.sequence = this.random.bits() & 0x7f;
    }
    this.lastMs = ms;
    const r1 = this.random.bits();
    const r2 = this.random.bits();
    const hi = Math.floor(ms / 0x100000000);
    const lo = ms >>> 0;
    const b = [
      (hi >>> 8) & 0xff,
      hi & 0xff,
      lo >>> 24,
      (lo >>> 16) & 0xff,
      (lo >>> 8) & 0xff,
      lo & 0xff,
      0x70 | (this.sequence >> 8),
      this.sequence & 0xff,
      ((r1 >>> 24) & 0x3f) | 0x80,
      (r1 >>> 16) & 0xff,
      (r1 >>> 8) & 0xff,
      r1 & 0xff,
      r2 >>> 24,
      (r2 >>> 16) & 0xff,
      (r2 >>> 8) & 0xff,
      r2 & 0xff,
    ];
    let s = '';
    for (let i = 0; i < 16; i++) {
      s += HEX[b[i]!]!;
      if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
    }
    return s;
  }
}

export const iso = (ms: number) => new Date(ms).toISOString();

export interface TimelineEvent {
  id: string;
  type: string;
  at: number;
  actorId: string | null;
  note: string | null;
  data: string | null;
}

export interface SimClock {
  id: string;
  target: SlaTarget;
  policyId: string;
  policy: string;
  terms: ClockTerms;
  startedAt: number;
  dueAt: number;
  warnAt: number;
  pausedAt: number | null;
  pauseReason: string | null;
  pausedMs: number;
  status: ClockStatus;
  warnedAt: number | null;
  breachedAt: number | null;
  metAt: number | null;
  endedAt: number | null;
  nextFireAt: number | null;
}

export interface ClockEvent {
  id: string;
  clockId: string;
  type: string;
  at: number;
  data: string | null;
}

/** Steps SlaClocks listens to (sla.clocks.ts CLOCK_STEPS). */
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
  'return_visit',
  'return_visit_skipped',
]);

const OPEN = new Set<string>(OPEN_STATUSES);
const LOCALE = 'zh-CN';

export class TicketTimeline {
  readonly events: TimelineEvent[] = [];
  readonly clocks: SimClock[] = [];
  readonly clockEvents: ClockEvent[] = [];
  status: TicketStatus = 'received';
  escalationLevel = 0;
  /** Updates applied to the row since it was created (the row's version is 1 + this). */
  updates = 0;
  updatedAt: number;

  constructor(
    private readonly ids: IdMaker,
    readonly ticketId: string,
    private readonly facts: SlaTicket,
    private readonly policies: readonly SlaPolicy[],
    private readonly calendar: BusinessCalendar,
    /** Replay the clocks (requests still open) or only the timeline (finished history). */
    private readonly withClocks: boolean,
    createdAt: number,
  ) {
    this.updatedAt = createdAt;
  }

  /**
   * One step at `at`: first whatever the scheduler fired before it, then the step on the
   * timeline, then what it does to the clocks. `status`: the request's status after the step;
   * `updates`: whether the step rewrote the request's row (versioned), as every action does.
   */
  step(
    type: string,
    at: number,
    step: {
      actorId: string | null;
      note?: string | null;
      data: Record<string, unknown>;
      status?: TicketStatus;
      updates?: boolean;
    },
  ) {
    if (this.withClocks) this.fireUntil(at);
    this.events.push({
      id: this.ids.at(at),
      type,
      at,
      actorId: step.actorId,
      note: step.note ?? null,
      data: JSON.stringify(step.data),
    });
    if (step.status) this.status = step.status;
    if (step.updates) {
      this.updates++;
      this.updatedAt = at;
    }
    if (this.withClocks && CLOCK_STEPS.has(type)) this.moveClocks(type, step.data, at);
  }

  /** The scheduler's firings up to `until` (the end of the history: now). */
  fireUntil(until: number) {
    for (;;) {
      let next: SimClock | null = null;
      for (const c of this.clocks) {
        if (c.status === 'running' && c.nextFireAt !== null && c.nextFireAt <= until) {
          if (!next || c.nextFireAt < next.nextFireAt!) next = c;
        }
      }
      if (!next) return;
      this.fire(next, next.nextFireAt!);
    }
  }

  private fire(clock: SimClock, at: number) {
    const kind = firing(
      {
        warnAt: iso(clock.warnAt),
        dueAt: iso(clock.dueAt),
        warnedAt: clock.warnedAt === null ? null : iso(clock.warnedAt),
        breachedAt: clock.breachedAt === null ? null : iso(clock.breachedAt),
      },
      iso(at),
    );
    if (kind === null) {
      clock.nextFireAt = null;
      return;
    }
    if (kind === 'warn') {
      clock.warnedAt = at;
      clock.nextFireAt = clock.dueAt;
    } else {
      clock.breachedAt = at;
      clock.status = 'breached';
      clock.nextFireAt = null;
    }
    this.clockEvents.push({
      id: this.ids.at(at),
      clockId: clock.id,
      type: kind,
      at,
      data: JSON.stringify({ dueAt: iso(clock.dueAt), warnAt: iso(clock.warnAt) }),
    });
    this.events.push({
      id: this.ids.at(at),
      type: `sla_${kind}`,
      at,
      actorId: null,
      note: null,
      data: JSON.stringify({ target: clock.target, clockId: clock.id, dueAt: iso(clock.dueAt) }),
    });
    if (kind === 'breach' && OPEN.has(this.status) && this.escalationLevel < MAX_ESCALATION_LEVEL) {
      // R26: the system escalates one level (TicketActionsService.escalateForBreach)
      const level = this.escalationLevel + 1;
      this.escalationLevel = level;
      this.updates++;
      this.updatedAt = at;
      this.events.push({
        id: this.ids.at(at),
        type: 'escalate',
        at,
        actorId: null,
        note: t(LOCALE, 'sla.breachEscalated', {
          target: t(LOCALE, `sla.target.${clock.target}` as MessageKey),
          level: t(LOCALE, `sla.level.${level}` as MessageKey),
        }),
        data: JSON.stringify({ level, levelName: ESCALATION_LEVELS[level], breachedTarget: clock.target }),
      });
    }
  }

  /** SlaClocks.onStep, in memory. */
  private moveClocks(step: string, data: Record<string, unknown>, at: number) {
    if (step === 'escalate' && data.breachedTarget) return;
    const effect = clockEffect(step, data, this.facts);
    const open = this.clocks.filter(
      (c) =>
        c.endedAt === null && (c.status === 'running' || c.status === 'paused' || c.status === 'breached'),
    );
    const pending: { clock: SimClock; type: string; data?: Record<string, unknown> }[] = [];
    const ends = (target: SlaTarget) =>
      effect.cancel === 'all' || effect.cancel.includes(target) || effect.restart.includes(target);
    for (const clock of open) {
      if (ends(clock.target)) {
        clock.status = clock.status === 'breached' ? 'breached' : 'cancelled';
        clock.endedAt = at;
        clock.nextFireAt = null;
        clock.pausedAt = null;
        pending.push({ clock, type: 'cancel', data: { step } });
      } else if (covers(effect.meet, clock.target)) {
        const late = clock.status === 'breached' || (clock.status === 'running' && clock.dueAt < at);
        clock.status = late ? 'breached' : 'met';
        clock.breachedAt = clock.breachedAt ?? (late ? clock.dueAt : null);
        clock.metAt = at;
        clock.endedAt = at;
        clock.pausedAt = null;
        clock.nextFireAt = null;
        pending.push({ clock, type: 'met', data: { step, late } });
      } else if (effect.pause && clock.status === 'running') {
        clock.status = 'paused';
        clock.pausedAt = at;
        clock.pauseReason = effect.pause;
        clock.nextFireAt = null;
        pending.push({ clock, type: 'pause', data: { reason: effect.pause } });
      }
      // (resume is not generated: no request's history here leaves a hold)
    }
    const stillOpen = new Set(
      open.filter((c) => !ends(c.target) && !covers(effect.meet, c.target)).map((c) => c.target as string),
    );
    const toStart = [...effect.restart, ...effect.start].filter(
      (target, i, all) =>
        all.indexOf(target) === i && !stillOpen.has(target) && targetApplies(target, this.facts),
    );
    for (const target of SLA_TARGETS) {
      if (!toStart.includes(target)) continue;
      const policy = policyFor(this.policies, this.facts, target);
      if (!policy || policy.minutes === null) continue;
      const terms: ClockTerms = {
        minutes: policy.minutes,
        warnPercent: policy.warnPercent,
        calendar: policy.businessHours ? this.calendar : null,
      };
      const { dueAt, warnAt } = deadlines(terms, new Date(at), 0);
      const clock: SimClock = {
        id: this.ids.at(at),
        target,
        policyId: policy.id,
        policy: JSON.stringify(terms),
        terms,
        startedAt: at,
        dueAt: dueAt.getTime(),
        warnAt: warnAt.getTime(),
        pausedAt: null,
        pauseReason: null,
        pausedMs: 0,
        status: 'running',
        warnedAt: null,
        breachedAt: null,
        metAt: null,
        endedAt: null,
        nextFireAt: null,
      };
      const fireAt = nextFireAt({
        status: 'running',
        warnAt: warnAt.toISOString(),
        dueAt: dueAt.toISOString(),
        warnedAt: null,
        breachedAt: null,
      });
      clock.nextFireAt = fireAt === null ? null : Date.parse(fireAt);
      this.clocks.push(clock);
      pending.push({
        clock,
        type: 'start',
        data: { step, dueAt: dueAt.toISOString(), minutes: terms.minutes, business: terms.calendar !== null },
      });
    }
    for (const e of pending) {
      this.clockEvents.push({
        id: this.ids.at(at),
        clockId: e.clock.id,
        type: e.type,
        at,
        data: e.data ? JSON.stringify(e.data) : null,
      });
    }
  }

  /** The open return_visit clock's due time (VisitsRepository.clockDue), or null. */
  returnVisitDue(): number | null {
    for (let i = this.clocks.length - 1; i >= 0; i--) {
      const c = this.clocks[i]!;
      if (c.target === 'return_visit' && (c.status === 'running' || c.status === 'paused')) return c.dueAt;
    }
    return null;
  }
}
