import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { READ_ROLES, type Role } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { errors } from '../../platform/errors.js';
import { errorResponses, IdParams, Page } from '../../platform/schemas.js';
import type { RateLimiter, RatingsService } from './visits.ratings.js';
import {
  AttemptBody,
  CloseFollowupBody,
  FollowupQuery,
  PublicRatingBody,
  PublicRatingView,
  PutPoliciesBody,
  ResultBody,
  ReturnVisit,
  ReturnVisitDetail,
  TicketSatisfaction,
  TokenParams,
  VisitFollowup,
  VisitPolicies,
  VisitQuery,
} from './visits.schemas.js';
import type { VisitsService } from './visits.service.js';

/** Who works the visits: those who may also reopen a request (REOPEN_ROLES), as "not resolved" does. */
const VISITORS: readonly Role[] = ['agent', 'supervisor', 'manager', 'admin'];
const POLICY_READERS: readonly Role[] = ['supervisor', 'manager', 'quality', 'admin'];
const POLICY_WRITERS: readonly Role[] = ['manager', 'admin'];
const FOLLOWUP_CLOSERS: readonly Role[] = ['supervisor', 'manager', 'admin'];

export const visitsRoutes: FastifyPluginAsyncTypebox<{ visits: VisitsService }> = async (app, { visits }) => {
  app.get(
    '/return-visits',
    {
      config: { access: { roles: READ_ROLES } },
      schema: {
        tags: ['return-visits'],
        summary: 'Return visits by due time: mine, callable now (due), or all I may see (R33)',
        querystring: VisitQuery,
        response: { 200: Page(ReturnVisit), ...errorResponses },
      },
    },
    async (request) => visits.list(ctxOf(request), request.query),
  );

  app.get(
    '/return-visits/:id',
    {
      config: { access: { roles: READ_ROLES } },
      schema: {
        tags: ['return-visits'],
        summary: 'One return visit with its attempts',
        params: IdParams,
        response: { 200: ReturnVisitDetail, ...errorResponses },
      },
    },
    async (request) => visits.get(ctxOf(request), request.params.id),
  );

  app.post(
    '/return-visits/:id/attempts',
    {
      config: { access: { roles: VISITORS } },
      schema: {
        tags: ['return-visits'],
        summary:
          'Log an attempt to reach the resident: reached (then record the result), refused (closed), no_answer / busy (retried +2 h, then the next day 10:00; closed as unreachable after 3)',
        params: IdParams,
        body: AttemptBody,
        response: { 200: ReturnVisitDetail, ...errorResponses },
      },
    },
    async (request) => visits.attempt(ctxOf(request), request.params.id, request.body),
  );

  app.post(
    '/return-visits/:id/result',
    {
      config: { access: { roles: VISITORS } },
      schema: {
        tags: ['return-visits'],
        summary: 'Record the visit’s result: resolved or not and four 1–5 scores (R33 R34)',
        description:
          'Only after an attempt recorded `reached`. A score of 2 or less on any dimension opens a complaint follow-up for the 客服主管; `resolved: false` reopens the request (counted, R13).',
        params: IdParams,
        body: ResultBody,
        response: { 200: ReturnVisitDetail, ...errorResponses },
      },
    },
    async (request) => visits.result(ctxOf(request), request.params.id, request.body),
  );

  app.get(
    '/tickets/:id/satisfaction',
    {
      config: { access: { roles: READ_ROLES } },
      schema: {
        tags: ['return-visits'],
        summary: 'A request’s return visits, ratings, rating links and follow-ups',
        params: IdParams,
        response: { 200: TicketSatisfaction, ...errorResponses },
      },
    },
    async (request) => visits.forTicket(ctxOf(request), request.params.id),
  );

  app.get(
    '/return-visit-policies',
    {
      config: { access: { roles: POLICY_READERS } },
      schema: {
        tags: ['return-visits'],
        summary: 'The return-visit policy of each kind of finished job (R33)',
        response: { 200: VisitPolicies, ...errorResponses },
      },
    },
    async () => visits.policies(),
  );

  app.put(
    '/return-visit-policies',
    {
      config: { access: { roles: POLICY_WRITERS } },
      schema: {
        tags: ['return-visits'],
        summary: 'Set the policies of the kinds given (the others stay); audited',
        body: PutPoliciesBody,
        response: { 200: VisitPolicies, ...errorResponses },
      },
    },
    async (request) => visits.setPolicies(ctxOf(request), request.body),
  );

  app.get(
    '/visit-followups',
    {
      config: { access: { roles: READ_ROLES } },
      schema: {
        tags: ['return-visits'],
        summary: 'Complaint follow-ups opened by poor scores (R34)',
        querystring: FollowupQuery,
        response: { 200: Page(VisitFollowup), ...errorResponses },
      },
    },
    async (request) => visits.followups(ctxOf(request), request.query),
  );

  app.post(
    '/visit-followups/:id/close',
    {
      config: { access: { roles: FOLLOWUP_CLOSERS } },
      schema: {
        tags: ['return-visits'],
        summary: 'Close a follow-up with what was done for the resident',
        params: IdParams,
        body: CloseFollowupBody,
        response: { 200: VisitFollowup, ...errorResponses },
      },
    },
    async (request) => visits.closeFollowup(ctxOf(request), request.params.id, request.body),
  );
};

const publicErrors = {
  400: Type.Ref('ErrorBody'),
  404: Type.Ref('ErrorBody'),
  410: Type.Ref('ErrorBody'),
  429: Type.Ref('ErrorBody'),
};

/**
 * The resident's rating page (R34): no login, the token is the key. Rate-limited per client
 * address; a forged token is a 404, a used or expired one a 410, in the resident's language.
 */
export const ratingsPublicRoutes: FastifyPluginAsyncTypebox<{
  ratings: RatingsService;
  limiter: RateLimiter;
}> = async (app, { ratings, limiter }) => {
  const limited = async (request: { ip: string }) => {
    if (!limiter.take(request.ip)) throw errors.rateLimited();
  };

  app.get(
    '/public/ratings/:token',
    {
      config: { access: { public: true } },
      onRequest: limited,
      schema: {
        tags: ['return-visits'],
        summary: 'What the resident rates: the work done and by whom (public, by token)',
        security: [],
        params: TokenParams,
        response: { 200: PublicRatingView, ...publicErrors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      reply.header('referrer-policy', 'no-referrer');
      return ratings.view(request.params.token);
    },
  );

  app.post(
    '/public/ratings/:token',
    {
      config: { access: { public: true } },
      onRequest: limited,
      schema: {
        tags: ['return-visits'],
        summary: 'Rate the service once (public, by token): four 1–5 scores and a comment',
        security: [],
        params: TokenParams,
        body: PublicRatingBody,
        response: { 200: Type.Object({ rated: Type.Boolean() }), ...publicErrors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return ratings.rate(request.params.token, request.body, {
        ip: request.ip,
        locale: request.locale,
        requestId: request.id,
      });
    },
  );
};
