import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { CareMark } from '../../../domain/names.js';
import type { AuditEntry } from '../../platform/audit.js';
import { type RequestContext, type Scope, withinScope } from '../../platform/context.js';
import type { DialectName } from '../../platform/db/database.js';
import type {
  AuditLogTable,
  BuildingsTable,
  DB,
  ImportFilesTable,
  ImportJobsTable,
  ResidentPhonesTable,
  ResidentRoomsTable,
  ResidentsTable,
  RoomsTable,
  UnitsTable,
} from '../../platform/db/schema.js';
import { newId } from '../../platform/ids.js';
import { phonesOf } from '../residents/residents.repository.js';
import { buildingKey, type RegistrySnapshot, residentKey, unitKey } from './imports.rows.js';

export type ImportJobRow = Selectable<ImportJobsTable>;

/**
 * Largest number of rows in one multi-row insert: SQLite allows 32,766 bound values per
 * statement and PostgreSQL 65,535; a residents row binds 19.
 */
const VALUES_PER_STATEMENT = 30_000;

/** Import jobs, and the bulk reads and writes of the registry an import needs. */
export class ImportsRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: DialectName,
  ) {}

  with(db: Kysely<DB>) {
    return new ImportsRepository(db, this.dialect);
  }

  async insertJob(row: Insertable<ImportJobsTable>, files: Insertable<ImportFilesTable>) {
    await this.db.insertInto('import_jobs').values(row).execute();
    await this.db.insertInto('import_files').values(files).execute();
  }

  /** One job, if it is in the caller's communities. */
  getJob(scope: Scope, id: string): Promise<ImportJobRow | undefined> {
    return withinScope(this.db.selectFrom('import_jobs').selectAll(), 'import_jobs.community_id', scope)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async sheetData(id: string): Promise<Buffer> {
    const row = await this.db
      .selectFrom('import_files')
      .select('sheet_data')
      .where('job_id', '=', id)
      .executeTakeFirstOrThrow();
    return row.sheet_data;
  }

  async issues(id: string): Promise<string> {
    const row = await this.db
      .selectFrom('import_files')
      .select('issues')
      .where('job_id', '=', id)
      .executeTakeFirstOrThrow();
    return row.issues;
  }

  /** The last completed import of the same file into the same community, if any. */
  lastImportOfFile(communityId: string, sha256: string) {
    return this.db
      .selectFrom('import_jobs')
      .select(['id', 'finished_at'])
      .where('community_id', '=', communityId)
      .where('file_sha256', '=', sha256)
      .where('status', '=', 'done')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** A new dry run, applied only if nobody changed the job since `revision` nor began importing it. */
  async saveDryRun(id: string, revision: number, values: Updateable<ImportJobsTable>, issues: string) {
    const result = await this.db
      .updateTable('import_jobs')
      .set({ ...values, revision: revision + 1 })
      .where('id', '=', id)
      .where('revision', '=', revision)
      .where('status', 'in', ['dry_run', 'ready', 'failed'])
      .where('processed_rows', '=', 0)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await this.db.updateTable('import_files').set({ issues }).where('job_id', '=', id).execute();
    return true;
  }

  /**
   * Claims the commit (once): from ready, from failed (to resume), or from an importing job whose
   * server stopped renewing its lease. Two servers racing: the database lets one update win.
   */
  async claim(
    id: string,
    revision: number,
    owner: string,
    now: string,
    leaseUntil: string,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('import_jobs')
      .set({ status: 'importing', lease_owner: owner, lease_until: leaseUntil, error: null, updated_at: now })
      .where('id', '=', id)
      .where('revision', '=', revision)
      .where((eb) =>
        eb.or([
          eb('status', 'in', ['ready', 'failed']),
          eb.and([eb('status', '=', 'importing'), eb('lease_until', '<', now)]),
        ]),
      )
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await this.db
      .updateTable('import_jobs')
      .set({ started_at: now })
      .where('id', '=', id)
      .where('started_at', 'is', null)
      .execute();
    return true;
  }

  /** Progress of the holder of the lease; false when another server has taken the job over. */
  async progress(id: string, owner: string, values: Updateable<ImportJobsTable>): Promise<boolean> {
    const result = await this.db
      .updateTable('import_jobs')
      .set(values)
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'importing')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  // ------------------------------------------------------------ the registry, as the dry run sees it

  /** Everything the dry run compares a sheet with: the community's places and who lives where. */
  async snapshot(communityId: string): Promise<RegistrySnapshot> {
    const [buildings, units, rooms, residents] = await Promise.all([
      this.db
        .selectFrom('buildings')
        .select(['id', 'name'])
        .where('community_id', '=', communityId)
        .execute(),
      this.db
        .selectFrom('units')
        .select(['id', 'building_id', 'name'])
        .where('community_id', '=', communityId)
        .execute(),
      this.db
        .selectFrom('rooms')
        .select(['id', 'building_id', 'unit_id', 'number'])
        .where('community_id', '=', communityId)
        .execute(),
      this.db
        .selectFrom('resident_rooms')
        .innerJoin('residents', 'residents.id', 'resident_rooms.resident_id')
        .innerJoin('resident_phones', 'resident_phones.resident_id', 'residents.id')
        .select(['resident_rooms.room_id', 'residents.name', 'resident_phones.phone'])
        .where('resident_rooms.community_id', '=', communityId)
        .execute(),
    ]);
    const snap: RegistrySnapshot = {
      hasBuildings: buildings.length > 0,
      buildings: new Map(),
      units: new Map(),
      rooms: new Map(),
      roomsByNumber: new Map(),
      unitsById: new Map(),
      residents: new Set(),
    };
    for (const b of buildings) {
      const key = buildingKey(b.name)?.key ?? `n:${b.name}`;
      if (!snap.buildings.has(key)) snap.buildings.set(key, { id: b.id, name: b.name });
    }
    for (const u of units) {
      const key = unitKey(u.name)?.key ?? `n:${u.name}`;
      snap.unitsById.set(u.id, { key, name: u.name });
      const ref = `${u.building_id}|${key}`;
      if (!snap.units.has(ref)) snap.units.set(ref, { id: u.id, name: u.name, key });
    }
    for (const r of rooms) {
      snap.rooms.set(`${r.unit_id}|${r.number}`, { id: r.id, unitId: r.unit_id });
      const byNumber = `${r.building_id}|${r.number}`;
      snap.roomsByNumber.set(byNumber, [
        ...(snap.roomsByNumber.get(byNumber) ?? []),
        { id: r.id, unitId: r.unit_id },
      ]);
    }
    for (const r of residents) snap.residents.add(residentKey(r.room_id, r.name, r.phone));
    return snap;
  }

  // ------------------------------------------------------------ the commit, inside a batch's transaction

  buildingsOf(communityId: string) {
    return this.db
      .selectFrom('buildings')
      .select(['id', 'name'])
      .where('community_id', '=', communityId)
      .execute();
  }

  unitsOf(buildingIds: string[]) {
    if (buildingIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('units')
      .select(['id', 'building_id', 'name'])
      .where('building_id', 'in', buildingIds)
      .execute();
  }

  roomsOf(unitIds: string[], numbers: string[]) {
    if (unitIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('rooms')
      .select(['id', 'unit_id', 'number'])
      .where('unit_id', 'in', unitIds)
      .where('number', 'in', numbers)
      .execute();
  }

  /** Who is registered in these rooms, as resident identities (see residentKey()). */
  async identities(roomIds: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const chunk of chunks(roomIds, 5000)) {
      const rows = await this.db
        .selectFrom('resident_rooms')
        .innerJoin('residents', 'residents.id', 'resident_rooms.resident_id')
        .innerJoin('resident_phones', 'resident_phones.resident_id', 'residents.id')
        .select(['resident_rooms.room_id', 'residents.name', 'resident_phones.phone'])
        .where('resident_rooms.room_id', 'in', chunk)
        .execute();
      for (const r of rows) out.add(residentKey(r.room_id, r.name, r.phone));
    }
    return out;
  }

  insertBuildings(rows: Insertable<BuildingsTable>[]) {
    return this.insertMany('buildings', rows, 7);
  }

  insertUnits(rows: Insertable<UnitsTable>[]) {
    return this.insertMany('units', rows, 6);
  }

  insertRooms(rows: Insertable<RoomsTable>[]) {
    return this.insertMany('rooms', rows, 13);
  }

  async insertResidents(
    residents: Insertable<ResidentsTable>[],
    phones: Insertable<ResidentPhonesTable>[],
    memberships: Insertable<ResidentRoomsTable>[],
  ) {
    await this.insertMany('residents', residents, 19);
    await this.insertMany('resident_phones', phones, 5);
    await this.insertMany('resident_rooms', memberships, 7);
  }

  /** Audit records in bulk: the same shape writeAudit() gives one record. */
  insertAudit(ctx: RequestContext, entries: AuditEntry[], at: Date) {
    const anonymousOrSystem = ctx.principal.id === 'system' || ctx.principal.id === 'anonymous';
    const rows: Insertable<AuditLogTable>[] = entries.map((entry) => ({
      id: newId(at),
      at: at.toISOString(),
      actor_type: anonymousOrSystem ? ctx.principal.id : ctx.principal.kind,
      actor_id: anonymousOrSystem ? null : ctx.principal.id,
      actor_name: ctx.principal.name,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      community_id: entry.communityId ?? null,
      changes: entry.changes ? JSON.stringify(entry.changes) : null,
      request_id: ctx.requestId,
      ip: ctx.ip,
    }));
    return this.insertMany('audit_log', rows, 12);
  }

  private async insertMany<
    T extends
      | 'buildings'
      | 'units'
      | 'rooms'
      | 'residents'
      | 'resident_phones'
      | 'resident_rooms'
      | 'audit_log',
  >(table: T, rows: Insertable<DB[T]>[], columns: number) {
    for (const chunk of chunks(rows, Math.floor(VALUES_PER_STATEMENT / columns))) {
      // one generic insert over several tables: Kysely cannot relate T to its own insert types
      await this.db
        .insertInto(table)
        .values(chunk as never)
        .execute();
    }
  }

  // ------------------------------------------------------------ export

  /** The residents of a community (not archived), with their primary room, a page at a time by id. */
  async exportPage(communityId: string, afterId: string | null, limit: number) {
    const rows = await this.db
      .selectFrom('residents')
      .innerJoin('rooms', 'rooms.id', 'residents.room_id')
      .innerJoin('buildings', 'buildings.id', 'rooms.building_id')
      .innerJoin('units', 'units.id', 'rooms.unit_id')
      .select([
        'residents.id',
        'residents.name',
        'residents.kind',
        'residents.salutation',
        'residents.notes',
        'residents.care',
        'residents.move_in_date',
        'residents.phone',
        'rooms.number',
        'rooms.area',
        'rooms.status',
        'buildings.name as building_name',
        'units.name as unit_name',
      ])
      .where('residents.community_id', '=', communityId)
      .where('residents.archived_at', 'is', null)
      .$if(afterId !== null, (qb) => qb.where('residents.id', '>', afterId!))
      .orderBy('residents.id')
      .limit(limit)
      .execute();
    const phones = await phonesOf(
      this.db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({
      id: r.id,
      building: r.building_name,
      unit: r.unit_name,
      room: r.number,
      name: r.name,
      phones: phones.get(r.id) ?? [r.phone],
      kind: r.kind,
      salutation: r.salutation,
      area: r.area,
      status: r.status,
      moveInDate: r.move_in_date,
      notes: r.notes,
      care: r.care ? (JSON.parse(r.care) as CareMark[]) : [],
    }));
  }
}

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
