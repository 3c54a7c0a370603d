import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * A clock carries its request's number (a request's number never changes). The SLA board and the
 * overdue queue list up to 500 clocks with their numbers: read from the requests, that was one
 * lookup into the largest table per clock — at 5,000,000 requests most of the overdue queue's time.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await db.schema
    .alterTable('sla_clocks')
    .addColumn('ticket_number', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  if (dialect === 'postgres')
    await sql`update sla_clocks set ticket_number = tickets.number from tickets where tickets.id = sla_clocks.ticket_id`.execute(
      db,
    );
  else
    await sql`update sla_clocks set ticket_number = (select tickets.number from tickets where tickets.id = sla_clocks.ticket_id)`.execute(
      db,
    );
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sla_clocks').dropColumn('ticket_number').execute();
}
