import { describe, expect, it } from 'vitest';
import {
  assignmentAt,
  daysInclusive,
  latestPerRequest,
  localDate,
  monthsOf,
  stats,
  utcBounds,
} from './reports.stats.js';

describe('report arithmetic', () => {
  it('local days in the community’s zone: 23:30 on 30 November in Shanghai is still November', () => {
    expect(localDate('2026-11-30T15:30:00.000Z', 'Asia/Shanghai')).toBe('2026-11-30');
    expect(localDate('2026-11-30T16:30:00.000Z', 'Asia/Shanghai')).toBe('2026-12-01');
    expect(localDate('2026-11-30T16:30:00.000Z', 'Europe/London')).toBe('2026-11-30');
  });

  it('periods: inclusive days, a UTC range wide enough for every zone, every month touched', () => {
    expect(daysInclusive('2026-11-01', '2026-11-30')).toBe(30);
    expect(daysInclusive('2028-01-01', '2028-12-31')).toBe(366);
    expect(Number.isNaN(daysInclusive('2026-13-01', '2026-12-01'))).toBe(true);
    const { lo, hi } = utcBounds('2026-11-01', '2026-11-30');
    expect(lo.toISOString()).toBe('2026-10-31T10:00:00.000Z');
    expect(hi.toISOString()).toBe('2026-12-01T14:00:00.000Z');
    expect(monthsOf('2026-11-15', '2027-02-01')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
  });

  it('R34: averages to one decimal, satisfied = 4–5 overall; a request rated twice counts its latest', () => {
    const rows = [
      { ticket_id: 'a', overall: 3, speed: 3, attitude: 3, quality: 3 },
      { ticket_id: 'b', overall: 5, speed: 4, attitude: 5, quality: 5 },
      { ticket_id: 'a', overall: 2, speed: 3, attitude: 2, quality: 3 },
    ];
    const latest = latestPerRequest(rows);
    expect(latest.map((r) => r.overall)).toEqual([5, 2]);
    expect(stats(latest)).toEqual({
      count: 2,
      overall: 3.5,
      speed: 3.5,
      attitude: 3.5,
      quality: 4,
      satisfied: 1,
      satisfiedRate: 0.5,
    });
    expect(stats([])).toMatchObject({ count: 0, overall: null, satisfiedRate: null });
  });

  it('who did the work: the team and worker at the last completion before the rating, though reopened since', () => {
    const steps = [
      { type: 'dispatch', at: '1', data: JSON.stringify({ teamId: 't1', assigneeId: 'w1' }) },
      { type: 'complete', at: '2', data: '{}' },
      { type: 'reopen', at: '3', data: '{}' },
      { type: 'dispatch', at: '4', data: JSON.stringify({ teamId: 't2', assigneeId: null }) },
      { type: 'grab', at: '5', data: JSON.stringify({ assigneeId: 'w2' }) },
      { type: 'complete', at: '6', data: '{}' },
    ];
    expect(assignmentAt(steps, '2')).toEqual({ teamId: 't1', workerId: 'w1' });
    expect(assignmentAt(steps, '5')).toEqual({ teamId: 't1', workerId: 'w1' });
    expect(assignmentAt(steps, '9')).toEqual({ teamId: 't2', workerId: 'w2' });
    expect(assignmentAt(steps, '1')).toBeNull();
  });
});
