import type { Kysely } from 'kysely';
import { buildingDesignator, parseRoomCode, unitDesignator } from '../../../domain/room-code.js';
import { changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import { inScope, type RequestContext } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import { errors } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { decodeCursor, toPage } from '../../platform/schemas.js';
import { isTimeZone } from '../company/company.service.js';
import type { BuildingRow, OccupancyRow, RegistryRepository } from './registry.repository.js';

export const ROOM_STATUSES = ['occupied', 'vacant', 'renovating'] as const;
export type RoomStatus = (typeof ROOM_STATUSES)[number];

interface PageQuery {
  cursor?: string;
  limit?: number;
}

/** The registry slice: communities, buildings, units, rooms and public areas. Every write is audited. */
export class RegistryService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly registry: RegistryRepository,
    private readonly clock: Clock,
  ) {}

  /** Runs a create in one transaction with its audit record; a duplicate name becomes a field error. */
  private async create<T extends Record<string, unknown>>(
    ctx: RequestContext,
    entityType: string,
    row: T & { id: string },
    communityId: string,
    duplicateField: string,
    insert: (repo: RegistryRepository, row: T & { id: string }) => Promise<unknown>,
  ) {
    try {
      await this.db.transaction().execute(async (trx) => {
        await insert(this.registry.with(trx), row);
        await writeAudit(
          trx,
          ctx,
          {
            action: `${entityType}.created`,
            entityType,
            entityId: row.id,
            communityId,
            changes: changesOf(null, row),
          },
          this.clock.now(),
        );
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw errors.validation([{ field: duplicateField, key: 'error.DUPLICATE' }]);
      throw error;
    }
  }

  /**
   * Runs an edit in one transaction with its audit record (the changed fields only); a
   * duplicate name becomes a field error. An edit that changes nothing writes nothing.
   */
  private async update(
    ctx: RequestContext,
    entity: { type: string; id: string; communityId: string },
    before: Record<string, unknown>,
    values: Record<string, unknown>,
    apply: (repo: RegistryRepository) => Promise<void>,
  ) {
    const changes = changesOf(
      before,
      Object.fromEntries(Object.keys(before).map((k) => [k, k in values ? values[k] : before[k]])),
    );
    if (Object.keys(changes).length === 0) return;
    try {
      await this.db.transaction().execute(async (trx) => {
        await apply(this.registry.with(trx));
        await writeAudit(
          trx,
          ctx,
          {
            action: `${entity.type}.updated`,
            entityType: entity.type,
            entityId: entity.id,
            communityId: entity.communityId,
            changes,
          },
          this.clock.now(),
        );
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw errors.validation([{ field: 'name', key: 'error.DUPLICATE' }]);
      throw error;
    }
  }

  private async community(ctx: RequestContext, id: string, field = 'communityId') {
    const community = await this.registry.getCommunity(ctx.principal.scope, id);
    if (!community) throw errors.field(field, 'validation.notFound');
    return community;
  }

  async listCommunities(ctx: RequestContext, q: PageQuery) {
    const limit = q.limit ?? 50;
    const rows = await this.registry.listCommunities(ctx.principal.scope, decodeCursor(q.cursor), limit);
    return toPage(rows.map(communityView), limit);
  }

  async getCommunity(ctx: RequestContext, id: string) {
    const row = await this.registry.getCommunity(ctx.principal.scope, id);
    if (!row) throw errors.notFound();
    return communityView(row);
  }

  async createCommunity(
    ctx: RequestContext,
    input: { name: string; code: string; address?: string | null; timeZone?: string },
  ) {
    const timeZone = input.timeZone ?? 'Asia/Shanghai';
    if (!isTimeZone(timeZone)) throw errors.field('timeZone', 'validation.timeZone');
    const now = this.clock.now().toISOString();
    const row = {
      id: newId(this.clock.now()),
      name: input.name.trim(),
      code: input.code.trim(),
      address: input.address?.trim() || null,
      time_zone: timeZone,
      created_at: now,
      updated_at: now,
    };
    await this.create(ctx, 'community', row, row.id, 'code', (repo, r) => repo.insertCommunity(r));
    return this.getCommunity({ ...ctx, principal: { ...ctx.principal, scope: { all: true } } }, row.id);
  }

  /** Name, address and time zone; the code stays, as ticket numbers and imports use it. */
  async updateCommunity(
    ctx: RequestContext,
    id: string,
    input: { name?: string; address?: string | null; timeZone?: string },
  ) {
    const before = await this.registry.getCommunity(ctx.principal.scope, id);
    if (!before) throw errors.notFound();
    if (input.timeZone !== undefined && !isTimeZone(input.timeZone)) {
      throw errors.field('timeZone', 'validation.timeZone');
    }
    const values = {
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(input.address !== undefined ? { address: input.address?.trim() || null } : {}),
      ...(input.timeZone !== undefined ? { time_zone: input.timeZone } : {}),
    };
    const audited = { name: before.name, address: before.address, time_zone: before.time_zone };
    await this.update(ctx, { type: 'community', id, communityId: id }, audited, values, (repo) =>
      repo.updateCommunity(id, { ...values, updated_at: this.clock.now().toISOString() }),
    );
    return this.getCommunity(ctx, id);
  }

  /** Rooms per status in every unit, building and the whole community (R1), counted in SQL. */
  async communityTree(ctx: RequestContext, id: string) {
    const community = await this.registry.getCommunity(ctx.principal.scope, id);
    if (!community) throw errors.notFound();
    const [buildings, units, counts] = await Promise.all([
      this.registry.buildingsOf(id),
      this.registry.unitsOf(id),
      this.registry.occupancyOf(id),
    ]);
    const byUnit = new Map<string, OccupancyRow[]>();
    for (const row of counts) byUnit.set(row.unit_id, [...(byUnit.get(row.unit_id) ?? []), row]);
    const unitsByBuilding = new Map<string, { id: string; name: string; occupancy: Occupancy }[]>();
    for (const unit of units.sort((a, b) => naturalOrder(a.name, b.name))) {
      const list = unitsByBuilding.get(unit.building_id) ?? [];
      list.push({ id: unit.id, name: unit.name, occupancy: occupancyOf(byUnit.get(unit.id) ?? []) });
      unitsByBuilding.set(unit.building_id, list);
    }
    const tree = buildings
      .sort((a, b) => naturalOrder(a.name, b.name))
      .map((b) => {
        const ofBuilding = unitsByBuilding.get(b.id) ?? [];
        return {
          ...buildingView(b),
          occupancy: sumOccupancy(ofBuilding.map((u) => u.occupancy)),
          units: ofBuilding,
        };
      })
      .map(({ communityId: _c, ...rest }) => rest);
    return {
      id: community.id,
      name: community.name,
      code: community.code,
      occupancy: sumOccupancy(tree.map((b) => b.occupancy)),
      buildings: tree,
    };
  }

  async listBuildings(ctx: RequestContext, q: PageQuery & { communityId?: string; stewardUserId?: string }) {
    const limit = q.limit ?? 50;
    const rows = await this.registry.listBuildings(ctx.principal.scope, {
      communityId: q.communityId,
      stewardUserId: q.stewardUserId,
      afterId: decodeCursor(q.cursor),
      limit,
    });
    return toPage(rows.map(buildingView), limit);
  }

  async getBuilding(ctx: RequestContext, id: string) {
    const row = await this.registry.getBuilding(ctx.principal.scope, id);
    if (!row) throw errors.notFound();
    return buildingView(row);
  }

  async createBuilding(
    ctx: RequestContext,
    input: { communityId: string; name: string; code?: string | null },
  ) {
    await this.community(ctx, input.communityId);
    const row = {
      id: newId(this.clock.now()),
      community_id: input.communityId,
      name: input.name.trim(),
      code: input.code?.trim() || null,
      designator: buildingDesignator(input.name),
      steward_user_id: null,
      created_at: this.clock.now().toISOString(),
    };
    await this.create(ctx, 'building', row, input.communityId, 'name', (repo, r) => repo.insertBuilding(r));
    return this.getBuilding(ctx, row.id);
  }

  /**
   * Name (its designator and the room codes of its rooms follow, in the same transaction), code,
   * and the steward: an active user with the steward role who may see the community, or null.
   */
  async updateBuilding(
    ctx: RequestContext,
    id: string,
    input: { name?: string; code?: string | null; stewardUserId?: string | null },
  ) {
    const before = await this.registry.getBuilding(ctx.principal.scope, id);
    if (!before) throw errors.notFound();
    if (input.stewardUserId) await this.checkSteward(input.stewardUserId, before.community_id);
    const name = input.name?.trim();
    const values = {
      ...(name !== undefined ? { name, designator: buildingDesignator(name) } : {}),
      ...(input.code !== undefined ? { code: input.code?.trim() || null } : {}),
      ...(input.stewardUserId !== undefined ? { steward_user_id: input.stewardUserId } : {}),
    };
    const audited = {
      name: before.name,
      designator: before.designator,
      code: before.code,
      steward_user_id: before.steward_user_id,
    };
    await this.update(
      ctx,
      { type: 'building', id, communityId: before.community_id },
      audited,
      values,
      async (repo) => {
        await repo.updateBuilding(id, values);
        if (values.designator !== undefined && values.designator !== before.designator) {
          await repo.rekeyRoomsOfBuilding(id, values.designator);
        }
      },
    );
    return this.getBuilding(ctx, id);
  }

  private async checkSteward(userId: string, communityId: string) {
    const field = 'stewardUserId';
    const user = await this.registry.staffAccess(userId);
    if (!user) throw errors.field(field, 'validation.notFound');
    const who = { name: user.name };
    if (user.disabled) throw errors.field(field, 'validation.staffDisabled', who);
    if (!user.roles.includes('steward')) throw errors.field(field, 'validation.notSteward', who);
    const scope = user.allCommunities
      ? ({ all: true } as const)
      : ({ all: false, communityIds: user.communityIds } as const);
    if (!inScope(scope, communityId)) throw errors.field(field, 'validation.staffCommunity', who);
  }

  async listUnits(ctx: RequestContext, q: PageQuery & { buildingId?: string; communityId?: string }) {
    const limit = q.limit ?? 50;
    const rows = await this.registry.listUnits(ctx.principal.scope, {
      buildingId: q.buildingId,
      communityId: q.communityId,
      afterId: decodeCursor(q.cursor),
      limit,
    });
    return toPage(rows.map(unitView), limit);
  }

  async createUnit(ctx: RequestContext, input: { buildingId: string; name: string }) {
    const building = await this.registry.getBuilding(ctx.principal.scope, input.buildingId);
    if (!building) throw errors.field('buildingId', 'validation.notFound');
    const row = {
      id: newId(this.clock.now()),
      community_id: building.community_id,
      building_id: building.id,
      name: input.name.trim(),
      designator: unitDesignator(input.name),
      created_at: this.clock.now().toISOString(),
    };
    await this.create(ctx, 'unit', row, building.community_id, 'name', (repo, r) => repo.insertUnit(r));
    return unitView(row);
  }

  /** A renamed unit gets a new designator, and its rooms' codes follow in the same transaction. */
  async updateUnit(ctx: RequestContext, id: string, input: { name?: string }) {
    const before = await this.registry.getUnit(ctx.principal.scope, id);
    if (!before) throw errors.notFound();
    const name = input.name?.trim();
    const values = name !== undefined ? { name, designator: unitDesignator(name) } : {};
    await this.update(
      ctx,
      { type: 'unit', id, communityId: before.community_id },
      { name: before.name, designator: before.designator },
      values,
      async (repo) => {
        await repo.updateUnit(id, values);
        if (values.designator !== undefined && values.designator !== before.designator) {
          await repo.rekeyRoomsOfUnit(id, values.designator);
        }
      },
    );
    const after = await this.registry.getUnit(ctx.principal.scope, id);
    return unitView(after!);
  }

  async listRooms(
    ctx: RequestContext,
    q: PageQuery & {
      communityId?: string;
      buildingId?: string;
      unitId?: string;
      status?: RoomStatus;
      q?: string;
    },
  ) {
    const limit = q.limit ?? 50;
    const rows = await this.registry.listRooms(ctx.principal.scope, {
      communityId: q.communityId,
      buildingId: q.buildingId,
      unitId: q.unitId,
      status: q.status,
      q: q.q?.trim() || undefined,
      afterId: decodeCursor(q.cursor),
      limit,
    });
    return toPage(rows, limit);
  }

  async getRoom(ctx: RequestContext, id: string) {
    const room = await this.registry.getRoom(ctx.principal.scope, id);
    if (!room) throw errors.notFound();
    return room;
  }

  async createRoom(
    ctx: RequestContext,
    input: {
      unitId: string;
      number: string;
      floor?: number | null;
      area?: number | null;
      status?: RoomStatus;
    },
  ) {
    const unit = await this.registry.getUnit(ctx.principal.scope, input.unitId);
    if (!unit) throw errors.field('unitId', 'validation.notFound');
    const building = await this.registry.getBuilding(ctx.principal.scope, unit.building_id);
    // stored as the room-code parser reads it, so "0302" typed anywhere finds room "302"
    const number = parseRoomCode(input.number)?.room ?? input.number.trim();
    const row = {
      id: newId(this.clock.now()),
      community_id: unit.community_id,
      building_id: unit.building_id,
      unit_id: unit.id,
      number,
      floor: input.floor ?? floorFromNumber(number),
      area: input.area ?? null,
      status: input.status ?? 'vacant',
      building_key: building?.designator ?? null,
      unit_key: unit.designator,
      created_at: this.clock.now().toISOString(),
      version: 1,
    };
    await this.create(ctx, 'room', row, unit.community_id, 'number', (repo, r) => repo.insertRoom(r));
    return this.getRoom(ctx, row.id);
  }

  /** Floor, area and status of a room the caller has read at `version`; a concurrent edit is a conflict. */
  async updateRoom(
    ctx: RequestContext,
    id: string,
    input: { version: number; floor?: number | null; area?: number | null; status?: RoomStatus },
  ) {
    const before = await this.registry.getRoom(ctx.principal.scope, id);
    if (!before) throw errors.notFound();
    if (before.version !== input.version) throw errors.conflict();
    const values = {
      ...(input.floor !== undefined ? { floor: input.floor } : {}),
      ...(input.area !== undefined ? { area: input.area } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
    };
    await this.update(
      ctx,
      { type: 'room', id, communityId: before.communityId },
      { floor: before.floor, area: before.area, status: before.status },
      values,
      async (repo) => {
        if (!(await repo.updateRoom(id, input.version, values))) throw errors.conflict();
      },
    );
    return this.getRoom(ctx, id);
  }

  async listPublicAreas(ctx: RequestContext, q: PageQuery & { communityId?: string }) {
    const limit = q.limit ?? 50;
    const rows = await this.registry.listPublicAreas(ctx.principal.scope, {
      communityId: q.communityId,
      afterId: decodeCursor(q.cursor),
      limit,
    });
    return toPage(rows.map(publicAreaView), limit);
  }

  async createPublicArea(ctx: RequestContext, input: { communityId: string; name: string }) {
    await this.community(ctx, input.communityId);
    const row = {
      id: newId(this.clock.now()),
      community_id: input.communityId,
      name: input.name.trim(),
      created_at: this.clock.now().toISOString(),
    };
    await this.create(ctx, 'public_area', row, input.communityId, 'name', (repo, r) =>
      repo.insertPublicArea(r),
    );
    return publicAreaView(row);
  }

  async updatePublicArea(ctx: RequestContext, id: string, input: { name?: string }) {
    const before = await this.registry.getPublicArea(ctx.principal.scope, id);
    if (!before) throw errors.notFound();
    const values = input.name !== undefined ? { name: input.name.trim() } : {};
    await this.update(
      ctx,
      { type: 'public_area', id, communityId: before.community_id },
      { name: before.name },
      values,
      (repo) => repo.updatePublicArea(id, values),
    );
    const after = await this.registry.getPublicArea(ctx.principal.scope, id);
    return publicAreaView(after!);
  }
}

type Occupancy = Record<'total' | RoomStatus, number>;

function occupancyOf(rows: OccupancyRow[]): Occupancy {
  const out: Occupancy = { total: 0, occupied: 0, vacant: 0, renovating: 0 };
  for (const row of rows) {
    out.total += row.rooms;
    if ((ROOM_STATUSES as readonly string[]).includes(row.status)) out[row.status as RoomStatus] += row.rooms;
  }
  return out;
}

function sumOccupancy(parts: Occupancy[]): Occupancy {
  const out: Occupancy = { total: 0, occupied: 0, vacant: 0, renovating: 0 };
  for (const part of parts) {
    for (const key of Object.keys(out) as (keyof Occupancy)[]) out[key] += part[key];
  }
  return out;
}

/** "2栋" before "10栋", as people count them. */
function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'zh-CN', { numeric: true });
}

/** "1502" is on floor 15, "302" on floor 3; a number that says nothing leaves the floor unknown. */
export function floorFromNumber(number: string): number | null {
  const digits = /^(\d{3,4})$/.exec(number)?.[1];
  if (!digits) return null;
  return Number(digits.slice(0, digits.length - 2)) || null;
}

function communityView(r: {
  id: string;
  name: string;
  code: string;
  address: string | null;
  time_zone: string;
  created_at: string;
}) {
  return {
    id: r.id,
    name: r.name,
    code: r.code,
    address: r.address,
    timeZone: r.time_zone,
    createdAt: r.created_at,
  };
}

function buildingView(r: BuildingRow) {
  return {
    id: r.id,
    communityId: r.community_id,
    name: r.name,
    code: r.code,
    stewardUserId: r.steward_user_id,
    steward:
      r.steward_user_id && r.steward_name !== null && r.steward_employee_no !== null
        ? { id: r.steward_user_id, name: r.steward_name, employeeNo: r.steward_employee_no }
        : null,
  };
}

function unitView(r: { id: string; community_id: string; building_id: string; name: string }) {
  return { id: r.id, communityId: r.community_id, buildingId: r.building_id, name: r.name };
}

function publicAreaView(r: { id: string; community_id: string; name: string }) {
  return { id: r.id, communityId: r.community_id, name: r.name };
}
