import { describe, expect, it } from 'vitest';
import { foldText, indexArticle, initialsOf, queryTerms, rankArticles } from './knowledge.js';

const article = (
  id: string,
  question: string,
  answer: string,
  keywords: string[],
  communityId: string | null = null,
) => ({
  id,
  question,
  answer,
  keywords,
  communityId,
});

const ARTICLES = [
  article('fee', '物业费怎么交？', '到前台缴纳，或线上缴纳', ['物业费', '缴费']),
  article('reno', '装修需要办理什么手续？（装修申报流程）', '先办理装修申报，领取装修许可证', [
    '装修',
    '装修申报',
  ]),
  article('reno-time', '装修施工时间有什么规定？', '装修施工须在规定时间内进行', ['施工时间']),
  article('card', '门禁卡丢失了怎么补办？', '先挂失，再到客户服务中心补办', ['门禁卡', '补卡']),
  article('noise', '邻居噪音怎么办？', '如楼上装修噪音扰民，我们会上门协调', ['噪音']),
];
const rank = (query: string, items = ARTICLES) =>
  rankArticles(items, (a) => indexArticle(a), query).map((a) => a.id);

describe('knowledge base search (R32)', () => {
  it('folds Traditional, full-width, case, spaces and punctuation', () => {
    expect(foldText('裝修　申報！ＡＢ c')).toBe('装修申报abc');
    expect(queryTerms(' 装修,  门禁卡 ')).toEqual(['装修', '门禁卡']);
    expect(queryTerms('，。！')).toEqual([]);
  });

  it('ranks a word in the question or keywords above one only in the answer', () => {
    expect(rank('装修')).toEqual(['reno', 'reno-time', 'noise']);
    expect(rank('装修申报')[0]).toBe('reno');
  });

  it('finds Traditional characters typed by a zh-TW agent', () => {
    expect(rank('門禁卡')).toEqual(['card']);
  });

  it('matches pinyin initials (zxsb → 装修申报, mjk → 门禁卡)', () => {
    expect(initialsOf('装修申报')).toBe('zxsb');
    expect(rank('zxsb')).toEqual(['reno']);
    expect(rank('mjk')).toEqual(['card']);
  });

  it('needs every term, and finds a phrase worded differently by its pairs of characters', () => {
    expect(rank('门禁卡 物业费')).toEqual([]);
    expect(rank('门禁卡补办')).toEqual(['card']);
    expect(rank('电梯')).toEqual([]);
  });

  it("puts the community's own answer before the company-wide one on a tie", () => {
    const own = article('own', '物业费怎么交？', '到前台缴纳，或线上缴纳', ['物业费', '缴费'], 'c1');
    expect(rank('物业费', [...ARTICLES, own]).slice(0, 2)).toEqual(['own', 'fee']);
  });

  it('lists everything for an empty query', () => {
    expect(rank('')).toHaveLength(ARTICLES.length);
  });
});
