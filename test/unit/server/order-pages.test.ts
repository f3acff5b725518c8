import { describe, expect, it } from 'vitest';
import type { OrderListEntry } from '../../../src/db/order-list.ts';
import type { LedgerState } from '../../../src/orders/ledger.ts';
import { writeSalesOrder } from '../../../src/netbaron/wire/salesorder.ts';
import type { OrderListQuery } from '../../../src/server/forms/order-list-query.ts';
import { html, type Html } from '../../../src/util/html.ts';
import { onItsWay, orderPage, retryBanner, type OrderDetail } from '../../../src/server/views/pages/order.ts';
import { ordersPage, shorten, type OrdersPageData } from '../../../src/server/views/pages/orders.ts';
import { apiOrder, exampleOrder } from '../../helpers/orders.ts';

/** The markup without layout whitespace (prettier lays out the templates), so tests read the structure. */
const norm = (page: Html): string => page.text.replace(/\s+/g, ' ').replace(/\s*(<|>)\s*/g, '$1');
/** The text a person reads. */
const words = (page: Html): string =>
  norm(page)
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const BASE = '/connections/shop';
const EVIL = '<script>alert(1)</script>';
const NOW = new Date('2026-11-20T10:00:05Z');
const counts = (over: Partial<Record<LedgerState, number>> = {}): Record<LedgerState, number> => ({
  received: 0,
  sending: 0,
  sent: 0,
  waiting: 0,
  'outcome-unknown': 0,
  ...over,
});
const query = (over: Partial<OrderListQuery> = {}): OrderListQuery => ({
  filter: 'all',
  page: 1,
  text: '',
  ...over,
});

const entry = (over: Partial<OrderListEntry> = {}): OrderListEntry => ({
  order_id: '10023',
  state: 'waiting',
  placed_at: new Date('2026-11-20T09:59:00Z'),
  sales_order_number: null,
  reason: `Payment method "${EVIL}" has no counterpart`,
  first_name: 'Maija',
  last_name: 'Meikäläinen',
  company: null,
  total: '58.6',
  payment_method_id: '2',
  sent_document: null,
  ...over,
});

const list = (over: Partial<OrdersPageData> = {}): OrdersPageData => ({
  base: BASE,
  query: query(),
  counts: counts(),
  waiting: 0,
  rows: [],
  ...over,
});

/** The store's order (JSON, as the ledger keeps it), with a company that tries to inject markup. */
const storeOrder = apiOrder({
  customer_information: { ...apiOrder().customer_information, company: EVIL },
  discount: 2.5,
  total: 56.1,
});

const detail = (over: Partial<OrderDetail> = {}): OrderDetail => ({
  order_id: '10023',
  state: 'waiting',
  source: 'webhook',
  reason: `Order 10023: product ${EVIL} is unknown`,
  attempts: 2,
  received_at: new Date('2026-11-20T10:00:00Z'),
  placed_at: new Date('2026-11-20T09:59:00Z'),
  next_attempt_at: null,
  sent_at: null,
  sales_order_number: null,
  sent_document: writeSalesOrder(exampleOrder({ buyerContactPersonName: EVIL })),
  netbaron_answer: null,
  order: storeOrder,
  events: [
    { at: new Date('2026-11-20T10:00:00Z'), kind: 'received', detail: 'webhook' },
    { at: new Date('2026-11-20T10:00:01Z'), kind: 'waiting', detail: EVIL },
  ],
  ...over,
});

const csrf = html`<input type="hidden" name="_csrf" value="tok" />`;

describe('shorten', () => {
  it('keeps short text and cuts long text with an ellipsis', () => {
    expect(shorten('short', 10)).toBe('short');
    expect(shorten('a'.repeat(20), 10)).toBe(`${'a'.repeat(9)}…`);
  });
});

