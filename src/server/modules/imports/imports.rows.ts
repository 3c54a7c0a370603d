import { CARE_MARKS, type CareMark } from '../../../domain/names.js';
import { normalizePhone } from '../../../domain/phone.js';
import { buildingDesignator, parseRoomCode, unitDesignator } from '../../../domain/room-code.js';
import type { MessageKey } from '../../platform/i18n/messages.js';
import type { RoomStatus } from '../registry/registry.service.js';
import { MAX_PHONES, type ResidentKind } from '../residents/residents.service.js';
import { type ColumnMapping, type ImportField, missingRequired } from './imports.mapping.js';

/**
 * The dry run: every data row of the sheet checked against the mapping and the community's
 * registry, with what the commit would do to it. Pure: the registry comes in as a snapshot.
 */

export interface Issue {
  /** The sheet's own row number (1 = the first row), or null for the sheet as a whole. */
  row: number | null;
  /** 0-based column index (A = 0), or null for the whole row. */
  column: number | null;
  field: ImportField | null;
  /** error: the row is not imported; note: something the user should know (skipped, ignored). */
  level: 'error' | 'note';
  key: MessageKey;
  params?: Record<string, string | number>;
}

export interface RegistrySnapshot {
  hasBuildings: boolean;
  /** By place key (placeKey()), see buildingKey(). */
  buildings: Map<string, { id: string; name: string }>;
  /** `${buildingId}|${unitKey}` */
  units: Map<string, { id: string; name: string; key: string }>;
  /** `${unitId}|${number}` */
  rooms: Map<string, { id: string; unitId: string }>;
  /** `${buildingId}|${number}`: the rooms of that number in any unit, for codes without a unit. */
  roomsByNumber: Map<string, { id: string; unitId: string }[]>;
  unitsById: Map<string, { key: string; name: string }>;
  /** Resident identities already registered: residentKey(roomId, name, phone). */
  residents: Set<string>;
}

export function emptySnapshot(): RegistrySnapshot {
  return {
    hasBuildings: false,
    buildings: new Map(),
    units: new Map(),
    rooms: new Map(),
    roomsByNumber: new Map(),
    unitsById: new Map(),
    residents: new Set(),
  };
}

/** A building, unit or room: found in the registry (id) or to be created (id null). */
export interface PlaceRef {
  key: string;
  name: string;
  id: string | null;
}

export interface ResidentPlan {
  row: number;
  building: PlaceRef;
  unit: PlaceRef;
  room: { number: string; id: string | null; area: number | null; status: RoomStatus | null };
  name: string;
  phones: string[];
  kind: ResidentKind;
  salutation: 'mr' | 'ms' | null;
  notes: string | null;
  care: CareMark[];
  moveInDate: string | null;
}

export type RowStatus = 'new' | 'existing' | 'invalid';

export interface RowOutcome {
  row: number;
  status: RowStatus;
  plan: ResidentPlan | null;
}

export interface Analysis {
  /** One per non-empty data row, in sheet order. */
  outcomes: RowOutcome[];
  issues: Issue[];
  counts: { rows: number; new: number; existing: number; invalid: number; empty: number };
  /** Places the commit would create. */
  places: { buildings: number; units: number; rooms: number };
  /** The sheet cannot be imported as mapped (no header, a required column missing). */
  blocked: boolean;
}

/**
 * A resident is "the same" when it is in the same community and room, has the same name (spaces
 * and full-width forms aside) and shares a phone number. Re-importing a sheet, or importing the
 * registry's own export, therefore creates nobody twice, while two people of one name in one
 * room (father and son 王伟) with different phones stay two people.
 */
export function residentKey(roomKey: string, name: string, phone: string): string {
  return `${roomKey}|${nameKey(name)}|${phone}`;
}

