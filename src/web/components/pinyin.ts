import { useEffect, useState } from 'react';

/** How a label is typed without its characters: pinyin initials ("lsss" for 漏水渗水) or in full. */
export interface SearchKeys {
  initials: string;
  pinyin: string;
}
export type KeysOf = (text: string) => SearchKeys;

let loading: Promise<KeysOf> | null = null;

/**
 * The pinyin reader (pinyin-pro, a large dictionary) is fetched on first use, off the console's
 * main bundle; its keys are cached per label, since option lists are filtered on every key press.
 */
export function loadPinyinKeys(): Promise<KeysOf> {
  loading ??= import('../../domain/names').then(({ nameSearchKeys }) => {
    const cache = new Map<string, SearchKeys>();
    return (text: string) => {
      let keys = cache.get(text);
      if (!keys) {
        keys = nameSearchKeys(text);
        cache.set(text, keys);
      }
      return keys;
    };
  });
  return loading;
}

/** The pinyin reader once loaded (null until then: matching falls back to the characters). */
export function usePinyinKeys(): KeysOf | null {
  const [keysOf, setKeysOf] = useState<KeysOf | null>(null);
  useEffect(() => {
    let live = true;
    loadPinyinKeys()
      .then((reader) => {
        if (live) setKeysOf(() => reader);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return keysOf;
}

/**
 * Whether what the agent typed finds this label: its characters anywhere ("漏水"), or the start of
 * its pinyin initials ("ls") or full pinyin ("loushui"), case and spaces ignored.
 */
export function matchesTyped(label: string, typed: string, keysOf: KeysOf | null): boolean {
  const query = typed.replace(/\s+/g, '').toLowerCase();
  if (!query) return true;
  if (label.toLowerCase().includes(query)) return true;
  if (!keysOf || !/^[a-z]+$/.test(query)) return false;
  const keys = keysOf(label);
  return keys.initials.startsWith(query) || keys.pinyin.startsWith(query);
}
