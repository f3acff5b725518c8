import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulators } from '../../simulators/scenario.ts';
import {
  clickAndLoad as clickAndLoadIn,
  launchBrowser,
  poll,
  problemBadge as badgeOf,
  textOf as text,
  type TestBrowser,
} from '../helpers/browser.ts';
import { MCF_USER, NB_ORDERS_PASSWORD, NB_PRODUCTS_PASSWORD } from '../helpers/scenarios.ts';
import {
  ADMIN_PASSWORD,
  addConnection,
  connectionFileFor,
  startStoreSims,
  startTestService,
  type TestService,
} from '../helpers/service.ts';
import { netbaronCounts, placeOrder } from '../helpers/worker-process.ts';

/*
 * The admin web app in real headless Chromium, against the whole service (in this process, on a database
 * of its own) and both simulators with the small scenario: sign in, settings, connection tests, a dry
 * run, a real import followed on its progress page, and a waiting order retried until its problem closes
 * itself. The steps build on one another and share one signed-in browser page.
 *
 * `npm run screenshots` runs the same steps and keeps full-page PNGs in docs/screenshots/.
 */

const CREDENTIALS = [MCF_USER.api_key, NB_PRODUCTS_PASSWORD, NB_ORDERS_PASSWORD];
const WRONG_PRODUCT_PASSWORD = 'definitely-not-the-password';

interface StoreProduct {
  id: number;
  product_code: string;
  price: number | string;
  [field: string]: unknown;
}

let t: TestService;
let sims: RunningSimulators;
let b: TestBrowser;
let page: Page;
let base: string;

const clickAndLoad = (target: Locator) => clickAndLoadIn(page, target);
const problemBadge = () => badgeOf(page);

/** What the progress box of an import showed, each time it changed (see `recordProgress`). */
interface ProgressSeen {
  path: string;
  state: string;
  value: number | null;
  max: number;
  label: string;
  counts: string;
}
const progress: ProgressSeen[] = [];

/**
 * Reports every change of an import's progress box (`#import-progress`: its data-state, the bar's value
 * and max, its texts) to the test as it happens. The page moves on to the run soon after the end, so a
 * check by polling alone could miss the finished bar; this sees each state the page showed.
 */
async function recordProgress(): Promise<void> {
  await b.context.exposeBinding('__progressSeen', (_source, seen: ProgressSeen) => {
    progress.push(seen);
  });
  // Page-side code as text: this project's type-checking knows Node, not the DOM.
  await b.context.addInitScript({
    content: `document.addEventListener('DOMContentLoaded', () => {
      const box = document.getElementById('import-progress');
      const bar = box && box.querySelector('progress');
      if (!bar) return;
      const textOf = (selector) => (box.querySelector(selector)?.textContent ?? '').trim();
      const snapshot = () =>
        window.__progressSeen({
          path: location.pathname,
          state: box.dataset.state ?? '',
          value: bar.hasAttribute('value') ? bar.value : null,
          max: bar.max,
          label: textOf('[data-progress-label]'),
          counts: textOf('[data-progress-counts]'),
        });
      new MutationObserver(snapshot).observe(box, {
        attributes: true,
        childList: true,
        characterData: true,
        subtree: true,
      });
      snapshot();
    });`,
  });
}

async function simState<T>(url: string): Promise<T> {
  const res = await fetch(`${url}/__sim/state`);
  if (!res.ok) throw new Error(`GET ${url}/__sim/state: ${res.status}`);
  return (await res.json()) as T;
}

async function simPut(url: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}${path}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`PUT ${url}${path}: ${res.status} ${await res.text()}`);
}

const storeProducts = async (): Promise<StoreProduct[]> =>
  (await simState<{ products: StoreProduct[] }>(sims.mycashflow.url)).products;

async function visit(path: string): Promise<void> {
  await page.goto(`${t.url}${path}`);
}

const pathOf = (p: Page): string => new URL(p.url()).pathname;

/** A row of a run's plan table: the action of this kind on this code. */
const planRow = (code: string, action: string): Locator =>
  page
    .locator('table.plan tbody tr')
    .filter({ has: page.locator('td:first-child', { hasText: new RegExp(`^${code}$`) }) })
    .filter({ has: page.locator('td:nth-child(2)', { hasText: action }) });

