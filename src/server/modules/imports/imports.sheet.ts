import type ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { loadExcelJS } from '../../platform/heavy-modules.js';
import type { MessageKey } from '../../platform/i18n/messages.js';

/**
 * Reading the sheet a property company already has: .xlsx from any writer (Excel, WPS,
 * LibreOffice, ExcelJS) or CSV as Chinese Excel saves it (GBK/GB18030 "CSV (逗号分隔)", UTF-8 with
 * a BOM "CSV UTF-8", UTF-16 "Unicode 文本"). The result is a plain grid of trimmed text, one
 * array per sheet row at its own position (row 1 is index 0), merged cells filled with their value.
 */
export interface Sheet {
  format: 'xlsx' | 'csv';
  /** CSV only: the encoding it was read in. */
  encoding: string | null;
  rows: string[][];
}

/** A file we cannot read as a sheet; `key` says why, in the user's language. */
export class SheetError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: Record<string, string | number> = {},
  ) {
    super(key);
    this.name = 'SheetError';
  }
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** More rows than this is not a community's registry; refusing early bounds memory and time. */
export const MAX_SHEET_ROWS = 200_000;
/** Columns beyond this are never part of a registry (and a stray far-right cell must not make rows huge). */
export const MAX_SHEET_COLUMNS = 100;

const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

export async function readSheet(bytes: Buffer): Promise<Sheet> {
  if (bytes.length === 0) throw new SheetError('import.fileEmpty');
  if (bytes.subarray(0, 4).equals(ZIP_SIGNATURE)) {
    return { format: 'xlsx', encoding: null, rows: trimRows(await readXlsx(bytes)) };
  }
  // the binary .xls of Excel 97–2003: ask for .xlsx rather than guess
  if (bytes.subarray(0, 4).equals(OLE_SIGNATURE)) throw new SheetError('import.xlsUnsupported');
  const { text, encoding } = decodeText(bytes);
  return { format: 'csv', encoding, rows: trimRows(parseCsv(text)) };
}

/**
 * Text as Chinese Windows writes it: a BOM says UTF-8 or UTF-16; otherwise valid UTF-8 is UTF-8,
 * and anything else is read as GB18030 (a superset of GBK and GB2312, Excel's "ANSI" on zh-CN).
 */
export function decodeText(bytes: Buffer): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: iconv.decode(bytes.subarray(2), 'utf16le'), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: iconv.decode(bytes.subarray(2), 'utf16be'), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    const text = iconv.decode(bytes, 'gb18030');
    // binary that is neither: NUL and other control characters never appear in a real sheet
    if (hasControlCharacters(text.slice(0, 4096))) throw new SheetError('import.unreadable');
    return { text, encoding: 'gb18030' };
  }
}

function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return true;
  }
  return false;
}

/**
 * RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF), with the
 * delimiter guessed from the first lines: comma, Chinese full-width comma, semicolon or tab.
 * Excel's `="0302"` (text kept as written) is unwrapped.
 */
export function parseCsv(text: string): string[][] {
  const delimiter = guessDelimiter(text);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += ch;
      }
      continue;
    }
    if (ch === '"' && (field === '' || field === '=')) {
      quoted = true;
      wasQuoted = true;
      if (field === '=') field = '';
    } else if (ch === delimiter) {
      row.push(wasQuoted ? field : field.trim());
      field = '';
      wasQuoted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(wasQuoted ? field : field.trim());
      rows.push(row);
      if (rows.length > MAX_SHEET_ROWS + 100)
        throw new SheetError('import.tooManyRows', { limit: MAX_SHEET_ROWS });
      row = [];
      field = '';
      wasQuoted = false;
    } else {
      field += ch;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(wasQuoted ? field : field.trim());
    rows.push(row);
  }
  return rows;
}

