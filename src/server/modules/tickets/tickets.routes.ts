import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DESK_ROLES, READ_ROLES, STAFF_ROLES } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { errorResponses, IdParams, Page } from '../../platform/schemas.js';
import { Category, CreateTicketBody, CreateTicketHeaders, TicketQuery } from './tickets.schemas.js';
import type { TicketsService } from './tickets.service.js';

export const ticketsRoutes: FastifyPluginAsyncTypebox<{ tickets: TicketsService }> = async (
  app,
  { tickets },
) => {
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
      config: { access: { roles: READ_ROLES } },
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
      config: { access: { roles: READ_ROLES } },
      schema: {
        tags: ['tickets'],
        summary: 'One request with its timeline',
        params: IdParams,
        response: { 200: Type.Ref('TicketDetail'), ...errorResponses },
      },
    },
    async (request) => tickets.get(ctxOf(request), request.params.id),
  );

  app.get(
    '/ticket-categories',
    {
      config: { access: { roles: STAFF_ROLES } },
      schema: {
        tags: ['tickets'],
        summary: 'The category tree',
        response: { 200: Type.Object({ items: Type.Array(Category) }), ...errorResponses },
      },
    },
    async () => tickets.categories(),
  );
};