export function nameKey(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

/** "3", "3栋", "3号楼", "03" → d:3; "B", "B座" → d:B; "综合楼" → n:综合楼. Also the name to create it under. */
export function buildingKey(text: string): { key: string; name: string } | null {
  const t = text.normalize('NFKC').trim();
  if (!t) return null;
  if (/^\d{1,3}$/.test(t)) {
    const d = t.replace(/^0+/, '');
    return d ? { key: `d:${d}`, name: `${d}栋` } : null;
  }
  if (/^[A-Za-z]\d{0,2}$/.test(t)) return { key: `d:${t.toUpperCase()}`, name: `${t.toUpperCase()}座` };
  const d = buildingDesignator(t);
  return { key: d ? `d:${d}` : `n:${t}`, name: t };
}

/** "2", "2单元", "二单元" → d:2; the name to create it under. */
export function unitKey(text: string): { key: string; name: string } | null {
  const t = text.normalize('NFKC').trim();
  if (!t) return null;
  if (/^\d{1,2}$/.test(t)) {
    const d = t.replace(/^0+/, '');
    return d ? { key: `d:${d}`, name: `${d}单元` } : null;
  }
  const d = unitDesignator(t);
  return { key: d ? `d:${d}` : `n:${t}`, name: t };
}

/** Where a sheet says nothing of units ("3-1502", "3栋1502"), rooms go to the building's 1单元. */
const DEFAULT_UNIT = { key: 'd:1', name: '1单元' };

// ---------------------------------------------------------------- cell readers

type Cell<T> =
  | { ok: true; value: T }
  | { ok: false; key: MessageKey; params?: Record<string, string | number> };
const ok = <T>(value: T): Cell<T> => ({ ok: true, value });
const bad = <T>(key: MessageKey, params?: Record<string, string | number>): Cell<T> => ({
  ok: false,
  key,
  ...(params ? { params } : {}),
});

/**
 * One cell, one or more numbers: "138 0013 8000", "13800138000/13900139000",
 * "13800138000、021-62345678", "13800138000（本人）". A number Excel turned into 1.38001E+10 has
 * lost its digits and is refused with a hint.
 */
export function parsePhones(text: string): Cell<string[]> {
  const cleaned = text
    .normalize('NFKC')
    .replace(/\([^)]*\)|【[^】]*】/g, ' ')
    .trim();
  if (!cleaned) return ok([]);
  if (/^\d(\.\d+)?e\+?\d+$/i.test(cleaned)) return bad('import.phoneScientific', { value: text });
  const phones: string[] = [];
  for (const part of cleaned.split(/[/、,;|\n]+/)) {
    const piece = part.trim();
    if (!piece) continue;
    const whole = normalizePhone(piece);
    const found = whole ? [whole] : piece.split(/\s+/).map((p) => normalizePhone(p));
    for (const phone of found) {
      if (!phone) return bad('import.phoneInvalid', { value: piece });
      if (!phones.includes(phone)) phones.push(phone);
    }
  }
  if (phones.length > MAX_PHONES) return bad('import.phoneTooMany', { limit: MAX_PHONES });
  return ok(phones);
}

const KINDS: [ResidentKind, string[]][] = [
  ['owner', ['业主', '户主', '产权人', '房主', '本人', '業主', '戶主', 'owner']],
  ['tenant', ['租户', '租客', '承租人', '租住', '租戶', 'tenant']],
  ['family', ['家属', '家庭成员', '家人', '配偶', '子女', '父母', '亲属', '家屬', '家庭成員', 'family']],
];

/** 业主 → owner, 租户/租客 → tenant, 家属/家庭成员 → family; empty means owner. */
export function parseKind(text: string): Cell<ResidentKind> {
  const t = text.normalize('NFKC').trim().toLowerCase();
  if (!t) return ok('owner');
  for (const [kind, words] of KINDS) if (words.includes(t)) return ok(kind);
  return bad('import.kindInvalid', { value: text });
}

/** 男/先生 → mr, 女/女士 → ms; empty means not known. */
export function parseSalutation(text: string): Cell<'mr' | 'ms' | null> {
  const t = text.normalize('NFKC').trim().toLowerCase();
  if (!t) return ok(null);
  if (['男', '先生', '男士', 'm', 'mr', 'male'].includes(t)) return ok('mr');
  if (['女', '女士', '小姐', 'f', 'ms', 'mrs', 'female'].includes(t)) return ok('ms');
  return bad('import.salutationInvalid', { value: text });
}

