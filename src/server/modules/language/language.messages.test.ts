import { describe, expect, it } from 'vitest';
import { BUILT_IN_PHRASES } from '../../../domain/phrases-cn.js';
import { checkText, compileLibrary, forbiddenHits } from '../../../domain/service-language.js';
import { catalogs } from '../../platform/i18n/messages.js';

const library = compileLibrary(BUILT_IN_PHRASES);

describe('the system’s own texts, §6', () => {
  it.each(['zh-CN', 'zh-TW'] as const)(
    'no message template (%s: notifications, rating-link and survey invitations, errors) contains a forbidden phrase',
    (locale) => {
      const offending = Object.entries(catalogs[locale])
        .map(([key, text]) => ({ key, hits: forbiddenHits(checkText(String(text), library)) }))
        .filter((e) => e.hits.length > 0)
        .map((e) => `${e.key}: ${e.hits.map((h) => h.phrase).join(', ')}`);
      expect(offending).toEqual([]);
    },
  );
});
