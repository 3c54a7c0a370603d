/**
 * Return visits (回访) and satisfaction, PRODUCT.md §5 R33–R34, as pure rules: which finished
 * jobs get a visit (the policy of their kind and its sampling rate), what an attempt to reach the
 * resident does to the task and when to try again, and which scores are poor. No I/O.
 */
/**
 * What a policy is set for: the request's type, with repairs split into in-home (户内) and
 * common-area (公区) work — the two are visited at different rates.
 */
export const VISIT_KINDS = [
  'repair_indoor',
  'repair_public',
  'complaint',
  'inquiry',
  'suggestion',
  'help',
  'praise',
  'emergency',
] as const;
export type VisitKind = (typeof VISIT_KINDS)[number];

/**
 * none: never visited; skip_if_rated: visited unless the resident rates through the link first
 * (a poor rating still needs the call); always: visited even when the resident rated.
 */
export const VISIT_MODES = ['none', 'skip_if_rated', 'always'] as const;
export type VisitMode = (typeof VISIT_MODES)[number];

export interface VisitPolicy {
  kind: VisitKind;
  mode: VisitMode;
  /** Share of the finished jobs of this kind that are visited, 0–100. */
  samplePercent: number;
}

/** R33 *defaults*: every complaint and every in-home repair; 30% of the rest, skipped if rated. */
export const DEFAULT_VISIT_POLICIES: readonly VisitPolicy[] = VISIT_KINDS.map((kind) =>
  kind === 'complaint' || kind === 'repair_indoor'
    ? { kind, mode: 'always', samplePercent: 100 }
    : { kind, mode: 'skip_if_rated', samplePercent: 30 },
);

/** The kind a finished request's policy is looked up by. */
export function visitKindOf(ticket: { type: string; repairScope: string | null }): VisitKind {
  if (ticket.type === 'repair') return ticket.repairScope === 'indoor' ? 'repair_indoor' : 'repair_public';
  return (VISIT_KINDS as readonly string[]).includes(ticket.type) ? (ticket.type as VisitKind) : 'inquiry';
}

/**
 * Where a request falls in 0–99 for sampling: the 32-bit FNV-1a hash of its id, modulo 100.
 * Deterministic — the same request is always in or out, on every server and in every test — and
 * spread evenly over the random part of the ids (pure: no crypto module, so the console may use it).
 */
export function sampleBucket(ticketId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < ticketId.length; i++) {
    hash ^= ticketId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 100;
}

/** Whether a finished request gets a return visit under its policy (R33). */
export function needsVisit(policy: VisitPolicy | undefined, ticketId: string): boolean {
  if (!policy || policy.mode === 'none') return false;
  return sampleBucket(ticketId) < Math.min(Math.max(policy.samplePercent, 0), 100);
}

/** open: to call; reached: on the line, the result is due; done: result recorded; closed: unreachable, refused, rated or cancelled. */
export const VISIT_STATUSES = ['open', 'reached', 'done', 'closed'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];
export const OPEN_VISIT_STATUSES: readonly VisitStatus[] = ['open', 'reached'];

export const VISIT_OUTCOMES = ['no_answer', 'busy', 'reached', 'refused'] as const;
export type VisitOutcome = (typeof VISIT_OUTCOMES)[number];

export const VISIT_CLOSE_REASONS = ['unreachable', 'refused', 'rated', 'reopened'] as const;
export type VisitCloseReason = (typeof VISIT_CLOSE_REASONS)[number];

/** The queues of the return-visits page. */
export const VISIT_VIEWS = ['mine', 'due', 'all'] as const;
export type VisitView = (typeof VISIT_VIEWS)[number];

/** Unanswered attempts after which the resident counts as unreachable and the visit is closed. */
export const MAX_VISIT_ATTEMPTS = 3;
/** After the first unanswered attempt: try again 2 hours later. */
export const FIRST_RETRY_MS = 2 * 3_600_000;
/** After the second: the next day at this local hour, in the community's time zone. */
export const NEXT_DAY_RETRY_HOUR = 10;

/** Milliseconds to add to UTC to get the wall time of `timeZone` at `at`. */
function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** `hour`:00 local time on the day after `now`'s local date, in `timeZone`. */
export function nextDayAt(now: Date, hour: number, timeZone: string): Date {
  const local = new Date(now.getTime() + zoneOffsetMs(now, timeZone));
  const guess = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1, hour, 0, 0);
  const first = guess - zoneOffsetMs(new Date(guess), timeZone);
  return new Date(guess - zoneOffsetMs(new Date(first), timeZone));
}

/** What one attempt does to an open visit. */
export type VisitAttemptEffect =
  | { status: 'reached' }
  | { status: 'open'; retryAt: Date }
  | { status: 'closed'; reason: 'unreachable' | 'refused' };

/**
 * reached: the result is recorded next; refused: closed (the resident declined the visit);
 * no_answer, busy: tried again +2 h after the first, the next day at 10:00 (community time) after
 * the second, and closed as unreachable after the third (MAX_VISIT_ATTEMPTS).
 */
export function visitAttemptEffect(
  outcome: VisitOutcome,
  failuresBefore: number,
  now: Date,
  timeZone: string,
): VisitAttemptEffect {
  switch (outcome) {
    case 'reached':
      return { status: 'reached' };
    case 'refused':
      return { status: 'closed', reason: 'refused' };
    case 'no_answer':
    case 'busy': {
      const failures = failuresBefore + 1;
      if (failures >= MAX_VISIT_ATTEMPTS) return { status: 'closed', reason: 'unreachable' };
      if (failures === 1) return { status: 'open', retryAt: new Date(now.getTime() + FIRST_RETRY_MS) };
      return { status: 'open', retryAt: nextDayAt(now, NEXT_DAY_RETRY_HOUR, timeZone) };
    }
  }
}

/** R34: the dimensions of satisfaction, each 1–5. */
export const SCORE_DIMENSIONS = ['overall', 'speed', 'attitude', 'quality'] as const;
export type ScoreDimension = (typeof SCORE_DIMENSIONS)[number];
export type Scores = Record<ScoreDimension, number>;

/** A score at or below this, on any dimension, is poor and opens a complaint follow-up (R34). */
export const POOR_SCORE = 2;

/** The dimensions scored poorly: any at 2 or less (an overall 3 with attitude 1 is still a complaint). */
export function poorDimensions(scores: Scores): ScoreDimension[] {
  return SCORE_DIMENSIONS.filter((d) => scores[d] <= POOR_SCORE);
}

/** The dimension that is not a whole number from 1 to 5, if any. */
export function invalidScore(scores: Record<string, unknown>): ScoreDimension | null {
  for (const d of SCORE_DIMENSIONS) {
    const v = scores[d];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 5) return d;
  }
  return null;
}
