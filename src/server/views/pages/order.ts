import type { LedgerState } from '../../../orders/ledger.ts';
import { sentDocumentOf, storeOrderOf } from '../../../orders/ledger-reading.ts';
import { stateBadge, when } from '../format.ts';
import { html, type Html } from '../../../util/html.ts';
import { documentSummary, storeOrderSummary } from './order-summary.ts';

export interface OrderEvent {
  at: Date;
  kind: string;
  detail: string | null;
}

/** What the page shows of a ledger entry (`ledgerEntry`). */
export interface OrderDetail {
  order_id: string;
  state: LedgerState;
  source: string;
  reason: string | null;
  attempts: number;
  received_at: Date;
  placed_at: Date;
  next_attempt_at: Date | null;
  sent_at: Date | null;
  sales_order_number: string | null;
  sent_document: string | null;
  netbaron_answer: string | null;
  /** The store's order as received (JSON). */
  order: unknown;
  events: readonly OrderEvent[];
}

export interface OrderPageData {
  /** `/connections/<slug>`. */
  base: string;
  order: OrderDetail;
  /** The hidden CSRF field of the session (`csrfField`). */
  csrf: Html;
  /** Just back from "Retry this order". */
  retried: boolean;
  /** The moment the page is rendered at. */
  now: Date;
}

/** Every state but `sent` may still be sent; a retry of `received`/`sending` only makes it due at once. */
export const canRetry = (state: LedgerState): boolean => state !== 'sent';

/** Seconds between reloads of a page whose order is on its way to NetBaron. */
export const REFRESH_SECONDS = 3;

/** An order that is due later than this is not watched: nothing changes on its page before then. */
const WATCH_AHEAD_MS = 60_000;

const STATE_TEXT: Record<LedgerState, string> = {
  received: 'Recorded and due to be sent to NetBaron.',
  sending: 'Being sent to NetBaron now (or the sender stopped; the next one asks NetBaron first).',
  sent: 'Sent: NetBaron has the order.',
  waiting: 'Waiting for you: fix the reason below, then retry the order.',
  'outcome-unknown':
    'Not known whether NetBaron received it. It is not sent again until NetBaron has been asked whether it already has the order.',
};

/** The last thing that happened to the order (a repeated webhook changes nothing, so it does not count). */
const lastEvent = (o: OrderDetail): string | undefined =>
  o.events.findLast((e) => e.kind !== 'seen-again')?.kind;

/**
 * Whether the order is on its way to NetBaron now, so that its page will change by itself: received and
 * due (or due within a minute), being sent, or unclear with a person's retry not yet taken up.
 */
export function onItsWay(o: OrderDetail, now: Date): boolean {
  if (o.state === 'sending') return true;
  if (o.state === 'received')
    return o.next_attempt_at === null || o.next_attempt_at.getTime() <= now.getTime() + WATCH_AHEAD_MS;
  if (o.state === 'outcome-unknown') return lastEvent(o) === 'retry';
  return false;
}

export type RetryBanner = { tone: 'ok' | 'warn' | 'progress'; text: string };

/** What the page says after "Retry this order", from the order's state as the page is rendered. */
export function retryBanner(o: OrderDetail, now: Date): RetryBanner {
  if (o.state === 'sent')
    return o.sales_order_number
      ? { tone: 'ok', text: `Sent: NetBaron has the order as sales order ${o.sales_order_number}.` }
      : { tone: 'ok', text: 'Sent: NetBaron has the order.' };
  if (onItsWay(o, now))
    return {
      tone: 'progress',
      text: 'Retry queued: the order is on its way to NetBaron. This page updates by itself.',
    };
  if (o.state === 'waiting')
    return { tone: 'warn', text: 'Tried again: the order still waits. The reason below says why.' };
  if (o.state === 'outcome-unknown')
    return {
      tone: 'warn',
      text: 'Tried again: it is still not known whether NetBaron has the order. The reason below says why.',
    };
  return {
    tone: 'warn',
    text: 'Tried again: NetBaron asked to wait, so the order is sent at its next attempt, shown below.',
  };
}

/** The page reloads itself (app.js) while an element carries this attribute. */
const refreshing = html` data-refresh-after="${REFRESH_SECONDS}"`;

function banner(d: OrderPageData): Html {
  const live = onItsWay(d.order, d.now);
  if (!d.retried)
    return live
      ? html`<p class="notice" role="status" ${refreshing}>
          The order is on its way to NetBaron. This page updates by itself.
        </p>`
      : html``;
  const b = retryBanner(d.order, d.now);
  const tone = b.tone === 'progress' ? '' : b.tone;
  return html`<p class="notice ${tone}" role="status" ${b.tone === 'progress' ? refreshing : ''}>
    ${b.text}
  </p>`;
}

