// The resident's rating link in real Chromium against the real app on a fresh SQLite database
// (PRODUCT.md §5 R33–R35): a completed repair's link opened on a phone-sized screen shows what was
// done and by whom (工号), the resident rates 5/4/5/5 with a comment and is thanked; the link works
// once; the desk sees the scores on the request and on the return-visits page. Needs
// /usr/bin/chromium (Debian packages: chromium fonts-noto-cjk).
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
let ticket: { id: string; number: string };
let token: string;
let techNo: string;
const pageErrors: string[] = [];

describe('the resident rates a finished repair on a phone (browser)', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ testApp, baseUrl } = await startConsole('sqlite', {
      seed: async (app) => {
        const ctx = systemContext();
        const tech = (await app.services.staffRepo.findByLogin('technician-a'))!;
        techNo = tech.employee_no;
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
          content: '卫生间水管漏水，楼下天花板滴水',
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
        await step(techClient, 'complete', { report: { cause: '水管接头老化', work: '更换水管接头并试压' } });
        // the link as the resident receives it, in the 'complete' message
        const message = await app.testDb.database.db
          .selectFrom('notifications')
          .select('body')
          .where('ticket_id', '=', ticket.id)
          .where('event', '=', 'complete')
          .executeTakeFirstOrThrow();
        token = /\/r\/([A-Za-z0-9_-]{43})/.exec(message.body)![1]!;
      },
    }));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  async function phone(): Promise<Page> {
    const page = await browser.newPage({
      viewport: { width: 375, height: 812 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  }

  it('R34 R35: opened at 375×812, the link shows the work and the worker’s 工号; 5/4/5/5 and a comment; thanked', async () => {
    const page = await phone();
    await page.goto(`${baseUrl}/r/${token}`);
    const summary = page.getByTestId('rating-summary');
    await summary.waitFor();
    await expect(summary.textContent()).resolves.toContain('更换水管接头并试压');
    await expect(page.getByTestId('rating-worker').textContent()).resolves.toContain(`工号 ${techNo}`);
    await expect(summary.textContent()).resolves.toContain(ticket.number);
    await page.screenshot({ path: screenshotPath('rating-phone.png'), fullPage: true });
    // one column: nothing wider than the phone
    const width = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
          .documentElement.scrollWidth,
    );
    expect(width).toBeLessThanOrEqual(375);

    // submitting without every rating asks for them, and sends nothing
    await page.getByTestId('rating-submit').click();
    await page.getByText('请为每一项打分').waitFor();

    const scores = { overall: 5, speed: 4, attitude: 5, quality: 5 };
    for (const [dimension, stars] of Object.entries(scores)) {
      await page
        .getByTestId(`rate-${dimension}`)
        .locator('li.ant-rate-star')
        .nth(stars - 1)
        .click();
    }
    await page.getByTestId('rating-comment').fill('师傅很细心，准时上门，谢谢！');
    await page.screenshot({ path: screenshotPath('rating-filled.png'), fullPage: true });
    await page.getByTestId('rating-submit').click();
    await page.getByTestId('rating-thanks').waitFor();
    await expect(page.getByText('谢谢您将此事告知我们').count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('rating-thanks.png'), fullPage: true });

    const ratings = await testApp.testDb.database.db
      .selectFrom('ratings')
      .selectAll()
      .where('ticket_id', '=', ticket.id)
      .execute();
    expect(ratings).toHaveLength(1);
    expect(ratings[0]).toMatchObject({ ...scores, source: 'link', comment: '师傅很细心，准时上门，谢谢！' });
    await page.close();
  }, 60_000);

  it('R34: the link works once: opened again it says so, in the language picked', async () => {
    const page = await phone();
    await page.goto(`${baseUrl}/r/${token}`);
    await expect(page.getByTestId('rating-unavailable').textContent()).resolves.toBe(
      '您已经评价过了，感谢您的支持！',
    );
    await page.getByTestId('language-switch').click();
    await page.getByText('English', { exact: true }).click();
    await expect
      .poll(() => page.getByTestId('rating-unavailable').textContent())
      .toBe('You have already rated this service. Thank you!');
    await page.goto(`${baseUrl}/r/${'A'.repeat(43)}`);
    await expect
      .poll(() => page.getByTestId('rating-unavailable').textContent())
      .toBe('This rating link is not valid; please check the link in your message');
    await page.close();
  }, 60_000);

  it('the desk sees the scores on the request and on the return-visits page', async () => {
    const page = await newConsolePage(browser);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await loginThroughForm(page, `${baseUrl}/tickets/${ticket.id}`, 'agent-a', PASSWORD);
    const section = page.getByTestId('ticket-visit');
    await section.waitFor();
    const rating = section.getByTestId('ticket-rating-link');
    await rating.waitFor();
    for (const [dimension, score] of Object.entries({ overall: 5, speed: 4, attitude: 5, quality: 5 })) {
      await expect(rating.getByTestId(`score-${dimension}`).getAttribute('data-score')).resolves.toBe(
        String(score),
      );
    }
    await expect(section.textContent()).resolves.toContain('师傅很细心');
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('rating-staff-detail.png'), fullPage: true });

    // the in-home repair is still owed its return visit (R33: always): on the desk's queue
    await page.goto(`${baseUrl}/return-visits`);
    const row = page.locator('tr', { hasText: ticket.number });
    await row.waitFor();
    await row.getByTestId('visit-countdown').waitFor();
    await page.screenshot({ path: screenshotPath('rating-return-visits.png'), fullPage: true });
    // the agent reaches the resident and records the visit's result: shown on the row
    await row.getByTestId('visit-attempt-reached').click();
    await row.getByTestId('visit-result').click();
    const modal = page.locator('.ant-modal');
    for (const [dimension, stars] of Object.entries({ overall: 5, speed: 5, attitude: 5, quality: 4 })) {
      await modal
        .getByTestId(`visit-rate-${dimension}`)
        .locator('li.ant-rate-star')
        .nth(stars - 1)
        .click();
    }
    await modal.getByTestId('visit-result-submit').click();
    await page.getByText('回访结果已保存').waitFor();
    await page.getByRole('combobox', { name: '回访时限' }).click();
    await page.getByTitle('已结束').click();
    const done = page.locator('tr', { hasText: ticket.number });
    await expect.poll(() => done.getByTestId('visit-score').textContent()).toContain('维修质量 4');
    await page.screenshot({ path: screenshotPath('rating-visit-done.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
