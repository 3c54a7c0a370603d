import { describe, expect, it } from 'vitest';
import type { Translate } from '../../../app/i18n';
import { interpolate, lookup, messages } from '../../../locales';
import { addressOf, readBackSentence, surnameOf } from './readBack';

const translator =
  (locale: keyof typeof messages): Translate =>
  (key, params) =>
    interpolate(lookup(messages[locale], key) ?? key, params);

describe('read-back sentence (R6: read back to the caller before saving)', () => {
  it('greets a known resident by surname and salutation and repeats place, content and type', () => {
    const t = translator('zh-CN');
    const address = addressOf({ residentName: '王建国', salutation: 'mr' }, t);
    const sentence = readBackSentence(
      { address, location: '3栋2单元1502', content: '卫生间漏水。', typeLabel: t('tickets.type.repair') },
      t,
    );
    expect(sentence).toBe('王先生，您反映3栋2单元1502：卫生间漏水，我们已为您登记报修，对吗？');
  });

  it('uses what the agent typed for an unknown caller, in Traditional Chinese too', () => {
    const t = translator('zh-TW');
    const address = addressOf({ callerName: '陳小姐' }, t);
    const sentence = readBackSentence(
      { address, location: '地下停車場B1', content: '燈壞了', typeLabel: t('tickets.type.repair') },
      t,
    );
    expect(sentence).toBe('陳小姐，您反映地下停車場B1：燈壞了，我們已為您登記報修，對嗎？');
  });

  it('knows compound surnames', () => {
    expect(surnameOf('欧阳娜娜')).toBe('欧阳');
    expect(surnameOf('李秀英')).toBe('李');
  });
});
