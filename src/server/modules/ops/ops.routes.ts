import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import { classifyFault, FAULT_ANSWERS } from '../../platform/faults.js';
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
          503: Type.Object({
            status: Type.Literal('unavailable'),
            database: Type.String(),
            reason: Type.Optional(Type.String({ description: 'DATABASE_UNAVAILABLE, DATABASE_BUSY, …' })),
          }),
        },
      },
    },
    async (request, reply) => {
      try {
        await sql`select 1`.execute(database.db);
        return { status: 'ready' as const, database: database.dialect };
      } catch (error) {
        const fault = classifyFault(error) ?? 'database_unavailable';
        const answer = FAULT_ANSWERS[fault];
        request.log.warn({ err: error, fault }, 'not ready: the database does not answer');
        return reply
          .status(503)
          .header('retry-after', String(answer.retryAfterSeconds))
          .send({ status: 'unavailable' as const, database: database.dialect, reason: answer.code });
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
