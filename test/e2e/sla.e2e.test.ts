// SLA countdowns in real Chromium against the real app on a fresh SQLite database (PRODUCT.md §3):
// a dispatched repair's clocks count down in the console; as the server's injected clock moves,
// the countdown turns amber at the warning time and red at the due time without a reload, the
// breach escalates the request one level (R26), and the supervisor's board shows it. Needs
// /usr/bin/chromium (Debian packages: chromium fonts-noto-cjk).
import type { Browser, Locator, Page } from 'playwright-core';
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

interface Clock {
  target: string;
  status: string;
  dueAt: string;
  warnAt: string;
  warnedAt: string | null;
  breachedAt: string | null;
}

let testApp: TestApp;
let browser: Browser;
let page: Page;
let baseUrl: string;
let ticket: { id: string; number: string };
const pageErrors: string[] = [];

/** GET with the browser's session cookie (the page's own request context). */
async function apiGet<T>(path: string): Promise<T> {
  const response = await page.request.get(`${baseUrl}${path}`);
  expect(response.status(), path).toBe(200);
  return (await response.json()) as T;
}

async function firstContact(): Promise<Clock> {
  const { items } = await apiGet<{ items: Clock[] }>(`/api/v1/tickets/${ticket.id}/sla`);
  const clock = items.find((c) => c.target === 'first_contact');
  if (!clock) throw new Error(`no first_contact clock: ${JSON.stringify(items)}`);
  return clock;
}

/** Moves the server's clock to `at` plus a margin, then runs the scheduler once (as a server would). */
async function moveServerClockPast(at: string) {
  const ms = new Date(at).getTime() + 5_000 - testApp.clock.now().getTime();
  expect(ms).toBeGreaterThan(0);
  testApp.clock.advance(ms);
  await testApp.services.slaScheduler.runOnce(testApp.clock.now());
}

const stateOf = (chip: Locator) => chip.getAttribute('data-state');
/** The first-contact chip of the open request's 时限 section. */
const detailChip = () => page.getByTestId('sla-clock-first_contact').getByTestId('sla-countdown');

