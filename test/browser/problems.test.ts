import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulators } from '../../simulators/scenario.ts';
import {
  clickAndLoad as clickAndLoadIn,
  poll,
  problemBadge as badgeOf,
  textOf as text,
  type TestBrowser,
} from '../helpers/browser.ts';
import type { TestService } from '../helpers/service.ts';
import { netbaronCounts, placeOrder } from '../helpers/worker-process.ts';
import { openAdminApp } from '../helpers/admin-browser.ts';

/*
 * The problems inbox groups by cause in real Chromium: five orders paid with Klarna (a payment method
 * NetBaron does not know) are one entry with one fix, not five cards; once the method exists in
 * NetBaron, one button retries all five, each reaches NetBaron once, and the entry is gone.
 */

let t: TestService;
let sims: RunningSimulators;
let b: TestBrowser;
let page: Page;
let base: string;

const clickAndLoad = (target: Locator) => clickAndLoadIn(page, target);
const problemBadge = () => badgeOf(page);

beforeAll(async () => {
  ({ t, sims, base, b, page } = await openAdminApp({ id: 'ryhmat', name: 'Ryhmät' }));
});

describe('problems grouped by cause, in Chromium', () => {
  it('shows five Klarna orders as one group, retries them together once NetBaron knows Klarna, and the group is gone', async () => {
    const klarna = await Promise.all([1, 2, 3, 4, 5].map(() => placeOrder(sims, { payment_method_id: 3 })));
    const paid = await placeOrder(sims);
    const title = 'Payment method "Klarna" is unknown to NetBaron (5 orders wait)';
    const group = page.locator('section.problem', { hasText: 'Payment method "Klarna"' });

    await page.goto(`${t.url}${base}/problems`);
    await poll(
      'the five Klarna orders in one group',
      async () => {
        await page.reload();
        return (await group.count()) === 1 && (await text(group.locator('h3'))) === title ? true : undefined;
      },
      { timeoutMs: 20_000, everyMs: 250 },
    );
    expect(await page.locator('section.problem').count()).toBe(1);
    expect(await problemBadge()).toBe(1);
    expect(await text(page.getByRole('heading', { level: 2 }))).toBe('Orders');
    expect(await text(group.locator('.fix'))).toBe(
      'Add a payment method named exactly "Klarna" in NetBaron (the same letters, spaces and capitals as in MyCashflow), then retry these orders.',
    );
    await group.locator('summary').click();
    expect(await text(group.locator('summary'))).toBe('The 5 orders');
    for (const o of klarna) {
      const link = group.getByRole('link', { name: String(o.id), exact: true });
      expect(await link.getAttribute('href')).toBe(`${base}/orders/${o.id}`);
    }
    // The technical detail is one click away, beside each order.
    expect(await text(group.locator('li').first())).toContain('NetBaron has:');
    await b.screenshot('problems');

    // The merchant adds Klarna in NetBaron, then presses the group's one button.
    const nbState = (await (await fetch(`${sims.netbaron.url}/__sim/state`)).json()) as {
      payment_methods: string[];
    };
    const put = await fetch(`${sims.netbaron.url}/__sim/state`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...nbState, payment_methods: [...nbState.payment_methods, 'Klarna'] }),
    });
    expect(put.ok).toBe(true);
    await clickAndLoad(group.getByRole('button', { name: 'Retry these 5 orders' }));
    expect(new URL(page.url()).pathname).toBe(`${base}/problems`);
    expect(await text(page.getByRole('status'))).toBe(
      '5 orders were queued again. They leave this list once NetBaron has them.',
    );

    // Waited for together: NetBaron holds every order, and the group closed (the ledger records an order
    // as sent only after NetBaron answered).
    const expected = new Map([...klarna, paid].map((o) => [o.id, 1]));
    await poll(
      'every order in NetBaron and the Klarna group gone',
      async () => {
        const counts = await netbaronCounts(sims);
        if (![...expected.keys()].every((id) => counts.has(id))) return undefined;
        await page.goto(`${t.url}${base}/problems`);
        return (await group.count()) === 0 ? true : undefined;
      },
      { timeoutMs: 30_000, everyMs: 250 },
    );
    expect(await netbaronCounts(sims)).toEqual(expected);
    expect(await problemBadge()).toBe(0);
    expect(await text(page.locator('main .notice'))).toBe('No open problems.');
  });

  it('ran every page without a script error', () => {
    expect(b.pageErrors).toEqual([]);
  });
});
