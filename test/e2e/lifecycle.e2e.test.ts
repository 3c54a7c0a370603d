// The ticket lifecycle in real Chromium against the real app on a fresh SQLite database: the agent
// dispatches a phoned-in repair to technician-a from the ticket detail; technician-a, on a 375-px
// phone page, accepts it, arrives, starts and completes it with a report; the agent's page, left
// open on the ticket and never reloaded, follows every step live (GET /api/v1/events) and ends up
// done with every step (actor + 工号) on the timeline — an action form the agent was filling keeps
// its text through the updates. Needs /usr/bin/chromium (Debian packages: chromium fonts-noto-cjk).
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
let desk: Page;
let phone: Page;
let ticket: { id: string; number: string };
const pageErrors: string[] = [];
const TECH_NAME = '测试technician-a';
/** Longer than the live update takes (about a second), far shorter than the 30-s staleTime. */
const LIVE = { timeout: 10_000 } as const;
const CANCEL_REASON = '住户说先不修了';

/** Set on the desk page once: still there at the end means the page was never reloaded. */
async function markDesk() {
  await desk.evaluate(() => {
    (globalThis as { deskMarker?: string }).deskMarker = 'live';
  });
}
async function deskMarker() {
  return desk.evaluate(() => (globalThis as { deskMarker?: string }).deskMarker);
}

/** The options of the open antd Select dropdown. */
function option(page: Page, text: string) {
  return page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
    .filter({ hasText: text });
}

async function choose(page: Page, testId: string, text: string) {
  await page.getByTestId(testId).click();
  await option(page, text).first().click();
}

/** The ticket as the server has it (with the agent's session). */
async function serverTicket(): Promise<{ status: string; events: { type: string }[]; completion: unknown }> {
  const response = await desk.request.get(`${baseUrl}/api/v1/tickets/${ticket.id}`);
  expect(response.status()).toBe(200);
  return response.json();
}

