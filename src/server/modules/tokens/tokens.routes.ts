import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { ctxOf } from '../../platform/access.js';
import { changesOf, writeAudit } from '../../platform/audit.js';
import { sha256 } from '../../platform/auth/sessions.js';
import type { Clock } from '../../platform/clock.js';
import { inScope } from '../../platform/context.js';
import type { DB } from '../../platform/db/schema.js';
import { errors } from '../../platform/errors.js';
import { newId, newSecret } from '../../platform/ids.js';
import { errorResponses, IdParams, Nullable, Text } from '../../platform/schemas.js';
import { TokenRoleSchema } from '../auth/auth.schemas.js';

const ApiToken = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters, to recognise a token' }),
  roles: Type.Array(TokenRoleSchema),
  communityIds: Type.Array(Type.String()),
  allCommunities: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Nullable(Type.String({ format: 'date-time' })),
  revokedAt: Nullable(Type.String({ format: 'date-time' })),
});

const CreateTokenBody = Type.Object(
  {
    name: Text(100),
    roles: Type.Array(TokenRoleSchema, { minItems: 1, maxItems: 12 }),
    communityIds: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 500 }),
    allCommunities: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

type Row = Awaited<ReturnType<typeof listRows>>[number];
function listRows(db: Kysely<DB>) {
  return db.selectFrom('api_tokens').selectAll().orderBy('id', 'desc').execute();
}
function view(r: Row) {
  return {
    id: r.id,
    name: r.name,
    prefix: r.token_prefix,
    roles: JSON.parse(r.roles) as never[],
    communityIds: JSON.parse(r.community_ids) as string[],
    allCommunities: r.all_communities === 1,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  };
}

/** API tokens for integrations, created by an admin, scoped to roles and communities, stored hashed. */
export const tokensRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<DB>; clock: Clock }> = async (
  app,
  { db, clock },
) => {
  const admin = { roles: ['admin'] } as const;

  app.get(
    '/api-tokens',
    {
      config: { access: admin },
      schema: {
        tags: ['api-tokens'],
        summary: 'API tokens',
        response: { 200: Type.Object({ items: Type.Array(ApiToken) }), ...errorResponses },
      },
    },
    async () => ({ items: (await listRows(db)).map(view) }),
  );

  app.post(
    '/api-tokens',
    {
      config: { access: admin },
      schema: {
        tags: ['api-tokens'],
        summary: 'Create a token; its secret is shown only in this answer',
        body: CreateTokenBody,
        response: { 201: Type.Object({ token: Type.String(), apiToken: ApiToken }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const body = request.body;
      // R61: a token reaches no further than its maker: an admin of some communities makes tokens
      // for those only, never for every community
      const { scope } = ctx.principal;
      if (body.allCommunities && !scope.all) throw errors.forbidden();
      if (body.communityIds.length) {
        const found = await db
          .selectFrom('communities')
          .select('id')
          .where('id', 'in', body.communityIds)
          .execute();
        if (
          found.length !== new Set(body.communityIds).size ||
          body.communityIds.some((id) => !inScope(scope, id))
        )
          throw errors.field('communityIds', 'validation.notFound');
      }
      const now = clock.now();
      const secret = `edt_${newSecret()}`;
      const row = {
        id: newId(now),
        name: body.name.trim(),
        token_hash: sha256(secret),
        token_prefix: secret.slice(0, 10),
        roles: JSON.stringify([...new Set(body.roles)]),
        community_ids: JSON.stringify([...new Set(body.communityIds)]),
        all_communities: body.allCommunities ? 1 : 0,
        created_by: ctx.principal.userId,
        created_at: now.toISOString(),
        last_used_at: null,
        revoked_at: null,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('api_tokens').values(row).execute();
        const { token_hash: _h, ...audited } = row;
        await writeAudit(
          trx,
          ctx,
          {
            action: 'api_token.created',
            entityType: 'api_token',
            entityId: row.id,
            changes: changesOf(null, audited),
          },
          now,
        );
      });
      return reply.status(201).send({ token: secret, apiToken: view(row) });
    },
  );

  app.delete(
    '/api-tokens/:id',
    {
      config: { access: admin },
      schema: {
        tags: ['api-tokens'],
        summary: 'Revoke a token',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const ctx = ctxOf(request);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('api_tokens')
          .set({ revoked_at: now.toISOString() })
          .where('id', '=', request.params.id)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) throw errors.notFound();
        await writeAudit(
          trx,
          ctx,
          { action: 'api_token.revoked', entityType: 'api_token', entityId: request.params.id },
          now,
        );
      });
      return reply.status(204).send(null);
    },
  );
};
