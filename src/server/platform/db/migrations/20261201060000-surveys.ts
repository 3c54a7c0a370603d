import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { timestampType } from '../dialect.js';

/**
 * Satisfaction surveys (满意度调查, §5 R36): a questionnaire per community (single choice,
 * multiple choice, 1–5 scale, text), sent to each current resident who has a phone as a one-time
 * link (only a SHA-256 of the token is stored), answered once, named or anonymous.
 *
 * Anonymity: the response of an anonymous survey carries no resident and no invitation, its id
 * is random (not time-ordered) and its time and the invitation's `responded_at` are kept to the
 * day only, so no column joins an answer to whoever gave it. What remains is timing: with very
 * few answers in a day, whoever can read the server's request logs could still line them up.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const ts = timestampType(dialect);

  await db.schema
    .createTable('surveys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('intro', 'text')
    .addColumn('anonymous', 'integer', (c) => c.notNull().defaultTo(1))
    // draft | open | closed
    .addColumn('status', 'text', (c) => c.notNull())
    // set when it is opened (the invitations go out); closes_at: planned end, or when closed
    .addColumn('opens_at', ts)
    .addColumn('closes_at', ts)
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('surveys_community_idx')
    .on('surveys')
    .columns(['community_id', 'id'])
    .execute();

  await db.schema
    .createTable('survey_questions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('survey_id', 'text', (c) => c.notNull().references('surveys.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    // single | multiple | scale | text
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    // JSON array of the choices' texts (single, multiple); null for scale and text
    .addColumn('options', 'text')
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('survey_questions_survey_idx')
    .on('survey_questions')
    .columns(['survey_id', 'position'])
    .execute();

  await db.schema
    .createTable('survey_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('survey_id', 'text', (c) => c.notNull().references('surveys.id'))
    .addColumn('resident_id', 'text', (c) => c.references('residents.id'))
    // base64url SHA-256 of the 32-byte random token: the token itself is never stored
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('sent_at', ts, (c) => c.notNull())
    // used; for an anonymous survey kept to the day only
    .addColumn('responded_at', ts)
    .execute();
  await db.schema
    .createIndex('survey_invitations_survey_idx')
    .on('survey_invitations')
    .columns(['survey_id', 'id'])
    .execute();

  await db.schema
    .createTable('survey_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('survey_id', 'text', (c) => c.notNull().references('surveys.id'))
    // null for an anonymous survey
    .addColumn('resident_id', 'text', (c) => c.references('residents.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('survey_responses_survey_idx')
    .on('survey_responses')
    .columns(['survey_id', 'id'])
    .execute();

  await db.schema
    .createTable('survey_answers')
    .addColumn('response_id', 'text', (c) => c.notNull().references('survey_responses.id'))
    .addColumn('question_id', 'text', (c) => c.notNull().references('survey_questions.id'))
    // JSON: an option index (single), indexes (multiple), 1–5 (scale) or a string (text)
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('survey_answers_pk', ['response_id', 'question_id'])
    .execute();
  await db.schema
    .createIndex('survey_answers_question_idx')
    .on('survey_answers')
    .columns(['question_id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('survey_answers').execute();
  await db.schema.dropTable('survey_responses').execute();
  await db.schema.dropTable('survey_invitations').execute();
  await db.schema.dropTable('survey_questions').execute();
  await db.schema.dropTable('surveys').execute();
}
