import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { ApiError } from '../../api/errors';
import type {
  AttachmentKind,
  EmergencyLogBody,
  IncidentReportBody,
  TicketAction,
  TicketActionBody,
  TicketCreate,
  TicketDetail,
  TicketStatus,
  TicketType,
  TicketView,
} from '../../api/types';
import { useCursorList } from '../../components/cursorList';

export const TICKETS_KEY = ['tickets'] as const;
const PAGE_SIZE = 30;

export interface TicketFilters {
  communityId?: string;
  status?: TicketStatus;
  type?: TicketType;
  view?: TicketView;
}

export function useTicketList(filters: TicketFilters) {
  return useCursorList([...TICKETS_KEY, 'list', filters], (cursor) =>
    unwrap(api.GET('/api/v1/tickets', { params: { query: { ...filters, cursor, limit: PAGE_SIZE } } })),
  );
}

export function ticketKey(id: string | undefined) {
  return [...TICKETS_KEY, 'detail', id] as const;
}

export function useTicket(id: string | undefined) {
  return useQuery({
    queryKey: ticketKey(id),
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

/** One action with its own body (a union over the actions, so each body is checked). */
export type ActionCall = {
  [A in TicketAction]: { ticket: Pick<TicketDetail, 'id' | 'version'>; action: A; body: TicketActionBody<A> };
}[TicketAction];

/** 409s after which the ticket on screen is out of date: reload it (R12: say who changed it). */
const STALE_CODES = new Set(['CONFLICT', 'ILLEGAL_TRANSITION', 'ALREADY_TAKEN']);

/**
 * POST /tickets/{id}/<action> with the version the user saw. On success the answer replaces the
 * cached ticket and the queues refresh; on a conflict the ticket is reloaded (the error toast says
 * who changed it) while the form keeps what was typed.
 */
export function useTicketAction(options: { form?: FormInstance; silent?: boolean } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ ticket, action, body }: ActionCall) =>
      unwrap(
        // One endpoint per action, all of the same shape: the path union is checked by TicketAction.
        api.POST(`/api/v1/tickets/{id}/${action}` as '/api/v1/tickets/{id}/accept', {
          params: { path: { id: ticket.id } },
          body: { ...body, version: ticket.version } as never,
        }),
      ),
    meta: { form: options.form, silent: options.silent },
    onSuccess: (detail) => {
      queryClient.setQueryData(ticketKey(detail.id), detail);
      void queryClient.invalidateQueries({ queryKey: [...TICKETS_KEY, 'list'] });
    },
    onError: async (error, { ticket }) => {
      if (isStale(error)) {
        void queryClient.invalidateQueries({ queryKey: [...TICKETS_KEY, 'list'] });
        // Awaited: the caller's onError then finds the reloaded ticket in the cache.
        await queryClient.invalidateQueries({ queryKey: ticketKey(ticket.id) });
      }
    },
  });
}

function isStale(error: Error): boolean {
  return error instanceof ApiError && STALE_CODES.has(error.code);
}

/** The ticket as the user saw it: what an action is sent with. */
export type SeenTicket = Pick<TicketDetail, 'id' | 'version'>;

/**
 * Which action form of a ticket is open, with the version the user saw when opening it. Live
 * updates refresh the ticket under an open form; the form keeps what was typed and still sends
 * that version, so a change made meanwhile is the server's 409 (which says who changed it), not
 * silently overwritten. After such a 409 the reloaded ticket is on screen: its version is the
 * one seen from then on.
 */
export function useActionForm<K extends string>() {
  const queryClient = useQueryClient();
  const [state, setState] = useState<{ key: K; seen: SeenTicket } | null>(null);
  return {
    open: state?.key ?? null,
    seen: state?.seen,
    show: (key: K, ticket: SeenTicket) => setState({ key, seen: { id: ticket.id, version: ticket.version } }),
    hide: () => setState(null),
    /** For the action's onError. */
    onError: (error: Error) => {
      if (!isStale(error)) return;
      setState((current) => {
        if (!current) return current;
        const reloaded = queryClient.getQueryData<TicketDetail>(ticketKey(current.seen.id));
        return reloaded ? { ...current, seen: { id: reloaded.id, version: reloaded.version } } : current;
      });
    },
  };
}