function summary(o: OrderDetail): Html {
  const doc = sentDocumentOf(o.sent_document);
  if (doc)
    return html`<h2>
        ${o.state === 'sent' ? 'What was sent to NetBaron' : 'What is to be sent to NetBaron'}
      </h2>
      ${
        o.state === 'sent'
          ? ''
          : html`<p class="muted">
              The document as last prepared or sent; NetBaron has not accepted it (see its answer below).
            </p>`
      }
      ${documentSummary(doc)}`;
  const store = storeOrderOf(o.order);
  const note = o.sent_document
    ? 'The document for NetBaron could not be read back; it is shown as it is below. This is the order as the store reported it.'
    : 'No document for NetBaron has been built for this order yet: this is the order as the store reported it, not what NetBaron has.';
  return html`<h2>The store's order (not sent yet)</h2>
    <p class="muted">${note}</p>
    ${store ? storeOrderSummary(store) : html`<p class="notice warn">The store's order could not be read.</p>`}`;
}

function answer(o: OrderDetail): Html {
  return html`<table class="facts">
    <tbody>
      <tr>
        <th>State</th>
        <td>${stateBadge(o.state)} ${STATE_TEXT[o.state]}</td>
      </tr>
      ${
        o.reason
          ? html`<tr>
              <th>Reason</th>
              <td>${o.reason}</td>
            </tr>`
          : ''
      }
      <tr>
        <th>NetBaron sales order</th>
        <td>${o.sales_order_number ?? '—'}</td>
      </tr>
      ${
        o.netbaron_answer
          ? html`<tr>
              <th>NetBaron's answer</th>
              <td>${o.netbaron_answer}</td>
            </tr>`
          : ''
      }
      <tr>
        <th>Attempts</th>
        <td>${o.attempts}</td>
      </tr>
      <tr>
        <th>Placed</th>
        <td>${when(o.placed_at)}</td>
      </tr>
      <tr>
        <th>Received</th>
        <td>${when(o.received_at)} <span class="muted">(by ${o.source})</span></td>
      </tr>
      ${
        o.next_attempt_at
          ? html`<tr>
              <th>Next attempt</th>
              <td>${when(o.next_attempt_at)}</td>
            </tr>`
          : ''
      }
      <tr>
        <th>Sent</th>
        <td>${when(o.sent_at)}</td>
      </tr>
    </tbody>
  </table>`;
}

const RETRY_HINTS: Record<LedgerState, string> = {
  waiting:
    'Fix the cause first (for example add the payment method in NetBaron); the order is then sent at once.',
  received: 'Sends it now instead of at its next attempt.',
  'outcome-unknown':
    'NetBaron is asked first whether it already has the order; it is sent only if it does not.',
  sending: 'NetBaron is asked first whether it already has the order; it is sent only if it does not.',
  sent: '',
};

function retryForm(d: OrderPageData): Html {
  if (!canRetry(d.order.state)) return html``;
  const hint = RETRY_HINTS[d.order.state];
  return html`<form method="post" action="${d.base}/orders/${d.order.order_id}/retry" class="actions">
    ${d.csrf}
    <button type="submit">Retry this order</button>
    <span class="hint">${hint}</span>
  </form>`;
}

function xmlDocument(o: OrderDetail): Html {
  if (!o.sent_document) return html`<p class="muted">No XML document has been built for NetBaron yet.</p>`;
  return html`<details class="document">
    <summary>${o.state === 'sent' ? 'The XML document sent' : 'The XML document last prepared'}</summary>
    <pre>${o.sent_document}</pre>
  </details>`;
}

function history(events: readonly OrderEvent[]): Html {
  if (events.length === 0) return html`<p class="muted">No history recorded.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>When</th>
        <th>What</th>
        <th>Detail</th>
      </tr>
    </thead>
    <tbody>
      ${events.map(
        (e) =>
          html`<tr>
            <td>${when(e.at)}</td>
            <td>${e.kind}</td>
            <td>${e.detail ?? ''}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function orderPage(d: OrderPageData): Html {
  const o = d.order;
  return html`<p><a href="${d.base}/orders">← All orders</a></p>
    <h1>Order ${o.order_id}</h1>
    ${banner(d)} ${summary(o)}
    <h2>NetBaron's answer</h2>
    ${answer(o)} ${retryForm(d)} ${xmlDocument(o)}
    <h2>History</h2>
    ${history(o.events)}`;
}
