import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { STAFF_ROLES } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { errorResponses, IdParams, Page } from '../../platform/schemas.js';
import {
  CreateTeamBody,
  DutyBody,
  DutyParams,
  SetMembersBody,
  TeamQuery,
  UpdateTeamBody,
} from './teams.schemas.js';
import type { TeamsService } from './teams.service.js';

/** Everyone on the staff sees the teams of their communities and the company-wide ones. */
const read = { roles: STAFF_ROLES } as const;
const keep = { roles: ['admin', 'manager'] } as const;

export const teamsRoutes: FastifyPluginAsyncTypebox<{ teams: TeamsService }> = async (app, { teams }) => {
  const team = Type.Ref('Team');

  app.get(
    '/teams',
    {
      config: { access: read },
      schema: {
        tags: ['teams'],
        summary: 'Staff teams (维修组, 保安队 …) of my communities, and the company-wide ones',
        querystring: TeamQuery,
        response: { 200: Page(team), ...errorResponses },
      },
    },
    async (request) => teams.list(ctxOf(request), request.query),
  );
  app.post(
    '/teams',
    {
      config: { access: keep },
      schema: {
        tags: ['teams'],
        summary: 'Create a team (audited)',
        body: CreateTeamBody,
        response: { 201: team, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await teams.create(ctxOf(request), request.body)),
  );
  app.get(
    '/teams/:id',
    {
      config: { access: read },
      schema: {
        tags: ['teams'],
        summary: 'One team with its members',
        params: IdParams,
        response: { 200: team, ...errorResponses },
      },
    },
    async (request) => teams.get(ctxOf(request), request.params.id),
  );
  app.patch(
    '/teams/:id',
    {
      config: { access: keep },
      schema: {
        tags: ['teams'],
        summary: 'Edit a team: name, kind, leader (a member), archived (audited)',
        params: IdParams,
        body: UpdateTeamBody,
        response: { 200: team, ...errorResponses },
      },
    },
    async (request) => teams.update(ctxOf(request), request.params.id, request.body),
  );
  app.put(
    '/teams/:id/members',
    {
      config: { access: keep },
      schema: {
        tags: ['teams'],
        summary: "Replace a team's members: active staff who see its community (audited)",
        params: IdParams,
        body: SetMembersBody,
        response: { 200: team, ...errorResponses },
      },
    },
    async (request) => teams.setMembers(ctxOf(request), request.params.id, request.body),
  );
  app.put(
    '/teams/:id/members/:userId/duty',
    {
      // any member may report on or off duty; the service checks who may change whom
      config: { access: read },
      schema: {
        tags: ['teams'],
        summary:
          'Put a member on or off duty (在岗): the member, the team leader, a supervisor, manager or admin (audited)',
        params: DutyParams,
        body: DutyBody,
        response: { 200: team, ...errorResponses },
      },
    },
    async (request) => teams.setDuty(ctxOf(request), request.params.id, request.params.userId, request.body),
  );
};