describe('SLA countdowns and the supervisor’s board (browser)', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ testApp, baseUrl } = await startConsole('sqlite', {
      seed: async (app) => {
        // a repair team of community A with its technician, to dispatch to
        const ctx = systemContext();
        const tech = await app.services.staffRepo.findByLogin('technician-a');
        const team = await app.services.teams.create(ctx, {
          communityId: app.world.communityA.id,
          name: '维修组',
          kind: 'repair',
        });
        await app.services.teams.setMembers(ctx, team.id, { userIds: [tech!.id] });
        // through the API: the agent logs a repair and dispatches it, which starts its clocks
        const agent = await app.as('agent-a');
        const created = await agent.post('/api/v1/tickets', {
          communityId: app.world.communityA.id,
          roomId: app.world.roomA.id,
          residentId: app.world.residentA.id,
          type: 'repair',
          channel: 'phone',
          content: '卫生间漏水，楼下天花板滴水',
        });
        expect(created.statusCode, created.body).toBe(201);
        ticket = created.json();
        const dispatched = await agent.post(`/api/v1/tickets/${ticket.id}/dispatch`, {
          version: created.json().version,
          teamId: team.id,
          assigneeId: tech!.id,
        });
        expect(dispatched.statusCode, dispatched.body).toBe(200);
      },
    }));
    page = await newConsolePage(browser);
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await loginThroughForm(page, `${baseUrl}/tickets/${ticket.id}`, 'supervisor-a', PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('counts down green on the request and its queue row, ticking every second', async () => {
    const clock = await firstContact();
    expect(clock.status).toBe('running');
    await expect.poll(() => stateOf(detailChip())).toBe('ok');
    // the queue row shows the request's nearest clock: first contact (5 min) before accept (10 min)
    const rowChip = page.getByTestId(`ticket-row-${ticket.number}`).getByTestId('sla-countdown');
    await expect.poll(() => stateOf(rowChip)).toBe('ok');
    await expect(rowChip.getAttribute('data-target')).resolves.toBe('first_contact');
    // it ticks in the browser: the text changes within two seconds (04:59 → 04:58 …)
    const before = await detailChip().textContent();
    await expect.poll(() => detailChip().textContent(), { timeout: 3_000 }).not.toBe(before);
    await expect(detailChip().getAttribute('aria-label')).resolves.toMatch(/^首次联系：剩余 0[45]:\d\d$/);
    await page.evaluate(() => {
      (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    await page.screenshot({ path: screenshotPath('sla-green.png') });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('turns amber when the server’s clock passes the warning time, without a reload', async () => {
    const clock = await firstContact();
    await moveServerClockPast(clock.warnAt);
    expect((await firstContact()).warnedAt).not.toBeNull();
    await expect.poll(() => stateOf(detailChip()), { timeout: 12_000 }).toBe('warning');
    await expect(detailChip().textContent()).resolves.toContain('将超时');
    const rowChip = page.getByTestId(`ticket-row-${ticket.number}`).getByTestId('sla-countdown');
    await expect.poll(() => stateOf(rowChip), { timeout: 12_000 }).toBe('warning');
    await expect(
      page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded),
    ).resolves.toBe(true);
    await page.screenshot({ path: screenshotPath('sla-amber.png') });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('R26: turns red at the due time, and the breach escalates the request one level', async () => {
    const clock = await firstContact();
    await moveServerClockPast(clock.dueAt);
    expect((await firstContact()).status).toBe('breached');
    await expect.poll(() => stateOf(detailChip()), { timeout: 12_000 }).toBe('breached');
    await expect(detailChip().textContent()).resolves.toMatch(/已超时 \+00:0\d/);
    const detail = await apiGet<{ escalationLevel: number }>(`/api/v1/tickets/${ticket.id}`);
    expect(detail.escalationLevel).toBe(1);
    // the escalation is on the timeline of the open request, brought by the live update / refetch
    await page.getByTestId('ticket-event-escalate').first().waitFor({ timeout: 12_000 });
    await expect(
      page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded),
    ).resolves.toBe(true);
    await page.screenshot({ path: screenshotPath('sla-red.png') });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('shows the escalated request on the supervisor’s board, which opens it', async () => {
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: '时限看板' }).click();
    await page.waitForURL('**/sla/board');
    const overdue = page.getByTestId('sla-board-overdue');
    const row = overdue.getByTestId(`sla-row-${ticket.number}-first_contact`);
    await row.waitFor();
    await expect(stateOf(row.getByTestId('sla-countdown'))).resolves.toBe('breached');
    const escalation = row.getByTestId('sla-escalation');
    await expect(escalation.getAttribute('data-level')).resolves.toBe('1');
    await expect(escalation.textContent()).resolves.toContain('班组长');
    // what breaches next: the same request's accept clock (10 min) is still running
    const next = page.getByTestId('sla-board-next').getByTestId(`sla-row-${ticket.number}-accept`);
    await next.waitFor();
    await page.getByTestId('sla-compliance').waitFor();
    // the tables fade in after a route change: a settled picture, not the first frame
    await page.waitForTimeout(800);
    await page.screenshot({ path: screenshotPath('sla-board.png'), fullPage: true });

    await overdue.getByTestId(`sla-ticket-${ticket.number}`).click();
    await page.waitForURL(`**/sla/board/${ticket.id}`);
    await expect.poll(() => stateOf(detailChip())).toBe('breached');
    await page.keyboard.press('Escape');
    await page.waitForURL('**/sla/board');

    // the desk's 超时 queue lists it too
    await page.getByRole('link', { name: '工单', exact: true }).click();
    await page.getByRole('tab', { name: '超时' }).click();
    await page.getByTestId('ticket-overdue').getByTestId(`sla-ticket-${ticket.number}`).waitFor();
    await page.screenshot({ path: screenshotPath('sla-overdue-queue.png') });
    // and the desk's queue row shows its most urgent clock, red
    await page.getByRole('tab', { name: '全部' }).click();
    const rowChip = page.getByTestId(`ticket-row-${ticket.number}`).getByTestId('sla-countdown');
    await expect.poll(() => stateOf(rowChip)).toBe('breached');
    await page.screenshot({ path: screenshotPath('sla-queue.png') });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('R26: the escalation reaches the supervisor’s bell (the team has no leader); opening it goes to the request', async () => {
    const bell = page.getByTestId('alerts-bell');
    // the team of this request has no leader: level 1 passes the alert on to 客服主管
    await expect
      .poll(() => page.locator('.ant-badge-count').first().textContent(), { timeout: 12_000 })
      .toBe('1');
    await bell.click();
    const item = page.getByTestId('alerts-panel').getByTestId('alert-item').first();
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain(`【工单升级】${ticket.number}`);
    await expect(item.textContent()).resolves.toContain('已升级至客服主管：「联系住户」已超时');
    await page.screenshot({ path: screenshotPath('sla-alerts.png') });
    await item.click();
    await page.waitForURL(`**/tickets/${ticket.id}`);
    await expect.poll(() => page.locator('.ant-badge-count').count()).toBe(0);
    const mine = await apiGet<{ unread: number; items: { readAt: string | null }[] }>('/api/v1/me/alerts');
    expect(mine.unread).toBe(0);
    expect(mine.items[0]!.readAt).not.toBeNull();
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
