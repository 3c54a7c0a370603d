import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';

/** §4 call desk: the calls, the screen pop, my extension, the three-ring rate. */
export const CALLS_KEY = ['calls'] as const;

type Ok<Op> = Op extends { responses: { 200: { content: { 'application/json': infer R } } } } ? R : never;
export type CallPop = Ok<paths['/api/v1/calls/{id}']['get']>;
export type CallItem = CallPop['call'];
export type CallStats = Ok<paths['/api/v1/calls/stats']['get']>;

export const callKey = (id: string | null) => [...CALLS_KEY, 'pop', id] as const;

export function useCallPop(id: string | null) {
  return useQuery({
    queryKey: callKey(id),
    queryFn: () => unwrap(api.GET('/api/v1/calls/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: !!id,
    staleTime: 0,
  });
}

/** Calls ringing or on the line now (refreshed by the call events, and every 30 s besides). */
export function useLiveCalls() {
  return useQuery({
    queryKey: [...CALLS_KEY, 'list', 'live'],
    queryFn: () => unwrap(api.GET('/api/v1/calls', { params: { query: { live: true, limit: 50 } } })),
    refetchInterval: 30_000,
  });
}

/** My calls since midnight (the browser's day: the desk's wall clock). */
export function useMyCallsToday() {
  const from = dayjs().startOf('day').toISOString();
  return useQuery({
    queryKey: [...CALLS_KEY, 'list', 'mine', from],
    queryFn: () => unwrap(api.GET('/api/v1/calls', { params: { query: { mine: true, from, limit: 200 } } })),
  });
}

export function useCallStatsToday() {
  const from = dayjs().startOf('day');
  return useQuery({
    queryKey: [...CALLS_KEY, 'stats', from.toISOString()],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/calls/stats', {
          params: { query: { from: from.toISOString(), to: from.add(1, 'day').toISOString() } },
        }),
      ),
  });
}

const EXTENSION_KEY = [...CALLS_KEY, 'extension'] as const;

export function useMyExtension(enabled = true) {
  return useQuery({
    queryKey: EXTENSION_KEY,
    queryFn: () => unwrap(api.GET('/api/v1/me/extension')),
    enabled,
    staleTime: 5 * 60_000,
    meta: { silent: true },
  });
}

export function useSetExtension() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (extension: string | null) =>
      unwrap(api.PUT('/api/v1/me/extension', { body: { extension } })),
    onSuccess: (data) => queryClient.setQueryData(EXTENSION_KEY, data),
  });
}

export function useLinkTicket() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ callId, ticketId }: { callId: string; ticketId: string }) =>
      unwrap(
        api.POST('/api/v1/calls/{id}/tickets', { params: { path: { id: callId } }, body: { ticketId } }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CALLS_KEY }),
  });
}

export function useOriginate() {
  return useMutation({
    mutationFn: (body: { number?: string; callId?: string }) =>
      unwrap(api.POST('/api/v1/calls/originate', { body })),
  });
}

/** Refreshes what shows calls (the pop, the lists, the rate) after a call event. */
export function refreshCalls(queryClient: ReturnType<typeof useQueryClient>, callId: string) {
  void queryClient.invalidateQueries({ queryKey: callKey(callId) });
  void queryClient.invalidateQueries({ queryKey: [...CALLS_KEY, 'list'] });
  void queryClient.invalidateQueries({ queryKey: [...CALLS_KEY, 'stats'] });
}
