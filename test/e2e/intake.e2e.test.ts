// Logging a phoned-in request by keyboard (UX.md: "under 30 s"), in real Chromium against the real
// app on a fresh SQLite database: the agent types the caller's number, the resident card fills,
// type and category are picked by typing, Ctrl+Enter reads it back (R6) and Enter saves. A second
// caller, unknown by number, reports the same fault in the same flat: the form offers the open
// request as "可能是同一事件" and links to it (R11). Then an admin publishes a price in the
// category (R10). Needs /usr/bin/chromium (Debian packages: chromium fonts-noto-cjk).

import dayjs from 'dayjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../src/server/platform/context.js';
import { jpegPhoto } from '../fixtures/attachments/files.js';
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
const LEAK = '漏水渗水';
let first: { id: string; number: string };

interface DetailJson {
  id: string;
  number: string;
  categoryId: string | null;
  residentId: string | null;
  callerName: string | null;
  callerPhone: string | null;
  roomId: string | null;
  repairScope: string | null;
  parent: { id: string; number: string } | null;
  appointment: { from: string; to: string } | null;
  children: { id: string; number: string }[];
}

/** GET with the page's own session cookie. */
async function apiGet<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(`${baseUrl}${path}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as T;
}

/** The visible options of the open antd Select dropdown. */
function openOption(page: Page, text: string) {
  return page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
    .filter({ hasText: text });
}

/**
 * The page's document as code run in the browser sees it (the test tsconfig has no DOM types;
 * the functions passed to evaluate() run in the page, so they reach it through globalThis).
 */
interface PageDocument {
  activeElement: {
    id: string;
    closest(selector: string): { getAttribute(name: string): string | null } | null;
  } | null;
}
/** The data-testid of the element that has the keyboard focus (or of its nearest marked parent). */
async function focusedTestId(page: Page): Promise<string | null> {
  return page.evaluate(
    () =>
      (globalThis as unknown as { document: PageDocument }).document.activeElement
        ?.closest('[data-testid]')
        ?.getAttribute('data-testid') ?? null,
  );
}

/** Opens the new-ticket drawer with the N key, as the desk does. */
async function openIntake(page: Page) {
  await page.getByRole('heading', { name: '工单', exact: true }).click();
  await page.keyboard.press('n');
  await page.getByTestId('intake-lookup').waitFor();
  // The agent's hands stay on the keyboard: the number field has the focus.
  await expect.poll(() => focusedTestId(page)).toBe('intake-lookup');
}

/** Ctrl+Enter → read-back (screenshot `shot`); Enter → saved. Returns the new ticket's number. */
async function readBackAndSave(page: Page, expected: RegExp, shot: string): Promise<string> {
  await page.keyboard.press('Control+Enter');
  const readBack = page.getByTestId('ticket-readback');
  await readBack.waitFor();
  expect(await readBack.textContent()).toMatch(expected);
  await page.screenshot({ path: screenshotPath(shot) });
  // the toast of the request saved just before may still be showing: wait for a new one
  const toasts = page.getByText(/工单 GD\d{8}-\d{4} 已登记/);
  const shown = await toasts.allTextContents();
  await page.keyboard.press('Enter');
  let toast: string | undefined;
  await expect
    .poll(async () => {
      toast = (await toasts.allTextContents()).find((text) => !shown.includes(text));
      return toast;
    })
    .toBeTruthy();
  const number = toast?.match(/GD\d{8}-\d{4}/)?.[0];
  expect(number).toBeTruthy();
  await page.getByTestId('intake-lookup').waitFor({ state: 'detached' });
  return number as string;
}

describe('intake by keyboard: number → card → type → category → read-back → save (browser)', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ testApp, baseUrl } = await startConsole('sqlite', {
      seed: async (app) => {
        const tech = await app.services.staffRepo.findByLogin('technician-a');
        if (!tech) throw new Error('technician-a is not seeded');
        const team = await app.services.teams.create(systemContext(), {
          communityId: app.world.communityA.id,
          name: '维修组',
          kind: 'repair',
        });
        await app.services.teams.setMembers(systemContext(), team.id, { userIds: [tech.id] });
      },
    }));
    desk = await newConsolePage(browser);
    desk.on('pageerror', (error) => pageErrors.push(`desk: ${error.message}`));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('R6/R27: the caller’s number fills the card; type and category by typing; Ctrl+Enter, Enter saves', async () => {
    const { roomA, residentA } = testApp.world;
    await loginThroughForm(desk, `${baseUrl}/tickets`, 'agent-a', PASSWORD);
    await desk.getByRole('columnheader', { name: '工单号' }).waitFor();
    await openIntake(desk);

    // The number as the phone shows it, with spaces; Enter picks the first match (the resident).
    await desk.keyboard.type('138 0013 8000');
    await desk.getByTestId('intake-pick-resident').first().waitFor();
    await desk.keyboard.press('Enter');
    const card = desk.getByTestId('intake-card');
    await expect
      .poll(() =>
        card
          .getByTestId('intake-greeting')
          .textContent()
          .catch(() => null),
      )
      .toBe('王先生');
    expect(await card.textContent()).toContain(roomA.label);
    expect(await card.textContent()).toContain('没有进行中的工单');
    // The resident brought the room: the location is filled without asking.
    expect(await desk.getByTestId('ticket-room').textContent()).toContain(roomA.label);

    // Focus moved on to the type: "bx" (报修) and Enter; then the category: "ls" (漏水渗水) and Enter.
    await expect.poll(() => focusedTestId(desk)).toBe('ticket-type');
    await desk.keyboard.type('bx');
    await openOption(desk, '报修').waitFor();
    await desk.keyboard.press('Enter');
    await expect.poll(() => focusedTestId(desk)).toBe('ticket-category');
    await desk.keyboard.type('ls');
    await openOption(desk, LEAK).waitFor();
    await desk.keyboard.press('Enter');
    expect(await desk.getByTestId('ticket-category').textContent()).toContain(LEAK);
    await expect.poll(() => focusedTestId(desk)).toBe('ticket-content');
    await desk.keyboard.type('卫生间漏水，楼下天花板有水渍');
    await desk.screenshot({ path: screenshotPath('intake-form.png') });

    const number = await readBackAndSave(
      desk,
      new RegExp(
        `^王先生，您反映${roomA.label}：卫生间漏水，楼下天花板有水渍，我们已为您登记报修（${LEAK}），对吗？$`,
      ),
      'intake-readback.png',
    );

    // The drawer closed; the ticket is in the list with its place, resident and content.
    const row = desk.getByTestId(`ticket-row-${number}`);
    await row.waitFor();
    expect(await row.textContent()).toContain(residentA.name);
    await desk.screenshot({ path: screenshotPath('intake-list.png') });

    const { items } = await apiGet<{ items: { id: string; number: string }[] }>(
      desk,
      `/api/v1/tickets?communityId=${testApp.world.communityA.id}`,
    );
    const created = items.find((ticket) => ticket.number === number);
    expect(created).toBeTruthy();
    first = { id: created?.id ?? '', number };
    const detail = await apiGet<DetailJson>(desk, `/api/v1/tickets/${first.id}`);
    expect(detail).toMatchObject({
      categoryId: 'cat-leak',
      residentId: residentA.id,
      roomId: roomA.id,
      repairScope: 'indoor',
      parent: null,
    });
  }, 120_000);

  it('R11: an unknown caller reporting the same fault in the same flat is offered the open request and linked', async () => {
    const { roomA } = testApp.world;
    await openIntake(desk);

    // Nobody is registered with this number: Enter keeps it as the caller's phone and asks the name.
    await desk.keyboard.type('139-1234-5678');
    await desk.getByTestId('intake-pick-caller').waitFor();
    await desk.keyboard.press('Enter');
    await expect.poll(() => focusedTestId(desk)).toBe('ticket-caller-name');
    expect(await desk.getByTestId('ticket-caller-phone').inputValue()).toBe('13912345678');
    await desk.keyboard.type('李女士');

    // The place: the same flat, typed as the desk says it.
    await desk.getByTestId('ticket-room').click();
    await desk.keyboard.type('3-2-1502');
    await openOption(desk, roomA.label).first().click();
    await desk.getByTestId('ticket-category').click();
    await desk.keyboard.type('漏水');
    await openOption(desk, LEAK).waitFor();
    await desk.keyboard.press('Enter');

    // "可能是同一事件": the first request, one click to link.
    const similar = desk.getByTestId('intake-similar');
    await similar.waitFor();
    expect(await similar.textContent()).toContain(first.number);
    await desk.screenshot({ path: screenshotPath('intake-similar.png') });
    await desk.getByTestId(`intake-link-${first.number}`).click();
    await desk.getByTestId('intake-linked').waitFor();

    await desk.getByTestId('ticket-content').click();
    await desk.keyboard.type('厨房顶上也在滴水');

    // R8: the visit is booked — tomorrow, 14:00–16:00, typed into the day and window fields.
    const tomorrow = dayjs().add(1, 'day');
    await desk.getByTestId('intake-appointment-day').click();
    await desk.keyboard.press('Control+A');
    await desk.keyboard.type(tomorrow.format('YYYY年M月D日'));
    await desk.keyboard.press('Enter');
    await desk.getByTestId('intake-appointment-slot').click();
    await desk.keyboard.type('14');
    await openOption(desk, '14:00–16:00').waitFor();
    await desk.keyboard.press('Enter');
    // the list closes on the choice and stays closed under the read-back
    await expect.poll(() => openOption(desk, '14:00–16:00').count()).toBe(0);
    const number = await readBackAndSave(
      desk,
      new RegExp(
        `^李女士，您反映${roomA.label}：厨房顶上也在滴水，我们已为您登记报修（${LEAK}），维修师傅将于明天14:00–16:00上门，与工单${first.number}为同一事件，处理结果会一并告知您，对吗？$`,
      ),
      'intake-readback-linked.png',
    );

    const { items } = await apiGet<{ items: { id: string; number: string }[] }>(
      desk,
      `/api/v1/tickets?communityId=${testApp.world.communityA.id}`,
    );
    const second = items.find((ticket) => ticket.number === number);
    const detail = await apiGet<DetailJson>(desk, `/api/v1/tickets/${second?.id}`);
    expect(detail).toMatchObject({
      callerName: '李女士',
      residentId: null,
      parent: { id: first.id, number: first.number },
      appointment: {
        from: tomorrow.hour(14).startOf('hour').toISOString(),
        to: tomorrow.hour(16).startOf('hour').toISOString(),
      },
    });
    expect(detail.callerPhone?.replace(/\D/g, '')).toMatch(/^139\d*5678$/);
    const parent = await apiGet<DetailJson>(desk, `/api/v1/tickets/${first.id}`);
    expect(parent.children.map((child) => child.number)).toEqual([number]);

    // The detail of the first request lists the linked report.
    await desk.getByTestId(`ticket-row-${first.number}`).click();
    const incident = desk.getByTestId('ticket-incident');
    await incident.waitFor();
    expect(await incident.getByTestId('incident-children').textContent()).toContain(number);
    await desk.screenshot({ path: screenshotPath('intake-detail.png'), fullPage: true });
  }, 120_000);

  it('R16: a lift entrapment by keyboard opens its playbook; the desk logs the contractor call and a photo', async () => {
    const { roomA } = testApp.world;
    // Esc closes the detail left open by the last test.
    await desk.keyboard.press('Escape');
    await desk.getByTestId('ticket-incident').waitFor({ state: 'detached' });
    await openIntake(desk);
    // The resident found by the last 4 digits of the phone (尾号). Typed into the field itself: the
    // detail drawer closed just before may hand the focus back to its row while this one opens
    // (seen once in a full CI run, never alone); the first test covers the number typed blind.
    const lookup = desk.getByTestId('intake-lookup');
    await lookup.pressSequentially('8000');
    await expect.poll(() => lookup.inputValue()).toBe('8000');
    await desk.getByTestId('intake-pick-resident').first().waitFor();
    await desk.keyboard.press('Enter');
    await desk.getByTestId('intake-card').getByTestId('intake-greeting').waitFor();

    // "jj" (紧急事件): the category turns to 电梯困人, the priority to urgent, the focus to the lift.
    await expect.poll(() => focusedTestId(desk)).toBe('ticket-type');
    await desk.keyboard.type('jj');
    await openOption(desk, '紧急事件').waitFor();
    await desk.keyboard.press('Enter');
    await expect
      .poll(() =>
        desk.evaluate(() => (globalThis as unknown as { document: PageDocument }).document.activeElement?.id),
      )
      .toBe('ticket-create_emergency_lift');
    expect(await desk.getByTestId('ticket-category').textContent()).toContain('电梯困人');
    await desk.keyboard.type('3栋2单元1号梯');
    await desk.keyboard.press('Tab');
    await desk.keyboard.type('8');
    await desk.keyboard.press('Tab');
    await desk.keyboard.type('2');
    await desk.getByTestId('ticket-content').click();
    await desk.keyboard.type('电梯停了，里面有老人');
    await desk.screenshot({ path: screenshotPath('intake-emergency-form.png') });
    const number = await readBackAndSave(
      desk,
      new RegExp(
        `^王先生，您反映${roomA.label}：3栋2单元1号梯停在8层，被困2人，电梯停了，里面有老人，我们已为您登记紧急事件（电梯困人），对吗？$`,
      ),
      'intake-emergency-readback.png',
    );

    // The playbook: the contractor is called first.
    // a click that lands while the intake drawer is still sliding out opens nothing: click again
    const panel = desk.getByTestId('emergency-panel');
    await expect
      .poll(
        async () => {
          if (!(await panel.isVisible())) await desk.getByTestId(`ticket-row-${number}`).click();
          return panel.isVisible();
        },
        { timeout: 30_000, interval: 2_000 },
      )
      .toBe(true);
    expect(await panel.getByTestId('emergency-facts').textContent()).toContain('3栋2单元1号梯');
    await expect(
      panel.getByTestId('emergency-step-contractor_called').getAttribute('data-next'),
    ).resolves.toBe('true');
    await panel.getByTestId('emergency-log-contractor_called').click();
    const form = desk.getByTestId('playbook-form-contractor_called');
    await form.getByTestId('playbook-contractor').fill('安达电梯维保');
    await desk
      .locator('.ant-modal')
      .getByRole('button', { name: /记\s*录/ })
      .click();
    await expect
      .poll(() => panel.getByTestId('emergency-step-onsite_notified').getAttribute('data-next'))
      .toBe('true');
    expect(await panel.getByTestId('emergency-log').textContent()).toContain('安达电梯维保');

    // A photo from the desk: a thumbnail that opens the full image.
    const chooser = desk.waitForEvent('filechooser');
    await desk.getByTestId('attachment-upload').hover();
    await desk.getByRole('menuitem', { name: '处理前照片' }).click();
    await (await chooser).setFiles({
      name: 'lift.jpg',
      mimeType: 'image/jpeg',
      buffer: await jpegPhoto(640, 480),
    });
    await desk.getByTestId('attachment-image').first().waitFor();
    await desk.screenshot({ path: screenshotPath('intake-emergency.png') });
    await desk
      .getByTestId('emergency-panel')
      .screenshot({ path: screenshotPath('intake-emergency-panel.png') });
  }, 120_000);

  it('R10: an admin adds a price item on the 工单分类 page, and puts a team member off duty', async () => {
    const admin = await newConsolePage(browser);
    admin.on('pageerror', (error) => pageErrors.push(`admin: ${error.message}`));
    await loginThroughForm(admin, `${baseUrl}/admin/categories`, 'admin', PASSWORD);
    await admin.getByRole('link', { name: '工单分类' }).waitFor();
    await admin.getByTestId('category-node-leak').click();
    await expect.poll(() => admin.getByTestId('category-title').textContent()).toBe(LEAK);
    await admin.getByTestId('price-list').getByText('这个分类还没有收费标准', { exact: false }).waitFor();

    await admin.getByTestId('price-new').click();
    const form = admin.getByTestId('price-form');
    await form.getByTestId('price-name').fill('更换角阀');
    await form.getByTestId('price-price').fill('35');
    await form.getByTestId('price-unit').fill('个');
    await admin.screenshot({ path: screenshotPath('intake-price-form.png') });
    await admin
      .locator('.ant-modal')
      .getByRole('button', { name: /保\s*存/ })
      .click();

    const row = admin.getByTestId('price-row-更换角阀');
    await row.waitFor();
    expect(await row.textContent()).toContain('¥35.00/个');
    await admin.screenshot({ path: screenshotPath('intake-categories.png'), fullPage: true });

    const { items } = await apiGet<{ items: { name: string; unit: string; price: number }[] }>(
      admin,
      '/api/v1/ticket-categories/cat-leak/prices',
    );
    expect(items).toEqual([expect.objectContaining({ name: '更换角阀', unit: '个', price: 35 })]);

    // 在岗: the technician goes off duty on the teams page (automatic dispatch skips them).
    await admin.getByRole('link', { name: '班组管理' }).click();
    const duty = admin.getByTestId('team-duty-104');
    await duty.waitFor();
    await expect(duty.getAttribute('aria-checked')).resolves.toBe('true');
    await duty.click();
    await expect.poll(() => duty.getAttribute('aria-checked')).toBe('false');
    await admin.screenshot({ path: screenshotPath('intake-teams-duty.png') });
    const { items: teams } = await apiGet<{
      items: { name: string; members: { name: string; onDuty: boolean }[] }[];
    }>(admin, `/api/v1/teams?communityId=${testApp.world.communityA.id}`);
    expect(teams.find((team) => team.name === '维修组')?.members).toEqual([
      expect.objectContaining({ name: '测试technician-a', onDuty: false }),
    ]);
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
