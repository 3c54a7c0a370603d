/**
 * The service-language hits of a text as the console shows them (PRODUCT.md §6): where they are,
 * which of them overlap, how the text and the other hits change when one is replaced by its
 * alternative, and how hits found for an older text carry over to the text as typed since. Pure:
 * the unit tests run it without a browser.
 *
 * Offsets are UTF-16 code units into the text (the checker's contract), so `text.slice(start, end)`
 * is the phrase as typed.
 */
export type LanguageSeverity = 'forbidden' | 'warning';

export interface LanguageHit {
  start: number;
  end: number;
  phrase: string;
  category: string;
  severity: LanguageSeverity;
  alternative: string | null;
}

const rank = (hit: LanguageHit) => (hit.severity === 'forbidden' ? 1 : 0);

/**
 * The hits in text order, with no two overlapping: of overlapping hits the forbidden one wins
 * over a warning, then the longer one, then the earlier one. Empty or inverted ranges are dropped.
 */
export function mergeHits(hits: readonly LanguageHit[]): LanguageHit[] {
  const preferred = hits
    .filter((hit) => hit.end > hit.start && hit.start >= 0)
    .sort(
      (a, b) =>
        rank(b) - rank(a) || b.end - b.start - (a.end - a.start) || a.start - b.start || a.end - b.end,
    );
  const kept: LanguageHit[] = [];
  for (const hit of preferred) {
    if (kept.every((other) => hit.end <= other.start || hit.start >= other.end)) kept.push(hit);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * The hits found for `before`, moved onto `after` (the text as it has been edited since): one
 * contiguous edit is assumed (what typing, pasting or a replacement does); hits before it stay,
 * hits after it shift by the change in length, hits touched by it are dropped (the next check
 * finds them again if they are still there).
 */
export function rebaseHits(hits: readonly LanguageHit[], before: string, after: string): LanguageHit[] {
  if (before === after) return [...hits];
  let prefix = 0;
  const shortest = Math.min(before.length, after.length);
  while (prefix < shortest && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix += 1;
  let suffix = 0;
  while (
    suffix < shortest - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  )
    suffix += 1;
  const editEnd = before.length - suffix;
  const delta = after.length - before.length;
  const moved: LanguageHit[] = [];
  for (const hit of hits) {
    if (hit.end <= prefix) moved.push(hit);
    else if (hit.start >= editEnd) moved.push({ ...hit, start: hit.start + delta, end: hit.end + delta });
  }
  return moved;
}

export interface Replaced {
  text: string;
  /** The other hits, moved to where they now are. */
  hits: LanguageHit[];
  /** Where the caret goes: just after the alternative. */
  caret: number;
}

/**
 * Replaces the hit's phrase (`text.slice(start, end)`) with its alternative. A hit without an
 * alternative, or one that no longer matches the text, leaves everything as it is.
 */
export function applyReplacement(text: string, hits: readonly LanguageHit[], hit: LanguageHit): Replaced {
  const others = hits.filter((other) => other !== hit);
  if (hit.alternative === null || hit.end > text.length || hit.start < 0 || hit.end <= hit.start) {
    return { text, hits: [...hits], caret: Math.min(hit.end, text.length) };
  }
  const alternative = hit.alternative;
  const next = text.slice(0, hit.start) + alternative + text.slice(hit.end);
  const delta = alternative.length - (hit.end - hit.start);
  const moved: LanguageHit[] = [];
  for (const other of others) {
    if (other.end <= hit.start) moved.push(other);
    else if (other.start >= hit.end)
      moved.push({ ...other, start: other.start + delta, end: other.end + delta });
    // an overlapping hit is gone with the replaced phrase
  }
  return { text: next, hits: moved, caret: hit.start + alternative.length };
}

export interface Segment {
  /** Where the piece starts in the text. */
  start: number;
  text: string;
  hit: LanguageHit | null;
}

/** The text cut at the (merged) hits: what the highlight layer draws. */
export function segmentText(text: string, hits: readonly LanguageHit[]): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (const hit of mergeHits(hits)) {
    if (hit.start >= text.length) break;
    const end = Math.min(hit.end, text.length);
    if (hit.start > at) segments.push({ start: at, text: text.slice(at, hit.start), hit: null });
    segments.push({ start: hit.start, text: text.slice(hit.start, end), hit });
    at = end;
  }
  if (at < text.length) segments.push({ start: at, text: text.slice(at), hit: null });
  return segments;
}

export const OVERRIDE_REASON_MIN = 2;
export const OVERRIDE_REASON_MAX = 200;

/** An override's reason as the server takes it: trimmed, 2–200 characters; null when not valid. */
export function overrideReason(text: string | undefined): string | null {
  const reason = (text ?? '').trim();
  return reason.length >= OVERRIDE_REASON_MIN && reason.length <= OVERRIDE_REASON_MAX ? reason : null;
}
