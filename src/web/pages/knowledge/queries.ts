import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Role } from '../../../domain/roles';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';

/** R32: the knowledge base's answers and the standard scripts. */
export const KNOWLEDGE_KEY = ['knowledge'] as const;

type Ok<Op> = Op extends { responses: { 200: { content: { 'application/json': infer R } } } } ? R : never;
export type KbArticle = Ok<paths['/api/v1/knowledge/{id}']['get']>;
export type KbScript = Ok<paths['/api/v1/knowledge/scripts']['get']>['items'][number];
export type KbCategory = KbArticle['category'];
export type ScriptStage = KbScript['stage'];
type SearchQuery = NonNullable<paths['/api/v1/knowledge']['get']['parameters']['query']>;
type CreateBody = paths['/api/v1/knowledge']['post']['requestBody']['content']['application/json'];
type UpdateBody = paths['/api/v1/knowledge/{id}']['patch']['requestBody']['content']['application/json'];
type ScriptBody =
  paths['/api/v1/knowledge/scripts/{id}']['patch']['requestBody']['content']['application/json'];

export const KB_CATEGORIES: readonly KbCategory[] = [
  'fees',
  'parking',
  'renovation',
  'move_in',
  'outage',
  'lost_card',
  'other',
];

/** Who keeps the answers and scripts (the server's KEEPERS in knowledge.routes.ts). */
const KEEPERS: readonly Role[] = ['supervisor', 'manager', 'admin'];
export function canKeepKnowledge(roles: readonly string[]): boolean {
  return roles.some((r) => (KEEPERS as readonly string[]).includes(r));
}

export function useKnowledgeSearch(query: SearchQuery, enabled = true) {
  return useQuery({
    queryKey: [...KNOWLEDGE_KEY, 'search', query],
    queryFn: () => unwrap(api.GET('/api/v1/knowledge', { params: { query } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useReviewDue(enabled: boolean, communityId?: string) {
  return useQuery({
    queryKey: [...KNOWLEDGE_KEY, 'review-due', communityId ?? null],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/knowledge/review-due', { params: { query: communityId ? { communityId } : {} } }),
      ),
    enabled,
  });
}

export function useScripts(
  q: { stage?: ScriptStage; residentId?: string; communityId?: string },
  enabled = true,
) {
  return useQuery({
    queryKey: [...KNOWLEDGE_KEY, 'scripts', q],
    queryFn: () => unwrap(api.GET('/api/v1/knowledge/scripts', { params: { query: q } })),
    staleTime: 60_000,
    enabled,
  });
}

export function useCreateArticle() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateBody) => unwrap(api.POST('/api/v1/knowledge', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: KNOWLEDGE_KEY }),
  });
}

export function useUpdateArticle() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: UpdateBody & { id: string }) =>
      unwrap(api.PATCH('/api/v1/knowledge/{id}', { params: { path: { id } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: KNOWLEDGE_KEY }),
  });
}

export function useReviewArticle() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version }: { id: string; version: number }) =>
      unwrap(api.POST('/api/v1/knowledge/{id}/review', { params: { path: { id } }, body: { version } })),
    onSuccess: () => client.invalidateQueries({ queryKey: KNOWLEDGE_KEY }),
  });
}

export function useUpdateScript() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: ScriptBody & { id: string }) =>
      unwrap(api.PATCH('/api/v1/knowledge/scripts/{id}', { params: { path: { id } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: KNOWLEDGE_KEY }),
  });
}

/** Copies text; falls back to a hidden text area where the Clipboard API is not offered. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}
