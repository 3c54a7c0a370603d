import { describe, expect, it } from 'vitest';
import { fieldLabel, pickLocale, t } from './i18n.js';
import { catalogs } from './messages.js';

describe('languages (R60)', () => {
  it.each([
    [null, undefined, 'zh-CN'],
    [null, 'en-US,en;q=0.9', 'en'],
    [null, 'zh-TW', 'zh-TW'],
    [null, 'zh-HK,en;q=0.5', 'zh-TW'],
    [null, 'zh-Hant-TW', 'zh-TW'],
    [null, 'zh', 'zh-CN'],
    [null, 'fr-FR, en;q=0.3', 'en'],
    [null, 'fr-FR', 'zh-CN'],
    ['zh-TW', 'en', 'zh-TW'],
    ['xx', 'en', 'en'],
  ])('user %s, Accept-Language %s → %s', (user, header, expected) => {
    expect(pickLocale(user, header)).toBe(expected);
  });

  it('has every message in every language', () => {
    const keys = Object.keys(catalogs['zh-CN']).sort();
    expect(Object.keys(catalogs['zh-TW']).sort()).toEqual(keys);
    expect(Object.keys(catalogs.en).sort()).toEqual(keys);
  });

  it('zh-TW is written in Traditional characters', () => {
    const simplifiedOnly = /[录误权请该为这个门记馆区电话码号务规则时间设计]/;
    for (const [key, text] of Object.entries(catalogs['zh-TW'])) {
      expect(text, key).not.toMatch(simplifiedOnly);
    }
  });

  it('fills placeholders and names fields in the user’s language', () => {
    expect(t('zh-CN', 'validation.maxLength', { field: fieldLabel('zh-CN', 'content'), limit: 10 })).toBe(
      '「内容」不能超过 10 个字符',
    );
    expect(t('zh-TW', 'validation.required', { field: fieldLabel('zh-TW', 'callerPhone') })).toBe(
      '請填寫「來電人電話」',
    );
    expect(fieldLabel('en', 'unheardOf')).toBe('unheardOf');
  });
});
