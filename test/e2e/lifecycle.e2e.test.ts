// The ticket lifecycle in real Chromium against the real app on a fresh SQLite database: the agent
// logs a phoned-in paid repair in the intake form from the caller's number and dispatches it to
// technician-a; technician-a, on a 375×812 phone page, accepts it, arrives (a dead spot first: the
// step waits and is resent), takes a 处理前 photo (the first upload cut off, then retried), starts,
// and completes it with a 处理后 photo, items from the published price list and the resident's
// signature drawn on the pad; the agent's page, left open on the ticket and never reloaded, follows
// every step live (GET /api/v1/events) and ends up done with every step (actor + 工号) on the
// timeline — an action form the agent was filling keeps its text through the updates. Then a lift
// entrapment worked from the phone (R16), and the pool: 抢单, 挂起/恢复, 退单 (R7, R13).
// Screenshots go to test-results/lifecycle-*.png. Needs /usr/bin/chromium (Debian packages:
// chromium fonts-noto-cjk).
import dayjs from 'dayjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../src/server/platform/context.js';
import { jpegPhoto } from '../fixtures/attachments/files.js';
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
let baseUrl: string;
let desk: Page;
let phone: Page;
let ticket: { id: string; number: string };
let photo: Buffer;
let repairTeam: { teamId: string; techId: string };
const pageErrors: string[] = [];
const TECH_NAME = '测试technician-a';
/** Longer than the live update takes (about a second), far shorter than the 30-s staleTime. */
const LIVE = { timeout: 10_000 } as const;
const CANCEL_REASON = '住户说先不修了';
const LEAK_CATEGORY = 'cat-leak';
const LEAK = '漏水渗水';
const VISIT_FEE = '上门服务费';
const JOINT = '更换水管接头';

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
  await chooseOption(page, page.getByTestId(testId), text, { exact: false });
}

/** The ticket as the server has it (with the agent's session). */
async function serverTicket(): Promise<{
  number: string;
  status: string;
  residentId: string | null;
  roomId: string | null;
  categoryId: string | null;
  paid: boolean;
  channel: string;
  callerPhone: string | null;
  events: { type: string }[];
  completion: unknown;
  chargeAmount: number | null;
  confirmation: unknown;
}> {
  const response = await desk.request.get(`${baseUrl}/api/v1/tickets/${ticket.id}`);
  expect(response.status()).toBe(200);
  return response.json();
}

/** The ticket's photos and signature as the server has them. */
async function serverAttachments(): Promise<{ id: string; kind: string; contentType: string }[]> {
  const response = await desk.request.get(`${baseUrl}/api/v1/tickets/${ticket.id}/attachments`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { items: { id: string; kind: string; contentType: string }[] }).items;
}

