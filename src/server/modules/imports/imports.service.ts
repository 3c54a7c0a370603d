import { createHash, randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Insertable, Kysely } from 'kysely';
import { maskPhone, nameSearchKeys } from '../../../domain/names.js';
import { phoneTail } from '../../../domain/phone.js';
import { buildingDesignator, unitDesignator } from '../../../domain/room-code.js';
import { type AuditEntry, changesOf, writeAudit } from '../../platform/audit.js';
import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { DialectName } from '../../platform/db/database.js';
import { serialize } from '../../platform/db/dialect.js';
import type {
  BuildingsTable,
  DB,
  ResidentPhonesTable,
  ResidentRoomsTable,
  ResidentsTable,
  RoomsTable,
  UnitsTable,
} from '../../platform/db/schema.js';
import { AppError, errors } from '../../platform/errors.js';
import { t } from '../../platform/i18n/i18n.js';
import type { Locale, MessageKey } from '../../platform/i18n/messages.js';
import { newId } from '../../platform/ids.js';
import type { RegistryRepository } from '../registry/registry.repository.js';
import { floorFromNumber } from '../registry/registry.service.js';
import {
  type ColumnMapping,
  detectHeaderRow,
  IMPORT_FIELDS,
  type ImportField,
  MULTI_COLUMN_FIELDS,
  suggestMapping,
} from './imports.mapping.js';
import type { ImportJobRow, ImportsRepository } from './imports.repository.js';
import {
  type Analysis,
  analyze,
  buildingKey,
  type Issue,
  type RegistrySnapshot,
  type ResidentPlan,
  residentKey,
  unitKey,
} from './imports.rows.js';
import { columnLetter, readSheet, SheetError } from './imports.sheet.js';
import {
  exportWorkbook,
  type RegistryLine,
  registryLine,
  reportWorkbook,
  templateWorkbook,
} from './imports.xlsx.js';

