import type { Kysely } from 'kysely';
import { buildingDesignator, parseRoomCode, unitDesignator } from '../../../domain/room-code.js';
import { changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import { isUniqueViolation } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import { errors } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { decodeCursor, toPage } from '../../platform/schemas.js';
import { isTimeZone } from '../company/company.service.js';
import type { RegistryRepository } from './registry.repository.js';

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

  async listBuildings(ctx: RequestContext, q: PageQuery & { communityId?: string }) {
    const limit = q.limit ?? 50;
    const rows = await this.registry.listBuildings(ctx.principal.scope, {
      communityId: q.communityId,
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
    return buildingView(row);
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

  async listRooms(
    ctx: RequestContext,
    q: PageQuery & { communityId?: string; buildingId?: string; unitId?: string; q?: string },
  ) {
    const limit = q.limit ?? 50;
    const rows = await this.registry.listRooms(ctx.principal.scope, {
      communityId: q.communityId,
      buildingId: q.buildingId,
      unitId: q.unitId,
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

function buildingView(r: {
  id: string;
  community_id: string;
  name: string;
  code: string | null;
  steward_user_id?: string | null;
}) {
  return {
    id: r.id,
    communityId: r.community_id,
    name: r.name,
    code: r.code,
    stewardUserId: r.steward_user_id ?? null,
  };
}

function unitView(r: { id: string; community_id: string; building_id: string; name: string }) {
  return { id: r.id, communityId: r.community_id, buildingId: r.building_id, name: r.name };
}

function publicAreaView(r: { id: string; community_id: string; name: string }) {
  return { id: r.id, communityId: r.community_id, name: r.name };
}
