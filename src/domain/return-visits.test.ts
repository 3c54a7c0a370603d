import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VISIT_POLICIES,
  invalidScore,
  needsVisit,
  nextDayAt,
  poorDimensions,
  sampleBucket,
  visitAttemptEffect,
  visitKindOf,
} from './return-visits.js';

const NOW = new Date('2026-11-30T06:30:00.000Z'); // Monday 14:30 in Shanghai

describe('which finished jobs get a return visit (R33)', () => {
  it('defaults: every complaint and in-home repair; 30% of the rest, skipped if rated', () => {
    const of = (kind: string) => DEFAULT_VISIT_POLICIES.find((p) => p.kind === kind);
    expect(of('complaint')).toEqual({ kind: 'complaint', mode: 'always', samplePercent: 100 });
    expect(of('repair_indoor')).toEqual({ kind: 'repair_indoor', mode: 'always', samplePercent: 100 });
    for (const kind of ['repair_public', 'inquiry', 'suggestion', 'help', 'praise', 'emergency'])
      expect(of(kind)).toEqual({ kind, mode: 'skip_if_rated', samplePercent: 30 });
  });

  it('repairs are split in-home / common area', () => {
    expect(visitKindOf({ type: 'repair', repairScope: 'indoor' })).toBe('repair_indoor');
    expect(visitKindOf({ type: 'repair', repairScope: 'public' })).toBe('repair_public');
    expect(visitKindOf({ type: 'repair', repairScope: null })).toBe('repair_public');
    expect(visitKindOf({ type: 'complaint', repairScope: null })).toBe('complaint');
  });

  it('sampling is a deterministic hash of the request id, spread evenly', () => {
    const ids = Array.from(
      { length: 2000 },
      (_, i) =>
        `0193a0b2-7c4d-7${String(i).padStart(3, '0')}-8abc-${(i * 7919).toString(16).padStart(12, '0')}`,
    );
    for (const id of ids.slice(0, 20)) expect(sampleBucket(id)).toBe(sampleBucket(id));
    const chosen = ids.filter((id) =>
      needsVisit({ kind: 'inquiry', mode: 'skip_if_rated', samplePercent: 30 }, id),
    );
    expect(chosen.length / ids.length).toBeGreaterThan(0.25);
    expect(chosen.length / ids.length).toBeLessThan(0.35);
    expect(ids.every((id) => sampleBucket(id) >= 0 && sampleBucket(id) < 100)).toBe(true);
  });

  it('none is never visited, 100% always, 0% never', () => {
    expect(needsVisit({ kind: 'praise', mode: 'none', samplePercent: 100 }, 'x')).toBe(false);
    expect(needsVisit({ kind: 'complaint', mode: 'always', samplePercent: 100 }, 'x')).toBe(true);
    expect(needsVisit({ kind: 'complaint', mode: 'always', samplePercent: 0 }, 'x')).toBe(false);
    expect(needsVisit(undefined, 'x')).toBe(false);
  });
});

describe('attempts and the retry schedule (R33)', () => {
  it('no answer: +2 h; again: the next day at 10:00 community time; a third: unreachable', () => {
    expect(visitAttemptEffect('no_answer', 0, NOW, 'Asia/Shanghai')).toEqual({
      status: 'open',
      retryAt: new Date('2026-11-30T08:30:00.000Z'),
    });
    expect(visitAttemptEffect('busy', 1, NOW, 'Asia/Shanghai')).toEqual({
      status: 'open',
      retryAt: new Date('2026-12-01T02:00:00.000Z'),
    });
    expect(visitAttemptEffect('no_answer', 2, NOW, 'Asia/Shanghai')).toEqual({
      status: 'closed',
      reason: 'unreachable',
    });
    expect(visitAttemptEffect('reached', 2, NOW, 'Asia/Shanghai')).toEqual({ status: 'reached' });
    expect(visitAttemptEffect('refused', 0, NOW, 'Asia/Shanghai')).toEqual({
      status: 'closed',
      reason: 'refused',
    });
  });

  it('the next day is the community’s next day, across midnight UTC and in other zones', () => {
    // 23:30 in Shanghai on Monday is 15:30 UTC: the next day is Tuesday there
    expect(nextDayAt(new Date('2026-11-30T15:30:00.000Z'), 10, 'Asia/Shanghai').toISOString()).toBe(
      '2026-12-01T02:00:00.000Z',
    );
    expect(nextDayAt(new Date('2026-11-30T15:30:00.000Z'), 10, 'Asia/Taipei').toISOString()).toBe(
      '2026-12-01T02:00:00.000Z',
    );
    expect(nextDayAt(new Date('2026-11-30T15:30:00.000Z'), 10, 'UTC').toISOString()).toBe(
      '2026-12-01T10:00:00.000Z',
    );
  });
});

describe('satisfaction (R34)', () => {
  it('a score of 2 or less on any dimension is poor', () => {
    expect(poorDimensions({ overall: 5, speed: 5, attitude: 5, quality: 5 })).toEqual([]);
    expect(poorDimensions({ overall: 3, speed: 4, attitude: 2, quality: 3 })).toEqual(['attitude']);
    expect(poorDimensions({ overall: 1, speed: 2, attitude: 3, quality: 2 })).toEqual([
      'overall',
      'speed',
      'quality',
    ]);
  });

  it('scores are whole numbers from 1 to 5', () => {
    expect(invalidScore({ overall: 5, speed: 1, attitude: 3, quality: 4 })).toBeNull();
    expect(invalidScore({ overall: 0, speed: 1, attitude: 3, quality: 4 })).toBe('overall');
    expect(invalidScore({ overall: 5, speed: 4.5, attitude: 3, quality: 4 })).toBe('speed');
    expect(invalidScore({ overall: 5, speed: 4, attitude: '3', quality: 4 })).toBe('attitude');
    expect(invalidScore({ overall: 5, speed: 4, attitude: 3 })).toBe('quality');
  });
});
