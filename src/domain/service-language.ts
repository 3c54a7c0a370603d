/**
 * Service language (服务用语), PRODUCT.md §6: the checker that finds forbidden phrases (服务禁用语)
 * and confrontational patterns in any text we send to a resident. Pure, no I/O; the server and the
 * console share it.
 *
 * It is not fooled by what people actually type: both texts and library phrases are normalised the
 * same way, one character at a time, keeping a map from every normalised character back to the
 * original text so hits report ORIGINAL UTF-16 offsets (`text.slice(start, end)` is what to replace):
 * - Traditional → Simplified (opencc-js, tw/hk → cn, character by character);
 * - full-width → half-width (NFKC), letters lower-cased;
 * - spaces, punctuation, symbols and invisible characters (zero-width space/joiner, BOM …) dropped;
 * - runs of the same character collapsed (我我我不知道 → 我不知道).
 *
 * Pattern syntax of a library entry:
 * - `你怎么*`: a trailing `*` extends the hit over the characters that follow, up to the next
 *   punctuation, space or end of text (the whole confrontational clause);
 * - `^不知道$`: a leading `^` / trailing `$` require the phrase to start / end a sentence (the text's
 *   start or end, or punctuation or space next to it): "不知道。" is flagged, "不知道您何时方便" is not;
 * - any punctuation inside a phrase is ignored ("小问题，不用管它" matches "小问题不用管它").
 *
 * Matching is one pass of an Aho–Corasick automaton over the normalised text (compiled once per
 * library), so the cost grows with the text, not with the library.
 */
import * as OpenCC from 'opencc-js';

export const PHRASE_SEVERITIES = ['forbidden', 'warning', 'polite'] as const;
export type PhraseSeverity = (typeof PHRASE_SEVERITIES)[number];
export type HitSeverity = 'forbidden' | 'warning';

/** Longest text the checker API accepts (the contract's limit). */
export const LANGUAGE_TEXT_MAX = 5000;

export interface LanguageEntry {
  phrase: string;
  category: string;
  severity: PhraseSeverity;
  alternative?: string | null;
}

export interface LanguageHit {
  /** UTF-16 offsets into the original text. */
  start: number;
  end: number;
  /** The library phrase as people read it (pattern syntax shown as …). */
  phrase: string;
  category: string;
  severity: HitSeverity;
  alternative: string | null;
}

interface Pattern {
  phrase: string;
  category: string;
  severity: HitSeverity;
  alternative: string | null;
  /** Length of the normalised key, in characters. */
  length: number;
  anchorStart: boolean;
  anchorEnd: boolean;
  extend: boolean;
}

export interface CompiledLibrary {
  /** Automaton: goto transitions, failure links, and the patterns ending at each state. */
  readonly next: Map<string, number>[];
  readonly fail: number[];
  readonly out: number[][];
  readonly patterns: Pattern[];
}

// ---------------------------------------------------------------------------------------------
// Normalisation

const twToCn = OpenCC.Converter({ from: 'tw', to: 'cn' });
const hkToCn = OpenCC.Converter({ from: 'hk', to: 'cn' });
const cnToTw = OpenCC.Converter({ from: 'cn', to: 'tw' });

/**
 * Traditional characters that OpenCC keeps as they are on their own (they are also valid
 * Simplified in other words) but that people type for the Simplified one in these phrases.
 */
const VARIANTS: Record<string, string> = { 著: '着', 乾: '干', 於: '于', 鍾: '钟', 祇: '只' };

/** Dropped between characters: separators, punctuation, symbols, controls and format chars (ZWSP …). */
const DROPPED = /^[\p{Z}\p{P}\p{S}\p{C}\s]+$/u;

const CHAR_CACHE_MAX = 50_000;
const charCache = new Map<string, string>();

/** One code point of the original text → its normalised form ('' when dropped). */
function normaliseChar(ch: string): string {
  const cached = charCache.get(ch);
  if (cached !== undefined) return cached;
  let c = ch.normalize('NFKC').toLowerCase();
  const kept = Array.from(c).filter((x) => !DROPPED.test(x));
  if (kept.length === 0) c = '';
  else if (kept.length === 1) c = kept[0] as string;
  else c = ch.toLowerCase();
  // A character that is already Simplified-only (么, 着 …) stays: converting it "from Traditional"
  // would turn it into another character (么 → 幺).
  if (c !== '' && cnToTw(c) === c) {
    let simplified = VARIANTS[c] ?? twToCn(c);
    if (simplified === c) simplified = hkToCn(c);
    if (Array.from(simplified).length === 1) c = simplified;
  }
  if (charCache.size >= CHAR_CACHE_MAX) charCache.clear();
  charCache.set(ch, c);
  return c;
}

export interface NormalisedText {
  /** Normalised characters (one code point each). */
  chars: string[];
  /** Original UTF-16 start of each normalised character (the first of a collapsed run). */
  start: number[];
  /** Original UTF-16 end of each normalised character (the last of a collapsed run). */
  end: number[];
  /** A sentence boundary (text start, punctuation or space) just before this character. */
  boundaryBefore: boolean[];
  /** Same after the last character: true (text end). */
}

