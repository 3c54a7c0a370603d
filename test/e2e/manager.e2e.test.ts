// A service-centre manager of community A in real Chromium against the real app on a fresh SQLite
// database: names the steward of a building and sets up a team with its members and leader, both
// picked from the staff directory of the community (no admin needed). Needs /usr/bin/chromium
// (Debian packages: chromium fonts-noto-cjk).
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
const pageErrors: string[] = [];

/** GET with the browser's session cookie (the page's own request context). */
async function apiGet<T>(path: string): Promise<T> {
  const response = await page.request.get(`${baseUrl}${path}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as T;
}

/** The options of the open antd Select dropdown. */
const option = (text: string) =>
  page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({
    hasText: text,
  });

/** Closes the open dropdown and waits until it is gone, so the next one is the only one. */
async function closeDropdown() {
  await page.keyboard.press('Escape');
  await expect
    .poll(() => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count())
    .toBe(0);
}

/** Opens a picker, types to narrow it and picks the option with that text. */
async function choose(testId: string, typed: string, text: string) {
  await page.getByTestId(testId).click();
  await page.keyboard.type(typed);
  await option(text).first().click();
}

describe('manager console (browser)', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ testApp, baseUrl } = await startConsole('sqlite'));
    page = await newConsolePage(browser);
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await loginThroughForm(page, `${baseUrl}/tickets`, 'manager-a', PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('names the steward of a building from the stewards of the community', async () => {
    const { communityA } = testApp.world;
    const { items: buildings } = await apiGet<{ items: { id: string; name: string }[] }>(
      `/api/v1/buildings?communityId=${communityA.id}`,
    );
    const building = buildings.find((candidate) => candidate.name === '3栋');
    expect(building).toBeTruthy();

    await page.goto(`${baseUrl}/registry/communities/${communityA.id}?building=${building?.id}`);
    await page.getByTestId('building-edit-open').click();
    // Only stewards are offered: the agent of the same community is not.
    await page.getByTestId('building-steward').click();
    await option('测试steward-a').waitFor();
    await expect(option('测试agent-a').count()).resolves.toBe(0);
    await page.keyboard.type('steward');
    await option('测试steward-a').click();
    await page.screenshot({ path: screenshotPath('manager-steward.png'), fullPage: true });
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('测试steward-a（工号').first().waitFor();

    const saved = await apiGet<{ stewardUserId: string | null; steward: { name: string } | null }>(
      `/api/v1/buildings/${building?.id}`,
    );
    expect(saved.steward?.name).toBe('测试steward-a');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('creates a team with members and a leader from the staff of the community', async () => {
    const { communityA } = testApp.world;
    await page.goto(`${baseUrl}/admin/teams`);
    // the header's button (an empty list offers a second one)
    await page.getByTestId('team-new').first().click();
    await page.getByLabel('班组名称').fill('维修一组');
    await choose('team-member-picker', 'tech', '测试technician-a');
    await closeDropdown();
    await choose('team-member-picker', 'steward', '测试steward-a');
    await closeDropdown();
    await page.getByTestId('team-leader').click();
    await option('测试technician-a').click();
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('维修一组').first().waitFor();

    const { items: teams } = await apiGet<{
      items: { name: string; leader: { name: string } | null; members: { name: string }[] }[];
    }>(`/api/v1/teams?communityId=${communityA.id}`);
    const team = teams.find((candidate) => candidate.name === '维修一组');
    expect(team?.leader?.name).toBe('测试technician-a');
    expect(team?.members.map((member) => member.name).sort()).toEqual(['测试steward-a', '测试technician-a']);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
