/**
 * The reports' arithmetic (§5), pure: local dates in a community's zone, the latest rating of each
 * request, averages to one decimal and rates to three.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
/** Every zone is within 14 hours of UTC: a UTC range this much wider holds every local day. */
const ZONE_SLACK_MS = 14 * 60 * 60 * 1000;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "2026-11-30": the day `at` falls on in the zone. */
export function localDate(at: string | Date, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const dateTimeFormatters = new Map<string, Intl.DateTimeFormat>();

/** "2026-11-30 23:30": `at` on the zone's wall clock. */
export function localDateTime(at: string, timeZone: string): string {
  let formatter = dateTimeFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    dateTimeFormatters.set(timeZone, formatter);
  }
  const p = Object.fromEntries(formatter.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Days from `from` to `to`, both counted ("2026-11-01".."2026-11-30" → 30); NaN for a bad date. */
export function daysInclusive(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** A UTC range that holds the local days from..to of every zone; rows are then kept by localDate. */
export function utcBounds(from: string, to: string): { lo: Date; hi: Date } {
  return {
    lo: new Date(Date.parse(`${from}T00:00:00Z`) - ZONE_SLACK_MS),
    hi: new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS + ZONE_SLACK_MS),
  };
}

/** "2026-01".."2026-03": every month the period touches. */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  let [year, month] = from.slice(0, 7).split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    out.push(key);
    if (key >= last) return out;
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
}

export interface Scores {
  overall: number;
  speed: number;
  attitude: number;
  quality: number;
}

export interface Stats {
  count: number;
  overall: number | null;
  speed: number | null;
  attitude: number | null;
  quality: number | null;
  satisfied: number;
  satisfiedRate: number | null;
}

const oneDecimal = (sum: number, n: number) => (n ? Math.round((sum / n) * 10) / 10 : null);

/** 0–1 to three decimals; null when there is nothing to divide. */
export function rate(part: number, whole: number): number | null {
  return whole ? Math.round((part / whole) * 1000) / 1000 : null;
}

/** Count, averages of the four scores (one decimal) and the share rated 4–5 overall. */
export function stats(ratings: readonly Scores[]): Stats {
  const sum = { overall: 0, speed: 0, attitude: 0, quality: 0 };
  let satisfied = 0;
  for (const r of ratings) {
    sum.overall += r.overall;
    sum.speed += r.speed;
    sum.attitude += r.attitude;
    sum.quality += r.quality;
    if (r.overall >= 4) satisfied++;
  }
  const n = ratings.length;
  return {
    count: n,
    overall: oneDecimal(sum.overall, n),
    speed: oneDecimal(sum.speed, n),
    attitude: oneDecimal(sum.attitude, n),
    quality: oneDecimal(sum.quality, n),
    satisfied,
    satisfiedRate: rate(satisfied, n),
  };
}

/**
 * Each request once, with its latest rating (by time, then id): `rows` must come oldest first,
 * so a later row of the same request replaces the earlier one.
 */
export function latestPerRequest<T extends { ticket_id: string }>(rows: readonly T[]): T[] {
  const latest = new Map<string, T>();
  for (const row of rows) {
    latest.delete(row.ticket_id);
    latest.set(row.ticket_id, row);
  }
  return [...latest.values()];
}

export interface Assignment {
  teamId: string | null;
  workerId: string | null;
}

/**
 * Who did the work a rating is about: the team and worker the request had at its last completion
 * up to `at`, replayed from its steps in order (dispatch and reassign give both, grab the worker,
 * decline and reopen take both). Null when it was not completed by then.
 */
export function assignmentAt(
  steps: readonly { type: string; at: string; data: string | null }[],
  at: string,
): Assignment | null {
  let now: Assignment = { teamId: null, workerId: null };
  let done: Assignment | null = null;
  for (const step of steps) {
    if (step.at > at) break;
    const data = step.data ? (JSON.parse(step.data) as { teamId?: unknown; assigneeId?: unknown }) : {};
    const text = (v: unknown) => (typeof v === 'string' ? v : null);
    if (step.type === 'dispatch' || step.type === 'reassign')
      now = { teamId: text(data.teamId), workerId: text(data.assigneeId) };
    else if (step.type === 'grab') now = { ...now, workerId: text(data.assigneeId) };
    else if (step.type === 'decline' || step.type === 'reopen') now = { teamId: null, workerId: null };
    else if (step.type === 'complete') done = now;
  }
  return done;
}
