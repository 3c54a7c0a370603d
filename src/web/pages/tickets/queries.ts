import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import { api, unwrap } from '../../api/client';
import type { TicketCreate, TicketStatus, TicketType } from '../../api/types';
import { useCursorList } from '../../components/cursorList';

export const TICKETS_KEY = ['tickets'] as const;
const PAGE_SIZE = 30;

export interface TicketFilters {
  communityId?: string;
  status?: TicketStatus;
  type?: TicketType;
}

export function useTicketList(filters: TicketFilters) {
  return useCursorList([...TICKETS_KEY, 'list', filters], (cursor) =>
    unwrap(api.GET('/api/v1/tickets', { params: { query: { ...filters, cursor, limit: PAGE_SIZE } } })),
  );
}

export function useTicket(id: string | undefined) {
  return useQuery({
    queryKey: [...TICKETS_KEY, 'detail', id],
    queryFn: () => unwrap(api.GET('/api/v1/tickets/{id}', { params: { path: { id: id ?? '' } } })),
    enabled: !!id,
  });
}

/** POST /tickets with an Idempotency-Key, so a retried save never creates a second ticket (R12). */
export function useCreateTicket(form: FormInstance) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: TicketCreate; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/tickets', { body, headers: { 'Idempotency-Key': idempotencyKey } })),
    meta: { form },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TICKETS_KEY }),
  });
}
