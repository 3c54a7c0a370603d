import type { Locale as AntdLocale } from 'antd/es/locale';
import antdZhCN from 'antd/es/locale/zh_CN';
import type { Locale } from '../api/types';
import { type Messages, zhCN } from './zh-CN';

/*
 * The console's strings by language, with antd's for its own components. 简体中文 is built in: it is
 * the default and the fallback of every key. 繁體中文 and English are chunks of their own, loaded
 * when chosen (issue 9: the console's first load ≤ 350 KB gzip of JS; two thirds of the strings
 * are in languages the user does not read).
 */
interface Catalogue {
  messages: Messages;
  antd: AntdLocale;
}

const BUILT_IN: Catalogue = { messages: zhCN, antd: antdZhCN };

const loaded = new Map<Locale, Catalogue>([['zh-CN', BUILT_IN]]);

const LOADERS: Record<Locale, () => Promise<Catalogue>> = {
  'zh-CN': async () => BUILT_IN,
  'zh-TW': async () => {
    const [{ zhTW }, antd] = await Promise.all([import('./zh-TW'), import('antd/es/locale/zh_TW')]);
    return { messages: zhTW, antd: antd.default };
  },
  en: async () => {
    const [{ en }, antd] = await Promise.all([import('./en'), import('antd/es/locale/en_US')]);
    return { messages: en, antd: antd.default };
  },
};

export const FALLBACK_CATALOGUE: Messages = zhCN;

/** The strings of a language, if they have been loaded. */
export function loadedCatalogue(locale: Locale): Messages | undefined {
  return loaded.get(locale)?.messages;
}

/** antd's strings for a language (those of 简体中文 until the language has loaded). */
export function antdLocale(locale: Locale): AntdLocale {
  return (loaded.get(locale) ?? BUILT_IN).antd;
}

/** Loads the strings of a language (once). */
export async function loadCatalogue(locale: Locale): Promise<Messages> {
  let catalogue = loaded.get(locale);
  if (!catalogue) {
    catalogue = await LOADERS[locale]();
    loaded.set(locale, catalogue);
  }
  return catalogue.messages;
}
