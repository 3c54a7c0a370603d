import { normalizePhone } from '../../../domain/phone.js';
import { errors, type FieldError } from '../../platform/errors.js';

/**
 * The PBX's events, as Zammad's generic CTI defines them (docs/telephony.md): `newCall`, `answer`
 * and `hangup`, with `from`, `to`, `direction` (in/out), `callId`, `user` / `user[]`, `queue`,
 * `cause` and `answeringNumber`, as JSON or as a form. Our own names (`ringing`, `answered`) are
 * accepted too. Pure: no I/O, so the rules of convergence are tested on their own.
 */
export const CTI_EVENTS = ['newCall', 'answer', 'hangup'] as const;
export type CtiEventName = (typeof CTI_EVENTS)[number];

const EVENT_ALIASES: Record<string, CtiEventName> = {
  newcall: 'newCall',
  ringing: 'newCall',
  ring: 'newCall',
  answer: 'answer',
  answered: 'answer',
  hangup: 'hangup',
  ended: 'hangup',
};

export interface CtiEvent {
  event: CtiEventName;
  callId: string;
  direction: 'in' | 'out';
  from: string | null;
  to: string | null;
  /** Zammad's `user[]`: the real names of the people whose phones ring (in) or who call (out). */
  users: string[];
  queue: string | null;
  cause: string | null;
  /** Who answered: an extension, a login or a 工号. */
  answeringNumber: string | null;
  /** When it happened, if the PBX said (an extension of Zammad's fields: `timestamp`). */
  at: Date | null;
}

function text(value: unknown, max: number): string | null {
  if (Array.isArray(value)) return text(value[0], max);
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed ? trimmed.slice(0, max) : null;
}

function list(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return values
    .map((v) => text(v, 100))
    .filter((v): v is string => v !== null)
    .slice(0, 50);
}

