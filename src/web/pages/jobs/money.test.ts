import { describe, expect, it } from 'vitest';
import { formatFen, lineFen, totalFen } from './money';

describe('paid work money on the phone (R10)', () => {
  it('R10: a line is the unit price times the quantity, rounded to the fen like the server', () => {
    expect(lineFen({ price: 80, quantity: 2 })).toBe(16000);
    expect(lineFen({ price: 12.5, quantity: 1.5 })).toBe(1875);
    // 0.1 + 0.2 style floating error must not leak into the amount
    expect(lineFen({ price: 0.29, quantity: 3 })).toBe(87);
    expect(lineFen({ price: 3.33, quantity: 0.5 })).toBe(167);
  });

  it('R10: the total is the sum of the picked lines; lines left at 0 do not count', () => {
    expect(
      totalFen([
        { price: 80, quantity: 1 },
        { price: 15.5, quantity: 2 },
        { price: 999, quantity: 0 },
      ]),
    ).toBe(11100);
    expect(totalFen([])).toBe(0);
  });

  it('shows fen as yuan with two decimals', () => {
    expect(formatFen(11100)).toBe('111.00');
    expect(formatFen(5)).toBe('0.05');
    expect(formatFen(0)).toBe('0.00');
  });
});
