// Service language (§6) in real Chromium against the real app on a fresh SQLite database: the agent
// answers a resident's question on the desk; typing 我不知道 marks it in the box and offers the
// polite alternative, one click puts the alternative in the text, and the answer goes out. On a
// second question the agent sends 与我无关 anyway: the server refuses it (422 FORBIDDEN_PHRASE), the
// override dialog lists the phrase, and with a reason the same answer is sent and recorded; the
// supervisor then finds it under 超越记录 on /admin/language. Screenshots go to
// test-results/language-*.png. Needs /usr/bin/chromium (Debian packages: chromium fonts-noto-cjk).
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
let desk: Page;
const pageErrors: string[] = [];
const REASON = '住户要求我们原话转述物业公司的答复';

async function inquiry(content: string): Promise<{ id: string; number: string }> {
  const agent = await testApp.as('agent-a');
  const created = await agent.post('/api/v1/tickets', {
    communityId: testApp.world.communityA.id,
    publicAreaId: testApp.world.publicAreaA.id,
    callerName: '王先生',
    callerPhone: '13800138000',
    type: 'inquiry',
    channel: 'phone',
    content,
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json();
}

async function serverTicket(
  id: string,
): Promise<{ status: string; events: { type: string; note?: string }[] }> {
  const response = await desk.request.get(`${baseUrl}/api/v1/tickets/${id}`);
  expect(response.status()).toBe(200);
  return response.json();
}

/** Opens the ticket on the desk and its 答复 form; the reply box of that form. */
async function openAnswer(id: string) {
  await desk.goto(`${baseUrl}/tickets/${id}`);
  await desk.getByTestId('ticket-action-answer').click();
  const modal = desk.getByTestId('action-form-answer');
  await modal.getByTestId('action-reply').waitFor();
  return modal;
}

describe('service language on the desk: highlight, one-click replacement, override (browser, §6)', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ testApp, baseUrl } = await startConsole('sqlite', {
      // the overrides tab shows this month of the browser's calendar: the server's clock starts now
      seed: async (app) => app.clock.set(new Date()),
    }));
    desk = await newConsolePage(browser);
    desk.on('pageerror', (error) => pageErrors.push(`desk: ${error.message}`));
    await loginThroughForm(desk, `${baseUrl}/tickets`, 'agent-a', PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('typing 我不知道 in a reply marks it and offers the alternative; accepting it replaces the text', async () => {
    const ticket = await inquiry('请问小区停车月卡怎么办理？');
    const modal = await openAnswer(ticket.id);
    const reply = modal.getByTestId('action-reply');
    await reply.click();
    await reply.pressSequentially('您好，这个问题我不知道。', { delay: 20 });

    // marked in place (red), and listed under the box with the category and the alternative
    const mark = modal.getByTestId('language-mark');
    await mark.first().waitFor();
    await expect(mark.first().getAttribute('data-severity')).resolves.toBe('forbidden');
    await expect(mark.first().textContent()).resolves.toBe('我不知道');
    const hit = modal.getByTestId('language-hit').filter({ hasText: '我不知道' });
    await hit.waitFor();
    const replace = hit.getByTestId('language-replace');
    const offer = (await replace.textContent()) ?? '';
    expect(offer).toMatch(/^替换为：/);
    const alternative = offer.replace(/^替换为：/, '');
    expect(alternative.length).toBeGreaterThan(0);
    await desk.screenshot({ path: screenshotPath('language-highlight.png') });

    // one click (the keyboard works too: the button is focusable) puts the alternative in the text
    await replace.focus();
    await desk.keyboard.press('Enter');
    await expect.poll(() => reply.inputValue()).toBe(`您好，这个问题${alternative}。`);
    await expect.poll(() => modal.getByTestId('language-mark').count()).toBe(0);
    await desk.screenshot({ path: screenshotPath('language-replaced.png') });

    await modal.getByRole('button', { name: /答\s*复/ }).click();
    await modal.waitFor({ state: 'hidden' });
    const after = await serverTicket(ticket.id);
    expect(after.status).not.toBe('received');
    expect(JSON.stringify(after.events)).toContain(alternative);
  }, 60_000);

  it('sending 与我无关 needs an override with a reason; the supervisor sees it under 超越记录', async () => {
    const ticket = await inquiry('楼上装修太吵了，你们管不管？');
    const modal = await openAnswer(ticket.id);
    const reply = modal.getByTestId('action-reply');
    await reply.fill('装修噪音的事与我无关，请找业委会。');
    await modal.getByTestId('language-mark').first().waitFor();

    // sent as it is: the server refuses it and the override dialog lists the phrase
    await modal.getByRole('button', { name: /答\s*复/ }).click();
    const override = desk.getByTestId('language-override');
    await override.getByTestId('language-override-phrases').waitFor();
    await expect(override.getByTestId('language-override-phrases').textContent()).resolves.toContain(
      '与我无关',
    );
    // the reason is required (2–200 characters)
    await override.getByTestId('language-override-insist').click();
    await override.getByText('理由须为 2–200 个字').waitFor();
    await override.getByTestId('language-override-reason').fill(REASON);
    await desk.screenshot({ path: screenshotPath('language-override.png') });
    await override.getByTestId('language-override-insist').click();
    await modal.waitFor({ state: 'hidden' });
    const after = await serverTicket(ticket.id);
    expect(after.status).not.toBe('received');

    // the supervisor finds it under 超越记录
    const supervisor = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    supervisor.setDefaultTimeout(15_000);
    supervisor.on('pageerror', (error) => pageErrors.push(`supervisor: ${error.message}`));
    await loginThroughForm(supervisor, `${baseUrl}/admin/language`, 'supervisor-a', PASSWORD);
    await supervisor.getByTestId('phrase-table').locator('tbody tr').first().waitFor();
    await supervisor.getByPlaceholder('搜索用语或建议说法').fill('我不知道');
    await supervisor.getByTestId('phrase-table').getByText('我不知道').first().waitFor();
    await supervisor.screenshot({ path: screenshotPath('language-library.png') });
    await supervisor.getByRole('tab', { name: '超越记录' }).click();
    const table = supervisor.getByTestId('override-table');
    const row = table.locator('tr').filter({ hasText: REASON });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('与我无关');
    await supervisor.screenshot({ path: screenshotPath('language-overrides.png') });
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
