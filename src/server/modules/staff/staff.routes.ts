import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ctxOf } from '../../platform/access.js';
import { errorResponses, IdParams, Page } from '../../platform/schemas.js';
import type { StaffRecord } from './staff.repository.js';
import {
  CreateStaffBody,
  Directory,
  DirectoryQuery,
  ResetPasswordBody,
  Staff,
  StaffQuery,
  UpdateStaffBody,
} from './staff.schemas.js';
import type { StaffService } from './staff.service.js';

const admin = { roles: ['admin'] } as const;

function view(s: StaffRecord) {
  const { locale: _locale, ...rest } = s;
  return rest;
}

export const staffRoutes: FastifyPluginAsyncTypebox<{ staff: StaffService }> = async (app, { staff }) => {
  app.get(
    '/staff',
    {
      config: { access: admin },
      schema: {
        tags: ['staff'],
        summary: 'List staff',
        querystring: StaffQuery,
        response: { 200: Page(Type.Ref('Staff')), ...errorResponses },
      },
    },
    async (request) => {
      const page = await staff.list(request.query);
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/staff/directory',
    {
      config: { access: { roles: ['admin', 'manager', 'supervisor'] } },
      schema: {
        tags: ['staff'],
        summary: 'Active staff who work in a community (name, 工号, roles), for assigning stewards and teams',
        querystring: DirectoryQuery,
        response: { 200: Directory, ...errorResponses },
      },
    },
    async (request) => staff.directory(ctxOf(request), request.query.communityId, request.query.role),
  );

  app.post(
    '/staff',
    {
      config: { access: admin },
      schema: {
        tags: ['staff'],
        summary: 'Create a staff account',
        body: CreateStaffBody,
        response: { 201: Staff, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(view(await staff.create(ctxOf(request), request.body))),
  );

  app.get(
    '/staff/:id',
    {
      config: { access: admin },
      schema: {
        tags: ['staff'],
        summary: 'One staff account',
        params: IdParams,
        response: { 200: Staff, ...errorResponses },
      },
    },
    async (request) => view(await staff.get(request.params.id)),
  );

  app.patch(
    '/staff/:id',
    {
      config: { access: admin },
      schema: {
        tags: ['staff'],
        summary: 'Edit, disable or enable a staff account',
        params: IdParams,
        body: UpdateStaffBody,
        response: { 200: Staff, ...errorResponses },
      },
    },
    async (request) => view(await staff.update(ctxOf(request), request.params.id, request.body)),
  );

  app.post(
    '/staff/:id/reset-password',
    {
      config: { access: admin },
      schema: {
        tags: ['staff'],
        summary: 'Set a new password; the user must change it at next login, and their sessions end',
        params: IdParams,
        body: ResetPasswordBody,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await staff.resetPassword(ctxOf(request), request.params.id, request.body.newPassword);
      return reply.status(204).send(null);
    },
  );
};
