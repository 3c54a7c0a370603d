/**
 * Which row of a company's sheet holds the column names, and which of our fields each column is,
 * judged by the names property companies actually use ("楼号", "房间号", "业主姓名", "联系方式" …).
 * Pure functions: no I/O.
 */
export const IMPORT_FIELDS = [
  'building',
  'unit',
  'room',
  'roomCode',
  'name',
  'phone',
  'kind',
  'salutation',
  'area',
  'roomStatus',
  'moveInDate',
  'notes',
  'care',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Fields several columns may feed: phones ("手机", "固话") and notes are joined. */
export const MULTI_COLUMN_FIELDS: ReadonlySet<ImportField> = new Set(['phone', 'notes']);

/**
 * Column names per field, written as normalizeHeader() leaves them. Simplified and Traditional,
 * and the English a few companies use. Order matters only between fields: more specific first.
 */
const SYNONYMS: [ImportField, string[]][] = [
  ['roomStatus', ['房屋状态', '状态', '入住状态', '房态', '房屋狀態', '狀態', 'status', 'roomstatus']],
  ['moveInDate', ['入住日期', '入住时间', '入伙日期', '交房日期', '入住時間', 'moveindate']],
  [
    'building',
    [
      '楼栋',
      '楼号',
      '栋号',
      '楼栋号',
      '栋',
      '楼宇',
      '幢号',
      '幢',
      '楼座',
      '座',
      '樓棟',
      '樓號',
      '棟號',
      'building',
    ],
  ],
  ['unit', ['单元', '单元号', '單元', '單元號', 'unit']],
  [
    'room',
    [
      '房号',
      '房间号',
      '门牌号',
      '室号',
      '房间',
      '房号室',
      '房號',
      '房間號',
      '門牌號',
      'room',
      'roomno',
      'roomnumber',
    ],
  ],
  [
    'roomCode',
    [
      '房屋',
      '房屋编号',
      '房屋编码',
      '房屋号',
      '房产',
      '房产编号',
      '地址',
      '房屋地址',
      '住址',
      '房屋編號',
      '房屋地址',
      'address',
    ],
  ],
  [
    'name',
    [
      '业主姓名',
      '姓名',
      '住户姓名',
      '客户名称',
      '客户姓名',
      '业主名称',
      '业主',
      '住户',
      '名字',
      '联系人',
      '業主姓名',
      '住戶姓名',
      '客戶名稱',
      'name',
    ],
  ],
  [
    'phone',
    [
      '手机号码',
      '联系电话',
      '电话',
      '手机',
      '联系方式',
      '手机号',
      '电话号码',
      '移动电话',
      '固定电话',
      '手機號碼',
      '聯繫電話',
      '聯絡電話',
      '電話',
      '手機',
      'phone',
      'mobile',
      'tel',
    ],
  ],
  [
    'kind',
    [
      '身份',
      '类型',
      '住户类型',
      '关系',
      '与业主关系',
      '住户身份',
      '类别',
      '身分',
      '類型',
      '住戶類型',
      '關係',
      'kind',
      'type',
    ],
  ],
  ['salutation', ['性别', '称呼', '性別', '稱呼', 'gender', 'salutation']],
  ['area', ['面积', '建筑面积', '房屋面积', '套内面积', '面積', '建築面積', 'area']],
  ['notes', ['备注', '说明', '備註', '說明', 'notes', 'remark', 'remarks']],
  ['care', ['关怀', '特殊关怀', '关怀标记', '特殊人群', '关怀对象', '關懷', '特殊關懷', 'care']],
];

const EXACT = new Map<string, ImportField>();
for (const [field, names] of SYNONYMS) for (const n of names) if (!EXACT.has(n)) EXACT.set(n, field);
/** Longest first, so "联系电话" wins over "电话" inside "业主联系电话". */
const CONTAINED = [...EXACT.entries()]
  .filter(([n]) => /\p{Script=Han}/u.test(n) && n.length >= 2)
  .sort((a, b) => b[0].length - a[0].length);
/**
 * Columns a registry sheet often has that contain one of our names but are none of our fields:
 * 身份证号 is not 身份, 紧急联系人电话 is not the resident's phone, 房屋类型 (住宅/商铺) is not 类型.
 */
const NOT_OURS = [
  '身份证',
  '证件',
  '序号',
  '车位',
  '车牌',
  '紧急',
  '邮箱',
  '微信',
  '房屋类型',
  '户型',
  '楼层',
  '费',
  '产权',
  '身份證',
  '證件',
];

/** "＊联系电话（必填）：" → "联系电话"; "面积(㎡)" → "面积"; "Phone No." → "phoneno". */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKC')
    .replace(/\([^)]*\)|\[[^\]]*]|【[^】]*】/g, '')
    .replace(/[\s*:：.。_\-/]/g, '')
    .toLowerCase();
}