describe('ordersPage', () => {
  it('lists the orders: number, placed, customer, exact total, payment method, state, NetBaron number', () => {
    const sent = entry({
      order_id: '10022',
      state: 'sent',
      sales_order_number: 'SO-77',
      reason: null,
      company: 'Kahvila Oy',
      total: '1234.5',
      sent_document: writeSalesOrder(exampleOrder({ paymentMethodText: 'Lasku' })),
    });
    const page = ordersPage(
      list({ counts: counts({ waiting: 1, sent: 4 }), waiting: 1, rows: [entry(), sent], csrf }),
    );
    const markup = norm(page);
    expect(markup).toContain(`href="${BASE}/orders/10023"`);
    expect(markup).toContain('state-waiting');
    expect(markup).not.toContain(EVIL);
    expect(markup).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(words(page)).toContain(
      '10022 20.11.2026 klo 11.59.00 Maija Meikäläinen Kahvila Oy 1234.50 € Lasku sent SO-77',
    );
    // No document yet: the store's id for the method, said as such.
    expect(words(page)).toContain('10023 20.11.2026 klo 11.59.00 Maija Meikäläinen 58.60 € Method 2 waiting');
    expect(markup).toContain('All (5)');
    expect(markup).toContain(`href="${BASE}/orders?state=waiting"`);
    expect(markup).toContain('Waiting (1)');
    expect(markup).toContain('Retry the waiting order');
  });

  it('shows an unreadable total as a dash, never a guess', () => {
    expect(
      words(ordersPage(list({ counts: counts({ sent: 1 }), rows: [entry({ total: '1e3' })] }))),
    ).toContain('Meikäläinen — Method 2');
  });

  it('keeps the search in the state links and the pager, and says "Page 2 of 3"', () => {
    const q = query({ filter: 'sent', page: 2, text: 'anna & co', from: '2026-11-01', to: '2026-11-30' });
    const page = norm(
      ordersPage(
        list({ query: q, counts: counts({ sent: 250 }), rows: [entry({ state: 'sent', reason: null })] }),
      ),
    );
    const kept = 'q=anna+%26+co&amp;from=2026-11-01&amp;to=2026-11-30';
    expect(page).toMatch(
      new RegExp(
        `href="${BASE}/orders\\?${kept.replace(/[+?]/g, '\\$&')}&amp;state=sent" aria-current="page"`,
      ),
    );
    expect(page).toContain(`href="${BASE}/orders?${kept}&amp;state=waiting"`);
    expect(page).toContain('Page 2 of 3');
    expect(page).toContain(`href="${BASE}/orders?${kept}&amp;state=sent&amp;page=3"`);
    expect(page).toContain(`href="${BASE}/orders?${kept}&amp;state=sent"`);
    expect(page).toContain('250 orders match the search.');
    // The form shows what was searched, and keeps the state.
    expect(page).toContain('name="q" value="anna &amp; co"');
    expect(page).toContain('name="from" value="2026-11-01"');
    expect(page).toContain('<input type="hidden" name="state" value="sent" />');
    expect(page).toContain(`<a href="${BASE}/orders?state=sent">Clear the search</a>`);
  });

  it('says so when there are no orders', () => {
    const page = norm(ordersPage(list()));
    expect(page).toContain('No orders yet');
    expect(page).not.toContain('Page 1');
    expect(page).not.toContain('Clear the search');
  });

  it('says what was searched when nothing matches, and offers to clear it', () => {
    const page = ordersPage(
      list({ query: query({ filter: 'waiting', text: 'Virtanen', from: '2026-03-01' }) }),
    );
    const text = words(page);
    expect(text).toContain('No orders match this search.');
    expect(text).toContain('Order number, customer or product code: “Virtanen”');
    expect(text).toContain('Placed: on or after 1.3.2026');
    expect(text).toContain('State: Waiting');
    expect(norm(page)).toContain(`<a href="${BASE}/orders?state=waiting">Clear the search</a>`);
  });

  it('says plainly that a page is out of range, and links the last page', () => {
    const page = ordersPage(list({ query: query({ page: 20 }), counts: counts({ sent: 1150 }) }));
    expect(words(page)).toContain('There is no page 20: the list has 12 pages. Go to page 12, the last one');
    expect(norm(page)).toContain(`<a href="${BASE}/orders?page=12">`);
    expect(norm(page)).not.toContain('<table');
    const one = ordersPage(list({ query: query({ page: 2 }), counts: counts({ sent: 3 }) }));
    expect(words(one)).toContain('There is no page 2: the list has one page.');
    const empty = ordersPage(list({ query: query({ page: 2, text: 'nobody' }) }));
    expect(words(empty)).toContain('There is no page 2: the list is empty.');
    expect(words(empty)).toContain('No orders match this search.');
  });

  it('says how many waiting orders "Retry all waiting" queued', () => {
    const said = (requeued: number) => words(ordersPage(list({ requeued })));
    expect(said(3)).toContain('3 waiting orders were queued again.');
    expect(said(1)).toContain('One waiting order was queued again.');
    expect(said(0)).toContain('No order was waiting, so none was queued again.');
    expect(words(ordersPage(list()))).not.toContain('queued again');
    expect(norm(ordersPage(list({ waiting: 3, csrf })))).toContain('Retry all 3 waiting orders');
  });
});

