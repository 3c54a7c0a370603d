// Satisfaction surveys in real Chromium against the real app on a fresh SQLite database
// (PRODUCT.md §5 R36): a supervisor builds a 3-question survey in the builder and sends it; a
// resident opens their one-time link on a phone-sized screen, answers and is thanked (R35); the
// supervisor's results show the response. Needs /usr/bin/chromium (Debian: chromium fonts-noto-cjk).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../src/server/platform/context.js';
import { PASSWORD, type TestApp } from '../helpers/app.js';
import {
  launchBrowser,
  loginThroughForm,
  newConsolePage,
  screenshotPath,
  startConsole,
} from '../helpers/browser.js';

const TITLE = '2026 年度住户满意度调查';

let testApp: TestApp;
let browser: Browser;
let baseUrl: string;
let desk: Page;
const pageErrors: string[] = [];

describe('a satisfaction survey built, sent, answered on a phone and read (browser)', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ testApp, baseUrl } = await startConsole('sqlite', {
      seed: async (app) => {
        // a second resident of community A: two invitations
        await app.services.residents.create(systemContext(), {
          communityId: app.world.communityA.id,
          roomId: app.world.roomA.id,
          name: '张丽',
          phone: '13700137001',
          salutation: 'ms',
          kind: 'tenant',
        });
      },
    }));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('R36: the supervisor builds a 3-question survey (scale, single choice, text) and sends it', async () => {
    desk = await newConsolePage(browser);
    desk.on('pageerror', (error) => pageErrors.push(error.message));
    await loginThroughForm(desk, `${baseUrl}/surveys`, 'supervisor-a', PASSWORD);
    await desk.getByRole('menuitem', { name: '满意度调查' }).waitFor();
    await desk.getByTestId('survey-create').click();
    await desk.getByTestId('survey-title').fill(TITLE);
    // question 1: the default 1–5 scale
    await desk.getByTestId('question-text-0').fill('请为客服中心的总体服务打分');
    // question 2: a single choice with three options
    await desk.getByTestId('survey-add-question').click();
    const second = desk.getByTestId('question-1');
    await second.getByText('单选', { exact: true }).click();
    await desk.getByTestId('question-text-1').fill('您对小区保洁是否满意？');
    await desk.getByTestId('question-1-option-0').fill('满意');
    await desk.getByTestId('question-1-option-1').fill('不满意');
    await desk.getByTestId('question-1-add-option').click();
    await desk.getByTestId('question-1-option-2').fill('一般');
    // question 3: text, written first as the second question and moved down
    await desk.getByTestId('survey-add-question').click();
    const third = desk.getByTestId('question-2');
    await third.getByText('文字', { exact: true }).click();
    await desk.getByTestId('question-text-2').fill('您还有什么意见或建议？');
    await third.getByRole('button', { name: '上移' }).click();
    await expect(desk.getByTestId('question-text-1').inputValue()).resolves.toBe('您还有什么意见或建议？');
    await desk.getByTestId('question-1').getByRole('button', { name: '下移' }).click();
    await expect(desk.getByTestId('question-text-2').inputValue()).resolves.toBe('您还有什么意见或建议？');
    await desk.screenshot({ path: screenshotPath('surveys-builder.png'), fullPage: true });
    await desk.getByTestId('survey-save').click();
    await desk.getByText('问卷已保存').waitFor();

    const row = desk.locator('tr', { hasText: TITLE });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('草稿');
    await row.getByRole('button', { name: /发\s*出/ }).click();
    await desk.locator('.ant-modal-confirm-title', { hasText: `发出问卷「${TITLE}」？` }).waitFor();
    await desk
      .locator('.ant-modal-confirm')
      .getByRole('button', { name: /发\s*出/ })
      .click();
    await desk.getByText('问卷已发出，共邀请 2 位住户').waitFor();
    await expect.poll(() => row.textContent()).toContain('进行中');
    await desk.locator('.ant-modal-confirm').waitFor({ state: 'hidden' });
    await desk.screenshot({ path: screenshotPath('surveys-list.png'), fullPage: true });

    const survey = await testApp.testDb.database.db
      .selectFrom('surveys')
      .selectAll()
      .where('title', '=', TITLE)
      .executeTakeFirstOrThrow();
    expect(survey).toMatchObject({ status: 'open', anonymous: 1 });
    const questions = await testApp.testDb.database.db
      .selectFrom('survey_questions')
      .select(['kind', 'text', 'options'])
      .where('survey_id', '=', survey.id)
      .orderBy('position')
      .execute();
    expect(questions).toEqual([
      { kind: 'scale', text: '请为客服中心的总体服务打分', options: null },
      { kind: 'single', text: '您对小区保洁是否满意？', options: JSON.stringify(['满意', '不满意', '一般']) },
      { kind: 'text', text: '您还有什么意见或建议？', options: null },
    ]);
  }, 90_000);

  it('R36 R35: the resident answers on a 375×812 phone and is thanked; the supervisor sees the response', async () => {
    // the link as the resident receives it, in the message of the outbox
    const message = await testApp.testDb.database.db
      .selectFrom('notifications')
      .select('body')
      .where('event', '=', 'survey')
      .where('resident_id', '=', testApp.world.residentA.id)
      .executeTakeFirstOrThrow();
    const token = /\/s\/([A-Za-z0-9_-]{43})/.exec(message.body)![1]!;

    const page = await browser.newPage({
      viewport: { width: 375, height: 812 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${baseUrl}/s/${token}`);
    await expect(page.getByTestId('survey-title').textContent()).resolves.toBe(TITLE);
    await page.screenshot({ path: screenshotPath('surveys-phone.png'), fullPage: true });
    const width = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
          .documentElement.scrollWidth,
    );
    expect(width).toBeLessThanOrEqual(375);

    // required questions left out: asked for, nothing sent
    await page.getByTestId('survey-submit').click();
    await page.getByText('请回答所有必答题').first().waitFor();

    await page.getByTestId('survey-question-0').locator('li.ant-rate-star').nth(3).click();
    await page.getByTestId('survey-question-1').getByText('一般', { exact: true }).click();
    await page.getByTestId('survey-question-2').locator('textarea').fill('希望增加夜间巡逻');
    await page.screenshot({ path: screenshotPath('surveys-phone-filled.png'), fullPage: true });
    await page.getByTestId('survey-submit').click();
    await expect(page.getByTestId('survey-thanks').textContent()).resolves.toBe('感谢您的宝贵意见');
    await page.screenshot({ path: screenshotPath('surveys-thanks.png'), fullPage: true });

    // opened again: used
    await page.goto(`${baseUrl}/s/${token}`);
    await expect(page.getByTestId('survey-unavailable').textContent()).resolves.toBe(
      '您已经提交过这份问卷了，感谢您的宝贵意见！',
    );
    await page.close();

    // the supervisor's results: one response, the score, the choice and the text
    await desk.reload();
    const row = desk.locator('tr', { hasText: TITLE });
    await expect.poll(() => row.textContent()).toContain('1/2');
    await row.getByRole('button', { name: /结\s*果/ }).click();
    const results = desk.getByTestId('survey-results');
    await results.waitFor();
    await expect(desk.getByTestId('survey-responded').textContent()).resolves.toBe('1');
    await expect(results.textContent()).resolves.toContain('平均 4 分');
    await expect(desk.getByTestId('survey-bar-1-2').textContent()).resolves.toContain('1 票');
    await expect(desk.getByTestId('survey-texts-2').textContent()).resolves.toContain('希望增加夜间巡逻');
    // the drawer's slide-in finished before the picture
    await desk.waitForTimeout(600);
    await desk.screenshot({ path: screenshotPath('surveys-results.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
