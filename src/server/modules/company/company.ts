import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { STAFF_ROLES } from '../../../domain/roles.js';
import { ctxOf } from '../../platform/access.js';
import { changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { CompanyTable, DB } from '../../platform/db/schema.js';
import { errors } from '../../platform/errors.js';
import { errorResponses, Nullable, Text } from '../../platform/schemas.js';

/** The company profile: its name is spoken in every greeting ("您好!XX物业客户服务中心"). */

export const Company = Type.Object({
  name: Type.String(),
  shortName: Type.String(),
  hotline: Nullable(Type.String()),
  timeZone: Type.String(),
  logoDataUrl: Nullable(Type.String()),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const PublicCompany = Type.Object({
  name: Type.String(),
  shortName: Type.String(),
  hotline: Nullable(Type.String()),
});

export const UpdateCompanyBody = Type.Object(
  {
    name: Text(100),
    shortName: Text(30),
    hotline: Type.Optional(Nullable(Type.String({ maxLength: 30, pattern: '^[0-9+\\- ()]*$' }))),
    timeZone: Text(64),
    logoDataUrl: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 300_000,
          pattern: '^data:image/(png|jpeg|webp|svg\\+xml);base64,[A-Za-z0-9+/=]+$',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);

const COMPANY_ID = 'default';

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function view(row: CompanyTable) {
  return {
    name: row.name,
    shortName: row.short_name,
    hotline: row.hotline,
    timeZone: row.time_zone,
    logoDataUrl: row.logo_data_url,
    updatedAt: row.updated_at,
  };
}

export class CompanyService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
  ) {}

  /** Creates the profile with placeholder values on first start (idempotent, safe in parallel). */
  async ensure() {
    await this.db
      .insertInto('company')
      .values({
        id: COMPANY_ID,
        name: '物业服务有限公司',
        short_name: '物业',
        hotline: null,
        time_zone: 'Asia/Shanghai',
        logo_data_url: null,
        updated_at: this.clock.now().toISOString(),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  async get() {
    const row = await this.db
      .selectFrom('company')
      .selectAll()
      .where('id', '=', COMPANY_ID)
      .executeTakeFirst();
    if (!row) throw errors.notFound();
    return view(row);
  }

  async update(ctx: RequestContext, input: typeof UpdateCompanyBody.static) {
    if (!isTimeZone(input.timeZone)) throw errors.field('timeZone', 'validation.timeZone');
    const before = await this.get();
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('company')
        .set({
          name: input.name.trim(),
          short_name: input.shortName.trim(),
          ...(input.hotline !== undefined ? { hotline: input.hotline?.trim() || null } : {}),
          time_zone: input.timeZone,
          ...(input.logoDataUrl !== undefined ? { logo_data_url: input.logoDataUrl } : {}),
          updated_at: now.toISOString(),
        })
        .where('id', '=', COMPANY_ID)
        .execute();
      const after = await trx
        .selectFrom('company')
        .selectAll()
        .where('id', '=', COMPANY_ID)
        .executeTakeFirstOrThrow();
      const { logoDataUrl: a, updatedAt: _a, ...b } = before;
      const { logoDataUrl: c, updatedAt: _c, ...d } = view(after);
      const changes = changesOf(b, d);
      if (a !== c) changes.logoDataUrl = ['(image)', '(image)'];
      await writeAudit(
        trx,
        ctx,
        { action: 'company.updated', entityType: 'company', entityId: COMPANY_ID, changes },
        now,
      );
    });
    return this.get();
  }
}

export const companyRoutes: FastifyPluginAsyncTypebox<{ company: CompanyService }> = async (
  app,
  { company },
) => {
  app.get(
    '/company/public',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['company'],
        summary: 'Name and hotline for the login page',
        response: { 200: PublicCompany },
      },
    },
    async () => {
      const { name, shortName, hotline } = await company.get();
      return { name, shortName, hotline };
    },
  );

  app.get(
    '/company',
    {
      config: { access: { roles: STAFF_ROLES } },
      schema: {
        tags: ['company'],
        summary: 'The company profile',
        response: { 200: Company, ...errorResponses },
      },
    },
    async () => company.get(),
  );

  app.put(
    '/company',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['company'],
        summary: 'Edit the company profile',
        body: UpdateCompanyBody,
        response: { 200: Company, ...errorResponses },
      },
    },
    async (request) => company.update(ctxOf(request), request.body),
  );
};
