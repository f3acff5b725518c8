import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulators } from '../../simulators/scenario.ts';
import {
  clickAndLoad as clickAndLoadIn,
  fetchAllProducts as fetchAllProductsIn,
  poll,
  runPageAfterProgress as runPageAfterProgressIn,
  textOf as text,
  type TestBrowser,
} from '../helpers/browser.ts';
import { smallScenario } from '../helpers/scenarios.ts';
import type { TestService } from '../helpers/service.ts';
import { simControl, storeStockByCode } from '../helpers/sims.ts';
import { openAdminApp } from '../helpers/admin-browser.ts';

/*
 * Runs that tell the truth, in real Chromium: "Fetch all products" asks first with a preview's counts; a
 * run whose stock writes the store refuses (409) ends "completed with N failures" (not a green
 * "completed"), its failures are one problem group, and "Retry failed" writes only those codes once the
 * cause is gone; "Cancel" stops a run between two writes and "Resume" finishes it, each write made once;
 * a blocked plan is discarded.
 */

const EXTRA = Array.from({ length: 12 }, (_, i) => `AJO-${String(i + 1).padStart(2, '0')}`);

function scenario() {
  const s = smallScenario() as {
    mycashflow: { products: Array<Record<string, unknown>> };
    netbaron: { products: Array<Record<string, unknown>> };
  };
  s.mycashflow.products.push(
    ...EXTRA.map((code) => ({
      product_code: code,
      name: `Tuote ${code}`,
      price: 10,
      stock_item: { quantity: 1 },
    })),
  );
  s.netbaron.products.push(
    ...EXTRA.map((code) => ({
      ProductCode: code,
      Name: `Tuote ${code}`,
      VatPercent: 25.5,
      SalesPriceVatIncluded: 10,
      PurchasePrice: 4,
      Quantity: 5,
      Marketplaces: ['3'],
    })),
  );
  return s;
}

interface SimRequest {
  method: string;
  path: string;
  status: number | null;
}

let t: TestService;
let sims: RunningSimulators;
let b: TestBrowser;
let page: Page;
let base: string;

const clickAndLoad = (target: Locator) => clickAndLoadIn(page, target);

const sim = (url: string, method: string, path: string, body?: unknown) =>
  simControl(`${url}${path}`, method, body);

const storeStock = () => storeStockByCode(sims);

const runPageAfterProgress = () => runPageAfterProgressIn(page, base);

async function fetchAllProducts(): Promise<Locator> {
  const confirm = await fetchAllProductsIn(page, t.url, base);
  expect(await confirm.count()).toBe(1);
  return confirm;
}

beforeAll(async () => {
  ({ t, sims, base, b, page } = await openAdminApp({
    id: 'ajot',
    name: 'Ajot',
    scenario: scenario() as never,
    // One write at a time: the cancel below then lands between two writes.
    connection: (file) => ({ ...file, productImport: { ...file.productImport, concurrency: 1 } }),
  }));
});

