import type { Insertable, Kysely } from 'kysely';
import { type Scope, withinScope } from '../../platform/context.js';
import type { DialectName } from '../../platform/db/database.js';
import { containsInsensitive } from '../../platform/db/dialect.js';
import type {
  BuildingsTable,
  CommunitiesTable,
  DB,
  PublicAreasTable,
  RoomsTable,
  UnitsTable,
} from '../../platform/db/schema.js';

export interface RoomView {
  id: string;
  communityId: string;
  buildingId: string;
  unitId: string;
  number: string;
  floor: number | null;
  area: number | null;
  status: string;
  label: string;
}

/** Communities and their places: buildings, units, rooms and public areas. Always read within a scope. */
export class RegistryRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: DialectName,
  ) {}

  with(db: Kysely<DB>) {
    return new RegistryRepository(db, this.dialect);
  }

  listCommunities(scope: Scope, afterId: string | undefined, limit: number) {
    return withinScope(this.db.selectFrom('communities').selectAll(), 'communities.id', scope)
      .$if(Boolean(afterId), (qb) => qb.where('id', '>', afterId!))
      .orderBy('id')
      .limit(limit + 1)
      .execute();
  }

  getCommunity(scope: Scope, id: string) {
    return withinScope(this.db.selectFrom('communities').selectAll(), 'communities.id', scope)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  insertCommunity(row: Insertable<CommunitiesTable>) {
    return this.db.insertInto('communities').values(row).execute();
  }

  listBuildings(scope: Scope, filter: { communityId?: string; afterId?: string; limit: number }) {
    return withinScope(this.db.selectFrom('buildings').selectAll(), 'buildings.community_id', scope)
      .$if(Boolean(filter.communityId), (qb) => qb.where('community_id', '=', filter.communityId!))
      .$if(Boolean(filter.afterId), (qb) => qb.where('id', '>', filter.afterId!))
      .orderBy('id')
      .limit(filter.limit + 1)
      .execute();
  }

  getBuilding(scope: Scope, id: string) {
    return withinScope(this.db.selectFrom('buildings').selectAll(), 'buildings.community_id', scope)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  insertBuilding(row: Insertable<BuildingsTable>) {
    return this.db.insertInto('buildings').values(row).execute();
  }

  listUnits(
    scope: Scope,
    filter: { buildingId?: string; communityId?: string; afterId?: string; limit: number },
  ) {
    return withinScope(this.db.selectFrom('units').selectAll(), 'units.community_id', scope)
      .$if(Boolean(filter.buildingId), (qb) => qb.where('building_id', '=', filter.buildingId!))
      .$if(Boolean(filter.communityId), (qb) => qb.where('community_id', '=', filter.communityId!))
      .$if(Boolean(filter.afterId), (qb) => qb.where('id', '>', filter.afterId!))
      .orderBy('id')
      .limit(filter.limit + 1)
      .execute();
  }

  getUnit(scope: Scope, id: string) {
    return withinScope(this.db.selectFrom('units').selectAll(), 'units.community_id', scope)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  insertUnit(row: Insertable<UnitsTable>) {
    return this.db.insertInto('units').values(row).execute();
  }

  private roomsQuery(scope: Scope) {
    return withinScope(
      this.db
        .selectFrom('rooms')
        .innerJoin('buildings', 'buildings.id', 'rooms.building_id')
        .innerJoin('units', 'units.id', 'rooms.unit_id')
        .select([
          'rooms.id',
          'rooms.community_id',
          'rooms.building_id',
          'rooms.unit_id',
          'rooms.number',
          'rooms.floor',
          'rooms.area',
          'rooms.status',
          'buildings.name as building_name',
          'units.name as unit_name',
        ]),
      'rooms.community_id',
      scope,
    );
  }

  async listRooms(
    scope: Scope,
    filter: {
      communityId?: string;
      buildingId?: string;
      unitId?: string;
      q?: string;
      afterId?: string;
      limit: number;
    },
  ): Promise<RoomView[]> {
    const { dialect } = this;
    const rows = await this.roomsQuery(scope)
      .$if(Boolean(filter.communityId), (qb) => qb.where('rooms.community_id', '=', filter.communityId!))
      .$if(Boolean(filter.buildingId), (qb) => qb.where('rooms.building_id', '=', filter.buildingId!))
      .$if(Boolean(filter.unitId), (qb) => qb.where('rooms.unit_id', '=', filter.unitId!))
      .$if(Boolean(filter.q), (qb) =>
        qb.where((eb) => containsInsensitive(dialect, eb.ref('rooms.number'), filter.q!)),
      )
      .$if(Boolean(filter.afterId), (qb) => qb.where('rooms.id', '>', filter.afterId!))
      .orderBy('rooms.id')
      .limit(filter.limit + 1)
      .execute();
    return rows.map(toRoomView);
  }

  async getRoom(scope: Scope, id: string): Promise<RoomView | undefined> {
    const row = await this.roomsQuery(scope).where('rooms.id', '=', id).executeTakeFirst();
    return row ? toRoomView(row) : undefined;
  }

  insertRoom(row: Insertable<RoomsTable>) {
    return this.db.insertInto('rooms').values(row).execute();
  }

  listPublicAreas(scope: Scope, filter: { communityId?: string; afterId?: string; limit: number }) {
    return withinScope(this.db.selectFrom('public_areas').selectAll(), 'public_areas.community_id', scope)
      .$if(Boolean(filter.communityId), (qb) => qb.where('community_id', '=', filter.communityId!))
      .$if(Boolean(filter.afterId), (qb) => qb.where('id', '>', filter.afterId!))
      .orderBy('id')
      .limit(filter.limit + 1)
      .execute();
  }

  getPublicArea(scope: Scope, id: string) {
    return withinScope(this.db.selectFrom('public_areas').selectAll(), 'public_areas.community_id', scope)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  insertPublicArea(row: Insertable<PublicAreasTable>) {
    return this.db.insertInto('public_areas').values(row).execute();
  }
}

/** "3栋" + "2单元" + "1502" → "3栋2单元1502", the way the desk says it. */
export function roomLabel(buildingName: string, unitName: string, number: string): string {
  return `${buildingName}${unitName}${number}`;
}

function toRoomView(row: {
  id: string;
  community_id: string;
  building_id: string;
  unit_id: string;
  number: string;
  floor: number | null;
  area: number | null;
  status: string;
  building_name: string;
  unit_name: string;
}): RoomView {
  return {
    id: row.id,
    communityId: row.community_id,
    buildingId: row.building_id,
    unitId: row.unit_id,
    number: row.number,
    floor: row.floor,
    area: row.area,
    status: row.status,
    label: roomLabel(row.building_name, row.unit_name, row.number),
  };
}
