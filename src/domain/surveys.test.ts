import { describe, expect, it } from 'vitest';
import { checkAnswer, questionProblems, responseRate } from './surveys.js';

describe('survey rules (R36)', () => {
  it('a questionnaire has 1–30 questions; choices 2–10 distinct options; no options on scale or text', () => {
    expect(questionProblems([])).toEqual([{ index: null, code: 'count' }]);
    expect(
      questionProblems(Array.from({ length: 30 }, () => ({ kind: 'scale' as const, text: '打分' }))),
    ).toEqual([]);
    expect(
      questionProblems(Array.from({ length: 31 }, () => ({ kind: 'scale' as const, text: '打分' }))),
    ).toEqual([{ index: null, code: 'count' }]);
    expect(
      questionProblems([
        { kind: 'single', text: '一', options: ['是'] },
        { kind: 'multiple', text: '二', options: ['a', ' a'] },
        { kind: 'text', text: '三', options: ['x'] },
        { kind: 'scale', text: ' ' },
      ]),
    ).toEqual([
      { index: 0, code: 'optionCount' },
      { index: 1, code: 'optionInvalid' },
      { index: 2, code: 'noOptions' },
      { index: 3, code: 'questionText' },
    ]);
  });

  it('an answer fits its question, or says why not', () => {
    const single = { kind: 'single' as const, options: ['a', 'b'], required: true };
    expect(checkAnswer(single, 1)).toEqual({ ok: true, value: 1 });
    expect(checkAnswer(single, 2)).toEqual({ ok: false, code: 'option' });
    expect(checkAnswer(single, null)).toEqual({ ok: false, code: 'required' });
    expect(checkAnswer({ ...single, required: false }, undefined)).toEqual({ ok: true, value: null });
    const multiple = { kind: 'multiple' as const, options: ['a', 'b', 'c'], required: true };
    expect(checkAnswer(multiple, [2, 0])).toEqual({ ok: true, value: [0, 2] });
    expect(checkAnswer(multiple, [1, 1])).toEqual({ ok: false, code: 'option' });
    expect(checkAnswer(multiple, [])).toEqual({ ok: false, code: 'required' });
    const scale = { kind: 'scale' as const, options: null, required: true };
    expect(checkAnswer(scale, 5)).toEqual({ ok: true, value: 5 });
    expect(checkAnswer(scale, 6)).toEqual({ ok: false, code: 'scale' });
    expect(checkAnswer(scale, 2.5)).toEqual({ ok: false, code: 'type' });
    const text = { kind: 'text' as const, options: null, required: false };
    expect(checkAnswer(text, '  好  ')).toEqual({ ok: true, value: '好' });
    expect(checkAnswer(text, '长'.repeat(1001))).toEqual({ ok: false, code: 'text' });
    expect(checkAnswer(text, 3)).toEqual({ ok: false, code: 'type' });
  });

  it('the response rate is responses / invitations', () => {
    expect(responseRate(2, 3)).toBe(0.6667);
    expect(responseRate(0, 0)).toBe(0);
  });
});
