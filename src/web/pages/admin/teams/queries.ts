import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import { api, unwrap } from '../../../api/client';
import type { TeamCreate, TeamKind, TeamPatch } from '../../../api/types';
import { useCursorList } from '../../../components/cursorList';

export const TEAMS_KEY = ['teams'] as const;

export function useTeamList(filters: { communityId?: string; kind?: TeamKind; includeArchived: boolean }) {
  return useCursorList([...TEAMS_KEY, 'list', filters], (cursor) =>
    unwrap(
      api.GET('/api/v1/teams', {
        params: {
          query: {
            communityId: filters.communityId,
            kind: filters.kind,
            includeArchived: filters.includeArchived || undefined,
            cursor,
            limit: 50,
          },
        },
      }),
    ),
  );
}

function useRefreshTeams() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: TEAMS_KEY });
}

export function useCreateTeam(form: FormInstance) {
  const refresh = useRefreshTeams();
  return useMutation({
    mutationFn: (body: TeamCreate) => unwrap(api.POST('/api/v1/teams', { body })),
    meta: { form },
    onSuccess: refresh,
  });
}

export function useUpdateTeam(form?: FormInstance) {
  const refresh = useRefreshTeams();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: TeamPatch }) =>
      unwrap(api.PATCH('/api/v1/teams/{id}', { params: { path: { id } }, body })),
    meta: { form },
    onSuccess: refresh,
  });
}

export function useSetTeamMembers(form: FormInstance) {
  const refresh = useRefreshTeams();
  return useMutation({
    mutationFn: ({ id, userIds }: { id: string; userIds: string[] }) =>
      unwrap(api.PUT('/api/v1/teams/{id}/members', { params: { path: { id } }, body: { userIds } })),
    meta: { form },
    onSuccess: refresh,
  });
}

/** 在岗 / 离岗 of one member: automatic dispatch takes turns among the members on duty. */
export function useSetDuty() {
  const refresh = useRefreshTeams();
  return useMutation({
    mutationFn: ({ teamId, userId, onDuty }: { teamId: string; userId: string; onDuty: boolean }) =>
      unwrap(
        api.PUT('/api/v1/teams/{id}/members/{userId}/duty', {
          params: { path: { id: teamId, userId } },
          body: { onDuty },
        }),
      ),
    onSuccess: refresh,
  });
}
