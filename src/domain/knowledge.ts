import * as OpenCC from 'opencc-js/t2cn';
import { pinyin } from 'pinyin-pro';

/**
 * The knowledge base of standard answers (R32): "never answer 不知道, look it up" [000]. Search
 * ranks articles in memory (a company has hundreds, not millions): a term found in the question
 * or the keywords counts more than one in the answer; Traditional characters, full-width forms
 * and case are folded, and a term of Latin letters also matches the pinyin initials (zxsb → 装修申报).
 */

export const KB_CATEGORIES = [
  'fees',
  'parking',
  'renovation',
  'move_in',
  'outage',
  'lost_card',
  'other',
] as const;
export type KbCategory = (typeof KB_CATEGORIES)[number];

export const KB_LIMITS = {
  question: 200,
  answer: 4000,
  keyword: 20,
  keywords: 20,
  query: 50,
} as const;

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

/** Full-width to half-width, lower case, Traditional to Simplified, and no spaces or punctuation. */
export function foldText(text: string): string {
  return toSimplified(text.normalize('NFKC').toLowerCase()).replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** The first letters of the pinyin of each Chinese character (other letters and digits kept). */
export function initialsOf(text: string): string {
  const folded = foldText(text);
  if (!folded) return '';
  return pinyin(folded, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase();
}

export interface SearchableArticle {
  question: string;
  answer: string;
  keywords: readonly string[];
}

/** The folded forms search compares against; compute once per article version and keep. */
export interface ArticleIndex {
  question: string;
  answer: string;
  keywords: string[];
  questionInitials: string;
  keywordInitials: string[];
}

export function indexArticle(article: SearchableArticle): ArticleIndex {
  return {
    question: foldText(article.question),
    answer: foldText(article.answer),
    keywords: article.keywords.map(foldText).filter(Boolean),
    questionInitials: initialsOf(article.question),
    keywordInitials: article.keywords.map(initialsOf).filter(Boolean),
  };
}

/** The terms of a query: split on spaces and punctuation, folded; empty ones dropped. */
export function queryTerms(query: string): string[] {
  return query
    .split(/[\s\p{P}]+/u)
    .map(foldText)
    .filter((term) => term.length > 0)
    .slice(0, 8);
}

function bigrams(text: string): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/** How well one term matches: 0 when it does not. */
function termScore(index: ArticleIndex, term: string): number {
  let score = 0;
  if (index.keywords.includes(term)) score += 12;
  else if (index.keywords.some((k) => k.includes(term))) score += 8;
  if (index.question.startsWith(term)) score += 12;
  else if (index.question.includes(term)) score += 10;
  if (index.answer.includes(term)) score += 3;
  if (score === 0 && /^[a-z]{2,}$/.test(term)) {
    // pinyin initials: zxsb → 装修申报
    if (index.keywordInitials.includes(term)) score += 6;
    else if (index.questionInitials.includes(term)) score += 5;
    else if (index.keywordInitials.some((k) => k.includes(term))) score += 4;
  }
  if (score === 0 && Array.from(term).length >= 3) {
    // a longer phrase worded differently (门禁卡补办 for 门禁卡丢失了怎么补办): most of its pairs of characters
    const pairs = bigrams(term);
    const haystack = `${index.question}|${index.keywords.join('|')}`;
    const found = pairs.filter((p) => haystack.includes(p)).length;
    if (found / pairs.length >= 0.6) score += Math.round((4 * found) / pairs.length);
  }
  return score;
}

/** The article's score for a query: every term must match somewhere, or 0. */
export function searchScore(index: ArticleIndex, terms: readonly string[]): number {
  let total = 0;
  for (const term of terms) {
    const score = termScore(index, term);
    if (score === 0) return 0;
    total += score;
  }
  return total;
}

/**
 * The articles matching a query, best first; ties: the community's own before company-wide ones,
 * then the question in order. An empty query lists them all in that order.
 */
export function rankArticles<T extends { id: string; question: string; communityId: string | null }>(
  articles: readonly T[],
  indexOf: (article: T) => ArticleIndex,
  query: string,
): T[] {
  const terms = queryTerms(query);
  const scored = articles
    .map((article) => ({ article, score: terms.length ? searchScore(indexOf(article), terms) : 1 }))
    .filter((s) => s.score > 0);
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      Number(b.article.communityId !== null) - Number(a.article.communityId !== null) ||
      a.article.question.localeCompare(b.article.question, 'zh-CN') ||
      a.article.id.localeCompare(b.article.id),
  );
  return scored.map((s) => s.article);
}
