/**
 * The lifecycle of a service request (工单) as one pure state machine: which action may move a
 * ticket from which status to which, who may take it, and what it must be told. No I/O: the
 * caller loads the ticket, calls `transition`, and stores the new ticket and its event.
 *
 * 受理 received → 派单 dispatched → 接单 accepted → 到场 on_site → 处理中 in_progress → 完成 done →
 * 关闭 closed; plus 挂起 pending (R7), 退单 decline (R13), 转派 reassign, 升级 escalate (R26),
 * 退回/重开 reopen (R13), 作废 cancel (R13). The return visit (回访) is recorded on a done ticket,
 * which is then closed or reopened.
 *
 * Checks run in this order: the ticket's state (`illegal_transition`: its status, or a condition
 * on the ticket such as "already grabbed", "top escalation level", "charge not settled"), then the
 * actor (`forbidden`), then the input (`invalid_input`).
 */
import { DESK_ROLES, type Role } from './roles.js';
import type { TicketStatus, TicketType } from './tickets.js';

export const TICKET_ACTIONS = [
  'dispatch',
  'grab',
  'accept',
  'decline',
  'arrive',
  'start',
  'complete',
  'pend',
  'resume',
  'reassign',
  'escalate',
  'answer',
  'close',
  'reopen',
  'cancel',
] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

/** Statuses in which a request is still being worked (not done, closed or cancelled). */
export const OPEN_STATUSES: readonly TicketStatus[] = [
  'received',
  'dispatched',
  'accepted',
  'on_site',
  'in_progress',
  'pending',
];

/** R26: escalation goes one level at a time; level 0 is the worker, 4 is the top. */
export const ESCALATION_LEVELS = ['worker', 'team_lead', 'supervisor', 'manager', 'quality'] as const;
export const MAX_ESCALATION_LEVEL = ESCALATION_LEVELS.length - 1;

/** Request types that may be answered and closed at once, without dispatch. */
export const ANSWERABLE_TYPES: readonly TicketType[] = ['inquiry', 'praise', 'suggestion'];

/** Roles that may reopen a done or closed request (a return visit may trigger it). */
export const REOPEN_ROLES: readonly Role[] = ['agent', 'supervisor', 'manager', 'admin'];

/** What the lifecycle needs to know of a ticket. */
export interface LifecycleTicket {
  status: TicketStatus;
  type: TicketType;
  teamId: string | null;
  assigneeId: string | null;
  /** While pending: the status to return to. */
  pendingFrom: TicketStatus | null;
  escalationLevel: number;
  reopenCount: number;
  /** Paid work (有偿, R10). */
  paid: boolean;
  chargeSettled: boolean;
}

export interface Actor {
  id: string;
  roles: readonly Role[];
  /** The teams the actor belongs to. */
  teamIds: readonly string[];
}

/** The completion report (R10). `charge` is the amount in yuan at the published price. */
export interface CompletionReport {
  cause: string;
  work: string;
  parts?: string;
  charge?: number;
  advice?: string;
}

export type ActionInput =
  | { action: 'dispatch'; teamId: string; assigneeId?: string | null }
  | { action: 'grab' }
  | { action: 'accept' }
  | { action: 'decline'; reason: string }
  | { action: 'arrive' }
  | { action: 'start' }
  | { action: 'complete'; report: CompletionReport }
  | {
      action: 'pend';
      reason: string;
      nextStep: string;
      eta: string;
      /** Only these holds stop the SLA clocks (§3): waiting on the resident or on parts. */
      pauseReason?: 'resident_unavailable' | 'waiting_parts' | 'waiting_contractor';
    }
  | { action: 'resume' }
  | { action: 'reassign'; teamId: string; assigneeId?: string | null; reason?: string }
  | { action: 'escalate'; reason: string }
  | { action: 'answer'; reply: string }
  | { action: 'close'; note?: string }
  | { action: 'reopen'; reason: string }
  | { action: 'cancel'; reason: string };

export type InputFor<A extends TicketAction> = Extract<ActionInput, { action: A }>;

