import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DESK_ROLES, STAFF_ROLES } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { errorResponses, IdParams, Page } from '../../platform/schemas.js';
import { CreateResidentBody, ResidentQuery } from './residents.schemas.js';
import type { ResidentsService } from './residents.service.js';

export const residentsRoutes: FastifyPluginAsyncTypebox<{ residents: ResidentsService }> = async (
  app,
  { residents },
) => {
  app.get(
    '/residents',
    {
      config: { access: { roles: STAFF_ROLES } },
      schema: {
        tags: ['residents'],
        summary: 'Find residents by name, room, phone or 尾号',
        querystring: ResidentQuery,
        response: { 200: Page(Type.Ref('Resident')), ...errorResponses },
      },
    },
    async (request) => residents.list(ctxOf(request), request.query),
  );
  app.post(
    '/residents',
    {
      config: { access: { roles: DESK_ROLES } },
      schema: {
        tags: ['residents'],
        summary: 'Register a resident (住户)',
        body: CreateResidentBody,
        response: { 201: Type.Ref('Resident'), ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await residents.create(ctxOf(request), request.body)),
  );
  app.get(
    '/residents/:id',
    {
      config: { access: { roles: STAFF_ROLES } },
      schema: {
        tags: ['residents'],
        summary: 'One resident',
        params: IdParams,
        response: { 200: Type.Ref('Resident'), ...errorResponses },
      },
    },
    async (request) => residents.get(ctxOf(request), request.params.id),
  );
};
