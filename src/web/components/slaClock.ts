import type { paths } from '../api/schema';

type ClockListBody =
  paths['/api/v1/tickets/{id}/sla']['get']['responses'][200]['content']['application/json'];
/** One SLA clock as the server reports it (GET /tickets/{id}/sla, /sla/board, /sla/overdue). */
export type SlaClock = ClockListBody['items'][number];
export type SlaTarget = SlaClock['target'];

/**
 * The server's answer with the moment the browser received it: the countdown runs from the
 * server's `now`, not the browser's clock (the two may differ; tests move the server's clock).
 */
export interface ClockSnapshot {
  items: SlaClock[];
  /** Server time minus browser time, in ms, measured when the answer arrived. */
  offsetMs: number;
}

/** The server's time as of the answer, mapped onto the browser's clock. */
export function snapshotOf(body: ClockListBody, receivedAt: number): ClockSnapshot {
  const serverNow = Date.parse(body.now);
  return { items: body.items, offsetMs: Number.isFinite(serverNow) ? serverNow - receivedAt : 0 };
}

/** What a countdown shows: green, amber from the warning time, red once due, grey when stopped. */
export type CountdownState = 'ok' | 'warning' | 'breached' | 'paused' | 'met' | 'cancelled';

export interface CountdownView {
  state: CountdownState;
  /** Time left (≥ 0), or time overdue when `state` is breached; null once met or cancelled. */
  ms: number | null;
}

/**
 * The state of a clock at the server time `serverNow`. A clock the server already marked
 * breached is red whatever the time says; a running one turns amber at its warn time and red at
 * its due time on its own, so the colour changes on the second even between two fetches.
 */
export function countdownAt(clock: SlaClock, serverNow: number): CountdownView {
  if (clock.status === 'met') return { state: 'met', ms: null };
  if (clock.status === 'cancelled') return { state: 'cancelled', ms: null };
  if (clock.status === 'paused') {
    // a paused deadline stands still: what was left when it stopped is what is left now
    return { state: 'paused', ms: Math.max(0, clock.remainingMs ?? 0) };
  }
  const due = Date.parse(clock.dueAt);
  const left = due - serverNow;
  if (clock.status === 'breached' || left <= 0) return { state: 'breached', ms: Math.max(0, -left) };
  const warned = clock.warnedAt !== null || serverNow >= Date.parse(clock.warnAt);
  return { state: warned ? 'warning' : 'ok', ms: left };
}

/**
 * The clock a queue row shows: an overdue one first (the longest overdue), else the running
 * one due soonest, else a paused one; null when the ticket has no open clock.
 */
export function nearestClock(clocks: readonly SlaClock[]): SlaClock | null {
  let best: SlaClock | null = null;
  for (const clock of clocks) {
    if (clock.status === 'met' || clock.status === 'cancelled') continue;
    if (!best || rank(clock) < rank(best)) best = clock;
  }
  return best;
}

function rank(clock: SlaClock): number {
  const group = clock.status === 'breached' ? 0 : clock.status === 'paused' ? 2 : 1;
  // within a group, the earlier due first (ms since epoch fit well below 1e13)
  return group * 1e14 + Date.parse(clock.dueAt);
}

/**
 * A duration as the countdown shows it: 04:59 under an hour, 1:05:09 under a day, and days with
 * hours beyond (the `days` template, e.g. 2天3小时).
 */
export function formatCountdown(ms: number, days: (d: number, h: number) => string): string {
  const total = Math.floor(Math.max(0, ms) / 1000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return days(d, h);
  if (h > 0) return `${h}:${two(m)}:${two(s)}`;
  return `${two(m)}:${two(s)}`;
}
