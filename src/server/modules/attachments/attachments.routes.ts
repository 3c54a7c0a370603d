import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { DESK_ROLES, FIELD_ROLES, READ_ROLES } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { AppError, errors } from '../../platform/errors.js';
import { errorResponses, IdParams } from '../../platform/schemas.js';
import { validatorCompiler } from '../../platform/validation.js';
import { FileResponse, ThumbnailResponse, UploadForm } from './attachments.schemas.js';
import type { AttachmentContent, AttachmentsService, UploadInput } from './attachments.service.js';

/** Who adds photos and files: the desk and the workers on the job. */
const uploaders = { roles: [...DESK_ROLES, ...FIELD_ROLES] };
/** Who sees them: whoever may read the ticket (field staff: their own jobs only). */
const readers = { roles: [...READ_ROLES, ...FIELD_ROLES] };

/** The upload's body is a multipart stream the handler reads itself; it is never validated as JSON. */
const multipartBody: FastifySchemaCompiler<object> = (route) =>
  route.httpPart === 'body' ? () => true : validatorCompiler(route);

const notMultipart = () => new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'error.ATTACHMENT_NOT_MULTIPART');

/**
 * Reads the form: one `kind` field and one `file`. The file is taken into memory up to the
 * limit and no further; anything else in the form is refused.
 */
async function readUploadForm(request: FastifyRequest, service: AttachmentsService): Promise<UploadInput> {
  if (!request.isMultipart()) throw notMultipart();
  const form: { kind?: string; file?: { fileName: string; data: Buffer } } = {};
  try {
    const parts = request.parts({
      limits: {
        fileSize: service.maxBytes,
        files: 1,
        fields: 4,
        parts: 5,
        fieldNameSize: 100,
        fieldSize: 1000,
        headerPairs: 100,
      },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw errors.field(part.fieldname, 'validation.unknownField');
        form.file = { fileName: part.filename, data: await part.toBuffer() };
      } else if (part.fieldname === 'kind' && form.kind === undefined) {
        form.kind = String(part.value);
      } else if (part.fieldname === 'file') {
        // a text field named file: the form sent no file
        throw errors.field('file', 'validation.required');
      } else {
        throw errors.field(part.fieldname, 'validation.unknownField');
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw service.tooLarge();
    if (code === 'FST_FILES_LIMIT') throw errors.field('file', 'validation.oneFile');
    // a form cut short or otherwise malformed: the client's fault, said plainly
    throw errors.field('body', 'validation.multipartInvalid');
  }
  if (!form.file) throw errors.field('file', 'validation.required');
  return { kind: form.kind, fileName: form.file.fileName, data: form.file.data };
}

/** A name for Content-Disposition: an ASCII fallback, and the real name in RFC 5987 form. */
function contentDisposition(type: 'inline' | 'attachment', fileName: string) {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_');
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

function sendContent(reply: FastifyReply, content: AttachmentContent, variant: 'original' | 'thumbnail') {
  const { attachment } = content;
  // images are shown in the page; a PDF is downloaded, never rendered in our origin
  const disposition = attachment.contentType.startsWith('image/') ? 'inline' : 'attachment';
  const fileName =
    variant === 'original'
      ? attachment.fileName
      : `${attachment.fileName.replace(/\.[^.]*$/, '')}-thumb.webp`;
  reply
    .type(content.contentType)
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', contentDisposition(disposition, fileName))
    // the bytes under an id never change, but who may see them can: keep them in private caches only
    .header('cache-control', 'private, max-age=3600');
  if (content.size !== null) reply.header('content-length', content.size);
  return reply.send(content.body);
}

export const attachmentsRoutes: FastifyPluginAsyncTypebox<{ attachments: AttachmentsService }> = async (
  app,
  { attachments },
) => {
  // only this plugin's routes take multipart forms; everywhere else the API stays JSON-only
  await app.register(multipart);
  app.addContentTypeParser('*', (_request, _payload, done) => done(notMultipart(), undefined));

  app.post(
    '/tickets/:id/attachments',
    {
      config: { access: uploaders },
      // a caller who may not see the ticket is answered before a byte of the file is read
      onRequest: async (request) => {
        await attachments.ticketOf(ctxOf(request), (request.params as { id: string }).id);
      },
      validatorCompiler: multipartBody,
      schema: {
        tags: ['attachments'],
        summary: 'Add a photo (before / after), the resident’s signature or a file to a request (R10)',
        description:
          'multipart/form-data with a `kind` field and one `file`. The type is read from the bytes, not the ' +
          'name: JPEG, PNG, WebP, GIF or PDF; a signature must be PNG. At most ATTACHMENT_MAX_MB (default 10 MB). ' +
          'Images get a thumbnail. Lands on the timeline as an `attachment` step.',
        consumes: ['multipart/form-data'],
        params: IdParams,
        body: UploadForm,
        response: {
          201: Type.Ref('Attachment'),
          ...errorResponses,
          413: Type.Ref('ErrorBody'),
          415: Type.Ref('ErrorBody'),
        },
      },
    },
    async (request, reply) => {
      const input = await readUploadForm(request, attachments);
      return reply.status(201).send(await attachments.upload(ctxOf(request), request.params.id, input));
    },
  );

  app.get(
    '/tickets/:id/attachments',
    {
      config: { access: readers },
      schema: {
        tags: ['attachments'],
        summary: 'The photos and files of a request, oldest first',
        params: IdParams,
        response: {
          200: Type.Object({ items: Type.Array(Type.Ref('Attachment')) }),
          ...errorResponses,
        },
      },
    },
    async (request) => attachments.list(ctxOf(request), request.params.id),
  );

  app.get(
    '/attachments/:id',
    {
      config: { access: readers },
      schema: {
        tags: ['attachments'],
        summary: 'The bytes of a photo or file, as uploaded',
        description:
          'Content-Type as found in the bytes, `X-Content-Type-Options: nosniff`; images inline, PDF as a ' +
          'download (Content-Disposition with an RFC 5987 `filename*`).',
        params: IdParams,
        response: { 200: FileResponse, ...errorResponses },
      },
    },
    async (request, reply) =>
      sendContent(reply, await attachments.open(ctxOf(request), request.params.id, 'original'), 'original'),
  );

  app.get(
    '/attachments/:id/thumbnail',
    {
      config: { access: readers },
      schema: {
        tags: ['attachments'],
        summary: 'The thumbnail of an image (WebP, at most 320 px on the long side); 404 for a PDF',
        params: IdParams,
        response: { 200: ThumbnailResponse, ...errorResponses },
      },
    },
    async (request, reply) =>
      sendContent(reply, await attachments.open(ctxOf(request), request.params.id, 'thumbnail'), 'thumbnail'),
  );
};
