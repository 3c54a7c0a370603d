import { describe, expect, it } from 'vitest';
import { countdownAt, formatCountdown, nearestClock, type SlaClock, snapshotOf } from './slaClock';

const T0 = Date.parse('2026-11-30T02:00:00.000Z');
const MIN = 60_000;

function clock(patch: Partial<SlaClock> = {}): SlaClock {
  return {
    id: 'c1',
    ticketId: 't1',
    ticketNumber: 'YGHY-1',
    communityId: 'k1',
    target: 'first_contact',
    status: 'running',
    startedAt: new Date(T0).toISOString(),
    dueAt: new Date(T0 + 5 * MIN).toISOString(),
    warnAt: new Date(T0 + 4 * MIN).toISOString(),
    pausedAt: null,
    pauseReason: null,
    pausedMs: 0,
    warnedAt: null,
    breachedAt: null,
    metAt: null,
    remainingMs: 5 * MIN,
    minutes: 5,
    businessHours: false,
    ...patch,
  };
}

const days = (d: number, h: number) => `${d}天${h}小时`;

describe('SLA countdown', () => {
  it('is green before the warning time, amber from it, red from the due time', () => {
    expect(countdownAt(clock(), T0 + MIN)).toEqual({ state: 'ok', ms: 4 * MIN });
    expect(countdownAt(clock(), T0 + 4 * MIN)).toEqual({ state: 'warning', ms: MIN });
    expect(countdownAt(clock(), T0 + 5 * MIN)).toEqual({ state: 'breached', ms: 0 });
    expect(countdownAt(clock(), T0 + 6 * MIN + 5000)).toEqual({ state: 'breached', ms: MIN + 5000 });
  });

  it('follows what the server already fired, whatever the local estimate says', () => {
    expect(countdownAt(clock({ warnedAt: new Date(T0).toISOString() }), T0).state).toBe('warning');
    expect(countdownAt(clock({ status: 'breached' }), T0).state).toBe('breached');
  });

  it('stands still while paused and is grey once met or cancelled', () => {
    const paused = clock({ status: 'paused', remainingMs: 3 * MIN });
    expect(countdownAt(paused, T0 + 60 * MIN)).toEqual({ state: 'paused', ms: 3 * MIN });
    expect(countdownAt(clock({ status: 'met', remainingMs: null }), T0)).toEqual({ state: 'met', ms: null });
    expect(countdownAt(clock({ status: 'cancelled' }), T0).state).toBe('cancelled');
  });

  it('measures the server/browser offset from the answer’s now', () => {
    const snapshot = snapshotOf({ items: [], now: new Date(T0).toISOString() }, T0 - 90_000);
    expect(snapshot.offsetMs).toBe(90_000);
  });

  it('shows a queue row the overdue clock first, else the running one due soonest', () => {
    const soon = clock({ id: 'soon', dueAt: new Date(T0 + 2 * MIN).toISOString() });
    const later = clock({ id: 'later', dueAt: new Date(T0 + 9 * MIN).toISOString() });
    const late = clock({ id: 'late', status: 'breached', dueAt: new Date(T0 + 60 * MIN).toISOString() });
    const met = clock({ id: 'met', status: 'met', dueAt: new Date(T0).toISOString() });
    expect(nearestClock([later, soon, met])?.id).toBe('soon');
    expect(nearestClock([later, soon, late])?.id).toBe('late');
    expect(nearestClock([met])).toBeNull();
  });

  it('formats minutes, hours and days', () => {
    expect(formatCountdown(4 * MIN + 59_999, days)).toBe('04:59');
    expect(formatCountdown(65 * MIN + 9000, days)).toBe('1:05:09');
    expect(formatCountdown(51 * 60 * MIN, days)).toBe('2天3小时');
    expect(formatCountdown(-5, days)).toBe('00:00');
  });
});
