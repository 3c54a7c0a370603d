import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { ALERTS_KEY } from '../../app/layout/alertsKey';

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;

export type VisitItem = Json<paths['/api/v1/return-visits']['get']['responses'][200]>['items'][number];
export type VisitDetail = Json<paths['/api/v1/return-visits/{id}']['get']['responses'][200]>;
export type VisitQuery = NonNullable<paths['/api/v1/return-visits']['get']['parameters']['query']>;
export type AttemptBody = Json<paths['/api/v1/return-visits/{id}/attempts']['post']['requestBody']>;
export type ResultBody = Json<paths['/api/v1/return-visits/{id}/result']['post']['requestBody']>;
export type Outcome = AttemptBody['outcome'];
export type Satisfaction = Json<paths['/api/v1/tickets/{id}/satisfaction']['get']['responses'][200]>;
export type PublicRating = Json<paths['/api/v1/public/ratings/{token}']['get']['responses'][200]>;
export type PublicRatingBody = Json<paths['/api/v1/public/ratings/{token}']['post']['requestBody']>;

export const VISITS_KEY = ['return-visits'] as const;
/** The countdowns tick in the browser; the list is fetched again for what others did. */
const REFRESH_MS = 30_000;

/** A queue by due time, with the server/browser clock offset (remainingMs is as of the server's now). */
export function useVisits(query: VisitQuery) {
  return useQuery({
    queryKey: [...VISITS_KEY, 'list', query],
    queryFn: async () => {
      const body = await unwrap(api.GET('/api/v1/return-visits', { params: { query } }));
      const receivedAt = Date.now();
      const timed = body.items.find((v) => v.remainingMs !== null);
      const offsetMs = timed ? Date.parse(timed.dueAt) - timed.remainingMs! - receivedAt : 0;
      return { ...body, offsetMs };
    },
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
  });
}

/** A request's return visits, ratings, links and follow-ups (the detail's section). */
export function useSatisfaction(ticketId: string) {
  return useQuery({
    queryKey: [...VISITS_KEY, 'ticket', ticketId],
    queryFn: () =>
      unwrap(api.GET('/api/v1/tickets/{id}/satisfaction', { params: { path: { id: ticketId } } })),
  });
}

function useRefresh() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: VISITS_KEY });
    void queryClient.invalidateQueries({ queryKey: ['tickets'] });
    void queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
  };
}

export function useVisitAttempt() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: AttemptBody }) =>
      unwrap(api.POST('/api/v1/return-visits/{id}/attempts', { params: { path: { id } }, body })),
    onSuccess: refresh,
  });
}

export function useVisitResult(form: FormInstance) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ResultBody }) =>
      unwrap(api.POST('/api/v1/return-visits/{id}/result', { params: { path: { id } }, body })),
    meta: { form },
    onSuccess: refresh,
  });
}

/** The resident's full number, for the call (each reveal is audited, R4). */
export function useRevealPhone() {
  return useMutation({
    mutationFn: (residentId: string) =>
      unwrap(api.POST('/api/v1/residents/{id}/reveal-phone', { params: { path: { id: residentId } } })),
  });
}

// ---- the resident's public page ----

/** `locale` in the key: the page (and a refusal's message) is asked for again in a new language. */
export function usePublicRating(token: string, locale: string) {
  return useQuery({
    queryKey: ['public-rating', token, locale],
    queryFn: () => unwrap(api.GET('/api/v1/public/ratings/{token}', { params: { path: { token } } })),
    retry: false,
    meta: { silent: true },
  });
}

export function useSubmitRating(token: string) {
  return useMutation({
    mutationFn: (body: PublicRatingBody) =>
      unwrap(api.POST('/api/v1/public/ratings/{token}', { params: { path: { token } }, body })),
    meta: { silent: true },
  });
}
