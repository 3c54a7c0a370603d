import { describe, expect, it } from 'vitest';
import type { CategoryPrice } from '../../../api/types';
import { confirmationOf, itemsTotal, priceLinesOf, toConfirmation, toItems } from './completion';

const price = (id: string, value: number): CategoryPrice => ({
  id,
  categoryId: 'cat-leak',
  name: id,
  unit: '个',
  price: value,
  note: null,
  sort: 0,
  archived: false,
});

describe('the completion report on the desk (R10: paid work at published prices, the resident’s confirmation)', () => {
  it('sends only complete priced items and totals them at the published prices', () => {
    const values = {
      items: [
        { priceId: 'valve', quantity: 2 },
        { priceId: 'tap' },
        { quantity: 1 },
        { priceId: 'tap', quantity: 0.5 },
      ],
    };
    expect(toItems(values)).toEqual([
      { priceId: 'valve', quantity: 2 },
      { priceId: 'tap', quantity: 0.5 },
    ]);
    expect(itemsTotal(values.items, [price('valve', 35), price('tap', 80)])).toBe(110);
  });

  it('sends a verbal confirmation only with its note, a signature only with its attachment', () => {
    expect(toConfirmation({ confirmMethod: 'verbal', confirmNote: '  王先生电话确认  ' })).toEqual({
      method: 'verbal',
      note: '王先生电话确认',
    });
    expect(toConfirmation({ confirmMethod: 'verbal', confirmNote: ' ' })).toBeUndefined();
    expect(toConfirmation({ confirmMethod: 'signature', signatureId: 'att-1' })).toEqual({
      method: 'signature',
      attachmentId: 'att-1',
    });
    expect(toConfirmation({ confirmMethod: 'none' })).toBeUndefined();
  });

  it('reads the stored lines and confirmation back, leaving out what is malformed', () => {
    expect(
      priceLinesOf({
        lines: [
          { priceId: 'p', name: '更换角阀', unit: '个', price: 35, quantity: 2, amount: 70 },
          { name: '坏行', price: 'x', quantity: 1 },
          'junk',
        ],
      }),
    ).toEqual([{ name: '更换角阀', unit: '个', price: 35, quantity: 2, amount: 70 }]);
    expect(priceLinesOf({ cause: '老化' })).toEqual([]);
    expect(confirmationOf({ method: 'signature', attachmentId: 'a' })).toEqual({
      method: 'signature',
      attachmentId: 'a',
    });
    expect(confirmationOf({ method: 'verbal', note: '电话确认' })).toEqual({
      method: 'verbal',
      note: '电话确认',
    });
    expect(confirmationOf(null)).toBeNull();
    expect(confirmationOf({ method: 'smoke' })).toBeNull();
  });
});
