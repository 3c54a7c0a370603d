import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import type { Translate } from '../app/i18n';
import { interpolate, lookup, messages } from '../locales';
import { formatWhen } from './format';

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