export const IMPORT_STATUSES = ['dry_run', 'ready', 'importing', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** Issues a job view lists; the report workbook has them all. */
export const VIEW_ISSUES = 200;

export interface ImportsOptions {
  /** Rows per transaction of the commit. */
  batchSize?: number;
  /** How long a commit's claim holds without progress before another server may resume it. */
  leaseMs?: number;
  /** Called after each committed batch (tests use it to stop a commit half-way). */
  afterBatch?: (jobId: string, processed: number) => void | Promise<void>;
}

/** What the dry run leaves on the job besides its issues. */
interface Summary {
  counts: Analysis['counts'];
  places: Analysis['places'];
  blocked: boolean;
  issuesTotal: number;
  /** Per message: how often, at which level, for which field. */
  byKey: { key: MessageKey; level: Issue['level']; field: ImportField | null; count: number }[];
  firstIssues: Issue[];
}

class LeaseLost extends Error {}
/** The server is shutting down: the commit stops between two batches, to be resumed. */
class Interrupted extends Error {}

/**
 * Bulk import of residents from a company's own sheet (R2): upload and dry run, mapping
 * correction, and the commit in batches that any server can run or resume; the report, the
 * template, and the registry export that imports again.
 */
export class ImportsService {
  private readonly running = new Set<Promise<void>>();
  private stopping = false;
  private readonly batchSize: number;
  private readonly leaseMs: number;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: DialectName,
    private readonly imports: ImportsRepository,
    private readonly registry: RegistryRepository,
    private readonly clock: Clock,
    private readonly options: ImportsOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.leaseMs = options.leaseMs ?? 120_000;
  }

  private async community(ctx: RequestContext, id: string) {
    const community = await this.registry.getCommunity(ctx.principal.scope, id);
    // the community is what is imported into: outside the caller's scope it does not exist
    if (!community) throw errors.notFound();
    return community;
  }

  private async job(ctx: RequestContext, id: string): Promise<ImportJobRow> {
    const job = await this.imports.getJob(ctx.principal.scope, id);
    if (!job) throw errors.notFound();
    return job;
  }

  // ------------------------------------------------------------------ upload and dry run

  async upload(
    ctx: RequestContext,
    input: { communityId: string; fileName: string; body: unknown; createMissing?: boolean },
  ) {
    const community = await this.community(ctx, input.communityId);
    // a JSON or form body reaches here too (the route's parsers are the app's as well): not a sheet
    if (input.body !== undefined && input.body !== null && !Buffer.isBuffer(input.body))
      throw errors.field('body', 'import.unreadable');
    const file = Buffer.isBuffer(input.body) ? input.body : Buffer.alloc(0);
    if (file.length === 0) throw errors.field('body', 'import.fileEmpty');
    let sheet: Awaited<ReturnType<typeof readSheet>>;
    try {
      sheet = await readSheet(file);
    } catch (error) {
      if (error instanceof SheetError) throw errors.field('body', error.key, error.params);
      throw error;
    }
    const headerRow = detectHeaderRow(sheet.rows);
    const width = sheet.rows.reduce((w, r) => Math.max(w, r.length), 0);
    const columns = headerRow === null ? [] : suggestMapping(sheet.rows[headerRow] ?? [], width);
    const snapshot = await this.imports.snapshot(community.id);
    // onboarding: a community without buildings gets them, with units and rooms, from the sheet
    const createMissing = input.createMissing ?? !snapshot.hasBuildings;
    const analysis = analyze(sheet.rows, headerRow, columns, snapshot, { createMissing });
    const sha256 = createHash('sha256').update(file).digest('hex');
    const previous = await this.imports.lastImportOfFile(community.id, sha256);
    if (previous)
      analysis.issues.unshift({
        row: null,
        column: null,
        field: null,
        level: 'note',
        key: 'import.sameFile',
        params: { date: previous.finished_at?.slice(0, 10) ?? '' },
      });

    const now = this.clock.now();
    const id = newId(now);
    await this.db.transaction().execute(async (trx) => {
      await this.imports.with(trx).insertJob(
        {
          id,
          community_id: community.id,
          status: analysis.blocked ? 'dry_run' : 'ready',
          file_name: input.fileName.trim(),
          format: sheet.format,
          encoding: sheet.encoding,
          file_size: file.length,
          file_sha256: sha256,
          header_row: headerRow,
          columns: JSON.stringify(columns),
          create_missing: createMissing ? 1 : 0,
          revision: 1,
          summary: JSON.stringify(summaryOf(analysis)),
          total_rows: analysis.counts.rows,
          created_by: ctx.principal.userId,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        },
        {
          job_id: id,
          file_data: file,
          sheet_data: gzipSync(JSON.stringify(sheet.rows)),
          issues: JSON.stringify(analysis.issues),
        },
      );
      await writeAudit(
        trx,
        ctx,
        {
          action: 'import.uploaded',
          entityType: 'import_job',
          entityId: id,
          communityId: community.id,
          changes: changesOf(null, {
            fileName: input.fileName.trim(),
            fileSize: file.length,
            sha256,
            rows: analysis.counts.rows,
          }),
        },
        now,
      );
    });
    return this.get(ctx, id);
  }

  async get(ctx: RequestContext, id: string) {
    return this.view(await this.job(ctx, id), ctx.locale);
  }

  /** Corrects the mapping (or whether missing places are created) and runs the dry run again. */
  async remap(
    ctx: RequestContext,
    id: string,
    input: {
      revision: number;
      columns: { index: number; field: ImportField | null }[];
      createMissing?: boolean;
    },
  ) {
    const job = await this.job(ctx, id);
    this.editable(job, input.revision);
    const before: ColumnMapping[] = JSON.parse(job.columns);
    const changes = new Map<number, ImportField | null>();
    for (const c of input.columns) {
      if (!before.some((b) => b.index === c.index))
        throw errors.field('columns', 'import.columnNotFound', { column: columnLetter(c.index) });
      if (changes.has(c.index))
        throw errors.field('columns', 'import.columnTwice', { column: columnLetter(c.index) });
      changes.set(c.index, c.field);
    }
    const columns = before.map((c) => (changes.has(c.index) ? { ...c, field: changes.get(c.index)! } : c));
    for (const field of IMPORT_FIELDS) {
      if (MULTI_COLUMN_FIELDS.has(field)) continue;
      const using = columns.filter((c) => c.field === field);
      if (using.length > 1)
        throw errors.field('columns', 'import.fieldTwice', {
          name: t(ctx.locale, `import.field.${field}`),
          columns: using.map((c) => columnLetter(c.index)).join('、'),
        });
    }
    const createMissing = input.createMissing ?? job.create_missing === 1;
    const rows = await this.rows(job.id);
    const snapshot = await this.imports.snapshot(job.community_id);
    const analysis = analyze(rows, job.header_row, columns, snapshot, { createMissing });
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const saved = await this.imports.with(trx).saveDryRun(
        job.id,
        input.revision,
        {
          status: analysis.blocked ? 'dry_run' : 'ready',
          error: null,
          columns: JSON.stringify(columns),
          create_missing: createMissing ? 1 : 0,
          summary: JSON.stringify(summaryOf(analysis)),
          total_rows: analysis.counts.rows,
          updated_at: now.toISOString(),
        },
        JSON.stringify(analysis.issues),
      );
      if (!saved) throw errors.conflict();
      await writeAudit(
        trx,
        ctx,
        {
          action: 'import.mapping_changed',
          entityType: 'import_job',
          entityId: job.id,
          communityId: job.community_id,
          changes: changesOf(
            { mapping: mappingOf(before), createMissing: job.create_missing === 1 },
            { mapping: mappingOf(columns), createMissing },
          ),
        },
        now,
      );
    });
    return this.get(ctx, job.id);
  }

  /** A job's mapping may change until its commit has imported a first batch. */
  private editable(job: ImportJobRow, revision: number) {
    if (job.status === 'done') throw errors.conflict('import.alreadyCommitted');
    if (job.status === 'importing' || job.processed_rows > 0) throw errors.conflict('import.inProgress');
    if (job.revision !== revision) throw errors.conflict();
  }

  private async rows(id: string): Promise<string[][]> {
    return JSON.parse(gunzipSync(await this.imports.sheetData(id)).toString('utf8'));
  }

  // ------------------------------------------------------------------ commit

  /**
   * Starts the commit and returns at once; the console polls GET /imports/{id}. A job commits
   * once: the claim is a conditional update, so a second request, on this server or another,
   * is refused. A failed or abandoned commit (its server stopped renewing the lease) resumes
   * from its last completed batch.
   */
  async commit(ctx: RequestContext, id: string, input: { revision: number }) {
    const job = await this.job(ctx, id);
    const now = this.clock.now();
    const owner = randomUUID();
    const resuming = job.processed_rows > 0;
    // the claim and its audit record commit together
    const claimed =
      job.revision === input.revision &&
      (await this.db.transaction().execute(async (trx) => {
        const won = await this.imports
          .with(trx)
          .claim(
            job.id,
            input.revision,
            owner,
            now.toISOString(),
            new Date(now.getTime() + this.leaseMs).toISOString(),
          );
        if (won)
          await writeAudit(
            trx,
            ctx,
            {
              action: resuming ? 'import.commit_resumed' : 'import.commit_started',
              entityType: 'import_job',
              entityId: job.id,
              communityId: job.community_id,
              changes: resuming ? { processedRows: [job.processed_rows, job.processed_rows] } : null,
            },
            now,
          );
        return won;
      }));
    if (!claimed) {
      const current = (await this.imports.getJob({ all: true }, job.id))!;
      if (current.status === 'done') throw errors.conflict('import.alreadyCommitted');
      if (current.status === 'importing') throw errors.conflict('import.inProgress');
      if (current.status === 'dry_run') throw errors.conflict('import.notReady');
      throw errors.conflict();
    }
    const done = this.run(ctx, job.id, owner);
    const tracked: Promise<void> = done.catch(() => {}).finally(() => this.running.delete(tracked));
    this.running.add(tracked);
    const view = await this.get(ctx, job.id);
    return { view, done };
  }

  /**
   * At shutdown: the commits this server runs stop after their current batch, marked failed
   * ("interrupted"), so that a commit on this or another server resumes them from there.
   */
  async drain() {
    this.stopping = true;
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  private async run(ctx: RequestContext, jobId: string, owner: string): Promise<void> {
    try {
      const job = (await this.imports.getJob({ all: true }, jobId))!;
      const rows = await this.rows(jobId);
      const snapshot = await this.imports.snapshot(job.community_id);
      const analysis = analyze(rows, job.header_row, JSON.parse(job.columns), snapshot, {
        createMissing: job.create_missing === 1,
      });
      if (analysis.blocked) throw new AppError(409, 'CONFLICT', 'import.notReady');
      const places = new PlaceCache(snapshot);
      const total = analysis.outcomes.length;
      const done = {
        processed: job.processed_rows,
        created: job.created_count,
        skipped: job.skipped_count,
        buildings: job.created_buildings,
        units: job.created_units,
        rooms: job.created_rooms,
      };
      for (let start = job.processed_rows; start < total; start += this.batchSize) {
        if (this.stopping) throw new Interrupted();
        const batch = analysis.outcomes.slice(start, start + this.batchSize);
        const at = this.clock.now();
        const result = await this.db.transaction().execute(async (trx) => {
          // two jobs of one community commit one batch at a time, each seeing the other's rows
          await serialize(trx, this.dialect, `import:${job.community_id}`);
          const plans = batch.filter((o) => o.status === 'new').map((o) => o.plan!);
          const written = await this.writeBatch(trx, ctx, job, plans, places, at);
          const next = {
            processed: done.processed + batch.length,
            created: done.created + written.created,
            skipped: done.skipped + batch.length - written.created,
            buildings: done.buildings + written.buildings,
            units: done.units + written.units,
            rooms: done.rooms + written.rooms,
          };
          const renewed = await this.imports.with(trx).progress(job.id, owner, {
            total_rows: total,
            processed_rows: next.processed,
            created_count: next.created,
            skipped_count: next.skipped,
            created_buildings: next.buildings,
            created_units: next.units,
            created_rooms: next.rooms,
            lease_until: new Date(at.getTime() + this.leaseMs).toISOString(),
            updated_at: at.toISOString(),
          });
          if (!renewed) throw new LeaseLost();
          return next;
        });
        Object.assign(done, result);
        await this.options.afterBatch?.(job.id, done.processed);
        // let the server answer other requests (the console's progress polls) between batches
        await new Promise((resolve) => setImmediate(resolve));
      }
      const at = this.clock.now();
      await this.db.transaction().execute(async (trx) => {
        const finished = await this.imports.with(trx).progress(job.id, owner, {
          status: 'done',
          total_rows: total,
          lease_owner: null,
          lease_until: null,
          finished_at: at.toISOString(),
          updated_at: at.toISOString(),
        });
        if (!finished) throw new LeaseLost();
        await writeAudit(
          trx,
          ctx,
          {
            action: 'import.committed',
            entityType: 'import_job',
            entityId: job.id,
            communityId: job.community_id,
            changes: changesOf(null, {
              rows: total,
              created: done.created,
              skipped: done.skipped,
              buildings: done.buildings,
              units: done.units,
              rooms: done.rooms,
            }),
          },
          at,
        );
      });
    } catch (error) {
      // another server took over a commit this one was too slow to renew: it carries on
      if (error instanceof LeaseLost) return;
      const at = this.clock.now().toISOString();
      await this.imports
        .progress(jobId, owner, {
          status: 'failed',
          error:
            error instanceof AppError
              ? error.key
              : error instanceof Interrupted
                ? 'import.interrupted'
                : 'import.failed',
          lease_owner: null,
          lease_until: null,
          updated_at: at,
        })
        .catch(() => {});
      throw error;
    }
  }

  /**
   * One batch, inside its transaction: the places it needs (created unless someone else just
   * did), then the residents not already registered, in multi-row inserts, each with its audit
   * record (R62: the audit trail answers "who created this resident" by the resident's id).
   */
  private async writeBatch(
    trx: Kysely<DB>,
    ctx: RequestContext,
    job: ImportJobRow,
    plans: ResidentPlan[],
    places: PlaceCache,
    at: Date,
  ) {
    const repo = this.imports.with(trx);
    const now = at.toISOString();
    const communityId = job.community_id;
    const audit: AuditEntry[] = [];
    const source = { importJobId: job.id };
    const created = { created: 0, buildings: 0, units: 0, rooms: 0 };

    // buildings
    if (plans.some((p) => !places.building(p))) {
      for (const b of await repo.buildingsOf(communityId))
        places.addBuilding(buildingKey(b.name)?.key ?? `n:${b.name}`, b.id);
      const rows = new Map<string, Insertable<BuildingsTable>>();
      for (const p of plans) {
        if (places.building(p) || rows.has(p.building.key)) continue;
        rows.set(p.building.key, {
          id: newId(at),
          community_id: communityId,
          name: p.building.name,
          code: null,
          designator: buildingDesignator(p.building.name),
          steward_user_id: null,
          created_at: now,
        });
      }
      await repo.insertBuildings([...rows.values()]);
      for (const [key, row] of rows) {
        places.addBuilding(key, row.id);
        audit.push(created_(row.id, 'building', communityId, { ...row, ...source }));
      }
      created.buildings = rows.size;
    }

    // units
    if (plans.some((p) => !places.unit(p))) {
      const buildingIds = [...new Set(plans.map((p) => places.building(p)!))];
      for (const u of await repo.unitsOf(buildingIds)) places.addUnit(u.building_id, u.name, u.id);
      const rows = new Map<string, Insertable<UnitsTable>>();
      for (const p of plans) {
        const buildingId = places.building(p)!;
        const ref = `${buildingId}|${p.unit.key}`;
        if (places.unit(p) || rows.has(ref)) continue;
        rows.set(ref, {
          id: newId(at),
          community_id: communityId,
          building_id: buildingId,
          name: p.unit.name,
          designator: unitDesignator(p.unit.name),
          created_at: now,
        });
      }
      await repo.insertUnits([...rows.values()]);
      for (const row of rows.values()) {
        places.addUnit(row.building_id, row.name, row.id);
        audit.push(created_(row.id, 'unit', communityId, { ...row, ...source }));
      }
      created.units = rows.size;
    }

    // rooms
    const newRooms = new Set<string>();
    if (plans.some((p) => !places.room(p))) {
      const statusGiven = new Set<string>();
      const unitIds = [...new Set(plans.filter((p) => !places.room(p)).map((p) => places.unit(p)!))];
      const numbers = [...new Set(plans.map((p) => p.room.number))];
      for (const r of await repo.roomsOf(unitIds, numbers)) places.addRoom(r.unit_id, r.number, r.id);
      const rows = new Map<string, Insertable<RoomsTable>>();
      for (const p of plans) {
        const unitId = places.unit(p)!;
        const ref = `${unitId}|${p.room.number}`;
        const pending = rows.get(ref);
        if (pending) {
          // the first line of a room that gives its area or status decides them
          pending.area ??= p.room.area;
          if (p.room.status && !statusGiven.has(ref)) {
            pending.status = p.room.status;
            statusGiven.add(ref);
          }
          continue;
        }
        if (places.room(p)) continue;
        if (p.room.status) statusGiven.add(ref);
        rows.set(ref, {
          id: newId(at),
          community_id: communityId,
          building_id: places.building(p)!,
          unit_id: unitId,
          number: p.room.number,
          floor: floorFromNumber(p.room.number),
          area: p.room.area,
          // someone is registered in it: occupied unless the sheet says otherwise
          status: p.room.status ?? 'occupied',
          building_key: buildingDesignator(p.building.name),
          unit_key: unitDesignator(p.unit.name),
          created_at: now,
          version: 1,
        });
      }
      await repo.insertRooms([...rows.values()]);
      for (const row of rows.values()) {
        places.addRoom(row.unit_id, row.number, row.id);
        newRooms.add(row.id);
        audit.push(created_(row.id, 'room', communityId, { ...row, ...source }));
      }
      created.rooms = rows.size;
    }

    // residents: not those registered meanwhile (another import, the desk) in the rooms that existed
    const known = await repo.identities([
      ...new Set(plans.map((p) => places.room(p)!).filter((id) => !newRooms.has(id))),
    ]);
    const residents: Insertable<ResidentsTable>[] = [];
    const phones: Insertable<ResidentPhonesTable>[] = [];
    const memberships: Insertable<ResidentRoomsTable>[] = [];
    for (const p of plans) {
      const roomId = places.room(p)!;
      if (p.phones.some((phone) => known.has(residentKey(roomId, p.name, phone)))) continue;
      for (const phone of p.phones) known.add(residentKey(roomId, p.name, phone));
      const keys = nameSearchKeys(p.name);
      const row = {
        id: newId(at),
        community_id: communityId,
        room_id: roomId,
        name: p.name,
        phone: p.phones[0]!,
        phone_tail: phoneTail(p.phones[0]!),
        salutation: p.salutation,
        kind: p.kind,
        notes: p.notes,
        name_initials: keys.initials,
        name_pinyin: keys.pinyin,
        care: p.care.length ? JSON.stringify(p.care) : null,
        move_in_date: p.moveInDate,
        move_out_date: null,
        archived_at: null,
        created_at: now,
        updated_at: now,
        version: 1,
      };
      residents.push(row);
      p.phones.forEach((phone, sort) => {
        phones.push({
          resident_id: row.id,
          community_id: communityId,
          phone,
          phone_tail: phoneTail(phone),
          sort,
        });
      });
      memberships.push({
        resident_id: row.id,
        room_id: roomId,
        community_id: communityId,
        kind: p.kind,
        move_in_date: p.moveInDate,
        move_out_date: null,
        created_at: now,
      });
      const { phone: _p, phone_tail: _t, name_initials: _i, name_pinyin: _y, ...audited } = row;
      audit.push(
        created_(row.id, 'resident', communityId, {
          ...audited,
          phones: p.phones.map(maskPhone),
          sheetRow: p.row,
          ...source,
        }),
      );
    }
    await repo.insertResidents(residents, phones, memberships);
    await repo.insertAudit(ctx, audit, at);
    created.created = residents.length;
    return created;
  }

  // ------------------------------------------------------------------ workbooks

  /** The dry-run report: the sheet as uploaded, with 错误 beside each bad row and its bad cells marked. */
  async report(ctx: RequestContext, id: string) {
    const job = await this.job(ctx, id);
    const rows = await this.rows(job.id);
    const issues: Issue[] = JSON.parse(await this.imports.issues(job.id));
    const errorsByRow = new Map<number, string[]>();
    const notesByRow = new Map<number, string[]>();
    const badCells = new Set<string>();
    const sheetMessages: string[] = [];
    for (const issue of issues) {
      const message = this.message(ctx.locale, issue);
      if (issue.row === null) {
        const where = issue.column === null ? '' : `${columnLetter(issue.column)}: `;
        sheetMessages.push(`${where}${message}`);
        continue;
      }
      const target = issue.level === 'error' ? errorsByRow : notesByRow;
      target.set(issue.row, [...(target.get(issue.row) ?? []), message]);
      if (issue.level === 'error' && issue.column !== null) badCells.add(`${issue.row}:${issue.column}`);
    }
    const buffer = await reportWorkbook({
      rows,
      headerRow: job.header_row,
      errors: errorsByRow,
      notes: notesByRow,
      badCells,
      sheetMessages,
      labels: {
        errors: t(ctx.locale, 'import.report.errors'),
        notes: t(ctx.locale, 'import.report.notes'),
        sheet: t(ctx.locale, 'import.report.sheet'),
        about: t(ctx.locale, 'import.report.about'),
      },
    });
    // it holds the residents' names and phones as uploaded: a document leaving the system (R61)
    await writeAudit(
      this.db,
      ctx,
      {
        action: 'import.report_downloaded',
        entityType: 'import_job',
        entityId: job.id,
        communityId: job.community_id,
      },
      this.clock.now(),
    );
    return { buffer, fileName: `${baseName(job.file_name)}-导入报告.xlsx` };
  }

  template() {
    return templateWorkbook();
  }

  /**
   * The registry of a community in the template's columns, phones in full: only roles that may
   * see full numbers (manager, admin) reach this, and every export is audited (R4, R61).
   */
  async exportResidents(ctx: RequestContext, communityId: string) {
    const community = await this.community(ctx, communityId);
    const found: Awaited<ReturnType<ImportsRepository['exportPage']>> = [];
    for (let after: string | null = null; ; ) {
      const page = await this.imports.exportPage(community.id, after, 5000);
      found.push(...page);
      if (page.length < 5000) break;
      after = page[page.length - 1]!.id;
    }
    const natural = (a: string, b: string) => a.localeCompare(b, 'zh-CN', { numeric: true });
    found.sort(
      (a, b) =>
        natural(a.building, b.building) ||
        natural(a.unit, b.unit) ||
        natural(a.room, b.room) ||
        a.id.localeCompare(b.id),
    );
    const lines: RegistryLine[] = found.map(registryLine);
    const buffer = await exportWorkbook(lines);
    await writeAudit(
      this.db,
      ctx,
      {
        action: 'residents.exported',
        entityType: 'community',
        entityId: community.id,
        communityId: community.id,
        changes: changesOf(null, {
          rows: lines.length,
          format: 'xlsx',
          phones: `full (role ${ctx.principal.roles.join(',')} may see full numbers)`,
        }),
      },
      this.clock.now(),
    );
    const date = this.clock.now().toISOString().slice(0, 10);
    return { buffer, fileName: `${community.name}-住户-${date}.xlsx` };
  }

  // ------------------------------------------------------------------ views

  private message(locale: Locale, issue: Issue): string {
    const params: Record<string, string | number> = { ...issue.params };
    if (typeof params.field === 'string' && (IMPORT_FIELDS as readonly string[]).includes(params.field))
      params.field = t(locale, `import.field.${params.field as ImportField}`);
    return t(locale, issue.key, params);
  }

  private issueView(locale: Locale, issue: Issue) {
    return {
      row: issue.row,
      column: issue.column,
      columnLetter: issue.column === null ? null : columnLetter(issue.column),
      field: issue.field,
      level: issue.level,
      code: issue.key.replace(/^import\./, ''),
      message: this.message(locale, issue),
    };
  }

  private view(job: ImportJobRow, locale: Locale) {
    const summary: Summary = JSON.parse(job.summary);
    const columns: ColumnMapping[] = JSON.parse(job.columns);
    const now = this.clock.now().toISOString();
    return {
      id: job.id,
      communityId: job.community_id,
      fileName: job.file_name,
      format: job.format as 'xlsx' | 'csv',
      encoding: job.encoding,
      status: job.status as ImportStatus,
      revision: job.revision,
      createMissing: job.create_missing === 1,
      headerRow: job.header_row === null ? null : job.header_row + 1,
      columns: columns.map((c) => ({
        index: c.index,
        letter: columnLetter(c.index),
        header: c.header,
        field: c.field,
        suggested: c.suggested,
      })),
      counts: summary.counts,
      places: summary.places,
      issues: summary.firstIssues.map((i) => this.issueView(locale, i)),
      issuesTotal: summary.issuesTotal,
      issueSummary: summary.byKey.map((s) => ({
        code: s.key.replace(/^import\./, ''),
        level: s.level,
        field: s.field,
        count: s.count,
      })),
      progress: {
        total: job.total_rows,
        processed: job.processed_rows,
        created: job.created_count,
        skipped: job.skipped_count,
        percent: job.total_rows ? Math.floor((job.processed_rows / job.total_rows) * 100) : 0,
      },
      createdPlaces: { buildings: job.created_buildings, units: job.created_units, rooms: job.created_rooms },
      error: job.error ? t(locale, job.error as MessageKey) : null,
      stalled: job.status === 'importing' && job.lease_until !== null && job.lease_until < now,
      createdAt: job.created_at,
      updatedAt: job.updated_at,
      startedAt: job.started_at,
      finishedAt: job.finished_at,
    };
  }
}

