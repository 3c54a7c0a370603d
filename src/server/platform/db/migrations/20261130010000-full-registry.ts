import { type Kysely, sql } from 'kysely';
import { nameSearchKeys } from '../../../../domain/names.js';
import { buildingDesignator, unitDesignator } from '../../../../domain/room-code.js';
import type { DialectName } from '../database.js';
import { timestampType } from '../dialect.js';

/**
 * The full registry: several phones per resident, households (a resident in several rooms),
 * care marks, move-in/out, archiving; staff teams and building stewards; the normalised keys
 * that let search find a room however it is written and a name by its pinyin.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against the schema of their own time
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const ts = timestampType(dialect);

  await db.schema
    .alterTable('residents')
    .addColumn('name_initials', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('residents')
    .addColumn('name_pinyin', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('residents').addColumn('care', 'text').execute();
  await db.schema.alterTable('residents').addColumn('move_in_date', 'text').execute();
  await db.schema.alterTable('residents').addColumn('move_out_date', 'text').execute();
  await db.schema.alterTable('residents').addColumn('archived_at', ts).execute();
  await db.schema
    .alterTable('residents')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // Search by name prefix, within the caller's communities or across all of them. Prefix search is
  // a range of byte-ordered text (see dialect.startsWith): SQLite compares text bytewise already;
  // PostgreSQL needs the index in the "C" collation, whatever the database's own collation.
  const prefixIndexes: [string, string[]][] = [
    ['residents_name_idx', ['community_id', 'name']],
    ['residents_name_all_idx', ['name']],
    ['residents_initials_idx', ['community_id', 'name_initials']],
    ['residents_initials_all_idx', ['name_initials']],
    ['residents_pinyin_idx', ['community_id', 'name_pinyin']],
    ['residents_pinyin_all_idx', ['name_pinyin']],
  ];
  for (const [name, columns] of prefixIndexes) {
    if (dialect === 'postgres') {
      const list = columns.map((c) => (c === 'community_id' ? c : `${c} collate "C"`)).join(', ');
      await sql.raw(`create index ${name} on residents (${list})`).execute(db);
    } else {
      await db.schema.createIndex(name).on('residents').columns(columns).execute();
    }
  }
  await db.schema.dropIndex('residents_tail_idx').execute();
  await db.schema.dropIndex('residents_phone_idx').execute();

  await db.schema
    .createTable('resident_phones')
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('phone_tail', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('resident_phones_pk', ['resident_id', 'phone'])
    .execute();
  await db.schema
    .createIndex('resident_phones_phone_idx')
    .on('resident_phones')
    .columns(['phone', 'community_id'])
    .execute();
  await db.schema
    .createIndex('resident_phones_tail_idx')
    .on('resident_phones')
    .columns(['phone_tail', 'community_id'])
    .execute();

  // A household: who lives in (or owns) which room. A resident may belong to several rooms.
  await db.schema
    .createTable('resident_rooms')
    .addColumn('resident_id', 'text', (c) => c.notNull().references('residents.id'))
    .addColumn('room_id', 'text', (c) => c.notNull().references('rooms.id'))
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('move_in_date', 'text')
    .addColumn('move_out_date', 'text')
    .addColumn('created_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('resident_rooms_pk', ['resident_id', 'room_id'])
    .execute();
  await db.schema.createIndex('resident_rooms_room_idx').on('resident_rooms').column('room_id').execute();

  // Normalised designators ("3栋" → "3", "二单元" → "2") so a room is found however it is written.
  await db.schema.alterTable('buildings').addColumn('designator', 'text').execute();
  await db.schema
    .alterTable('buildings')
    .addColumn('steward_user_id', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema.alterTable('units').addColumn('designator', 'text').execute();
  await db.schema.alterTable('rooms').addColumn('building_key', 'text').execute();
  await db.schema.alterTable('rooms').addColumn('unit_key', 'text').execute();
  await db.schema
    .alterTable('rooms')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('rooms_code_idx')
    .on('rooms')
    .columns(['number', 'building_key', 'unit_key', 'community_id'])
    .execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.references('communities.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('leader_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('archived_at', ts)
    .execute();
  await db.schema
    .createTable('team_members')
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'user_id'])
    .execute();

  // backfill what the foundation already holds
  const residents = await db
    .selectFrom('residents')
    .select(['id', 'community_id', 'room_id', 'name', 'phone', 'phone_tail', 'kind', 'created_at'])
    .execute();
  for (const r of residents) {
    const keys = nameSearchKeys(r.name);
    await db
      .updateTable('residents')
      .set({ name_initials: keys.initials, name_pinyin: keys.pinyin })
      .where('id', '=', r.id)
      .execute();
    await db
      .insertInto('resident_phones')
      .values({
        resident_id: r.id,
        community_id: r.community_id,
        phone: r.phone,
        phone_tail: r.phone_tail,
        sort: 0,
      })
      .execute();
    await db
      .insertInto('resident_rooms')
      .values({
        resident_id: r.id,
        room_id: r.room_id,
        community_id: r.community_id,
        kind: r.kind,
        created_at: r.created_at,
      })
      .execute();
  }
  for (const b of await db.selectFrom('buildings').select(['id', 'name']).execute()) {
    await db
      .updateTable('buildings')
      .set({ designator: buildingDesignator(b.name) })
      .where('id', '=', b.id)
      .execute();
  }
  for (const u of await db.selectFrom('units').select(['id', 'name']).execute()) {
    await db
      .updateTable('units')
      .set({ designator: unitDesignator(u.name) })
      .where('id', '=', u.id)
      .execute();
  }
  await sql`update rooms set building_key = (select designator from buildings where buildings.id = rooms.building_id),
    unit_key = (select designator from units where units.id = rooms.unit_id)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('team_members').execute();
  await db.schema.dropTable('teams').execute();
  await db.schema.dropIndex('rooms_code_idx').execute();
  for (const column of ['building_key', 'unit_key', 'version'])
    await db.schema.alterTable('rooms').dropColumn(column).execute();
  await db.schema.alterTable('units').dropColumn('designator').execute();
  await db.schema.alterTable('buildings').dropColumn('steward_user_id').execute();
  await db.schema.alterTable('buildings').dropColumn('designator').execute();
  await db.schema.dropTable('resident_rooms').execute();
  await db.schema.dropTable('resident_phones').execute();
  for (const index of [
    'residents_name_idx',
    'residents_name_all_idx',
    'residents_initials_idx',
    'residents_initials_all_idx',
    'residents_pinyin_idx',
    'residents_pinyin_all_idx',
  ]) {
    await db.schema.dropIndex(index).execute();
  }
  await db.schema.createIndex('residents_phone_idx').on('residents').column('phone').execute();
  await db.schema
    .createIndex('residents_tail_idx')
    .on('residents')
    .columns(['community_id', 'phone_tail'])
    .execute();
  for (const column of [
    'name_initials',
    'name_pinyin',
    'care',
    'move_in_date',
    'move_out_date',
    'archived_at',
    'version',
  ]) {
    await db.schema.alterTable('residents').dropColumn(column).execute();
  }
}
