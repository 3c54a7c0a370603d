import dayjs from 'dayjs';
import type { Translate } from '../app/i18n';

/**
 * Times as a front desk reads them (UX.md): 14:05 today, 昨天 14:05, 11月28日 14:05 this year,
 * 2025年11月28日 for older ones.
 */
export function formatWhen(iso: string, t: Translate, now: dayjs.Dayjs = dayjs()): string {
  const at = dayjs(iso);
  if (!at.isValid()) return iso;
  const time = at.format('HH:mm');
  if (at.isSame(now, 'day')) return t('time.today', { time });
  if (at.isSame(now.subtract(1, 'day'), 'day')) return t('time.yesterday', { time });
  if (at.isSame(now, 'year')) return at.format(t('time.sameYearFormat'));
  return at.format(t('time.olderFormat'));
}

/** Full date and time, for tooltips and detail views. */
export function formatFull(iso: string, t: Translate): string {
  const at = dayjs(iso);
  return at.isValid() ? at.format(t('time.fullFormat')) : iso;
}

/**
 * An appointment window as it is said to the resident: 今天14:00–16:00, 明天09:00–11:00,
 * 12月2日14:00–16:00 (the date of the start; a window does not span midnight).
 */
export function formatWindow(
  fromIso: string,
  toIso: string,
  t: Translate,
  now: dayjs.Dayjs = dayjs(),
): string {
  const from = dayjs(fromIso);
  const to = dayjs(toIso);
  if (!from.isValid() || !to.isValid()) return `${fromIso}–${toIso}`;
  const params = { from: from.format('HH:mm'), to: to.format('HH:mm') };
  if (from.isSame(now, 'day')) return t('time.windowToday', params);
  if (from.isSame(now.add(1, 'day'), 'day')) return t('time.windowTomorrow', params);
  return t('time.windowOther', { ...params, date: from.format(t('time.windowDateFormat')) });
}

/** A duration as the desk says it: 2小时15分, 45分钟, 3小时. */
export function formatDuration(minutes: number, t: Translate): string {
  const whole = Math.max(0, Math.round(minutes));
  const h = Math.floor(whole / 60);
  const m = whole % 60;
  if (h === 0) return t('time.minutes', { m });
  return m === 0 ? t('time.hours', { h }) : t('time.hoursMinutes', { h, m });
}
