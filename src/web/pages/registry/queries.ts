import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import { api, unwrap } from '../../api/client';
import type { BuildingPatch, CommunityCreate, RoomCreate, RoomPatch, RoomStatus } from '../../api/types';
import { COMMUNITIES_KEY } from '../../app/community';
import { useCursorList } from '../../components/cursorList';

export function useCommunityDetail(id: string | undefined) {
  return useQuery({
    queryKey: ['community', id],
    queryFn: () => unwrap(api.GET('/api/v1/communities/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: !!id,
  });
}

export function useRooms(unitId: string | undefined) {
  return useCursorList(
    ['rooms', 'unit', unitId],
    (cursor) => unwrap(api.GET('/api/v1/rooms', { params: { query: { unitId, cursor, limit: 100 } } })),
    !!unitId,
  );
}

/** Buildings and units with their rooms counted by status (R1): the whole community at a glance. */
export function useCommunityTree(communityId: string | undefined) {
  return useQuery({
    queryKey: ['community', communityId, 'tree'],
    queryFn: () =>
      unwrap(api.GET('/api/v1/communities/{id}/tree', { params: { path: { id: communityId ?? '' } } })),
    enabled: !!communityId,
  });
}

/** Rooms of one status (e.g. the vacant ones) in a community, building or unit. */
export function useRoomsByStatus(
  scope: { communityId?: string; buildingId?: string; unitId?: string },
  status: RoomStatus | undefined,
) {
  return useCursorList(
    ['rooms', 'status', status, scope],
    (cursor) =>
      unwrap(api.GET('/api/v1/rooms', { params: { query: { ...scope, status, cursor, limit: 100 } } })),
    !!status && !!scope.communityId,
  );
}

export function useHousehold(roomId: string) {
  return useQuery({
    queryKey: ['residents', 'household', roomId],
    queryFn: () => unwrap(api.GET('/api/v1/rooms/{id}/household', { params: { path: { id: roomId } } })),
  });
}

/** Room edits carry the version read; a 409 means someone else changed the room meanwhile. */
export function useUpdateRoom(form: FormInstance) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: RoomPatch }) =>
      unwrap(api.PATCH('/api/v1/rooms/{id}', { params: { path: { id } }, body })),
    meta: { form },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['rooms'] }),
        queryClient.invalidateQueries({ queryKey: ['community'] }),
      ]),
  });
}

export function useUpdateBuilding(form: FormInstance) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: BuildingPatch }) =>
      unwrap(api.PATCH('/api/v1/buildings/{id}', { params: { path: { id } }, body })),
    meta: { form },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['buildings'] }),
        queryClient.invalidateQueries({ queryKey: ['community'] }),
      ]),
  });
}

export function usePublicAreas(communityId: string | undefined) {
  return useCursorList(
    ['public-areas', 'list', communityId],
    (cursor) =>
      unwrap(api.GET('/api/v1/public-areas', { params: { query: { communityId, cursor, limit: 100 } } })),
    !!communityId,
  );
}

export function useCreateCommunity(form: FormInstance) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CommunityCreate) => unwrap(api.POST('/api/v1/communities', { body })),
    meta: { form },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: COMMUNITIES_KEY }),
  });
}

export function useCreateBuilding(form: FormInstance) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { communityId: string; name: string; code?: string }) =>
      unwrap(api.POST('/api/v1/buildings', { body })),
    meta: { form },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['buildings'] }),
        queryClient.invalidateQueries({ queryKey: ['community'] }),
      ]),
  });
}

export function useCreateUnit(form: FormInstance) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { buildingId: string; name: string }) => unwrap(api.POST('/api/v1/units', { body })),
    meta: { form },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['units'] }),
        queryClient.invalidateQueries({ queryKey: ['community'] }),
      ]),
  });
}

export function useCreateRoom(form: FormInstance) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RoomCreate) => unwrap(api.POST('/api/v1/rooms', { body })),
    meta: { form },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['rooms'] }),
        queryClient.invalidateQueries({ queryKey: ['community'] }),
      ]),
  });
}

export function useCreatePublicArea(form: FormInstance) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { communityId: string; name: string }) =>
      unwrap(api.POST('/api/v1/public-areas', { body })),
    meta: { form },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['public-areas'] }),
  });
}
