import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll } from 'vitest';
import { waitFor } from './wait.ts';

/*
 * Real headless Chromium for the admin pages, driven by playwright-core. The browser is Debian's
 * (`apt-get install chromium`): playwright-core downloads nothing, so no browser is fetched at install
 * time and the tests use exactly the one on the machine.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const VIEWPORT = { width: 1280, height: 900 };

const ROOT = path.resolve(import.meta.dirname, '../..');
export const SCREENSHOT_DIR = path.join(ROOT, 'docs', 'screenshots');

export interface TestBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Uncaught script errors and console errors of every page so far, as text. */
  pageErrors: string[];
  /** A full-page PNG in docs/screenshots/<name>.png, only when SCREENSHOTS=1. */
  screenshot(name: string): Promise<void>;
}

/** One browser, one context (cookies kept) and one page for the calling test file; closed when it ends. */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  afterAll(() => browser.close(), 30_000);
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB' });
  const pageErrors: string[] = [];
  context.on('weberror', (e) => pageErrors.push(`uncaught: ${e.error().message}`));
  context.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(`console: ${m.text()} (${m.location().url})`);
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.setDefaultNavigationTimeout(15_000);
  const wanted = process.env.SCREENSHOTS === '1';
  return {
    browser,
    context,
    page,
    pageErrors,
    screenshot: async (name) => {
      if (!wanted) return;
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    },
  };
}

/**
 * Polls `probe` until it gives a value other than undefined, or fails after `timeoutMs` with what it
 * waited for and the last thing seen. No fixed sleeps: each step ends as soon as its condition holds.
 * A probe that throws (a page reloading under it) is asked again.
 */
export const poll = <T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 15_000, everyMs = 100 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<T> => waitFor(what, probe, { timeoutMs, everyMs, retryErrors: true });

/** An element's text with runs of white space made one space, as a person reads it. */
export const textOf = async (target: Locator): Promise<string> =>
  ((await target.textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** Clicks something that loads a new page (a form's submit button, a link) and waits for that page. */
export async function clickAndLoad(page: Page, target: Locator): Promise<void> {
  const loaded = page.waitForEvent('load');
  await target.click();
  await loaded;
}

/** Signs in to the admin app at `serviceUrl` with the given password. */
export async function signIn(page: Page, serviceUrl: string, password: string): Promise<void> {
  await page.goto(`${serviceUrl}/sign-in`);
  await page.getByLabel('Admin password').fill(password);
  await clickAndLoad(page, page.getByRole('button', { name: 'Sign in' }));
}

/** The number on a connection's Problems tab (0 when the tab shows no badge). */
export async function problemBadge(page: Page): Promise<number> {
  const badge = page.locator('nav.tabs a', { hasText: 'Problems' }).locator('.badge');
  return (await badge.count()) === 0 ? 0 : Number(await textOf(badge));
}

/** On an import's progress page: waits until it moves on to the run's page, and returns that path. */
export async function runPageAfterProgress(page: Page, base: string): Promise<string> {
  const at = new URL(page.url()).pathname;
  if (!at.startsWith(`${base}/imports/`)) throw new Error(`expected an import's progress page, not ${at}`);
  await page.waitForURL(new RegExp(`${base}/runs/\\d+$`), { timeout: 60_000 });
  await page.waitForLoadState('load');
  return new URL(page.url()).pathname;
}

/**
 * "Fetch all products" from the connection's overview, up to its confirmation (the counts of a preview,
 * made first when there is no fresh one); returns the confirmation box.
 */
export async function fetchAllProducts(page: Page, serviceUrl: string, base: string): Promise<Locator> {
  await page.goto(`${serviceUrl}${base}`);
  await clickAndLoad(page, page.getByRole('button', { name: 'Fetch all products' }));
  if (!new URL(page.url()).pathname.includes('/runs/')) await runPageAfterProgress(page, base);
  return page.locator('#confirm');
}
