import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { STAFF_ROLES } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { errorResponses, IdParams } from '../../platform/schemas.js';
import {
  CategoryQuery,
  CreateCategoryBody,
  CreatePriceBody,
  PriceQuery,
  UpdateCategoryBody,
  UpdatePriceBody,
} from './categories.schemas.js';
import type { CategoriesService } from './categories.service.js';

/** Everyone on the staff reads the tree and the prices; the desk's leaders keep them. */
const read = { roles: STAFF_ROLES } as const;
const keep = { roles: ['admin', 'manager', 'supervisor'] } as const;

export const categoriesRoutes: FastifyPluginAsyncTypebox<{ categories: CategoriesService }> = async (
  app,
  { categories },
) => {
  const category = Type.Ref('TicketCategory');
  const price = Type.Ref('CategoryPrice');

  app.get(
    '/ticket-categories',
    {
      config: { access: read },
      schema: {
        tags: ['categories'],
        summary: 'The category tree: first level with its children, each with how it is dispatched',
        querystring: CategoryQuery,
        response: {
          200: Type.Object({ items: Type.Array(Type.Ref('TicketCategoryTree')) }),
          ...errorResponses,
        },
      },
    },
    async (request) => categories.tree(ctxOf(request), request.query),
  );
  app.post(
    '/ticket-categories',
    {
      config: { access: keep },
      schema: {
        tags: ['categories'],
        summary: 'Add a category, first level or under one (two levels at most; audited)',
        body: CreateCategoryBody,
        response: { 201: category, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await categories.create(ctxOf(request), request.body)),
  );
  app.patch(
    '/ticket-categories/:id',
    {
      config: { access: keep },
      schema: {
        tags: ['categories'],
        summary: 'Edit a category: name, order, dispatch mode and team, archived (audited)',
        params: IdParams,
        body: UpdateCategoryBody,
        response: { 200: category, ...errorResponses },
      },
    },
    async (request) => categories.update(ctxOf(request), request.params.id, request.body),
  );
  app.get(
    '/ticket-categories/:id/prices',
    {
      config: { access: read },
      schema: {
        tags: ['categories'],
        summary: 'The published prices of paid work in a category (有偿服务收费标准, R10)',
        params: IdParams,
        querystring: PriceQuery,
        response: { 200: Type.Object({ items: Type.Array(price) }), ...errorResponses },
      },
    },
    async (request) => categories.prices(request.params.id, request.query),
  );
  app.post(
    '/ticket-categories/:id/prices',
    {
      config: { access: keep },
      schema: {
        tags: ['categories'],
        summary: 'Publish a price in a category (audited)',
        params: IdParams,
        body: CreatePriceBody,
        response: { 201: price, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await categories.createPrice(ctxOf(request), request.params.id, request.body)),
  );
  app.patch(
    '/category-prices/:id',
    {
      config: { access: keep },
      schema: {
        tags: ['categories'],
        summary: 'Edit a published price, or archive it instead of deleting (audited)',
        params: IdParams,
        body: UpdatePriceBody,
        response: { 200: price, ...errorResponses },
      },
    },
    async (request) => categories.updatePrice(ctxOf(request), request.params.id, request.body),
  );
};
