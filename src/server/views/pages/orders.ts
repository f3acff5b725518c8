import { isSearching, type OrderListEntry } from '../../../db/order-list.ts';
import type { LedgerState } from '../../../orders/ledger.ts';
import { readPaymentMethodText } from '../../../netbaron/wire/salesorder.ts';
import { centsOfText, customerOf } from '../../../orders/ledger-reading.ts';
import {
  ORDER_FILTERS,
  orderListUrl,
  type OrderFilter,
  type OrderListQuery,
} from '../../forms/order-list-query.ts';
import { day, euros, stateBadge, when } from '../format.ts';
import { html, type Html } from '../../../util/html.ts';

export const ORDERS_PER_PAGE = 100;

const FILTER_LABELS: Record<OrderFilter, string> = {
  all: 'All',
  waiting: 'Waiting',
  'outcome-unknown': 'Outcome unknown',
  sent: 'Sent',
  received: 'Received',
  sending: 'Sending',
};

export interface OrdersPageData {
  /** `/connections/<slug>`. */
  base: string;
  query: OrderListQuery;
  /** The orders the search finds (all of them without a search), by state. */
  counts: Record<LedgerState, number>;
  /** Every waiting order of the connection, found by the search or not: what "Retry all waiting" queues. */
  waiting: number;
  /** The page's orders; none when the page is out of range. */
  rows: readonly OrderListEntry[];
  /** The CSRF field for the page's form (the bulk retry); without it the form is not shown. */
  csrf?: Html;
  /** Just back from "Retry all waiting": how many orders it queued again. */
  requeued?: number;
}

/** Long reasons would push the table off screen; the full text stays in the tooltip and on the order's page. */
export function shorten(text: string, max = 110): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** How many orders the list holds under this filter. */
export const listedCount = (counts: Record<LedgerState, number>, filter: OrderFilter): number =>
  filter === 'all' ? Object.values(counts).reduce((a, b) => a + b, 0) : counts[filter];

export const pageCount = (listed: number): number => Math.ceil(listed / ORDERS_PER_PAGE);

function filterLinks(d: OrdersPageData): Html {
  return html`<nav class="actions filters" aria-label="Filter by state">
    ${ORDER_FILTERS.map(
      (f) =>
        html`<a
          href="${orderListUrl(d.base, d.query, { filter: f, page: 1 })}"
          ${d.query.filter === f ? html` aria-current="page"` : ''}
          >${FILTER_LABELS[f]} (${listedCount(d.counts, f)})</a
        >`,
    )}
  </nav>`;
}

function searchForm(d: OrdersPageData): Html {
  const q = d.query;
  return html`<form method="get" action="${d.base}/orders" class="search" role="search">
    ${q.filter === 'all' ? '' : html`<input type="hidden" name="state" value="${q.filter}" />`}
    <div>
      <label for="q">Order number, customer or product code</label>
      <input type="search" id="q" name="q" value="${q.text}" maxlength="100" />
    </div>
    <div>
      <label for="from">Placed from</label>
      <input type="date" id="from" name="from" value="${q.from ?? ''}" />
    </div>
    <div>
      <label for="to">Placed until</label>
      <input type="date" id="to" name="to" value="${q.to ?? ''}" />
    </div>
    <button type="submit">Search</button>
    ${isSearching(q) ? html`<a href="${clearUrl(d)}">Clear the search</a>` : ''}
  </form>`;
}

/** The list without the search, in the same state. */
const clearUrl = (d: OrdersPageData): string =>
  orderListUrl(d.base, d.query, { text: '', from: undefined, to: undefined, page: 1 });

function customerCell(r: OrderListEntry): Html {
  const c = customerOf(r);
  if (!c.name && !c.company) return html`—`;
  if (!c.name || !c.company) return html`${c.name || c.company}`;
  return html`${c.name}<br /><span class="muted">${c.company}</span>`;
}

/**
 * The payment method's name as the ledger knows it without asking the store: from the document built for
 * NetBaron. Before one exists the order carries only the store's id for the method.
 */
function paymentCell(r: OrderListEntry): Html {
  const name = r.sent_document ? readPaymentMethodText(r.sent_document) : undefined;
  if (name) return html`${name}`;
  if (!r.payment_method_id) return html`—`;
  return html`<span
    class="muted"
    title="The store's payment method ${r.payment_method_id}: its name is shown once the order's document for NetBaron is built."
    >Method ${r.payment_method_id}</span
  >`;
}

function row(base: string, r: OrderListEntry): Html {
  return html`<tr>
    <td><a href="${base}/orders/${r.order_id}">${r.order_id}</a></td>
    <td class="placed">${when(r.placed_at)}</td>
    <td>${customerCell(r)}</td>
    <td class="num">${euros(centsOfText(r.total))}</td>
    <td>${paymentCell(r)}</td>
    <td>
      ${stateBadge(r.state)}${r.reason ? html`<div class="hint" title="${r.reason}">${shorten(r.reason)}</div>` : ''}
    </td>
    <td>${r.sales_order_number ?? '—'}</td>
  </tr>`;
}

