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

describe('read-back sentence: what else the caller hears', () => {
  const t = translator('zh-CN');
  const base = {
    address: '王先生',
    location: '3栋2单元1502',
    content: '卫生间漏水',
    typeLabel: t('tickets.type.repair'),
  };

  it('R8: names the category and the booked visit window', () => {
    expect(readBackSentence({ ...base, categoryLabel: '漏水渗水', appointment: '今天14:00–16:00' }, t)).toBe(
      '王先生，您反映3栋2单元1502：卫生间漏水，我们已为您登记报修（漏水渗水），维修师傅将于今天14:00–16:00上门，对吗？',
    );
  });

  it('R10/R11: says paid work is charged at the published prices, and the linked incident', () => {
    expect(readBackSentence({ ...base, paid: true, linkedNumber: 'GD20261130-0001' }, t)).toBe(
      '王先生，您反映3栋2单元1502：卫生间漏水，我们已为您登记报修，本次为有偿服务，按公示价格收费，与工单GD20261130-0001为同一事件，处理结果会一并告知您，对吗？',
    );
  });

  it('R16: repeats the lift, floor and number of people trapped, and the hotline order number', () => {
    const sentence = readBackSentence(
      {
        address: '您好',
        location: null,
        content: '电梯突然停了。',
        typeLabel: t('tickets.type.emergency'),
        entrapment: { lift: '3栋1号梯', floor: '8', people: 2 },
        externalRef: 'RX2026113001',
      },
      t,
    );
    expect(sentence).toBe(
      '您好，您反映：3栋1号梯停在8层，被困2人，电梯突然停了，我们已为您登记紧急事件，热线工单号RX2026113001，对吗？',
    );
  });

  it('reads the same clauses in English', () => {
    const en = translator('en');
    expect(
      readBackSentence(
        { ...base, address: 'Mr Wang', typeLabel: 'repair', appointment: 'today 14:00–16:00' },
        en,
      ),
    ).toBe(
      'Mr Wang, you reported at 3栋2单元1502: 卫生间漏水. We have logged this as a repair request; a technician will visit today 14:00–16:00 — is that right?',
    );
  });
});
