// The call desk in real Chromium against the real app on a fresh SQLite database: agent-a (工号
// 100, extension 8001) has the 来电 page open; the PBX posts a ringing call from resident A's
// phone with its API token, and the resident's card pops up on the agent's console within a
// second (R27) with the greeting script (R28); the PBX then reports the answer and the hangup,
// and the call shows in the agent's call log with its ring-to-answer and talk times.
// Needs /usr/bin/chromium (Debian packages: chromium fonts-noto-cjk).
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
let page: Page;
let baseUrl: string;
let token: string;
const pageErrors: string[] = [];

async function shot(name: string) {
  await page.waitForTimeout(400);
  await page.screenshot({ path: screenshotPath(`calls-${name}.png`), fullPage: true });
}

/** What the PBX does: one event to the telephony webhook, over HTTP, with its token. */
async function pbx(event: Record<string, string>) {
  const res = await fetch(`${baseUrl}/api/v1/cti/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(event).toString(),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { id: string; status: string };
}

describe('call desk (browser)', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ testApp, baseUrl } = await startConsole('sqlite', {
      seed: async (t) => {
        // the console's "today" is the browser's: the server's clock starts now
        t.clock.set(new Date());
        const agent = await t.services.staffRepo.findByLogin('agent-a');
        await t.services.staff.update(systemContext(), agent!.id, { extension: '8001' });
        await t.services.tickets.create(systemContext(), {
          communityId: t.world.communityA.id,
          roomId: t.world.roomA.id,
          residentId: t.world.residentA.id,
          type: 'complaint',
          channel: 'phone',
          content: '楼上装修噪音扰民',
        });
        const admin = await t.as('admin-2');
        const created = await admin.post('/api/v1/api-tokens', {
          name: 'PBX',
          roles: ['telephony'],
          communityIds: [],
          allCommunities: true,
        });
        token = created.json().token;
      },
    }));
    page = await newConsolePage(browser);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await loginThroughForm(page, `${baseUrl}/calls`, 'agent-a', PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('R27: a ringing call pops the caller’s card within a second; answer and hangup show in my call log', async () => {
    await page.getByTestId('calls-live').waitFor();
    // the console's event stream is open before the phone rings
    await page.waitForTimeout(1000);
    const call = { callId: 'e2e-call-1', from: '13800138000', to: '4008001234', direction: 'in' };

    const rangAt = Date.now();
    const rung = await pbx({ ...call, event: 'newCall' });
    expect(rung.status).toBe('ringing');
    const greeting = page.getByTestId('pop-greeting');
    await greeting.waitFor({ state: 'visible', timeout: 5_000 });
    const poppedAfter = Date.now() - rangAt;
    expect(await greeting.textContent()).toBe('王先生');
    expect(poppedAfter).toBeLessThan(1000);
    // R28: the greeting script with the center's name and my 工号; the room, the complaint
    await expect(page.getByTestId('pop-script').textContent()).resolves.toContain(
      '您好！物业客户服务中心，工号100，请问有什么可以帮到您？',
    );
    await expect(page.getByTestId('pop-rooms').textContent()).resolves.toContain(testApp.world.roomA.label);
    await expect(page.getByTestId('pop-complaints').textContent()).resolves.toContain('楼上装修噪音扰民');
    await expect(page.getByTestId('pop-number').textContent()).resolves.toContain('138****8000');
    await expect(page.getByTestId('calls-live').textContent()).resolves.toContain('138****8000');
    await shot('pop');

    // 8 s to answer (three rings are 15 s), then 42 s on the line
    testApp.clock.advance(8_000);
    await pbx({ ...call, event: 'answer', user: '测试agent-a', answeringNumber: '8001' });
    // R29: on hold, the console counts up
    const hold = page.getByTestId('pop-hold-toggle');
    await hold.click();
    await page.getByTestId('pop-hold-seconds').waitFor();
    await shot('hold');
    await hold.click();
    testApp.clock.advance(42_000);
    await pbx({ ...call, event: 'hangup', cause: 'normalClearing' });

    const mine = page.getByTestId('calls-mine');
    await expect.poll(async () => mine.textContent(), { timeout: 5_000 }).toContain('已接听');
    const text = (await mine.textContent()) ?? '';
    expect(text).toContain('8 秒'); // ring to answer
    expect(text).toContain('42 秒'); // on the line
    expect(text).toContain('王先生');
    // Esc closes the pop (UX.md: Esc closes drawers)
    await page.keyboard.press('Escape');
    await page.getByTestId('pop-greeting').waitFor({ state: 'hidden' });
    await shot('log');
    // the 3-ring rate today: one call, answered within 15 s
    await expect
      .poll(async () => page.getByTestId('calls-rate').textContent(), { timeout: 5_000 })
      .toContain('100');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
