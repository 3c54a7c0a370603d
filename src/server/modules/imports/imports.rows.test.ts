import { describe, expect, it } from 'vitest';
import { suggestMapping } from './imports.mapping.js';
import {
  analyze,
  buildingKey,
  emptySnapshot,
  parseArea,
  parseCare,
  parseDate,
  parseKind,
  parsePhones,
  parseRoomStatus,
  parseSalutation,
  type RegistrySnapshot,
  residentKey,
  unitKey,
} from './imports.rows.js';

describe('cells as companies fill them (R2)', () => {
  it.each([
    ['13800138000', ['13800138000']],
    ['138 0013 8000', ['13800138000']],
    ['13800138000/13900139000', ['13800138000', '13900139000']],
    ['13800138000、021-62345678', ['13800138000', '02162345678']],
    ['13800138000,13900139000;13700137000', ['13800138000', '13900139000', '13700137000']],
    ['13800138000 13900139000', ['13800138000', '13900139000']],
    ['13800138000（本人）/13900139000(女儿)', ['13800138000', '13900139000']],
    ['１３８００１３８０００', ['13800138000']],
    ['13800138000/13800138000', ['13800138000']],
    ['', []],
  ])('phones %s', (text, phones) => {
    expect(parsePhones(text)).toEqual({ ok: true, value: phones });
  });

  it.each([
    ['1381234', 'import.phoneInvalid'],
    ['13800138000/abc', 'import.phoneInvalid'],
    ['1.38001E+10', 'import.phoneScientific'],
    ['13800138001/13800138002/13800138003/13800138004/13800138005/13800138006', 'import.phoneTooMany'],
  ])('phones %s → %s', (text, key) => {
    expect(parsePhones(text)).toMatchObject({ ok: false, key });
  });

  it('kind, salutation, status, area, date, care', () => {
    expect(['业主', '租客', '租户', '家庭成员', '家属', ''].map((k) => parseKind(k))).toEqual(
      ['owner', 'tenant', 'tenant', 'family', 'family', 'owner'].map((value) => ({ ok: true, value })),
    );
    expect(parseKind('邻居')).toMatchObject({ ok: false, key: 'import.kindInvalid' });
    expect(['男', '先生', '女', '女士', ''].map((s) => parseSalutation(s))).toEqual(
      ['mr', 'mr', 'ms', 'ms', null].map((value) => ({ ok: true, value })),
    );
    expect(parseSalutation('老板')).toMatchObject({ ok: false });
    expect(['已入住', '空置', '装修中'].map((s) => parseRoomStatus(s))).toEqual(
      ['occupied', 'vacant', 'renovating'].map((value) => ({ ok: true, value })),
    );
    expect(parseRoomStatus('拆迁')).toMatchObject({ ok: false, key: 'import.roomStatusInvalid' });
    expect(['89.5', '89.5㎡', '89.5平方米', ' 120 ', ''].map((a) => parseArea(a))).toEqual(
      [89.5, 89.5, 89.5, 120, null].map((value) => ({ ok: true, value })),
    );
    expect(parseArea('八十')).toMatchObject({ ok: false });
    expect(parseArea('0')).toMatchObject({ ok: false });
    expect(
      ['2020-05-01', '2020/5/1', '2020.5.1', '2020年5月1日', '20200501', '43952', '2020-05-01 00:00:00'].map(
        (d) => parseDate(d),
      ),
    ).toEqual(Array(7).fill({ ok: true, value: '2020-05-01' }));
    expect(parseDate('2020-02-30')).toMatchObject({ ok: false, key: 'import.dateInvalid' });
    expect(parseDate('去年')).toMatchObject({ ok: false });
    expect(parseCare('独居老人')).toEqual({ ok: true, value: ['living_alone', 'elderly'] });
    expect(parseCare('残疾、孕妇')).toEqual({ ok: true, value: ['disabled', 'pregnant'] });
    expect(parseCare('否')).toEqual({ ok: true, value: [] });
    expect(parseCare('VIP')).toMatchObject({ ok: false, key: 'import.careInvalid' });
  });

  it('buildings and units however they are written', () => {
    expect(['3', '03', '3栋', '3号楼', '3幢', '三栋'].map((b) => buildingKey(b)?.key)).toEqual(
      Array(6).fill('d:3'),
    );
    expect(buildingKey('3')?.name).toBe('3栋');
    expect(buildingKey('12号楼')?.name).toBe('12号楼');
    expect(buildingKey('b')).toEqual({ key: 'd:B', name: 'B座' });
    expect(buildingKey('综合楼')).toEqual({ key: 'n:综合楼', name: '综合楼' });
    expect(['2', '2单元', '二单元', '02'].map((u) => unitKey(u)?.key)).toEqual(Array(4).fill('d:2'));
    expect(unitKey('2')?.name).toBe('2单元');
  });
});

