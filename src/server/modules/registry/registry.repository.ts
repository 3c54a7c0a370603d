import type { Insertable, Kysely, Updateable } from 'kysely';
import type { Role } from '../../../domain/roles.js';
import { parseRoomCode } from '../../../domain/room-code.js';
import { loadAccess } from '../../platform/auth/sessions.js';
import { type Scope, withinScope } from '../../platform/context.js';
import type { DialectName } from '../../platform/db/database.js';
import { containsInsensitive, startsWith } from '../../platform/db/dialect.js';
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
  version: number;
}

/** A building with the name and 工号 of its steward (楼栋管家). */
export interface BuildingRow {
  id: string;
  community_id: string;
  name: string;
  code: string | null;
  designator: string | null;
  steward_user_id: string | null;
  created_at: string;
  steward_name: string | null;
  steward_employee_no: string | null;
}

/** What decides whether a user may take a post in a community: active, roles, communities. */
export interface StaffAccess {
  id: string;
  name: string;
  employeeNo: string;
  disabled: boolean;
  roles: Role[];
  allCommunities: boolean;
  communityIds: string[];
}

/** Rooms of one unit in one status. */
export interface OccupancyRow {
  unit_id: string;
  status: string;
  rooms: number;
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

  async updateCommunity(id: string, values: Updateable<CommunitiesTable>) {
    await this.db.updateTable('communities').set(values).where('id', '=', id).execute();
  }

  private buildingsQuery(scope: Scope) {
    return withinScope(
      this.db
        .selectFrom('buildings')
        .leftJoin('users', 'users.id', 'buildings.steward_user_id')
        .select([
          'buildings.id',
          'buildings.community_id',
          'buildings.name',
          'buildings.code',
          'buildings.designator',
          'buildings.steward_user_id',
          'buildings.created_at',
          'users.name as steward_name',
          'users.employee_no as steward_employee_no',
        ]),
      'buildings.community_id',
      scope,
    );
  }

  listBuildings(
    scope: Scope,
    filter: { communityId?: string; stewardUserId?: string; afterId?: string; limit: number },
  ): Promise<BuildingRow[]> {
    return this.buildingsQuery(scope)
      .$if(Boolean(filter.communityId), (qb) => qb.where('buildings.community_id', '=', filter.communityId!))
      .$if(Boolean(filter.stewardUserId), (qb) =>
        qb.where('buildings.steward_user_id', '=', filter.stewardUserId!),
      )
      .$if(Boolean(filter.afterId), (qb) => qb.where('buildings.id', '>', filter.afterId!))
      .orderBy('buildings.id')
      .limit(filter.limit + 1)
      .execute();
  }

  getBuilding(scope: Scope, id: string): Promise<BuildingRow | undefined> {
    return this.buildingsQuery(scope).where('buildings.id', '=', id).executeTakeFirst();
  }

  /** Every building of a community, from the (community_id, name) index. */
  buildingsOf(communityId: string): Promise<BuildingRow[]> {
    return this.buildingsQuery({ all: true }).where('buildings.community_id', '=', communityId).execute();
  }

  async updateBuilding(id: string, values: Updateable<BuildingsTable>) {
    await this.db.updateTable('buildings').set(values).where('id', '=', id).execute();
  }

  /** Room codes name the building by its designator: a renamed building re-keys its rooms. */
  async rekeyRoomsOfBuilding(buildingId: string, designator: string | null) {
    await this.db
      .updateTable('rooms')
      .set({ building_key: designator })
      .where('building_id', '=', buildingId)
      .execute();
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

  /** Every unit of a community, through its buildings (units are indexed by building, not community). */
  unitsOf(communityId: string) {
    return this.db
      .selectFrom('units')
      .innerJoin('buildings', 'buildings.id', 'units.building_id')
      .select(['units.id', 'units.building_id', 'units.name'])
      .where('buildings.community_id', '=', communityId)
      .execute();
  }

  async updateUnit(id: string, values: Updateable<UnitsTable>) {
    await this.db.updateTable('units').set(values).where('id', '=', id).execute();
  }

  async rekeyRoomsOfUnit(unitId: string, designator: string | null) {
    await this.db.updateTable('rooms').set({ unit_key: designator }).where('unit_id', '=', unitId).execute();
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
          'rooms.version',
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
      status?: string;
      /** A room code as typed: "3-2-1502" finds that room; "150" the rooms whose number starts so. */
      q?: string;
      afterId?: string;
      limit: number;
    },
  ): Promise<RoomView[]> {
    const code = filter.q ? parseRoomCode(filter.q) : null;
    const { dialect } = this;
    const rows = await this.roomsQuery(scope)
      .$if(Boolean(filter.communityId), (qb) => qb.where('rooms.community_id', '=', filter.communityId!))
      .$if(Boolean(filter.buildingId), (qb) => qb.where('rooms.building_id', '=', filter.buildingId!))
      .$if(Boolean(filter.unitId), (qb) => qb.where('rooms.unit_id', '=', filter.unitId!))
      .$if(Boolean(filter.status), (qb) => qb.where('rooms.status', '=', filter.status!))
      .$if(code !== null && (code.building !== null || code.unit !== null), (qb) =>
        qb
          .where('rooms.number', '=', code!.room)
          .$if(code!.building !== null, (q2) => q2.where('rooms.building_key', '=', code!.building!))
          .$if(code!.unit !== null, (q2) => q2.where('rooms.unit_key', '=', code!.unit!)),
      )
      .$if(code !== null && code.building === null && code.unit === null, (qb) =>
        qb.where((eb) => startsWith(dialect, eb.ref('rooms.number'), code!.room)),
      )
      .$if(Boolean(filter.q) && code === null, (qb) =>
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

  /** Optimistic concurrency: the update applies only to the version the caller read. */
  async updateRoom(
    id: string,
    version: number,
    values: Omit<Updateable<RoomsTable>, 'id' | 'version'>,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('rooms')
      .set({ ...values, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * Rooms per unit and status, counted by the database (R1): one pass over the community's
   * entries of the rooms_community_idx index, never the rooms themselves sent to the server.
   */
  async occupancyOf(communityId: string): Promise<OccupancyRow[]> {
    const rows = await this.db
      .selectFrom('rooms')
      .select(['rooms.unit_id', 'rooms.status', (eb) => eb.fn.countAll<number>().as('rooms')])
      .where('rooms.community_id', '=', communityId)
      .groupBy(['rooms.unit_id', 'rooms.status'])
      .execute();
    return rows.map((r) => ({ unit_id: r.unit_id, status: r.status, rooms: Number(r.rooms) }));
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

  async updatePublicArea(id: string, values: Updateable<PublicAreasTable>) {
    await this.db.updateTable('public_areas').set(values).where('id', '=', id).execute();
  }

  /** A user's standing, to decide whether they may be a building's steward. Staff are company-wide. */
  async staffAccess(userId: string): Promise<StaffAccess | undefined> {
    const user = await this.db
      .selectFrom('users')
      .select(['id', 'name', 'employee_no', 'disabled', 'all_communities'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user) return undefined;
    const access = await loadAccess(this.db, user.id, user.all_communities === 1);
    return {
      id: user.id,
      name: user.name,
      employeeNo: user.employee_no,
      disabled: user.disabled === 1,
      roles: access.roles,
      allCommunities: user.all_communities === 1,
      communityIds: access.communityIds,
    };
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
  version: number;
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
    version: row.version,
  };
}
