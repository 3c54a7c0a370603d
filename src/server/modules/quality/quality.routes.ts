import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DESK_ROLES, READ_ROLES, type Role } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { errorResponses, IdParams, Page, PageQuery } from '../../platform/schemas.js';
import {
  AckBody,
  CheckBody,
  DrawBody,
  DrawResult,
  QaReport,
  QaSample,
  QaSheet,
  ReportQuery,
  SamplesQuery,
  UpdateSheetBody,
} from './quality.schemas.js';
import type { QualityService } from './quality.service.js';

/** Who draws samples, keeps the score sheet and reads the report (R39). */
export const QA_MANAGERS: readonly Role[] = ['supervisor', 'quality', 'manager', 'admin'];
/** Who scores a sample (R39). */
export const QA_SCORERS: readonly Role[] = ['supervisor', 'quality'];

export const qualityRoutes: FastifyPluginAsyncTypebox<{ quality: QualityService }> = async (
  app,
  { quality },
) => {
  app.get(
    '/quality/sheet',
    {
      config: { access: { roles: READ_ROLES } },
      schema: {
        tags: ['quality'],
        summary: 'The score sheet new checks are scored on (items, maximum points, deduction rules) (R39)',
        response: { 200: QaSheet, ...errorResponses },
      },
    },
    async () => quality.sheet(),
  );

  app.put(
    '/quality/sheet',
    {
      config: { access: { roles: QA_MANAGERS } },
      schema: {
        tags: ['quality'],
        summary: 'Edit the score sheet: a new version (checks made keep theirs); audited',
        body: UpdateSheetBody,
        response: { 200: QaSheet, ...errorResponses },
      },
    },
    async (request) => quality.updateSheet(ctxOf(request), request.body),
  );

  app.post(
    '/quality/samples/draw',
    {
      config: { access: { roles: QA_MANAGERS } },
      schema: {
        tags: ['quality'],
        summary:
          "Draw a week's spot checks of a community: per agent 2 random requests/calls (new staff 4), plus every one mentioning 投诉/赔偿/起诉; idempotent; audited",
        body: DrawBody,
        response: { 200: DrawResult, ...errorResponses },
      },
    },
    async (request) => quality.draw(ctxOf(request), request.body),
  );

  app.get(
    '/quality/samples',
    {
      config: { access: { roles: QA_MANAGERS } },
      schema: {
        tags: ['quality'],
        summary: 'Drawn samples of my communities, newest first',
        querystring: SamplesQuery,
        response: { 200: Page(QaSample), ...errorResponses },
      },
    },
    async (request) => quality.list(ctxOf(request), request.query),
  );

  app.post(
    '/quality/samples/:id/check',
    {
      config: { access: { roles: QA_SCORERS } },
      schema: {
        tags: ['quality'],
        summary:
          'Score a sample on the current sheet: every item 0..its maximum; the total is computed; audited',
        params: IdParams,
        body: CheckBody,
        response: { 200: QaSample, ...errorResponses },
      },
    },
    async (request) => quality.check(ctxOf(request), request.params.id, request.body),
  );

  app.get(
    '/quality/my-results',
    {
      config: { access: { roles: DESK_ROLES } },
      schema: {
        tags: ['quality'],
        summary: 'My own scored spot checks, newest first (R39: agents see their results)',
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Page(QaSample), ...errorResponses },
      },
    },
    async (request) => quality.myResults(ctxOf(request), request.query),
  );

  app.post(
    '/quality/checks/:id/ack',
    {
      config: { access: { roles: DESK_ROLES } },
      schema: {
        tags: ['quality'],
        summary: 'Acknowledge one of my results (已阅); audited once',
        params: IdParams,
        body: AckBody,
        response: { 200: QaSample, ...errorResponses },
      },
    },
    async (request) => quality.acknowledge(ctxOf(request), request.params.id),
  );

  app.get(
    '/quality/report',
    {
      config: { access: { roles: QA_MANAGERS } },
      schema: {
        tags: ['quality'],
        summary:
          'Per agent and month: samples, checked, average total, weakest item, forbidden-phrase overrides (R39, R37)',
        querystring: ReportQuery,
        response: { 200: QaReport, ...errorResponses },
      },
    },
    async (request) => quality.report(ctxOf(request), request.query),
  );
};
