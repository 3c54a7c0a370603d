import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { ctxOf } from '../../platform/access.js';
import type { DB } from '../../platform/db/schema.js';
import { decodeCursor, errorResponses, Nullable, Page, PageQuery, toPage } from '../../platform/schemas.js';

const AuditRecord = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actorType: Type.String(),
  actorId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Nullable(Type.String()),
  communityId: Nullable(Type.String()),
  changes: Nullable(Type.Record(Type.String(), Type.Array(Type.Unknown()))),
  requestId: Nullable(Type.String()),
  ip: Nullable(Type.String()),
});

const AuditQuery = Type.Object(
  {
    entityType: Type.Optional(Type.String({ maxLength: 40 })),
    entityId: Type.Optional(Type.String({ maxLength: 64 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

/**
 * The append-only audit trail, newest first; only admins and quality read it. Records of a
 * community are read by those who see that community (R61: an admin of one community, or a
 * token made for it, reads that community's trail and the company's, not the others').
 */
export const auditRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<DB> }> = async (app, { db }) => {
  app.get(
    '/audit',
    {
      config: { access: { roles: ['admin', 'quality'] } },
      schema: {
        tags: ['audit'],
        summary: 'Who changed what, when',
        querystring: AuditQuery,
        response: { 200: Page(AuditRecord), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const { scope } = ctxOf(request).principal;
      const limit = q.limit ?? 50;
      const before = decodeCursor(q.cursor);
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .$if(!scope.all, (qb) =>
          qb.where((eb) =>
            eb.or([
              eb('community_id', 'is', null),
              ...(!scope.all && scope.communityIds.length
                ? [eb('community_id', 'in', scope.communityIds as string[])]
                : []),
            ]),
          ),
        )
        .$if(Boolean(q.entityType), (qb) => qb.where('entity_type', '=', q.entityType!))
        .$if(Boolean(q.entityId), (qb) => qb.where('entity_id', '=', q.entityId!))
        .$if(Boolean(before), (qb) => qb.where('id', '<', before!))
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      return toPage(
        rows.map((r) => ({
          id: r.id,
          at: r.at,
          actorType: r.actor_type,
          actorId: r.actor_id,
          actorName: r.actor_name,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          communityId: r.community_id,
          changes: r.changes ? (JSON.parse(r.changes) as Record<string, unknown[]>) : null,
          requestId: r.request_id,
          ip: r.ip,
        })),
        limit,
      );
    },
  );
};
