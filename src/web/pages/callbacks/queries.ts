import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { ALERTS_KEY } from '../../app/layout/alertsKey';

export type CallbackItem =
  paths['/api/v1/callbacks']['get']['responses'][200]['content']['application/json']['items'][number];
export type CallbackQuery = NonNullable<paths['/api/v1/callbacks']['get']['parameters']['query']>;
export type TakeMessageBody =
  paths['/api/v1/callbacks/messages']['post']['requestBody']['content']['application/json'];
export type AttemptBody =
  paths['/api/v1/callbacks/{id}/attempts']['post']['requestBody']['content']['application/json'];
export type Outcome = AttemptBody['outcome'];

export const CALLBACKS_KEY = ['callbacks'] as const;
/** The countdowns tick in the browser; the list is fetched again for what others did. */
const REFRESH_MS = 15_000;

/**
 * A queue of callbacks by due time, with the server/browser clock offset measured from the
 * answer (remainingMs is as of the server's now), so the countdowns follow the server's clock.
 */
export function useCallbacks(query: CallbackQuery) {
  return useQuery({
    queryKey: [...CALLBACKS_KEY, 'list', query],
    queryFn: async () => {
      const body = await unwrap(api.GET('/api/v1/callbacks', { params: { query } }));
      const receivedAt = Date.now();
      const timed = body.items.find((c) => c.dueAt && c.remainingMs !== null);
      const offsetMs = timed ? Date.parse(timed.dueAt!) - timed.remainingMs! - receivedAt : 0;
      return { ...body, offsetMs };
    },
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
  });
}

export function useRecipients(communityId: string | undefined) {
  return useQuery({
    queryKey: [...CALLBACKS_KEY, 'recipients', communityId],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/callbacks/recipients', { params: { query: { communityId: communityId ?? '' } } }),
      ),
    enabled: !!communityId,
    staleTime: 60_000,
  });
}

function useRefresh() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: CALLBACKS_KEY });
    void queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
  };
}

export function useTakeMessage(form: FormInstance) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: TakeMessageBody) => unwrap(api.POST('/api/v1/callbacks/messages', { body })),
    meta: { form },
    onSuccess: refresh,
  });
}

export function useAttempt(form?: FormInstance) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: AttemptBody }) =>
      unwrap(api.POST('/api/v1/callbacks/{id}/attempts', { params: { path: { id } }, body })),
    meta: { form },
    onSuccess: refresh,
  });
}

export function useCloseCallback(form?: FormInstance) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, version, reason }: { id: string; version: number; reason: string }) =>
      unwrap(
        api.POST('/api/v1/callbacks/{id}/close', { params: { path: { id } }, body: { version, reason } }),
      ),
    meta: { form },
    onSuccess: refresh,
  });
}
