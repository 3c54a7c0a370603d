import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifySchemaCompiler } from 'fastify';
import { ctxOf } from '../../platform/access.js';
import { errorResponses, IdParams } from '../../platform/schemas.js';
import { validatorCompiler } from '../../platform/validation.js';
import {
  CommitBody,
  ExportQuery,
  MappingBody,
  UPLOAD_CONTENT_TYPES,
  UploadBody,
  UploadQuery,
  XlsxResponse,
} from './imports.schemas.js';
import type { ImportsService } from './imports.service.js';
import { XLSX_CONTENT_TYPE } from './imports.sheet.js';

/** Imports change the registry of a community: its managers and the administrators (R2). */
const importers = { roles: ['admin', 'manager'] } as const;
/** An export shows phones in full: only roles that may see them (R4). */
const exporters = { roles: ['admin', 'manager'] } as const;

/** A company's whole registry fits easily; a 100,000-row .xlsx is about 6 MB. */
export const UPLOAD_LIMIT = 30 * 1024 * 1024;

/** The upload's body is the file: it is read as bytes, never validated as JSON. */
const rawBody: FastifySchemaCompiler<object> = (route) =>
  route.httpPart === 'body' ? () => true : validatorCompiler(route);

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

export const importsRoutes: FastifyPluginAsyncTypebox<{ imports: ImportsService }> = async (
  app,
  { imports },
) => {
  // only this plugin's routes take files; everywhere else the API stays JSON-only
  app.addContentTypeParser(
    UPLOAD_CONTENT_TYPES,
    { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT },
    (_request, body, done) => done(null, body),
  );
  app.addHook('onClose', async () => imports.drain());

  const job = Type.Ref('ImportJob');

  app.post(
    '/imports',
    {
      config: { access: importers },
      bodyLimit: UPLOAD_LIMIT,
      validatorCompiler: rawBody,
      schema: {
        tags: ['imports'],
        summary:
          'Upload a sheet (.xlsx or CSV) of residents: returns the job with the proposed mapping and the dry run',
        description:
          'The body is the file itself. The header row is found below any title rows; columns are mapped by ' +
          'their usual Chinese names; every row is checked. Nothing is written to the registry until the commit.',
        consumes: UPLOAD_CONTENT_TYPES,
        querystring: UploadQuery,
        body: UploadBody,
        response: { 201: job, ...errorResponses, 413: Type.Ref('ErrorBody') },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await imports.upload(ctxOf(request), {
          communityId: request.query.communityId,
          fileName: request.query.fileName,
          createMissing: request.query.createMissing,
          body: request.body,
        }),
      ),
  );
  app.get(
    '/imports/template.xlsx',
    {
      config: { access: importers },
      schema: {
        tags: ['imports'],
        summary: 'The import template: our column names and one example row',
        response: { 200: XlsxResponse, ...errorResponses },
      },
    },
    async (_request, reply) => sendXlsx(reply, '住户导入模板.xlsx', await imports.template()),
  );
  app.get(
    '/imports/:id',
    {
      config: { access: importers },
      schema: {
        tags: ['imports'],
        summary: 'An import job: mapping, dry run and, while committing, its progress (poll it)',
        params: IdParams,
        response: { 200: job, ...errorResponses },
      },
    },
    async (request) => imports.get(ctxOf(request), request.params.id),
  );
  app.put(
    '/imports/:id/mapping',
    {
      config: { access: importers },
      schema: {
        tags: ['imports'],
        summary: 'Correct the column mapping and run the dry run again',
        params: IdParams,
        body: MappingBody,
        response: { 200: job, ...errorResponses },
      },
    },
    async (request) => imports.remap(ctxOf(request), request.params.id, request.body),
  );
  app.post(
    '/imports/:id/commit',
    {
      config: { access: importers },
      schema: {
        tags: ['imports'],
        summary:
          'Import the valid rows: starts the commit and answers at once (202); poll the job for progress',
        description:
          'A job commits once: a second commit is a 409. A failed or stalled commit resumes from its last batch.',
        params: IdParams,
        body: CommitBody,
        response: { 202: job, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { view, done } = await imports.commit(ctxOf(request), request.params.id, request.body);
      // the job row records the failure for the console; the log keeps the cause
      done.catch((error) => request.log.error({ err: error, importJobId: view.id }, 'import commit failed'));
      return reply.status(202).send(view);
    },
  );
  app.get(
    '/imports/:id/report.xlsx',
    {
      config: { access: importers },
      schema: {
        tags: ['imports'],
        summary:
          'The dry-run report: the sheet as uploaded, with 错误 beside each bad row and bad cells highlighted',
        params: IdParams,
        response: { 200: XlsxResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { buffer, fileName } = await imports.report(ctxOf(request), request.params.id);
      return sendXlsx(reply, fileName, buffer);
    },
  );
  app.get(
    '/residents/export.xlsx',
    {
      config: { access: exporters },
      schema: {
        tags: ['residents'],
        summary: 'Export the residents of a community as .xlsx, in the import template’s columns (audited)',
        querystring: ExportQuery,
        response: { 200: XlsxResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { buffer, fileName } = await imports.exportResidents(ctxOf(request), request.query.communityId);
      return sendXlsx(reply, fileName, buffer);
    },
  );
};
