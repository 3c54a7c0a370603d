import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  PauseCircleOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import { useSyncExternalStore } from 'react';
import { useI18n } from '../app/i18n';
import { formatFull } from './format';
import { type CountdownState, countdownAt, formatCountdown, type SlaClock } from './slaClock';

/**
 * One timer for every countdown on screen (a queue of 30 rows ticks once a second, not 30 times).
 * It runs only while a countdown is mounted.
 */
const ticker = (() => {
  const listeners = new Set<() => void>();
  let now = Date.now();
  let timer: number | undefined;
  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      if (timer === undefined) {
        now = Date.now();
        timer = window.setInterval(() => {
          now = Date.now();
          for (const notify of listeners) notify();
        }, 1000);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          window.clearInterval(timer);
          timer = undefined;
        }
      };
    },
    now: () => now,
  };
})();

/** The browser's time, re-rendered every second. */
export function useTick(): number {
  return useSyncExternalStore(ticker.subscribe, ticker.now, ticker.now);
}

/** The same colours everywhere (UX.md): green → amber → red, grey when the clock stands still. */
const COLOR: Record<CountdownState, string> = {
  ok: 'success',
  warning: 'warning',
  breached: 'error',
  paused: 'default',
  met: 'default',
  cancelled: 'default',
};

const ICON: Record<CountdownState, React.ReactNode> = {
  ok: <ClockCircleOutlined aria-hidden />,
  warning: <WarningOutlined aria-hidden />,
  breached: <WarningOutlined aria-hidden />,
  paused: <PauseCircleOutlined aria-hidden />,
  met: <CheckCircleOutlined aria-hidden />,
  cancelled: null,
};

/**
 * A live SLA chip: `首次联系 04:12`, amber `将超时 00:48`, red `已超时 +02:05`, grey when paused or
 * met. It ticks every second in the browser from the server's time (`offsetMs`: server minus
 * browser, measured at the last fetch), so it follows the server's clock, not the desk PC's. The
 * state is in the words and the icon as well as the colour, and in full in the aria-label.
 */
export function SlaCountdown({
  clock,
  offsetMs,
  showTarget = true,
}: {
  clock: SlaClock;
  offsetMs: number;
  showTarget?: boolean;
}) {
  const { t } = useI18n();
  const browserNow = useTick();
  const { state, ms } = countdownAt(clock, browserNow + offsetMs);
  const target = t(`sla.target.${clock.target}`);
  const time = ms === null ? '' : formatCountdown(ms, (d, h) => t('sla.days', { d, h }));
  const shown = state === 'breached' ? `+${time}` : time;
  const words = [showTarget ? target : null, state === 'ok' ? null : t(`sla.state.${state}`), shown]
    .filter(Boolean)
    .join(' ');
  const tooltip =
    state === 'met' && clock.metAt
      ? t('sla.metAt', { when: formatFull(clock.metAt, t) })
      : t('sla.due', { when: formatFull(clock.dueAt, t) });
  return (
    <Tooltip title={tooltip}>
      <Tag
        color={COLOR[state]}
        icon={ICON[state]}
        role="timer"
        aria-label={t(`sla.aria.${state}`, { target, time })}
        data-testid="sla-countdown"
        data-state={state}
        data-target={clock.target}
        style={{ fontVariantNumeric: 'tabular-nums', marginInlineEnd: 0, whiteSpace: 'nowrap' }}
      >
        {words}
      </Tag>
    </Tooltip>
  );
}