export interface TicketEventRecord {
  type: TicketAction;
  note: string | null;
  data: Record<string, unknown>;
}

export type TransitionError = 'illegal_transition' | 'forbidden' | 'invalid_input';

export type TransitionResult =
  | { ok: true; ticket: LifecycleTicket; event: TicketEventRecord }
  | { ok: false; error: TransitionError; field?: string; detail: string };

/** Who may take an action. */
type Who =
  | 'desk' // DESK_ROLES
  | 'assignee' // actor.id === ticket.assigneeId
  | 'assignee_or_desk'
  | 'team_member' // actor.teamIds includes ticket.teamId
  | 'reopen'; // REOPEN_ROLES

interface Rule {
  from: readonly TicketStatus[];
  /** 'same': the status does not change; 'remembered': back to `pendingFrom`. */
  to: TicketStatus | 'same' | 'remembered';
  who: Who;
  /** A condition on the ticket beyond its status; returns why it fails, or null. */
  guard?: (ticket: LifecycleTicket) => string | null;
}

const WORKING: readonly TicketStatus[] = ['dispatched', 'accepted', 'on_site', 'in_progress'];

/** The transition table. */
export const LIFECYCLE: { readonly [A in TicketAction]: Rule } = {
  dispatch: { from: ['received', 'dispatched'], to: 'dispatched', who: 'desk' },
  grab: {
    from: ['dispatched'],
    to: 'accepted',
    who: 'team_member',
    guard: (t) => (t.assigneeId === null ? null : 'the job is already assigned'),
  },
  accept: { from: ['dispatched'], to: 'accepted', who: 'assignee' },
  decline: { from: ['dispatched', 'accepted'], to: 'received', who: 'assignee' },
  arrive: { from: ['accepted'], to: 'on_site', who: 'assignee' },
  start: { from: ['accepted', 'on_site'], to: 'in_progress', who: 'assignee' },
  complete: { from: ['on_site', 'in_progress'], to: 'done', who: 'assignee_or_desk' },
  pend: { from: WORKING, to: 'pending', who: 'assignee_or_desk' },
  resume: {
    from: ['pending'],
    to: 'remembered',
    who: 'assignee_or_desk',
    guard: (t) =>
      t.pendingFrom !== null && WORKING.includes(t.pendingFrom) ? null : 'no status to return to',
  },
  reassign: { from: [...WORKING, 'pending'], to: 'dispatched', who: 'desk' },
  escalate: {
    from: OPEN_STATUSES,
    to: 'same',
    who: 'desk',
    guard: (t) =>
      t.escalationLevel < MAX_ESCALATION_LEVEL ? null : 'already at the top escalation level (R26)',
  },
  answer: {
    from: ['received'],
    to: 'closed',
    who: 'desk',
    guard: (t) =>
      ANSWERABLE_TYPES.includes(t.type) ? null : `a ${t.type} request cannot be answered and closed at once`,
  },
  close: {
    from: ['done'],
    to: 'closed',
    who: 'desk',
    guard: (t) => (!t.paid || t.chargeSettled ? null : 'the charge for paid work is not settled (R10)'),
  },
  reopen: { from: ['done', 'closed'], to: 'received', who: 'reopen' },
  cancel: { from: OPEN_STATUSES, to: 'cancelled', who: 'desk' },
};

type Failure = Extract<TransitionResult, { ok: false }>;

function stateCheck(ticket: LifecycleTicket, action: TicketAction): Failure | null {
  const rule = LIFECYCLE[action];
  if (!rule.from.includes(ticket.status))
    return { ok: false, error: 'illegal_transition', detail: `cannot ${action} a ${ticket.status} request` };
  const why = rule.guard?.(ticket);
  if (why) return { ok: false, error: 'illegal_transition', detail: why };
  return null;
}

const isDesk = (actor: Actor) => actor.roles.some((r) => DESK_ROLES.includes(r));
const isAssignee = (ticket: LifecycleTicket, actor: Actor) =>
  ticket.assigneeId !== null && actor.id === ticket.assigneeId;

