import { useMemo } from 'react';
import { SlaCountdown } from '../../components/SlaCountdown';
import { nearestClock, type SlaClock } from '../../components/slaClock';
import { useRefreshOnFiring, useSlaClocks } from './queries';

/** The `view` of the tickets list that shows the overdue queue (GET /sla/overdue), not a ticket list. */
export const OVERDUE_VIEW = 'overdue';

export interface QueueClock {
  clock: SlaClock;
  offsetMs: number;
}

/**
 * The clock each queue row shows, by ticket id: the overdue and the running clocks of the
 * community, two requests for the whole page (never one per row), refreshed live with the queue.
 */
export function useQueueClocks(communityId: string | undefined, enabled: boolean) {
  const running = useSlaClocks('board', communityId, { enabled, limit: 500 });
  const overdue = useSlaClocks('overdue', communityId, { enabled, limit: 500 });
  useRefreshOnFiring(running.data?.items);
  useRefreshOnFiring(overdue.data?.items);
  const byTicket = useMemo(() => {
    const clocks = new Map<string, { clocks: SlaClock[]; offsetMs: number }>();
    for (const snapshot of [overdue.data, running.data]) {
      for (const clock of snapshot?.items ?? []) {
        const entry = clocks.get(clock.ticketId) ?? { clocks: [], offsetMs: snapshot?.offsetMs ?? 0 };
        entry.clocks.push(clock);
        clocks.set(clock.ticketId, entry);
      }
    }
    const nearest = new Map<string, QueueClock>();
    for (const [ticketId, entry] of clocks) {
      const clock = nearestClock(entry.clocks);
      if (clock) nearest.set(ticketId, { clock, offsetMs: entry.offsetMs });
    }
    return nearest;
  }, [running.data, overdue.data]);
  return { byTicket, overdue };
}

/** A queue row's chip: its most urgent clock, or a dash. */
export function QueueCountdown({ entry }: { entry: QueueClock | undefined }) {
  if (!entry) return <span>—</span>;
  return <SlaCountdown clock={entry.clock} offsetMs={entry.offsetMs} />;
}
