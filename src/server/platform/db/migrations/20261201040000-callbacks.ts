import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../database.js';
import { timestampType } from '../dialect.js';

/**
 * Callbacks (回电, R30): a message (留言) taken for a colleague or team, and every missed or
 * abandoned call, becomes a callback task with a due time from the SLA policies (`callback`,
 * `message_callback`), fired by `next_fire_at` like the SLA clocks. Each attempt to call back is
 * recorded with its outcome. Several misses from one number merge into one open task: a partial
 * unique index holds at most one open missed-call callback per number.
 *
 * Staff alerts about a callback go through the notifications outbox, which so far only knew
 * requests: `notifications.ticket_id` (and `community_id`, a caller of no known community) become
 * nullable and `callback_id` is added. SQLite cannot drop a NOT NULL: the table is rebuilt.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const ts = timestampType(dialect);

  await db.schema
    .createTable('callbacks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // missed_call | message
    .addColumn('kind', 'text', (c) => c.notNull())
    // null: a caller of no known community (the desk pool)
    .addColumn('community_id', 'text', (c) => c.references('communities.id'))
    .addColumn('resident_id', 'text', (c) => c.references('residents.id'))
    .addColumn('room_id', 'text', (c) => c.references('rooms.id'))
    // the unit as the caller said it (单位), when it is no room of the registry
    .addColumn('room_text', 'text')
    .addColumn('caller_name', 'text')
    // normalised (domain/phone): the key several misses merge on
    .addColumn('phone', 'text', (c) => c.notNull())
    // the message's text; null for a missed call
    .addColumn('content', 'text')
    // the colleague or team it is for; a missed call: the queue's team, or neither (the desk pool)
    .addColumn('for_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('for_team_id', 'text', (c) => c.references('teams.id'))
    // the queue the missed call rang in, as the telephony reported it
    .addColumn('queue', 'text')
    .addColumn('taken_by', 'text', (c) => c.references('users.id'))
    // when the caller rang (致电时间 [002]): the message's call, or the first miss
    .addColumn('called_at', ts, (c) => c.notNull())
    .addColumn('last_call_at', ts, (c) => c.notNull())
    .addColumn('misses', 'integer', (c) => c.notNull().defaultTo(0))
    // open | done (reached) | closed (with a reason)
    .addColumn('status', 'text', (c) => c.notNull())
    // the last attempt's outcome: reached | no_answer | busy | wrong_number
    .addColumn('outcome', 'text')
    .addColumn('close_reason', 'text')
    .addColumn('policy_id', 'text')
    // JSON: the clock's terms as they were when it was created; null: no clock applies
    .addColumn('policy', 'text')
    .addColumn('due_at', ts)
    .addColumn('warn_at', ts)
    .addColumn('next_fire_at', ts)
    .addColumn('warned_at', ts)
    .addColumn('breached_at', ts)
    // the first attempt to call back: it keeps (or breaks) the promise
    .addColumn('responded_at', ts)
    // the retry schedule: when to try again after no answer or a busy line
    .addColumn('next_attempt_at', ts)
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .addColumn('done_at', ts)
    .execute();
  // a colleague's own open callbacks, and a team's
  await db.schema
    .createIndex('callbacks_for_user_idx')
    .on('callbacks')
    .columns(['for_user_id', 'status', 'due_at'])
    .execute();
  await db.schema
    .createIndex('callbacks_for_team_idx')
    .on('callbacks')
    .columns(['for_team_id', 'status', 'due_at'])
    .execute();
  await db.schema
    .createIndex('callbacks_community_idx')
    .on('callbacks')
    .columns(['community_id', 'status', 'due_at'])
    .execute();
  // the scheduler reads only what is due
  await db.schema.createIndex('callbacks_fire_idx').on('callbacks').columns(['next_fire_at']).execute();
  // several misses from one number merge: at most one open missed-call callback per number
  await db.schema
    .createIndex('callbacks_open_missed_phone_idx')
    .on('callbacks')
    .column('phone')
    .unique()
    .where(sql.ref('kind'), '=', sql.lit('missed_call'))
    .where(sql.ref('status'), '=', sql.lit('open'))
    .execute();
  await db.schema.createIndex('callbacks_phone_idx').on('callbacks').columns(['phone', 'id']).execute();

  // the PBX calls merged into a callback; a call id counts once (no FK: the calls are telephony's)
  await db.schema
    .createTable('callback_calls')
    .addColumn('call_id', 'text', (c) => c.primaryKey())
    .addColumn('callback_id', 'text', (c) => c.notNull().references('callbacks.id'))
    .addColumn('at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('callback_calls_callback_idx')
    .on('callback_calls')
    .columns(['callback_id', 'at'])
    .execute();

  await db.schema
    .createTable('callback_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('callback_id', 'text', (c) => c.notNull().references('callbacks.id'))
    .addColumn('at', ts, (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    // reached | no_answer | busy | wrong_number
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('callback_attempts_callback_idx')
    .on('callback_attempts')
    .columns(['callback_id', 'id'])
    .execute();

  // R30: the callbacks' promises, as company policies anyone may change in the SLA settings
  const now = new Date().toISOString();
  await db
    .insertInto('sla_policies')
    .values(
      [
        // a missed or abandoned call called back within 30 min of business time
        { id: 'sla-default-callback', target: 'callback', minutes: 30 },
        // [002] a message answered by the person it is for within 2 h of business time
        { id: 'sla-default-message-callback', target: 'message_callback', minutes: 120 },
      ].map((p) => ({
        ...p,
        community_id: null,
        ticket_type: null,
        priority: null,
        category_id: null,
        business_hours: 1,
        warn_percent: 80,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();

  // staff alerts about a callback: no request, maybe no community
  if (dialect === 'postgres') {
    await sql`alter table notifications alter column ticket_id drop not null`.execute(db);
    await sql`alter table notifications alter column community_id drop not null`.execute(db);
    await db.schema
      .alterTable('notifications')
      .addColumn('callback_id', 'text', (c) => c.references('callbacks.id'))
      .execute();
  } else {
    await rebuildNotifications(db, ts, false);
  }
}

/**
 * SQLite: the notifications table again, with identical columns and indexes, and the request and
 * community nullable plus `callback_id` (up), or as before (down: alerts of no request are
 * dropped). Nothing references the table, so it can be dropped and renamed within the migration.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
async function rebuildNotifications(db: Kysely<any>, ts: string, back: boolean) {
  const t = ts as 'text';
  await db.schema
    .createTable('notifications_new')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => (back ? c.notNull() : c).references('tickets.id'))
    .addColumn('community_id', 'text', (c) => (back ? c.notNull() : c).references('communities.id'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('recipient_name', 'text')
    .addColumn('recipient_phone', 'text')
    .addColumn('resident_id', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', t)
    .addColumn('last_error', 'text')
    .addColumn('created_at', t, (c) => c.notNull())
    .addColumn('sent_at', t)
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('read_at', t)
    .$call((b) => (back ? b : b.addColumn('callback_id', 'text', (c) => c.references('callbacks.id'))))
    .execute();
  const columns = [
    'id',
    'ticket_id',
    'community_id',
    'event',
    'channel',
    'recipient_name',
    'recipient_phone',
    'resident_id',
    'body',
    'status',
    'attempts',
    'next_attempt_at',
    'last_error',
    'created_at',
    'sent_at',
    'user_id',
    'read_at',
  ];
  const list = sql.join(columns.map((c) => sql.ref(c)));
  await sql`insert into notifications_new (${list}) select ${list} from notifications ${
    back ? sql`where ticket_id is not null and community_id is not null` : sql``
  }`.execute(db);
  await db.schema.dropTable('notifications').execute();
  await sql`alter table notifications_new rename to notifications`.execute(db);
  await db.schema
    .createIndex('notifications_ticket_idx')
    .on('notifications')
    .columns(['ticket_id', 'id'])
    .execute();
  await db.schema
    .createIndex('notifications_due_idx')
    .on('notifications')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('notifications_user_idx')
    .on('notifications')
    .columns(['user_id', 'id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function down(db: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') {
    await db.deleteFrom('notifications').where('callback_id', 'is not', null).execute();
    await db.schema.alterTable('notifications').dropColumn('callback_id').execute();
    await db.deleteFrom('notifications').where('ticket_id', 'is', null).execute();
    await sql`alter table notifications alter column ticket_id set not null`.execute(db);
    await sql`alter table notifications alter column community_id set not null`.execute(db);
  } else {
    await rebuildNotifications(db, 'text', true);
  }
  await db.deleteFrom('sla_policies').where('target', 'in', ['callback', 'message_callback']).execute();
  await db.schema.dropTable('callback_attempts').execute();
  await db.schema.dropTable('callback_calls').execute();
  await db.schema.dropTable('callbacks').execute();
}