function guessDelimiter(text: string): string {
  const head = text.slice(0, 8192).split(/\r?\n/).slice(0, 20).join('\n');
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', '\t', ';', '，']) {
    const count = head.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/** Cells trimmed, trailing blank cells and trailing blank rows dropped. */
function trimRows(rows: string[][]): string[][] {
  const out = rows.map((row) => {
    const cells = row.slice(0, MAX_SHEET_COLUMNS).map((c) => c.replace(/^[\s\u3000]+|[\s\u3000]+$/g, ''));
    let end = cells.length;
    while (end > 0 && cells[end - 1] === '') end--;
    return cells.slice(0, end);
  });
  let last = out.length;
  while (last > 0 && out[last - 1]!.length === 0) last--;
  const trimmed = out.slice(0, last);
  if (trimmed.length === 0) throw new SheetError('import.fileEmpty');
  return trimmed;
}

/**
 * Uncompressed XML a sheet of MAX_SHEET_ROWS rows stays well within; a larger one is refused
 * before it is loaded, so no upload can make the server build a workbook that does not fit.
 */
const MAX_SHEET_XML_BYTES = 160 * 1024 * 1024;

/**
 * The first worksheet of an .xlsx. ExcelJS's whole-workbook reader, not its streaming one: the
 * streaming reader decodes each inflated chunk as UTF-8 on its own and garbles any Chinese
 * character split between two chunks (业主 → 业��), which a 100,000-row sheet always has.
 * Merged cells read their range's value (a title, a header group, a 楼栋 spanning its rows).
 */
async function readXlsx(bytes: Buffer): Promise<string[][]> {
  const sizes = zipEntrySizes(bytes);
  if (!sizes) throw new SheetError('import.unreadable');
  let total = 0;
  for (const [name, size] of sizes) {
    total += size;
    if (/^xl\/worksheets\/sheet\d+\.xml$/.test(name) && size > MAX_SHEET_XML_BYTES)
      throw new SheetError('import.tooManyRows', { limit: MAX_SHEET_ROWS });
  }
  // a zip bomb, or a workbook of many sheets and pictures: not a registry
  if (total > 3 * MAX_SHEET_XML_BYTES) throw new SheetError('import.unreadable');
  const { Workbook } = await loadExcelJS();
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    throw new SheetError('import.unreadable');
  }
  // the first sheet is the registry; others (notes, lists of values) are not read
  const worksheet = workbook.worksheets[0];
  if (!worksheet) throw new SheetError('import.unreadable');
  if (worksheet.actualRowCount > MAX_SHEET_ROWS + 100)
    throw new SheetError('import.tooManyRows', { limit: MAX_SHEET_ROWS });
  const rows: string[][] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, number) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      if (col <= MAX_SHEET_COLUMNS) cells[col - 1] = cellText(cell.value);
    });
    rows[number - 1] = Array.from(cells, (c) => c ?? '');
  });
  return Array.from(rows, (r) => r ?? []);
}

/** A cell's value as text: numbers without float noise, dates as YYYY-MM-DD, rich text joined. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    return result === undefined || typeof result === 'object'
      ? cellText((result ?? null) as ExcelJS.CellValue)
      : cellText(result as ExcelJS.CellValue);
  }
  if ('text' in value && typeof value.text === 'string') return value.text; // hyperlink
  if ('error' in value) return '';
  return '';
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? n.toFixed(0) : String(n);
  return String(Number(n.toPrecision(15)));
}

/** "A" → 0, "Z" → 25, "AA" → 26. */
export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** 0 → "A", 26 → "AA": how Excel names a column. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Each file in a zip and its uncompressed size, from the central directory; null if it is not a zip. */
function zipEntrySizes(zip: Buffer): Map<string, number> | null {
  const min = Math.max(0, zip.length - 65_557);
  let eocd = -1;
  for (let i = zip.length - 22; i >= min; i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const sizes = new Map<string, number>();
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let k = 0; k < entries; k++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== 0x02014b50) return null;
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    // 0xFFFFFFFF: a ZIP64 size, larger than anything we accept
    sizes.set(zip.toString('utf8', p + 46, p + 46 + nameLength), zip.readUInt32LE(p + 24));
    p += 46 + nameLength + extraLength + commentLength;
  }
  return sizes;
}