/** The teams that can take a ticket of this community (its own and the company-wide ones). */
export function useDispatchTeams(communityId: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['teams', 'dispatch', communityId],
    queryFn: () => unwrap(api.GET('/api/v1/teams', { params: { query: { communityId, limit: 100 } } })),
    enabled: enabled && !!communityId,
    select: (page) => page.items.filter((team) => !team.archived),
  });
}

/**
 * A write on one ticket answered with its detail (link, unlink, the emergency log …), with the
 * same handling as the lifecycle actions: the answer replaces the cached ticket, a conflict
 * reloads it while the form keeps what was typed.
 */
function useTicketWrite<V extends { ticket: SeenTicket }>(
  write: (variables: V) => Promise<TicketDetail>,
  options: { form?: FormInstance } = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    meta: { form: options.form },
    onSuccess: (detail) => {
      queryClient.setQueryData(ticketKey(detail.id), detail);
      void queryClient.invalidateQueries({ queryKey: [...TICKETS_KEY, 'list'] });
    },
    onError: async (error, { ticket }) => {
      if (isStale(error)) {
        void queryClient.invalidateQueries({ queryKey: [...TICKETS_KEY, 'list'] });
        await queryClient.invalidateQueries({ queryKey: ticketKey(ticket.id) });
      }
    },
  });
}

/** R11: this request is the same incident as an open one (`parentId`), or no longer. */
export function useLinkTicket() {
  return useTicketWrite(({ ticket, parentId }: { ticket: SeenTicket; parentId: string | null }) =>
    parentId
      ? unwrap(
          api.POST('/api/v1/tickets/{id}/link', {
            params: { path: { id: ticket.id } },
            body: { version: ticket.version, parentId },
          }),
        )
      : unwrap(
          api.POST('/api/v1/tickets/{id}/unlink', {
            params: { path: { id: ticket.id } },
            body: { version: ticket.version },
          }),
        ),
  );
}

/** R16: one step of the emergency playbook. */
export function useEmergencyLog(form?: FormInstance) {
  return useTicketWrite(
    ({ ticket, body }: { ticket: SeenTicket; body: EmergencyLogBody }) =>
      unwrap(
        api.POST('/api/v1/tickets/{id}/emergency-log', {
          params: { path: { id: ticket.id } },
          body: { ...body, version: ticket.version },
        }),
      ),
    { form },
  );
}

/** R16: the incident report, once the people are freed. */
export function useIncidentReport(form?: FormInstance) {
  return useTicketWrite(
    ({ ticket, body }: { ticket: SeenTicket; body: IncidentReportBody }) =>
      unwrap(
        api.POST('/api/v1/tickets/{id}/incident-report', {
          params: { path: { id: ticket.id } },
          body: { ...body, version: ticket.version },
        }),
      ),
    { form },
  );
}

export const attachmentsKey = (id: string) => [...TICKETS_KEY, 'attachments', id] as const;

/** Photos, signatures and files of a ticket (R10). */
export function useTicketAttachments(id: string) {
  return useQuery({
    queryKey: attachmentsKey(id),
    queryFn: () =>
      unwrap(api.GET('/api/v1/tickets/{id}/attachments', { params: { path: { id } } })).then(
        (page) => page.items,
      ),
  });
}

/** Uploads one file as multipart (kind + file); the CSRF header comes from the shared client. */
export function useUploadAttachment(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, file }: { kind: AttachmentKind; file: File }) => {
      const form = new FormData();
      form.append('kind', kind);
      form.append('file', file, file.name);
      return unwrap(
        api.POST('/api/v1/tickets/{id}/attachments', {
          params: { path: { id } },
          // multipart as built by the browser (with its boundary), not JSON
          body: form as never,
          bodySerializer: (body: unknown) => body as FormData,
        }),
      );
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: attachmentsKey(id) });
      void queryClient.invalidateQueries({ queryKey: ticketKey(id) });
    },
  });
}

/** What the resident was told about this ticket, and how delivery went (R14). */
export function useTicketNotifications(id: string) {
  return useQuery({
    queryKey: [...TICKETS_KEY, 'notifications', id],
    queryFn: () =>
      unwrap(api.GET('/api/v1/tickets/{id}/notifications', { params: { path: { id } } })).then(
        (page) => page.items,
      ),
  });
}

/** Sends a failed or undeliverable message again (R14), with a fresh set of attempts. */
export function useRetryNotification(ticketId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/v1/notifications/{id}/retry', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...TICKETS_KEY, 'notifications', ticketId] }),
  });
}
