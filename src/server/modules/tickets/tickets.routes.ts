import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DESK_ROLES, FIELD_ROLES, READ_ROLES } from '../../../domain/roles.js';
import { TICKET_ACTIONS, type TicketAction } from '../../../domain/ticket-lifecycle.js';
import { ctxOf } from '../../platform/access.js';
import { errorResponses, IdParams, Page } from '../../platform/schemas.js';
import type { TicketActionsService } from './tickets.actions.js';
import {
  ActionBodies,
  CreateTicketBody,
  CreateTicketHeaders,
  GradeBody,
  LinkBody,
  NoteBody,
  SettleBody,
  SimilarQuery,
  TicketQuery,
  UnlinkBody,
} from './tickets.schemas.js';
import type { TicketsService } from './tickets.service.js';

const ACTION_SUMMARIES: Record<TicketAction, string> = {
  dispatch:
    'Dispatch to a team, and optionally a worker (派单); without a worker it waits in the team’s grab pool',
  grab: 'Take a job from my team’s pool (抢单); of two workers grabbing at once exactly one wins',
  accept: 'Accept a job dispatched to me (接单)',
  decline: 'Decline a job dispatched to me, with a reason (退单, R13); it goes back to dispatch',
  arrive: 'Report arrival on site (到场)',
  start: 'Start the work (处理中)',
  complete: 'Complete with the report: cause, work, parts, charge, advice (完成, R10)',
  pend: 'Put on hold with reason, next step and the ETA told to the resident (挂起, R7)',
  resume: 'Resume a held request where it was',
  reassign: 'Hand to another team or worker (转派)',
  escalate: 'Escalate one level: worker → team lead → 客服主管 → 服务中心经理 → 品质部 (升级, R26)',
  answer: 'Answer an inquiry, praise or suggestion and close it at once',
  close: 'Close a done request (关闭); paid work only once its charge is settled (R10)',
  reopen: 'Reopen a done or closed request, with a reason (重开; counted)',
  cancel: 'Cancel an open request, with a reason (作废, R13)',
};

export const ticketsRoutes: FastifyPluginAsyncTypebox<{
  tickets: TicketsService;
  actions: TicketActionsService;
}> = async (app, { tickets, actions }) => {
  app.post(
    '/tickets',
    {
      config: { access: { roles: DESK_ROLES } },
      schema: {
        tags: ['tickets'],
        summary: 'Receive a service request (受理工单)',
        description:
          'Send an `Idempotency-Key` header to make retries safe: a repeated key returns the first ticket.',
        headers: CreateTicketHeaders,
        body: CreateTicketBody,
        response: { 201: Type.Ref('TicketDetail'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { ticket } = await tickets.create(
        ctxOf(request),
        request.body,
        request.headers['idempotency-key'],
      );
      return reply.status(201).send(ticket);
    },
  );

  app.get(
    '/tickets',
    {
      config: { access: { roles: [...READ_ROLES, ...FIELD_ROLES] } },
      schema: {
        tags: ['tickets'],
        summary: 'Service requests, newest first',
        querystring: TicketQuery,
        response: { 200: Page(Type.Ref('Ticket')), ...errorResponses },
      },
    },
    async (request) => tickets.list(ctxOf(request), request.query),
  );

  app.get(
    '/tickets/:id',
    {
      config: { access: { roles: [...READ_ROLES, ...FIELD_ROLES] } },
      schema: {
        tags: ['tickets'],
        summary: 'One request with its timeline',
        params: IdParams,
        response: { 200: Type.Ref('TicketDetail'), ...errorResponses },
      },
    },
    async (request) => tickets.get(ctxOf(request), request.params.id),
  );

  // Every step of the lifecycle is its own endpoint; the state machine decides what is allowed.
  for (const action of TICKET_ACTIONS) {
    app.post(
      `/tickets/:id/${action}`,
      {
        config: { access: { roles: [...DESK_ROLES, ...FIELD_ROLES] } },
        schema: {
          tags: ['tickets'],
          summary: ACTION_SUMMARIES[action],
          params: IdParams,
          body: ActionBodies[action],
          response: { 200: Type.Ref('TicketDetail'), ...errorResponses },
        },
      },
      async (request) => actions.act(ctxOf(request), request.params.id, action, request.body as never),
    );
  }

  app.post(
    '/tickets/:id/grade',
    {
      config: { access: { roles: ['agent', 'supervisor', 'manager', 'admin'] } },
      schema: {
        tags: ['tickets'],
        summary:
          'Grade a complaint: valid, outside the service promise, or major — a major one goes to the manager (R15)',
        params: IdParams,
        body: GradeBody,
        response: { 200: Type.Ref('TicketDetail'), ...errorResponses },
      },
    },
    async (request) => actions.grade(ctxOf(request), request.params.id, request.body),
  );

  app.post(
    '/tickets/:id/settle',
    {
      config: { access: { roles: ['cashier', 'agent', 'supervisor', 'manager', 'admin'] } },
      schema: {
        tags: ['tickets'],
        summary:
          'Record the payment of paid work (amount, method, receipt); a paid request closes only after this (R10)',
        params: IdParams,
        body: SettleBody,
        response: { 200: Type.Ref('TicketDetail'), ...errorResponses },
      },
    },
    async (request) => actions.settle(ctxOf(request), request.params.id, request.body),
  );

  app.get(
    '/tickets/similar',
    {
      config: { access: { roles: READ_ROLES } },
      schema: {
        tags: ['tickets'],
        summary:
          'Open requests that may be the same incident (R11): same category and building or public area',
        description:
          'Asked while logging a request: any match is offered to the agent to link instead of dispatching twice.',
        querystring: SimilarQuery,
        response: { 200: Type.Object({ items: Type.Array(Type.Ref('Ticket')) }), ...errorResponses },
      },
    },
    async (request) => tickets.similar(ctxOf(request), request.query),
  );

  app.post(
    '/tickets/:id/link',
    {
      config: { access: { roles: DESK_ROLES } },
      schema: {
        tags: ['tickets'],
        summary:
          'Link a request not yet dispatched to an open one of the same incident (R11); it then follows that request',
        params: IdParams,
        body: LinkBody,
        response: { 200: Type.Ref('TicketDetail'), ...errorResponses },
      },
    },
    async (request) => actions.link(ctxOf(request), request.params.id, request.body),
  );

  app.post(
    '/tickets/:id/unlink',
    {
      config: { access: { roles: DESK_ROLES } },
      schema: {
        tags: ['tickets'],
        summary: 'Undo a link (R11): the request waits for its own dispatch again',
        params: IdParams,
        body: UnlinkBody,
        response: { 200: Type.Ref('TicketDetail'), ...errorResponses },
      },
    },
    async (request) => actions.unlink(ctxOf(request), request.params.id, request.body),
  );

  app.post(
    '/tickets/:id/notes',
    {
      config: { access: { roles: [...DESK_ROLES, ...FIELD_ROLES] } },
      schema: {
        tags: ['tickets'],
        summary: 'Add an internal note (staff only) or a reply the resident sees, to the timeline',
        params: IdParams,
        body: NoteBody,
        response: { 200: Type.Ref('TicketDetail'), ...errorResponses },
      },
    },
    async (request) => actions.addNote(ctxOf(request), request.params.id, request.body),
  );
};
