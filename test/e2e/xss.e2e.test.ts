// Inert rendering in real Chromium: markup and script typed into a resident's name, notes and a
// ticket's content (through the API, as any caller could) is shown as text in the residents
// list, the resident card and the ticket detail; nothing runs (window.__xss stays undefined),
// and the console, like the API docs, loads under its Content-Security-Policy without a single
// violation. Needs /usr/bin/chromium (Debian packages: chromium fonts-noto-cjk).
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

/** The brief's hostile text; a resident's name holds at most 50 characters, so it is split. */
const HOSTILE = '<img src=x onerror="window.__xss=1">王<script>window.__xss=2</script>';
const HOSTILE_NAME = '<img src=x onerror="window.__xss=1">王';

let testApp: TestApp;
let browser: Browser;
let page: Page;
let baseUrl: string;
let residentId: string;
let ticketId: string;
const problems: string[] = [];

async function shot(name: string) {
  await page.waitForTimeout(400);
  await page.screenshot({ path: screenshotPath(`xss-${name}.png`), fullPage: true });
}

/** Nothing ran: neither the onerror handler nor the script tag. */
async function expectInert() {
  expect(await page.evaluate<unknown>('window.__xss')).toBeUndefined();
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(problems).toEqual([]);
}

/** Records every CSP violation and console error of a page, across navigations. */
async function watch(p: Page) {
  // runs in the page (as text: the tests are compiled without the DOM's types)
  await p.addInitScript(
    "document.addEventListener('securitypolicyviolation', (e) => " +
      "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
  );
  p.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  p.on('console', (message) => {
    // the signed-out first load asks /me and is told 401: an answer, not a problem
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(`console: ${message.text()}`);
  });
}

describe('hostile text renders inert under the CSP (browser)', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ testApp, baseUrl } = await startConsole('sqlite'));
    page = await newConsolePage(browser);
    await watch(page);
    await loginThroughForm(page, `${baseUrl}/residents`, 'admin', PASSWORD);

    // through the API, with the session the browser holds
    const me = await page.request.get(`${baseUrl}/api/v1/me`);
    const csrf = ((await me.json()) as { csrfToken: string }).csrfToken;
    const { communityA, roomA } = testApp.world;
    const resident = await page.request.post(`${baseUrl}/api/v1/residents`, {
      headers: { 'x-csrf-token': csrf },
      data: {
        communityId: communityA.id,
        roomId: roomA.id,
        name: HOSTILE_NAME,
        phone: '13700137000',
        kind: 'tenant',
        notes: HOSTILE,
      },
    });
    expect(resident.status(), await resident.text()).toBe(201);
    residentId = ((await resident.json()) as { id: string }).id;
    const ticket = await page.request.post(`${baseUrl}/api/v1/tickets`, {
      headers: { 'x-csrf-token': csrf },
      data: {
        communityId: communityA.id,
        roomId: roomA.id,
        residentId,
        type: 'repair',
        channel: 'phone',
        content: HOSTILE,
      },
    });
    expect(ticket.status(), await ticket.text()).toBe(201);
    ticketId = ((await ticket.json()) as { id: string }).id;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('the console is served with its CSP and loads without a violation', async () => {
    const response = await page.goto(`${baseUrl}/tickets`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByRole('columnheader', { name: '工单号' }).waitFor();
    await expectInert();
  });

  it('an inline script is refused by the CSP, and the watcher hears of it', async () => {
    await page.evaluate(
      "{ const s = document.createElement('script'); s.textContent = 'window.__xss = 3'; document.body.append(s); }",
    );
    await expect.poll(() => problems.join('\n')).toMatch(/Content Security Policy|CSP violation/);
    expect(await page.evaluate<unknown>('window.__xss')).toBeUndefined();
    problems.length = 0;
  });

  it('shows the name literally in the residents list', async () => {
    await page.goto(`${baseUrl}/residents?q=${encodeURIComponent('13700137000')}`);
    const row = page.getByTestId('resident-row').filter({ hasText: '王' }).first();
    await row.waitFor();
    expect(await row.textContent()).toContain(HOSTILE_NAME);
    await shot('residents');
    await expectInert();
  });

  it('shows the name and notes literally on the resident card', async () => {
    await page.goto(`${baseUrl}/residents?resident=${residentId}`);
    const card = page.getByTestId('resident-card');
    await card.getByTestId('card-name').waitFor();
    expect(await card.textContent()).toContain(HOSTILE_NAME);
    await expect.poll(() => card.textContent()).toContain(HOSTILE);
    await shot('resident-card');
    await expectInert();
  });

  it('shows the content literally on the ticket detail', async () => {
    await page.goto(`${baseUrl}/tickets/${ticketId}`);
    const timeline = page.getByTestId('ticket-timeline');
    await timeline.waitFor();
    // the drawer's description list: the content as text, not the list's hidden cell
    await expect.poll(() => page.locator('.ant-drawer-body').first().textContent()).toContain(HOSTILE);
    await shot('ticket');
    await expectInert();
  });

  it('the API docs (Swagger UI) render under the same policy without a violation', async () => {
    const docs = await browser.newPage();
    const before = problems.length;
    await watch(docs);
    const response = await docs.goto(`${baseUrl}/docs/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await docs.locator('.swagger-ui .info .title').waitFor({ timeout: 15_000 });
    await docs.locator('.opblock').first().waitFor();
    await docs.waitForTimeout(500);
    await docs.screenshot({ path: screenshotPath('xss-docs.png') });
    await docs.close();
    expect(problems.slice(before)).toEqual([]);
  });
});