/** A line of the order page's facts table, by its heading. */
const fact = (heading: string): Locator =>
  page
    .locator('table.facts tr')
    .filter({ has: page.locator('th', { hasText: new RegExp(`^${heading}$`) }) })
    .locator('td');

async function expectNoCredentialsInPage(): Promise<void> {
  const markup = await page.content();
  for (const secret of CREDENTIALS) expect(markup).not.toContain(secret);
  expect(markup).not.toContain(WRONG_PRODUCT_PASSWORD);
}

async function saveSettings(): Promise<void> {
  await clickAndLoad(page.getByRole('button', { name: 'Save settings' }));
  expect(pathOf(page)).toBe(`${base}/settings`);
  expect(await text(page.getByRole('status').filter({ hasText: 'Settings saved' }))).toBe('Settings saved.');
}

async function testConnection(system: 'MyCashflow' | 'NetBaron'): Promise<string> {
  await clickAndLoad(page.getByRole('button', { name: `Test ${system} connection` }));
  return text(page.locator('#test-result'));
}

beforeAll(async () => {
  t = await startTestService();
  sims = await startStoreSims();
  const record = await addConnection(t, connectionFileFor(sims, 'testikauppa', 'Testikauppa'));
  base = `/connections/${record.slug}`;
  b = await launchBrowser();
  page = b.page;
  await recordProgress();
});

