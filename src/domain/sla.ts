/**
 * Time promises (SLA, PRODUCT.md §3) as pure rules: which targets a ticket gets from the
 * policies, which step of a ticket starts, meets, pauses, resumes or cancels which clock, and when
 * a clock warns and is due. No I/O: the SLA module loads the policies and the ticket, asks these
 * functions, and stores the clocks.
 */
import { addBusinessTime, type BusinessCalendar } from './business-time.js';

/**
 * What is promised, each with its own clock:
 * - accept: someone accepts a dispatched job (R21, 10 min)
 * - first_contact: the assigned worker contacts the resident after dispatch (R19, 5 min)
 * - arrival: on site (R20: 15 / 30 min, 2 h; minor repairs started within 3 days)
 * - escalation: what is not solved on the spot is escalated within 2 h of arrival (R22)
 * - resolution: complaints resolved in 24 h (R23); urgent water/power the same day (R20)
 * - handover: a complaint handed from its first owner to the team (R15, 20 min)
 * - rescue: rescuers reach a person trapped in a lift (R16, 30 min)
 * - hotline_signoff: a government-hotline order signed for (R17, 1 working day)
 * - return_visit: the resident called back after completion (R24, 3 days)
 * - callback: a missed or abandoned call called back (R30, 30 min in business hours)
 * - message_callback: a message (留言) answered by the person it is for (R30 [002], 2 h in business
 *   hours)
 *
 * The last two are callbacks' clocks (module callbacks), never a ticket's: see CALLBACK_TARGETS.
 */
export const SLA_TARGETS = [
  'accept',
  'first_contact',
  'arrival',
  'escalation',
  'resolution',
  'handover',
  'rescue',
  'hotline_signoff',
  'return_visit',
  'callback',
  'message_callback',
] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];

/** Targets that time a callback (回电), not a ticket: no ticket step ever starts one. */
export const CALLBACK_TARGETS = ['callback', 'message_callback'] as const satisfies readonly SlaTarget[];
export type CallbackTarget = (typeof CALLBACK_TARGETS)[number];

