import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';

/** The current time, refreshed every `ms` while mounted (running clocks and countdowns). */
export function useNow(ms: number): Dayjs {
  const [now, setNow] = useState(() => dayjs());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(dayjs()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}
