// The shared setup of the browser tests (test/e2e): real Chromium against the real app listening
// on a random loopback port. Needs /usr/bin/chromium (Debian packages: chromium fonts-noto-cjk).
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { expect, vi } from 'vitest';
import type { DialectName } from '../../src/server/platform/db/database.js';
import { createTestApp, type TestApp } from './app.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WEB_DIR = resolve(ROOT, 'dist/web');
const RESULTS_DIR = resolve(ROOT, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Chromium (CHROMIUM_PATH, default /usr/bin/chromium); fails early with how to install it. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium fonts-noto-cjk`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface Console {
  testApp: TestApp;
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
}

/**
 * The app serving the built console (built first when dist/web is missing) on a fresh database,
 * listening on a random port of 127.0.0.1. `seed` runs on the new app before it starts listening.
 */
export async function startConsole(
  dialect: DialectName,
  options: { seed?: (testApp: TestApp) => Promise<void> } = {},
): Promise<Console> {
  if (!existsSync(resolve(WEB_DIR, 'index.html'))) {
    const { build } = await import('vite');
    await build({ configFile: resolve(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  }
  const testApp = await createTestApp(dialect, { WEB_DIR });
  try {
    await options.seed?.(testApp);
    await testApp.app.listen({ port: 0, host: '127.0.0.1' });
    const address = testApp.app.server.address();
    if (!address || typeof address === 'string') throw new Error('the app is not listening on a TCP port');
    return { testApp, baseUrl: `http://127.0.0.1:${address.port}` };
  } catch (error) {
    await testApp.close();
    throw error;
  }
}

/** A desktop-sized page in Simplified Chinese, with a 15 s default timeout. */
export async function newConsolePage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  page.setDefaultTimeout(15_000);
  return page;
}

/**
 * Opens `url` signed out, which lands on the login form; signs in there (user name or 工号 +
 * password) and waits to be taken back to the page asked for.
 */
export async function loginThroughForm(page: Page, url: string, user: string, password: string) {
  await page.goto(url);
  await page.waitForURL('**/login');
  await page.getByLabel('用户名或工号').fill(user);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL(`**${new URL(url).pathname}`);
}

/** Where to save a screenshot named `file` (test-results/, created if missing). */
export function screenshotPath(file: string): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  return resolve(RESULTS_DIR, file);
}

/**
 * Picks the option reading exactly `text` (or, with `exact: false`, the first containing it) in an
 * antd Select and waits until the Select shows `text` and its list has closed. On a busy machine a
 * click can land while the list is still opening and be lost: the pick is then made again, as a
 * person would, and checked by what the Select shows.
 */
export async function chooseOption(
  page: Page,
  select: Locator,
  text: string,
  options: { exact?: boolean } = {},
) {
  const open = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  const exactly = new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const option = open
    .locator('.ant-select-item-option')
    .filter({ hasText: options.exact === false ? text : exactly })
    .first();
  await vi.waitFor(
    async () => {
      if ((await open.count()) === 0) await select.click({ timeout: 5_000 });
      await option.click({ timeout: 5_000 });
      expect(await select.textContent()).toContain(text);
    },
    { timeout: 30_000, interval: 250 },
  );
  // picked: the list closes by itself; one still open after a repeated pick is closed with Escape
  try {
    await expect.poll(() => open.count(), { timeout: 3_000 }).toBe(0);
  } catch {
    await page.keyboard.press('Escape');
    await expect.poll(() => open.count()).toBe(0);
  }
}
