import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
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

/** The append-only audit trail, newest first; company-wide, so only admins and quality read it. */
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
      const limit = q.limit ?? 50;
      const before = decodeCursor(q.cursor);
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
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
