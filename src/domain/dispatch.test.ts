import { describe, expect, it } from 'vitest';
import { type DutyCandidate, effectiveDispatch, isDispatchMode, needsTeam, nextInTurn } from './dispatch.js';

describe('dispatch by category', () => {
  it('grab and auto need a team; assign does not', () => {
    expect(needsTeam('assign')).toBe(false);
    expect(needsTeam('grab')).toBe(true);
    expect(needsTeam('auto')).toBe(true);
    expect(isDispatchMode('auto')).toBe(true);
    expect(isDispatchMode('robin')).toBe(false);
  });

  it('a second-level category without settings of its own follows its first level', () => {
    const parent = { mode: 'auto' as const, teamId: 'team-water' };
    expect(effectiveDispatch({ mode: 'assign', teamId: null }, parent)).toEqual(parent);
    // its own team, even when dispatched by hand, is a setting of its own
    expect(effectiveDispatch({ mode: 'assign', teamId: 'team-x' }, parent)).toEqual({
      mode: 'assign',
      teamId: 'team-x',
    });
    expect(effectiveDispatch({ mode: 'grab', teamId: 'team-y' }, parent)).toEqual({
      mode: 'grab',
      teamId: 'team-y',
    });
    expect(effectiveDispatch({ mode: 'assign', teamId: null }, null)).toEqual({
      mode: 'assign',
      teamId: null,
    });
  });

  it('takes turns: never assigned first (by user id), then whoever waited longest', () => {
    const members: DutyCandidate[] = [
      { userId: 'c', lastAssignedAt: null },
      { userId: 'a', lastAssignedAt: '2026-11-30T02:00:00.000Z' },
      { userId: 'b', lastAssignedAt: null },
    ];
    expect(nextInTurn(members)?.userId).toBe('b');
    expect(nextInTurn(members.filter((m) => m.userId !== 'b'))?.userId).toBe('c');
    expect(
      nextInTurn([
        { userId: 'a', lastAssignedAt: '2026-11-30T02:05:00.000Z' },
        { userId: 'b', lastAssignedAt: '2026-11-30T02:01:00.000Z' },
        { userId: 'c', lastAssignedAt: '2026-11-30T02:03:00.000Z' },
      ])?.userId,
    ).toBe('b');
    // the same moment: the lower id, so every server makes the same choice
    expect(
      nextInTurn([
        { userId: 'b', lastAssignedAt: '2026-11-30T02:01:00.000Z' },
        { userId: 'a', lastAssignedAt: '2026-11-30T02:01:00.000Z' },
      ])?.userId,
    ).toBe('a');
    expect(nextInTurn([])).toBeUndefined();
  });
});
