import { describe, expect, it } from 'vitest';
import {
  drawQaSample,
  isNewStaff,
  mentionsKeyword,
  parseWeek,
  type QaCandidate,
  type QaPick,
} from './qa-sampling.js';

const WEEK_END = new Date('2026-12-07T00:00:00.000Z');
const agents = [
  { id: 'old', createdAt: '2025-01-01T00:00:00.000Z' },
  { id: 'new', createdAt: '2026-11-01T00:00:00.000Z' },
];
const handled = (agent: string, n: number, type: 'ticket' | 'call' = 'ticket'): QaCandidate[] =>
  Array.from({ length: n }, (_, i) => ({
    subjectType: type,
    subjectId: `${agent}-${type}-${i}`,
    agentUserId: agent,
    text: '电梯停在 5 楼不动，请尽快处理',
  }));

describe('quality spot-check sampling (R39)', () => {
  it('picks N per agent at random, twice as many for staff created within 90 days', () => {
    const picks = drawQaSample({
      candidates: [...handled('old', 10), ...handled('new', 10, 'call')],
      agents,
      weekEnd: WEEK_END,
      existing: [],
      seed: 'w49',
    });
    expect(picks.filter((p) => p.agentUserId === 'old')).toHaveLength(2);
    expect(picks.filter((p) => p.agentUserId === 'old').every((p) => p.reason === 'random')).toBe(true);
    expect(picks.filter((p) => p.agentUserId === 'new')).toHaveLength(4);
    expect(picks.filter((p) => p.agentUserId === 'new').every((p) => p.reason === 'new_staff')).toBe(true);
    expect(new Set(picks.map((p) => p.subjectId)).size).toBe(6);
  });

  it('takes what there is when an agent handled fewer than N, and honours another N', () => {
    const picks = drawQaSample({
      candidates: [...handled('old', 1), ...handled('new', 10)],
      agents,
      weekEnd: WEEK_END,
      existing: [],
      seed: 's',
      perAgent: 3,
    });
    expect(picks.filter((p) => p.agentUserId === 'old')).toHaveLength(1);
    expect(picks.filter((p) => p.agentUserId === 'new')).toHaveLength(6);
  });

  it('always takes every request or call mentioning 投诉 / 赔偿 / 起诉, in either script', () => {
    const texts = ['住户要投诉物业', '要求赔偿损失', '说要去法院起诉', '我要投訴', '要求賠償', '揚言起訴'];
    const keyword = texts.map((text, i) => ({
      subjectType: 'ticket' as const,
      subjectId: `k${i}`,
      agentUserId: 'old',
      text,
    }));
    const picks = drawQaSample({
      candidates: [...handled('old', 10), ...keyword],
      agents,
      weekEnd: WEEK_END,
      existing: [],
      seed: 'x',
    });
    expect(
      picks
        .filter((p) => p.reason === 'keyword')
        .map((p) => p.subjectId)
        .sort(),
    ).toEqual(keyword.map((k) => k.subjectId));
    // on top of the random two
    expect(picks.filter((p) => p.reason === 'random')).toHaveLength(2);
    // even with nobody known to have handled it
    const orphan = drawQaSample({
      candidates: [{ subjectType: 'call', subjectId: 'c', agentUserId: null, text: '投诉' }],
      agents,
      weekEnd: WEEK_END,
      existing: [],
      seed: 'x',
    });
    expect(orphan).toEqual([{ subjectType: 'call', subjectId: 'c', agentUserId: null, reason: 'keyword' }]);
  });

  it('is deterministic for a seed and different seeds pick differently', () => {
    const input = { candidates: handled('old', 30), agents, weekEnd: WEEK_END, existing: [] };
    const a = drawQaSample({ ...input, seed: 'one' });
    expect(drawQaSample({ ...input, seed: 'one' })).toEqual(a);
    // the order the rows arrive in does not matter
    expect(drawQaSample({ ...input, candidates: [...input.candidates].reverse(), seed: 'one' })).toEqual(a);
    const others = ['two', 'three', 'four', 'five'].map((seed) => drawQaSample({ ...input, seed }));
    expect(others.some((o) => JSON.stringify(o) !== JSON.stringify(a))).toBe(true);
  });

  it('is idempotent: drawing again over what was drawn adds nothing; new keyword ones still come in', () => {
    const candidates = [...handled('old', 10), ...handled('new', 10)];
    const first = drawQaSample({ candidates, agents, weekEnd: WEEK_END, existing: [], seed: 'a' });
    const again = drawQaSample({ candidates, agents, weekEnd: WEEK_END, existing: first, seed: 'b' });
    expect(again).toEqual([]);
    const later: QaPick[] = drawQaSample({
      candidates: [
        ...candidates,
        { subjectType: 'ticket', subjectId: 'late', agentUserId: 'old', text: '要求赔偿' },
      ],
      agents,
      weekEnd: WEEK_END,
      existing: first,
      seed: 'c',
    });
    expect(later).toEqual([
      { subjectType: 'ticket', subjectId: 'late', agentUserId: 'old', reason: 'keyword' },
    ]);
  });

  it('new staff: created within 90 days before the week ends', () => {
    expect(isNewStaff({ id: 'a', createdAt: '2026-09-08T00:00:00.000Z' }, WEEK_END)).toBe(true);
    expect(isNewStaff({ id: 'a', createdAt: '2026-09-07T00:00:00.000Z' }, WEEK_END)).toBe(false);
    expect(isNewStaff({ id: 'a', createdAt: '2026-09-06T23:59:59.000Z' }, WEEK_END)).toBe(false);
  });

  it('keywords are found anywhere in the text', () => {
    expect(mentionsKeyword('您好，我想投诉楼上噪音')).toBe(true);
    expect(mentionsKeyword('您好，请问物业费怎么交？')).toBe(false);
  });

  it('weeks: ISO week labels and dates', () => {
    expect(parseWeek('2026-W49')).toEqual({ label: '2026-W49', monday: '2026-11-30', sunday: '2026-12-06' });
    expect(parseWeek('2026-12-03')).toEqual(parseWeek('2026-W49'));
    expect(parseWeek('2026-W01')!.monday).toBe('2025-12-29');
    expect(parseWeek('2021-01-03')!.label).toBe('2020-W53');
    expect(parseWeek('2026-W53')!.sunday).toBe('2027-01-03');
    expect(parseWeek('2025-W53')).toBeNull();
    expect(parseWeek('2026-W00')).toBeNull();
    expect(parseWeek('2026-02-30')).toBeNull();
    expect(parseWeek('next week')).toBeNull();
  });
});
