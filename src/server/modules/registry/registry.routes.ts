import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { STAFF_ROLES } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { errorResponses, IdParams, Page } from '../../platform/schemas.js';
import {
  BuildingQuery,
  CommunityQuery,
  CommunityTree,
  CreateBuildingBody,
  CreateCommunityBody,
  CreatePublicAreaBody,
  CreateRoomBody,
  CreateUnitBody,
  PublicAreaQuery,
  RoomQuery,
  UnitQuery,
  UpdateBuildingBody,
  UpdateCommunityBody,
  UpdatePublicAreaBody,
  UpdateRoomBody,
  UpdateUnitBody,
} from './registry.schemas.js';
import type { RegistryService } from './registry.service.js';

/** Everyone on the staff reads the registry of their communities; admins and managers keep it. */
const read = { roles: STAFF_ROLES } as const;
const keep = { roles: ['admin', 'manager'] } as const;

export const registryRoutes: FastifyPluginAsyncTypebox<{ registry: RegistryService }> = async (
  app,
  { registry },
) => {
  const ref = (name: string) => Type.Ref(name);

  app.get(
    '/communities',
    {
      config: { access: read },
      schema: {
        tags: ['registry'],
        summary: 'Communities I may see',
        querystring: CommunityQuery,
        response: { 200: Page(ref('Community')), ...errorResponses },
      },
    },
    async (request) => registry.listCommunities(ctxOf(request), request.query),
  );
  app.post(
    '/communities',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['registry'],
        summary: 'Create a community (小区)',
        body: CreateCommunityBody,
        response: { 201: ref('Community'), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await registry.createCommunity(ctxOf(request), request.body)),
  );
  app.get(
    '/communities/:id',
    {
      config: { access: read },
      schema: {
        tags: ['registry'],
        summary: 'One community',
        params: IdParams,
        response: { 200: ref('Community'), ...errorResponses },
      },
    },
    async (request) => registry.getCommunity(ctxOf(request), request.params.id),
  );
  app.patch(
    '/communities/:id',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['registry'],
        summary: 'Edit a community: name, address, time zone (audited)',
        params: IdParams,
        body: UpdateCommunityBody,
        response: { 200: ref('Community'), ...errorResponses },
      },
    },
    async (request) => registry.updateCommunity(ctxOf(request), request.params.id, request.body),
  );
  app.get(
    '/communities/:id/tree',
    {
      config: { access: read },
      schema: {
        tags: ['registry'],
        summary: 'Buildings and units of a community with their rooms by status (R1)',
        params: IdParams,
        response: { 200: CommunityTree, ...errorResponses },
      },
    },
    async (request) => registry.communityTree(ctxOf(request), request.params.id),
  );

  app.get(
    '/buildings',
    {
      config: { access: read },
      schema: {
        tags: ['registry'],
        summary: 'Buildings (楼栋), with their steward; filter by community or steward',
        querystring: BuildingQuery,
        response: { 200: Page(ref('Building')), ...errorResponses },
      },
    },
    async (request) => registry.listBuildings(ctxOf(request), request.query),
  );
  app.post(
    '/buildings',
    {
      config: { access: keep },
      schema: {
        tags: ['registry'],
        summary: 'Create a building',
        body: CreateBuildingBody,
        response: { 201: ref('Building'), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await registry.createBuilding(ctxOf(request), request.body)),
  );

  app.get(
    '/buildings/:id',
    {
      config: { access: read },
      schema: {
        tags: ['registry'],
        summary: 'One building',
        params: IdParams,
        response: { 200: ref('Building'), ...errorResponses },
      },
    },
    async (request) => registry.getBuilding(ctxOf(request), request.params.id),
  );
  app.patch(
    '/buildings/:id',
    {
      config: { access: keep },
      schema: {
        tags: ['registry'],
        summary: 'Edit a building: name, code, steward (楼栋管家) (audited)',
        params: IdParams,
        body: UpdateBuildingBody,
        response: { 200: ref('Building'), ...errorResponses },
      },
    },
    async (request) => registry.updateBuilding(ctxOf(request), request.params.id, request.body),
  );

  app.get(
    '/units',
    {
      config: { access: read },
      schema: {
        tags: ['registry'],
        summary: 'Units (单元)',
        querystring: UnitQuery,
        response: { 200: Page(ref('Unit')), ...errorResponses },
      },
    },
    async (request) => registry.listUnits(ctxOf(request), request.query),
  );
  app.post(
    '/units',
    {
      config: { access: keep },
      schema: {
        tags: ['registry'],
        summary: 'Create a unit',
        body: CreateUnitBody,
        response: { 201: ref('Unit'), ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await registry.createUnit(ctxOf(request), request.body)),
  );
  app.patch(
    '/units/:id',
    {
      config: { access: keep },
      schema: {
        tags: ['registry'],
        summary: 'Rename a unit (audited)',
        params: IdParams,
        body: UpdateUnitBody,
        response: { 200: ref('Unit'), ...errorResponses },
      },
    },
    async (request) => registry.updateUnit(ctxOf(request), request.params.id, request.body),
  );

  app.get(
    '/rooms',
    {
      config: { access: read },
      schema: {
        tags: ['registry'],
        summary: 'Rooms (房屋), searchable by number; filter by status to list the vacant ones (R1)',
        querystring: RoomQuery,
        response: { 200: Page(ref('Room')), ...errorResponses },
      },
    },
    async (request) => registry.listRooms(ctxOf(request), request.query),
  );
  app.post(
    '/rooms',
    {
      config: { access: keep },
      schema: {
        tags: ['registry'],
        summary: 'Create a room',
        body: CreateRoomBody,
        response: { 201: ref('Room'), ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await registry.createRoom(ctxOf(request), request.body)),
  );
  app.get(
    '/rooms/:id',
    {
      config: { access: read },
      schema: {
        tags: ['registry'],
        summary: 'One room',
        params: IdParams,
        response: { 200: ref('Room'), ...errorResponses },
      },
    },
    async (request) => registry.getRoom(ctxOf(request), request.params.id),
  );
  app.patch(
    '/rooms/:id',
    {
      config: { access: keep },
      schema: {
        tags: ['registry'],
        summary: 'Edit a room: floor, area, status (audited); a stale version is a conflict',
        params: IdParams,
        body: UpdateRoomBody,
        response: { 200: ref('Room'), ...errorResponses },
      },
    },
    async (request) => registry.updateRoom(ctxOf(request), request.params.id, request.body),
  );

  app.get(
    '/public-areas',
    {
      config: { access: read },
      schema: {
        tags: ['registry'],
        summary: 'Public areas (公共区域)',
        querystring: PublicAreaQuery,
        response: { 200: Page(ref('PublicArea')), ...errorResponses },
      },
    },
    async (request) => registry.listPublicAreas(ctxOf(request), request.query),
  );
  app.post(
    '/public-areas',
    {
      config: { access: keep },
      schema: {
        tags: ['registry'],
        summary: 'Create a public area',
        body: CreatePublicAreaBody,
        response: { 201: ref('PublicArea'), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await registry.createPublicArea(ctxOf(request), request.body)),
  );
  app.patch(
    '/public-areas/:id',
    {
      config: { access: keep },
      schema: {
        tags: ['registry'],
        summary: 'Rename a public area (audited)',
        params: IdParams,
        body: UpdatePublicAreaBody,
        response: { 200: ref('PublicArea'), ...errorResponses },
      },
    },
    async (request) => registry.updatePublicArea(ctxOf(request), request.params.id, request.body),
  );
};
