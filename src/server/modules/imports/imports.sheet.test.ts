import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { columnIndex, columnLetter, decodeText, parseCsv, readSheet } from './imports.sheet.js';

const CSV = '楼栋,单元,房号,姓名,电话\r\n3,2,1502,王建国,13800138000\r\n';

/** R2: "CSV as Chinese Excel writes it", and .xlsx whoever wrote it. */
describe('reading a sheet', () => {
  it.each([
    ['UTF-8 without BOM', Buffer.from(CSV, 'utf8'), 'utf-8'],
    [
      'UTF-8 with BOM (Excel "CSV UTF-8")',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV)]),
      'utf-8',
    ],
    ['GBK (Excel "CSV (逗号分隔)" on Chinese Windows)', iconv.encode(CSV, 'gbk'), 'gb18030'],
    ['GB18030 with a rare character', iconv.encode(CSV.replace('王建国', '王䶮'), 'gb18030'), 'gb18030'],
    [
      'UTF-16LE (Excel "Unicode 文本")',
      iconv.encode(`\ufeff${CSV.replaceAll(',', '\t')}`, 'utf16le'),
      'utf-16le',
    ],
  ])('CSV in %s', async (_name, bytes, encoding) => {
    const sheet = await readSheet(bytes);
    expect(sheet.format).toBe('csv');
    expect(sheet.encoding).toBe(encoding);
    expect(sheet.rows[0]).toEqual(['楼栋', '单元', '房号', '姓名', '电话']);
    expect(sheet.rows[1]![3]).toMatch(/^王/);
    expect(sheet.rows).toHaveLength(2);
  });

  it('decodes GBK that happens to contain bytes valid in UTF-8 only by accident', () => {
    const { text, encoding } = decodeText(iconv.encode('姓名,电话\n张三,13800138000\n', 'gbk'));
    expect(encoding).toBe('gb18030');
    expect(text).toContain('张三');
  });

  it('parses quoted fields, doubled quotes, line breaks in quotes and Excel\'s ="0302"', () => {
    expect(parseCsv('a,"b, c","say ""hi""","two\nlines",="0302", d \n')).toEqual([
      ['a', 'b, c', 'say "hi"', 'two\nlines', '0302', 'd'],
    ]);
    expect(parseCsv('姓名；电话\n张三；138\n'.replaceAll('；', ';'))).toEqual([
      ['姓名', '电话'],
      ['张三', '138'],
    ]);
  });

  it('refuses what is not a sheet', async () => {
    await expect(readSheet(Buffer.alloc(0))).rejects.toMatchObject({ key: 'import.fileEmpty' });
    await expect(readSheet(Buffer.from('\n\n ,, \n'))).rejects.toMatchObject({ key: 'import.fileEmpty' });
    await expect(readSheet(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0]))).rejects.toMatchObject({
      key: 'import.xlsUnsupported',
    });
    await expect(readSheet(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).rejects.toMatchObject({
      key: 'import.unreadable',
    });
    await expect(readSheet(Buffer.from([0xff, 0x00, 0x01, 0x02, 0x80, 0x00, 0x00]))).rejects.toMatchObject({
      key: 'import.unreadable',
    });
  });

  it('reads .xlsx: merged title and header cells, a 楼栋 merged down its rows, numbers, dates, rich text', async () => {
    const workbook = new ExcelJS.Workbook();
    const ws = workbook.addWorksheet('业主');
    ws.getCell('A1').value = '阳光花园业主信息表';
    ws.mergeCells('A1:G1');
    ws.getCell('A3').value = '房屋信息';
    ws.mergeCells('A3:C3');
    ws.getCell('D3').value = '业主姓名';
    ws.mergeCells('D3:D4');
    ws.getCell('E3').value = '联系电话';
    ws.mergeCells('E3:F3');
    ws.getCell('G3').value = '入住日期';
    ws.mergeCells('G3:G4');
    // cell by cell: assigning row.values would replace the merged cells
    const set = (row: number, values: ExcelJS.CellValue[]) =>
      values.forEach((v, i) => {
        if (v !== undefined) ws.getRow(row).getCell(i + 1).value = v;
      });
    set(4, ['楼栋', '单元', '房号', undefined, '手机', '固话']);
    ws.getCell('A5').value = '3栋';
    ws.mergeCells('A5:A6');
    ws.getRow(5).getCell(2).value = 2;
    ws.getRow(5).getCell(3).value = 1502;
    ws.getRow(5).getCell(4).value = { richText: [{ text: '王' }, { text: '建国', font: { bold: true } }] };
    ws.getRow(5).getCell(5).value = 13800138000;
    ws.getRow(5).getCell(6).value = '021-62345678';
    ws.getRow(5).getCell(7).value = new Date(Date.UTC(2020, 4, 1));
    ws.getCell('G5').numFmt = 'yyyy"年"m"月"d"日"';
    set(6, [undefined, 2, 1503, '李秀英', 13900139000, undefined, undefined, 89.55]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());

    const sheet = await readSheet(bytes);
    expect(sheet.format).toBe('xlsx');
    expect(sheet.rows[0]).toEqual(Array(7).fill('阳光花园业主信息表'));
    expect(sheet.rows[1]).toEqual([]);
    expect(sheet.rows[2]).toEqual([
      '房屋信息',
      '房屋信息',
      '房屋信息',
      '业主姓名',
      '联系电话',
      '联系电话',
      '入住日期',
    ]);
    expect(sheet.rows[3]).toEqual(['楼栋', '单元', '房号', '业主姓名', '手机', '固话', '入住日期']);
    expect(sheet.rows[4]).toEqual([
      '3栋',
      '2',
      '1502',
      '王建国',
      '13800138000',
      '021-62345678',
      '2020-05-01',
    ]);
    expect(sheet.rows[5]).toEqual(['3栋', '2', '1503', '李秀英', '13900139000', '', '', '89.55']);
  });

  it('names columns as Excel does', () => {
    expect([0, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
    expect(['A', 'Z', 'AA', 'AAA'].map(columnIndex)).toEqual([0, 25, 26, 702]);
  });
});
