import { describe, expect, it } from 'vitest';
import { normalizePhone, phoneTail } from './phone.js';

describe('phone numbers as people type them', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['+86 138 0013 8000', '13800138000'],
    ['１３８００１３８０００', '13800138000'],
    ['021-62345678', '02162345678'],
    ['62345678', '62345678'],
    ['400-820-1234', '4008201234'],
    ['+852 9123 4567', '+85291234567'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected);
  });

  it.each(['12345678901', '1380013800', '1380013', 'abc', '138001380001', '', '+1'])(
    '%s is not a phone',
    (raw) => {
      expect(normalizePhone(raw)).toBeNull();
    },
  );

  it('takes service numbers (12345, 110) only where a caller may ring from one', () => {
    expect(normalizePhone('12345')).toBeNull();
    expect(normalizePhone('12345', { service: true })).toBe('12345');
    expect(normalizePhone('95598', { service: true })).toBe('95598');
    expect(normalizePhone('110', { service: true })).toBe('110');
  });

  it('takes the last four digits (尾号)', () => {
    expect(phoneTail('13800135678')).toBe('5678');
  });
});
