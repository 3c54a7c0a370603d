import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import { ApiError, reportError } from '../api/errors';

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: Error;
    /** `silent`: the caller shows the failure itself (e.g. "not logged in" on GET /me). */
    queryMeta: { silent?: boolean };
    /** `form`: field errors from the server are put on this form's fields. */
    mutationMeta: { form?: FormInstance; silent?: boolean };
  }
}

function shouldRetry(failureCount: number, error: Error): boolean {
  // A 4xx will not change by asking again; network and 5xx failures get two more tries.
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (!query.meta?.silent) reportError(error);
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _result, mutation) => {
        if (mutation.meta?.silent) return;
        const form = mutation.meta?.form;
        reportError(error, form ? { setFields: (fields) => form.setFields(fields) } : undefined);
      },
    }),
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}