describe('orderPage', () => {
  it('shows first what was sent, then the answer, then the XML folded, all escaped', () => {
    const page = orderPage({
      base: BASE,
      order: detail({
        state: 'sent',
        reason: null,
        sales_order_number: 'SO-1',
        netbaron_answer: 'Pending as SO-1',
      }),
      csrf,
      retried: false,
      now: NOW,
    });
    const markup = norm(page);
    expect(markup).not.toContain(EVIL);
    const sent = markup.indexOf('What was sent to NetBaron');
    const answer = markup.indexOf("NetBaron's answer</h2>");
    const xml = markup.indexOf('<details class="document"><summary>The XML document sent</summary>');
    expect(sent).toBeGreaterThan(0);
    expect(answer).toBeGreaterThan(sent);
    expect(xml).toBeGreaterThan(answer);
    const text = words(page);
    expect(text).toContain('Seller Esimerkki Oy Business ID 1234567-8 Kauppakatu 1 33100 Tampere FI');
    expect(text).toContain('Buyer Maija Meikäläinen &lt;script&gt;');
    expect(text).toContain('Delivery address Maija Meikäläinen Kotitie 2 02100 Espoo FI');
    expect(text).toContain('Order date: 14.3.2025 Payment method: Lasku');
    expect(text).toContain('TS-100-M T-paita, M 2 24.90 € 25.5 % 49.80 €');
    expect(text).toContain('TOIMITUS Posti Paketti 1 5.90 € 25.5 % 5.90 €');
    expect(text).toContain('Total excl. VAT 46.69 € VAT 11.91 € Total incl. VAT 58.60 €');
    expect(text).toContain('NetBaron sales order SO-1');
    expect(text).toContain("NetBaron's answer Pending as SO-1");
    // The document itself, escaped inside the folded block.
    expect(markup).toContain('&lt;OrderIdentifier&gt;10023&lt;/OrderIdentifier&gt;');
    expect(markup).not.toContain('Retry this order');
    expect(markup).not.toContain('data-refresh-after');
  });

  it("shows the store's own order, said to be not yet sent, when no document was built", () => {
    const page = orderPage({
      base: BASE,
      order: detail({ sent_document: null }),
      csrf,
      retried: false,
      now: NOW,
    });
    const text = words(page);
    expect(text).toContain("The store's order (not sent yet)");
    expect(text).toContain('No document for NetBaron has been built for this order yet');
    expect(text).toContain('TS-100-M T-paita, M 2 24.90 € 25.5 % 49.80 €');
    expect(text).toContain(
      'Products 49.80 € Shipping 5.90 € Payment costs 2.90 € Discount -2.50 € Total incl. VAT 56.10 €',
    );
    expect(text).toContain('No XML document has been built for NetBaron yet.');
    expect(norm(page)).not.toContain(EVIL);
    expect(norm(page)).not.toContain('<details');
  });

  it('shows the refusal in words and keeps an unreadable document as it is', () => {
    const page = orderPage({
      base: BASE,
      order: detail({ sent_document: '<SalesOrder><Code>&lt;x&gt;</Code></SalesOrder>' }),
      csrf,
      retried: false,
      now: NOW,
    });
    const markup = norm(page);
    expect(markup).toContain('could not be read back');
    expect(markup).toContain(
      '&lt;SalesOrder&gt;&lt;Code&gt;&amp;lt;x&amp;gt;&lt;/Code&gt;&lt;/SalesOrder&gt;',
    );
    expect(markup).toContain('The XML document last prepared');
    expect(words(page)).toContain('Reason Order 10023: product &lt;script&gt;');
    expect(markup).toContain('<td>2</td>');
  });

  it('offers a retry form with the CSRF field while the order is not sent', () => {
    for (const state of ['waiting', 'outcome-unknown', 'received', 'sending'] as const) {
      const page = norm(orderPage({ base: BASE, order: detail({ state }), csrf, retried: false, now: NOW }));
      expect(page).toContain(`<form method="post" action="${BASE}/orders/10023/retry"`);
      expect(page).toContain('name="_csrf" value="tok"');
      expect(page).toContain('Retry this order');
    }
  });
});

