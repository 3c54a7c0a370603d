import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { timestampType } from '../dialect.js';

/**
 * Staff alerts (R26, 逐级负责制): the outbox that tells residents of each step also tells staff —
 * a breach or a manual escalation reaches the people of the level it was escalated to. A row with
 * `user_id` is addressed to that member of staff; it goes out through the same channels and shows
 * in their console until they read it (`read_at`).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const ts = timestampType(dialect);
  await db.schema
    .alterTable('notifications')
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema.alterTable('notifications').addColumn('read_at', ts).execute();
  await db.schema
    .createIndex('notifications_user_idx')
    .on('notifications')
    .columns(['user_id', 'id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('notifications_user_idx').execute();
  await db.schema.alterTable('notifications').dropColumn('read_at').execute();
  await db.schema.alterTable('notifications').dropColumn('user_id').execute();
}
