import { PassThrough } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { CareMark } from '../../../domain/names.js';
import { loadExcelJS } from '../../platform/heavy-modules.js';

/** The workbooks the server writes: the template, the dry-run report and the registry export. */

/** Our column names, in the template's and the export's order; the importer reads them back. */
export const TEMPLATE_HEADERS = [
  '楼栋',
  '单元',
  '房号',
  '姓名',
  '电话',
  '身份',
  '称呼',
  '面积',
  '房屋状态',
  '入住日期',
  '备注',
  '关怀',
] as const;

export type RegistryLine = [
  building: string,
  unit: string,
  room: string,
  name: string,
  phones: string,
  kind: string,
  salutation: string,
  area: number | null,
  status: string,
  moveInDate: string,
  notes: string,
  care: string,
];

const KIND_TEXT: Record<string, string> = { owner: '业主', tenant: '租户', family: '家属' };
const SALUTATION_TEXT: Record<string, string> = { mr: '先生', ms: '女士' };
const STATUS_TEXT: Record<string, string> = { occupied: '已入住', vacant: '空置', renovating: '装修中' };
const CARE_TEXT: Record<CareMark, string> = {
  living_alone: '独居',
  elderly: '高龄',
  disabled: '残疾',
  ill: '患病',
  pregnant: '孕妇',
  child: '儿童',
};

