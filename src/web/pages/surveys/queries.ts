import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;

export type SurveyItem = Json<paths['/api/v1/surveys']['get']['responses'][200]>['items'][number];
export type SurveyDetail = Json<paths['/api/v1/surveys/{id}']['get']['responses'][200]>;
export type SurveyResults = Json<paths['/api/v1/surveys/{id}/results']['get']['responses'][200]>;
export type CreateSurveyBody = Json<paths['/api/v1/surveys']['post']['requestBody']>;
export type UpdateSurveyBody = Json<paths['/api/v1/surveys/{id}']['put']['requestBody']>;
export type QuestionKind = SurveyDetail['questions'][number]['kind'];
export type PublicSurvey = Json<paths['/api/v1/public/surveys/{token}']['get']['responses'][200]>;
export type PublicSurveyBody = Json<paths['/api/v1/public/surveys/{token}']['post']['requestBody']>;

export const SURVEYS_KEY = ['surveys'] as const;

export function useSurveys(communityId: string | undefined) {
  return useQuery({
    queryKey: [...SURVEYS_KEY, 'list', communityId ?? null],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/surveys', {
          params: { query: { limit: 200, ...(communityId ? { communityId } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useSurvey(id: string | null) {
  return useQuery({
    queryKey: [...SURVEYS_KEY, 'one', id],
    queryFn: () => unwrap(api.GET('/api/v1/surveys/{id}', { params: { path: { id: id! } } })),
    enabled: Boolean(id),
  });
}

export function useSurveyResults(id: string | null) {
  return useQuery({
    queryKey: [...SURVEYS_KEY, 'results', id],
    queryFn: () => unwrap(api.GET('/api/v1/surveys/{id}/results', { params: { path: { id: id! } } })),
    enabled: Boolean(id),
  });
}

function useRefresh() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: SURVEYS_KEY });
}

export function useSaveSurvey(form: FormInstance) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (input: { id: null; body: CreateSurveyBody } | { id: string; body: UpdateSurveyBody }) =>
      input.id === null
        ? unwrap(api.POST('/api/v1/surveys', { body: input.body }))
        : unwrap(api.PUT('/api/v1/surveys/{id}', { params: { path: { id: input.id } }, body: input.body })),
    meta: { form },
    onSuccess: refresh,
  });
}

export function useSurveyAction() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, action, version }: { id: string; action: 'open' | 'close'; version: number }) =>
      action === 'open'
        ? unwrap(api.POST('/api/v1/surveys/{id}/open', { params: { path: { id } }, body: { version } }))
        : unwrap(api.POST('/api/v1/surveys/{id}/close', { params: { path: { id } }, body: { version } })),
    onSuccess: refresh,
  });
}

// ---- the resident's public page ----

/** `locale` in the key: the page (and a refusal's message) is asked for again in a new language. */
export function usePublicSurvey(token: string, locale: string) {
  return useQuery({
    queryKey: ['public-survey', token, locale],
    queryFn: () => unwrap(api.GET('/api/v1/public/surveys/{token}', { params: { path: { token } } })),
    retry: false,
    meta: { silent: true },
  });
}

export function useSubmitSurvey(token: string) {
  return useMutation({
    mutationFn: (body: PublicSurveyBody) =>
      unwrap(api.POST('/api/v1/public/surveys/{token}', { params: { path: { token } }, body })),
    meta: { silent: true },
  });
}