/** "89.5", "89.5㎡", "89.5平方米", "89.5 m2" → 89.5. */
export function parseArea(text: string): Cell<number | null> {
  const t = text
    .normalize('NFKC')
    .replace(/(平方米|平米|平|m2|m²|sqm)$/i, '')
    .trim();
  if (!t) return ok(null);
  if (!/^\d+(\.\d+)?$/.test(t)) return bad('import.areaInvalid', { value: text });
  const value = Math.round(Number(t) * 100) / 100;
  if (value <= 0 || value >= 100_000) return bad('import.areaInvalid', { value: text });
  return ok(value);
}

const STATUSES: [RoomStatus, string[]][] = [
  ['occupied', ['已入住', '入住', '自住', '出租', '在住', '已交付', 'occupied']],
  ['vacant', ['空置', '空房', '未入住', '闲置', '空置中', '閒置', 'vacant']],
  ['renovating', ['装修中', '装修', '在装修', '裝修中', '裝修', 'renovating']],
];

/** 已入住 → occupied, 空置 → vacant, 装修中 → renovating. */
export function parseRoomStatus(text: string): Cell<RoomStatus | null> {
  const t = text.normalize('NFKC').trim().toLowerCase();
  if (!t) return ok(null);
  for (const [status, words] of STATUSES) if (words.includes(t)) return ok(status);
  return bad('import.roomStatusInvalid', { value: text });
}

/** 2020-05-01, 2020/5/1, 2020.5.1, 2020年5月1日, 20200501, or an Excel day number → "2020-05-01". */
export function parseDate(text: string): Cell<string | null> {
  const t = text.normalize('NFKC').trim();
  if (!t) return ok(null);
  let y: number;
  let m: number;
  let d: number;
  const parts =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(\s+\d{1,2}:\d{2}(:\d{2})?)?$/.exec(t);
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (parts) [y, m, d] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  else if (compact) [y, m, d] = [Number(compact[1]), Number(compact[2]), Number(compact[3])];
  else if (/^\d{5}$/.test(t) && Number(t) > 20_000 && Number(t) < 80_000) {
    // a date cell that lost its format: days since 1899-12-30 (Excel's day 0, leap-year bug included)
    const date = new Date(Date.UTC(1899, 11, 30) + Number(t) * 86_400_000);
    return ok(date.toISOString().slice(0, 10));
  } else return bad('import.dateInvalid', { value: text });
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || y > 2100 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return bad('import.dateInvalid', { value: text });
  return ok(date.toISOString().slice(0, 10));
}

const CARE_WORDS: [CareMark, string[]][] = [
  ['living_alone', ['独居', '空巢', '獨居', 'living_alone']],
  ['elderly', ['老人', '高龄', '老年', '长者', '高齡', '長者', 'elderly']],
  ['disabled', ['残疾', '残障', '行动不便', '轮椅', '殘疾', '行動不便', 'disabled']],
  ['ill', ['患病', '重病', '慢性病', '卧床', '病人', '臥床', 'ill']],
  ['pregnant', ['孕妇', '怀孕', '孕婦', '懷孕', 'pregnant']],
  ['child', ['儿童', '留守', '婴儿', '幼儿', '兒童', '嬰兒', 'child']],
];

/** "独居老人" → living_alone + elderly; "残疾、独居" → disabled + living_alone; 否/无 → none (R5). */
export function parseCare(text: string): Cell<CareMark[]> {
  const t = text.normalize('NFKC').trim().toLowerCase();
  if (!t || ['否', '无', '無', '-', '—', 'no', 'none', '/'].includes(t)) return ok([]);
  const marks = new Set<CareMark>();
  for (const token of t.split(/[、,;/\s]+/).filter(Boolean)) {
    const found = CARE_WORDS.filter(([, words]) => words.some((w) => token.includes(w)));
    if (found.length === 0) return bad('import.careInvalid', { value: text });
    for (const [mark] of found) marks.add(mark);
  }
  return ok(CARE_MARKS.filter((m) => marks.has(m)));
}