/** The only reasons a pending request stops its clocks: waiting on the resident or on parts. */
export const PAUSE_REASONS = ['resident_unavailable', 'waiting_parts', 'waiting_contractor'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

export const CLOCK_STATUSES = ['running', 'paused', 'met', 'breached', 'cancelled'] as const;
export type ClockStatus = (typeof CLOCK_STATUSES)[number];
/** Clocks still counting (or stopped for a typed reason): the ones a step can still touch. */
export const OPEN_CLOCK_STATUSES: readonly ClockStatus[] = ['running', 'paused'];

/** The default share of the time after which a clock warns. */
export const DEFAULT_WARN_PERCENT = 80;

/** One policy row: a target's time where the type / priority / category (null: any) match. */
export interface SlaPolicy {
  id: string;
  communityId: string | null;
  ticketType: string | null;
  priority: string | null;
  categoryId: string | null;
  target: SlaTarget;
  /** null: no clock for this target where the policy applies (an override that turns it off). */
  minutes: number | null;
  businessHours: boolean;
  warnPercent: number;
}

/** What the rules need to know of a ticket. */
export interface SlaTicket {
  communityId: string;
  type: string;
  priority: string;
  channel: string;
  categoryId: string | null;
  /** The category's parent: a policy for 水电 covers 漏水渗水. */
  parentCategoryId: string | null;
  /** The emergency's kind (lift_entrapment) when it has a playbook. */
  emergencyKind: string | null;
  /** Linked to another request of the same incident (R11): that one carries the clocks. */
  parentId: string | null;
}

/**
 * How specific a policy is for a ticket, or -1 if it does not apply. A community's override beats
 * the company's; then a category beats its parent beats any; then a type, then a priority.
 */
export function specificity(policy: SlaPolicy, ticket: SlaTicket): number {
  if (policy.communityId !== null && policy.communityId !== ticket.communityId) return -1;
  if (policy.ticketType !== null && policy.ticketType !== ticket.type) return -1;
  if (policy.priority !== null && policy.priority !== ticket.priority) return -1;
  let category = 0;
  if (policy.categoryId !== null) {
    if (policy.categoryId === ticket.categoryId) category = 2;
    else if (policy.categoryId === ticket.parentCategoryId) category = 1;
    else return -1;
  }
  return (
    (policy.communityId !== null ? 64 : 0) +
    category * 16 +
    (policy.ticketType !== null ? 4 : 0) +
    (policy.priority !== null ? 2 : 0)
  );
}

/**
 * The policy that sets `target` for this ticket: the most specific that applies; null when none
 * does or the most specific one turns the target off.
 */
export function policyFor(
  policies: readonly SlaPolicy[],
  ticket: SlaTicket,
  target: SlaTarget,
): SlaPolicy | null {
  let best: SlaPolicy | null = null;
  let bestScore = -1;
  for (const p of policies) {
    if (p.target !== target) continue;
    const score = specificity(p, ticket);
    // equal specificity: the later row (by id) wins, so an edit never depends on table order
    if (score > bestScore || (score === bestScore && score >= 0 && best !== null && p.id > best.id)) {
      best = p;
      bestScore = score;
    }
  }
  return best && best.minutes !== null && best.minutes > 0 ? best : null;
}

/** Whether a target applies to a ticket at all, beyond what the policies say. */
export function targetApplies(target: SlaTarget, ticket: SlaTicket): boolean {
  switch (target) {
    case 'handover':
      return ticket.type === 'complaint';
    case 'hotline_signoff':
      return ticket.channel === 'hotline';
    case 'rescue':
      return ticket.type === 'emergency' && ticket.emergencyKind === 'lift_entrapment';
    // a callback's promise: a policy for it (of any type) never starts a ticket's clock
    case 'callback':
    case 'message_callback':
      return false;
    default:
      return true;
  }
}

/** What one step does to a ticket's clocks. */
export interface ClockEffect {
  /** Started unless one of the target is already open. */
  start: SlaTarget[];
  /** The open one is cancelled and a fresh one started (a new worker's own 10 minutes). */
  restart: SlaTarget[];
  /** Open clocks stopped as kept: the targets, or every open clock. */
  meet: SlaTarget[] | 'all' | 'all_but_return_visit';
  cancel: SlaTarget[] | 'all';
  /** A typed reason was given: every running clock stops counting. */
  pause: PauseReason | null;
  resume: boolean;
}

const NONE: ClockEffect = { start: [], restart: [], meet: [], cancel: [], pause: null, resume: false };

/**
 * The step table: which ticket step starts, meets, pauses, resumes or cancels which clock.
 *
 * | step | effect |
 * |---|---|
 * | created | starts handover (complaint), hotline_signoff (hotline), rescue (lift entrapment), resolution |
 * | dispatch | restarts accept; starts first_contact, arrival; meets handover |
 * | reassign | as dispatch, and resumes clocks paused while pending |
 * | grab, accept | meet accept, hotline_signoff |
 * | decline | cancels accept (nobody has the job until it is dispatched again) |
 * | arrive, start | meet arrival, first_contact, rescue; start escalation (R22: from on site) |
 * | emergency_rescuers_arrived | meets rescue, arrival |
 * | reply (told the resident) | meets first_contact |
 * | escalate (by staff) | meets escalation |
 * | pend with a typed pauseReason | pauses every running clock; other holds pause nothing |
 * | resume | resumes every paused clock |
 * | complete | meets every open clock but return_visit; starts return_visit (R24) |
 * | close | meets every open clock but return_visit (closing is not the visit, R24) |
 * | answer | meets every open clock |
 * | return_visit (the visit done, or closed as unreachable / refused / rated) | meets return_visit |
 * | return_visit_skipped (no visit under the policy or its sampling, R33) | cancels return_visit |
 * | reopen | meets return_visit (it was the visit's outcome); starts resolution again |
 * | cancel, link | cancel every open clock (a linked request's incident carries the clocks) |
 *
 * Steps of the SLA itself (sla_warn, sla_breach) and an escalation on breach change nothing.
 */
export function clockEffect(step: string, data: Record<string, unknown>, ticket: SlaTicket): ClockEffect {
  switch (step) {
    case 'created':
      if (ticket.parentId) return NONE;
      return { ...NONE, start: ['handover', 'hotline_signoff', 'rescue', 'resolution'] };
    case 'dispatch':
      return { ...NONE, restart: ['accept'], start: ['first_contact', 'arrival'], meet: ['handover'] };
    case 'reassign':
      return {
        ...NONE,
        restart: ['accept'],
        start: ['first_contact', 'arrival'],
        meet: ['handover'],
        resume: true,
      };
    case 'grab':
    case 'accept':
      return { ...NONE, meet: ['accept', 'hotline_signoff'] };
    case 'decline':
      return { ...NONE, cancel: ['accept'] };
    case 'arrive':
    case 'start':
      return { ...NONE, meet: ['arrival', 'first_contact', 'rescue'], start: ['escalation'] };
    case 'emergency_rescuers_arrived':
      return { ...NONE, meet: ['rescue', 'arrival'] };
    case 'reply':
      return { ...NONE, meet: ['first_contact'] };
    case 'escalate':
      // the system's own escalation on a breach is not the worker escalating what they cannot fix
      return data.breachedTarget ? NONE : { ...NONE, meet: ['escalation'] };
    case 'pend': {
      const reason = data.pauseReason;
      return (PAUSE_REASONS as readonly unknown[]).includes(reason)
        ? { ...NONE, pause: reason as PauseReason }
        : NONE;
    }
    case 'resume':
      return { ...NONE, resume: true };
    case 'complete':
      return { ...NONE, meet: 'all_but_return_visit', start: ['return_visit'] };
    case 'close':
      // a closed job still owes its return visit (R24): only the visit itself keeps that promise
      return { ...NONE, meet: 'all_but_return_visit' };
    case 'answer':
      return { ...NONE, meet: 'all' };
    case 'return_visit':
      return { ...NONE, meet: ['return_visit'] };
    case 'return_visit_skipped':
      return { ...NONE, cancel: ['return_visit'] };
    case 'reopen':
      return { ...NONE, meet: ['return_visit'], start: ['resolution'] };
    case 'cancel':
    case 'link':
      return { ...NONE, cancel: 'all' };
    default:
      return NONE;
  }
}

/** Whether an effect touches a clock of `target`, for `meet` / `cancel` lists. */
export function covers(list: SlaTarget[] | 'all' | 'all_but_return_visit', target: SlaTarget): boolean {
  if (list === 'all') return true;
  if (list === 'all_but_return_visit') return target !== 'return_visit';
  return list.includes(target);
}

/** What a clock keeps of its policy when it starts: later policy edits do not touch it. */
export interface ClockTerms {
  minutes: number;
  warnPercent: number;
  /** null: on the clock (24×7). */
  calendar: BusinessCalendar | null;
}

/**
 * When a clock warns and when it is due: `minutes` of (business) time after it started, plus the
 * time it stood paused — measured in the same (business) time, so a pause really moves the
 * deadline. The warning comes at `warnPercent` of the time.
 */
export function deadlines(
  terms: ClockTerms,
  startedAt: Date,
  pausedMs: number,
): { dueAt: Date; warnAt: Date } {
  const total = terms.minutes * 60_000;
  const warnShare = Math.min(Math.max(terms.warnPercent, 1), 100) / 100;
  return {
    dueAt: addBusinessTime(startedAt, total + pausedMs, terms.calendar),
    warnAt: addBusinessTime(startedAt, Math.round(total * warnShare) + pausedMs, terms.calendar),
  };
}

/** The next moment a running clock fires: its warning if not yet given, else its breach. */
export function nextFireAt(clock: {
  status: ClockStatus;
  warnAt: string;
  dueAt: string;
  warnedAt: string | null;
  breachedAt: string | null;
}): string | null {
  if (clock.status !== 'running' || clock.breachedAt !== null) return null;
  if (clock.warnedAt === null && clock.warnAt < clock.dueAt) return clock.warnAt;
  return clock.dueAt;
}

/** What a due clock fires now: its warning (80%), its breach (at due), or nothing. */
export function firing(
  clock: { warnAt: string; dueAt: string; warnedAt: string | null; breachedAt: string | null },
  now: string,
): 'warn' | 'breach' | null {
  if (clock.breachedAt !== null) return null;
  if (clock.dueAt <= now) return 'breach';
  if (clock.warnedAt === null && clock.warnAt <= now) return 'warn';
  return null;
}

/**
 * The policy that times a callback (R30) in a community (null: a caller of no known community):
 * the community's override beats the company's; a policy narrowed to a ticket type, priority or
 * category is a ticket's and never applies. Null when none applies or it turns the clock off.
 */
export function callbackPolicy(
  policies: readonly SlaPolicy[],
  communityId: string | null,
  target: CallbackTarget,
): SlaPolicy | null {
  let best: SlaPolicy | null = null;
  for (const p of policies) {
    if (p.target !== target || p.ticketType !== null || p.priority !== null || p.categoryId !== null)
      continue;
    if (p.communityId !== null && p.communityId !== communityId) continue;
    const better =
      best === null ||
      (p.communityId !== null && best.communityId === null) ||
      ((p.communityId === null) === (best.communityId === null) && p.id > best.id);
    if (better) best = p;
  }
  return best && best.minutes !== null && best.minutes > 0 ? best : null;
}
