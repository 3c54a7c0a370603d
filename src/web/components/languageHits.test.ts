import { describe, expect, it } from 'vitest';
import {
  applyReplacement,
  type LanguageHit,
  mergeHits,
  overrideReason,
  rebaseHits,
  segmentText,
} from './languageHits';

const hit = (text: string, phrase: string, extra: Partial<LanguageHit> = {}): LanguageHit => {
  const start = text.indexOf(phrase);
  if (start < 0) throw new Error(`${phrase} not in ${text}`);
  return {
    start,
    end: start + phrase.length,
    phrase,
    category: '推卸责任',
    severity: 'forbidden',
    alternative: '请稍等，我帮您查一下',
    ...extra,
  };
};

describe('applyReplacement (§6: one-click replacement with the polite alternative)', () => {
  it('replaces text.slice(start, end) and puts the caret after the alternative', () => {
    const text = '您好，我不知道。';
    const result = applyReplacement(text, [hit(text, '我不知道')], hit(text, '我不知道'));
    expect(result.text).toBe('您好，请稍等，我帮您查一下。');
    expect(result.caret).toBe('您好，请稍等，我帮您查一下'.length);
    expect(result.hits).toEqual([]);
  });

  it('shifts the hits after the replaced phrase and keeps those before it', () => {
    const text = '不可能，我不知道，与我无关';
    const before = hit(text, '不可能', { alternative: '我们再核实一下' });
    const replaced = hit(text, '我不知道');
    const after = hit(text, '与我无关', { alternative: '我来帮您联系负责的同事' });
    const result = applyReplacement(text, [before, replaced, after], replaced);
    expect(result.text).toBe('不可能，请稍等，我帮您查一下，与我无关');
    expect(result.hits).toHaveLength(2);
    for (const moved of result.hits) expect(result.text.slice(moved.start, moved.end)).toBe(moved.phrase);
  });

  it('drops a hit overlapping the replaced one, and leaves the text alone without an alternative', () => {
    const text = '你怎么连这都不懂';
    const warning = hit(text, '你怎么', { severity: 'warning', alternative: null });
    const forbidden = hit(text, '你怎么连这都不懂', { alternative: '我再为您详细说明一下' });
    const result = applyReplacement(text, [warning, forbidden], forbidden);
    expect(result.text).toBe('我再为您详细说明一下');
    expect(result.hits).toEqual([]);
    const untouched = applyReplacement(text, [warning], warning);
    expect(untouched.text).toBe(text);
    expect(untouched.hits).toEqual([warning]);
  });

  it('works with characters outside the BMP before the phrase (UTF-16 offsets)', () => {
    const text = '😀我不知道';
    const result = applyReplacement(text, [], hit(text, '我不知道'));
    expect(result.text).toBe('😀请稍等，我帮您查一下');
  });
});

describe('mergeHits (overlapping hits: forbidden over warning, longer over shorter)', () => {
  it('keeps one of overlapping hits, in text order', () => {
    const text = '你怎么连这都不懂，我不管';
    const warning = hit(text, '你怎么', { severity: 'warning', alternative: null });
    const forbidden = hit(text, '你怎么连这都不懂');
    const other = hit(text, '我不管');
    expect(mergeHits([other, warning, forbidden])).toEqual([forbidden, other]);
  });

  it('prefers the longer of two forbidden hits and drops empty ones', () => {
    const text = '我不知道啊';
    const short = hit(text, '不知道');
    const long = hit(text, '我不知道');
    expect(mergeHits([short, long, { ...short, end: short.start }])).toEqual([long]);
  });
});

describe('rebaseHits (answers for an older text carried over to what was typed since)', () => {
  const before = '我不知道，与我无关';
  const first = hit(before, '我不知道');
  const second = hit(before, '与我无关');

  it('shifts hits after an insertion and keeps hits before it', () => {
    const after = '您好，我不知道，与我无关';
    const moved = rebaseHits([first, second], before, after);
    expect(moved.map((h) => after.slice(h.start, h.end))).toEqual(['我不知道', '与我无关']);
  });

  it('drops a hit the edit went through', () => {
    const after = '我不知，与我无关';
    const moved = rebaseHits([first, second], before, after);
    expect(moved.map((h) => after.slice(h.start, h.end))).toEqual(['与我无关']);
  });

  it('keeps everything when typing after the last hit', () => {
    expect(rebaseHits([first, second], before, `${before}。`)).toEqual([first, second]);
  });
});

describe('segmentText (the highlight layer)', () => {
  it('cuts the text into plain and marked pieces that add up to the text', () => {
    const text = '您好，我不知道。';
    const segments = segmentText(text, [hit(text, '我不知道')]);
    expect(segments.map((s) => s.text).join('')).toBe(text);
    expect(segments.map((s) => !!s.hit)).toEqual([false, true, false]);
  });
});

describe('overrideReason (§6: sending a forbidden phrase anyway needs a reason of 2–200 characters)', () => {
  it('trims and bounds the reason', () => {
    expect(overrideReason('  住户要求原话转述  ')).toBe('住户要求原话转述');
    expect(overrideReason('好')).toBeNull();
    expect(overrideReason('   ')).toBeNull();
    expect(overrideReason(undefined)).toBeNull();
    expect(overrideReason('字'.repeat(200))).toHaveLength(200);
    expect(overrideReason('字'.repeat(201))).toBeNull();
  });
});