function actorCheck(ticket: LifecycleTicket, action: TicketAction, actor: Actor): Failure | null {
  const who = LIFECYCLE[action].who;
  let ok: boolean;
  let detail: string;
  switch (who) {
    case 'desk':
      ok = isDesk(actor);
      detail = 'only the service desk may do this';
      break;
    case 'assignee':
      ok = isAssignee(ticket, actor);
      detail = 'only the assigned worker may do this';
      break;
    case 'assignee_or_desk':
      ok = isAssignee(ticket, actor) || isDesk(actor);
      detail = 'only the assigned worker or the service desk may do this';
      break;
    case 'team_member':
      ok = ticket.teamId !== null && actor.teamIds.includes(ticket.teamId);
      detail = "only a member of the ticket's team may grab it";
      break;
    case 'reopen':
      ok = actor.roles.some((r) => REOPEN_ROLES.includes(r));
      detail = 'only an agent, supervisor, manager or admin may reopen a request';
      break;
  }
  return ok ? null : { ok: false, error: 'forbidden', detail };
}

/** The actions whose status and actor checks pass, in TICKET_ACTIONS order (input aside). */
export function allowedActions(ticket: LifecycleTicket, actor: Actor): TicketAction[] {
  return TICKET_ACTIONS.filter((a) => !stateCheck(ticket, a) && !actorCheck(ticket, a, actor));
}

// ---- input ----

