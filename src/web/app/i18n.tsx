import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/zh-tw';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { setRequestLocale } from '../api/client';
import { LOCALES, type Locale } from '../api/types';
import { interpolate, lookup, type MessageKey, type MessageParams, messages } from '../locales';

const STORAGE_KEY = 'estatedesk.locale';
const DAYJS_LOCALE: Record<Locale, string> = { 'zh-CN': 'zh-cn', 'zh-TW': 'zh-tw', en: 'en' };

export type Translate = (key: MessageKey, params?: MessageParams) => string;

interface I18nValue {
  locale: Locale;
  /** True when the user picked a language on this device (it then wins over the account's). */
  chosenOnDevice: boolean;
  setLocale: (locale: Locale) => void;
  t: Translate;
  /** For codes that come from the server and may be new to this console (e.g. event types). */
  tOr: (key: string, fallback: string, params?: MessageParams) => string;
}

const I18nContext = createContext<I18nValue | null>(null);

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function readStoredLocale(): Locale | null {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isLocale(stored) ? stored : null;
  } catch {
    return null;
  }
}

function applyLocale(locale: Locale): void {
  setRequestLocale(locale);
  dayjs.locale(DAYJS_LOCALE[locale]);
  document.documentElement.lang = locale;
  document.title = messages[locale].common.appName;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [stored] = useState(readStoredLocale);
  const [locale, setLocaleState] = useState<Locale>(() => {
    const initial = stored ?? 'zh-CN';
    applyLocale(initial);
    return initial;
  });
  const [chosenOnDevice, setChosenOnDevice] = useState(stored !== null);

  const setLocale = useCallback((next: Locale) => {
    applyLocale(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // private mode: the choice still holds for this tab
    }
    setChosenOnDevice(true);
    setLocaleState(next);
  }, []);

  const value = useMemo<I18nValue>(() => {
    const catalogue = messages[locale];
    const fallback = messages['zh-CN'];
    const tOr = (key: string, fallbackText: string, params?: MessageParams) =>
      interpolate(lookup(catalogue, key) ?? lookup(fallback, key) ?? fallbackText, params);
    const t: Translate = (key, params) => tOr(key, key, params);
    return { locale, chosenOnDevice, setLocale, t, tOr };
  }, [locale, chosenOnDevice, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

export function useT(): Translate {
  return useI18n().t;
}
