import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('ids', () => {
  it('are UUIDv7 and sort in creation order, also within one millisecond', () => {
    const at = new Date('2026-11-30T02:00:00.000Z');
    const ids = Array.from({ length: 5000 }, () => newId(at));
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never go backwards when the clock does', () => {
    const a = newId(new Date('2026-11-30T03:00:00.000Z'));
    const b = newId(new Date('2026-11-30T01:00:00.000Z'));
    expect(b > a).toBe(true);
  });
});