class InvalidInput extends Error {
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

type Fields = Record<string, unknown>;

function requiredText(input: Fields, field: string, path = field): string {
  const value = input[field];
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidInput(path, `${path} is required`);
  return value.trim();
}

function optionalText(input: Fields, field: string, path = field): string | null {
  const value = input[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new InvalidInput(path, `${path} must be text`);
  return value.trim() === '' ? null : value.trim();
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function futureTime(input: Fields, field: string, now: Date): string {
  const raw = requiredText(input, field);
  const ms = Date.parse(raw);
  if (!ISO_TIME.test(raw) || Number.isNaN(ms))
    throw new InvalidInput(field, `${field} must be an ISO time with a time zone`);
  if (ms <= now.getTime()) throw new InvalidInput(field, `${field} must be in the future`);
  return new Date(ms).toISOString();
}

function charge(report: Fields, paid: boolean): number | null {
  const value = report.charge;
  if (value === undefined || value === null) {
    if (paid) throw new InvalidInput('report.charge', 'paid work needs its charge (R10)');
    return null;
  }
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    Math.abs(Math.round(value * 100) - value * 100) > 1e-6
  )
    throw new InvalidInput('report.charge', 'report.charge must be an amount in yuan, at most 2 decimals');
  if (paid && value === 0) throw new InvalidInput('report.charge', 'paid work needs its charge (R10)');
  if (!paid && value !== 0) throw new InvalidInput('report.charge', 'free work carries no charge');
  return value;
}

/** The new team and worker for dispatch/reassign; they must change something. */
function assignment(input: Fields, ticket: LifecycleTicket, mustChange: boolean) {
  const teamId = requiredText(input, 'teamId');
  const assigneeId = optionalText(input, 'assigneeId');
  if (mustChange && teamId === ticket.teamId && assigneeId === ticket.assigneeId)
    throw new InvalidInput('assigneeId', 'choose another team or worker');
  return { teamId, assigneeId };
}

interface Effect {
  ticket?: Partial<LifecycleTicket>;
  note?: string | null;
  data?: Record<string, unknown>;
}

type Apply = (ticket: LifecycleTicket, input: Fields, actor: Actor, now: Date) => Effect;

const unassigned = { teamId: null, assigneeId: null } as const;

const EFFECTS: { readonly [A in TicketAction]: Apply } = {
  dispatch: (t, input) => {
    const to = assignment(input, t, t.status === 'dispatched');
    return { ticket: to, data: { ...to, pool: to.assigneeId === null } };
  },
  grab: (_t, _input, actor) => ({ ticket: { assigneeId: actor.id }, data: { assigneeId: actor.id } }),
  accept: () => ({}),
  decline: (t, input) => ({
    ticket: unassigned,
    note: requiredText(input, 'reason'),
    data: { teamId: t.teamId, assigneeId: t.assigneeId },
  }),
  arrive: () => ({}),
  start: () => ({}),
  complete: (t, input, actor) => {
    const raw = input.report;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw new InvalidInput('report', 'report is required');
    const r = raw as Fields;
    const report = {
      cause: requiredText(r, 'cause', 'report.cause'),
      work: requiredText(r, 'work', 'report.work'),
      parts: optionalText(r, 'parts', 'report.parts'),
      charge: charge(r, t.paid),
      advice: optionalText(r, 'advice', 'report.advice'),
    };
    return { data: { report, onBehalf: !isAssignee(t, actor) } };
  },
  pend: (t, input, _actor, now) => {
    const reason = requiredText(input, 'reason');
    const nextStep = requiredText(input, 'nextStep');
    const eta = futureTime(input, 'eta', now);
    // the SLA clocks pause only for a typed reason; the module of clocks reads it from the step
    const pauseReason = typeof input.pauseReason === 'string' ? input.pauseReason : undefined;
    return {
      ticket: { pendingFrom: t.status },
      note: reason,
      data: { reason, nextStep, eta, ...(pauseReason ? { pauseReason } : {}) },
    };
  },
  resume: () => ({ ticket: { pendingFrom: null } }),
  reassign: (t, input) => {
    const to = assignment(input, t, true);
    return {
      ticket: { ...to, pendingFrom: null },
      note: optionalText(input, 'reason'),
      data: { ...to, fromTeamId: t.teamId, fromAssigneeId: t.assigneeId },
    };
  },
  escalate: (t, input) => {
    const level = t.escalationLevel + 1;
    return {
      ticket: { escalationLevel: level },
      note: requiredText(input, 'reason'),
      data: { level, levelName: ESCALATION_LEVELS[level] },
    };
  },
  answer: (_t, input) => ({ note: requiredText(input, 'reply') }),
  close: (_t, input) => ({ note: optionalText(input, 'note') }),
  reopen: (t, input) => {
    const reopenCount = t.reopenCount + 1;
    return {
      ticket: { ...unassigned, pendingFrom: null, reopenCount },
      note: requiredText(input, 'reason'),
      data: { reopenCount },
    };
  },
  cancel: (_t, input) => ({ ticket: { pendingFrom: null }, note: requiredText(input, 'reason') }),
};

/**
 * Take `action` on `ticket` as `actor` at `now`. Returns the new ticket and the event for the
 * timeline, or why not. The ticket passed in is never changed.
 */
export function transition<A extends TicketAction>(
  ticket: LifecycleTicket,
  action: A,
  actor: Actor,
  input: InputFor<A>,
  now: Date,
): TransitionResult {
  const refused = stateCheck(ticket, action) ?? actorCheck(ticket, action, actor);
  if (refused) return refused;
  const fields: unknown = input;
  if (typeof fields !== 'object' || fields === null)
    return { ok: false, error: 'invalid_input', detail: 'input is required' };
  if ((fields as Fields).action !== action)
    return { ok: false, error: 'invalid_input', field: 'action', detail: `input is not for ${action}` };
  let effect: Effect;
  try {
    effect = EFFECTS[action](ticket, fields as Fields, actor, now);
  } catch (e) {
    if (e instanceof InvalidInput)
      return { ok: false, error: 'invalid_input', field: e.field, detail: e.detail };
    throw e;
  }
  const rule = LIFECYCLE[action];
  const status =
    rule.to === 'same' ? ticket.status : rule.to === 'remembered' ? ticket.pendingFrom! : rule.to;
  return {
    ok: true,
    ticket: { ...ticket, ...effect.ticket, status },
    event: {
      type: action,
      note: effect.note ?? null,
      data: { ...effect.data, from: ticket.status, to: status },
    },
  };
}