function pager(d: OrdersPageData, pages: number): Html {
  if (pages <= 1) return html``;
  const { page } = d.query;
  return html`<nav class="actions pager" aria-label="Pages">
    ${page > 1 ? html`<a href="${orderListUrl(d.base, d.query, { page: page - 1 })}">← Newer</a>` : ''}
    <span class="muted">Page ${page} of ${pages}</span>
    ${page < pages ? html`<a href="${orderListUrl(d.base, d.query, { page: page + 1 })}">Older →</a>` : ''}
  </nav>`;
}

function emptyText(filter: OrderFilter): string {
  if (filter === 'all') return 'No orders yet. Orders appear here as soon as MyCashflow reports them.';
  if (filter === 'waiting' || filter === 'outcome-unknown') return 'None: no order needs you.';
  return 'No orders in this state.';
}

function placedText(from: string | undefined, to: string | undefined): string | undefined {
  if (from && to) return from === to ? `on ${day(from)}` : `${day(from)} – ${day(to)}`;
  if (from) return `on or after ${day(from)}`;
  if (to) return `on or before ${day(to)}`;
  return undefined;
}

/** What was searched, criterion by criterion, and the way back to the whole list. */
function noHits(d: OrdersPageData): Html {
  const q = d.query;
  const placed = placedText(q.from, q.to);
  return html`<div class="notice" role="status">
    <p>No orders match this search.</p>
    <ul>
      ${q.text ? html`<li>Order number, customer or product code: “${q.text}”</li>` : ''}
      ${placed ? html`<li>Placed: ${placed}</li>` : ''}
      ${q.filter === 'all' ? '' : html`<li>State: ${FILTER_LABELS[q.filter]}</li>`}
    </ul>
    <p><a href="${clearUrl(d)}">Clear the search</a></p>
  </div>`;
}

function outOfRange(d: OrdersPageData, pages: number): Html {
  const { page } = d.query;
  if (pages === 0)
    return html`<p class="notice warn" role="status">There is no page ${page}: the list is empty.</p>`;
  const last = orderListUrl(d.base, d.query, { page: pages });
  return html`<p class="notice warn" role="status">
    ${
      pages === 1
        ? `There is no page ${page}: the list has one page.`
        : `There is no page ${page}: the list has ${pages} pages.`
    }
    <a href="${last}">Go to page ${pages}, the last one</a>
  </p>`;
}

function requeuedText(n: number): string {
  if (n === 0) return 'No order was waiting, so none was queued again.';
  if (n === 1) return 'One waiting order was queued again.';
  return `${n} waiting orders were queued again.`;
}

function matchesText(n: number): string {
  return n === 1 ? 'One order matches the search.' : `${n} orders match the search.`;
}

function retryAllForm(d: OrdersPageData): Html {
  if (d.waiting === 0 || !d.csrf) return html``;
  return html`<form
    method="post"
    action="${d.base}/orders/retry-waiting"
    class="actions"
    data-confirm="Send every waiting order again? Fix their causes first."
  >
    ${d.csrf}<button type="submit" class="secondary">
      ${d.waiting === 1 ? 'Retry the waiting order' : `Retry all ${d.waiting} waiting orders`}
    </button>
    <span class="hint"
      >After fixing what they wait for (say, the Order API password); each is read back from NetBaron first if
      it may have reached it.</span
    >
  </form>`;
}

function listBody(d: OrdersPageData): Html {
  const listed = listedCount(d.counts, d.query.filter);
  const pages = pageCount(listed);
  const searching = isSearching(d.query);
  if (d.query.page > Math.max(pages, 1))
    return html`${outOfRange(d, pages)} ${listed === 0 && searching ? noHits(d) : ''}`;
  if (listed === 0 || d.rows.length === 0)
    return searching ? noHits(d) : html`<p class="notice">${emptyText(d.query.filter)}</p>`;
  return html`${searching ? html`<p class="muted">${matchesText(listed)}</p>` : ''}
    <table class="orders">
      <thead>
        <tr>
          <th>Order</th>
          <th>Placed</th>
          <th>Customer</th>
          <th class="num">Total</th>
          <th>Payment method</th>
          <th>State</th>
          <th>NetBaron sales order</th>
        </tr>
      </thead>
      <tbody>
        ${d.rows.map((r) => row(d.base, r))}
      </tbody>
    </table>
    ${pager(d, pages)}`;
}

export function ordersPage(d: OrdersPageData): Html {
  return html`<h1>Orders</h1>
    <p class="muted">
      Every order the connector has seen from the store, newest first. Open an order to see what was sent to
      NetBaron and what NetBaron answered.
    </p>
    ${
      d.requeued === undefined ? '' : html`<p class="notice ok" role="status">${requeuedText(d.requeued)}</p>`
    }
    ${searchForm(d)} ${filterLinks(d)} ${retryAllForm(d)} ${listBody(d)}`;
}
