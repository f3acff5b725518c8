import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulators } from '../../simulators/scenario.ts';
import { clickAndLoad as clickAndLoadIn, poll, type TestBrowser } from '../helpers/browser.ts';
import type { TestService } from '../helpers/service.ts';
import { placeOrder } from '../helpers/worker-process.ts';
import { openAdminApp } from '../helpers/admin-browser.ts';

/*
 * Pause, resume and remove in real Chromium: a paused store shows a banner on its pages and its order
 * waits; resuming sends it; removing asks on a page of its own first.
 */

let t: TestService;
let sims: RunningSimulators;
let b: TestBrowser;
let page: Page;
let base: string;

const clickAndLoad = (target: Locator) => clickAndLoadIn(page, target);

beforeAll(async () => {
  ({ t, sims, base, b, page } = await openAdminApp({ id: 'tauko', name: 'Tauko' }));
});

describe('pause, resume and remove a connection, in Chromium', () => {
  it('pauses: a banner on every page, imports disabled, an order waits; resume sends it', async () => {
    await page.goto(`${t.url}${base}`);
    await clickAndLoad(page.getByRole('button', { name: 'Pause', exact: true }));
    expect(await page.locator('#paused-banner').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Fetch all products' }).isDisabled()).toBe(true);
    await page.goto(`${t.url}${base}/orders`);
    expect(await page.locator('#paused-banner').count()).toBe(1);

    const order = await placeOrder(sims);
    await page.goto(`${t.url}${base}/problems`);
    await poll(
      'the order waiting for the resume',
      async () => {
        await page.reload();
        return (await page.getByText('The connection is paused: 1 order waits').count()) === 1
          ? true
          : undefined;
      },
      { timeoutMs: 15_000, everyMs: 250 },
    );
    await b.screenshot('connection-paused');

    await page.goto(`${t.url}${base}`);
    await clickAndLoad(page.getByRole('button', { name: 'Resume', exact: true }));
    expect(await page.locator('#paused-banner').count()).toBe(0);
    expect(await page.getByRole('status').first().textContent()).toContain('1 waiting order was queued');
    await poll(
      'the order in NetBaron',
      async () =>
        sims.netbaron.system.salesOrders().some((o) => o.InvoiceDetails.OrderIdentifier === String(order.id))
          ? true
          : undefined,
      { timeoutMs: 15_000 },
    );
    expect(
      sims.netbaron.system.salesOrders().filter((o) => o.InvoiceDetails.OrderIdentifier === String(order.id)),
    ).toHaveLength(1);
  });

  it('removes only after confirming on its own page', async () => {
    await page.goto(`${t.url}${base}`);
    await clickAndLoad(page.getByRole('link', { name: 'Remove…' }));
    expect(await page.getByRole('heading', { name: 'Remove Tauko?' }).count()).toBe(1);
    await clickAndLoad(page.getByRole('link', { name: 'Keep it' }));
    expect(page.url()).toBe(`${t.url}${base}`);

    await clickAndLoad(page.getByRole('link', { name: 'Remove…' }));
    await clickAndLoad(page.getByRole('button', { name: 'Remove this connection' }));
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.getByRole('status').first().textContent()).toContain('Connection "tauko" was removed');
    expect(await page.getByRole('link', { name: 'Tauko' }).count()).toBe(0);
  });
});
