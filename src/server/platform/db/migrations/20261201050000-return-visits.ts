import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { timestampType } from '../dialect.js';

/**
 * Return visits and satisfaction (回访与满意度, §5 R33–R35): the policy of each kind of finished
 * job (none / skip if rated / always, with a sampling rate), the visit tasks with their attempts,
 * the agents' turns for round-robin assignment, the ratings (from a visit or from the resident's
 * link), the one-time rating links (only a SHA-256 of the token is stored), and the complaint
 * follow-ups that a poor score opens for the 客服主管.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const ts = timestampType(dialect);

  await db.schema
    .createTable('return_visit_policies')
    // repair_indoor | repair_public | complaint | inquiry | suggestion | help | praise | emergency
    .addColumn('kind', 'text', (c) => c.primaryKey())
    // none | skip_if_rated | always
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('sample_percent', 'integer', (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('users.id'))
    .execute();
  const now = new Date().toISOString();
  await db
    .insertInto('return_visit_policies')
    .values(
      // R33 defaults: every complaint and in-home repair; 30% of the rest, skipped if rated
      [
        ['repair_indoor', 'always', 100],
        ['repair_public', 'skip_if_rated', 30],
        ['complaint', 'always', 100],
        ['inquiry', 'skip_if_rated', 30],
        ['suggestion', 'skip_if_rated', 30],
        ['help', 'skip_if_rated', 30],
        ['praise', 'skip_if_rated', 30],
        ['emergency', 'skip_if_rated', 30],
      ].map(([kind, mode, percent]) => ({
        kind,
        mode,
        sample_percent: percent,
        updated_at: now,
        updated_by: null,
      })),
    )
    .execute();

  await db.schema
    .createTable('return_visits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    // the ticket while the visit is open, else null: at most one open visit per request
    .addColumn('open_ticket_id', 'text', (c) => c.unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    // open | reached | done | closed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text', (c) => c.references('users.id'))
    // when the request was finished; the visit is due 3 days later (the return_visit clock)
    .addColumn('completed_at', ts, (c) => c.notNull())
    .addColumn('due_at', ts, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', ts)
    // the last attempt: no_answer | busy | reached | refused
    .addColumn('last_outcome', 'text')
    // unreachable | refused | rated | reopened
    .addColumn('close_reason', 'text')
    .addColumn('resolved', 'integer')
    .addColumn('rating_id', 'text')
    .addColumn('comment', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('done_at', ts)
    .execute();
  await db.schema
    .createIndex('return_visits_queue_idx')
    .on('return_visits')
    .columns(['community_id', 'status', 'due_at', 'id'])
    .execute();
  await db.schema
    .createIndex('return_visits_assignee_idx')
    .on('return_visits')
    .columns(['assignee_id', 'status', 'due_at', 'id'])
    .execute();
  await db.schema
    .createIndex('return_visits_ticket_idx')
    .on('return_visits')
    .columns(['ticket_id', 'id'])
    .execute();

  await db.schema
    .createTable('return_visit_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('visit_id', 'text', (c) => c.notNull().references('return_visits.id'))
    .addColumn('at', ts, (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('return_visit_attempts_visit_idx')
    .on('return_visit_attempts')
    .columns(['visit_id', 'id'])
    .execute();

  // round-robin among a community's agents: whose turn it is, claimed by a conditional update
  await db.schema
    .createTable('return_visit_turns')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('last_assigned_at', ts)
    .execute();

  await db.schema
    .createTable('ratings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    // link (the resident's own) | visit (told to the agent)
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('visit_id', 'text', (c) => c.references('return_visits.id'))
    .addColumn('overall', 'integer', (c) => c.notNull())
    .addColumn('speed', 'integer', (c) => c.notNull())
    .addColumn('attitude', 'integer', (c) => c.notNull())
    .addColumn('quality', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ratings_ticket_idx').on('ratings').columns(['ticket_id', 'id']).execute();
  await db.schema
    .createIndex('ratings_community_idx')
    .on('ratings')
    .columns(['community_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('rating_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    // base64url SHA-256 of the 32-byte random token: the token itself is never stored
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('used_at', ts)
    .addColumn('rating_id', 'text', (c) => c.references('ratings.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('rating_links_ticket_idx')
    .on('rating_links')
    .columns(['ticket_id', 'id'])
    .execute();

  await db.schema
    .createTable('visit_followups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('rating_id', 'text', (c) => c.notNull().references('ratings.id'))
    .addColumn('visit_id', 'text', (c) => c.references('return_visits.id'))
    // the poor dimensions, comma-separated: overall,attitude
    .addColumn('reason', 'text', (c) => c.notNull())
    // open | closed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text', (c) => c.references('users.id'))
    .addColumn('outcome', 'text')
    .addColumn('closed_by', 'text', (c) => c.references('users.id'))
    .addColumn('closed_at', ts)
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('visit_followups_queue_idx')
    .on('visit_followups')
    .columns(['community_id', 'status', 'id'])
    .execute();
  await db.schema
    .createIndex('visit_followups_ticket_idx')
    .on('visit_followups')
    .columns(['ticket_id', 'id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('visit_followups').execute();
  await db.schema.dropTable('rating_links').execute();
  await db.schema.dropTable('ratings').execute();
  await db.schema.dropTable('return_visit_turns').execute();
  await db.schema.dropTable('return_visit_attempts').execute();
  await db.schema.dropTable('return_visits').execute();
  await db.schema.dropTable('return_visit_policies').execute();
}
