import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import { api, unwrap } from '../../api/client';
import type { ResidentCreate, ResidentKind, ResidentPatch } from '../../api/types';
import { useCursorList } from '../../components/cursorList';

export const RESIDENTS_KEY = ['residents'] as const;
const PAGE_SIZE = 30;

export interface ResidentFilters {
  communityId?: string;
  /** As typed: the server reads names, pinyin initials, room codes, phones and 尾号 (R3). */
  q: string;
  includeArchived: boolean;
}

/** Residents ranked as the server returns them for `q`, or the whole list without it. */
export function useResidentList({ communityId, q, includeArchived }: ResidentFilters) {
  return useCursorList(
    [...RESIDENTS_KEY, 'list', communityId, q, includeArchived],
    (cursor) =>
      unwrap(
        api.GET('/api/v1/residents', {
          params: {
            query: {
              communityId,
              q: q || undefined,
              includeArchived: includeArchived || undefined,
              cursor,
              limit: PAGE_SIZE,
            },
          },
        }),
      ),
    true,
    true,
  );
}

export const cardKey = (id: string | undefined) => [...RESIDENTS_KEY, 'card', id] as const;

export function useResidentCard(id: string | undefined) {
  return useQuery({
    queryKey: cardKey(id),
    queryFn: () => unwrap(api.GET('/api/v1/residents/{id}/card', { params: { path: { id: id ?? '' } } })),
    enabled: !!id,
  });
}

function useRefreshResidents() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: RESIDENTS_KEY });
}

export function useCreateResident(form: FormInstance) {
  const refresh = useRefreshResidents();
  return useMutation({
    mutationFn: (body: ResidentCreate) => unwrap(api.POST('/api/v1/residents', { body })),
    meta: { form },
    onSuccess: refresh,
  });
}

/** Full numbers for a role that calls residents back; the server records every reveal (R4). */
export function useRevealPhones() {
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/v1/residents/{id}/reveal-phone', { params: { path: { id } } })),
  });
}

/**
 * Edits carry the version that was read; a 409 means someone else changed the resident meanwhile
 * (R12). The card is reloaded either way, so the next attempt starts from what is stored now.
 */
export function useUpdateResident(form: FormInstance) {
  const refresh = useRefreshResidents();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ResidentPatch }) =>
      unwrap(api.PATCH('/api/v1/residents/{id}', { params: { path: { id } }, body })),
    meta: { form },
    onSettled: refresh,
  });
}

export function useArchiveResident() {
  const refresh = useRefreshResidents();
  return useMutation({
    mutationFn: ({ id, version, archived }: { id: string; version: number; archived: boolean }) =>
      unwrap(
        api.POST('/api/v1/residents/{id}/archive', { params: { path: { id } }, body: { version, archived } }),
      ),
    onSettled: refresh,
  });
}

export function useAddRoom(form: FormInstance) {
  const refresh = useRefreshResidents();
  return useMutation({
    mutationFn: ({
      id,
      body,
    }: {
      id: string;
      body: { roomId: string; kind: ResidentKind; moveInDate?: string | null };
    }) => unwrap(api.POST('/api/v1/residents/{id}/rooms', { params: { path: { id } }, body })),
    meta: { form },
    onSuccess: refresh,
  });
}

export function useMoveOut(form: FormInstance) {
  const refresh = useRefreshResidents();
  return useMutation({
    mutationFn: ({ id, roomId, date }: { id: string; roomId: string; date: string }) =>
      unwrap(
        api.POST('/api/v1/residents/{id}/rooms/{roomId}/move-out', {
          params: { path: { id, roomId } },
          body: { date },
        }),
      ),
    meta: { form },
    onSuccess: refresh,
  });
}
