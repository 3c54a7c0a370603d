import type { Kysely } from 'kysely';
import type { DialectName } from '../database.js';
import { timestampType } from '../dialect.js';

/**
 * The rest of a service request's life: the category tree's second level with how each category
 * is dispatched and its published prices; who of a team is on duty (automatic dispatch takes
 * turns among them); on the ticket the repair scope, the appointment window, the hotline's own
 * order number, the incident it belongs to, who first heard a complaint (首问负责制) and the
 * emergency playbook's record; photos and files; and the outbox of what the resident is told.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const ts = timestampType(dialect);

  // categories: assign (派单) | grab (抢单 from the team's pool) | auto (round-robin on duty)
  await db.schema
    .alterTable('ticket_categories')
    .addColumn('dispatch_mode', 'text', (c) => c.notNull().defaultTo('assign'))
    .execute();
  await db.schema.alterTable('ticket_categories').addColumn('team_id', 'text').execute();
  await db.schema.alterTable('ticket_categories').addColumn('archived_at', ts).execute();

  // the published price list of paid work (有偿服务收费标准), per category
  await db.schema
    .createTable('category_prices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('category_id', 'text', (c) => c.notNull().references('ticket_categories.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('price', 'double precision', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('archived_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('category_prices_category_idx')
    .on('category_prices')
    .columns(['category_id', 'sort'])
    .execute();

  // who of a team is on duty, and when each was last given a job automatically
  await db.schema
    .alterTable('team_members')
    .addColumn('on_duty', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.alterTable('team_members').addColumn('last_assigned_at', ts).execute();

  const ticketColumns: [string, string][] = [
    // repairs: indoor (户内) or public (公区)
    ['repair_scope', 'text'],
    // a home visit's appointment window (上门须预约)
    ['appointment_from', ts],
    ['appointment_to', ts],
    // the government hotline platform's own order number (12345 …)
    ['external_ref', 'text'],
    // one incident, many reporters: the request this one is linked to
    ['parent_id', 'text'],
    // 首问负责制 (R15): who first heard it, and when it was handed to the responsible team
    ['first_owner_id', 'text'],
    ['handed_over_at', ts],
    // the emergency playbook's record (R16), JSON
    ['emergency', 'text'],
    // the resident's confirmation of the finished work: signature or a recorded verbal one, JSON
    ['confirmation', 'text'],
  ];
  for (const [name, type] of ticketColumns) {
    await db.schema
      .alterTable('tickets')
      .addColumn(name, type as 'text')
      .execute();
  }
  await db.schema.createIndex('tickets_parent_idx').on('tickets').columns(['parent_id']).execute();
  // candidates for "the same incident": open requests of a community by category, newest first
  await db.schema
    .createIndex('tickets_category_idx')
    .on('tickets')
    .columns(['community_id', 'category_id', 'created_at'])
    .execute();

  // photos and files: the bytes live in the storage (DATA_DIR or an S3-compatible store)
  await db.schema
    .createTable('ticket_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('thumbnail_key', 'text')
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('uploaded_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ticket_attachments_ticket_idx')
    .on('ticket_attachments')
    .columns(['ticket_id', 'id'])
    .execute();

  // the outbox of what the resident is told (R14): written with the step, delivered after
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('community_id', 'text', (c) => c.notNull().references('communities.id'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('recipient_name', 'text')
    .addColumn('recipient_phone', 'text')
    .addColumn('resident_id', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', ts)
    .addColumn('last_error', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('sent_at', ts)
    .execute();
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

  // the second level of the category tree, as property companies commonly split the first
  const children: [string, string, string][] = [
    ['water_power', 'leak', '漏水渗水'],
    ['water_power', 'no_water', '停水/水压低'],
    ['water_power', 'no_power', '停电/跳闸'],
    ['water_power', 'drain', '下水道堵塞'],
    ['water_power', 'fixture', '龙头/灯具/开关'],
    ['doors_windows', 'door_lock', '门锁'],
    ['doors_windows', 'window', '窗户/纱窗'],
    ['doors_windows', 'access_gate', '门禁/单元门'],
    ['elevator', 'entrapment', '电梯困人'],
    ['elevator', 'elevator_fault', '电梯故障'],
    ['public_area', 'lighting', '公共照明'],
    ['public_area', 'facility', '公共设施损坏'],
    ['public_area', 'parking', '停车管理'],
    ['noise', 'renovation', '装修噪音'],
    ['noise', 'neighbour_noise', '邻居噪音'],
    ['sanitation', 'garbage', '垃圾清运'],
    ['sanitation', 'cleaning', '楼道保洁'],
    ['security', 'stranger', '陌生人员'],
    ['security', 'fire_safety', '消防安全'],
    ['greening', 'pruning', '修剪/病虫害'],
    ['neighbours', 'dispute', '邻里纠纷'],
    ['neighbours', 'pets', '宠物扰民'],
    ['fees', 'fee_question', '费用咨询'],
    ['fees', 'invoice', '票据/发票'],
  ];
  const sortOf = new Map<string, number>();
  await db
    .insertInto('ticket_categories')
    .values(
      children.map(([parent, code, name]) => {
        const sort = (sortOf.get(parent) ?? 0) + 1;
        sortOf.set(parent, sort);
        return { id: `cat-${code}`, parent_id: `cat-${parent}`, code, name, sort };
      }),
    )
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('notifications').execute();
  await db.schema.dropTable('ticket_attachments').execute();
  await db.schema.dropIndex('tickets_category_idx').execute();
  await db.schema.dropIndex('tickets_parent_idx').execute();
  for (const name of [
    'repair_scope',
    'appointment_from',
    'appointment_to',
    'external_ref',
    'parent_id',
    'first_owner_id',
    'handed_over_at',
    'emergency',
    'confirmation',
  ]) {
    await db.schema.alterTable('tickets').dropColumn(name).execute();
  }
  await db.schema.alterTable('team_members').dropColumn('last_assigned_at').execute();
  await db.schema.alterTable('team_members').dropColumn('on_duty').execute();
  await db.schema.dropTable('category_prices').execute();
  await db.deleteFrom('ticket_categories').where('parent_id', 'is not', null).execute();
  await db.schema.alterTable('ticket_categories').dropColumn('archived_at').execute();
  await db.schema.alterTable('ticket_categories').dropColumn('team_id').execute();
  await db.schema.alterTable('ticket_categories').dropColumn('dispatch_mode').execute();
}
