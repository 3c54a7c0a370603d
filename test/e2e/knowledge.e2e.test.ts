// The knowledge base in real Chromium against the real app on a fresh SQLite database (PRODUCT.md
// §4 R32): an agent searches 装修 on the knowledge page and copies the answer; from the call desk
// the quick search finds 门禁卡; a supervisor marks an answer reviewed. Needs /usr/bin/chromium.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, type TestApp } from '../helpers/app.js';
import {
  launchBrowser,
  loginThroughForm,
  newConsolePage,
  screenshotPath,
  startConsole,
} from '../helpers/browser.js';

let testApp: TestApp;
let browser: Browser;
let baseUrl: string;
const pageErrors: string[] = [];

async function deskPage(): Promise<Page> {
  const page = await newConsolePage(browser);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return page;
}

describe('the knowledge base: search, copy, quick look-up from the call desk, review (browser)', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ testApp, baseUrl } = await startConsole('sqlite'));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('R32: an agent searches 装修 and copies the answer', async () => {
    const page = await deskPage();
    await loginThroughForm(page, `${baseUrl}/knowledge`, 'agent-a', PASSWORD);
    await page.getByRole('menuitem', { name: '知识库' }).waitFor();
    await page.getByTestId('kb-search').locator('input').fill('装修');
    const first = page.getByTestId('kb-result').first();
    await expect
      .poll(async () => (await first.textContent()) ?? '', { timeout: 5_000 })
      .toContain('装修申报');
    await first.click();
    const article = page.getByTestId('kb-article');
    await expect.poll(async () => (await article.textContent()) ?? '').toContain('装修申报');
    // an agent reads; only leaders keep the answers
    expect(await page.getByTestId('kb-edit').count()).toBe(0);
    await article.getByTestId('kb-copy').click();
    await page.getByText('答案已复制').waitFor();
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(copied).toContain('装修申报');
    expect(copied).toBe(await article.getByTestId('kb-answer').textContent());
    await page.screenshot({ path: screenshotPath('knowledge-search.png'), fullPage: true });
    await page.close();
  });

  it('R32: from the call desk the quick search finds 门禁卡', async () => {
    const page = await deskPage();
    await loginThroughForm(page, `${baseUrl}/calls`, 'agent-a', PASSWORD);
    await page.getByTestId('kb-quick-open').click();
    const drawer = page.getByTestId('kb-quick');
    await drawer.getByTestId('kb-quick-input').locator('input').fill('门禁卡');
    const question = drawer.getByTestId('kb-quick-question').first();
    await expect
      .poll(async () => (await question.textContent()) ?? '', { timeout: 5_000 })
      .toContain('门禁卡');
    await expect
      .poll(async () => (await drawer.getByTestId('kb-answer').first().textContent()) ?? '')
      .toContain('挂失');
    await drawer.getByTestId('kb-copy').first().click();
    await page.getByText('答案已复制').waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toContain('门禁卡');
    await page.screenshot({ path: screenshotPath('knowledge-call-desk.png'), fullPage: true });
    await page.close();
  });

  it('R32: a supervisor marks an answer reviewed; it leaves the review list', async () => {
    const page = await deskPage();
    await loginThroughForm(page, `${baseUrl}/knowledge`, 'supervisor-a', PASSWORD);
    const tab = page.getByTestId('kb-tab-due');
    await expect.poll(async () => (await tab.textContent()) ?? '').toMatch(/待复核 \(\d+\)/);
    const before = Number(((await tab.textContent()) ?? '').match(/\((\d+)\)/)![1]);
    await tab.click();
    const row = page.getByTestId('kb-due').locator('tr', { hasText: '门禁卡丢失了怎么补办' });
    await row.waitFor();
    await page.screenshot({ path: screenshotPath('knowledge-review-due.png'), fullPage: true });
    await row.getByTestId('kb-review').click();
    await page.getByText(/已标记为已复核，下次复核日期 \d{4}-\d{2}-\d{2}/).waitFor();
    await row.waitFor({ state: 'detached' });
    await expect.poll(async () => (await tab.textContent()) ?? '').toBe(`待复核 (${before - 1})`);
    const audit = await testApp.testDb.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name'])
      .where('action', '=', 'knowledge.reviewed')
      .execute();
    expect(audit).toEqual([{ action: 'knowledge.reviewed', actor_name: '测试supervisor-a' }]);
    // the scripts tab: rendered for the supervisor, with their 工号
    await page.getByTestId('kb-tab-scripts').click();
    const greeting = page.getByTestId('kb-script-greeting');
    await expect.poll(async () => (await greeting.textContent()) ?? '').toMatch(/工号\d+/);
    await page.screenshot({ path: screenshotPath('knowledge-scripts.png'), fullPage: true });
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