describe('after "Retry this order"', () => {
  const retried = (o: OrderDetail) => orderPage({ base: BASE, order: o, csrf, retried: true, now: NOW });
  const retryEvent = {
    at: new Date('2026-11-20T10:00:04Z'),
    kind: 'retry',
    detail: 'admin page (was waiting)',
  };

  it('says it was sent, with the number, once it is sent, and stops refreshing', () => {
    const o = detail({ state: 'sent', sales_order_number: 'SO-9', reason: null });
    expect(retryBanner(o, NOW)).toEqual({
      tone: 'ok',
      text: 'Sent: NetBaron has the order as sales order SO-9.',
    });
    expect(norm(retried(o))).not.toContain('data-refresh-after');
    expect(norm(retried(o))).not.toContain('Retry queued');
  });

  it('says it is queued, and refreshes, while the order is on its way', () => {
    for (const o of [
      detail({ state: 'received' }),
      detail({ state: 'sending' }),
      detail({ state: 'outcome-unknown', events: [...detail().events, retryEvent] }),
    ]) {
      expect(onItsWay(o, NOW)).toBe(true);
      const page = norm(retried(o));
      expect(page).toContain(
        'Retry queued: the order is on its way to NetBaron. This page updates by itself.',
      );
      expect(page).toMatch(/role="status" data-refresh-after="3"/);
    }
  });

  it('says it still waits when the retry ended in waiting again, without refreshing', () => {
    const o = detail({ events: [...detail().events, retryEvent, { ...retryEvent, kind: 'waiting' }] });
    expect(onItsWay(o, NOW)).toBe(false);
    expect(words(retried(o))).toContain('Tried again: the order still waits. The reason below says why.');
    expect(norm(retried(o))).not.toContain('data-refresh-after');
    const unclear = detail({ state: 'outcome-unknown' });
    expect(retryBanner(unclear, NOW).text).toContain('still not known whether NetBaron has the order');
  });

  it('refreshes a received order only when it is due soon', () => {
    const later = detail({ state: 'received', next_attempt_at: new Date(NOW.getTime() + 10 * 60_000) });
    expect(onItsWay(later, NOW)).toBe(false);
    expect(retryBanner(later, NOW).tone).toBe('warn');
    const soon = detail({ state: 'received', next_attempt_at: new Date(NOW.getTime() + 5_000) });
    expect(onItsWay(soon, NOW)).toBe(true);
    // Without a retry too: the page of an order on its way follows it.
    const page = norm(orderPage({ base: BASE, order: soon, csrf, retried: false, now: NOW }));
    expect(page).toContain('data-refresh-after="3"');
    expect(page).toContain('The order is on its way to NetBaron. This page updates by itself.');
  });
});
