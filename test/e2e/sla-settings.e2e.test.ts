// 时限设置 in real Chromium against the real app on a fresh SQLite database (PRODUCT.md §3): the
// admin changes a policy's minutes and adds a community override, re-applies the policies to the
// running clocks, gives a community its own business calendar (a Saturday with a lunch break, a
// holiday) after the editor refused an interval that ends before it starts, and finds all of it
// again after a reload and through the API. A supervisor reads the same page without edit buttons.
// Needs /usr/bin/chromium (Debian packages: chromium fonts-noto-cjk).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, type TestApp } from '../helpers/app.js';
import {
  chooseOption,
  launchBrowser,
  loginThroughForm,
  newConsolePage,
  screenshotPath,
  startConsole,
} from '../helpers/browser.js';

interface Policy {
  id: string;
  communityId: string | null;
  ticketType: string | null;
  priority: string | null;
  target: string;
  minutes: number | null;
  businessHours: boolean;
  warnPercent: number;
}
interface CalendarEntry {
  communityId: string | null;
  stored: boolean;
  calendar: {
    timeZone: string;
    weekly: Record<string, { start: string; end: string }[]>;
    holidays: string[];
    workdays: string[];
  };
}

let testApp: TestApp;
let browser: Browser;
let page: Page;
let baseUrl: string;
const pageErrors: string[] = [];

/** GET with the browser's session cookie (the page's own request context). */
async function apiGet<T>(path: string): Promise<T> {
  const response = await page.request.get(`${baseUrl}${path}`);
  expect(response.status(), path).toBe(200);
  return (await response.json()) as T;
}

/** Picks an option of an antd Select by its exact text, then waits for the dropdown to close. */
function choose(select: ReturnType<Page['getByTestId']>, text: string) {
  return chooseOption(page, select, text);
}

