import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { type Role, STAFF_ROLES } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { errorResponses, IdParams } from '../../platform/schemas.js';
import {
  CreateArticleBody,
  KbArticleList,
  KbScript,
  KnowledgeQuery,
  ReviewBody,
  ReviewDueQuery,
  ScriptsQuery,
  UpdateArticleBody,
  UpdateScriptBody,
} from './knowledge.schemas.js';
import type { KnowledgeService } from './knowledge.service.js';

/**
 * Everyone on the staff looks answers up (R32: the desk, and the field staff and cashiers whom
 * residents ask too); the desk's leaders keep them.
 */
const READERS: readonly Role[] = STAFF_ROLES;
const KEEPERS: readonly Role[] = ['supervisor', 'manager', 'admin'];

export const knowledgeRoutes: FastifyPluginAsyncTypebox<{ knowledge: KnowledgeService }> = async (
  app,
  { knowledge },
) => {
  const article = Type.Ref('KbArticle');

  app.get(
    '/knowledge',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags: ['knowledge'],
        summary:
          'Search the standard answers (R32): company-wide and my communities’, ranked (question and keywords before answer; pinyin initials)',
        querystring: KnowledgeQuery,
        response: { 200: KbArticleList, ...errorResponses },
      },
    },
    async (request) => knowledge.search(ctxOf(request), request.query),
  );

  app.get(
    '/knowledge/review-due',
    {
      config: { access: { roles: KEEPERS } },
      schema: {
        tags: ['knowledge'],
        summary: 'Active articles due for review: never reviewed, or review date today or earlier',
        querystring: ReviewDueQuery,
        response: { 200: KbArticleList, ...errorResponses },
      },
    },
    async (request) => knowledge.reviewDue(ctxOf(request), request.query),
  );

  app.get(
    '/knowledge/scripts',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags: ['knowledge'],
        summary:
          'The standard scripts of a call and a visit, rendered for me (工号, name, company) and the resident/community given',
        querystring: ScriptsQuery,
        response: { 200: Type.Object({ items: Type.Array(KbScript) }), ...errorResponses },
      },
    },
    async (request) => knowledge.scripts(ctxOf(request), request.query),
  );

  app.patch(
    '/knowledge/scripts/:id',
    {
      config: { access: { roles: KEEPERS } },
      schema: {
        tags: ['knowledge'],
        summary:
          'Edit a script (placeholders {company} {community} {agent} {employeeNo} {resident}); audited',
        params: IdParams,
        body: UpdateScriptBody,
        response: { 200: KbScript, ...errorResponses },
      },
    },
    async (request) => knowledge.updateScript(ctxOf(request), request.params.id, request.body),
  );

  app.get(
    '/knowledge/:id',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags: ['knowledge'],
        summary: 'One article',
        params: IdParams,
        response: { 200: article, ...errorResponses },
      },
    },
    async (request) => knowledge.get(ctxOf(request), request.params.id),
  );

  app.post(
    '/knowledge',
    {
      config: { access: { roles: KEEPERS } },
      schema: {
        tags: ['knowledge'],
        summary: 'Add an article, company-wide or for one of my communities; audited',
        body: CreateArticleBody,
        response: { 201: article, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await knowledge.create(ctxOf(request), request.body)),
  );

  app.patch(
    '/knowledge/:id',
    {
      config: { access: { roles: KEEPERS } },
      schema: {
        tags: ['knowledge'],
        summary: 'Edit or archive an article (version check: 409 when someone else was first); audited',
        params: IdParams,
        body: UpdateArticleBody,
        response: { 200: article, ...errorResponses },
      },
    },
    async (request) => knowledge.update(ctxOf(request), request.params.id, request.body),
  );

  app.post(
    '/knowledge/:id/review',
    {
      config: { access: { roles: KEEPERS } },
      schema: {
        tags: ['knowledge'],
        summary: 'Mark an article reviewed now and set its next review date (default 180 days); audited',
        params: IdParams,
        body: ReviewBody,
        response: { 200: article, ...errorResponses },
      },
    },
    async (request) => knowledge.review(ctxOf(request), request.params.id, request.body),
  );
};
