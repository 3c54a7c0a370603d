// The console in real Chromium against the real app on a fresh SQLite database: sign in, switch the
// language to Traditional Chinese and back, log a phoned-in repair with its read-back (R6), and
// find it in the list. Needs /usr/bin/chromium (Debian packages: chromium fonts-noto-cjk).
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
let page: Page;
let baseUrl: string;

/** GET with the browser's session cookie (the page's own request context). */
async function apiGet(path: string): Promise<unknown> {
  const response = await page.request.get(`${baseUrl}${path}`);
  expect(response.status()).toBe(200);
  return response.json();
}

/** Picks an option of an antd Select by its visible text, typing first to search the server. */
async function choose(page: Page, testId: string, text: string, typed?: string) {
  await page.getByTestId(testId).click();
  if (typed) await page.keyboard.type(typed);
  await page.locator('.ant-select-item-option').filter({ hasText: text }).first().click();
}

describe('web console (browser)', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ testApp, baseUrl } = await startConsole('sqlite'));
    page = await newConsolePage(browser);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('signs in as admin, switches language, and logs a ticket with its read-back', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // the console runs under its Content-Security-Policy: Chromium reports a refusal on the console
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) errors.push(message.text());
    });

    // Sign in (user name or 工号 + password); the company name comes from GET /company/public.
    await loginThroughForm(page, `${baseUrl}/tickets`, 'admin', PASSWORD);
    await page.getByRole('columnheader', { name: '工单号' }).waitFor();

    // Traditional Chinese: labels change, and the choice is saved to the account.
    await choose(page, 'language-switch', '繁體中文');
    await page.getByRole('columnheader', { name: '工單編號' }).waitFor();
    await page.getByRole('link', { name: '住戶' }).waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-TW');
    await expect.poll(async () => ((await apiGet('/api/v1/me')) as { locale: string }).locale).toBe('zh-TW');

    // And back to Simplified Chinese.
    await choose(page, 'language-switch', '简体中文');
    await page.getByRole('columnheader', { name: '工单号' }).waitFor();
    await page.getByRole('link', { name: '住户' }).waitFor();

    // Work in community A, then open the new-ticket drawer with the N key.
    const { communityA, roomA, residentA } = testApp.world;
    await choose(page, 'community-switch', communityA.name);
    await page.getByRole('heading', { name: '工单', exact: true }).click();
    await page.keyboard.press('n');
    await page.getByTestId('ticket-content').waitFor();

    // Room typed the way the desk says it; resident found by the last 4 digits of the phone (尾号).
    await choose(page, 'ticket-room', roomA.label, '3-2-1502');
    await choose(page, 'ticket-resident', residentA.name, residentA.phone.slice(-4));
    const content = '卫生间漏水';
    await page.getByTestId('ticket-content').fill(content);

    // R6: the sentence read back to the caller before saving.
    await page.getByTestId('ticket-next').click();
    const readBack = page.getByTestId('ticket-readback');
    await readBack.waitFor();
    await expect(readBack.textContent()).resolves.toBe(
      `王先生，您反映${roomA.label}：${content}，我们已为您登记报修，对吗？`,
    );
    await page.getByTestId('ticket-confirm').click();

    const toast = page.getByText(/工单 GD\d{8}-\d{4} 已登记/);
    await toast.waitFor();
    const number = (await toast.textContent())?.match(/GD\d{8}-\d{4}/)?.[0];
    expect(number).toBeTruthy();

    // The drawer closes on success; the new ticket is in the list with its place, resident and content.
    await page.getByTestId('ticket-content').waitFor({ state: 'detached' });
    const row = page.getByTestId(`ticket-row-${number}`);
    await row.waitFor();
    const rowText = await row.textContent();
    expect(rowText).toContain(roomA.label);
    expect(rowText).toContain(residentA.name);
    expect(rowText).toContain(content);
    expect(rowText).toContain('报修');
    expect(rowText).toContain('已受理');

    await page.screenshot({ path: screenshotPath('console-tickets.png'), fullPage: true });

    // Exactly one ticket was created, in community A.
    const { items: created } = (await apiGet(`/api/v1/tickets?communityId=${communityA.id}`)) as {
      items: { number: string; content: string }[];
    };
    expect(created.filter((ticket) => ticket.content === content).map((ticket) => ticket.number)).toEqual([
      number,
    ]);
    expect(errors).toEqual([]);
  }, 120_000);
});
