import type { PlanCounts, Problem, ProblemKind } from '../../../catalog/plan.ts';
import type { PreflightReport } from '../../../catalog/preflight.ts';
import type { PaymentMethodFinding } from '../../../orders/payment-preflight.ts';
import { html, type Html } from '../../../util/html.ts';
import { readingStatus, type Reading } from './reading.ts';

export interface CheckPageData {
  /** `/connections/<slug>`. */
  base: string;
  reading: Reading<PreflightReport>;
}

const KIND_LABELS: Record<ProblemKind, string> = {
  'duplicate-code-in-store': 'Duplicate code in the store',
  'duplicate-code-in-netbaron': 'Duplicate code in NetBaron',
  'invalid-netbaron-data': 'Unreadable NetBaron data',
  'invalid-store-data': 'Unreadable store data',
  'missing-price': 'No price',
  'missing-name': 'No name',
  'unknown-vat-rate': 'VAT rate not in the store',
  'negative-quantity': 'Negative stock',
  'fractional-quantity': 'Fractional stock',
  'invalid-quantity': 'Unreadable stock',
  'variation-missing-in-store': 'Variation missing in the store',
  'selected-product-not-found': 'Selected product not in the store',
  'stock-on-variations': 'Stock kept on variations',
  'rounded-purchase-price': 'Purchase price rounded',
  'write-failed': 'Could not be written',
};

function problems(list: readonly Problem[]): Html {
  if (list.length === 0) return html`<p class="notice ok">No product problems found.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th>Kind</th>
        <th>Code</th>
        <th>Reason</th>
        <th>Places</th>
      </tr>
    </thead>
    <tbody>
      ${list.map(
        (p) =>
          html`<tr>
            <td>${KIND_LABELS[p.kind] ?? p.kind}</td>
            <td>${p.code}</td>
            <td>${p.reason}</td>
            <td>${(p.places ?? []).map((place, i) => html`${i > 0 ? html`<br />` : ''}${place}`)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function paymentMethods(findings: readonly PaymentMethodFinding[] | null): Html {
  if (findings === null)
    return html`<p class="muted">
      Not checked: no Order API password. Set it in the settings to check payment methods.
    </p>`;
  if (findings.length === 0)
    return html`<p class="notice ok">Every store payment method has an exact counterpart in NetBaron.</p>`;
  return html`<p>
      Orders paid with these wait until NetBaron has a payment method with exactly the same name.
    </p>
    <table>
      <thead>
        <tr>
          <th>Store payment method</th>
          <th>Nearly the same in NetBaron</th>
          <th>What to do</th>
        </tr>
      </thead>
      <tbody>
        ${findings.map(
          (f) =>
            html`<tr>
              <td>${f.store}</td>
              <td>${f.nearMiss ?? '—'}</td>
              <td>${f.reason}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

const COUNT_LABELS: Array<[keyof PlanCounts, string]> = [
  ['create', 'Create products'],
  ['update', 'Update products'],
  ['unchanged', 'Leave unchanged'],
  ['hide', 'Hide products'],
  ['delete', 'Delete products'],
  ['deleteVariation', 'Delete variations'],
];

function wouldDo(counts: PlanCounts): Html {
  return html`<table class="counts">
    <tbody>
      ${COUNT_LABELS.map(
        ([key, label]) =>
          html`<tr>
            <th>${label}</th>
            <td class="num">${counts[key]}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function guard(verdict: PreflightReport['guard']): Html {
  if (verdict.ok)
    return html`<p class="notice ok">Within the safety limits: an import now would write these changes.</p>`;
  return html`<div class="notice error">
    <p>An import now would stop before writing anything:</p>
    <ul>
      ${verdict.reasons.map((r) => html`<li>${r}</li>`)}
    </ul>
  </div>`;
}

function report(r: PreflightReport): Html {
  return html`<h2>Product problems</h2>
    ${problems(r.problems)}
    <h2>Payment methods</h2>
    ${paymentMethods(r.paymentMethods)}
    <h2>An import now would</h2>
    ${wouldDo(r.wouldDo)}
    <h2>Safety limits</h2>
    ${guard(r.guard)}`;
}

export function checkPage(d: CheckPageData): Html {
  return html`<h1>Pre-flight check</h1>
    <p>
      Reads NetBaron's products and the store's catalogue and lists everything an import or the order export
      would trip over: duplicate codes, missing prices, payment methods NetBaron does not know. Nothing is
      written to either system.
    </p>
    ${readingStatus(d.reading, { url: `${d.base}/check`, runLabel: 'Run the pre-flight check' })}
    ${d.reading.state === 'done' ? report(d.reading.value) : ''}`;
}
