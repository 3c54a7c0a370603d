import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, unwrap, unwrapFile } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;

export type SatisfactionReport = Json<paths['/api/v1/reports/satisfaction']['get']['responses'][200]>;
export type SatisfactionQuery = paths['/api/v1/reports/satisfaction']['get']['parameters']['query'];
export type GroupBy = NonNullable<SatisfactionQuery['groupBy']>;
export type ReturnVisitsReport = Json<paths['/api/v1/reports/return-visits']['get']['responses'][200]>;
export type FollowupLine = ReturnVisitsReport['followups']['items'][number];
export type PeriodQuery = paths['/api/v1/reports/return-visits']['get']['parameters']['query'];

export const REPORTS_KEY = ['reports'] as const;

export function useSatisfactionReport(query: SatisfactionQuery) {
  return useQuery({
    queryKey: [...REPORTS_KEY, 'satisfaction', query],
    queryFn: () => unwrap(api.GET('/api/v1/reports/satisfaction', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useReturnVisitsReport(query: PeriodQuery) {
  return useQuery({
    queryKey: [...REPORTS_KEY, 'return-visits', query],
    queryFn: () => unwrap(api.GET('/api/v1/reports/return-visits', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

/** The .xlsx of either report (each export is audited by the server). */
export function useReportExport() {
  return useMutation({
    mutationFn: ({
      report,
      query,
    }: {
      report: 'satisfaction' | 'return-visits';
      query: SatisfactionQuery;
    }) =>
      report === 'satisfaction'
        ? unwrapFile(
            api.GET('/api/v1/reports/satisfaction.xlsx', { params: { query }, parseAs: 'blob' }),
            'satisfaction.xlsx',
          )
        : unwrapFile(
            api.GET('/api/v1/reports/return-visits.xlsx', {
              params: { query: { from: query.from, to: query.to, communityId: query.communityId } },
              parseAs: 'blob',
            }),
            'return-visits.xlsx',
          ),
  });
}
