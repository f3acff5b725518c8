import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulators } from '../../simulators/scenario.ts';
import { centsFromNumber, formatVatRate, vatRateFromNumber } from '../../src/domain/money.ts';
import { euros, when } from '../../src/server/views/format.ts';
import { launchBrowser, poll, type TestBrowser } from '../helpers/browser.ts';
import { MCF_USER, NB_ORDERS_PASSWORD, NB_PRODUCTS_PASSWORD } from '../helpers/scenarios.ts';
import {
  ADMIN_PASSWORD,
  addConnection,
  connectionFileFor,
  startStoreSims,
  startTestService,
  type TestService,
} from '../helpers/service.ts';
import {
  CUSTOMER,
  ledgerRows,
  netbaronCounts,
  netbaronOrders,
  placeOrder,
  setFaults,
} from '../helpers/worker-process.ts';

/*
 * The orders list and an order's page in real headless Chromium, against the whole service and both
 * simulators (the small scenario): orders of several customers, on several days, sent or waiting; the
 * search by name, code and number; the state and date filters; the pager; an order's summary against the
 * order placed; a waiting order retried once NetBaron knows its payment method; "Retry all waiting".
 */

interface PlacedLine {
  product_code: string | null;
  product_name: string;
  model_name: string | null;
  quantity: number;
  unit_price: number;
  vat_rate: number;
}
interface Placed {
  id: number;
  total: number;
  products: PlacedLine[];
}

let t: TestService;
let sims: RunningSimulators;
let b: TestBrowser;
let page: Page;
let base: string;
let slug: string;

/** Orders of their own customers, on their own days, with ids of their own (the search by number). */
const A = 50001; // Åsa Öberg, 00:30 in Helsinki on 11 March (10 March in UTC)
const B = 50002; // Matti Meikäläinen of Kahvila Aroma Oy, 23:30 on 10 March
const C = 50003; // Liisa Virtanen, delivered elsewhere
const D = 50004; // paid with Klarna, which NetBaron does not know yet: waits
const E = 50005; // a line without a product code: waits before any document is built
const F = 50006; // Klarna again, for "Retry all waiting"
const BULK = 97; // orders enough for a second page

const placed = new Map<number, Placed>();
/** The bulk orders' ids, newest first. */
const bulkIds: number[] = [];

async function place(id: number, overrides: Record<string, unknown>): Promise<void> {
  placed.set(id, (await placeOrder(sims, { id, ...overrides })) as unknown as Placed);
}

/** What a person reads (a line break counts as a space). */
const text = async (target: Locator): Promise<string> =>
  (await target.innerText()).replace(/\s+/g, ' ').trim();

/** The list's query, without the fields the search form sends empty. */
const queryOf = (p: Page): Record<string, string> =>
  Object.fromEntries([...new URL(p.url()).searchParams].filter(([, v]) => v !== ''));

async function visit(path: string): Promise<void> {
  await page.goto(`${t.url}${path}`);
}

async function clickAndLoad(target: Locator): Promise<void> {
  const loaded = page.waitForEvent('load');
  await target.click();
  await loaded;
}

/** The order numbers the list shows, top to bottom. */
async function listed(): Promise<number[]> {
  return (await page.locator('table.orders tbody tr td:first-child').allTextContents()).map((s) =>
    Number(s.trim()),
  );
}

const rowOf = (id: number): Locator =>
  page.locator('table.orders tbody tr', { has: page.getByRole('link', { name: String(id), exact: true }) });

async function cells(id: number): Promise<string[]> {
  const row = rowOf(id);
  expect(await row.count()).toBe(1);
  return Promise.all((await row.locator('td').all()).map(text));
}

async function search(q: string, from = '', to = ''): Promise<void> {
  await page.getByLabel('Order number, customer or product code').fill(q);
  await page.getByLabel('Placed from').fill(from);
  await page.getByLabel('Placed until').fill(to);
  await clickAndLoad(page.getByRole('button', { name: 'Search' }));
}

const fact = (heading: string): Locator =>
  page
    .locator('table.facts tr')
    .filter({ has: page.locator('th', { hasText: new RegExp(`^${heading}$`) }) })
    .locator('td');

async function salesOrderNumberOf(id: number): Promise<string> {
  const found = (await netbaronOrders(sims)).filter((o) => o.InvoiceDetails.OrderIdentifier === String(id));
  expect(found).toHaveLength(1);
  return found[0]!.SalesOrderNumber;
}

