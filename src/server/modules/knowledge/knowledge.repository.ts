import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import type { Scope } from '../../platform/context.js';
import type { DB, KbArticlesTable, KbScriptsTable } from '../../platform/db/schema.js';

export type ArticleRow = Selectable<KbArticlesTable> & {
  community_name: string | null;
  reviewer_name: string | null;
  updater_name: string | null;
};
export type ScriptRow = Selectable<KbScriptsTable> & { updater_name: string | null };

/** Company-wide articles and those of the communities in scope. */
function visible(scope: Scope) {
  return sql<boolean>`(kb_articles.community_id is null${
    scope.all
      ? sql` or 1 = 1`
      : scope.communityIds.length
        ? sql` or kb_articles.community_id in (${sql.join(scope.communityIds as string[])})`
        : sql``
  })`;
}

/** The knowledge base's articles and the standard scripts (module knowledge, R32). */
export class KnowledgeRepository {
  constructor(private readonly db: Kysely<DB>) {}

  with(db: Kysely<DB>) {
    return new KnowledgeRepository(db);
  }

  private articles() {
    return this.db
      .selectFrom('kb_articles')
      .leftJoin('communities', 'communities.id', 'kb_articles.community_id')
      .leftJoin('users as reviewer', 'reviewer.id', 'kb_articles.reviewed_by')
      .leftJoin('users as updater', 'updater.id', 'kb_articles.updated_by')
      .selectAll('kb_articles')
      .select([
        'communities.name as community_name',
        'reviewer.name as reviewer_name',
        'updater.name as updater_name',
      ]);
  }

  /**
   * The articles the caller may read: company-wide ones and those of their communities (or of
   * one community of theirs, plus the company-wide ones), by status and category.
   */
  list(
    scope: Scope,
    q: { communityId?: string; category?: string; status?: 'active' | 'archived' | 'all'; dueBy?: string },
  ): Promise<ArticleRow[]> {
    return this.articles()
      .where(visible(scope))
      .$if(q.communityId !== undefined, (qb) =>
        qb.where((eb) =>
          eb.or([
            eb('kb_articles.community_id', 'is', null),
            eb('kb_articles.community_id', '=', q.communityId!),
          ]),
        ),
      )
      .$if(q.category !== undefined, (qb) => qb.where('kb_articles.category', '=', q.category!))
      .$if(q.status !== undefined && q.status !== 'all', (qb) =>
        qb.where('kb_articles.status', '=', q.status!),
      )
      .$if(q.dueBy !== undefined, (qb) =>
        qb.where((eb) =>
          eb.or([eb('kb_articles.review_by', 'is', null), eb('kb_articles.review_by', '<=', q.dueBy!)]),
        ),
      )
      .orderBy('kb_articles.id')
      .execute();
  }

  get(id: string): Promise<ArticleRow | undefined> {
    return this.articles().where('kb_articles.id', '=', id).executeTakeFirst();
  }

  async insert(row: Insertable<KbArticlesTable>) {
    await this.db.insertInto('kb_articles').values(row).execute();
  }

  /** Writes a new version only if the article is still at `version`; false when someone else was first. */
  async update(id: string, version: number, values: Updateable<KbArticlesTable>): Promise<boolean> {
    const result = await this.db
      .updateTable('kb_articles')
      .set({ ...values, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  private scripts() {
    return this.db
      .selectFrom('kb_scripts')
      .leftJoin('users as updater', 'updater.id', 'kb_scripts.updated_by')
      .selectAll('kb_scripts')
      .select('updater.name as updater_name');
  }

  listScripts(stage?: string): Promise<ScriptRow[]> {
    return this.scripts()
      .$if(stage !== undefined, (qb) => qb.where('kb_scripts.stage', '=', stage!))
      .execute();
  }

  getScript(id: string): Promise<ScriptRow | undefined> {
    return this.scripts().where('kb_scripts.id', '=', id).executeTakeFirst();
  }

  async updateScript(id: string, version: number, values: Updateable<KbScriptsTable>): Promise<boolean> {
    const result = await this.db
      .updateTable('kb_scripts')
      .set({ ...values, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  community(id: string) {
    return this.db.selectFrom('communities').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
  }

  resident(id: string) {
    return this.db
      .selectFrom('residents')
      .select(['id', 'name', 'salutation', 'community_id'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  user(id: string) {
    return this.db
      .selectFrom('users')
      .select(['name', 'employee_no'])
      .where('id', '=', id)
      .executeTakeFirst();
  }
}
