import { describe, expect, it } from 'vitest';
import { detectHeaderRow, missingRequired, recognizeHeader, suggestMapping } from './imports.mapping.js';

/** R2: a company's own sheet, its own words for the columns. */
describe('column names → our fields', () => {
  it.each([
    ['楼栋', 'building'],
    ['楼号', 'building'],
    ['栋号', 'building'],
    ['单元', 'unit'],
    ['单元号', 'unit'],
    ['房号', 'room'],
    ['房间号', 'room'],
    ['门牌号', 'room'],
    ['室号', 'room'],
    ['房屋', 'roomCode'],
    ['房屋编号', 'roomCode'],
    ['地址', 'roomCode'],
    ['业主姓名', 'name'],
    ['姓名', 'name'],
    ['住户姓名', 'name'],
    ['客户名称', 'name'],
    ['手机号码', 'phone'],
    ['联系电话', 'phone'],
    ['电话', 'phone'],
    ['手机', 'phone'],
    ['联系方式', 'phone'],
    ['身份', 'kind'],
    ['类型', 'kind'],
    ['住户类型', 'kind'],
    ['关系', 'kind'],
    ['性别', 'salutation'],
    ['称呼', 'salutation'],
    ['面积', 'area'],
    ['建筑面积', 'area'],
    ['房屋状态', 'roomStatus'],
    ['状态', 'roomStatus'],
    ['入住日期', 'moveInDate'],
    ['备注', 'notes'],
    ['关怀', 'care'],
    ['特殊关怀', 'care'],
    // as people really write them
    ['＊联系电话（必填）', 'phone'],
    [' 业主 姓名 ', 'name'],
    ['建筑面积(㎡)', 'area'],
    ['业主联系电话', 'phone'],
    ['联系人电话', 'phone'],
    ['房屋当前状态', 'roomStatus'],
    ['聯繫電話', 'phone'],
    ['樓棟', 'building'],
    ['Phone', 'phone'],
  ])('%s → %s', (header, field) => {
    expect(recognizeHeader(header)).toBe(field);
  });

  it.each([
    ['身份证号'],
    ['证件号码'],
    ['紧急联系人电话'],
    ['房屋类型'],
    ['序号'],
    ['车牌号'],
    ['物业费'],
    ['阳光花园业主信息登记表'],
    [''],
  ])('%s is none of ours', (header) => {
    expect(recognizeHeader(header)).toBeNull();
  });

  it('proposes one column per field, several for phones, and keeps unnamed data columns', () => {
    const mapping = suggestMapping(
      ['楼号', '单元', '房号', '姓名', '手机', '固定电话', '姓名', '身份证号'],
      9,
    );
    expect(mapping.map((c) => c.field)).toEqual([
      'building',
      'unit',
      'room',
      'name',
      'phone',
      'phone',
      null,
      null,
      null,
    ]);
    expect(mapping[6]).toMatchObject({ header: '姓名', suggested: 'name', field: null });
    expect(mapping[8]).toMatchObject({ header: '', field: null });
  });

  it('names what a mapping still lacks', () => {
    expect(missingRequired(suggestMapping(['房屋', '姓名', '电话']))).toEqual([]);
    expect(missingRequired(suggestMapping(['楼栋', '单元', '房号', '姓名']))).toEqual(['phone']);
    expect(missingRequired(suggestMapping(['备注']))).toEqual(['room', 'name', 'phone']);
  });
});

describe('finding the header row', () => {
  it('skips a title row and blank rows', () => {
    const rows = [
      ['阳光花园业主信息表', '阳光花园业主信息表', '阳光花园业主信息表'],
      [],
      ['制表日期：2026-11-01'],
      ['楼号', '单元号', '房间号', '业主姓名', '联系方式'],
      ['3', '2', '1502', '王建国', '13800138000'],
    ];
    expect(detectHeaderRow(rows)).toBe(3);
  });

  it('prefers the lower row of a two-level header (a merged group over its columns)', () => {
    const rows = [
      ['房屋信息', '房屋信息', '房屋信息', '业主姓名', '联系电话'],
      ['楼栋', '单元', '房号', '业主姓名', '联系电话'],
      ['3', '2', '1502', '王建国', '13800138000'],
    ];
    expect(detectHeaderRow(rows)).toBe(1);
  });

  it('finds none in a sheet that has no header', () => {
    expect(detectHeaderRow([['3', '2', '1502', '王建国', '13800138000']])).toBeNull();
    expect(detectHeaderRow([['姓名'], ['王建国']])).toBeNull();
  });

  it('does not take a data row that happens to contain a known word', () => {
    const rows = [
      ['房屋', '姓名', '电话', '身份'],
      ['3-2-1502', '王建国', '13800138000', '业主'],
      ['3-2-1503', '备注', '电话', '业主'],
    ];
    expect(detectHeaderRow(rows)).toBe(0);
  });
});