describe('the admin web app in Chromium', () => {
  it('refuses a wrong password on the sign-in page, then signs in to the connections list', async () => {
    await visit('/');
    expect(pathOf(page)).toBe('/sign-in');
    expect(await text(page.getByRole('heading', { level: 1 }))).toBe('Sign in');
    await b.screenshot('sign-in');

    await page.getByLabel('Admin password').fill('not-the-admin-password');
    await clickAndLoad(page.getByRole('button', { name: 'Sign in' }));
    expect(pathOf(page)).toBe('/sign-in');
    expect(await text(page.getByRole('alert'))).toBe('That password is not right.');
    expect(await page.getByLabel('Admin password').inputValue()).toBe('');

    await page.getByLabel('Admin password').fill(ADMIN_PASSWORD);
    await clickAndLoad(page.getByRole('button', { name: 'Sign in' }));
    expect(pathOf(page)).toBe('/');
    expect(await text(page.getByRole('heading', { level: 1 }))).toBe('Connections');
    const row = page.locator('tbody tr', { hasText: 'Testikauppa' });
    expect(await row.count()).toBe(1);
    expect(await text(row.locator('.state'))).toBe('ready');
    expect(await page.getByRole('link', { name: 'Testikauppa' }).getAttribute('href')).toBe(base);
    await b.screenshot('connections');

    await clickAndLoad(page.getByRole('link', { name: 'Testikauppa' }));
    expect(await text(page.getByRole('heading', { level: 1 }))).toBe('Testikauppa');
    expect(await page.getByRole('button', { name: 'Preview (dry run)' }).isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Fetch all products' }).isEnabled()).toBe(true);
    await b.screenshot('connection-overview');
  });

  it('saves settings, keeps them over a reload, and never puts a credential back into the page', async () => {
    await clickAndLoad(page.locator('nav.tabs').getByRole('link', { name: 'Settings' }));
    expect(pathOf(page)).toBe(`${base}/settings`);
    expect(await text(page.getByRole('heading', { level: 1 }))).toBe('Settings');
    const deleteRemoved = page.locator('input[name="when_removing"][value="delete"]');
    const daily = page.locator('input[name="schedule_frequency"][value="daily"]');
    expect(await deleteRemoved.isChecked()).toBe(false);
    expect(await daily.isChecked()).toBe(false);

    await page.getByRole('radio', { name: 'Delete the product' }).check();
    await page.getByRole('radio', { name: 'Every day at the time below' }).check();
    await page.getByLabel('Time of day').fill('04:30');
    // One write at a time: the import later in this file then lasts long enough to be followed.
    await page.getByText('Safety limits and speed').click();
    await page.getByLabel('Writes to MyCashflow at once (at most)').fill('1');
    await saveSettings();

    await visit(`${base}/settings`);
    expect(await page.getByRole('status').count()).toBe(0);
    expect(await deleteRemoved.isChecked()).toBe(true);
    expect(await page.locator('input[name="when_removing"][value="hide"]').isChecked()).toBe(false);
    expect(await daily.isChecked()).toBe(true);
    expect(await page.getByLabel('Time of day').inputValue()).toBe('04:30');
    expect(await page.getByLabel('Writes to MyCashflow at once (at most)').inputValue()).toBe('1');
    for (const field of ['#mcf_api_key', '#nb_product_password', '#nb_order_password']) {
      const input = page.locator(field);
      expect(await input.inputValue()).toBe('');
      expect(await input.getAttribute('type')).toBe('password');
      const hint = page.locator(`label[for="${field.slice(1)}"] + p.hint`);
      expect(await text(hint)).toContain('Saved (hidden)');
    }
    await expectNoCredentialsInPage();
    await b.screenshot('settings');

    await clickAndLoad(page.locator('nav.tabs').getByRole('link', { name: 'Overview' }));
    expect(await text(page.locator('.card', { hasText: 'automatic product updates' }))).toContain(
      'Every day at 04:30',
    );
    await clickAndLoad(page.locator('nav.tabs').getByRole('link', { name: 'Settings' }));
  });

  it('tests both systems, and names the failing part when the Product API password is wrong', async () => {
    const mcf = await testConnection('MyCashflow');
    expect(mcf).toContain('MyCashflow: connection works');
    expect(mcf).toContain('API access works: 2 store version(s) found.');

    await page.getByLabel('Product API password').fill(WRONG_PRODUCT_PASSWORD);
    await saveSettings();
    await expectNoCredentialsInPage();
    const failed = await testConnection('NetBaron');
    expect(failed).toContain('NetBaron: connection failed');
    expect(failed).toMatch(/Product API: Organisation, password or module interface number: refused\./);
    expect(failed).toContain('Order API works: 2 payment method(s).');
    expect(await page.locator('#test-result').getAttribute('class')).toContain('error');

    await page.getByLabel('Product API password').fill(NB_PRODUCTS_PASSWORD);
    await saveSettings();
    await expectNoCredentialsInPage();
    const works = await testConnection('NetBaron');
    expect(works).toContain('NetBaron: connection works');
    expect(works).toContain('Product API works: 2 marketplace(s).');
    expect(works).toContain('Order API works: 2 payment method(s).');
    // The marketplace list is read again with the right password, and the saved choice is still chosen.
    expect(await text(page.locator('#nb_marketplace option:checked'))).toBe('Verkkokauppa (3)');
  });

  it('previews an import: the plan shows field-level diffs and nothing is written to the store', async () => {
    const before = await storeProducts();
    expect(before.find((p) => p.product_code === 'KIRJA-1')?.price).toBe(24.9);

    await visit(base);
    await clickAndLoad(page.getByRole('button', { name: 'Preview (dry run)' }));
    expect(pathOf(page)).toMatch(new RegExp(`^${base}/imports/[^/]+$`));
    expect(await text(page.getByRole('heading', { level: 1 }))).toBe('Preview (dry run)');

    await page.waitForURL(new RegExp(`${base}/runs/\\d+$`), { timeout: 30_000 });
    await page.waitForLoadState('load');
    const heading = await text(page.getByRole('heading', { level: 1 }));
    expect(heading).toMatch(/^Preview \(dry run\) #\d+ dry-run$/);
    expect(await text(page.locator('main'))).toContain('This is a preview: nothing was written.');
    expect(await text(page.getByRole('heading', { level: 2, name: 'The plan' }))).toBe('The plan');

    const kirja = planRow('KIRJA-1', 'Update product');
    expect(await kirja.count()).toBe(1);
    const price = kirja.locator('ul.diff li', { hasText: 'Price incl. VAT' });
    expect(await text(price)).toBe('Price incl. VAT: 24.90 → 26.90');
    expect(await text(price.locator('del'))).toBe('24.90');
    expect(await text(price.locator('ins'))).toBe('26.90');
    expect(await text(kirja.locator('td').nth(3))).toBe('planned');
    expect(await text(kirja.locator('ul.diff'))).toContain('Description: → Lyhyt kuvaus');
    expect(await text(planRow('KIRJA-1', 'Set stock').locator('ul.diff'))).toBe('Stock: 0 → 7');
    const created = planRow('UUSI-1', 'Create product');
    expect(await text(created.locator('ul.diff'))).toContain('Price incl. VAT: (none) → 5.50');
    await b.screenshot('run-plan');

    expect(await storeProducts()).toEqual(before);
  });

  it('runs the real import: the progress bar fills, then the run page says completed and the store has the new price', async () => {
    // Some latency on the store's writes, so that the run lasts long enough to be followed on its page.
    await simPut(sims.mycashflow.url, '/__sim/faults', {
      rules: ['POST', 'PUT', 'PATCH', 'DELETE'].map((method) => ({ path: '/api/*', method, latencyMs: 300 })),
    });
    try {
      await visit(base);
      // "Fetch all products" asks first, with the counts of the preview made a moment ago.
      await clickAndLoad(page.getByRole('button', { name: 'Fetch all products' }));
      expect(pathOf(page)).toMatch(new RegExp(`^${base}/runs/\\d+$`));
      const confirm = page.locator('#confirm');
      expect(await text(confirm.getByRole('heading', { level: 2 }))).toBe('Fetch all products?');
      expect(await text(confirm)).toMatch(/would create 1, update \d+, hide 0 and delete 0/);
      progress.length = 0;
      await clickAndLoad(confirm.getByRole('button', { name: 'Write these changes' }));
      const progressPath = pathOf(page);
      expect(progressPath).toMatch(new RegExp(`^${base}/imports/[^/]+$`));
      expect(await text(page.getByRole('heading', { level: 1 }))).toBe('Fetch all products');
      expect(await page.locator('#import-progress progress').count()).toBe(1);

      // Mid-run: planned, writing, the bar counting actions. Pictured when caught (the executor records
      // outcomes in batches, so a run this small goes from none done to the end in one step).
      const midRun = await poll(
        'the plan to be written',
        async () => progress.find((p) => p.state !== 'running' || p.value !== null),
        { timeoutMs: 30_000, everyMs: 20 },
      );
      if (midRun.state === 'running') {
        expect(midRun.label).toBe('Writing to the store');
        expect(midRun.counts).toMatch(/^\d+ of \d+ actions$/);
      }

      // The page moves on to the run 0.7 s after the end; the recorder saw every state it showed.
      const done = await poll(
        'the progress bar to reach "done"',
        async () => progress.find((p) => p.state === 'done' || p.state === 'failed'),
        { timeoutMs: 30_000, everyMs: 20 },
      );
      expect(done, JSON.stringify(progress)).toMatchObject({ state: 'done', path: progressPath });
      expect(done.max).toBeGreaterThan(1);
      expect(done.value).toBe(done.max);
      expect(done.counts).toBe(`${done.max} of ${done.max} actions`);
      expect(done.label).toBe('Import completed');
      // It went forward only, and never past its end.
      const values = progress.flatMap((p) => (p.value === null ? [] : [p.value]));
      expect(values).toEqual([...values].sort((x, y) => x - y));
      expect(Math.max(...values)).toBe(done.max);

      await page.waitForURL(new RegExp(`${base}/runs/\\d+$`), { timeout: 15_000 });
      await page.waitForLoadState('load');
      expect(await text(page.getByRole('heading', { level: 1 }))).toMatch(/^Import #\d+ completed$/);
      expect(await text(page.getByRole('heading', { level: 2, name: 'What was written' }))).toBe(
        'What was written',
      );
      const kirja = planRow('KIRJA-1', 'Update product');
      expect(await text(kirja.locator('ul.diff li', { hasText: 'Price incl. VAT' }))).toBe(
        'Price incl. VAT: 24.90 → 26.90',
      );
      expect(await text(kirja.locator('td').nth(3))).toBe('done');
      expect(await text(page.locator('.card', { hasText: 'created' }).locator('.figure'))).toBe('1');
    } finally {
      await simPut(sims.mycashflow.url, '/__sim/faults', { rules: [] });
    }
    const after = await storeProducts();
    expect(after.find((p) => p.product_code === 'KIRJA-1')?.price).toBe(26.9);
    expect(after.some((p) => p.product_code === 'UUSI-1')).toBe(true);
  });

  it('retries a waiting order once its payment method exists, and its problem closes itself', async () => {
    const order = await placeOrder(sims, { payment_method_id: 3 });
    const title = 'Payment method "Klarna" is unknown to NetBaron (1 order waits)';

    await visit(`${base}/problems`);
    const problem = page.locator('section.problem', { hasText: title });
    await poll(
      `"${title}" on the Problems tab`,
      async () => {
        await page.reload();
        return (await problem.count()) === 1 ? true : undefined;
      },
      { timeoutMs: 15_000, everyMs: 250 },
    );
    expect(await text(problem.locator('h3'))).toBe(title);
    expect(await text(problem.locator('.fix'))).toContain('named exactly "Klarna" in NetBaron');
    const badgeBefore = await problemBadge();
    // The only problem of this connection: the import before found none.
    expect(badgeBefore).toBe(1);

    // NetBaron learns the payment method.
    const nb = await simState<{ payment_methods: string[] }>(sims.netbaron.url);
    await simPut(sims.netbaron.url, '/__sim/state', {
      ...nb,
      payment_methods: [...nb.payment_methods, 'Klarna'],
    });

    await problem.locator('summary').click();
    await clickAndLoad(problem.getByRole('link', { name: String(order.id), exact: true }));
    expect(pathOf(page)).toBe(`${base}/orders/${order.id}`);
    expect(await text(page.getByRole('heading', { level: 1 }))).toBe(`Order ${order.id}`);
    expect(await text(fact('State'))).toContain('waiting');
    expect(await text(fact('Reason'))).toContain('Klarna');

    await clickAndLoad(page.getByRole('button', { name: 'Retry this order' }));
    // What is true as the page is shown: on its way, or (a quick worker) already sent.
    expect(await text(page.getByRole('status'))).toMatch(
      /^(Retry queued: the order is on its way to NetBaron\.|Sent: NetBaron has the order)/,
    );
    const salesOrder = await poll(
      'the order to be sent',
      async () => {
        await page.reload();
        const state = await text(fact('State'));
        if (!state.includes('Sent: NetBaron has the order.')) return undefined;
        return text(fact('NetBaron sales order'));
      },
      { timeoutMs: 20_000, everyMs: 250 },
    );
    expect(salesOrder).not.toBe('—');
    expect(await page.getByRole('button', { name: 'Retry this order' }).count()).toBe(0);
    expect(await netbaronCounts(sims)).toEqual(new Map([[order.id, 1]]));

    await clickAndLoad(page.locator('nav.tabs').getByRole('link', { name: 'Orders' }));
    const row = page.locator('tbody tr', { has: page.getByRole('link', { name: String(order.id) }) });
    // Columns: order, placed, customer, total, payment method, state, NetBaron sales order.
    expect(await text(row.locator('td').nth(4))).toBe('Klarna');
    expect(await text(row.locator('td').nth(5))).toBe('sent');
    expect(await text(row.locator('td').nth(6))).toBe(salesOrder);

    await clickAndLoad(page.locator('nav.tabs').getByRole('link', { name: /^Problems/ }));
    expect(await problem.count()).toBe(0);
    expect(await problemBadge()).toBe(badgeBefore - 1);
    expect(await text(page.locator('main .notice'))).toBe('No open problems.');
  });

  it('reads the pre-flight check and the stock report on request', async () => {
    await visit(`${base}/check?run=1`);
    expect(await text(page.getByRole('heading', { level: 1 }))).toBe('Pre-flight check');
    expect(await text(page.locator('main'))).toContain('Read just now');
    expect(await page.getByRole('alert').count()).toBe(0);
    await b.screenshot('check');

    await visit(`${base}/stock?run=1`);
    expect(await text(page.getByRole('heading', { level: 1 }))).toBe('Stock report');
    expect(await text(page.locator('main'))).toContain('Read just now');
    expect(await page.getByRole('alert').count()).toBe(0);
    await b.screenshot('stock');
  });

  it('ran every page without a script error', () => {
    // Expected: the refused sign-in (401), nothing else.
    const expected = [/status of 401 .*\/sign-in\)$/];
    expect(b.pageErrors.filter((e) => !expected.some((r) => r.test(e)))).toEqual([]);
  });
});
