import { catalogs, DEFAULT_LOCALE, LOCALES, type Locale, type MessageKey } from './messages.js';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The user's own setting wins; otherwise the best match in Accept-Language
 * (zh-HK, zh-MO and zh-Hant read Traditional; other zh read Simplified); otherwise zh-CN.
 */
export function pickLocale(
  userLocale: string | null | undefined,
  acceptLanguage: string | undefined,
): Locale {
  if (isLocale(userLocale)) return userLocale;
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const wanted = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.find((r) => r.trim().startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of wanted) {
    if (tag === 'zh-tw' || tag === 'zh-hk' || tag === 'zh-mo' || tag.startsWith('zh-hant')) return 'zh-TW';
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return DEFAULT_LOCALE;
}

export function t(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogs[locale][key] ?? catalogs[DEFAULT_LOCALE][key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** The label of a request field in the user's language; unknown names are shown as given. */
export function fieldLabel(locale: Locale, field: string): string {
  const key = `field.${field}` as MessageKey;
  return key in catalogs[locale] ? t(locale, key) : field;
}
