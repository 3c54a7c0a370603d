import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import {
  createPhrase,
  listOverrides,
  listPhrases,
  type OverrideFilters,
  type PhraseCreate,
  type PhrasePatch,
  patchPhrase,
} from '../../../components/languageApi';

const LANGUAGE_KEY = ['language'] as const;
const PHRASES_KEY = [...LANGUAGE_KEY, 'phrases'] as const;

export function usePhrases() {
  return useQuery({ queryKey: PHRASES_KEY, queryFn: listPhrases, select: (page) => page.items });
}

/** A phrase added or changed: the library and every cached check answer are out of date. */
function useRefresh() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: LANGUAGE_KEY });
}

export function useCreatePhrase(form: FormInstance) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: PhraseCreate) => createPhrase(body),
    meta: { form },
    onSuccess: refresh,
  });
}

export function usePatchPhrase(form?: FormInstance) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: PhrasePatch }) => patchPhrase(id, body),
    meta: { form },
    onSuccess: refresh,
  });
}

export function useOverrides(filters: OverrideFilters, enabled: boolean) {
  return useQuery({
    queryKey: [...LANGUAGE_KEY, 'overrides', filters],
    queryFn: () => listOverrides(filters),
    enabled,
    select: (page) => page.items,
  });
}