async function expectNoCredentialsInPage(): Promise<void> {
  const markup = await page.content();
  for (const secret of [MCF_USER.api_key, NB_PRODUCTS_PASSWORD, NB_ORDERS_PASSWORD, ADMIN_PASSWORD])
    expect(markup).not.toContain(secret);
}

async function simState<T>(url: string): Promise<T> {
  return (await (await fetch(`${url}/__sim/state`)).json()) as T;
}

beforeAll(async () => {
  t = await startTestService();
  sims = await startStoreSims();
  const record = await addConnection(t, connectionFileFor(sims, 'kauppa', 'Kauppa'));
  slug = record.slug;
  base = `/connections/${slug}`;

  const coffee = [{ product_code: 'KAHVI-1', quantity: 1 }];
  // First, so that the orders below are the newest (the list is newest first).
  for (let i = 0; i < BULK; i += 1)
    bulkIds.push(
      (
        await placeOrder(sims, {
          customer_information: { ...CUSTOMER, first_name: 'Massa', last_name: `Tilaaja ${i}` },
          products: coffee,
        })
      ).id,
    );
  bulkIds.sort((x, y) => y - x);
  await place(A, {
    created_at: '2025-03-11T00:30:00+02:00',
    products: [...coffee, { product_code: 'TS-100-M', quantity: 1 }],
  });
  await place(B, {
    created_at: '2025-03-10T23:30:00+02:00',
    customer_information: {
      ...CUSTOMER,
      first_name: 'Matti',
      last_name: 'Meikäläinen',
      company: 'Kahvila Aroma Oy',
      vat_code: 'FI12345678',
    },
    products: [{ product_code: 'KIRJA-1', quantity: 2 }],
  });
  await place(C, {
    created_at: '2025-03-20T12:00:00+02:00',
    customer_information: {
      ...CUSTOMER,
      first_name: 'Liisa',
      last_name: 'Virtanen',
      email: 'liisa@example.com',
    },
    different_shipping_address: true,
    shipping_address: {
      first_name: 'Pekka',
      last_name: 'Virtanen',
      street_address: 'Mökkitie 9',
      postal_code: '41800',
      city: 'Korpilahti',
      country: 'FI',
    },
    products: [
      { product_code: 'TS-100-S', quantity: 3 },
      { product_code: 'KAHVI-1', quantity: 1 },
    ],
  });
  const klarna = { payment_method_id: 3, products: coffee };
  await place(D, {
    ...klarna,
    customer_information: { ...CUSTOMER, first_name: 'Kalle', last_name: 'Klarnanen' },
  });
  await place(E, {
    customer_information: { ...CUSTOMER, first_name: 'Ella', last_name: 'Lahjanen' },
    products: [{ product_name: 'Lahjapaketointi', unit_price: 3.5, vat_rate: 25.5, quantity: 1 }],
  });
  await place(F, {
    ...klarna,
    customer_information: { ...CUSTOMER, first_name: 'Fanni', last_name: 'Klarnanen' },
  });

  const db = t.service.database.db;
  await poll(
    'every order sent, or waiting for its reason',
    async () => {
      const rows = await ledgerRows(db, slug);
      const waiting = rows.filter((r) => r.state === 'waiting').map((r) => r.orderId);
      const sent = rows.filter((r) => r.state === 'sent').length;
      return rows.length === BULK + 6 && sent === BULK + 3 && waiting.join() === [D, E, F].join()
        ? true
        : undefined;
    },
    { timeoutMs: 90_000, everyMs: 250 },
  );

  b = await launchBrowser();
  page = b.page;
  await visit('/');
  await page.getByLabel('Admin password').fill(ADMIN_PASSWORD);
  await clickAndLoad(page.getByRole('button', { name: 'Sign in' }));
});