// ---------------------------------------------------------------- the dry run

const NAME_MAX = 50;
const NOTES_MAX = 500;

interface Context {
  snapshot: RegistrySnapshot;
  createMissing: boolean;
  plannedBuildings: Set<string>;
  plannedUnits: Set<string>;
  plannedRooms: Set<string>;
}

export function analyze(
  rows: string[][],
  headerRow: number | null,
  columns: ColumnMapping[],
  snapshot: RegistrySnapshot,
  options: { createMissing: boolean },
): Analysis {
  const issues: Issue[] = [];
  const counts = { rows: 0, new: 0, existing: 0, invalid: 0, empty: 0 };
  const outcomes: RowOutcome[] = [];
  const result = (blocked: boolean, places = { buildings: 0, units: 0, rooms: 0 }): Analysis => ({
    outcomes,
    issues,
    counts,
    places,
    blocked,
  });

  if (headerRow === null) {
    issues.push({ row: null, column: null, field: null, level: 'error', key: 'import.noHeader' });
    return result(true);
  }
  const header = rows[headerRow] ?? [];
  const width = rows.slice(headerRow + 1).reduce((w, r) => Math.max(w, r.length), header.length);
  for (const c of columns) {
    if (c.field !== null) continue;
    const hasData = rows.slice(headerRow + 1).some((r) => (r[c.index] ?? '') !== '');
    if (c.header) {
      const key =
        c.suggested && columns.some((o) => o.field === c.suggested)
          ? 'import.columnDuplicate'
          : 'import.columnIgnored';
      issues.push({
        row: null,
        column: c.index,
        field: null,
        level: 'note',
        key,
        params: { header: c.header },
      });
    } else if (hasData) {
      issues.push({ row: null, column: c.index, field: null, level: 'note', key: 'import.columnUnnamed' });
    }
  }
  for (let index = columns.length; index < width; index++) {
    issues.push({ row: null, column: index, field: null, level: 'note', key: 'import.columnUnnamed' });
  }
  const missing = missingRequired(columns);
  for (const field of missing) {
    issues.push({
      row: null,
      column: null,
      field,
      level: 'error',
      key: 'import.missingColumn',
      params: { field },
    });
  }
  if (missing.length) return result(true);

  const byField = new Map<ImportField, number[]>();
  for (const c of columns) if (c.field) byField.set(c.field, [...(byField.get(c.field) ?? []), c.index]);

  const ctx: Context = {
    snapshot,
    createMissing: options.createMissing,
    plannedBuildings: new Set(),
    plannedUnits: new Set(),
    plannedRooms: new Set(),
  };
  /** Identities seen earlier in the file → the row they were first seen on. */
  const seen = new Map<string, number>();
  let pendingEmpty: number[] = [];

  for (let i = headerRow + 1; i < rows.length; i++) {
    const cells = rows[i] ?? [];
    const rowNumber = i + 1;
    if (cells.every((c) => c === '')) {
      pendingEmpty.push(rowNumber);
      continue;
    }
    // blank rows between data are worth a note; blank rows at the end are not rows at all
    for (const empty of pendingEmpty) {
      issues.push({ row: empty, column: null, field: null, level: 'note', key: 'import.emptyRow' });
      counts.empty++;
    }
    pendingEmpty = [];
    counts.rows++;
    const rowIssues: Issue[] = [];
    const plan = planRow(cells, rowNumber, byField, ctx, rowIssues);
    let status: RowStatus = 'invalid';
    if (plan) {
      const roomKey = `${plan.building.key}|${plan.unit.key}|${plan.room.number}`;
      const firstSeen = plan.phones.map((p) => seen.get(residentKey(roomKey, plan.name, p))).find((r) => r);
      if (firstSeen !== undefined) {
        rowIssues.push({
          row: rowNumber,
          column: null,
          field: null,
          level: 'error',
          key: 'import.duplicateInFile',
          params: { row: firstSeen },
        });
      } else {
        for (const p of plan.phones) seen.set(residentKey(roomKey, plan.name, p), rowNumber);
        const known =
          plan.room.id !== null &&
          plan.phones.some((p) => snapshot.residents.has(residentKey(plan.room.id!, plan.name, p)));
        if (known) {
          status = 'existing';
          rowIssues.push({
            row: rowNumber,
            column: null,
            field: null,
            level: 'note',
            key: 'import.existing',
          });
        } else {
          status = 'new';
          notePlaces(plan, ctx);
        }
      }
    }
    counts[status]++;
    issues.push(...rowIssues);
    outcomes.push({ row: rowNumber, status, plan: status === 'invalid' ? null : plan });
  }
  return result(false, {
    buildings: ctx.plannedBuildings.size,
    units: ctx.plannedUnits.size,
    rooms: ctx.plannedRooms.size,
  });
}