describe('import runs in Chromium', () => {
  it('asks before writing, shows a run with refused stock writes as completed with failures, and mends it with "Retry failed"', async () => {
    await sim(sims.mycashflow.url, 'PUT', '/__sim/faults', {
      rules: [{ path: '/api/v1/stock/*', method: 'PATCH', status: 409 }],
    });
    const confirm = await fetchAllProducts();
    expect(await text(confirm)).toMatch(/would create 1, update \d+, hide 0 and delete 0/);
    await b.screenshot('import-confirm');
    await clickAndLoad(confirm.getByRole('button', { name: 'Write these changes' }));
    const runPath = await runPageAfterProgress();

    // The stock of the 12 extra codes, KIRJA-1, KAHVI-1 and both sizes all differ, and every one was
    // refused; so was the stock of the new UUSI-1, written after it was created.
    const failures = Number(await text(page.locator('.card-failed .figure')));
    expect(failures).toBeGreaterThan(EXTRA.length);
    const stockFailures = failures - 1;
    const badge = page.getByRole('heading', { level: 1 }).locator('.state');
    expect(await text(badge)).toBe(`completed with ${failures} failures`);
    expect(await badge.getAttribute('class')).toContain('state-completed-with-failures');
    expect(await text(page.locator('.card-failed .figure'))).toBe(String(failures));
    expect(await text(page.locator('#failures'))).toContain(`${failures} writes failed.`);
    await b.screenshot('run-failures');

    // Seen on the overview and on the connections list too.
    await page.goto(`${t.url}${base}`);
    expect(await text(page.locator('.card', { hasText: 'last product import' }).locator('.state'))).toBe(
      `completed with ${failures} failures`,
    );
    await page.goto(`${t.url}/`);
    expect(
      await text(page.locator('tbody tr', { hasText: 'Ajot' }).locator('td').nth(2).locator('.state')),
    ).toBe(`completed with ${failures} failures`);

    // One problem group for all of them, with its bulk action.
    await page.goto(`${t.url}${base}/problems`);
    const group = page.locator('section.problem', { hasText: 'stock changes' });
    expect(await group.count()).toBe(1);
    expect(await text(group.locator('h3'))).toBe(`MyCashflow refused ${stockFailures} stock changes (409)`);
    expect(await group.getByRole('button', { name: `Retry these ${stockFailures} codes` }).count()).toBe(1);
    const created = page.locator('section.problem', { hasText: 'new product' });
    expect(await text(created.locator('h3'))).toBe('MyCashflow refused 1 new product (409)');
    await b.screenshot('problems-groups');

    // The cause goes away; "Retry failed" writes only the failed codes, planned against the store now.
    await sim(sims.mycashflow.url, 'PUT', '/__sim/faults', { rules: [] });
    await sim(sims.mycashflow.url, 'DELETE', '/__sim/requests');
    await page.goto(`${t.url}${runPath}`);
    await clickAndLoad(page.getByRole('button', { name: 'Retry failed' }));
    const retryPath = await runPageAfterProgress();
    expect(retryPath).not.toBe(runPath);
    expect(await text(page.getByRole('heading', { level: 1 }))).toMatch(
      /^Retry of failed writes #\d+ completed$/,
    );
    expect(await text(page.locator('main'))).toContain(
      `It retried the failed writes of run #${runPath.split('/').pop()}`,
    );
    const writes = (
      (await sim(sims.mycashflow.url, 'GET', '/__sim/requests')) as { requests: SimRequest[] }
    ).requests.filter((r) => r.method !== 'GET');
    expect(writes.every((w) => w.method === 'PATCH' && w.path.startsWith('/api/v1/stock/'))).toBe(true);
    expect(writes).toHaveLength(failures);
    const stock = await storeStock();
    for (const code of EXTRA) expect(stock.get(code)).toBe(5);
    expect(stock.get('KIRJA-1')).toBe(7);

    // The first run's page shows the retry and its outcome; the group has closed itself.
    await page.goto(`${t.url}${runPath}`);
    expect(await text(page.locator('main'))).toContain(`(${failures} updated, 0 created, 0 failed)`);
    await page.goto(`${t.url}${base}/problems`);
    expect(await page.locator('section.problem', { hasText: 'MyCashflow refused' }).count()).toBe(0);
  });

  it('shows percentage and time left, cancels between two writes, and resumes to the end with every write made once', async () => {
    // New prices for the 12 extra products, and slow writes (12 s in all, one at a time), so that the run
    // can be followed and is still writing when the cancel, looked for each second, reaches it.
    const nb = (await sim(sims.netbaron.url, 'GET', '/__sim/state')) as {
      products: Array<{ ProductCode: string; SalesPriceVatIncluded?: number }>;
    };
    for (const p of nb.products) if (EXTRA.includes(p.ProductCode)) p.SalesPriceVatIncluded = 11;
    await sim(sims.netbaron.url, 'PUT', '/__sim/state', nb);
    await sim(sims.mycashflow.url, 'PUT', '/__sim/faults', {
      rules: [{ path: '/api/v1/products/*', method: 'PATCH', latencyMs: 1000 }],
    });
    await sim(sims.mycashflow.url, 'DELETE', '/__sim/requests');
    try {
      const confirm = await fetchAllProducts();
      expect(await text(confirm), await text(confirm)).toContain(`update ${EXTRA.length}`);
      await clickAndLoad(confirm.getByRole('button', { name: 'Write these changes' }));
      const box = page.locator('#import-progress');
      const detail = await poll(
        'a percentage and the time left',
        async () => {
          const shown = await text(box.locator('[data-progress-detail]'));
          return /^\d+ % · about \d+ (s|min) left$/.test(shown) &&
            Number(await box.getAttribute('data-percent')) > 0
            ? shown
            : undefined;
        },
        { timeoutMs: 30_000, everyMs: 50 },
      );
      expect(Number(detail.split(' ')[0])).toBeLessThan(100);
      await b.screenshot('import-progress');
      await clickAndLoad(box.getByRole('button', { name: 'Cancel' }));
      const runPath = await runPageAfterProgress();
      const badge = page.getByRole('heading', { level: 1 }).locator('.state');
      expect(await text(badge)).toBe('cancelled');
      expect(await text(page.locator('main'))).toContain('You cancelled this import.');
      const written = Number(await text(page.locator('.card', { hasText: 'updated' }).locator('.figure')));
      expect(written).toBeGreaterThan(0);
      expect(written).toBeLessThan(EXTRA.length);

      await clickAndLoad(page.getByRole('button', { name: 'Resume this import' }));
      expect(await runPageAfterProgress()).toBe(runPath);
      expect(await text(page.getByRole('heading', { level: 1 }).locator('.state'))).toBe('completed');
    } finally {
      await sim(sims.mycashflow.url, 'PUT', '/__sim/faults', { rules: [] });
    }
    const patches = (
      (await sim(sims.mycashflow.url, 'GET', '/__sim/requests')) as { requests: SimRequest[] }
    ).requests.filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(EXTRA.length);
    expect(new Set(patches.map((p) => p.path)).size).toBe(EXTRA.length);
  });

  it('offers "Discard" beside "Write anyway" on a blocked plan, and a discarded plan asks for nothing more', async () => {
    const nb = (await sim(sims.netbaron.url, 'GET', '/__sim/state')) as {
      products: Array<{ ProductCode: string; Deleted?: boolean }>;
    };
    for (const p of nb.products) if (EXTRA.includes(p.ProductCode)) p.Deleted = true;
    await sim(sims.netbaron.url, 'PUT', '/__sim/state', nb);
    const confirm = await fetchAllProducts();
    expect(await text(confirm)).toContain('The safety limits would stop it before writing');
    await clickAndLoad(confirm.getByRole('button', { name: 'Write these changes' }));
    await runPageAfterProgress();
    expect(await text(page.getByRole('heading', { level: 1 }).locator('.state'))).toBe('blocked');
    const discard = page.getByRole('button', { name: 'Discard this plan' });
    const anyway = page.getByRole('button', { name: 'Write anyway' });
    expect(await discard.getAttribute('class')).toBeNull();
    expect(await anyway.getAttribute('class')).toContain('secondary');
    await page.goto(`${t.url}${base}/problems`);
    expect(await page.locator('section.problem', { hasText: 'stopped before writing' }).count()).toBe(1);
    await page.goBack();
    await clickAndLoad(discard);
    expect(await text(page.getByRole('heading', { level: 1 }).locator('.state'))).toBe('discarded');
    expect(await text(page.locator('main'))).toContain('You discarded this plan: nothing was written.');
    await page.goto(`${t.url}${base}/problems`);
    expect(await page.locator('section.problem', { hasText: 'stopped before writing' }).count()).toBe(0);
    const stock = await storeStock();
    for (const code of EXTRA) expect(stock.has(code)).toBe(true);
  });

  it('ran every page without a script error', () => {
    expect(b.pageErrors).toEqual([]);
  });
});
