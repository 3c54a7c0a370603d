// Quality spot checks in real Chromium against the real app on a fresh SQLite database
// (PRODUCT.md §6 R39): 品质部 draws a week's sample of a community and scores one request on the
// score sheet; the agent who handled it sees the result under 我的质检 and acknowledges it.
// Needs /usr/bin/chromium (Debian: chromium fonts-noto-cjk).
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

let testApp: TestApp;
let browser: Browser;
let baseUrl: string;
const pageErrors: string[] = [];

describe('a week of spot checks drawn, scored and acknowledged (browser)', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ testApp, baseUrl } = await startConsole('sqlite', {
      seed: async (app) => {
        // three requests taken by agent-a this week (Monday 30 Nov 2026), one mentioning 投诉
        const agent = (await app.services.staffRepo.findByLogin('agent-a'))!;
        const sys = systemContext();
        const ctx = {
          ...sys,
          principal: {
            ...sys.principal,
            id: agent.id,
            userId: agent.id,
            name: agent.name,
            roles: ['agent' as const],
          },
        };
        for (const content of ['咨询物业费缴纳方式', '咨询停车月卡办理', '住户要投诉楼上装修噪音']) {
          await app.services.tickets.create(ctx, {
            communityId: app.world.communityA.id,
            roomId: app.world.roomA.id,
            residentId: app.world.residentA.id,
            type: 'inquiry',
            channel: 'phone',
            content,
          });
        }
      },
    }));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('R39: 品质部 draws the week and scores a request on the sheet', async () => {
    const page: Page = await newConsolePage(browser);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await loginThroughForm(page, `${baseUrl}/quality`, 'quality', PASSWORD);
    // a link to the week of Wednesday 2 December 2026 (the server's clock: Monday 30 November)
    await page.goto(`${baseUrl}/quality?week=2026-12-02&communityId=${testApp.world.communityA.id}`);
    await page.getByRole('menuitem', { name: '质检抽查' }).waitFor();
    await page.getByTestId('qa-draw').click();
    // 2 random + the one mentioning 投诉… agent-a is new staff (4), so all three are drawn
    await page.getByText('已抽取 3 条（本周共 3 条）').waitFor();
    // the list refetches after the draw: wait for its rows (not the empty placeholder row)
    await expect.poll(() => page.getByTestId('qa-samples').locator('tbody tr.ant-table-row').count()).toBe(3);
    await page.getByTestId('qa-samples').getByText('关键词').waitFor();
    await page.getByTestId('qa-score').first().click();
    await page.getByText('使用服务禁用语扣5分/次').waitFor();
    await page.getByTestId('qa-score-greeting').fill('12');
    await page.getByTestId('qa-score-language').fill('15');
    await page.getByTestId('qa-total').getByText('合计 92 / 100 分').waitFor();
    await page.getByLabel('评语').fill('未报工号，语气生硬');
    await page.screenshot({ path: screenshotPath('quality-score.png'), fullPage: true });
    await page.getByTestId('qa-submit').click();
    await page.getByText('评分已保存').waitFor();
    await page.getByTestId('qa-samples').getByText('92 / 100 分').waitFor();
    await page.screenshot({ path: screenshotPath('quality-samples.png'), fullPage: true });
    await page.close();
  });

  it('R39: the agent sees the result under 我的质检 and acknowledges it', async () => {
    const page: Page = await newConsolePage(browser);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await loginThroughForm(page, `${baseUrl}/quality`, 'agent-a', PASSWORD);
    await page.getByRole('menuitem', { name: '我的质检' }).waitFor();
    const mine = page.getByTestId('qa-mine');
    await mine.getByText('92 / 100 分').waitFor();
    await mine.getByText('未报工号，语气生硬').waitFor();
    await page.getByTestId('qa-ack').click();
    await page.getByText('已确认').waitFor();
    await mine.getByText(/^已阅 /).waitFor();
    await page.screenshot({ path: screenshotPath('quality-mine.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