export function normaliseText(text: string): NormalisedText {
  const chars: string[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const boundaryBefore: boolean[] = [];
  let droppedSince = true;
  let offset = 0;
  for (const ch of text) {
    const from = offset;
    offset += ch.length;
    const c = normaliseChar(ch);
    if (c === '') {
      droppedSince = true;
      continue;
    }
    const last = chars.length - 1;
    if (last >= 0 && chars[last] === c) {
      end[last] = offset;
      droppedSince = false;
      continue;
    }
    chars.push(c);
    start.push(from);
    end.push(offset);
    boundaryBefore.push(droppedSince);
    droppedSince = false;
  }
  return { chars, start, end, boundaryBefore };
}

/** The normalised form of a text, as one string (what library phrases are keyed by). */
export function normalisedKey(text: string): string {
  return normaliseText(text).chars.join('');
}

// ---------------------------------------------------------------------------------------------
// Library

/** Parses the pattern syntax: the bare phrase and its flags. */
export function parsePattern(phrase: string): {
  body: string;
  anchorStart: boolean;
  anchorEnd: boolean;
  extend: boolean;
} {
  let body = phrase.trim();
  const anchorStart = body.startsWith('^');
  if (anchorStart) body = body.slice(1);
  let anchorEnd = false;
  let extend = false;
  if (body.endsWith('$')) {
    anchorEnd = true;
    body = body.slice(0, -1);
  } else if (body.endsWith('*')) {
    extend = true;
    body = body.slice(0, -1);
  }
  return { body, anchorStart, anchorEnd, extend };
}

/** How a library phrase reads to people: the syntax markers removed, `*` shown as …. */
export function displayPhrase(phrase: string): string {
  const p = parsePattern(phrase);
  return p.extend ? `${p.body}…` : p.body;
}

/** Compiles the forbidden and warning entries (polite ones are not matched) into an automaton. */
export function compileLibrary(entries: readonly LanguageEntry[]): CompiledLibrary {
  const next: Map<string, number>[] = [new Map()];
  const out: number[][] = [[]];
  const patterns: Pattern[] = [];
  for (const entry of entries) {
    if (entry.severity === 'polite') continue;
    const parsed = parsePattern(entry.phrase);
    const key = normaliseText(parsed.body).chars;
    if (key.length === 0) continue;
    let state = 0;
    for (const c of key) {
      const map = next[state] as Map<string, number>;
      let to = map.get(c);
      if (to === undefined) {
        to = next.length;
        next.push(new Map());
        out.push([]);
        map.set(c, to);
      }
      state = to;
    }
    (out[state] as number[]).push(patterns.length);
    patterns.push({
      phrase: displayPhrase(entry.phrase),
      category: entry.category,
      severity: entry.severity,
      alternative: entry.alternative ?? null,
      length: key.length,
      anchorStart: parsed.anchorStart,
      anchorEnd: parsed.anchorEnd,
      extend: parsed.extend,
    });
  }
  // Failure links, breadth first; each state's outputs include those of its failure chain.
  const fail: number[] = new Array(next.length).fill(0);
  const queue: number[] = [];
  for (const to of (next[0] as Map<string, number>).values()) queue.push(to);
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] as number;
    for (const [c, to] of next[state] as Map<string, number>) {
      queue.push(to);
      let f = fail[state] as number;
      while (f !== 0 && !(next[f] as Map<string, number>).has(c)) f = fail[f] as number;
      const target = (next[f] as Map<string, number>).get(c);
      fail[to] = target !== undefined && target !== to ? target : 0;
      const inherited = out[fail[to] as number] as number[];
      if (inherited.length > 0) out[to] = [...(out[to] as number[]), ...inherited];
    }
  }
  return { next, fail, out, patterns };
}

// ---------------------------------------------------------------------------------------------
// Checking

const SEVERITY_RANK: Record<HitSeverity, number> = { forbidden: 0, warning: 1 };

/**
 * Every forbidden phrase and confrontational pattern in `text`, in text order. Where hits overlap
 * only one is kept: a forbidden one before a warning, then the longer.
 */
export function checkText(text: string, compiled: CompiledLibrary): LanguageHit[] {
  if (compiled.patterns.length === 0 || text.length === 0) return [];
  const norm = normaliseText(text);
  const { chars, boundaryBefore } = norm;
  const n = chars.length;
  const candidates: { hit: LanguageHit; rank: number; length: number }[] = [];
  let state = 0;
  for (let i = 0; i < n; i++) {
    const c = chars[i] as string;
    let to = (compiled.next[state] as Map<string, number>).get(c);
    while (to === undefined && state !== 0) {
      state = compiled.fail[state] as number;
      to = (compiled.next[state] as Map<string, number>).get(c);
    }
    state = to ?? 0;
    const ending = compiled.out[state] as number[];
    for (const index of ending) {
      const p = compiled.patterns[index] as Pattern;
      const first = i - p.length + 1;
      if (p.anchorStart && !boundaryBefore[first]) continue;
      if (p.anchorEnd && i + 1 < n && !boundaryBefore[i + 1]) continue;
      let last = i;
      if (p.extend) while (last + 1 < n && !boundaryBefore[last + 1]) last++;
      candidates.push({
        hit: {
          start: norm.start[first] as number,
          end: norm.end[last] as number,
          phrase: p.phrase,
          category: p.category,
          severity: p.severity,
          alternative: p.alternative,
        },
        rank: SEVERITY_RANK[p.severity],
        length: last - first + 1,
      });
    }
  }
  if (candidates.length === 0) return [];
  candidates.sort((a, b) => a.rank - b.rank || b.length - a.length || a.hit.start - b.hit.start);
  const kept: LanguageHit[] = [];
  for (const { hit } of candidates) {
    if (kept.some((k) => hit.start < k.end && k.start < hit.end)) continue;
    kept.push(hit);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** The hits that block sending (warnings never do). */
export function forbiddenHits(hits: readonly LanguageHit[]): LanguageHit[] {
  return hits.filter((h) => h.severity === 'forbidden');
}