/** A PBX's time: ISO-8601, or seconds / milliseconds since 1970. */
function instant(value: unknown): Date | null {
  const raw = text(value, 40);
  if (!raw) return null;
  if (/^\d{9,10}(\.\d+)?$/.test(raw)) return new Date(Number(raw) * 1000);
  if (/^\d{12,13}$/.test(raw)) return new Date(Number(raw));
  const parsed = new Date(raw);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** Reads one event; a missing or unknown event, call id or direction is a 400 that changes nothing. */
export function parseCtiEvent(body: unknown): CtiEvent {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const problems: FieldError[] = [];
  const rawEvent = text(b.event, 40);
  const event = rawEvent ? EVENT_ALIASES[rawEvent.toLowerCase()] : undefined;
  if (!rawEvent) problems.push({ field: 'event', key: 'validation.required' });
  else if (!event) problems.push({ field: 'event', key: 'validation.ctiEvent' });
  const callId = text(b.callId ?? b.call_id ?? b.callid, 250);
  if (!callId) problems.push({ field: 'callId', key: 'validation.required' });
  const rawDirection = text(b.direction, 10)?.toLowerCase() ?? 'in';
  const direction = rawDirection === 'inbound' ? 'in' : rawDirection === 'outbound' ? 'out' : rawDirection;
  if (direction !== 'in' && direction !== 'out')
    problems.push({ field: 'direction', key: 'validation.ctiDirection' });
  if (problems.length) throw errors.validation(problems);
  const at = instant(b.timestamp ?? b.at);
  return {
    event: event!,
    callId: callId!,
    direction: direction as 'in' | 'out',
    from: text(b.from, 64),
    to: text(b.to, 64),
    users: list(b['user[]'] ?? b.user),
    queue: text(b.queue, 100),
    cause: text(b.cause, 40),
    answeringNumber: text(b.answeringNumber ?? b.answering_number, 100),
    at,
  };
}

/**
 * A form body (application/x-www-form-urlencoded or multipart) as an object: a repeated name, or
 * one ending in `[]` (Zammad's `user[]`), becomes a list.
 */
export function formToObject(entries: Iterable<[string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, value] of entries) {
    if (typeof value !== 'string') continue;
    const isList = rawKey.endsWith('[]');
    const key = isList ? rawKey.slice(0, -2) : rawKey;
    const existing = out[key];
    if (existing === undefined) out[key] = isList ? [value] : value;
    else out[key] = [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return out;
}

/**
 * The other party's number as residents' phones are stored: "+86 138…", "0086138…", "86138…" and
 * a trunk "0" before a mobile are taken off. Withheld numbers ("anonymous") are null.
 */
export function normalizeCallerNumber(raw: string | null): string | null {
  if (!raw || /^(anonymous|unknown|private|restricted|unavailable)$/i.test(raw.trim())) return null;
  let digits = raw.trim().replace(/[^\d+]/g, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (/^861[3-9]\d{9}$/.test(digits)) digits = digits.slice(2);
  if (/^01[3-9]\d{9}$/.test(digits)) digits = digits.slice(1);
  if (!digits) return null;
  return normalizePhone(digits, { service: true }) ?? digits.slice(0, 32);
}

/** What was resolved about an event when it arrived, stored with it so that the fold is pure. */
export interface ResolvedEvent extends CtiEvent {
  occurredAt: string;
  /** The agent it names (answeringNumber / user / extension), if one was found. */
  agentUserId: string | null;
  extension: string | null;
  /** Who this event's call is shown to (the screen pop). */
  recipients: string[];
}

export type CallOutcome =
  | 'answered'
  | 'missed'
  | 'abandoned'
  | 'forwarded'
  | 'busy'
  | 'no_answer'
  | 'failed'
  | 'cancelled';

/** Inbound calls nobody answered: they become callbacks (R30). */
export const MISSED_OUTCOMES: readonly CallOutcome[] = ['missed', 'abandoned'];

export interface CallState {
  direction: 'in' | 'out';
  fromNumber: string | null;
  toNumber: string | null;
  queue: string | null;
  agentUserId: string | null;
  extension: string | null;
  status: 'ringing' | 'answered' | 'ended';
  outcome: CallOutcome | null;
  cause: string | null;
  ringingAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  ringSeconds: number | null;
  talkSeconds: number | null;
  notifiedUserIds: string[];
}

function outcomeOf(direction: 'in' | 'out', answered: boolean, cause: string | null): CallOutcome {
  if (answered) return 'answered';
  const c = (cause ?? '').toLowerCase();
  if (c === 'forwarded') return 'forwarded';
  if (direction === 'in') return c === 'cancel' ? 'abandoned' : 'missed';
  if (c === 'busy') return 'busy';
  if (c === 'noanswer') return 'no_answer';
  if (c === 'congestion' || c === 'notfound') return 'failed';
  return 'cancelled';
}

const seconds = (from: string, to: string) =>
  Math.max(0, Math.round((new Date(to).getTime() - new Date(from).getTime()) / 1000));

/**
 * The call as its events say, whatever order they came in: each kind at most once (duplicates
 * never reach here), read in the order newCall → answer → hangup. Times are made consistent: the
 * call rang no later than anything else happened to it, was answered no later than it ended. A
 * hangup with cause `normalClearing` means the call was established (answered) even when the
 * `answer` event is missing or late.
 */
export function foldCall(events: readonly ResolvedEvent[]): CallState {
  if (events.length === 0) throw new Error('a call has at least one event');
  const of = (kind: CtiEventName) => events.find((e) => e.event === kind);
  const ordered = CTI_EVENTS.map(of).filter((e): e is ResolvedEvent => e !== undefined);
  const first = <T>(pick: (e: ResolvedEvent) => T | null): T | null => {
    for (const e of ordered) {
      const value = pick(e);
      if (value !== null && value !== undefined) return value;
    }
    return null;
  };
  const ring = of('newCall');
  const answer = of('answer');
  const hangup = of('hangup');
  const direction = ordered[0]!.direction;
  const times = ordered.map((e) => e.occurredAt).sort();
  const ringingAt = times[0]!;
  const answeredByHangup =
    hangup !== undefined &&
    (hangup.cause?.toLowerCase() === 'normalclearing' ||
      (hangup.cause === null && hangup.answeringNumber !== null));
  const answered = answer !== undefined || answeredByHangup;
  const endedAt = hangup ? times[times.length - 1]! : null;
  let answeredAt = answer ? answer.occurredAt : null;
  if (answeredAt && endedAt && answeredAt > endedAt) answeredAt = endedAt;
  const status = hangup ? 'ended' : answered ? 'answered' : 'ringing';
  // the agent on the call: who answered (in), who called (out)
  const agentEvents =
    direction === 'in' ? [answer, hangup].filter(Boolean) : [ring, answer, hangup].filter(Boolean);
  const agent = (agentEvents as ResolvedEvent[]).find((e) => e.agentUserId !== null) ?? null;
  const notified = new Set<string>();
  for (const e of ordered) for (const id of e.recipients) notified.add(id);
  return {
    direction,
    fromNumber: first((e) => e.from),
    toNumber: first((e) => e.to),
    queue: first((e) => e.queue),
    agentUserId: agent?.agentUserId ?? null,
    extension: agent?.extension ?? first((e) => e.extension),
    status,
    outcome: status === 'ended' ? outcomeOf(direction, answered, hangup?.cause ?? null) : null,
    cause: hangup?.cause ?? null,
    ringingAt,
    answeredAt,
    endedAt,
    ringSeconds: answeredAt ? seconds(ringingAt, answeredAt) : null,
    talkSeconds: answeredAt && endedAt ? seconds(answeredAt, endedAt) : null,
    notifiedUserIds: [...notified].sort(),
  };
}
