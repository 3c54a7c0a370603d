// The residents console in real Chromium against the real app on a fresh SQLite database, as a
// service-centre manager of community A: find a resident by 尾号 and by room code (R3), open the
// resident card, reveal the phone and find the audit record of it (R4), open the card from a
// ticket, then onboard residents from an .xlsx with a title row and Chinese headers through the
// import wizard (R2) and find an imported resident by 尾号.
// Needs /usr/bin/chromium (Debian packages: chromium fonts-noto-cjk).
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../src/server/platform/context.js';
import { PASSWORD, type TestApp } from '../helpers/app.js';
import {
  chooseOption,
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
let ticketNumber: string;
let ticketId: string;
const pageErrors: string[] = [];
/** Resident A's number as test/helpers/app.ts registers it (the API answers it masked). */
const PHONE_A = '13800138000';

async function shot(name: string) {
  // let drawers and dialogs finish sliding in, so the picture shows what the user sees
  await page.waitForTimeout(400);
  await page.screenshot({ path: screenshotPath(`residents-${name}.png`), fullPage: true });
}

/** Types into the residents search box (as typed: the server reads it) and waits for a row. */
async function search(text: string, expectedName: string) {
  const box = page.getByTestId('resident-search');
  await box.fill('');
  await box.pressSequentially(text, { delay: 20 });
  const row = page.getByTestId('resident-row').filter({ hasText: expectedName });
  await row.first().waitFor();
  return row.first();
}

/** A residents sheet as a property company keeps it: a title row above Chinese headers. */
async function residentsSheet(rows: (string | number)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('业主信息');
  sheet.addRow(['阳光花园业主信息登记表（2026年11月）']);
  sheet.mergeCells('A1:D1');
  sheet.addRow(['房号', '业主姓名', '手机号码', '身份']);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('residents console (browser)', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    ({ testApp, baseUrl } = await startConsole('sqlite', {
      seed: async ({ world, services }) => {
        const { communityA, roomA, residentA } = world;
        const { ticket } = await services.tickets.create(systemContext(), {
          communityId: communityA.id,
          roomId: roomA.id,
          residentId: residentA.id,
          type: 'repair',
          channel: 'phone',
          content: '厨房水龙头滴水',
        });
        ticketNumber = ticket.number;
        ticketId = ticket.id;
      },
    }));
    page = await newConsolePage(browser);
    page.on('pageerror', (error) => pageErrors.push(error.message));

    // A service-centre manager of community A: may reveal phones and import (R2, R4).
    await loginThroughForm(page, `${baseUrl}/residents`, 'manager-a', PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('finds a resident by 尾号 and by room code, opens the card and reveals the phone (R3, R4, R5)', async () => {
    const { residentA, roomA } = testApp.world;
    await page.getByTestId('resident-search').waitFor();

    // R3: the last 4 digits of the phone; the row shows the phone masked (R4).
    const byTail = await search(residentA.phone.slice(-4), residentA.name);
    const rowText = await byTail.textContent();
    expect(rowText).toContain(roomA.label);
    expect(rowText).toContain('138****8000');
    expect(rowText).not.toContain(PHONE_A);
    expect(rowText).toContain('业主');

    // R3: the room the way the desk says it, sent as typed; the address keeps the search.
    const byRoom = await search('3-2-1502', residentA.name);
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('3-2-1502');
    await shot('search');

    // Enter opens the best match: the resident card with the greeting in large type.
    await page.getByTestId('resident-search').press('Enter');
    const card = page.getByTestId('resident-card');
    await expect(card.getByTestId('card-greeting').textContent()).resolves.toBe('王先生');
    await expect(card.getByTestId('card-phone').first().textContent()).resolves.toBe('138****8000');
    await expect(card.getByTestId('card-room').first().textContent()).resolves.toContain(roomA.label);
    await expect(card.getByTestId('card-satisfaction').textContent()).resolves.toBe('暂无');
    await card.getByTestId(`card-ticket-${ticketNumber}`).waitFor();
    expect(await byRoom.isVisible()).toBe(true);

    // R4: the full number on request, and the reveal is on the audit trail with who did it.
    const db = testApp.testDb.database.db;
    const reveals = () =>
      db
        .selectFrom('audit_log')
        .select(['actor_name', 'entity_id', 'community_id'])
        .where('action', '=', 'resident.phone_revealed')
        .where('entity_id', '=', residentA.id)
        .execute();
    await expect(reveals()).resolves.toEqual([]);
    await card.getByTestId('card-reveal').hover();
    await page.getByRole('tooltip').filter({ hasText: '会被记录' }).waitFor();
    await card.getByTestId('card-reveal').click();
    await card.getByTestId('card-phone').filter({ hasText: PHONE_A }).waitFor();
    const audited = await reveals();
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({
      actor_name: '测试manager-a',
      entity_id: residentA.id,
      community_id: testApp.world.communityA.id,
    });
    await shot('card');

    // R5: a care mark set in the edit form shows on the card (and the edit sends the version read).
    await card.getByTestId('card-edit').click();
    const edit = page.getByTestId('resident-edit');
    await edit.getByLabel('独居').check();
    await edit.getByRole('button', { name: /保\s*存/ }).click();
    await edit.waitFor({ state: 'detached' });
    await card.getByTestId('care-tags').filter({ hasText: '独居' }).waitFor();
    const stored = await testApp.services.residents.get(systemContext(), residentA.id);
    expect(stored.care).toEqual(['living_alone']);
    expect(stored.version).toBe(2);

    // R12: a colleague saves first; the second save gets the server's conflict message, the card
    // reloads, and the form keeps what was typed.
    await card.getByTestId('card-edit').click();
    await edit.locator('textarea').fill('来电请大声');
    await testApp.services.residents.update(systemContext(), residentA.id, {
      version: 2,
      notes: '同事写的备注',
    });
    await edit.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('这位住户的资料刚被其他同事修改过').waitFor();
    await page
      .locator('.ant-message')
      .getByText(/他人修改/)
      .waitFor();
    await card.getByText('同事写的备注').waitFor();
    await expect(edit.locator('textarea').inputValue()).resolves.toBe('来电请大声');
    await shot('conflict');
    await edit.getByRole('button', { name: /取\s*消/ }).click();
    await edit.waitFor({ state: 'detached' });

    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'hidden' });
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('opens the resident card from the resident name on a ticket', async () => {
    await page.goto(`${baseUrl}/tickets/${ticketId}`);
    await page.getByTestId('ticket-resident-link').click();
    const card = page.getByTestId('resident-card');
    await expect(card.getByTestId('card-greeting').textContent()).resolves.toBe('王先生');
    await card.getByTestId(`card-ticket-${ticketNumber}`).waitFor();
    await shot('ticket-card');
    await page.keyboard.press('Escape');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('imports residents from an .xlsx with a title row, then finds one by 尾号 (R2)', async () => {
    const { communityA, roomA } = testApp.world;
    const sheet = await residentsSheet([
      [roomA.label, '张伟', '139 1111 2222', '业主'],
      ['3-2-1502', '刘芳', '13933334444', '家属'],
      ['3-2-1502', '陈静', '1391234', '租户'],
      ['3-2-1601', '杨洋', '13955556666', '业主'],
    ]);

    await page.goto(`${baseUrl}/residents`);
    await page.getByTestId('resident-import').click();
    await page.waitForURL('**/residents/import');
    await page.getByTestId('import-template').waitFor();

    // Step 1: the community is the manager's only one; the file is uploaded as it is.
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: '阳光花园业主信息.xlsx', mimeType: 'application/octet-stream', buffer: sheet });

    // Step 2: the header below the title row is found and its columns recognised; the dry run
    // lists the bad rows with the column at fault; nothing is written yet.
    const mapping = page.getByTestId('import-mapping');
    await mapping.waitFor();
    await expect(mapping.textContent()).resolves.toMatch(/房号.*业主姓名.*手机号码.*身份/);
    const counts = page.getByTestId('import-counts');
    await expect.poll(() => counts.textContent()).toMatch(/数据行4将导入2已登记（跳过）0有错误2/);
    const issues = page.getByTestId('import-issues');
    await issues.getByText('第 5 行').waitFor();
    await issues.getByText('第 6 行').waitFor();
    await expect(issues.textContent()).resolves.toContain('C 列 手机号码');
    await expect(issues.textContent()).resolves.toContain('A 列 房号');
    // Changing how a column is read re-runs the dry run on the server (a new revision). Picked
    // through chooseOption: a click landing while the list still opens is made again.
    await chooseOption(page, page.getByTestId('import-map-D'), '不导入');
    await mapping.getByText('已修改').waitFor();
    await chooseOption(page, page.getByTestId('import-map-D'), '身份');
    await mapping.getByText('已修改').waitFor({ state: 'detached' });
    await expect.poll(() => counts.textContent()).toMatch(/将导入2/);

    const before = await testApp.services.residents.list(systemContext(), {
      communityId: communityA.id,
      q: '2222',
    });
    expect(before.items).toEqual([]);
    await shot('import-review');

    // Step 3: commit; the wizard polls the job until it is done, then sums up.
    await page.getByTestId('import-commit').click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor({ timeout: 30_000 });
    await expect(summary.textContent()).resolves.toContain('新增住户 2 位，跳过 2 行');
    await shot('import-done');

    // The imported resident is found by 尾号 from the residents list.
    await page.getByTestId('import-to-residents').click();
    await page.waitForURL('**/residents');
    const row = await search('2222', '张伟');
    await expect(row.textContent()).resolves.toContain('139****2222');
    await expect(row.textContent()).resolves.toContain(roomA.label);
    await shot('imported');
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