describe('the dry run', () => {
  /** 3栋 with 2单元 (1502, 1503) and 1单元 (1502), 王建国 in 2单元1502. */
  function registry(): RegistrySnapshot {
    const snap = emptySnapshot();
    snap.hasBuildings = true;
    snap.buildings.set('d:3', { id: 'b3', name: '3栋' });
    snap.units.set('b3|d:2', { id: 'u2', name: '2单元', key: 'd:2' });
    snap.units.set('b3|d:1', { id: 'u1', name: '1单元', key: 'd:1' });
    snap.unitsById.set('u2', { key: 'd:2', name: '2单元' });
    snap.unitsById.set('u1', { key: 'd:1', name: '1单元' });
    for (const [id, unit, number] of [
      ['r1', 'u2', '1502'],
      ['r2', 'u2', '1503'],
      ['r3', 'u1', '1502'],
    ] as const) {
      snap.rooms.set(`${unit}|${number}`, { id, unitId: unit });
      snap.roomsByNumber.set(`b3|${number}`, [
        ...(snap.roomsByNumber.get(`b3|${number}`) ?? []),
        { id, unitId: unit },
      ]);
    }
    snap.residents.add(residentKey('r1', '王建国', '13800138000'));
    return snap;
  }

  const run = (rows: string[][], snap = registry(), createMissing = false) =>
    analyze(rows, 0, suggestMapping(rows[0]!, 10), snap, { createMissing });

  it('finds the room however the code is written, and the resident already registered', () => {
    const result = run([
      ['房屋', '姓名', '电话'],
      ['3-2-1502', '王 建国', '138 0013 8000'],
      ['3栋2单元1503', '李四', '13900139000'],
      ['３－２－１５０３', '李四', '13900139000'],
      ['3-1503', '王五', '13700137000'],
    ]);
    expect(result.outcomes.map((o) => [o.row, o.status])).toEqual([
      [2, 'existing'],
      [3, 'new'],
      [4, 'invalid'],
      [5, 'new'],
    ]);
    expect(result.outcomes[1]!.plan!.room.id).toBe('r2');
    // "3-1503": no unit written, and only one 1503 in 3栋
    expect(result.outcomes[3]!.plan!.room.id).toBe('r2');
    expect(result.issues.find((i) => i.row === 4)).toMatchObject({
      key: 'import.duplicateInFile',
      params: { row: 3 },
    });
  });

  it('refuses an unknown building only where the community has buildings and none may be created', () => {
    const rows = [
      ['楼栋', '单元', '房号', '姓名', '电话'],
      ['9', '1', '101', '钱七', '13700002222'],
      ['3', '', '1502', '孙八', '13700003333'],
    ];
    const strict = run(rows);
    expect(strict.issues.filter((i) => i.level === 'error').map((i) => [i.row, i.key, i.column])).toEqual([
      [2, 'import.buildingUnknown', 0],
      [3, 'import.roomAmbiguous', 2],
    ]);
    const onboarding = run(rows, emptySnapshot(), true);
    expect(onboarding.counts).toMatchObject({ new: 2, invalid: 0 });
    expect(onboarding.places).toEqual({ buildings: 2, units: 2, rooms: 2 });
    expect(onboarding.outcomes[1]!.plan!.unit).toEqual({ key: 'd:1', name: '1单元', id: null });
  });

  it('reports every problem of a row, each on its column', () => {
    const result = run([
      ['房屋', '姓名', '电话', '身份', '面积', '入住日期'],
      ['3-2-15-02', '', '1234', '邻居', '很大', '昨天'],
    ]);
    expect(result.issues.map((i) => [i.column, i.key])).toEqual([
      [1, 'import.nameMissing'],
      [2, 'import.phoneInvalid'],
      [3, 'import.kindInvalid'],
      [4, 'import.areaInvalid'],
      [5, 'import.dateInvalid'],
      [0, 'import.roomInvalid'],
    ]);
    expect(result.counts).toMatchObject({ rows: 1, invalid: 1 });
  });

  it('blocks a sheet without a header or a required column', () => {
    expect(analyze([['x']], null, [], registry(), { createMissing: false })).toMatchObject({
      blocked: true,
      issues: [{ key: 'import.noHeader' }],
    });
    const noPhone = run([
      ['房屋', '姓名'],
      ['3-2-1502', '王建国'],
    ]);
    expect(noPhone.blocked).toBe(true);
    expect(noPhone.issues).toEqual([
      {
        row: null,
        column: null,
        field: 'phone',
        level: 'error',
        key: 'import.missingColumn',
        params: { field: 'phone' },
      },
    ]);
  });
});
