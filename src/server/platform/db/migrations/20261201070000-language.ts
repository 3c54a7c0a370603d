import type { Kysely } from 'kysely';
import { BUILT_IN_PHRASES } from '../../../../domain/phrases-cn.js';
import type { DialectName } from '../database.js';
import { timestampType } from '../dialect.js';

/**
 * Service language (服务用语, PRODUCT.md §6): the phrase library — polite phrases to use, forbidden
 * phrases (服务禁用语) with their polite alternative, and confrontational patterns as warnings —
 * company-wide, seeded with the built-in entries of the seed standards (src/domain/phrases-cn.ts);
 * and the record of every forbidden phrase sent anyway with an explicit override and its reason.
 */
const SEEDED_AT = '2026-12-01T07:00:00.000Z';

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const ts = timestampType(dialect);

  await db.schema
    .createTable('language_phrases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // the phrase as written (pattern syntax: trailing * extends, ^ / $ anchor to a sentence)
    .addColumn('phrase', 'text', (c) => c.notNull())
    // the zh-TW form of a built-in phrase where it differs (the checker normalises anyway)
    .addColumn('phrase_tw', 'text')
    .addColumn('category', 'text', (c) => c.notNull())
    // forbidden | warning | polite
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('alternative', 'text')
    .addColumn('alternative_tw', 'text')
    // zh-CN | zh-TW: the script the phrase was written in
    .addColumn('script', 'text', (c) => c.notNull().defaultTo('zh-CN'))
    .addColumn('built_in', 'integer', (c) => c.notNull().defaultTo(0))
    // which seed standard a built-in phrase comes from ([000]–[004])
    .addColumn('source', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('language_phrases_severity_idx')
    .on('language_phrases')
    .columns(['severity', 'category'])
    .execute();

  await db.schema
    .createTable('language_overrides')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('community_id', 'text', (c) => c.references('communities.id'))
    // what was sent: e.g. ticket / survey, its id, and the body field
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    // JSON array of the checker's forbidden hits
    .addColumn('hits', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('language_overrides_at_idx')
    .on('language_overrides')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('language_overrides_user_idx')
    .on('language_overrides')
    .columns(['user_id', 'created_at'])
    .execute();

  const rows = BUILT_IN_PHRASES.map((p, i) => ({
    id: `lang-builtin-${String(i + 1).padStart(4, '0')}`,
    phrase: p.phrase,
    phrase_tw: p.tw ?? null,
    category: p.category,
    severity: p.severity,
    alternative: p.alternative ?? null,
    alternative_tw: p.alternativeTw ?? null,
    script: 'zh-CN',
    built_in: 1,
    source: p.source,
    enabled: 1,
    version: 1,
    created_at: SEEDED_AT,
    updated_at: SEEDED_AT,
  }));
  for (let i = 0; i < rows.length; i += 50) {
    await db
      .insertInto('language_phrases')
      .values(rows.slice(i, i + 50))
      .execute();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('language_overrides').execute();
  await db.schema.dropTable('language_phrases').execute();
}
