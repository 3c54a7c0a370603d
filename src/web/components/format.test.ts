import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import type { Translate } from '../app/i18n';
import { interpolate, lookup, messages } from '../locales';
import { formatDuration, formatWhen, formatWindow } from './format';

const t: Translate = (key, params) => interpolate(lookup(messages['zh-CN'], key) ?? key, params);
const now = dayjs('2026-11-30T16:00:00');

describe('formatWhen (UX.md: times as the desk reads them)', () => {
  it('shows only the time today, 昨天 yesterday, month and day this year, the date before', () => {
    expect(formatWhen(dayjs('2026-11-30T14:05:00').toISOString(), t, now)).toBe('14:05');
    expect(formatWhen(dayjs('2026-11-29T14:05:00').toISOString(), t, now)).toBe('昨天 14:05');
    expect(formatWhen(dayjs('2026-11-28T14:05:00').toISOString(), t, now)).toBe('11月28日 14:05');
    expect(formatWhen(dayjs('2025-11-28T14:05:00').toISOString(), t, now)).toBe('2025年11月28日');
  });
});

describe('formatWindow and formatDuration (R8: the visit window as said aloud)', () => {
  it('says today, tomorrow or the date, with the window', () => {
    const at = (iso: string) => dayjs(iso).toISOString();
    expect(formatWindow(at('2026-11-30T14:00:00'), at('2026-11-30T16:00:00'), t, now)).toBe(
      '今天14:00–16:00',
    );
    expect(formatWindow(at('2026-12-01T08:00:00'), at('2026-12-01T10:00:00'), t, now)).toBe(
      '明天08:00–10:00',
    );
    expect(formatWindow(at('2026-12-03T14:00:00'), at('2026-12-03T16:00:00'), t, now)).toBe(
      '12月3日14:00–16:00',
    );
  });

  it('says durations in hours and minutes', () => {
    expect(formatDuration(135, t)).toBe('2小时15分');
    expect(formatDuration(45, t)).toBe('45分钟');
    expect(formatDuration(180, t)).toBe('3小时');
  });
});
