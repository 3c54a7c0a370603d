import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { READ_ROLES, STAFF_ROLES } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { errorResponses, IdParams } from '../../platform/schemas.js';
import { MarkedRead, MyAlerts, MyAlertsQuery, Notification } from './notifications.schemas.js';
import type { NotificationsService } from './notifications.service.js';

export const notificationsRoutes: FastifyPluginAsyncTypebox<{ notifications: NotificationsService }> = async (
  app,
  { notifications },
) => {
  app.get(
    '/tickets/:id/notifications',
    {
      config: { access: { roles: READ_ROLES } },
      schema: {
        tags: ['notifications'],
        summary:
          'What the resident was told about a request, oldest first: text, channel, status, attempts, last error (R14)',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(Notification) }), ...errorResponses },
      },
    },
    async (request) => notifications.forTicket(ctxOf(request), request.params.id),
  );

  app.post(
    '/notifications/:id/retry',
    {
      config: { access: { roles: ['supervisor', 'manager', 'admin'] } },
      schema: {
        tags: ['notifications'],
        summary: 'Send a failed or undeliverable message again, with a fresh set of attempts (audited)',
        params: IdParams,
        response: { 200: Notification, ...errorResponses },
      },
    },
    async (request) => notifications.retry(ctxOf(request), request.params.id),
  );

  app.get(
    '/me/alerts',
    {
      config: { access: { roles: STAFF_ROLES } },
      schema: {
        tags: ['notifications'],
        summary: 'My alerts, newest first: escalations that reached my level (R26), and how many are unread',
        querystring: MyAlertsQuery,
        response: { 200: MyAlerts, ...errorResponses },
      },
    },
    async (request) => notifications.mine(ctxOf(request), request.query),
  );

  app.post(
    '/me/alerts/:id/read',
    {
      config: { access: { roles: STAFF_ROLES } },
      schema: {
        tags: ['notifications'],
        summary: 'Mark one of my alerts read (recorded in the audit)',
        params: IdParams,
        response: { 200: MarkedRead, ...errorResponses },
      },
    },
    async (request) => notifications.markRead(ctxOf(request), request.params.id),
  );

  app.post(
    '/me/alerts/read',
    {
      config: { access: { roles: STAFF_ROLES } },
      schema: {
        tags: ['notifications'],
        summary: 'Mark all my alerts read (each recorded in the audit)',
        response: { 200: MarkedRead, ...errorResponses },
      },
    },
    async (request) => notifications.markRead(ctxOf(request)),
  );
};
