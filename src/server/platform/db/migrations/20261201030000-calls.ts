import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { timestampType } from '../dialect.js';

/**
 * The call desk (PRODUCT.md §4, R27–R31): each member of staff's phone extension; every call the
 * PBX reports (one row per PBX call id, rebuilt from its stored events so that repeated or
 * out-of-order events converge); the raw events, one per call and kind (a repeat is refused by
 * the unique key); and the requests a call created or was attached to.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const ts = timestampType(dialect);

  // unique among active users: checked by the service (a disabled user's old extension may be reused)
  await db.schema.alterTable('users').addColumn('extension', 'text').execute();
  await db.schema.createIndex('users_extension_idx').on('users').columns(['extension']).execute();

  await db.schema
    .createTable('calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pbx_call_id', 'text', (c) => c.notNull().unique())
    // in | out
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('from_number', 'text')
    .addColumn('to_number', 'text')
    // the other party's number, normalised (the caller of an inbound call, the callee of an outbound one)
    .addColumn('remote_number', 'text')
    .addColumn('queue', 'text')
    // the agent's extension on the call (answering, or calling out)
    .addColumn('extension', 'text')
    .addColumn('agent_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('resident_id', 'text', (c) => c.references('residents.id'))
    .addColumn('community_id', 'text', (c) => c.references('communities.id'))
    // how many residents have this number (the card shows the first; more means "ask who is calling")
    .addColumn('match_count', 'integer', (c) => c.notNull().defaultTo(0))
    // ringing | answered | ended
    .addColumn('status', 'text', (c) => c.notNull())
    // answered | missed | abandoned | forwarded | busy | no_answer | failed | cancelled; null until ended
    .addColumn('outcome', 'text')
    .addColumn('cause', 'text')
    .addColumn('ringing_at', ts, (c) => c.notNull())
    .addColumn('answered_at', ts)
    .addColumn('ended_at', ts)
    .addColumn('ring_seconds', 'integer')
    .addColumn('talk_seconds', 'integer')
    // JSON array: who was shown the ringing call (the screen pop); later events go to them too
    .addColumn('notified_user_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    // an unanswered inbound call was handed to the callbacks (R30) at this time: exactly once
    .addColumn('missed_handled_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('calls_ringing_idx').on('calls').columns(['ringing_at']).execute();
  await db.schema.createIndex('calls_agent_idx').on('calls').columns(['agent_user_id', 'id']).execute();
  await db.schema.createIndex('calls_status_idx').on('calls').columns(['status', 'id']).execute();
  await db.schema.createIndex('calls_resident_idx').on('calls').columns(['resident_id']).execute();

  await db.schema
    .createTable('call_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id'))
    // newCall | answer | hangup
    .addColumn('event', 'text', (c) => c.notNull())
    // <PBX call id>:<event>: the PBX sending it again changes nothing
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    // when it happened: the PBX's timestamp if it sent one, else when it arrived
    .addColumn('occurred_at', ts, (c) => c.notNull())
    .addColumn('received_at', ts, (c) => c.notNull())
    // JSON: the event as the PBX sent it (field names normalised, no token)
    .addColumn('payload', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('call_events_call_idx').on('call_events').columns(['call_id']).execute();

  await db.schema
    .createTable('call_tickets')
    .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id'))
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('call_tickets_pk', ['call_id', 'ticket_id'])
    .execute();
  await db.schema.createIndex('call_tickets_ticket_idx').on('call_tickets').columns(['ticket_id']).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('call_tickets').execute();
  await db.schema.dropTable('call_events').execute();
  await db.schema.dropTable('calls').execute();
  await db.schema.dropIndex('users_extension_idx').execute();
  await db.schema.alterTable('users').dropColumn('extension').execute();
}
