import { describe, expect, it } from 'vitest';
import { parseRoomQuery } from './roomQuery';

describe('parseRoomQuery (R3: a room typed as 3-2-1502 or 3栋2单元1502)', () => {
  it('reads a dashed room path and matches the label the server gives', () => {
    const path = parseRoomQuery('3-2-1502');
    expect(path?.number).toBe('1502');
    expect(path?.matches('3栋2单元1502')).toBe(true);
    expect(path?.matches('13栋2单元1502')).toBe(false);
    expect(path?.matches('3栋1单元1502')).toBe(false);
  });

  it('reads the Chinese way of writing it, and letters for towers', () => {
    expect(parseRoomQuery('3栋2单元1502')?.matches('3栋2单元1502')).toBe(true);
    expect(parseRoomQuery('a-1-15')?.matches('A座1单元1501')).toBe(true);
  });

  it('leaves names, phones and bare room numbers to the server', () => {
    expect(parseRoomQuery('王建国')).toBeNull();
    expect(parseRoomQuery('1502')).toBeNull();
    expect(parseRoomQuery('138 0013 8000')).toBeNull();
  });
});
