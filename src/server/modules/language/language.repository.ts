import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { DB, LanguageOverridesTable, LanguagePhrasesTable } from '../../platform/db/schema.js';

export type PhraseRow = Selectable<LanguagePhrasesTable>;
export type OverrideRecord = Selectable<LanguageOverridesTable> & {
  user_name: string | null;
  user_employee_no: string | null;
};

/** The service-language library (§6) and the record of overrides. */
export class LanguageRepository {
  constructor(private readonly db: Kysely<DB>) {}

  with(db: Kysely<DB>) {
    return new LanguageRepository(db);
  }

  listPhrases(): Promise<PhraseRow[]> {
    return this.db.selectFrom('language_phrases').selectAll().orderBy('id').execute();
  }

  enabledPhrases() {
    return this.db
      .selectFrom('language_phrases')
      .select(['phrase', 'category', 'severity', 'alternative'])
      .where('enabled', '=', 1)
      .where('severity', '!=', 'polite')
      .orderBy('id')
      .execute();
  }

  /** Changes whenever any phrase changes: its count and the sum of the versions. */
  async revision(): Promise<string> {
    const row = await this.db
      .selectFrom('language_phrases')
      .select((eb) => [
        eb.fn.countAll<number | string>().as('n'),
        eb.fn.sum<number | string | null>('version').as('v'),
        eb.fn.max('updated_at').as('at'),
      ])
      .executeTakeFirstOrThrow();
    return `${row.n}:${row.v ?? 0}:${String(row.at ?? '')}`;
  }

  getPhrase(id: string) {
    return this.db.selectFrom('language_phrases').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertPhrase(row: Insertable<LanguagePhrasesTable>) {
    await this.db.insertInto('language_phrases').values(row).execute();
  }

  async updatePhraseIfVersion(id: string, version: number, values: Updateable<LanguagePhrasesTable>) {
    const result = await this.db
      .updateTable('language_phrases')
      .set({ ...values, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async insertOverride(row: Insertable<LanguageOverridesTable>) {
    await this.db.insertInto('language_overrides').values(row).execute();
  }

  listOverrides(filter: {
    from?: string;
    to?: string;
    communityIds?: readonly string[] | null;
    communityId?: string;
    userId?: string;
    limit: number;
  }): Promise<OverrideRecord[]> {
    let q = this.db
      .selectFrom('language_overrides')
      .leftJoin('users', 'users.id', 'language_overrides.user_id')
      .selectAll('language_overrides')
      .select(['users.name as user_name', 'users.employee_no as user_employee_no']);
    if (filter.from) q = q.where('language_overrides.created_at', '>=', filter.from);
    if (filter.to) q = q.where('language_overrides.created_at', '<', filter.to);
    if (filter.communityId) q = q.where('language_overrides.community_id', '=', filter.communityId);
    if (filter.userId) q = q.where('language_overrides.user_id', '=', filter.userId);
    if (filter.communityIds) {
      const ids = [...filter.communityIds];
      q = q.where((eb) =>
        ids.length === 0
          ? eb('language_overrides.community_id', 'is', null)
          : eb.or([
              eb('language_overrides.community_id', 'is', null),
              eb('language_overrides.community_id', 'in', ids),
            ]),
      );
    }
    return q
      .orderBy('language_overrides.created_at', 'desc')
      .orderBy('language_overrides.id', 'desc')
      .limit(filter.limit)
      .execute();
  }
}
