import type { Kysely } from 'kysely';
import { changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { CompanyTable, DB } from '../../platform/db/schema.js';
import { errors } from '../../platform/errors.js';
import type { UpdateCompanyBody } from './company.schemas.js';

/** The company profile: its name is spoken in every greeting ("您好!XX物业客户服务中心"). */

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
