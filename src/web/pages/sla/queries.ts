import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { type ClockSnapshot, type SlaClock, snapshotOf } from '../../components/slaClock';
import { TICKETS_KEY, ticketKey } from '../tickets/queries';

/**
 * How often shown clocks are fetched again. The countdown ticks in the browser every second; the
 * fetch re-reads the server's time and what the scheduler fired (warn, breach, escalation), so
 * the chip follows the server's clock even when no live event says so (a warning changes no
 * ticket). Live updates refetch sooner: the keys below sit under the tickets' keys that
 * liveUpdates.ts invalidates on every `ticket.changed`.
 */
export const SLA_REFRESH_MS = 5_000;

/** Wraps an answer with the server/browser clock offset, measured when it arrived. */
async function snapshot(call: Parameters<typeof unwrap>[0]): Promise<ClockSnapshot> {
  const body = (await unwrap(call)) as Parameters<typeof snapshotOf>[0];
  return snapshotOf(body, Date.now());
}

/** A ticket's clocks (the detail's 时限 section); refreshed with the ticket's detail. */
export function useTicketClocks(ticketId: string | undefined) {
  return useQuery({
    queryKey: [...ticketKey(ticketId), 'sla'],
    queryFn: () =>
      snapshot(api.GET('/api/v1/tickets/{id}/sla', { params: { path: { id: ticketId ?? '' } } })),
    enabled: !!ticketId,
    refetchInterval: SLA_REFRESH_MS,
  });
}

/**
 * Running clocks, the one due first on top (GET /sla/board), or the breached ones (/sla/overdue).
 * One request for a whole page: queue rows are matched to it by ticket id. Keyed under the
 * ticket lists, so a live `ticket.changed` refreshes it like the queues.
 */
export function useSlaClocks(
  kind: 'board' | 'overdue',
  communityId: string | undefined,
  options: { enabled?: boolean; limit?: number } = {},
) {
  const limit = options.limit ?? 200;
  return useQuery({
    queryKey: [...TICKETS_KEY, 'list', 'sla', kind, communityId ?? null, limit],
    queryFn: () => snapshot(api.GET(`/api/v1/sla/${kind}`, { params: { query: { communityId, limit } } })),
    enabled: options.enabled ?? true,
    refetchInterval: SLA_REFRESH_MS,
    placeholderData: keepPreviousData,
  });
}

type ComplianceQuery = NonNullable<paths['/api/v1/sla/compliance']['get']['parameters']['query']>;
export type ComplianceGroup = NonNullable<ComplianceQuery['groupBy']>;
export const COMPLIANCE_GROUPS = [
  'community',
  'team',
  'worker',
  'type',
  'target',
] as const satisfies readonly ComplianceGroup[];

/** The on-time rate of the clocks started in [from, to), per group (GET /sla/compliance). */
export function useCompliance(query: ComplianceQuery) {
  return useQuery({
    queryKey: [...TICKETS_KEY, 'list', 'sla', 'compliance', query],
    queryFn: () => unwrap(api.GET('/api/v1/sla/compliance', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

/** What the scheduler changes on a clock: its status, its warning and its breach. */
const firedState = (clock: SlaClock) => `${clock.status}|${clock.warnedAt ?? ''}|${clock.breachedAt ?? ''}`;
/** The last state seen of each clock on screen, wherever it was shown. */
const seenClocks = new Map<string, string>();

/**
 * When a clock is seen warned, breached, met or paused since it was last seen, the request's
 * detail is fetched again: a breach escalates the request (R26) and puts it on its timeline. The
 * live stream normally says so itself; this also covers a scheduler running on another server
 * whose event was missed, and a warning, which changes no request.
 */
export function useRefreshOnFiring(clocks: readonly SlaClock[] | undefined) {
  const queryClient = useQueryClient();
  useEffect(() => {
    for (const clock of clocks ?? []) {
      const state = firedState(clock);
      const before = seenClocks.get(clock.id);
      seenClocks.set(clock.id, state);
      if (before !== undefined && before !== state)
        void queryClient.invalidateQueries({ queryKey: ticketKey(clock.ticketId), exact: true });
    }
  }, [clocks, queryClient]);
}
