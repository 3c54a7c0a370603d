import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { Metrics } from '../../platform/metrics.js';

/** Health, readiness and metrics for load balancers and Prometheus. */
export const opsRoutes: FastifyPluginAsyncTypebox<{ database: Database; metrics: Metrics }> = async (
  app,
  { database, metrics },
) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['ops'],
        summary: 'The process is up',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['ops'],
        summary: 'The database answers',
        response: {
          200: Type.Object({ status: Type.Literal('ready'), database: Type.String() }),
          503: Type.Object({ status: Type.Literal('unavailable'), database: Type.String() }),
        },
      },
    },
    async (_request, reply) => {
      try {
        await sql`select 1`.execute(database.db);
        return { status: 'ready' as const, database: database.dialect };
      } catch {
        return reply.status(503).send({ status: 'unavailable' as const, database: database.dialect });
      }
    },
  );

  app.get(
    '/metrics',
    { schema: { tags: ['ops'], summary: 'Prometheus metrics', hide: true } },
    async (_request, reply) => {
      return reply.type('text/plain; version=0.0.4').send(metrics.render());
    },
  );
};
