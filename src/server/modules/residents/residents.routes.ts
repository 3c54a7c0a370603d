import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DESK_ROLES, STAFF_ROLES } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { errorResponses, IdParams, Page } from '../../platform/schemas.js';
import {
  AddRoomBody,
  ArchiveBody,
  CreateResidentBody,
  Household,
  Membership,
  MoveOutBody,
  ResidentCard,
  ResidentQuery,
  RoomParams,
  UpdateResidentBody,
} from './residents.schemas.js';
import type { ResidentsService } from './residents.service.js';

const read = { roles: STAFF_ROLES } as const;
const keep = { roles: DESK_ROLES } as const;
/** Roles that call residents back and so may see their full numbers (R4). */
const reveal = { roles: ['agent', 'supervisor', 'manager', 'steward', 'admin'] } as const;

export const residentsRoutes: FastifyPluginAsyncTypebox<{ residents: ResidentsService }> = async (
  app,
  { residents },
) => {
  const resident = Type.Ref('Resident');

  app.get(
    '/residents',
    {
      config: { access: read },
      schema: {
        tags: ['residents'],
        summary: 'Find residents: name, pinyin initials, room code, phone or 尾号 (ranked); or list them',
        querystring: ResidentQuery,
        response: { 200: Page(resident), ...errorResponses },
      },
    },
    async (request) => residents.list(ctxOf(request), request.query),
  );
  app.post(
    '/residents',
    {
      config: { access: keep },
      schema: {
        tags: ['residents'],
        summary: 'Register a resident (住户)',
        body: CreateResidentBody,
        response: { 201: resident, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await residents.create(ctxOf(request), request.body)),
  );
  app.get(
    '/residents/:id',
    {
      config: { access: read },
      schema: {
        tags: ['residents'],
        summary: 'One resident',
        params: IdParams,
        response: { 200: resident, ...errorResponses },
      },
    },
    async (request) => residents.get(ctxOf(request), request.params.id),
  );
  app.patch(
    '/residents/:id',
    {
      config: { access: keep },
      schema: {
        tags: ['residents'],
        summary: 'Edit a resident (send the version you read; 409 if someone else changed it)',
        params: IdParams,
        body: UpdateResidentBody,
        response: { 200: resident, ...errorResponses },
      },
    },
    async (request) => residents.update(ctxOf(request), request.params.id, request.body),
  );
  app.post(
    '/residents/:id/archive',
    {
      config: { access: keep },
      schema: {
        tags: ['residents'],
        summary: 'Archive or restore a resident (never deleted: their history stays)',
        params: IdParams,
        body: ArchiveBody,
        response: { 200: resident, ...errorResponses },
      },
    },
    async (request) =>
      residents.setArchived(ctxOf(request), request.params.id, request.body.archived, request.body.version),
  );
  app.post(
    '/residents/:id/reveal-phone',
    {
      config: { access: reveal },
      schema: {
        tags: ['residents'],
        summary: 'Show the full phone numbers; the reveal is audited',
        params: IdParams,
        response: { 200: Type.Object({ phones: Type.Array(Type.String()) }), ...errorResponses },
      },
    },
    async (request) => residents.revealPhones(ctxOf(request), request.params.id),
  );
  app.get(
    '/residents/:id/card',
    {
      config: { access: read },
      schema: {
        tags: ['residents'],
        summary: 'The resident card: rooms, household, open requests, complaints',
        params: IdParams,
        response: { 200: ResidentCard, ...errorResponses },
      },
    },
    async (request) => residents.card(ctxOf(request), request.params.id),
  );
  app.get(
    '/residents/:id/rooms',
    {
      config: { access: read },
      schema: {
        tags: ['residents'],
        summary: 'The rooms a resident belongs to',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Membership) }), ...errorResponses },
      },
    },
    async (request) => residents.households(ctxOf(request), request.params.id),
  );
  app.post(
    '/residents/:id/rooms',
    {
      config: { access: keep },
      schema: {
        tags: ['residents'],
        summary: 'Add a resident to another room’s household',
        params: IdParams,
        body: AddRoomBody,
        response: { 200: Type.Object({ items: Type.Array(Membership) }), ...errorResponses },
      },
    },
    async (request) => residents.addRoom(ctxOf(request), request.params.id, request.body),
  );
  app.post(
    '/residents/:id/rooms/:roomId/move-out',
    {
      config: { access: keep },
      schema: {
        tags: ['residents'],
        summary: 'Record that a resident moved out of a room',
        params: RoomParams,
        body: MoveOutBody,
        response: { 200: Type.Object({ items: Type.Array(Membership) }), ...errorResponses },
      },
    },
    async (request) =>
      residents.moveOut(ctxOf(request), request.params.id, request.params.roomId, request.body.date),
  );
  app.get(
    '/rooms/:id/household',
    {
      config: { access: read },
      schema: {
        tags: ['residents'],
        summary: 'Who lives in a room',
        params: IdParams,
        response: { 200: Household, ...errorResponses },
      },
    },
    async (request) => residents.roomHousehold(ctxOf(request), request.params.id),
  );
};
