import { describe, expect, it } from 'vitest';
import type { LedgerState } from '../../../src/db/schema.ts';
import { html, type Html } from '../../../src/server/views/html.ts';
import { orderPage, type OrderDetail } from '../../../src/server/views/pages/order.ts';
import {
  orderListQuery,
  ordersPage,
  shorten,
  type OrderListRow,
} from '../../../src/server/views/pages/orders.ts';

/** The markup without layout whitespace (prettier lays out the templates), so tests read the structure. */
const norm = (page: Html): string => page.text.replace(/\s+/g, ' ').replace(/\s*(<|>)\s*/g, '$1');

const BASE = '/connections/shop';
const EVIL = '<script>alert(1)</script>';
const counts = (over: Partial<Record<LedgerState, number>> = {}): Record<LedgerState, number> => ({
  received: 0,
  sending: 0,
  sent: 0,
  waiting: 0,
  'outcome-unknown': 0,
  ...over,
});

const row = (over: Partial<OrderListRow> = {}): OrderListRow => ({
  order_id: '10023',
  state: 'waiting',
  received_at: new Date('2026-11-20T10:00:00Z'),
  sent_at: null,
  sales_order_number: null,
  reason: `Payment method "${EVIL}" has no counterpart`,
  ...over,
});

const detail = (over: Partial<OrderDetail> = {}): OrderDetail => ({
  order_id: '10023',
  state: 'waiting',
  source: 'webhook',
  reason: `Order 10023: product ${EVIL} is unknown`,
  attempts: 2,
  received_at: new Date('2026-11-20T10:00:00Z'),
  next_attempt_at: null,
  sent_at: null,
  sales_order_number: null,
  sent_document: '<SalesOrder><Code>&lt;x&gt;</Code></SalesOrder>',
  netbaron_answer: `refused: ${EVIL}`,
  events: [
    { at: new Date('2026-11-20T10:00:00Z'), kind: 'received', detail: 'webhook' },
    { at: new Date('2026-11-20T10:00:01Z'), kind: 'waiting', detail: EVIL },
  ],
  ...over,
});

const csrf = html`<input type="hidden" name="_csrf" value="tok" />`;

describe('orderListQuery', () => {
  it('reads the state filter and the page, falling back to all orders and page 1', () => {
    expect(orderListQuery(new URLSearchParams('state=outcome-unknown&page=3'))).toEqual({
      filter: 'outcome-unknown',
      page: 3,
    });
    expect(orderListQuery(new URLSearchParams('state=<b>&page=-2'))).toEqual({ filter: 'all', page: 1 });
    expect(orderListQuery(new URLSearchParams('page=1.5'))).toEqual({ filter: 'all', page: 1 });
  });
});

describe('shorten', () => {
  it('keeps short text and cuts long text with an ellipsis', () => {
    expect(shorten('short', 10)).toBe('short');
    expect(shorten('a'.repeat(20), 10)).toBe(`${'a'.repeat(9)}…`);
  });
});

describe('ordersPage', () => {
  it('lists the orders with links, badges and escaped reasons', () => {
    const page = norm(
      ordersPage({
        base: BASE,
        query: { filter: 'all', page: 1 },
        counts: counts({ waiting: 1, sent: 4 }),
        rows: [row(), row({ order_id: '10022', state: 'sent', sales_order_number: 'SO-77', reason: null })],
      }),
    );
    expect(page).toContain(`href="${BASE}/orders/10023"`);
    expect(page).toContain('state-waiting');
    expect(page).toContain('SO-77');
    expect(page).not.toContain(EVIL);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('All (5)');
    expect(page).toContain(`href="${BASE}/orders?state=waiting"`);
    expect(page).toContain('Waiting (1)');
  });

  it('marks the current filter and pages through a long list', () => {
    const page = norm(
      ordersPage({
        base: BASE,
        query: { filter: 'sent', page: 2 },
        counts: counts({ sent: 250 }),
        rows: [row({ state: 'sent', reason: null })],
      }),
    );
    expect(page).toMatch(/href="\/connections\/shop\/orders\?state=sent" aria-current="page"/);
    expect(page).toContain('Page 2 of 3');
    expect(page).toContain(`href="${BASE}/orders?state=sent&amp;page=3"`);
    expect(page).toContain(`href="${BASE}/orders?state=sent"`);
  });

  it('says so when there are no orders', () => {
    const page = norm(
      ordersPage({
        base: BASE,
        query: { filter: 'all', page: 1 },
        counts: counts(),
        rows: [],
      }),
    );
    expect(page).toContain('No orders yet');
    expect(page).not.toContain('Page 1');
  });
});

describe('orderPage', () => {
  it('shows the reason, the document, the answer and the history, all escaped', () => {
    const page = norm(orderPage({ base: BASE, order: detail(), csrf, retried: false }));
    expect(page).not.toContain(EVIL);
    expect(page.match(/&lt;script&gt;alert\(1\)&lt;\/script&gt;/g)).toHaveLength(3);
    expect(page).toContain(
      '<pre>&lt;SalesOrder&gt;&lt;Code&gt;&amp;lt;x&amp;gt;&lt;/Code&gt;&lt;/SalesOrder&gt;</pre>',
    );
    expect(page).toContain('<td>2</td>');
    expect(page).not.toContain('Retry queued');
  });

  it('offers a retry form with the CSRF field while the order is not sent', () => {
    for (const state of ['waiting', 'outcome-unknown', 'received', 'sending'] as const) {
      const page = norm(orderPage({ base: BASE, order: detail({ state }), csrf, retried: false }));
      expect(page).toContain(`<form method="post" action="${BASE}/orders/10023/retry"`);
      expect(page).toContain('name="_csrf" value="tok"');
      expect(page).toContain('Retry this order');
    }
  });

  it('offers no retry for a sent order and confirms a queued retry', () => {
    const sent = norm(
      orderPage({
        base: BASE,
        order: detail({ state: 'sent', sales_order_number: 'SO-1', reason: null }),
        csrf,
        retried: false,
      }),
    );
    expect(sent).not.toContain('Retry this order');
    expect(sent).toContain('SO-1');
    const retried = norm(orderPage({ base: BASE, order: detail(), csrf, retried: true }));
    expect(retried).toContain('Retry queued');
  });
});
