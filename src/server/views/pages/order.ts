import type { LedgerState } from '../../../db/schema.ts';
import { stateBadge, when } from '../format.ts';
import { html, type Html } from '../html.ts';

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
  next_attempt_at: Date | null;
  sent_at: Date | null;
  sales_order_number: string | null;
  sent_document: string | null;
  netbaron_answer: string | null;
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
}

/** Every state but `sent` may still be sent; a retry of `received`/`sending` only makes it due at once. */
export const canRetry = (state: LedgerState): boolean => state !== 'sent';

const STATE_TEXT: Record<LedgerState, string> = {
  received: 'Recorded and due to be sent to NetBaron.',
  sending: 'Being sent to NetBaron now (or the sender stopped; the next one asks NetBaron first).',
  sent: 'Sent: NetBaron has the order.',
  waiting: 'Waiting for you: fix the reason below, then retry the order.',
  'outcome-unknown':
    'Not known whether NetBaron received it. It is not sent again until NetBaron has been asked whether it already has the order.',
};

function facts(o: OrderDetail): Html {
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
      <tr>
        <th>Attempts</th>
        <td>${o.attempts}</td>
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

const block = (text: string | null, none: string): Html =>
  text ? html`<pre>${text}</pre>` : html`<p class="muted">${none}</p>`;

export function orderPage(d: OrderPageData): Html {
  const o = d.order;
  return html`<p><a href="${d.base}/orders">← All orders</a></p>
    <h1>Order ${o.order_id}</h1>
    ${d.retried ? html`<p class="notice ok" role="status">Retry queued. Reload this page in a moment to see the outcome.</p>` : ''}
    ${facts(o)} ${retryForm(d)}
    <h2>${o.state === 'sent' ? 'Document sent to NetBaron' : 'Document for NetBaron'}</h2>
    ${o.sent_document && o.state !== 'sent' ? html`<p class="muted">As last prepared or sent; NetBaron has not accepted it (see the reason above).</p>` : ''}
    ${block(o.sent_document, 'Nothing has been sent yet.')}
    <h2>NetBaron's answer</h2>
    ${block(o.netbaron_answer, 'No answer recorded.')}
    <h2>History</h2>
    ${history(o.events)}`;
}
