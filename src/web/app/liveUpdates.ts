import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { TicketDetail } from '../api/types';
import { CALLBACKS_KEY } from '../pages/callbacks/queries';
import { RESIDENTS_KEY } from '../pages/residents/queries';
import { TICKETS_KEY, ticketKey } from '../pages/tickets/queries';
import { ALERTS_KEY } from './layout/alertsKey';
import { ME_KEY, useMe } from './session';

const EVENTS_URL = '/api/v1/events';
/** The events of one burst (a busy minute, a bulk change) refresh the lists once. */
const BATCH_MS = 200;
/** After the browser gave up on the stream (an HTTP error), try again after this, doubling. */
const RETRY_MIN_MS = 2_000;
const RETRY_MAX_MS = 60_000;

/** `event: ticket.changed` of GET /api/v1/events. */
export interface TicketChanged {
  type: 'ticket.changed';
  communityId: string;
  ticketId: string;
  status: string;
  version: number;
  action: string;
}

/** Events addressed to the signed-in user (call.* for the screen pop, alert.created for the bell). */
export const USER_EVENTS = ['call.ringing', 'call.answered', 'call.ended', 'alert.created'] as const;
export type UserEventType = (typeof USER_EVENTS)[number];
type UserEventListener = (type: UserEventType, data: Record<string, unknown>) => void;
const userEventListeners = new Set<UserEventListener>();

/**
 * Hears the user's own events on the app's one stream (no second EventSource per component).
 * The handler may change between renders; the latest one is called.
 */
export function useUserEvents(handler: UserEventListener) {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const listener: UserEventListener = (type, data) => latest.current(type, data);
    userEventListeners.add(listener);
    return () => {
      userEventListeners.delete(listener);
    };
  }, []);
}

function parseObject(data: unknown): Record<string, unknown> | null {
  if (typeof data !== 'string') return null;
  try {
    const value = JSON.parse(data) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function parse(data: unknown): TicketChanged | null {
  if (typeof data !== 'string') return null;
  try {
    const event = JSON.parse(data) as Partial<TicketChanged> | null;
    return event && typeof event.ticketId === 'string' && typeof event.version === 'number'
      ? (event as TicketChanged)
      : null;
  } catch {
    return null;
  }
}

/**
 * Marks what shows the changed tickets as stale. Only queries on screen refetch (TanStack's
 * default), so a page without tickets costs nothing; a ticket whose cached version is already the
 * event's (the user's own change, answered by the server) is not fetched again.
 */
export function refreshTickets(queryClient: QueryClient, changed: ReadonlyMap<string, number>) {
  for (const [ticketId, version] of changed) {
    const cached = queryClient.getQueryData<TicketDetail>(ticketKey(ticketId));
    if (cached && cached.version >= version) continue;
    void queryClient.invalidateQueries({ queryKey: ticketKey(ticketId) });
  }
  // The desk's lists and queues and the technician's jobs (mine / pool) are all ticket lists.
  void queryClient.invalidateQueries({ queryKey: [...TICKETS_KEY, 'list'] });
  // The resident card lists the resident's tickets with their status.
  void queryClient.invalidateQueries({ queryKey: [...RESIDENTS_KEY, 'card'] });
}

/** Everything about tickets, after the stream was down and events may have been missed. */
function refreshAll(queryClient: QueryClient) {
  void queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
  void queryClient.invalidateQueries({ queryKey: TICKETS_KEY });
  void queryClient.invalidateQueries({ queryKey: [...RESIDENTS_KEY, 'card'] });
}

/** Opens the stream; returns what closes it. */
function subscribe(queryClient: QueryClient): () => void {
  let source: EventSource | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let batchTimer: ReturnType<typeof setTimeout> | undefined;
  let delay = RETRY_MIN_MS;
  let interrupted = false;
  const changed = new Map<string, number>();

  const flush = () => {
    batchTimer = undefined;
    const batch = new Map(changed);
    changed.clear();
    refreshTickets(queryClient, batch);
  };

  const open = () => {
    const stream = new EventSource(EVENTS_URL);
    source = stream;
    stream.addEventListener('open', () => {
      delay = RETRY_MIN_MS;
      if (interrupted) {
        interrupted = false;
        refreshAll(queryClient);
      }
    });
    stream.addEventListener('ticket.changed', (message) => {
      const event = parse((message as MessageEvent).data);
      if (!event) return;
      changed.set(event.ticketId, Math.max(event.version, changed.get(event.ticketId) ?? 0));
      // R26: an escalation (a person's, or the SLA engine's on a breach) may have reached this reader
      if (event.action === 'escalate' || event.action === 'sla')
        void queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
      batchTimer ??= setTimeout(flush, BATCH_MS);
    });
    for (const type of USER_EVENTS) {
      stream.addEventListener(type, (message) => {
        const data = parseObject((message as MessageEvent).data);
        if (!data) return;
        // R26 / R30: a new alert for me (an escalation, a message taken for me)
        if (type === 'alert.created') {
          void queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
          void queryClient.invalidateQueries({ queryKey: CALLBACKS_KEY });
        }
        for (const listener of userEventListeners) listener(type, data);
      });
    }
    stream.addEventListener('error', () => {
      interrupted = true;
      // A dropped connection is retried by EventSource itself; an HTTP error (401, 5xx) is not.
      if (stream.readyState !== EventSource.CLOSED) return;
      stream.close();
      source = null;
      // Signed out elsewhere or the session expired: /me says so, and the app leaves (closing this).
      void queryClient.invalidateQueries({ queryKey: ME_KEY });
      retryTimer = setTimeout(open, delay);
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    });
  };

  open();
  return () => {
    clearTimeout(retryTimer);
    clearTimeout(batchTimer);
    source?.close();
    source = null;
  };
}

/**
 * One stream of changes for the signed-in app (GET /api/v1/events): a `ticket.changed` refreshes
 * the lists, the queues, the technician's jobs and that ticket's detail wherever they are shown;
 * `alert.created` the bell and the callbacks; call events go to `useUserEvents` (the screen pop).
 * Closed on sign-out (the user turns null) and when the app unmounts.
 */
export function useLiveUpdates() {
  const queryClient = useQueryClient();
  const { data: me } = useMe();
  const userId = me && !me.mustChangePassword ? me.id : null;
  useEffect(() => {
    if (!userId || typeof EventSource === 'undefined') return;
    return subscribe(queryClient);
  }, [userId, queryClient]);
}

export function LiveUpdates() {
  useLiveUpdates();
  return null;
}
