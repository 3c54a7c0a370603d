import * as OpenCC from 'opencc-js';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_PHRASES } from './phrases-cn.js';
import {
  checkText,
  compileLibrary,
  displayPhrase,
  forbiddenHits,
  type LanguageEntry,
  normaliseText,
  parsePattern,
} from './service-language.js';

const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
const library = compileLibrary(BUILT_IN_PHRASES);
const checked = BUILT_IN_PHRASES.filter((p) => p.severity !== 'polite');

/** A text that says the phrase itself (pattern syntax removed). */
const sample = (phrase: string) => parsePattern(phrase).body;

function expectHit(text: string, phrase: string, severity: 'forbidden' | 'warning') {
  const hits = checkText(text, library);
  const hit = hits.find((h) => h.phrase === displayPhrase(phrase));
  expect(hit, `${text} → ${JSON.stringify(hits)}`).toBeDefined();
  expect(hit?.severity).toBe(severity);
  return hit;
}

describe('service language checker (PRODUCT.md §6)', () => {
  it('has every seed forbidden phrase and the confrontational patterns of [000]', () => {
    const forbidden = checked.filter((p) => p.severity === 'forbidden').map((p) => p.phrase);
    for (const p of ['我不管', '我管不着', '与我无关', '我也没办法', '我不知道', '我没空', '反正我做不了']) {
      expect(forbidden).toContain(p);
    }
    for (const p of ['公司是怎么搞的', '你怎么连这都不懂', '你怎么搞的', '不可能', '^不知道$', '^不清楚$']) {
      expect(forbidden).toContain(p);
    }
    const warnings = checked.filter((p) => p.severity === 'warning').map((p) => p.phrase);
    for (const p of ['你怎么*', '你必须*', '你应该*', '你给我*', '你确定*']) expect(warnings).toContain(p);
    for (const p of checked) {
      if (p.severity === 'forbidden') expect(p.alternative, p.phrase).toBeTruthy();
    }
  });

  it.each(checked.map((p) => [p.phrase, p.severity] as const))(
    'flags %s (%s) in Simplified and in Traditional script',
    (phrase, severity) => {
      const entry = checked.find((p) => p.phrase === phrase);
      const text = sample(phrase);
      const simplified = expectHit(text, phrase, severity as 'forbidden' | 'warning');
      expect(simplified?.start).toBe(0);
      expect(text.slice(simplified?.start, simplified?.end)).toBe(text.replace(/[？?。！]+$/u, ''));
      const traditional = toTraditional(text);
      const hit = expectHit(traditional, phrase, severity as 'forbidden' | 'warning');
      expect(traditional.slice(hit?.start, hit?.end)).toBe(traditional.replace(/[？?。！]+$/u, ''));
      if (entry?.tw) expectHit(sample(entry.tw), phrase, severity as 'forbidden' | 'warning');
    },
  );

  it('reports position, category and alternative with original offsets', () => {
    const text = '您好！这个事情我不知道，请问还有别的吗？';
    const [hit, ...rest] = checkText(text, library);
    expect(rest).toEqual([]);
    expect(hit).toEqual({
      start: 7,
      end: 11,
      phrase: '我不知道',
      category: '不负责的话',
      severity: 'forbidden',
      alternative: '请稍等，我帮您查一下',
    });
    expect(text.slice(hit?.start, hit?.end)).toBe('我不知道');
  });

  describe('evasions are still caught, with the original span', () => {
    const cases: [string, string, string, string?][] = [
      ['spaces', '这个 我 不 知 道 啊', '我 不 知 道'],
      ['punctuation', '我.不,知-道', '我.不,知-道'],
      ['full-width spaces and punctuation', '我　不，知。道', '我　不，知。道'],
      ['repeated characters', '我我我不知道道', '我我我不知道道'],
      ['mixed scripts', '這事與我无關', '與我无關', '与我无关'],
      ['zero-width characters', '我\u200b不\u200c知\u200d道\ufeff', '我\u200b不\u200c知\u200d道'],
      ['all at once', '（我 我）不。。知\u2060道', '我 我）不。。知\u2060道'],
      ['emoji between characters', '我😀不知道', '我😀不知道'],
    ];
    it.each(cases)('%s', (_name, text, span, phrase = '我不知道') => {
      const hits = forbiddenHits(checkText(text, library));
      expect(hits).toHaveLength(1);
      expect(text.slice(hits[0]?.start, hits[0]?.end)).toBe(span);
      expect(hits[0]?.phrase).toBe(phrase);
    });

    it('full-width Latin and digits in a company phrase', () => {
      const custom = compileLibrary([
        { phrase: 'APP坏了', category: '自定义', severity: 'forbidden', alternative: '请稍等' },
      ]);
      const text = 'ＡＰＰ坏了';
      const [hit] = checkText(text, custom);
      expect(hit).toMatchObject({ start: 0, end: 5, phrase: 'APP坏了' });
    });
  });

  it('warning patterns cover the clause up to the punctuation, separate from the forbidden list', () => {
    const text = '你必须今天交清物业费，谢谢';
    const hits = checkText(text, library);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ severity: 'warning', phrase: '你必须…', category: '命令式' });
    expect(text.slice(hits[0]?.start, hits[0]?.end)).toBe('你必须今天交清物业费');
    expect(forbiddenHits(hits)).toEqual([]);
    const both = checkText('你确定吗？我不知道。', library);
    expect(both.map((h) => h.severity)).toEqual(['warning', 'forbidden']);
  });

  it('anchored phrases: a bare 不知道 as an answer is flagged, a polite question is not', () => {
    expect(forbiddenHits(checkText('不知道。', library))).toHaveLength(1);
    expect(forbiddenHits(checkText('这个嘛，不清楚', library))).toHaveLength(1);
    expect(checkText('不知道您什么时候方便？', library)).toEqual([]);
    expect(checkText('如有不清楚的地方，请随时联系我们', library)).toEqual([]);
  });

  it('overlapping hits keep the forbidden, longer one', () => {
    const hits = checkText('你怎么连这都不懂', library);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ phrase: '你怎么连这都不懂', severity: 'forbidden' });
  });

  const normalReplies = [
    '请稍等，我帮您查一下',
    '您好，我们马上安排师傅上门',
    '您好，您反映的漏水问题已登记，维修师傅今天下午三点前上门，请您留意电话。',
    '对不起，让您久等了！',
    '谢谢您的宝贵意见，我们会尽快调查解决，给您满意的答复。',
    '您放心，这件事交给我做吧！',
    '好的，我马上就来办。',
    '很抱歉此事给您带来了困扰，我们已通知工程部处理。',
    '请问您什么时候方便？师傅可以上门查看。',
    '不知道您什么时候方便，我们安排师傅上门。',
    '如有不清楚的地方，请随时联系我们。',
    '您的电梯报修已完成，欢迎您对我们的服务进行评价。',
    '停水通知：因管道检修，明天上午9:00至12:00暂停供水，请提前储水，谢谢您的理解与支持。',
    '您好，物业费可以通过微信或前台缴纳，请问还有什么能帮到您？',
    '您的车位申请已受理，我们会在3个工作日内回复您。',
    '装修手续请携带身份证和装修方案到客服中心办理，谢谢。',
    '门禁卡遗失可到客服中心补办，工本费20元。',
    '请您协助我们核对一下房号，谢谢。',
    '这种情况，有关规定是这样的：装修时间为工作日8:00至18:00。',
    '您看这样好不好？我们先派人查看，再给您答复。',
    '感谢您的支持，我们会努力跟进。',
    '请别客气，这是我们应该做的。',
    '对不起，请您再说一遍好吗？',
    '对不起，请稍候，我帮您问一下。',
    '我明白了，马上为您处理。',
    '您好！宇和物业管理客户服务中心，您请讲。',
    '很高兴为您服务，工号1023。',
    '您反映的噪音问题，我们已经联系了楼上住户，感谢您的耐心。',
    '维修已经完成，您确认一下热水是否正常，好吗？',
    '您的投诉我们非常重视，已安排主管跟进，预计明天给您回复。',
    '谢谢您将此事告知我们。',
    '下午好，我是客服中心小王，请问现在方便说话吗？',
    '您好，您预约的上门时间是周六上午十点，师傅会提前打电话联系您。',
    '燃气检测已安排在本周三，届时请家中留人，谢谢配合。',
  ];

  it.each(normalReplies)('does not flag an ordinary polite reply: %s', (text) => {
    expect(forbiddenHits(checkText(text, library))).toEqual([]);
    expect(forbiddenHits(checkText(toTraditional(text), library))).toEqual([]);
  });

  it('no polite seed phrase contains a forbidden phrase', () => {
    for (const p of BUILT_IN_PHRASES.filter((e) => e.severity === 'polite')) {
      expect(forbiddenHits(checkText(p.phrase, library)), p.phrase).toEqual([]);
      if (p.tw) expect(forbiddenHits(checkText(p.tw, library)), p.tw).toEqual([]);
    }
  });

  it('a disabled entry (left out of the library) no longer matches; an added one does', () => {
    const entries: LanguageEntry[] = BUILT_IN_PHRASES.filter((p) => p.phrase !== '我不知道');
    expect(forbiddenHits(checkText('我不知道', compileLibrary(entries)))).toEqual([]);
    entries.push({
      phrase: '找开发商去',
      category: '推诿',
      severity: 'forbidden',
      alternative: '我们来联系',
    });
    expect(checkText('你找开发商去吧', compileLibrary(entries))[0]).toMatchObject({ start: 1, end: 6 });
  });

  it('normalisation maps every character back to the original text', () => {
    const n = normaliseText('Ａ　與與，我');
    expect(n.chars).toEqual(['a', '与', '我']);
    expect(n.start).toEqual([0, 2, 5]);
    expect(n.end).toEqual([1, 4, 6]);
    expect(n.boundaryBefore).toEqual([true, true, true]);
  });

  it('handles empty text, an empty library and astral characters', () => {
    expect(checkText('', library)).toEqual([]);
    expect(checkText('我不知道', compileLibrary([]))).toEqual([]);
    const text = '𠀀我不知道';
    const [hit] = checkText(text, library);
    expect(text.slice(hit?.start, hit?.end)).toBe('我不知道');
  });
});
