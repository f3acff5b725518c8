import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll } from 'vitest';

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
 */
export async function poll<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 15_000, everyMs = 100 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (performance.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
