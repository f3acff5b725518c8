import type { LedgerState } from '../../../db/schema.ts';
import { stateBadge, when } from '../format.ts';
import { html, type Html } from '../html.ts';

/** The filters in the order the merchant needs them: what needs a person first. */
export const ORDER_FILTERS = ['all', 'waiting', 'outcome-unknown', 'sent', 'received', 'sending'] as const;
export type OrderFilter = (typeof ORDER_FILTERS)[number];

export const ORDERS_PER_PAGE = 100;

const FILTER_LABELS: Record<OrderFilter, string> = {
  all: 'All',
  waiting: 'Waiting',
  'outcome-unknown': 'Outcome unknown',
  sent: 'Sent',
  received: 'Received',
  sending: 'Sending',
};

export interface OrderListQuery {
  filter: OrderFilter;
  /** 1-based. */
  page: number;
}

/** The list's query string; anything unknown falls back to the first page of all orders. */
export function orderListQuery(params: URLSearchParams): OrderListQuery {
  const state = params.get('state') ?? 'all';
  const filter = (ORDER_FILTERS as readonly string[]).includes(state) ? (state as OrderFilter) : 'all';
  const page = Number(params.get('page') ?? '1');
  return { filter, page: Number.isSafeInteger(page) && page >= 1 ? page : 1 };
}

export interface OrderListRow {
  order_id: string;
  state: LedgerState;
  received_at: Date;
  sent_at: Date | null;
  sales_order_number: string | null;
  reason: string | null;
}

export interface OrdersPageData {
  /** `/connections/<slug>`. */
  base: string;
  query: OrderListQuery;
  counts: Record<LedgerState, number>;
  rows: readonly OrderListRow[];
  /** The CSRF field for the page's form (the bulk retry); without it the form is not shown. */
  csrf?: Html;
}

/** Long reasons would push the table off screen; the full text stays in the tooltip and on the order's page. */
export function shorten(text: string, max = 110): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

const countOf = (counts: Record<LedgerState, number>, filter: OrderFilter): number =>
  filter === 'all' ? Object.values(counts).reduce((a, b) => a + b, 0) : counts[filter];

function listUrl(base: string, filter: OrderFilter, page = 1): string {
  const params = new URLSearchParams();
  if (filter !== 'all') params.set('state', filter);
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return `${base}/orders${qs ? `?${qs}` : ''}`;
}

function filterLinks(d: OrdersPageData): Html {
  return html`<nav class="actions filters" aria-label="Filter by state">
    ${ORDER_FILTERS.map(
      (f) =>
        html`<a href="${listUrl(d.base, f)}" ${d.query.filter === f ? html` aria-current="page"` : ''}
          >${FILTER_LABELS[f]} (${countOf(d.counts, f)})</a
        >`,
    )}
  </nav>`;
}

function row(base: string, r: OrderListRow): Html {
  return html`<tr>
<td><a href="${base}/orders/${r.order_id}">${r.order_id}</a></td>
<td>${stateBadge(r.state)}</td>
<td>${when(r.received_at)}</td>
<td>${when(r.sent_at)}</td>
<td>${r.sales_order_number ?? '—'}</td>
<td${r.reason ? html` title="${r.reason}"` : ''}>${r.reason ? shorten(r.reason) : ''}</td>
</tr>`;
}

function pager(d: OrdersPageData): Html {
  const pages = Math.max(1, Math.ceil(countOf(d.counts, d.query.filter) / ORDERS_PER_PAGE));
  if (pages === 1 && d.query.page === 1) return html``;
  const { page, filter } = d.query;
  return html`<nav class="actions pager" aria-label="Pages">
    ${page > 1 ? html`<a href="${listUrl(d.base, filter, page - 1)}">← Newer</a>` : ''}
    <span class="muted">Page ${page} of ${pages}</span>
    ${page < pages ? html`<a href="${listUrl(d.base, filter, page + 1)}">Older →</a>` : ''}
  </nav>`;
}

function emptyText(filter: OrderFilter): string {
  if (filter === 'all') return 'No orders yet. Orders appear here as soon as MyCashflow reports them.';
  if (filter === 'waiting' || filter === 'outcome-unknown') return 'None: no order needs you.';
  return 'No orders in this state.';
}

export function ordersPage(d: OrdersPageData): Html {
  return html`<h1>Orders</h1>
    <p class="muted">
      Every order the connector has seen from the store, newest first. Open an order to see what was sent to
      NetBaron and what NetBaron answered.
    </p>
    ${filterLinks(d)}
    ${
      d.counts.waiting > 0 && d.csrf
        ? html`<form
            method="post"
            action="${d.base}/orders/retry-waiting"
            class="actions"
            data-confirm="Send every waiting order again? Fix their causes first."
          >
            ${d.csrf}<button type="submit" class="secondary">
              Retry all ${d.counts.waiting} waiting orders
            </button>
            <span class="hint"
              >After fixing what they wait for (say, the Order API password); each is read back from NetBaron
              first if it may have reached it.</span
            >
          </form>`
        : ''
    }
    ${
      d.rows.length === 0
        ? html`<p class="notice">${emptyText(d.query.filter)}</p>`
        : html`<table>
            <thead>
              <tr>
                <th>Order</th>
                <th>State</th>
                <th>Received</th>
                <th>Sent</th>
                <th>NetBaron sales order</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              ${d.rows.map((r) => row(d.base, r))}
            </tbody>
          </table>`
    }
    ${pager(d)}`;
}
