import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { READ_ROLES, type Role } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { errors } from '../../platform/errors.js';
import { errorResponses, IdParams, Page } from '../../platform/schemas.js';
import type { RateLimiter } from '../visits/visits.ratings.js';
import {
  CreateSurveyBody,
  PublicSurveyBody,
  PublicSurveyView,
  Survey,
  SurveyDetail,
  SurveyQuery,
  SurveyResults,
  SurveyTokenParams,
  UpdateSurveyBody,
  VersionBody,
} from './surveys.schemas.js';
import type { SurveysService } from './surveys.service.js';

/** Who builds, opens and closes surveys (R36). */
const SURVEY_EDITORS: readonly Role[] = ['supervisor', 'manager', 'admin'];

export const surveysRoutes: FastifyPluginAsyncTypebox<{ surveys: SurveysService }> = async (
  app,
  { surveys },
) => {
  app.get(
    '/surveys',
    {
      config: { access: { roles: READ_ROLES } },
      schema: {
        tags: ['surveys'],
        summary: 'Satisfaction surveys of the communities I may see, newest first (R36)',
        querystring: SurveyQuery,
        response: { 200: Page(Survey), ...errorResponses },
      },
    },
    async (request) => surveys.list(ctxOf(request), request.query),
  );

  app.post(
    '/surveys',
    {
      config: { access: { roles: SURVEY_EDITORS } },
      schema: {
        tags: ['surveys'],
        summary: 'Create a draft survey with its questions (1–30; choices 2–10 options); audited',
        body: CreateSurveyBody,
        response: { 201: SurveyDetail, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await surveys.create(ctxOf(request), request.body)),
  );

  app.get(
    '/surveys/:id',
    {
      config: { access: { roles: READ_ROLES } },
      schema: {
        tags: ['surveys'],
        summary: 'One survey with its questions',
        params: IdParams,
        response: { 200: SurveyDetail, ...errorResponses },
      },
    },
    async (request) => surveys.get(ctxOf(request), request.params.id),
  );

  app.put(
    '/surveys/:id',
    {
      config: { access: { roles: SURVEY_EDITORS } },
      schema: {
        tags: ['surveys'],
        summary: 'Edit a draft survey: its title, intro, anonymity, end and all its questions; audited',
        params: IdParams,
        body: UpdateSurveyBody,
        response: { 200: SurveyDetail, ...errorResponses },
      },
    },
    async (request) => surveys.update(ctxOf(request), request.params.id, request.body),
  );

  app.post(
    '/surveys/:id/open',
    {
      config: { access: { roles: SURVEY_EDITORS } },
      schema: {
        tags: ['surveys'],
        summary:
          'Open a draft: every current resident of the community with a phone is sent a one-time link; audited',
        params: IdParams,
        body: VersionBody,
        response: { 200: SurveyDetail, ...errorResponses },
      },
    },
    async (request) => surveys.open(ctxOf(request), request.params.id, request.body),
  );

  app.post(
    '/surveys/:id/close',
    {
      config: { access: { roles: SURVEY_EDITORS } },
      schema: {
        tags: ['surveys'],
        summary: 'Close an open survey: its links stop working; audited',
        params: IdParams,
        body: VersionBody,
        response: { 200: SurveyDetail, ...errorResponses },
      },
    },
    async (request) => surveys.close(ctxOf(request), request.params.id, request.body),
  );

  app.get(
    '/surveys/:id/results',
    {
      config: { access: { roles: READ_ROLES } },
      schema: {
        tags: ['surveys'],
        summary:
          'Results: per question the count of each option, the average score, the texts; the response rate',
        params: IdParams,
        response: { 200: SurveyResults, ...errorResponses },
      },
    },
    async (request) => surveys.results(ctxOf(request), request.params.id),
  );
};

const publicErrors = {
  400: Type.Ref('ErrorBody'),
  404: Type.Ref('ErrorBody'),
  410: Type.Ref('ErrorBody'),
  429: Type.Ref('ErrorBody'),
};

/**
 * The resident's survey page (R36): no login, the token is the key. Rate-limited per client
 * address by the rating pages' own limiter (one budget for both); a forged token is a 404, a
 * used one or a closed survey a 410, in the resident's language.
 */
export const surveysPublicRoutes: FastifyPluginAsyncTypebox<{
  surveys: SurveysService;
  limiter: RateLimiter;
}> = async (app, { surveys, limiter }) => {
  const limited = async (request: { ip: string }) => {
    if (!limiter.take(request.ip)) throw errors.rateLimited();
  };

  app.get(
    '/public/surveys/:token',
    {
      config: { access: { public: true } },
      onRequest: limited,
      schema: {
        tags: ['surveys'],
        summary: 'The questionnaire the resident answers (public, by token)',
        security: [],
        params: SurveyTokenParams,
        response: { 200: PublicSurveyView, ...publicErrors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      reply.header('referrer-policy', 'no-referrer');
      return surveys.publicView(request.params.token);
    },
  );

  app.post(
    '/public/surveys/:token',
    {
      config: { access: { public: true } },
      onRequest: limited,
      schema: {
        tags: ['surveys'],
        summary: 'Answer the survey once (public, by token); every answer checked against its question',
        security: [],
        params: SurveyTokenParams,
        body: PublicSurveyBody,
        response: { 200: Type.Object({ submitted: Type.Boolean() }), ...publicErrors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return surveys.respond(request.params.token, request.body, {
        ip: request.ip,
        locale: request.locale,
        requestId: request.id,
      });
    },
  );
};