export type ImportJobView = ReturnType<ImportsService['view']>;

function summaryOf(analysis: Analysis): Summary {
  const byKey = new Map<string, Summary['byKey'][number]>();
  for (const issue of analysis.issues) {
    const id = `${issue.key}|${issue.level}|${issue.field ?? ''}`;
    const entry = byKey.get(id) ?? { key: issue.key, level: issue.level, field: issue.field, count: 0 };
    entry.count++;
    byKey.set(id, entry);
  }
  return {
    counts: analysis.counts,
    places: analysis.places,
    blocked: analysis.blocked,
    issuesTotal: analysis.issues.length,
    byKey: [...byKey.values()],
    firstIssues: analysis.issues.slice(0, VIEW_ISSUES),
  };
}

function mappingOf(columns: ColumnMapping[]) {
  return Object.fromEntries(columns.map((c) => [columnLetter(c.index), c.field]));
}

function created_(
  id: string,
  entityType: string,
  communityId: string,
  row: Record<string, unknown>,
): AuditEntry {
  return {
    action: `${entityType}.created`,
    entityType,
    entityId: id,
    communityId,
    changes: changesOf(null, row),
  };
}

function baseName(fileName: string) {
  return fileName.replace(/\.[^.]+$/, '') || 'import';
}

/** Ids of the community's places by the keys the dry run uses, growing as the commit creates them. */
class PlaceCache {
  private readonly buildings = new Map<string, string>();
  private readonly units = new Map<string, string>();
  private readonly rooms = new Map<string, string>();