function notePlaces(plan: ResidentPlan, ctx: Context) {
  if (plan.building.id === null) ctx.plannedBuildings.add(plan.building.key);
  if (plan.unit.id === null) ctx.plannedUnits.add(`${plan.building.key}|${plan.unit.key}`);
  if (plan.room.id === null)
    ctx.plannedRooms.add(`${plan.building.key}|${plan.unit.key}|${plan.room.number}`);
}

/** One row → its resident and place, or null with the reasons in `issues`. */
function planRow(
  cells: string[],
  row: number,
  byField: Map<ImportField, number[]>,
  ctx: Context,
  issues: Issue[],
): ResidentPlan | null {
  const cellOf = (field: ImportField) => {
    const index = byField.get(field)?.[0];
    return index === undefined ? { index: null, text: '' } : { index, text: cells[index] ?? '' };
  };
  const fail = (
    field: ImportField,
    column: number | null,
    key: MessageKey,
    params?: Record<string, string | number>,
  ) => issues.push({ row, column, field, level: 'error', key, ...(params ? { params } : {}) });
  const read = <T>(field: ImportField, parse: (text: string) => Cell<T>, fallback: T): T => {
    const { index, text } = cellOf(field);
    if (index === null) return fallback;
    const parsed = parse(text);
    if (parsed.ok) return parsed.value;
    fail(field, index, parsed.key, parsed.params);
    return fallback;
  };

  const nameCell = cellOf('name');
  const name = nameCell.text.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (!name) fail('name', nameCell.index, 'import.nameMissing');
  else if (name.length > NAME_MAX) fail('name', nameCell.index, 'import.tooLong', { limit: NAME_MAX });

  const phoneColumns = byField.get('phone') ?? [];
  const phones: string[] = [];
  for (const index of phoneColumns) {
    const parsed = parsePhones(cells[index] ?? '');
    if (!parsed.ok) fail('phone', index, parsed.key, parsed.params);
    else for (const p of parsed.value) if (!phones.includes(p)) phones.push(p);
  }
  if (phones.length === 0 && !issues.some((i) => i.field === 'phone'))
    fail('phone', phoneColumns[0] ?? null, 'import.phoneMissing');
  if (phones.length > MAX_PHONES)
    fail('phone', phoneColumns[0] ?? null, 'import.phoneTooMany', { limit: MAX_PHONES });

  const kind = read('kind', parseKind, 'owner' as ResidentKind);
  const salutation = read('salutation', parseSalutation, null);
  const area = read('area', parseArea, null);
  const status = read('roomStatus', parseRoomStatus, null);
  const moveInDate = read('moveInDate', parseDate, null);
  const care = read('care', parseCare, [] as CareMark[]);
  const notes = (byField.get('notes') ?? [])
    .map((index) => cells[index] ?? '')
    .filter(Boolean)
    .join('；');
  if (notes.length > NOTES_MAX)
    fail('notes', byField.get('notes')![0]!, 'import.tooLong', { limit: NOTES_MAX });

  const place = placeOf(cells, row, byField, ctx, issues);
  if (issues.length > 0 || !place) return null;
  return {
    row,
    ...place,
    room: { ...place.room, area, status },
    name,
    phones,
    kind,
    salutation,
    notes: notes || null,
    care,
    moveInDate,
  };
}