/** A resident as one line of the template's columns, in the words the importer reads back. */
export function registryLine(r: {
  building: string;
  unit: string;
  room: string;
  name: string;
  phones: string[];
  kind: string;
  salutation: string | null;
  area: number | null;
  status: string;
  moveInDate: string | null;
  notes: string | null;
  care: CareMark[];
}): RegistryLine {
  return [
    r.building,
    r.unit,
    r.room,
    r.name,
    r.phones.join('/'),
    KIND_TEXT[r.kind] ?? r.kind,
    r.salutation ? (SALUTATION_TEXT[r.salutation] ?? '') : '',
    r.area,
    STATUS_TEXT[r.status] ?? r.status,
    r.moveInDate ?? '',
    r.notes ?? '',
    r.care.map((c) => CARE_TEXT[c]).join('、'),
  ];
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const BAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const BAD_FONT: Partial<ExcelJS.Font> = { color: { argb: 'FF9C0006' } };
/** Columns kept as text, so Excel shows 13800138000 and 0302 as written, not as 1.38E+10 and 302. */
const TEXT_COLUMNS = new Set([1, 2, 3, 4, 5, 10]);

/** Streams a workbook into memory: rows are written and released one by one. */
async function writeWorkbook(build: (workbook: ExcelJS.stream.xlsx.WorkbookWriter) => Promise<void>) {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const { stream: excelStream } = await loadExcelJS();
  const workbook = new excelStream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'EstateDesk';
  await build(workbook);
  await workbook.commit();
  await finished;
  return Buffer.concat(chunks);
}

function registrySheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, title: string) {
  const sheet = workbook.addWorksheet(title, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = TEMPLATE_HEADERS.map((header, i) => ({
    header,
    width: [8, 8, 8, 12, 26, 8, 8, 8, 10, 12, 24, 14][i],
    ...(TEXT_COLUMNS.has(i + 1) ? { style: { numFmt: '@' } } : {}),
  }));
  const head = sheet.getRow(1);
  head.font = { bold: true };
  head.eachCell((cell) => {
    cell.fill = HEADER_FILL;
  });
  head.commit();
  return sheet;
}

/** Our headers, one example line, and a second sheet that lists the accepted values. */
export function templateWorkbook(): Promise<Buffer> {
  return writeWorkbook(async (workbook) => {
    const sheet = registrySheet(workbook, '住户');
    sheet
      .addRow([
        '3栋',
        '2单元',
        '1502',
        '王建国',
        '13800138000/13900139000',
        '业主',
        '先生',
        89.5,
        '已入住',
        '2020-05-01',
        '晚上六点后方便联系',
        '独居、高龄',
      ])
      .commit();
    sheet.commit();
    const help = workbook.addWorksheet('填写说明');
    help.columns = [
      { header: '列', width: 12 },
      { header: '说明', width: 80 },
    ];
    for (const line of [
      ['楼栋', '必填（或在「房号」写完整房号，如 3-2-1502、3栋2单元1502）：3、3栋、12号楼、B座'],
      ['单元', '选填：2、2单元、二单元；不填时为该楼栋的 1单元'],
      ['房号', '必填：1502、0302、1502A'],
      ['姓名', '必填'],
      ['电话', '必填；多个号码用 / 、 , ; 或空格分隔，最多 5 个'],
      ['身份', '业主、租户（租客）、家属（家庭成员）；不填为业主'],
      ['称呼', '先生（男）、女士（女）'],
      ['面积', '平方米，如 89.5'],
      ['房屋状态', '已入住、空置、装修中'],
      ['入住日期', '2020-05-01、2020/5/1、2020年5月1日'],
      ['关怀', '独居、高龄（老人）、残疾、患病、孕妇、儿童，多个用顿号分隔'],
    ]) {
      help.addRow(line).commit();
    }
    help.commit();
  });
}

/** The registry of a community in the template's columns, so the file imports again as it is. */
export function exportWorkbook(lines: RegistryLine[]): Promise<Buffer> {
  return writeWorkbook(async (workbook) => {
    const sheet = registrySheet(workbook, '住户');
    for (const line of lines) sheet.addRow(line).commit();
    sheet.commit();
  });
}

export interface ReportInput {
  rows: string[][];
  headerRow: number | null;
  /** Row number → messages of its errors and notes. */
  errors: Map<number, string[]>;
  notes: Map<number, string[]>;
  /** `${row}:${column}` of every cell that has an error. */
  badCells: Set<string>;
  /** Messages about the sheet as a whole (missing columns, ignored columns). */
  sheetMessages: string[];
  labels: { errors: string; notes: string; sheet: string; about: string };
}

/**
 * The uploaded sheet as it was, every row at its own row number, with an 错误 column beside each
 * bad row, its bad cells highlighted, and a 说明 column for skipped rows. Fix it and upload it again.
 */
export function reportWorkbook(input: ReportInput): Promise<Buffer> {
  return writeWorkbook(async (workbook) => {
    const sheet = workbook.addWorksheet(input.labels.sheet);
    const width = input.rows.reduce((w, r) => Math.max(w, r.length), 0);
    const errorColumn = width + 1;
    const noteColumn = width + 2;
    sheet.getColumn(errorColumn).width = 40;
    sheet.getColumn(noteColumn).width = 24;
    input.rows.forEach((cells, i) => {
      const number = i + 1;
      const row = sheet.getRow(number);
      cells.forEach((value, x) => {
        if (value === '') return;
        const cell = row.getCell(x + 1);
        cell.value = value;
        if (input.badCells.has(`${number}:${x}`)) {
          cell.fill = BAD_FILL;
          cell.font = BAD_FONT;
        }
      });
      if (i === input.headerRow) {
        row.getCell(errorColumn).value = input.labels.errors;
        row.getCell(noteColumn).value = input.labels.notes;
        row.font = { bold: true };
      }
      const errors = input.errors.get(number);
      if (errors) {
        const cell = row.getCell(errorColumn);
        cell.value = errors.join('；');
        cell.font = BAD_FONT;
      }
      const notes = input.notes.get(number);
      if (notes) row.getCell(noteColumn).value = notes.join('；');
      row.commit();
    });
    sheet.commit();
    if (input.sheetMessages.length) {
      const about = workbook.addWorksheet(input.labels.about);
      about.getColumn(1).width = 80;
      for (const message of input.sheetMessages) about.addRow([message]).commit();
      about.commit();
    }
  });
}
