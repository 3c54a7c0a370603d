// Messages (留言) in real Chromium against the real app on a fresh SQLite database (R30 [002]):
// an agent takes a message for a colleague through the form, reads it back to the caller before
// it is saved, and the colleague's console — a second browser page, signed in as them — shows it
// in the bell and on their callbacks page. Needs /usr/bin/chromium (chromium fonts-noto-cjk).
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
let agentPage: Page;
let colleaguePage: Page;
let baseUrl: string;
const pageErrors: string[] = [];

describe('a message taken for a colleague reaches their console (browser, R30)', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ testApp, baseUrl } = await startConsole('sqlite', {
      seed: async (app) => {
        // a second agent of community A: the colleague the message is for
        const colleague = await app.services.staff.create(systemContext(), {
          username: 'agent-li',
          employeeNo: '2002',
          name: '李晓燕',
          roles: ['agent'],
          communityIds: [app.world.communityA.id],
          password: PASSWORD,
        });
        await app.services.staffRepo.update(colleague.id, { must_change_password: 0 });
        // Monday 11:00 in Shanghai: two business hours run past lunch to 14:30
        app.clock.set('2026-11-30T03:00:00.000Z');
      },
    }));
    agentPage = await newConsolePage(browser);
    colleaguePage = await newConsolePage(browser);
    for (const page of [agentPage, colleaguePage]) page.on('pageerror', (e) => pageErrors.push(e.message));
    await loginThroughForm(agentPage, `${baseUrl}/callbacks`, 'agent-a', PASSWORD);
    await loginThroughForm(colleaguePage, `${baseUrl}/callbacks`, 'agent-li', PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('the agent fills in the message, reads it back as one sentence, and saves it only then', async () => {
    await agentPage.getByTestId('take-message').click();
    const form = agentPage.getByTestId('message-form');
    await form.getByLabel('来电人').fill('王先生');
    await form.getByLabel('联系电话').fill('138 0013 8000');
    await form.getByLabel('单位/房号（登记中没有时）').fill('3-2-1502');
    await form.getByLabel('留言内容').fill('卫生间漏水，请李工回电约上门时间');
    await agentPage.getByTestId('message-for-user').click();
    await agentPage.keyboard.type('李晓燕');
    await agentPage.locator('.ant-select-item-option').filter({ hasText: '李晓燕（2002）' }).click();
    await agentPage.screenshot({ path: screenshotPath('callbacks-form.png') });
    await agentPage.getByTestId('message-next').click();

    const sentence = agentPage.getByTestId('message-sentence');
    await expect
      .poll(() => sentence.textContent())
      .toBe(
        '王先生，我跟您确认一下：您找李晓燕，电话13800138000，房号3-2-1502，内容是：卫生间漏水，请李工回电约上门时间，我们会在14:30前回电，对吗？',
      );
    // nothing is saved before the caller confirms
    expect(await testApp.testDb.database.db.selectFrom('callbacks').select('id').execute()).toEqual([]);
    await agentPage.screenshot({ path: screenshotPath('callbacks-readback.png') });
    await agentPage.getByTestId('message-confirm').click();
    await agentPage.getByText('留言已保存').waitFor();
    const saved = await testApp.testDb.database.db.selectFrom('callbacks').selectAll().execute();
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ kind: 'message', caller_name: '王先生', phone: '13800138000' });
    expect(saved[0]!.due_at).toBe('2026-11-30T06:30:00.000Z');
    await agentPage.screenshot({ path: screenshotPath('callbacks-agent.png') });
  });

  it('the colleague sees it in the bell and on their callbacks page, and calls back', async () => {
    // no reload: the server's dispatcher announces the new alert on the colleague's stream
    // (alert.created) within its 3-second poll, and the bell refetches
    const bell = colleaguePage.getByTestId('alerts-bell');
    await expect.poll(() => bell.getAttribute('aria-label'), { timeout: 10_000 }).toContain('1');
    await bell.click();
    const alert = colleaguePage.getByTestId('alert-item').first();
    await expect
      .poll(() => alert.textContent())
      .toContain(
        '【留言】王先生（3-2-1502，138****8000）来电留言：卫生间漏水，请李工回电约上门时间，请在 14:30 前回电',
      );
    await colleaguePage.screenshot({ path: screenshotPath('callbacks-bell.png') });
    await alert.click();
    await colleaguePage.waitForURL('**/callbacks?focus=*');
    const row = colleaguePage.locator('[data-testid^="callback-row-"]').first();
    await expect.poll(() => row.textContent()).toContain('卫生间漏水，请李工回电约上门时间');
    expect(await row.getByRole('link', { name: /13800138000/ }).getAttribute('href')).toBe('tel:13800138000');
    expect(await row.getByTestId('sla-countdown').getAttribute('data-state')).toBe('ok');
    await colleaguePage.screenshot({ path: screenshotPath('callbacks-colleague.png') });
    await row.getByTestId('callback-no_answer').click();
    await colleaguePage.getByText('已记录：无人接听').waitFor();
    await expect.poll(() => row.textContent()).toContain('无人接听');
    expect(pageErrors).toEqual([]);
  });
});
