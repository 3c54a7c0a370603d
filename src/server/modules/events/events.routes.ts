import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { STAFF_ROLES } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { inScope } from '../../platform/context.js';
import type { EventBus } from '../../platform/events.js';
import { errorResponses } from '../../platform/schemas.js';

const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events: open consoles hear within a second that a request in their communities
 * changed, whichever server the change went through. Events carry ids and status only; the
 * console refetches what it shows, with its own permissions. Call events (§4 screen pop) and
 * new alerts (R26, R30) are addressed to users: only the streams of those users carry them.
 */
export const eventsRoutes: FastifyPluginAsyncTypebox<{ events: EventBus }> = async (app, { events }) => {
  // open streams never end by themselves: end them before the server stops, or shutdown waits forever
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });

  app.get(
    '/events',
    {
      config: { access: { roles: STAFF_ROLES } },
      schema: {
        tags: ['events'],
        summary:
          'A stream of changes in my communities (text/event-stream): `ticket.changed` with id, status, version, action; ' +
          'and events addressed to me: `call.ringing` / `call.answered` / `call.ended` with the call id (fetch GET /calls/{id}), ' +
          '`alert.created` with the alert id (fetch GET /me/alerts)',
        response: {
          200: {
            description: 'An event stream; each event is `event: ticket.changed` with a JSON `data` line',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { scope, kind, userId } = ctxOf(request).principal;
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      out.write(': connected\n\n');
      const unsubscribe = events.subscribe((event) => {
        if (event.type === 'ticket.changed') {
          if (!inScope(scope, event.communityId)) return;
        } else if (kind !== 'user' || !event.userIds.includes(userId)) return;
        out.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      });
      const heartbeat = setInterval(() => out.write(': ping\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      const end = () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(end);
        out.end();
      };
      open.add(end);
      request.raw.on('close', end);
    },
  );
};
