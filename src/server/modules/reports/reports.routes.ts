import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Role } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { errorResponses } from '../../platform/schemas.js';
import {
  ReportQuery,
  ReturnVisitsReport,
  SatisfactionQuery,
  SatisfactionReport,
  XlsxResponse,
} from './reports.schemas.js';
import type { ReportsService } from './reports.service.js';

/** Who reads the reports: the 客服主管, the 经理, 品质部 (read only) and the administrators. */
const REPORT_READERS: readonly Role[] = ['supervisor', 'manager', 'quality', 'admin'];

const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function sendXlsx(reply: FastifyReply, fileName: string, buffer: Buffer) {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .type(XLSX_CONTENT_TYPE)
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    )
    .send(buffer);
}

export const reportsRoutes: FastifyPluginAsyncTypebox<{ reports: ReportsService }> = async (
  app,
  { reports },
) => {
  const access = { roles: REPORT_READERS };

  app.get(
    '/reports/satisfaction',
    {
      config: { access },
      schema: {
        tags: ['reports'],
        summary: 'Satisfaction by community, team, worker, category or month (R34)',
        description: SatisfactionReport.description,
        querystring: SatisfactionQuery,
        response: { 200: SatisfactionReport, ...errorResponses },
      },
    },
    async (request) => reports.satisfaction(ctxOf(request), request.query),
  );

  app.get(
    '/reports/satisfaction.xlsx',
    {
      config: { access },
      schema: {
        tags: ['reports'],
        summary: 'The satisfaction report as .xlsx (audited)',
        querystring: SatisfactionQuery,
        response: { 200: XlsxResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { buffer, fileName } = await reports.satisfactionXlsx(ctxOf(request), request.query);
      return sendXlsx(reply, fileName, buffer);
    },
  );

  app.get(
    '/reports/return-visits',
    {
      config: { access },
      schema: {
        tags: ['reports'],
        summary: 'Return visits done on time, reopen rate, complaint follow-ups and their outcomes (R33 R34)',
        querystring: ReportQuery,
        response: { 200: ReturnVisitsReport, ...errorResponses },
      },
    },
    async (request) => reports.returnVisits(ctxOf(request), request.query),
  );

  app.get(
    '/reports/return-visits.xlsx',
    {
      config: { access },
      schema: {
        tags: ['reports'],
        summary: 'The return-visit report as .xlsx (audited)',
        querystring: ReportQuery,
        response: { 200: XlsxResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { buffer, fileName } = await reports.returnVisitsXlsx(ctxOf(request), request.query);
      return sendXlsx(reply, fileName, buffer);
    },
  );
};
