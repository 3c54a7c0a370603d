import { describe, expect, it } from 'vitest';
import { completeBody, pickedItems } from './completion';

const base = { cause: ' 接头老化 ', work: ' 更换接头 ', confirmMethod: 'none' as const };

describe('the completion report the phone sends (R10)', () => {
  it('R10: trims the texts and leaves empty optional fields out', () => {
    expect(completeBody({ ...base, parts: '  ', advice: ' 定期检查 ' }, null)).toEqual({
      report: { cause: '接头老化', work: '更换接头', advice: '定期检查' },
    });
  });

  it('R10: items picked from the price list go without a charge (the server prices them)', () => {
    const body = completeBody({ ...base, charge: 50, items: { p1: 2, p2: 0, p3: null, p4: 1.5 } }, null);
    expect(body.report).toEqual({
      cause: '接头老化',
      work: '更换接头',
      items: [
        { priceId: 'p1', quantity: 2 },
        { priceId: 'p4', quantity: 1.5 },
      ],
    });
  });

  it('R10: a typed charge is sent when nothing is picked from a list', () => {
    expect(completeBody({ ...base, charge: 35.5, items: { p1: 0 } }, null).report.charge).toBe(35.5);
    expect(completeBody({ ...base, charge: null }, null).report).not.toHaveProperty('charge');
  });

  it("R10: the resident's signature is sent as the id of the uploaded PNG", () => {
    expect(completeBody({ ...base, confirmMethod: 'signature' }, 'att-1').confirmation).toEqual({
      method: 'signature',
      attachmentId: 'att-1',
    });
    expect(() => completeBody({ ...base, confirmMethod: 'signature' }, null)).toThrow();
  });

  it('R10: a confirmation by phone carries its note', () => {
    expect(
      completeBody({ ...base, confirmMethod: 'verbal', verbalNote: ' 王先生电话确认已修好 ' }, null)
        .confirmation,
    ).toEqual({ method: 'verbal', note: '王先生电话确认已修好' });
    expect(completeBody(base, null)).not.toHaveProperty('confirmation');
  });

  it('keeps only quantities above zero', () => {
    expect(pickedItems({ a: 1, b: 0, c: -1, d: undefined })).toEqual([{ priceId: 'a', quantity: 1 }]);
    expect(pickedItems(undefined)).toEqual([]);
  });
});