describe('SLA settings: policies and business calendars (browser)', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ testApp, baseUrl } = await startConsole('sqlite'));
    page = await newConsolePage(browser);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await loginThroughForm(page, `${baseUrl}/admin/sla`, 'admin-2', PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('R21: changes the minutes of the company’s accept policy, shown and stored', async () => {
    await page.getByRole('link', { name: '时限设置' }).waitFor();
    await page.getByTestId('sla-policy-note').getByText('修改只对之后开始的计时生效').waitFor();
    const row = page.getByTestId('sla-policy-sla-default-01');
    await expect(row.getByTestId('sla-policy-minutes').textContent()).resolves.toBe('10 分钟');
    // the defaults read as the desk says them: 2 小时, 3 天 (24×7), 8 小时 of business time
    await expect(page.getByTestId('sla-policies').getByText('3 天').count()).resolves.toBeGreaterThan(0);
    // hotline sign-off, and the callbacks' two (R30: 30 min / 2 h of business time)
    await expect(page.getByTestId('sla-policies').getByText('按工作时间').count()).resolves.toBe(3);
    await page.getByTestId('sla-policy-sla-default-message-callback').getByText('留言回电').waitFor();

    await row.getByTestId('sla-policy-edit').click();
    const form = page.getByTestId('sla-policy-form');
    await form.getByText('修改时限策略：接单时限').waitFor();
    const amount = form.getByTestId('sla-policy-amount');
    await amount.fill('');
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await form.getByText('时长须在 1 分钟到 366 天之间').waitFor();
    await amount.fill('15');
    await page.keyboard.press('Control+Enter');
    await form.waitFor({ state: 'hidden' });
    await expect.poll(() => row.getByTestId('sla-policy-minutes').textContent()).toBe('15 分钟');

    const policies = await apiGet<Policy[]>('/api/v1/sla/policies');
    expect(policies.find((p) => p.id === 'sla-default-01')).toMatchObject({
      target: 'accept',
      minutes: 15,
      businessHours: false,
      warnPercent: 80,
    });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('R20: adds a community override (urgent repairs on site in 1 hour of business time)', async () => {
    await page.getByTestId('sla-policy-new').click();
    const form = page.getByTestId('sla-policy-form');
    await choose(form.getByTestId('sla-policy-scope'), '阳光花园');
    await choose(form.getByTestId('sla-policy-target'), '到场时限');
    await choose(form.getByTestId('sla-policy-type'), '报修');
    await choose(form.getByTestId('sla-policy-priority'), '紧急');
    await form.getByTestId('sla-policy-amount').fill('1');
    await choose(form.getByTestId('sla-policy-unit'), '小时');
    await form.getByText('按工作时间').click();
    await form.getByText('只在工作日历的工作时段内计时').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshotPath('sla-settings-policy-form.png') });
    await form.getByRole('button', { name: /保\s*存/ }).click();
    await form.waitFor({ state: 'hidden' });

    const policies = await apiGet<Policy[]>('/api/v1/sla/policies');
    const added = policies.find((p) => p.communityId === testApp.world.communityA.id);
    expect(added).toMatchObject({
      target: 'arrival',
      ticketType: 'repair',
      priority: 'urgent',
      minutes: 60,
      businessHours: true,
    });
    const row = page.getByTestId(`sla-policy-${added!.id}`);
    await expect.poll(() => row.getByTestId('sla-policy-minutes').textContent()).toBe('1 小时');
    await expect(row.textContent()).resolves.toContain('阳光花园');

    // filtered to the community, only its override shows
    await choose(page.getByTestId('sla-filter-scope'), '阳光花园');
    await expect
      .poll(() => page.getByTestId('sla-policies').locator('tbody tr.ant-table-row').count())
      .toBe(1);
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshotPath('sla-settings-policies-filtered.png') });
    await choose(page.getByTestId('sla-filter-scope'), '全部范围');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('re-applies the policies to a community’s running clocks after a confirmation (admin)', async () => {
    await page.getByTestId('sla-reapply').click();
    const dialog = page.getByTestId('sla-reapply-dialog');
    await dialog.getByText('开始时间和已暂停的时长不变').waitFor();
    // the server's answer first: a failure says what it was, not only that no result appeared
    const [answer] = await Promise.all([
      page.waitForResponse(
        (r) => r.url().endsWith('/api/v1/sla/reapply') && r.request().method() === 'POST',
        {
          timeout: 30_000,
        },
      ),
      dialog.getByRole('button', { name: '重新应用' }).click(),
    ]);
    expect(answer.status(), await answer.text()).toBe(200);
    await page.getByTestId('sla-reapply-result').waitFor();
    await expect(page.getByTestId('sla-reapply-result').textContent()).resolves.toMatch(
      /已重新计算「.+」的 \d+ 个进行中的计时/,
    );
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshotPath('sla-settings-policies.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('deletes the community override after a confirmation', async () => {
    const policies = await apiGet<Policy[]>('/api/v1/sla/policies');
    const override = policies.find((p) => p.communityId === testApp.world.communityA.id)!;
    const row = page.getByTestId(`sla-policy-${override.id}`);
    await row.getByTestId('sla-policy-delete').click();
    await page.getByText('删除这条「到场时限」策略？').waitFor();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /删\s*除/ })
      .click();
    await row.waitFor({ state: 'detached' });
    const after = await apiGet<Policy[]>('/api/v1/sla/policies');
    expect(after.some((p) => p.id === override.id)).toBe(false);
    expect(after).toHaveLength(policies.length - 1);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('gives a community its own calendar: a Saturday with a lunch break and a holiday, kept after a reload', async () => {
    const communityA = testApp.world.communityA.id;
    await page.getByRole('tab', { name: '工作日历' }).click();
    await choose(page.getByTestId('cal-which'), '阳光花园');
    await expect(page.getByTestId('cal-status').textContent()).resolves.toBe('沿用公司日历');
    await page
      .getByTestId('cal-preview')
      .getByText(/下一个工作时段|现在是工作时间/)
      .waitFor();

    // Saturday: the morning, then the afternoon after a lunch break
    await page.getByTestId('cal-6-add').click();
    await page.getByTestId('cal-6-add').click();
    await expect(page.getByTestId('cal-6-0-start').inputValue()).resolves.toBe('08:30');
    await expect(page.getByTestId('cal-6-1-start').inputValue()).resolves.toBe('13:00');
    // an afternoon typed to end before it starts is refused on the spot, in Chinese
    const end = page.getByTestId('cal-6-1-end');
    await end.fill('1230');
    await end.press('Tab');
    await expect(end.inputValue()).resolves.toBe('12:30');
    await page.getByTestId('cal-6-error').getByText('结束时间须晚于开始时间').waitFor();
    await page.getByTestId('cal-save').click();
    await page.getByText('请先修正标红的项目').waitFor();
    await end.fill('17:30');
    await end.press('Tab');
    await page.getByTestId('cal-6-error').waitFor({ state: 'detached' });

    // a holiday, typed into the date picker
    const addHoliday = page.getByTestId('cal-add-holidays');
    await addHoliday.click();
    await addHoliday.fill('2026-12-24');
    await addHoliday.press('Enter');
    await page.getByTestId('cal-holidays-2026-12-24').waitFor();
    await expect(page.getByTestId('cal-holidays-2026-12-24').textContent()).resolves.toContain('12月24日');

    await page.getByTestId('cal-save').click();
    await expect.poll(() => page.getByTestId('cal-status').textContent()).toBe('已单独设置');

    const entries = await apiGet<CalendarEntry[]>('/api/v1/sla/calendars');
    const own = entries.find((e) => e.communityId === communityA);
    expect(own?.stored).toBe(true);
    expect(own?.calendar.weekly['6']).toEqual([
      { start: '08:30', end: '12:00' },
      { start: '13:00', end: '17:30' },
    ]);
    expect(own?.calendar.holidays).toContain('2026-12-24');
    // the company's calendar and the other community's are untouched
    expect(entries.find((e) => e.communityId === null)?.stored).toBe(false);
    expect(entries.find((e) => e.communityId === testApp.world.communityB.id)?.stored).toBe(false);

    await page.reload();
    await page.getByTestId('cal-editor').waitFor();
    await expect(page.getByTestId('cal-status').textContent()).resolves.toBe('已单独设置');
    await expect(page.getByTestId('cal-6-0-start').inputValue()).resolves.toBe('08:30');
    await expect(page.getByTestId('cal-6-0-end').inputValue()).resolves.toBe('12:00');
    await expect(page.getByTestId('cal-6-1-start').inputValue()).resolves.toBe('13:00');
    await expect(page.getByTestId('cal-6-1-end').inputValue()).resolves.toBe('17:30');
    await page.getByTestId('cal-holidays-2026-12-24').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: screenshotPath('sla-settings-calendar.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('shows a supervisor the settings without edit buttons', async () => {
    const supervisor = await newConsolePage(browser);
    supervisor.on('pageerror', (error) => pageErrors.push(error.message));
    await loginThroughForm(supervisor, `${baseUrl}/admin/sla`, 'supervisor-a', PASSWORD);
    await supervisor.getByText('您可以查看时限设置').waitFor();
    await supervisor.getByTestId('sla-policy-sla-default-01').waitFor();
    await expect(supervisor.getByTestId('sla-policy-new').count()).resolves.toBe(0);
    await expect(supervisor.getByTestId('sla-policy-edit').count()).resolves.toBe(0);
    await expect(supervisor.getByTestId('sla-reapply').count()).resolves.toBe(0);
    await supervisor.getByRole('tab', { name: '工作日历' }).click();
    await supervisor.getByTestId('cal-editor').waitFor();
    // the supervisor's one community: its calendar, as the admin saved it, read-only
    await expect(supervisor.getByTestId('cal-status').textContent()).resolves.toBe('已单独设置');
    await expect(supervisor.getByTestId('cal-save').count()).resolves.toBe(0);
    await expect(supervisor.getByTestId('cal-6-1').textContent()).resolves.toBe('13:00–17:30');
    await expect(supervisor.getByTestId('cal-6-1-end').count()).resolves.toBe(0);
    await supervisor.waitForTimeout(300);
    await supervisor.screenshot({ path: screenshotPath('sla-settings-readonly.png') });
    await supervisor.close();
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
