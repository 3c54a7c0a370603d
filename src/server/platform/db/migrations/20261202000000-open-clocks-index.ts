import { type Kysely, sql } from 'kysely';

/**
 * The SLA board and the overdue queue read a community's open clocks by status and due time. The
 * board index (community, status, due time) also holds every clock that has ended; a breached
 * clock stays 'breached' after its request is done, so at a large operator's size the overdue
 * queue read two ended clocks for every open one. This index holds the open clocks only.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('sla_clocks_open_idx')
    .on('sla_clocks')
    .columns(['community_id', 'status', 'due_at'])
    .where(sql.ref('ended_at'), 'is', null)
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sla_clocks_open_idx').execute();
}