/** Nothing on the phone page is wider than the 375-px screen (no sideways scrolling). */
async function expectFitsPhone() {
  // (the server's tsconfig has no DOM types: the page's document is reached through globalThis)
  const width = await phone.evaluate(
    () =>
      (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
        .documentElement.scrollWidth,
  );
  expect(width).toBeLessThanOrEqual(375);
}

describe('ticket lifecycle: desk dispatches, technician works it on the phone (browser)', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    photo = await jpegPhoto(1200, 900);
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
        repairTeam = { teamId: team.id, techId: tech.id };
        // the published prices (R10): one of the first level (水电), one of the leak category
        await app.services.categories.createPrice(ctx, 'cat-water_power', {
          name: VISIT_FEE,
          unit: '次',
          price: 30,
        });
        await app.services.categories.createPrice(ctx, LEAK_CATEGORY, {
          name: JOINT,
          unit: '个',
          price: 45.5,
        });
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

  it('the agent logs the repair from the caller’s number in the intake form, then dispatches it', async () => {
    const { roomA, residentA } = testApp.world;
    await loginThroughForm(desk, `${baseUrl}/tickets`, 'agent-a', PASSWORD);
    // the header's button (an empty list offers one more)
    await desk.getByTestId('ticket-new').click();
    const intake = desk.getByRole('dialog').filter({ has: desk.getByLabel('来电号码 / 房号') });

    // The number as the phone shows it; Enter takes the resident it belongs to, and the card fills.
    await intake.getByLabel('来电号码 / 房号').click();
    await desk.keyboard.type('138 0013 8000');
    await intake.getByTestId('intake-pick-resident').first().waitFor();
    await desk.keyboard.press('Enter');
    await expect
      .poll(() =>
        intake
          .getByTestId('intake-card')
          .textContent()
          .catch(() => ''),
      )
      .toContain(residentA.name);

    // Type and category by typing, the fault, and 有偿 (paid work at the published prices).
    await intake.getByLabel('类型').click();
    await desk.keyboard.type('bx');
    await option(desk, '报修').first().waitFor();
    await desk.keyboard.press('Enter');
    await intake.getByLabel('分类').click();
    await desk.keyboard.type('ls');
    await option(desk, LEAK).first().waitFor();
    await desk.keyboard.press('Enter');
    await intake.getByLabel('内容').fill('厨房水管漏水');
    const paid = intake.getByRole('switch', { name: '有偿' });
    await paid.click();
    await expect(paid.getAttribute('aria-checked')).resolves.toBe('true');

    await intake.getByRole('button', { name: '复述确认' }).click();
    const readBack = intake.getByTestId('ticket-readback');
    await readBack.waitFor();
    await expect(readBack.textContent()).resolves.toContain(`王先生，您反映${roomA.label}：厨房水管漏水`);
    await expect(readBack.textContent()).resolves.toContain('有偿服务');
    await desk.screenshot({ path: screenshotPath('lifecycle-intake-readback.png') });
    await intake.getByRole('button', { name: '确认保存' }).click();
    const toast = desk.getByText(/工单 GD\d{8}-\d{4} 已登记/);
    await toast.waitFor();
    const number = (await toast.textContent())?.match(/GD\d{8}-\d{4}/)?.[0] ?? '';
    expect(number).not.toBe('');

    // The new ticket, opened from the list: the agent stays on it from here to the end.
    await desk.getByTestId(`ticket-row-${number}`).click();
    await desk.waitForURL(/\/tickets\/[^/?]+/);
    ticket = { id: new URL(desk.url()).pathname.split('/').pop() ?? '', number };
    const logged = await serverTicket();
    expect(logged).toMatchObject({
      number,
      status: 'received',
      residentId: residentA.id,
      roomId: roomA.id,
      categoryId: LEAK_CATEGORY,
      paid: true,
      channel: 'phone',
    });

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

  it('technician-a on a 375-px phone: 接单 → 到场 (photo) → 开始 → 完成 with photo, price list and signature', async () => {
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
    await expectFitsPhone();
    await phone.screenshot({ path: screenshotPath('lifecycle-phone-dispatched.png'), fullPage: true });

    const step = async (action: 'accept' | 'arrive' | 'start', status: string) => {
      await card.getByTestId(`job-action-${action}`).click();
      await expect.poll(() => card.textContent()).toContain(status);
      // The desk follows without a reload.
      await expect.poll(() => deskHeader.textContent(), LIVE).toContain(status);
    };

    await step('accept', '已接单');
    // The ticket changed under the open form: what the agent typed is still there.
    await expect(reason.inputValue()).resolves.toBe(CANCEL_REASON);
    await desk.screenshot({ path: screenshotPath('lifecycle-desk-live-form.png') });
    await desk
      .locator('.ant-modal')
      .getByRole('button', { name: /取\s*消/ })
      .click();
    await desk.locator('.ant-modal').waitFor({ state: 'hidden' });

    // 到场 on a dead spot (a basement): the step does not go out, the card says so and keeps it;
    // 重发 sends it once there is signal again.
    const arrivePath = `**/api/v1/tickets/${ticket.id}/arrive`;
    await phone.route(arrivePath, (route) => route.abort('internetdisconnected'));
    await card.getByTestId('job-action-arrive').click();
    const unsent = card.getByTestId('job-unsent');
    await unsent.waitFor();
    await expect(unsent.textContent()).resolves.toContain('“到场”没有发出去');
    await phone.screenshot({ path: screenshotPath('lifecycle-phone-unsent.png'), fullPage: true });
    await phone.unroute(arrivePath);
    await unsent.getByTestId('job-resend').click();
    await expect.poll(() => card.textContent()).toContain('已到场');
    await expect.poll(() => deskHeader.textContent(), LIVE).toContain('已到场');
    await expect(unsent.count()).resolves.toBe(0);
    // On site: the 处理前 photo. The first upload is cut off (no signal): the photo stays on the
    // phone marked as failed, and 重试 sends it.
    const before = card.getByTestId('photos-before');
    await before.waitFor();
    let cutOff = false;
    await phone.route('**/api/v1/tickets/*/attachments', async (route) => {
      if (route.request().method() === 'POST' && !cutOff) {
        cutOff = true;
        await route.abort('internetdisconnected');
      } else {
        await route.fallback();
      }
    });
    await before.getByTestId('photos-before-input').setInputFiles({
      name: 'before.jpg',
      mimeType: 'image/jpeg',
      buffer: photo,
    });
    await before.getByTestId('photo-failed').waitFor();
    await before.getByTestId('photos-before-failed').waitFor();
    await phone.screenshot({ path: screenshotPath('lifecycle-phone-photo-failed.png'), fullPage: true });
    await phone.unroute('**/api/v1/tickets/*/attachments');
    await before.getByTestId('photo-retry').click();
    await before.getByTestId('photo-saved').waitFor();
    await expect(before.getByTestId('photo-failed').count()).resolves.toBe(0);
    await expect(before.getByTestId('photos-before-count').textContent()).resolves.toBe('1 张');
    await expectFitsPhone();
    await phone.screenshot({ path: screenshotPath('lifecycle-phone-on-site.png'), fullPage: true });

    await step('start', '处理中');

    await card.getByTestId('job-action-complete').click();
    const report = phone.locator('.ant-drawer-content-wrapper');
    // The report form takes the whole screen once it has slid in.
    await expect
      .poll(async () => (await phone.locator('.ant-drawer-content-wrapper').boundingBox())?.y)
      .toBe(0);
    const after = report.getByTestId('photos-after');
    await after.getByTestId('photos-after-input').setInputFiles({
      name: 'after.jpg',
      mimeType: 'image/jpeg',
      buffer: photo,
    });
    await after.getByTestId('photo-saved').waitFor();
    await report.getByTestId('report-cause').fill('水管接头老化');
    await report.getByTestId('report-work').fill('更换接头并试压');
    await report.getByTestId('report-parts').fill('接头 x2');
    await report.getByTestId('report-advice').fill('定期检查接头');

    // Paid work: the leak category's price and its first level's, picked with the + buttons.
    const items = report.getByTestId('price-items');
    await items.waitFor();
    const row = (name: string) => items.locator('[data-testid^="price-"]').filter({ hasText: name });
    await row(VISIT_FEE).getByTestId('price-more').click();
    await row(JOINT).getByTestId('price-more').click();
    await row(JOINT).getByTestId('price-more').click();
    await expect(report.getByTestId('charge-total').textContent()).resolves.toBe('121.00 元');
    await phone.screenshot({ path: screenshotPath('lifecycle-phone-report.png') });

    // The resident signs with a finger (here the mouse) on the pad.
    const pad = report.getByTestId('signature-pad');
    await pad.scrollIntoViewIfNeeded();
    const box = await pad.boundingBox();
    if (!box) throw new Error('the signature pad is not on screen');
    expect(box.width).toBeGreaterThan(300);
    expect(box.x + box.width).toBeLessThanOrEqual(375);
    await phone.mouse.move(box.x + 30, box.y + box.height * 0.7);
    await phone.mouse.down();
    for (let i = 1; i <= 20; i++) {
      await phone.mouse.move(
        box.x + 30 + i * 12,
        box.y + box.height * (0.7 - 0.4 * Math.sin((i / 20) * Math.PI)),
      );
    }
    await phone.mouse.up();
    await expect(report.getByTestId('signature-pad-clear').isEnabled()).resolves.toBe(true);
    await expectFitsPhone();
    await phone.screenshot({ path: screenshotPath('lifecycle-phone-signature.png') });
    await report.getByTestId('report-submit').click();

    await expect.poll(() => card.textContent()).toContain('已完成');
    await expect(card.getByTestId('job-action-complete').count()).resolves.toBe(0);
    await phone.screenshot({ path: screenshotPath('lifecycle-phone-done.png'), fullPage: true });

    const done = await serverTicket();
    expect(done.status).toBe('done');
    expect(done.completion).toMatchObject({ cause: '水管接头老化', work: '更换接头并试压', charge: 121 });
    expect(done.chargeAmount).toBe(121);
    const attachments = await serverAttachments();
    expect(attachments.map((attachment) => attachment.kind).sort()).toEqual([
      'photo_after',
      'photo_before',
      'signature',
    ]);
    const signature = attachments.find((attachment) => attachment.kind === 'signature');
    expect(signature?.contentType).toBe('image/png');
    expect(done.confirmation).toEqual({ method: 'signature', attachmentId: signature?.id });
  }, 120_000);

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

    // the photos and the signature are steps of their own, between the lifecycle's
    const events = (await serverTicket()).events.map((event) => event.type);
    expect(events.filter((type) => type !== 'attachment')).toEqual(steps);
    expect(events.filter((type) => type === 'attachment')).toHaveLength(3);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('R16: a lift entrapment on the phone: the steps at the lift are big buttons, in the playbook’s order', async () => {
    // The desk receives it, sends technician-a and calls the lift contractor.
    const agent = await testApp.as('agent-a');
    const created = await agent.post('/api/v1/tickets', {
      communityId: testApp.world.communityA.id,
      publicAreaId: testApp.world.publicAreaA.id,
      callerName: '李女士',
      callerPhone: '13700137000',
      type: 'emergency',
      channel: 'phone',
      content: '电梯困人，对讲里有人呼救',
      emergency: { kind: 'lift_entrapment', lift: '3栋2单元1号梯', floor: '12', people: 2 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const lift: { id: string; number: string; version: number } = created.json();
    const dispatched = await agent.post(`/api/v1/tickets/${lift.id}/dispatch`, {
      version: lift.version,
      teamId: repairTeam.teamId,
      assigneeId: repairTeam.techId,
    });
    expect(dispatched.statusCode).toBe(200);
    const called = await agent.post(`/api/v1/tickets/${lift.id}/emergency-log`, {
      version: dispatched.json().version,
      entry: 'contractor_called',
      contractor: { name: '安达电梯维保' },
    });
    expect(called.statusCode).toBe(200);

    // The job arrives on the open phone page by itself.
    const card = phone.getByTestId(`job-${lift.number}`);
    await card.waitFor();
    const box = card.getByTestId('job-emergency');
    await expect(box.textContent()).resolves.toContain('3栋2单元1号梯 · 停在 12 层 · 被困 2 人');
    // the caller is one tap away
    await expect(card.getByTestId('job-call').getAttribute('href')).resolves.toBe('tel:13700137000');
    await card.getByTestId('job-action-accept').click();
    await expect.poll(() => card.textContent()).toContain('已接单');

    await box.getByTestId('emergency-rescuers_arrived').click();
    await box.getByTestId('emergency-released').waitFor();
    await expect(box.getByTestId('emergency-rescuers_arrived').count()).resolves.toBe(0);
    await expectFitsPhone();
    await phone.screenshot({ path: screenshotPath('lifecycle-phone-emergency.png'), fullPage: true });

    // The release asks whether anyone was hurt.
    await box.getByTestId('emergency-released').click();
    const form = phone.getByTestId('emergency-release-form');
    await form.getByText('无人受伤').click();
    await form.getByRole('button', { name: '被困人员已解救' }).click();
    await box.getByTestId('emergency-lift_checked').click();
    await expect.poll(() => box.textContent()).toContain('客服下一步：事件报告');
    await expect(box.locator('button').count()).resolves.toBe(0);
    await phone.screenshot({
      path: screenshotPath('lifecycle-phone-emergency-released.png'),
      fullPage: true,
    });

    const detail = (await agent.get(`/api/v1/tickets/${lift.id}`)).json();
    expect(detail.emergency.log.map((entry: { entry: string }) => entry.entry)).toEqual([
      'contractor_called',
      'rescuers_arrived',
      'released',
      'lift_checked',
    ]);
    expect(detail.emergency.injuries).toBe(false);
    expect(detail.emergency.nextStep).toBe('incident_report');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('the pool on the phone: 抢单, 挂起 and 恢复处理, then 退单 with a reason (R7, R13)', async () => {
    const agent = await testApp.as('agent-a');
    const created = await agent.post('/api/v1/tickets', {
      communityId: testApp.world.communityA.id,
      publicAreaId: testApp.world.publicAreaA.id,
      callerName: '赵先生',
      callerPhone: '13600136000',
      type: 'repair',
      channel: 'phone',
      content: '车库入口灯不亮',
    });
    expect(created.statusCode, created.body).toBe(201);
    const job: { id: string; number: string; version: number } = created.json();
    // into the team's pool: nobody named
    const pooled = await agent.post(`/api/v1/tickets/${job.id}/dispatch`, {
      version: job.version,
      teamId: repairTeam.teamId,
      assigneeId: null,
    });
    expect(pooled.statusCode, pooled.body).toBe(200);

    await phone.getByTestId('jobs-tabs').getByText('抢单池').click();
    const offer = phone.getByTestId(`pool-${job.number}`);
    await offer.waitFor();
    await expectFitsPhone();
    await phone.screenshot({ path: screenshotPath('lifecycle-phone-pool.png'), fullPage: true });
    await offer.getByTestId('pool-grab').click();
    await offer.waitFor({ state: 'detached' });

    await phone.getByTestId('jobs-tabs').getByText('我的工单').click();
    const card = phone.getByTestId(`job-${job.number}`);
    await expect.poll(() => card.textContent()).toContain('已接单');

    // 挂起 (R7): the reason, the next step and when it will go on.
    await card.getByTestId('job-action-pend').click();
    const modal = phone.locator('.ant-modal');
    await modal.getByTestId('action-reason').fill('灯具需更换，等配件');
    await modal.getByTestId('action-next-step').fill('配件到货后上门更换');
    await modal.getByTestId('action-eta').click();
    await phone.keyboard.type(dayjs().add(2, 'day').format('YYYY年M月D日 10:00'));
    await phone.keyboard.press('Enter');
    await modal.getByRole('button', { name: /挂\s*起/ }).click();
    await modal.waitFor({ state: 'hidden' });
    await expect.poll(() => card.textContent()).toContain('灯具需更换，等配件');
    await card.getByTestId('job-action-resume').click();
    await expect.poll(() => card.textContent()).toContain('已接单');

    // 退单 (R13) needs a reason; the job leaves my list and goes back to the desk.
    await card.getByTestId('job-action-decline').click();
    await modal.getByRole('button', { name: /退\s*单/ }).click();
    await modal.getByText('请填写原因').waitFor();
    await modal.getByTestId('action-reason').fill('不是我的片区');
    await modal.getByRole('button', { name: /退\s*单/ }).click();
    await card.waitFor({ state: 'detached' });

    const detail = (await agent.get(`/api/v1/tickets/${job.id}`)).json();
    expect(detail.status).toBe('received');
    expect(detail.assignee).toBeNull();
    expect(detail.events.map((event: { type: string }) => event.type)).toEqual([
      'created',
      'dispatch',
      'grab',
      'pend',
      'resume',
      'decline',
    ]);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
