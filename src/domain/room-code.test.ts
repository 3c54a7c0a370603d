import { describe, expect, it } from 'vitest';
import { formatRoomCode, parseRoomCode, type RoomCode, roomCodeKey } from './room-code.js';

const code = (building: string | null, unit: string | null, room: string): RoomCode => ({
  building,
  unit,
  room,
});

describe('R3: a resident is found by room, however the room is written', () => {
  it.each<[string, RoomCode]>([
    // dashes and other separators
    ['3-2-1502', code('3', '2', '1502')],
    ['３－２－１５０２', code('3', '2', '1502')],
    ['3—2—1502', code('3', '2', '1502')],
    ['3–2–1502', code('3', '2', '1502')],
    ['3/2/1502', code('3', '2', '1502')],
    ['3 2 1502', code('3', '2', '1502')],
    ['3 - 2 - 1502', code('3', '2', '1502')],
    ['  3-2-1502  ', code('3', '2', '1502')],
    ['3-1502', code('3', null, '1502')],
    ['1502', code(null, null, '1502')],
    // building / unit / room markers
    ['3栋2单元1502', code('3', '2', '1502')],
    ['３栋２单元１５０２', code('3', '2', '1502')],
    ['3 栋 2 单元 1502', code('3', '2', '1502')],
    ['3号楼2单元1502室', code('3', '2', '1502')],
    ['3栋2单元1502号', code('3', '2', '1502')],
    ['3栋2单元1502房', code('3', '2', '1502')],
    ['3栋2单元1502号房', code('3', '2', '1502')],
    ['3栋-2单元-1502', code('3', '2', '1502')],
    ['3栋2门1502', code('3', '2', '1502')],
    ['3号2单元1502', code('3', '2', '1502')],
    ['3号1502', code('3', null, '1502')],
    ['3幢1502', code('3', null, '1502')],
    ['3栋1502', code('3', null, '1502')],
    ['3#2-1502', code('3', '2', '1502')],
    ['3#1502', code('3', null, '1502')],
    ['３＃２－１５０２', code('3', '2', '1502')],
    ['3-2单元1502', code('3', '2', '1502')],
    ['2单元1502', code(null, '2', '1502')],
    ['1502室', code(null, null, '1502')],
    // letter buildings
    ['B座1502', code('B', null, '1502')],
    ['b座1502', code('B', null, '1502')],
    ['ｂ座１５０２', code('B', null, '1502')],
    ['B栋1502', code('B', null, '1502')],
    ['B座2单元1502', code('B', '2', '1502')],
    ['A1座2单元1502', code('A1', '2', '1502')],
    ['B-2-1502', code('B', '2', '1502')],
    // Chinese numerals (building and unit only)
    ['3号楼二单元1502', code('3', '2', '1502')],
    ['三栋二单元1502室', code('3', '2', '1502')],
    ['十二栋1单元1502', code('12', '1', '1502')],
    ['二十一栋十单元301', code('21', '10', '301')],
    ['十栋1502', code('10', null, '1502')],
    // leading zeros are dropped, letter suffixes kept
    ['12栋1单元0302', code('12', '1', '302')],
    ['03-02-0302', code('3', '2', '302')],
    ['3-2-1502A', code('3', '2', '1502A')],
    ['3栋2单元1502a室', code('3', '2', '1502A')],
    ['3-2-101', code('3', '2', '101')],
  ])('R3: %s → %o', (input, expected) => {
    expect(parseRoomCode(input)).toEqual(expected);
  });

  it.each([
    '',
    '   ',
    '物业办公室',
    '3栋2单元',
    '3栋',
    '栋1502',
    '单元1502',
    '3-2-1502345',
    '1234567',
    '1-2-3-4',
    '3栋2单元1502栋',
    'ABC',
    '3-2-AB',
    '1502AB',
    'A1502',
    '3楼1502',
    '3.2.1502',
    '3_2_1502',
    '3--2-1502',
    '-1502',
    '1502-',
    '3-2-',
    '0000',
    '3-0-1502',
    '1234栋1502',
    '1234-2-1502',
    '3-123-1502',
    '2单元3栋1502',
    '3栋4栋1502',
    '3栋2单元1502室5',
    '三栋二单元一五零二',
    '零栋1502',
    '三1502',
    '阳光花园3栋2单元1502',
    "1502' OR '1'='1",
    '1502; DROP TABLE rooms',
    '<script>1502</script>',
    '3-2-1502\u0000',
    '1'.repeat(100),
  ])('R3: %j is not a room code', (input) => {
    expect(parseRoomCode(input)).toBeNull();
  });

  it('R3: "3-2-1502" and "3栋2单元1502" are the same room', () => {
    const spellings = [
      '3-2-1502',
      '3栋2单元1502',
      '3号楼2单元1502室',
      '三栋二单元1502',
      '３－２－１５０２',
      '3#2-1502',
    ];
    const keys = new Set(spellings.map((s) => roomCodeKey(parseRoomCode(s)!)));
    expect([...keys]).toEqual(['3|2|1502']);
  });

  it('R3: "B座1502" and "b栋1502" are the same room', () => {
    expect(roomCodeKey(parseRoomCode('B座1502')!)).toBe(roomCodeKey(parseRoomCode('b栋1502')!));
  });
});

describe('R3: the desk form and the key round-trip', () => {
  it.each<[RoomCode, string, string]>([
    [code('3', '2', '1502'), '3栋2单元1502', '3|2|1502'],
    [code('3', null, '1502'), '3栋1502', '3||1502'],
    [code('B', null, '1502'), 'B座1502', 'B||1502'],
    [code('B', '2', '1502'), 'B座2单元1502', 'B|2|1502'],
    [code('A1', '2', '1502A'), 'A1座2单元1502A', 'A1|2|1502A'],
    [code(null, '2', '1502'), '2单元1502', '|2|1502'],
    [code(null, null, '1502'), '1502', '||1502'],
    [code('12', '1', '302'), '12栋1单元302', '12|1|302'],
  ])('R3: %o → %s / %s and back', (room, desk, key) => {
    expect(formatRoomCode(room)).toBe(desk);
    expect(roomCodeKey(room)).toBe(key);
    expect(parseRoomCode(desk)).toEqual(room);
  });

  it.each(['3-2-1502', '三栋二单元1502室', 'b座1502', '12栋1单元0302', '3#1502', '3 2 1502A'])(
    'R3: formatting %s and parsing it again changes nothing',
    (input) => {
      const parsed = parseRoomCode(input)!;
      expect(parsed).not.toBeNull();
      expect(parseRoomCode(formatRoomCode(parsed))).toEqual(parsed);
    },
  );
});
