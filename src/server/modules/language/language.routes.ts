import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { READ_ROLES, type Role, STAFF_ROLES } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { errorResponses, IdParams } from '../../platform/schemas.js';
import {
  CheckBody,
  CheckResult,
  CreatePhraseBody,
  OverrideList,
  OverridesQuery,
  Phrase,
  PhraseList,
  UpdatePhraseBody,
} from './language.schemas.js';
import type { LanguageService } from './language.service.js';

/** Who keeps the phrase library (§6). */
const LIBRARY_EDITORS: readonly Role[] = ['supervisor', 'manager', 'admin'];
/** Who reads the override report. */
const OVERRIDE_READERS: readonly Role[] = ['supervisor', 'manager', 'quality', 'admin'];

export const languageRoutes: FastifyPluginAsyncTypebox<{ language: LanguageService }> = async (
  app,
  { language },
) => {
  app.post(
    '/language/check',
    {
      config: { access: { roles: STAFF_ROLES } },
      schema: {
        tags: ['language'],
        summary:
          'Check a text against the service-language library (服务用语, §6): forbidden phrases and warnings',
        description:
          'Not fooled by Traditional/Simplified, full-width, spaces, punctuation, zero-width or repeated characters; offsets are into the text as sent.',
        body: CheckBody,
        response: { 200: CheckResult, ...errorResponses },
      },
    },
    async (request) => language.check(request.body.text),
  );

  app.get(
    '/language/phrases',
    {
      config: { access: { roles: READ_ROLES } },
      schema: {
        tags: ['language'],
        summary: 'The phrase library: polite, forbidden (with alternatives) and warning patterns',
        response: { 200: PhraseList, ...errorResponses },
      },
    },
    async () => language.listPhrases(),
  );

  app.post(
    '/language/phrases',
    {
      config: { access: { roles: LIBRARY_EDITORS } },
      schema: {
        tags: ['language'],
        summary: 'Add a phrase to the library; audited',
        body: CreatePhraseBody,
        response: { 201: Phrase, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await language.createPhrase(ctxOf(request), request.body)),
  );

  app.patch(
    '/language/phrases/:id',
    {
      config: { access: { roles: LIBRARY_EDITORS } },
      schema: {
        tags: ['language'],
        summary: 'Edit or disable (enabled: false) a phrase, built-in ones included; audited',
        params: IdParams,
        body: UpdatePhraseBody,
        response: { 200: Phrase, ...errorResponses },
      },
    },
    async (request) => language.updatePhrase(ctxOf(request), request.params.id, request.body),
  );

  app.get(
    '/language/overrides',
    {
      config: { access: { roles: OVERRIDE_READERS } },
      schema: {
        tags: ['language'],
        summary: 'Forbidden phrases sent anyway, with who, where and why, newest first',
        querystring: OverridesQuery,
        response: { 200: OverrideList, ...errorResponses },
      },
    },
    async (request) => language.listOverrides(ctxOf(request), request.query),
  );
};