/** The field a column name means, or null when it means none of ours. */
export function recognizeHeader(header: string): ImportField | null {
  const name = normalizeHeader(header);
  if (!name) return null;
  const exact = EXACT.get(name);
  if (exact) return exact;
  // "业主联系电话", "房屋面积㎡": a known name inside a short header (a long one is a title, not a header)
  if (name.length > 8 || NOT_OURS.some((n) => name.includes(n))) return null;
  // Chinese compounds end in what they are ("联系人电话" is a phone): a known ending first
  for (const [known, field] of CONTAINED) if (name.endsWith(known)) return field;
  for (const [known, field] of CONTAINED) if (name.includes(known)) return field;
  return null;
}

/** How many different fields a row's cells name: the header row names the most. */
function headerScore(row: string[]): number {
  const fields = new Set<ImportField>();
  for (const cell of row) {
    const field = recognizeHeader(cell);
    if (field) fields.add(field);
  }
  return fields.size;
}

/** Rows of title, notes and blank lines a sheet may start with before its header. */
export const HEADER_SEARCH_ROWS = 30;

/**
 * The index of the header row: within the first rows, the one naming the most of our fields (at
 * least two, e.g. 姓名 and 电话), the earliest on a tie. Null when no row looks like a header.
 */
export function detectHeaderRow(rows: string[][]): number | null {
  let best: number | null = null;
  let bestScore = 1;
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH_ROWS); i++) {
    const score = headerScore(rows[i] ?? []);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}

export interface ColumnMapping {
  index: number;
  /** The column's name in the sheet ('' when it has none). */
  header: string;
  /** Our field, or null: the column is ignored. */
  field: ImportField | null;
  /** What the server proposed from the name, kept when the user corrects the mapping. */
  suggested: ImportField | null;
}

/**
 * The proposed mapping: each named column to the field its name means. A second column for a
 * single-column field is ignored (the first one wins); phones and notes may come from several.
 * `width` covers data cells beyond the last named column, so they can be reported as ignored.
 */
export function suggestMapping(headers: string[], width = headers.length): ColumnMapping[] {
  const taken = new Set<ImportField>();
  const out: ColumnMapping[] = [];
  for (let index = 0; index < Math.max(width, headers.length); index++) {
    const header = headers[index] ?? '';
    const suggested = recognizeHeader(header);
    let field = suggested;
    if (field && taken.has(field) && !MULTI_COLUMN_FIELDS.has(field)) field = null;
    if (field) taken.add(field);
    out.push({ index, header, field, suggested });
  }
  return out;
}

/** The required fields the mapping leaves out: a room (房号 or a whole 房屋 code), a name and a phone. */
export function missingRequired(columns: ColumnMapping[]): ImportField[] {
  const mapped = new Set(columns.map((c) => c.field).filter((f): f is ImportField => f !== null));
  const missing: ImportField[] = [];
  if (!mapped.has('room') && !mapped.has('roomCode')) missing.push('room');
  if (!mapped.has('name')) missing.push('name');
  if (!mapped.has('phone')) missing.push('phone');
  return missing;
}
