import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/zh-tw';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { setRequestLocale } from '../api/client';
import { reportError } from '../api/errors';
import { LOCALES, type Locale } from '../api/types';
import { interpolate, lookup, type MessageKey, type MessageParams } from '../locales';
import { FALLBACK_CATALOGUE, loadCatalogue, loadedCatalogue } from '../locales/catalogues';

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
  document.title = (loadedCatalogue(locale) ?? FALLBACK_CATALOGUE).common.appName;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [stored] = useState(readStoredLocale);
  // null until the strings of the language stored on this device have loaded (简体中文 is built in)
  const [locale, setLocaleState] = useState<Locale | null>(() => {
    const initial = stored ?? 'zh-CN';
    if (!loadedCatalogue(initial)) return null;
    applyLocale(initial);
    return initial;
  });
  const [chosenOnDevice, setChosenOnDevice] = useState(stored !== null);
  // The language asked for last: a slower load of an earlier choice does not override it.
  const asked = useRef<Locale | null>(null);

  /** Shows the language once its strings are loaded; `then` runs just before. */
  const show = useCallback((next: Locale, then?: () => void) => {
    asked.current = next;
    loadCatalogue(next).then(
      () => {
        if (asked.current !== next) return;
        applyLocale(next);
        then?.();
        setLocaleState(next);
      },
      (error: unknown) => {
        if (asked.current !== next) return;
        // the strings could not be fetched (offline, or a new version deployed): keep the
        // current language, or start in the built-in one
        setLocaleState((current) => {
          if (current === null) applyLocale('zh-CN');
          return current ?? 'zh-CN';
        });
        reportError(error);
      },
    );
  }, []);

  useEffect(() => {
    if (locale === null && stored) show(stored);
  }, [locale, stored, show]);

  const setLocale = useCallback(
    (next: Locale) =>
      show(next, () => {
        try {
          window.localStorage.setItem(STORAGE_KEY, next);
        } catch {
          // private mode: the choice still holds for this tab
        }
        setChosenOnDevice(true);
      }),
    [show],
  );

  const value = useMemo<I18nValue | null>(() => {
    if (locale === null) return null;
    const catalogue = loadedCatalogue(locale) ?? FALLBACK_CATALOGUE;
    const fallback = FALLBACK_CATALOGUE;
    const tOr = (key: string, fallbackText: string, params?: MessageParams) =>
      interpolate(lookup(catalogue, key) ?? lookup(fallback, key) ?? fallbackText, params);
    const t: Translate = (key, params) => tOr(key, key, params);
    return { locale, chosenOnDevice, setLocale, t, tOr };
  }, [locale, chosenOnDevice, setLocale]);

  // nothing to show before the stored language's strings are here (a fraction of a second, once)
  if (!value) return null;
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
