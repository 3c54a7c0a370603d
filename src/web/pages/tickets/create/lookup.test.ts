import { describe, expect, it } from 'vitest';
import { readLookup } from './lookup';

describe('readLookup (R3/R27: the intake field takes a number or a room)', () => {
  it('reads a full phone number in any format as the caller’s number', () => {
    expect(readLookup('138 0013 8000')).toEqual({ phone: '13800138000', roomCode: false });
    expect(readLookup('+86 138-0013-8000')).toEqual({ phone: '13800138000', roomCode: false });
    expect(readLookup('021-6234 5678')).toEqual({ phone: '02162345678', roomCode: false });
  });

  it('reads room codes as rooms, and 尾号 as neither a number to log nor a plain room', () => {
    expect(readLookup('3-2-1502')).toEqual({ phone: null, roomCode: true });
    expect(readLookup('3栋2单元1502')).toEqual({ phone: null, roomCode: true });
    // "8000" may be a 尾号 or a room number: the residents search ranks both; no number to log.
    expect(readLookup('8000').phone).toBeNull();
    expect(readLookup('王建国')).toEqual({ phone: null, roomCode: false });
  });
});