  constructor(snapshot: RegistrySnapshot) {
    for (const [key, b] of snapshot.buildings) this.buildings.set(key, b.id);
    for (const [ref, u] of snapshot.units) this.units.set(ref, u.id);
    for (const [ref, r] of snapshot.rooms) this.rooms.set(ref, r.id);
  }

  building(p: ResidentPlan): string | undefined {
    return p.building.id ?? this.buildings.get(p.building.key);
  }

  unit(p: ResidentPlan): string | undefined {
    if (p.unit.id) return p.unit.id;
    const buildingId = this.building(p);
    return buildingId ? this.units.get(`${buildingId}|${p.unit.key}`) : undefined;
  }

  room(p: ResidentPlan): string | undefined {
    if (p.room.id) return p.room.id;
    const unitId = this.unit(p);
    return unitId ? this.rooms.get(`${unitId}|${p.room.number}`) : undefined;
  }

  addBuilding(key: string, id: string) {
    if (!this.buildings.has(key)) this.buildings.set(key, id);
  }

  addUnit(buildingId: string, name: string, id: string) {
    const key = unitKey(name)?.key ?? `n:${name}`;
    if (!this.units.has(`${buildingId}|${key}`)) this.units.set(`${buildingId}|${key}`, id);
  }

  addRoom(unitId: string, number: string, id: string) {
    if (!this.rooms.has(`${unitId}|${number}`)) this.rooms.set(`${unitId}|${number}`, id);
  }
}
