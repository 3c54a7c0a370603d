import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import type { BusinessCalendar } from '../../../../domain/business-time';
import { api, unwrap } from '../../../api/client';
import type { paths } from '../../../api/schema';
import { TICKETS_KEY } from '../../tickets/queries';

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type PoliciesPath = paths['/api/v1/sla/policies'];

export type SlaPolicy = Json<PoliciesPath['get']['responses'][200]>[number];
export type SlaPolicyCreate = Json<PoliciesPath['post']['requestBody']>;
export type SlaPolicyPatch = Json<paths['/api/v1/sla/policies/{id}']['patch']['requestBody']>;
export type SlaTarget = SlaPolicy['target'];
export type CalendarEntry = Json<paths['/api/v1/sla/calendars']['get']['responses'][200]>[number];

/** Targets in the product's order, for the table and the form. */
export { SLA_TARGETS } from '../../../../domain/sla';

const POLICIES_KEY = ['sla-settings', 'policies'] as const;
const CALENDARS_KEY = ['sla-settings', 'calendars'] as const;

/** The company's policies and the overrides of one community (or of all the user's communities). */
export function useSlaPolicies(communityId: string | undefined) {
  return useQuery({
    queryKey: [...POLICIES_KEY, communityId ?? null],
    queryFn: () =>
      unwrap(api.GET('/api/v1/sla/policies', { params: { query: communityId ? { communityId } : {} } })),
  });
}

export function useCreatePolicy(form: FormInstance) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SlaPolicyCreate) => unwrap(api.POST('/api/v1/sla/policies', { body })),
    meta: { form },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: POLICIES_KEY }),
  });
}

export function useUpdatePolicy(form: FormInstance) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: SlaPolicyPatch }) =>
      unwrap(api.PATCH('/api/v1/sla/policies/{id}', { params: { path: { id } }, body })),
    meta: { form },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: POLICIES_KEY }),
  });
}

export function useDeletePolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/sla/policies/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: POLICIES_KEY }),
  });
}

/** The company's calendar and each of the user's communities' (their own or the inherited one). */
export function useSlaCalendars() {
  return useQuery({
    queryKey: CALENDARS_KEY,
    queryFn: () => unwrap(api.GET('/api/v1/sla/calendars')),
  });
}

/** Stores the company's calendar (communityId null: admin only) or a community's. */
export function usePutCalendar() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ communityId, calendar }: { communityId: string | null; calendar: BusinessCalendar }) =>
      communityId === null
        ? unwrap(api.PUT('/api/v1/sla/calendars/company', { body: { calendar } }))
        : unwrap(
            api.PUT('/api/v1/sla/calendars/communities/{id}', {
              params: { path: { id: communityId } },
              body: { calendar },
            }),
          ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CALENDARS_KEY }),
  });
}

/** Re-applies today's policies and calendar to a community's open clocks (admin only, audited). */
export function useReapply() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (communityId: string) => unwrap(api.POST('/api/v1/sla/reapply', { body: { communityId } })),
    // the countdowns on the desk and the board follow the new due times
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TICKETS_KEY }),
  });
}
