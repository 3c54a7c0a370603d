import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import { api, unwrap } from '../../api/client';
import type { CommunityCreate, RoomCreate } from '../../api/types';
import { COMMUNITIES_KEY } from '../../app/community';
import { useCursorList } from '../../components/cursorList';

export function useCommunityDetail(id: string | undefined) {
  return useQuery({
    queryKey: ['community', id],
    queryFn: () => unwrap(api.GET('/api/v1/communities/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: !!id,
  });
}

export function useBuildings(communityId: string | undefined) {
  return useCursorList(
    ['buildings', communityId],
    (cursor) =>
      unwrap(api.GET('/api/v1/buildings', { params: { query: { communityId, cursor, limit: 100 } } })),
    !!communityId,
  );
}

export function useUnits(buildingId: string | undefined) {
  return useCursorList(
    ['units', buildingId],
    (cursor) => unwrap(api.GET('/api/v1/units', { params: { query: { buildingId, cursor, limit: 100 } } })),
    !!buildingId,
  );
}

export function useRooms(unitId: string | undefined) {
  return useCursorList(
    ['rooms', 'unit', unitId],
    (cursor) => unwrap(api.GET('/api/v1/rooms', { params: { query: { unitId, cursor, limit: 100 } } })),
    !!unitId,
  );
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
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['buildings'] }),
  });
}

export function useCreateUnit(form: FormInstance) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { buildingId: string; name: string }) => unwrap(api.POST('/api/v1/units', { body })),
    meta: { form },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['units'] }),
  });
}

export function useCreateRoom(form: FormInstance) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RoomCreate) => unwrap(api.POST('/api/v1/rooms', { body })),
    meta: { form },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['rooms'] }),
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