function placeOf(
  cells: string[],
  row: number,
  byField: Map<ImportField, number[]>,
  ctx: Context,
  issues: Issue[],
): { building: PlaceRef; unit: PlaceRef; room: { number: string; id: string | null } } | null {
  const at = (field: ImportField) => {
    const index = byField.get(field)?.[0];
    return index === undefined ? null : { index, text: cells[index] ?? '' };
  };
  const fail = (
    field: ImportField,
    column: number | null,
    key: MessageKey,
    params?: Record<string, string | number>,
  ) => {
    issues.push({ row, column, field, level: 'error', key, ...(params ? { params } : {}) });
    return null;
  };
  const roomCell = at('room');
  const codeCell = at('roomCode');
  const buildingCell = at('building');
  const unitCell = at('unit');

  // the room: its own column (which may hold a whole code), else the combined 房屋 column
  const source = roomCell?.text
    ? { field: 'room' as const, ...roomCell }
    : codeCell?.text
      ? { field: 'roomCode' as const, ...codeCell }
      : null;
  if (!source)
    return fail(roomCell ? 'room' : 'roomCode', (roomCell ?? codeCell)?.index ?? null, 'import.roomMissing');
  const code = parseRoomCode(source.text);
  if (!code) return fail(source.field, source.index, 'import.roomInvalid', { value: source.text });

  let building: { key: string; name: string } | null = null;
  if (buildingCell?.text) {
    building = buildingKey(buildingCell.text);
    if (!building)
      return fail('building', buildingCell.index, 'import.buildingInvalid', { value: buildingCell.text });
  } else if (code.building) {
    building = buildingKey(code.building);
  }
  if (!building) return fail('building', buildingCell?.index ?? source.index, 'import.buildingMissing');

  let unit: { key: string; name: string } | null = null;
  if (unitCell?.text) {
    unit = unitKey(unitCell.text);
    if (!unit) return fail('unit', unitCell.index, 'import.unitInvalid', { value: unitCell.text });
  } else if (code.unit) {
    unit = unitKey(code.unit);
  }

  const { snapshot } = ctx;
  const placeColumn = buildingCell?.text ? { field: 'building' as const, index: buildingCell.index } : source;
  const label = [building.name, unit?.name ?? '', code.room].join('');
  const existingBuilding = snapshot.buildings.get(building.key);
  if (!existingBuilding && !ctx.createMissing) {
    return fail(placeColumn.field, placeColumn.index, 'import.buildingUnknown', { value: building.name });
  }
  const buildingRef: PlaceRef = {
    ...building,
    id: existingBuilding?.id ?? null,
    name: existingBuilding?.name ?? building.name,
  };

  if (!unit) {
    // no unit written: the room of that number in the building, if there is exactly one
    const candidates = existingBuilding
      ? (snapshot.roomsByNumber.get(`${existingBuilding.id}|${code.room}`) ?? [])
      : [];
    if (candidates.length > 1)
      return fail(source.field, source.index, 'import.roomAmbiguous', { value: label });
    const only = candidates[0];
    if (only) {
      const u = snapshot.unitsById.get(only.unitId)!;
      return {
        building: buildingRef,
        unit: { key: u.key, name: u.name, id: only.unitId },
        room: { number: code.room, id: only.id },
      };
    }
    unit = DEFAULT_UNIT;
  }
  const existingUnit = existingBuilding
    ? snapshot.units.get(`${existingBuilding.id}|${unit.key}`)
    : undefined;
  const existingRoom = existingUnit ? snapshot.rooms.get(`${existingUnit.id}|${code.room}`) : undefined;
  if (!existingRoom && !ctx.createMissing) {
    return fail(source.field, source.index, 'import.roomUnknown', { value: label });
  }
  return {
    building: buildingRef,
    unit: { ...unit, id: existingUnit?.id ?? null, name: existingUnit?.name ?? unit.name },
    room: { number: code.room, id: existingRoom?.id ?? null },
  };
}
