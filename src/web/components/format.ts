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
