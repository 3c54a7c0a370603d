import { type Insertable, type Kysely, sql } from 'kysely';
import type { RoomCode } from '../../../domain/room-code.js';
import { type Scope, withinScope } from '../../platform/context.js';
import type { DialectName } from '../../platform/db/database.js';
import { bytewise, sameText, startsWith } from '../../platform/db/dialect.js';
import type {
  DB,
  ResidentPhonesTable,
  ResidentRoomsTable,
  ResidentsTable,
} from '../../platform/db/schema.js';
import { roomLabel } from '../registry/registry.repository.js';

export interface ResidentRecord {
  id: string;
  communityId: string;
  roomId: string;
  roomLabel: string;
  name: string;
  /** Full numbers, primary first; the service masks them for the API. */
  phones: string[];
  salutation: string | null;
  kind: string;
  notes: string | null;
  care: string[];
  moveInDate: string | null;
  moveOutDate: string | null;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface HouseholdMembership {
  residentId: string;
  roomId: string;
  roomLabel: string;
  communityId: string;
  kind: string;
  moveInDate: string | null;
  moveOutDate: string | null;
}

/** How well a search hit matches, best first. */
export type SearchRank = 0 | 1 | 2 | 3;

/** Each resident's phones, primary first. */
export async function phonesOf(db: Kysely<DB>, residentIds: string[]): Promise<Map<string, string[]>> {
  const byResident = new Map<string, string[]>();
  if (residentIds.length === 0) return byResident;
  const rows = await db
    .selectFrom('resident_phones')
    .select(['resident_id', 'phone'])
    .where('resident_id', 'in', residentIds)
    .orderBy('resident_id')
    .orderBy('sort')
    .execute();
  for (const p of rows) byResident.set(p.resident_id, [...(byResident.get(p.resident_id) ?? []), p.phone]);
  return byResident;
}

export class ResidentsRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: DialectName,
  ) {}

  with(db: Kysely<DB>) {
    return new ResidentsRepository(db, this.dialect);
  }

  private query(scope: Scope) {
    return withinScope(
      this.db
        .selectFrom('residents')
        .innerJoin('rooms', 'rooms.id', 'residents.room_id')
        .innerJoin('buildings', 'buildings.id', 'rooms.building_id')
        .innerJoin('units', 'units.id', 'rooms.unit_id')
        .selectAll('residents')
        .select([
          'rooms.number as room_number',
          'buildings.name as building_name',
          'units.name as unit_name',
        ]),
      'residents.community_id',
      scope,
    );
  }

  private async toRecords(rows: Awaited<ReturnType<ReturnType<ResidentsRepository['query']>['execute']>>) {
    if (rows.length === 0) return [];
    const byResident = await phonesOf(
      this.db,
      rows.map((r) => r.id),
    );
    return rows.map(
      (r): ResidentRecord => ({
        id: r.id,
        communityId: r.community_id,
        roomId: r.room_id,
        roomLabel: roomLabel(r.building_name, r.unit_name, r.room_number),
        name: r.name,
        phones: byResident.get(r.id) ?? [r.phone],
        salutation: r.salutation,
        kind: r.kind,
        notes: r.notes,
        care: r.care ? (JSON.parse(r.care) as string[]) : [],
        moveInDate: r.move_in_date,
        moveOutDate: r.move_out_date,
        archivedAt: r.archived_at,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        version: r.version,
      }),
    );
  }

  async list(
    scope: Scope,
    filter: {
      communityId?: string;
      roomId?: string;
      includeArchived?: boolean;
      afterId?: string;
      limit: number;
    },
  ): Promise<ResidentRecord[]> {
    const rows = await this.query(scope)
      .$if(Boolean(filter.communityId), (qb) => qb.where('residents.community_id', '=', filter.communityId!))
      .$if(Boolean(filter.roomId), (qb) =>
        qb.where('residents.id', 'in', (eb) =>
          eb
            .selectFrom('resident_rooms')
            .select('resident_id')
            .where('room_id', '=', filter.roomId!)
            .where('move_out_date', 'is', null),
        ),
      )
      .$if(!filter.includeArchived, (qb) => qb.where('residents.archived_at', 'is', null))
      .$if(Boolean(filter.afterId), (qb) => qb.where('residents.id', '>', filter.afterId!))
      .orderBy('residents.id')
      .limit(filter.limit + 1)
      .execute();
    return this.toRecords(rows);
  }

  async get(scope: Scope, id: string): Promise<ResidentRecord | undefined> {
    const rows = await this.query(scope).where('residents.id', '=', id).execute();
    return (await this.toRecords(rows))[0];
  }

  async getMany(scope: Scope, ids: string[]): Promise<ResidentRecord[]> {
    if (ids.length === 0) return [];
    return this.toRecords(await this.query(scope).where('residents.id', 'in', ids).execute());
  }

  /**
   * The candidate ids for one kind of search, each answered from an index and capped at
   * `limit`, so no search ever scans the table. The service merges and ranks them.
   */
  async searchIds(
    scope: Scope,
    how:
      | { by: 'phone'; phone: string }
      | { by: 'tail'; tail: string }
      | { by: 'room'; code: RoomCode }
      | { by: 'name'; name: string; exact: boolean }
      | { by: 'initials'; letters: string; exact: boolean }
      | { by: 'pinyin'; letters: string },
    options: { communityId?: string; includeArchived?: boolean; limit: number },
  ): Promise<string[]> {
    const { dialect } = this;
    if (how.by === 'phone' || how.by === 'tail') {
      const rows = await withinScope(
        this.db
          .selectFrom('resident_phones')
          .innerJoin('residents', 'residents.id', 'resident_phones.resident_id')
          .select('resident_phones.resident_id as id')
          .$if(how.by === 'phone', (qb) =>
            qb.where('resident_phones.phone', '=', (how as { phone: string }).phone),
          )
          .$if(how.by === 'tail', (qb) =>
            qb.where('resident_phones.phone_tail', '=', (how as { tail: string }).tail),
          )
          .$if(Boolean(options.communityId), (qb) =>
            qb.where('resident_phones.community_id', '=', options.communityId!),
          )
          .$if(!options.includeArchived, (qb) => qb.where('residents.archived_at', 'is', null)),
        'resident_phones.community_id',
        scope,
      )
        .limit(options.limit)
        .execute();
      return rows.map((r) => r.id);
    }
    if (how.by === 'room') {
      const { code } = how;
      const rows = await withinScope(
        this.db
          .selectFrom('rooms')
          .innerJoin('resident_rooms', 'resident_rooms.room_id', 'rooms.id')
          .innerJoin('residents', 'residents.id', 'resident_rooms.resident_id')
          .select('residents.id')
          .where('rooms.number', '=', code.room)
          .$if(code.building !== null, (qb) => qb.where('rooms.building_key', '=', code.building!))
          .$if(code.unit !== null, (qb) => qb.where('rooms.unit_key', '=', code.unit!))
          .where('resident_rooms.move_out_date', 'is', null)
          .$if(Boolean(options.communityId), (qb) =>
            qb.where('rooms.community_id', '=', options.communityId!),
          )
          .$if(!options.includeArchived, (qb) => qb.where('residents.archived_at', 'is', null)),
        'rooms.community_id',
        scope,
      )
        .limit(options.limit)
        .execute();
      return rows.map((r) => r.id);
    }
    const column =
      how.by === 'name'
        ? 'residents.name'
        : how.by === 'initials'
          ? 'residents.name_initials'
          : 'residents.name_pinyin';
    const value = how.by === 'name' ? how.name : how.letters;
    const exact = how.by !== 'pinyin' && how.exact;
    const rows = await withinScope(
      this.db
        .selectFrom('residents')
        .select(['residents.id'])
        .where((eb) =>
          exact ? sameText(dialect, eb.ref(column), value) : startsWith(dialect, eb.ref(column), value),
        )
        .$if(Boolean(options.communityId), (qb) =>
          qb.where('residents.community_id', '=', options.communityId!),
        )
        .$if(!options.includeArchived, (qb) => qb.where('residents.archived_at', 'is', null)),
      'residents.community_id',
      scope,
    )
      .orderBy(bytewise(dialect, sql.ref(column)))
      .limit(options.limit)
      .execute();
    return rows.map((r) => r.id);
  }

  async insert(
    row: Insertable<ResidentsTable>,
    phones: string[],
    membership: Insertable<ResidentRoomsTable>,
  ) {
    await this.db.insertInto('residents').values(row).execute();
    await this.replacePhones(row.id, row.community_id, phones);
    await this.db.insertInto('resident_rooms').values(membership).execute();
  }

  async replacePhones(residentId: string, communityId: string, phones: string[]) {
    await this.db.deleteFrom('resident_phones').where('resident_id', '=', residentId).execute();
    const rows: Insertable<ResidentPhonesTable>[] = phones.map((phone, sort) => ({
      resident_id: residentId,
      community_id: communityId,
      phone,
      phone_tail: phone.replace(/\D/g, '').slice(-4),
      sort,
    }));
    if (rows.length) await this.db.insertInto('resident_phones').values(rows).execute();
  }

  /** Optimistic concurrency (R12): the update applies only to the version the caller read. */
  async update(
    id: string,
    version: number,
    values: Partial<Omit<ResidentsTable, 'id' | 'version'>>,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('residents')
      .set({ ...values, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  households(residentIds: string[]): Promise<HouseholdMembership[]> {
    if (residentIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('resident_rooms')
      .innerJoin('rooms', 'rooms.id', 'resident_rooms.room_id')
      .innerJoin('buildings', 'buildings.id', 'rooms.building_id')
      .innerJoin('units', 'units.id', 'rooms.unit_id')
      .select([
        'resident_rooms.resident_id',
        'resident_rooms.room_id',
        'resident_rooms.community_id',
        'resident_rooms.kind',
        'resident_rooms.move_in_date',
        'resident_rooms.move_out_date',
        'rooms.number',
        'buildings.name as building_name',
        'units.name as unit_name',
      ])
      .where('resident_rooms.resident_id', 'in', residentIds)
      .orderBy('resident_rooms.created_at')
      .execute()
      .then((rows) =>
        rows.map((r) => ({
          residentId: r.resident_id,
          roomId: r.room_id,
          roomLabel: roomLabel(r.building_name, r.unit_name, r.number),
          communityId: r.community_id,
          kind: r.kind,
          moveInDate: r.move_in_date,
          moveOutDate: r.move_out_date,
        })),
      );
  }

  /** Everyone who currently lives in (or owns) a room. */
  roomMembers(roomId: string) {
    return this.db
      .selectFrom('resident_rooms')
      .innerJoin('residents', 'residents.id', 'resident_rooms.resident_id')
      .select([
        'residents.id',
        'residents.name',
        'residents.salutation',
        'resident_rooms.kind',
        'resident_rooms.move_in_date',
      ])
      .where('resident_rooms.room_id', '=', roomId)
      .where('resident_rooms.move_out_date', 'is', null)
      .where('residents.archived_at', 'is', null)
      .orderBy('resident_rooms.created_at')
      .execute();
  }

  membership(residentId: string, roomId: string) {
    return this.db
      .selectFrom('resident_rooms')
      .selectAll()
      .where('resident_id', '=', residentId)
      .where('room_id', '=', roomId)
      .executeTakeFirst();
  }

  setMembershipKind(residentId: string, roomId: string, kind: string) {
    return this.db
      .updateTable('resident_rooms')
      .set({ kind })
      .where('resident_id', '=', residentId)
      .where('room_id', '=', roomId)
      .execute();
  }

  addMembership(row: Insertable<ResidentRoomsTable>) {
    return this.db.insertInto('resident_rooms').values(row).execute();
  }

  endMembership(residentId: string, roomId: string, date: string) {
    return this.db
      .updateTable('resident_rooms')
      .set({ move_out_date: date })
      .where('resident_id', '=', residentId)
      .where('room_id', '=', roomId)
      .execute();
  }

  /** Tickets of a resident for the card: open ones and recent complaints. */
  tickets(residentId: string, filter: { open?: boolean; type?: string; limit: number }) {
    return this.db
      .selectFrom('tickets')
      .select(['id', 'number', 'type', 'status', 'priority', 'content', 'created_at'])
      .where('resident_id', '=', residentId)
      .$if(filter.open === true, (qb) => qb.where('status', 'not in', ['done', 'closed', 'cancelled']))
      .$if(Boolean(filter.type), (qb) => qb.where('type', '=', filter.type!))
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .execute();
  }

  /**
   * The resident's satisfaction for the card (R34): each rated request counts once, with its
   * latest rating (the resident's link or the return visit), over their latest 50 rated requests.
   */
  async satisfaction(residentId: string): Promise<{ average: number; count: number } | null> {
    const rows = await this.db
      .selectFrom('ratings')
      .innerJoin('tickets', 'tickets.id', 'ratings.ticket_id')
      .select(['ratings.ticket_id', 'ratings.overall'])
      .where('tickets.resident_id', '=', residentId)
      .orderBy('ratings.id', 'desc')
      .limit(200)
      .execute();
    const latest = new Map<string, number>();
    for (const row of rows)
      if (!latest.has(row.ticket_id) && latest.size < 50) latest.set(row.ticket_id, row.overall);
    if (latest.size === 0) return null;
    const sum = [...latest.values()].reduce((a, b) => a + b, 0);
    return { average: Math.round((sum / latest.size) * 10) / 10, count: latest.size };
  }
}
