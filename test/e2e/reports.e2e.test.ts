// 满意度报表 in real Chromium against the real app on a fresh SQLite database (PRODUCT.md §5 R33
// R34): a repair completed and rated 2/3/2/3 by the resident through the public link; the
// supervisor opens 满意度报表 and sees the score in the table and drawn in the chart (a canvas),
// exports the .xlsx (parsed back with exceljs), sees the complaint follow-up, and closes it with
// its outcome on the return-visits page. The login page loads no chart code. Needs
// /usr/bin/chromium (Debian packages: chromium fonts-noto-cjk).
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
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
let ticket: { id: string; number: string };
const pageErrors: string[] = [];

describe('the supervisor’s satisfaction report (browser)', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ testApp, baseUrl } = await startConsole('sqlite', {
      seed: async (app) => {
        // the page opens on this month: the work is done in the middle of the real current month
        const now = new Date();
        app.clock.set(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 15, 4)));
        const ctx = systemContext();
        const tech = (await app.services.staffRepo.findByLogin('technician-a'))!;
        const team = await app.services.teams.create(ctx, {
          communityId: app.world.communityA.id,
          name: '维修组',
          kind: 'repair',
          userIds: [tech.id],
        });
        const agent = await app.as('agent-a');
        const techClient = await app.as('technician-a');
        const created = await agent.post('/api/v1/tickets', {
          communityId: app.world.communityA.id,
          roomId: app.world.roomA.id,
          residentId: app.world.residentA.id,
          type: 'repair',
          channel: 'phone',
          content: '厨房下水道堵塞',
        });
        expect(created.statusCode, created.body).toBe(201);
        ticket = created.json();
        const step = async (client: typeof agent, action: string, body: object = {}) => {
          const { version } = (await agent.get(`/api/v1/tickets/${ticket.id}`)).json();
          const res = await client.post(`/api/v1/tickets/${ticket.id}/${action}`, { version, ...body });
          expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
        };
        await step(agent, 'dispatch', { teamId: team.id, assigneeId: tech.id });
        await step(techClient, 'accept');
        await step(techClient, 'arrive');
        await step(techClient, 'complete', { report: { cause: '油污堵塞', work: '疏通下水管' } });
        const message = await app.testDb.database.db
          .selectFrom('notifications')
          .select('body')
          .where('ticket_id', '=', ticket.id)
          .where('event', '=', 'complete')
          .executeTakeFirstOrThrow();
        const token = /\/r\/([A-Za-z0-9_-]{43})/.exec(message.body)![1]!;
        app.clock.advance(2 * 3_600_000);
        const rated = await app.anonymous.post(`/api/v1/public/ratings/${token}`, {
          overall: 2,
          speed: 3,
          attitude: 2,
          quality: 3,
          comment: '第二天又堵了',
        });
        expect(rated.statusCode, rated.body).toBe(200);
      },
    }));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('the login page loads no chart code (ECharts is the reports page’s own chunk)', async () => {
    const page = await newConsolePage(browser);
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(request.url());
    });
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('用户名或工号').waitFor();
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((url) => /echarts|ReportsPage/.test(url))).toEqual([]);
    await page.close();
  }, 60_000);

  it('R34: the supervisor sees the score in the table and the chart, exports the .xlsx, and sees the follow-up', async () => {
    const page = await newConsolePage(browser);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await loginThroughForm(page, `${baseUrl}/reports/satisfaction`, 'supervisor-a', PASSWORD);
    await page.getByRole('menuitem', { name: '满意度报表' }).waitFor();

    const row = page.getByTestId('report-table').locator('tr', { hasText: '阳光花园' });
    await row.waitFor();
    // 评价数 1 · 总体 2.0 · 速度 3.0 · 态度 2.0 · 质量 3.0 · 满意数 0 · 满意率 0%
    await expect(row.locator('td').allTextContents()).resolves.toEqual([
      '阳光花园',
      '1',
      '2.0',
      '3.0',
      '2.0',
      '3.0',
      '0',
      '0%',
    ]);
    await expect(page.getByTestId('report-overall').textContent()).resolves.toContain('2.0');
    // both charts drawn on a canvas
    await page.getByTestId('report-chart-groups').locator('canvas').first().waitFor();
    await page.getByTestId('report-chart-months').locator('canvas').first().waitFor();
    const followups = page.getByTestId('report-followups');
    await followups.locator('tr', { hasText: ticket.number }).waitFor();
    await expect(followups.textContent()).resolves.toContain('第二天又堵了');
    await expect(followups.textContent()).resolves.toContain('处理中');
    await page.waitForTimeout(600); // the charts' entry animation
    await page.screenshot({ path: screenshotPath('reports-satisfaction.png'), fullPage: true });

    // 导出 Excel: the workbook the browser saves, read back
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('report-export-satisfaction').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^满意度报表-\d{4}-\d{2}-01至\d{4}-\d{2}-\d{2}\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await readFile((await download.path())!)) as never);
    const sheet = book.getWorksheet('按小区')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('小区');
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual(['阳光花园', 1, 2, 3, 2, 3, 0, 0]);

    // the month view: one bar per month
    await page.getByTestId('report-group-by').getByText('月份').click();
    await page
      .getByTestId('report-table')
      .locator('tr', { hasText: /^\d{4}-\d{2}/ })
      .first()
      .waitFor();
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 90_000);

  it('R34: the supervisor closes the follow-up with its outcome on the return-visits page; the report shows it', async () => {
    const page = await newConsolePage(browser);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await loginThroughForm(page, `${baseUrl}/return-visits`, 'supervisor-a', PASSWORD);
    await page.getByRole('tab', { name: '差评跟进' }).click();
    const line = page.getByTestId('followups-table').locator('tr', { hasText: ticket.number });
    await line.waitFor();
    await line.getByTestId('followup-close').click();
    await page.getByLabel('处理结果').fill('已上门重新疏通并致歉');
    await page.getByRole('button', { name: '关闭跟进' }).last().click();
    await page.getByText('跟进已关闭', { exact: true }).waitFor();
    await page.screenshot({ path: screenshotPath('reports-followup-closed.png'), fullPage: true });

    await page.getByRole('tab', { name: '回访策略' }).click();
    await page.getByTestId('policies-table').locator('tr', { hasText: '户内报修' }).waitFor();
    // a supervisor reads the policies; managers and admins change them
    await expect(page.getByTestId('policies-save').count()).resolves.toBe(0);

    await page.getByRole('menuitem', { name: '满意度报表' }).click();
    const followups = page.getByTestId('report-followups');
    await followups.locator('tr', { hasText: '已上门重新疏通并致歉' }).waitFor();
    await page.screenshot({ path: screenshotPath('reports-after-close.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 90_000);
});