describe('the orders list and an order in Chromium', () => {
  it('lists the orders: number, placed, customer, exact total, payment method, state, NetBaron number', async () => {
    await visit(base);
    await clickAndLoad(page.locator('nav.tabs').getByRole('link', { name: 'Orders' }));
    expect(await text(page.getByRole('heading', { level: 1 }))).toBe('Orders');
    expect((await listed()).slice(0, 6)).toEqual([F, E, D, C, B, A]);
    expect(await text(page.locator('nav.pager'))).toContain('Page 1 of 2');
    expect(await page.locator('table.orders tbody tr').count()).toBe(100);

    expect(await cells(B)).toEqual([
      String(B),
      when(new Date('2025-03-10T23:30:00+02:00')),
      'Matti Meikäläinen Kahvila Aroma Oy',
      euros(centsFromNumber(placed.get(B)!.total)),
      'Lasku',
      'sent',
      await salesOrderNumberOf(B),
    ]);
    // Waiting, and refused by NetBaron: the name of the method from the document; the reason below the state.
    const d = await cells(D);
    expect(d[4]).toBe('Klarna');
    expect(d[5]).toMatch(/^waiting .*Klarna/);
    expect(d[6]).toBe('—');
    // Waiting before any document was built: only the store's id of the method is known.
    const e = await cells(E);
    expect(e[2]).toBe('Ella Lahjanen');
    expect(e[4]).toBe('Method 2');
    expect(e[5]).toContain('has no product code');
    await expectNoCredentialsInPage();
    await b.screenshot('orders');

    await clickAndLoad(page.getByRole('link', { name: 'Older →' }));
    expect(await text(page.locator('nav.pager'))).toContain('Page 2 of 2');
    expect(await listed()).toEqual(bulkIds.slice(100 - 6));
  });

  it('finds an order by customer name in any letter case, by product code and by order number', async () => {
    await visit(`${base}/orders`);
    await search('meiKÄLÄ');
    expect(await listed()).toEqual([B]);
    expect(await text(page.locator('main'))).toContain('One order matches the search.');
    await search('öBERG');
    expect(await listed()).toEqual([A]);
    await search('aroma');
    expect(await listed()).toEqual([B]);
    await search('kirja-1');
    expect(await listed()).toEqual([B]);
    await search('TS-100');
    expect(await listed()).toEqual([C, A]);
    await search(String(C));
    expect(await listed()).toEqual([C]);
    expect(await page.getByLabel('Order number, customer or product code').inputValue()).toBe(String(C));
  });

  it('filters by state and by the day placed in Helsinki, keeping the search in the pager and state links', async () => {
    await visit(`${base}/orders`);
    // KAHVI-1 is in A, C, D, F and every bulk order; "Kahvila" (B) too: more than a page.
    await search('kahvi');
    expect(await text(page.locator('main'))).toContain(`${BULK + 5} orders match the search.`);
    expect(await text(page.locator('nav.pager'))).toContain('Page 1 of 2');
    await clickAndLoad(page.getByRole('link', { name: 'Older →' }));
    expect(new URL(page.url()).search).toBe('?q=kahvi&page=2');
    expect(await text(page.locator('nav.pager'))).toContain('Page 2 of 2');
    expect(await listed()).toEqual(bulkIds.slice(100 - 5));

    await clickAndLoad(page.locator('nav.filters').getByRole('link', { name: 'Waiting (2)' }));
    expect(new URL(page.url()).search).toBe('?q=kahvi&state=waiting');
    expect(await listed()).toEqual([F, D]);
    // The search box keeps the state: a new search stays among the waiting orders.
    await search('Kalle');
    expect(queryOf(page)).toEqual({ state: 'waiting', q: 'Kalle' });
    expect(await listed()).toEqual([D]);

    await clickAndLoad(page.locator('nav.filters').getByRole('link', { name: /^All/ }));
    // 00:30 in Helsinki on 11 March belongs to 11 March, though it is still 10 March in UTC.
    await search('', '2025-03-11', '2025-03-11');
    expect(await listed()).toEqual([A]);
    await search('', '', '2025-03-10');
    expect(await listed()).toEqual([B]);
    await search('', '2025-03-10', '2025-03-31');
    expect(await listed()).toEqual([C, B, A]);
    await search('virtanen', '2025-03-10', '2025-03-31');
    expect(await listed()).toEqual([C]);
  });

  it('says what was searched when nothing matches, and says so when a page is out of range', async () => {
    await visit(`${base}/orders`);
    await search('Nobody Atall', '2025-01-01', '2025-01-31');
    const notice = page.getByRole('status').filter({ hasText: 'No orders match this search.' });
    expect(await text(notice)).toContain('Order number, customer or product code: “Nobody Atall”');
    expect(await text(notice)).toContain('Placed: 1.1.2025 – 31.1.2025');
    expect(await page.locator('table.orders').count()).toBe(0);
    await clickAndLoad(notice.getByRole('link', { name: 'Clear the search' }));
    expect(new URL(page.url()).search).toBe('');
    expect(await page.locator('table.orders tbody tr').count()).toBe(100);

    await visit(`${base}/orders?page=20`);
    const outOfRange = page.getByRole('status').filter({ hasText: 'There is no page 20' });
    expect(await text(outOfRange)).toBe(
      'There is no page 20: the list has 2 pages. Go to page 2, the last one',
    );
    expect(await page.locator('table.orders').count()).toBe(0);
    await clickAndLoad(outOfRange.getByRole('link'));
    expect(await text(page.locator('nav.pager'))).toContain('Page 2 of 2');

    await visit(`${base}/orders?q=nobody&page=2`);
    expect(await text(page.locator('main'))).toContain('There is no page 2: the list is empty.');
    expect(await text(page.locator('main'))).toContain('No orders match this search.');

    // A malformed address is the first page of everything, not an error.
    const answer = await page.goto(`${t.url}${base}/orders?page=abc&state=nope&from=2025-13-45&to=x&q=%00`);
    expect(answer?.status()).toBe(200);
    expect(await text(page.locator('nav.pager'))).toContain('Page 1 of 2');
  });

  it("shows an order's summary first (parties, rows, totals), then NetBaron's answer, the XML folded below", async () => {
    await visit(`${base}/orders?q=${C}`);
    await clickAndLoad(page.getByRole('link', { name: String(C), exact: true }));
    expect(await text(page.getByRole('heading', { level: 1 }))).toBe(`Order ${C}`);
    const headings = (await page.locator('main h2').allInnerTexts()).map((h) => h.trim());
    expect(headings.slice(0, 2)).toEqual(['What was sent to NetBaron', "NetBaron's answer"]);

    const party = (name: string) => text(page.locator('.parties section', { hasText: name }).locator('p'));
    expect(await party('Seller')).toContain('Testikauppa Oy Business ID 1234567-8');
    expect(await party('Buyer')).toBe('Liisa Virtanen Kotitie 3 00200 Helsinki FI liisa@example.com');
    expect(await party('Delivery address')).toBe('Pekka Virtanen Mökkitie 9 41800 Korpilahti FI');
    expect(await text(page.locator('.order-meta'))).toBe('Order date: 20.3.2025 Payment method: Lasku');

    // Every line of the order placed, to the cent; then the shipping row; the total equals the order's.
    const order = placed.get(C)!;
    const rows = page.locator('table.summary tbody tr');
    expect(await rows.count()).toBe(order.products.length + 1);
    for (const line of order.products) {
      const row = rows.filter({ has: page.locator('td:first-child', { hasText: line.product_code! }) });
      const unit = centsFromNumber(line.unit_price);
      expect(await Promise.all((await row.locator('td').all()).map(text))).toEqual([
        line.product_code,
        line.model_name ? `${line.product_name}, ${line.model_name}` : line.product_name,
        String(line.quantity),
        euros(unit),
        `${formatVatRate(vatRateFromNumber(line.vat_rate))} %`,
        euros(unit * line.quantity),
      ]);
    }
    expect(await text(rows.last())).toBe('TOIMITUS Posti Paketti 1 5.90 € 25.5 % 5.90 €');
    expect(await text(page.locator('table.summary tfoot tr.grand'))).toBe(
      `Total incl. VAT ${euros(centsFromNumber(order.total))}`,
    );

    const number = await salesOrderNumberOf(C);
    expect(await text(fact('State'))).toBe('sent Sent: NetBaron has the order.');
    expect(await text(fact('NetBaron sales order'))).toBe(number);
    expect(await text(fact("NetBaron's answer"))).toBe(`Pending as ${number}`);

    const xml = page.locator('details.document');
    expect(await text(xml.locator('summary'))).toBe('The XML document sent');
    expect(await xml.locator('pre').isVisible()).toBe(false);
    await xml.locator('summary').click();
    expect(await xml.locator('pre').isVisible()).toBe(true);
    expect(await xml.locator('pre').textContent()).toContain(`<OrderIdentifier>${C}</OrderIdentifier>`);
    await expectNoCredentialsInPage();
    await b.screenshot('order');

    // No document yet: the store's own order, said to be that.
    await visit(`${base}/orders/${E}`);
    expect(await text(page.locator('main h2').first())).toBe("The store's order (not sent yet)");
    expect(await text(page.locator('main'))).toContain(
      'this is the order as the store reported it, not what NetBaron has',
    );
    expect(await text(page.locator('table.summary tbody tr'))).toBe(
      '— Lahjapaketointi 1 3.50 € 25.5 % 3.50 €',
    );
    expect(await text(page.locator('main'))).toContain('No XML document has been built for NetBaron yet.');
    expect(await page.locator('details').count()).toBe(0);
  });

  it('retries a waiting order once NetBaron knows its payment method; the banner is true before and after', async () => {
    await visit(`${base}/orders/${D}`);
    expect(await text(fact('State'))).toContain('waiting');
    expect(await text(fact('Reason'))).toContain('Klarna');
    expect(await text(page.locator('main h2').first())).toBe('What is to be sent to NetBaron');
    expect(await text(page.locator('.order-meta'))).toContain('Payment method: Klarna');
    expect(await page.locator('[data-refresh-after]').count()).toBe(0);

    const nb = await simState<{ payment_methods: string[] }>(sims.netbaron.url);
    const res = await fetch(`${sims.netbaron.url}/__sim/state`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...nb, payment_methods: [...nb.payment_methods, 'Klarna'] }),
    });
    expect(res.ok).toBe(true);
    // NetBaron slow to store it: the order is seen on its way before it is sent, however long the page
    // takes to load on a busy machine.
    await setFaults(sims, 'netbaron', [{ path: '/ws/salesorder*', method: 'PUT', latencyMs: 10_000 }]);
    try {
      await clickAndLoad(page.getByRole('button', { name: 'Retry this order' }));
      expect(new URL(page.url()).search).toBe('?retried=1');
      const banner = page.getByRole('status');
      expect(await text(banner)).toBe(
        'Retry queued: the order is on its way to NetBaron. This page updates by itself.',
      );
      expect(await banner.getAttribute('data-refresh-after')).toBe('3');

      // The page reloads itself; nothing here reloads it.
      const sentBanner = await poll(
        'the page to say the order was sent',
        async () => {
          const said = await text(page.getByRole('status'));
          return said.startsWith('Sent:') ? said : undefined;
        },
        { timeoutMs: 30_000, everyMs: 250 },
      );
      expect(sentBanner).toBe(`Sent: NetBaron has the order as sales order ${await salesOrderNumberOf(D)}.`);
    } finally {
      await setFaults(sims, 'netbaron', []);
    }
    expect(await page.locator('[data-refresh-after]').count()).toBe(0);
    expect(await text(fact('State'))).toBe('sent Sent: NetBaron has the order.');
    expect(await page.getByRole('button', { name: 'Retry this order' }).count()).toBe(0);
    expect((await netbaronCounts(sims)).get(D)).toBe(1);
  });

  it('"Retry all waiting" says how many orders it queued again', async () => {
    await visit(`${base}/orders`);
    const retryAll = page.getByRole('button', { name: 'Retry all 2 waiting orders' });
    page.once('dialog', (dialog) => void dialog.accept());
    await clickAndLoad(retryAll);
    expect(new URL(page.url()).search).toBe('?requeued=2');
    expect(await text(page.getByRole('status'))).toBe('2 waiting orders were queued again.');

    // F is sent now that NetBaron knows Klarna; E waits again for its product code.
    const db = t.service.database.db;
    await poll('F sent and E waiting again', async () => {
      const rows = await ledgerRows(db, slug);
      const state = (id: number) => rows.find((r) => r.orderId === id)?.state;
      return state(F) === 'sent' && state(E) === 'waiting' ? true : undefined;
    });
    await visit(`${base}/orders`);
    page.once('dialog', (dialog) => void dialog.accept());
    await clickAndLoad(page.getByRole('button', { name: 'Retry the waiting order' }));
    expect(await text(page.getByRole('status'))).toBe('One waiting order was queued again.');
    expect((await netbaronCounts(sims)).get(F)).toBe(1);
    expect([...(await netbaronCounts(sims)).values()].every((n) => n === 1)).toBe(true);
  });

  it('ran every page without a script error', () => {
    expect(b.pageErrors).toEqual([]);
  });
});
