import type { Locale } from '../api/types';
import { en } from './en';
import { type Messages, zhCN } from './zh-CN';
import { zhTW } from './zh-TW';

export type { Messages };
export const messages: Record<Locale, Messages> = { 'zh-CN': zhCN, 'zh-TW': zhTW, en };

/** Dotted paths of every string in the catalogue, e.g. `tickets.type.repair`. */
type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];
export type MessageKey = Leaves<Messages>;
export type MessageParams = Record<string, string | number>;

/** Language names are shown in their own language, whatever the current locale. */
export const LOCALE_NAMES: Record<Locale, string> = {
  'zh-CN': '简体中文',
  'zh-TW': '繁體中文',
  en: 'English',
};

export function lookup(catalogue: Messages, key: string): string | undefined {
  let node: unknown = catalogue;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export function interpolate(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}
