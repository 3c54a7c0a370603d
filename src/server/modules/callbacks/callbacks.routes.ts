import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DESK_ROLES, type Role, STAFF_ROLES } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { errorResponses, IdParams, Page } from '../../platform/schemas.js';
import {
  AssignBody,
  AttemptBody,
  Callback,
  CallbackDetail,
  CallbackQuery,
  CloseBody,
  MessageDue,
  Recipients,
  RecipientsQuery,
  TakeMessageBody,
} from './callbacks.schemas.js';
import type { CallbacksService } from './callbacks.service.js';

/** Anyone may be the colleague a message is for; those off the desk see only what is for them. */
const READERS: readonly Role[] = STAFF_ROLES;
/** Who calls back: everyone but 品质部, who reads only. */
const ACTORS: readonly Role[] = STAFF_ROLES.filter((r) => r !== 'quality');

export const callbacksRoutes: FastifyPluginAsyncTypebox<{ callbacks: CallbacksService }> = async (
  app,
  { callbacks },
) => {
  app.post(
    '/callbacks/messages',
    {
      config: { access: { roles: DESK_ROLES } },
      schema: {
        tags: ['callbacks'],
        summary: 'Take a message (留言) for a colleague or team; it becomes their callback (R30)',
        description:
          'Caller’s name, unit, phone, content and time [002]. `readBack: true` confirms the agent read the message back to the caller; without it nothing is saved. The person it is for is alerted at once.',
        body: TakeMessageBody,
        response: { 201: CallbackDetail, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await callbacks.takeMessage(ctxOf(request), request.body)),
  );

  app.get(
    '/callbacks/recipients',
    {
      config: { access: { roles: DESK_ROLES } },
      schema: {
        tags: ['callbacks'],
        summary: 'Who a message may be for in a community: its active staff and its teams',
        querystring: RecipientsQuery,
        response: { 200: Recipients, ...errorResponses },
      },
    },
    async (request) => callbacks.recipients(ctxOf(request), request.query.communityId),
  );

  app.get(
    '/callbacks/message-due',
    {
      config: { access: { roles: DESK_ROLES } },
      schema: {
        tags: ['callbacks'],
        summary: 'When a message taken now would be due, for the read-back to the caller [002]',
        querystring: RecipientsQuery,
        response: { 200: MessageDue, ...errorResponses },
      },
    },
    async (request) => callbacks.messageDue(ctxOf(request), request.query.communityId),
  );

  app.get(
    '/callbacks',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags: ['callbacks'],
        summary: 'Callbacks by due time: mine, my teams’, the desk’s missed calls, or all I may see',
        querystring: CallbackQuery,
        response: { 200: Page(Callback), ...errorResponses },
      },
    },
    async (request) => callbacks.list(ctxOf(request), request.query),
  );

  app.get(
    '/callbacks/:id',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags: ['callbacks'],
        summary: 'One callback with its attempts and merged calls',
        params: IdParams,
        response: { 200: CallbackDetail, ...errorResponses },
      },
    },
    async (request) => callbacks.get(ctxOf(request), request.params.id),
  );

  app.post(
    '/callbacks/:id/attempts',
    {
      config: { access: { roles: ACTORS } },
      schema: {
        tags: ['callbacks'],
        summary:
          'Log an attempt to call back: reached (done), no_answer / busy (retried +10 min, +30 min, +2 h), wrong_number (correct the number or close with a reason)',
        params: IdParams,
        body: AttemptBody,
        response: { 200: CallbackDetail, ...errorResponses },
      },
    },
    async (request) => callbacks.attempt(ctxOf(request), request.params.id, request.body),
  );

  app.post(
    '/callbacks/:id/close',
    {
      config: { access: { roles: ACTORS } },
      schema: {
        tags: ['callbacks'],
        summary: 'Close an open callback with a reason',
        params: IdParams,
        body: CloseBody,
        response: { 200: CallbackDetail, ...errorResponses },
      },
    },
    async (request) => callbacks.close(ctxOf(request), request.params.id, request.body),
  );

  app.post(
    '/callbacks/:id/assign',
    {
      config: { access: { roles: DESK_ROLES } },
      schema: {
        tags: ['callbacks'],
        summary: 'Hand a callback to a colleague or a team (the colleague is alerted)',
        params: IdParams,
        body: AssignBody,
        response: { 200: CallbackDetail, ...errorResponses },
      },
    },
    async (request) => callbacks.assign(ctxOf(request), request.params.id, request.body),
  );
};
