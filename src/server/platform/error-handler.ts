import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from './errors.js';
import { classifyFault, FAULT_ANSWERS } from './faults.js';
import { fieldLabel, t } from './i18n/i18n.js';
import type { Locale, MessageKey } from './i18n/messages.js';
import { fieldErrorsFromAjv } from './validation.js';

export interface ErrorBody {
  code: string;
  message: string;
  details: { field: string; message: string }[] | null;
  requestId: string;
}

function translateFields(locale: Locale, fields: FieldError[]) {
  return fields.map((f) => ({
    field: f.field,
    message: t(locale, f.key, {
      ...f.params,
      field: fieldLabel(locale, f.field),
      ...(f.params?.other ? { other: fieldLabel(locale, String(f.params.other)) } : {}),
    }),
  }));
}

function body(
  request: FastifyRequest,
  code: string,
  key: MessageKey,
  params = {},
  fields: FieldError[] = [],
) {
  const details = fields.length ? translateFields(request.locale, fields) : null;
  return {
    code,
    message: t(request.locale, key, params),
    details,
    requestId: String(request.id),
  } satisfies ErrorBody;
}

/** One error contract for the whole API: `{ code, message, details, requestId }` in the caller's language. */
export function registerErrorHandler(app: FastifyInstance, options: { spaFallback?: boolean } = {}) {
  app.setErrorHandler((error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      return reply
        .status(error.status)
        .send(body(request, error.code, error.key, error.params, error.fields));
    }
    if (error.validation) {
      const fields = fieldErrorsFromAjv(error.validation as never, error.validationContext ?? 'body');
      return reply
        .status(400)
        .send(body(request, 'VALIDATION_FAILED', 'error.VALIDATION_FAILED', {}, fields));
    }
    // the database or the disk failed, not the request: a translated 503/507 with a retry hint
    const fault = classifyFault(error);
    if (fault) {
      const answer = FAULT_ANSWERS[fault];
      request.log.error({ err: error, fault }, 'request failed: database or storage unavailable');
      return reply
        .status(answer.status)
        .header('retry-after', String(answer.retryAfterSeconds))
        .send(body(request, answer.code, answer.key));
    }
    const status = error.statusCode ?? 500;
    if (status === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send(body(request, 'PAYLOAD_TOO_LARGE', 'error.PAYLOAD_TOO_LARGE'));
    }
    if (status === 415 || error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send(body(request, 'UNSUPPORTED_MEDIA_TYPE', 'error.UNSUPPORTED_MEDIA_TYPE'));
    }
    if (status === 400 && (error.code?.startsWith('FST_ERR_CTP') || error instanceof SyntaxError)) {
      return reply.status(400).send(body(request, 'INVALID_JSON', 'error.INVALID_JSON'));
    }
    if (status >= 400 && status < 500) {
      return reply.status(status).send(body(request, 'BAD_REQUEST', 'error.VALIDATION_FAILED'));
    }
    // Internals stay in the log, keyed by the request id the caller sees.
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send(body(request, 'INTERNAL', 'error.INTERNAL'));
  });

  app.setNotFoundHandler((request, reply) => {
    // the console routes on the client: any page address that is not the API gets index.html
    const path = request.url.split('?')[0] ?? '';
    if (
      options.spaFallback &&
      request.method === 'GET' &&
      !path.startsWith('/api/') &&
      !path.startsWith('/docs')
    ) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply.status(404).send(body(request, 'ROUTE_NOT_FOUND', 'error.ROUTE_NOT_FOUND'));
  });
}
