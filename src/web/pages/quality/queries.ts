import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;

export type QaSample = Json<paths['/api/v1/quality/samples']['get']['responses'][200]>['items'][number];
export type QaSheet = Json<paths['/api/v1/quality/sheet']['get']['responses'][200]>;
export type QaReport = Json<paths['/api/v1/quality/report']['get']['responses'][200]>;

export const QUALITY_KEY = ['quality'] as const;

/** Who draws samples and reads the report (the server's QA_MANAGERS). */
export const QA_MANAGERS = ['supervisor', 'quality', 'manager', 'admin'];
/** Who scores (the server's QA_SCORERS). */
export const QA_SCORERS = ['supervisor', 'quality'];
/** Who has results of their own (the server's DESK_ROLES). */
export const QA_AGENTS = ['agent', 'supervisor', 'manager', 'steward', 'admin'];

export const hasAny = (roles: readonly string[], allowed: readonly string[]) =>
  roles.some((r) => allowed.includes(r));

function useRefresh() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: QUALITY_KEY });
}

export function useSheet(enabled = true) {
  return useQuery({
    queryKey: [...QUALITY_KEY, 'sheet'],
    queryFn: () => unwrap(api.GET('/api/v1/quality/sheet')),
    enabled,
  });
}

export function useSamples(
  q: { week: string; status?: 'pending' | 'scored'; communityId?: string },
  enabled = true,
) {
  return useQuery({
    queryKey: [...QUALITY_KEY, 'samples', q],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/quality/samples', {
          params: {
            query: {
              limit: 200,
              week: q.week,
              ...(q.status ? { status: q.status } : {}),
              ...(q.communityId ? { communityId: q.communityId } : {}),
            },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useDraw() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: { week: string; communityId: string }) =>
      unwrap(api.POST('/api/v1/quality/samples/draw', { body })),
    onSuccess: refresh,
  });
}

export function useScore(form: FormInstance) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, scores, comment }: { id: string; scores: Record<string, number>; comment?: string }) =>
      unwrap(
        api.POST('/api/v1/quality/samples/{id}/check', {
          params: { path: { id } },
          body: { scores, comment: comment || null },
        }),
      ),
    meta: { form },
    onSuccess: refresh,
  });
}

export function useReport(month: string, communityId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: [...QUALITY_KEY, 'report', month, communityId ?? null],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/quality/report', {
          params: { query: { month, ...(communityId ? { communityId } : {}) } },
        }),
      ),
    enabled,
  });
}

export function useMyResults(enabled = true) {
  return useQuery({
    queryKey: [...QUALITY_KEY, 'mine'],
    queryFn: () => unwrap(api.GET('/api/v1/quality/my-results', { params: { query: { limit: 200 } } })),
    enabled,
  });
}

export function useAck() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/v1/quality/checks/{id}/ack', { params: { path: { id } }, body: {} })),
    onSuccess: refresh,
  });
}
