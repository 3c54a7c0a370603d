import { describe, expect, it } from 'vitest';
import { loadPinyinKeys, matchesTyped } from './pinyin';

describe('matchesTyped (UX.md: type and category by their first characters or pinyin)', () => {
  it('finds a label by its characters, pinyin initials or full pinyin', async () => {
    const keysOf = await loadPinyinKeys();
    expect(matchesTyped('漏水渗水', '漏水', keysOf)).toBe(true);
    expect(matchesTyped('漏水渗水', 'ls', keysOf)).toBe(true);
    expect(matchesTyped('漏水渗水', 'LouShui', keysOf)).toBe(true);
    expect(matchesTyped('报修', 'bx', keysOf)).toBe(true);
    expect(matchesTyped('报修', 'ts', keysOf)).toBe(false);
    expect(matchesTyped('电梯困人', 'dtkr', keysOf)).toBe(true);
  });

  it('matches characters only until the pinyin reader has loaded', () => {
    expect(matchesTyped('报修', '报', null)).toBe(true);
    expect(matchesTyped('报修', 'bx', null)).toBe(false);
    expect(matchesTyped('报修', '', null)).toBe(true);
  });
});
