import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DESK_ROLES, READ_ROLES } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { errorResponses, IdParams, Page } from '../../platform/schemas.js';
import { formToObject } from './calls.cti.js';
import {
  Call,
  CallPop,
  CallQuery,
  CallStats,
  CtiAccepted,
  CtiEventBody,
  CtiQuery,
  LinkTicketBody,
  MyExtension,
  MyExtensionBody,
  OriginateBody,
  OriginateReply,
  StatsQuery,
} from './calls.schemas.js';
import type { CallsService } from './calls.service.js';

const read = { roles: READ_ROLES } as const;
const desk = { roles: DESK_ROLES } as const;
/** Only the PBX's token (role `telephony`), by header or, for PBXes that cannot send one, `?token=`. */
const pbx = { roles: ['telephony'], queryToken: true } as const;
const FORM_LIMIT = 64 * 1024;

export const callsRoutes: FastifyPluginAsyncTypebox<{ calls: CallsService }> = async (app, { calls }) => {
  // the telephony webhook takes forms as well as JSON (Zammad's PBX integrations send either);
  // the parsers live in this inner plugin, so the rest of the API stays JSON-only
  await app.register(async (cti) => {
    cti.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_LIMIT },
      (_request, body, done) => done(null, formToObject(new URLSearchParams(String(body)).entries())),
    );
    cti.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'buffer', bodyLimit: FORM_LIMIT },
      async (request: { headers: Record<string, string | string[] | undefined> }, body: Buffer) => {
        const type = String(request.headers['content-type'] ?? '');
        const form = await new Response(new Uint8Array(body), {
          headers: { 'content-type': type },
        }).formData();
        return formToObject(form.entries());
      },
    );
    cti.post(
      '/cti/events',
      {
        config: { access: pbx },
        schema: {
          tags: ['calls'],
          summary:
            "Telephony webhook: a PBX reports newCall / answer / hangup (Zammad's generic CTI fields, JSON or form). " +
            'Repeats and events out of order are safe. Token role: telephony',
          querystring: CtiQuery,
          body: CtiEventBody,
          response: { 200: CtiAccepted, ...errorResponses },
        },
      },
      async (request) => calls.ingest(ctxOf(request), request.body),
    );
  });

  app.get(
    '/calls',
    {
      config: { access: read },
      schema: {
        tags: ['calls'],
        summary: 'The call log: mine, live, or all calls of my communities, newest first',
        querystring: CallQuery,
        response: { 200: Page(Call), ...errorResponses },
      },
    },
    async (request) => calls.list(ctxOf(request), request.query),
  );

  app.get(
    '/calls/stats',
    {
      config: { access: read },
      schema: {
        tags: ['calls'],
        summary: 'Answered within three rings (CTI_ANSWER_THRESHOLD_SECONDS): overall, per agent, per hour',
        querystring: StatsQuery,
        response: { 200: CallStats, ...errorResponses },
      },
    },
    async (request) => calls.stats(ctxOf(request), request.query),
  );

  app.get(
    '/calls/:id',
    {
      config: { access: read },
      schema: {
        tags: ['calls'],
        summary: "The screen pop: the call, the caller's card (R27) and my greeting script (R28)",
        params: IdParams,
        response: { 200: CallPop, ...errorResponses },
      },
    },
    async (request) => calls.get(ctxOf(request), request.params.id),
  );

  app.post(
    '/calls/:id/tickets',
    {
      config: { access: desk },
      schema: {
        tags: ['calls'],
        summary: 'Link a request to the call (created from it, or about it)',
        params: IdParams,
        body: LinkTicketBody,
        response: { 200: Call, ...errorResponses },
      },
    },
    async (request) => calls.linkTicket(ctxOf(request), request.params.id, request.body.ticketId),
  );

  app.post(
    '/calls/:id/reveal-phone',
    {
      config: { access: desk },
      schema: {
        tags: ['calls'],
        summary: "The other party's full number (audited, R4)",
        params: IdParams,
        response: { 200: Type.Object({ number: Type.String() }), ...errorResponses },
      },
    },
    async (request) => calls.revealNumber(ctxOf(request), request.params.id),
  );

  app.post(
    '/calls/originate',
    {
      config: { access: desk },
      schema: {
        tags: ['calls'],
        summary: 'Click to call: the PBX rings my extension, then the number (CTI_ORIGINATE_URL)',
        body: OriginateBody,
        response: { 202: OriginateReply, ...errorResponses, 502: Type.Ref('ErrorBody') },
      },
    },
    async (request, reply) => reply.status(202).send(await calls.originate(ctxOf(request), request.body)),
  );

  app.get(
    '/me/extension',
    {
      config: { access: desk },
      schema: {
        tags: ['calls'],
        summary: 'My phone extension (where calls pop up) and whether click to call is on',
        response: { 200: MyExtension, ...errorResponses },
      },
    },
    async (request) => calls.myExtension(ctxOf(request)),
  );

  app.put(
    '/me/extension',
    {
      config: { access: desk },
      schema: {
        tags: ['calls'],
        summary: 'Set my phone extension (unique among active staff); null clears it',
        body: MyExtensionBody,
        response: { 200: MyExtension, ...errorResponses },
      },
    },
    async (request) => calls.setMyExtension(ctxOf(request), request.body.extension),
  );
};