describe('ticket lifecycle: desk dispatches, technician works it on the phone (browser)', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ testApp, baseUrl } = await startConsole('sqlite', {
      seed: async (app) => {
        const ctx = systemContext();
        const tech = await app.services.staffRepo.findByLogin('technician-a');
        if (!tech) throw new Error('technician-a is not seeded');
        const team = await app.services.teams.create(ctx, {
          communityId: app.world.communityA.id,
          name: '维修组',
          kind: 'repair',
        });
        await app.services.teams.setMembers(ctx, team.id, { userIds: [tech.id] });
        const agent = await app.as('agent-a');
        const created = await agent.post('/api/v1/tickets', {
          communityId: app.world.communityA.id,
          roomId: app.world.roomA.id,
          residentId: app.world.residentA.id,
          type: 'repair',
          channel: 'phone',
          content: '厨房水管漏水',
        });
        if (created.statusCode !== 201) throw new Error(`seeding the ticket failed: ${created.body}`);
        ticket = created.json();
      },
    }));
    desk = await newConsolePage(browser);
    desk.on('pageerror', (error) => pageErrors.push(`desk: ${error.message}`));
    phone = await browser.newPage({ viewport: { width: 375, height: 812 }, locale: 'zh-CN', hasTouch: true });
    phone.setDefaultTimeout(15_000);
    phone.on('pageerror', (error) => pageErrors.push(`phone: ${error.message}`));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('the agent dispatches the repair to technician-a from the ticket detail', async () => {
    await loginThroughForm(desk, `${baseUrl}/tickets/${ticket.id}`, 'agent-a', PASSWORD);
    const header = desk.getByTestId('ticket-header');
    await header.waitFor();
    await expect(header.textContent()).resolves.toContain('已受理');

    // Only what the server allows: a received ticket can be dispatched or cancelled, not completed.
    await desk.getByTestId('ticket-action-dispatch').waitFor();
    await expect(desk.getByTestId('ticket-action-complete').count()).resolves.toBe(0);

    await desk.getByTestId('ticket-action-dispatch').click();
    await choose(desk, 'action-team', '维修组');
    await choose(desk, 'action-assignee', TECH_NAME);
    await desk.screenshot({ path: screenshotPath('lifecycle-dispatch-form.png') });
    await desk
      .locator('.ant-modal')
      .getByRole('button', { name: /派\s*单/ })
      .click();

    await expect.poll(() => desk.getByTestId('ticket-assignee').textContent()).toContain(TECH_NAME);
    await expect(header.textContent()).resolves.toContain('已派单');
    await desk.getByTestId('ticket-event-dispatch').waitFor();
    await desk.screenshot({ path: screenshotPath('lifecycle-desk-dispatched.png') });
    expect((await serverTicket()).status).toBe('dispatched');
  }, 60_000);

  it('technician-a lands on the phone page and works the job: 接单 → 到场 → 开始 → 完成', async () => {
    // The agent stays on the ticket, half-way through filling the 作废 form.
    await markDesk();
    const deskHeader = desk.getByTestId('ticket-header');
    await desk.getByTestId('ticket-action-cancel').click();
    const reason = desk.locator('.ant-modal').getByTestId('action-reason');
    await reason.fill(CANCEL_REASON);

    await loginThroughForm(phone, `${baseUrl}/m/jobs`, 'technician-a', PASSWORD);
    // Field staff land on their jobs, not the desk.
    await phone.goto(`${baseUrl}/`);
    await phone.waitForURL('**/m/jobs');
    const card = phone.getByTestId(`job-${ticket.number}`);
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain('厨房水管漏水');
    await expect(card.textContent()).resolves.toContain(testApp.world.roomA.label);
    await phone.screenshot({ path: screenshotPath('lifecycle-phone-dispatched.png'), fullPage: true });

    for (const [action, status] of [
      ['accept', '已接单'],
      ['arrive', '已到场'],
      ['start', '处理中'],
    ] as const) {
      await card.getByTestId(`job-action-${action}`).click();
      await expect.poll(() => card.textContent()).toContain(status);
      // The desk follows without a reload.
      await expect.poll(() => deskHeader.textContent(), LIVE).toContain(status);
      if (action === 'accept') {
        // The ticket changed under the open form: what the agent typed is still there.
        await expect(reason.inputValue()).resolves.toBe(CANCEL_REASON);
        await desk.screenshot({ path: screenshotPath('lifecycle-desk-live-form.png') });
        await desk
          .locator('.ant-modal')
          .getByRole('button', { name: /取\s*消/ })
          .click();
        await desk.locator('.ant-modal').waitFor({ state: 'hidden' });
      }
    }

    await card.getByTestId('job-action-complete').click();
    await phone.getByTestId('report-cause').fill('水管接头老化');
    await phone.getByTestId('report-work').fill('更换接头并试压');
    await phone.getByTestId('report-parts').fill('接头 x1');
    await phone.getByTestId('report-advice').fill('定期检查接头');
    // The report form takes the whole screen once it has slid in.
    await expect
      .poll(async () => (await phone.locator('.ant-drawer-content-wrapper').boundingBox())?.y)
      .toBe(0);
    await phone.screenshot({ path: screenshotPath('lifecycle-phone-report.png') });
    await phone.getByTestId('report-submit').click();

    await expect.poll(() => card.textContent()).toContain('已完成');
    await expect(card.getByTestId('job-action-complete').count()).resolves.toBe(0);
    await phone.screenshot({ path: screenshotPath('lifecycle-phone-done.png'), fullPage: true });

    const done = await serverTicket();
    expect(done.status).toBe('done');
    expect(done.completion).toMatchObject({ cause: '水管接头老化', work: '更换接头并试压' });
  }, 90_000);

  it('the desk, never reloaded, shows the ticket 已完成 with every step on the timeline', async () => {
    const header = desk.getByTestId('ticket-header');
    await expect.poll(() => header.textContent(), LIVE).toContain('已完成');
    await desk.getByTestId('ticket-completion').waitFor();
    await expect(deskMarker()).resolves.toBe('live');

    const steps = ['created', 'dispatch', 'accept', 'arrive', 'start', 'complete'];
    for (const step of steps) await desk.getByTestId(`ticket-event-${step}`).waitFor();
    for (const step of ['accept', 'arrive', 'start', 'complete']) {
      await expect(desk.getByTestId(`ticket-event-${step}`).textContent()).resolves.toMatch(
        new RegExp(`${TECH_NAME}（\\d+）`),
      );
    }
    await expect(desk.getByTestId('ticket-timeline').textContent()).resolves.toContain('开始处理');
    await desk.screenshot({ path: screenshotPath('lifecycle-desk-done.png'), fullPage: true });

    expect((await serverTicket()).events.map((event) => event.type)).toEqual(steps);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
