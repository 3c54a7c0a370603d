import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef } from 'react';
import { api, setCsrfToken, unwrap } from '../api/client';
import { ApiError } from '../api/errors';
import type { Locale, Me } from '../api/types';
import { type Access, deriveAccess } from './access';

export const ME_KEY = ['me'] as const;

async function fetchMe(): Promise<Me | null> {
  try {
    const me = await unwrap(api.GET('/api/v1/me'));
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

/** The signed-in user, or null when nobody is signed in. */
export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 5 * 60_000 });
}

/**
 * For components under RequireAuth, where the user is known. While signing out (or on a 401) the
 * user turns null a render before RequireAuth redirects: keep the last user for that one render.
 */
export function useCurrentUser(): Me {
  const { data } = useMe();
  const last = useRef<Me | null>(null);
  if (data) last.current = data;
  if (!last.current) throw new Error('useCurrentUser outside RequireAuth');
  return last.current;
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { login: string; password: string }) =>
      unwrap(api.POST('/api/v1/auth/login', { body })),
    onSuccess: ({ user, csrfToken }) => {
      setCsrfToken(csrfToken);
      const me: Me = { ...user, csrfToken };
      queryClient.setQueryData(ME_KEY, me);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/logout')),
    onSettled: () => {
      setCsrfToken(null);
      queryClient.clear();
      queryClient.setQueryData<Me | null>(ME_KEY, null);
    },
    meta: { silent: true },
  });
}

export function useSaveLocale() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (locale: Locale) => unwrap(api.PATCH('/api/v1/me', { body: { locale } })),
    onSuccess: (me) => {
      setCsrfToken(me.csrfToken);
      queryClient.setQueryData<Me | null>(ME_KEY, me);
    },
  });
}

/** Permissions of the signed-in user, derived once per user object. */
export function useAccess(): Access {
  const { data } = useMe();
  return useMemo(() => deriveAccess(data), [data]);
}
