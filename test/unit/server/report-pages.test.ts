import { describe, expect, it } from 'vitest';
import type { PreflightReport } from '../../../src/catalog/preflight.ts';
import type { ProblemGroup } from '../../../src/reports/problem-groups.ts';
import type { StockReportWithWarnings } from '../../../src/reports/read-stock.ts';
import { html, type Html } from '../../../src/util/html.ts';
import { checkPage } from '../../../src/server/views/pages/check.ts';
import { problemsPage } from '../../../src/server/views/pages/problems.ts';
import { stockPage } from '../../../src/server/views/pages/stock.ts';

/** The markup without layout whitespace (prettier lays out the templates), so tests read the structure. */
const norm = (page: Html): string => page.text.replace(/\s+/g, ' ').replace(/\s*(<|>)\s*/g, '$1');

const BASE = '/connections/shop';
const EVIL = '<script>alert(1)</script>';
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';

describe('problemsPage', () => {
  const groups: ProblemGroup[] = [
    {
      key: `orders:payment-method:${EVIL}`,
      area: 'orders',
      severity: 'error',
      title: `Payment method "${EVIL}" is unknown to NetBaron (2 orders wait)`,
      fix: `Add a payment method named exactly "${EVIL}" in NetBaron, then retry these orders.`,
      count: 2,
      items: [
        { label: '5', link: '/orders/5', detail: `payment method "${EVIL}"` },
        { label: '6', link: '/orders/6' },
      ],
      since: new Date('2026-11-20T10:00:00Z'),
      action: {
        label: 'Retry these 2 orders',
        path: '/problems/retry-orders',
        fields: { group: `orders:x` },
      },
    },
    {
      key: 'catalog:negative-quantity',
      area: 'catalog',
      severity: 'warning',
      title: '1 NetBaron product has a negative stock balance',
      fix: 'The store got 0.',
      count: 1,
      items: [{ label: 'A1', detail: 'Written as 0.' }],
      since: null,
      link: '/runs/4',
    },
  ];
  const csrf = html`<input type="hidden" name="_csrf" value="t" />`;

  it('shows each group with its fix, its items folded, escaped text, and its bulk action', () => {
    const page = norm(problemsPage({ base: BASE, groups, csrf }));
    expect(page).toContain('<h2>Orders</h2>');
    expect(page).toContain('<h2>Products</h2>');
    expect(page.indexOf('<h2>Orders</h2>')).toBeLessThan(page.indexOf('<h2>Products</h2>'));
    expect(page).toMatch(/<section class="problem error"[^>]*>/);
    expect(page).not.toContain(EVIL);
    expect(page.split(ESCAPED).length).toBeGreaterThanOrEqual(4);
    expect(page).toContain('<summary>The 2 orders</summary>');
    expect(page).toContain(`<a href="${BASE}/orders/5">5</a>`);
    expect(page).toContain(`action="${BASE}/problems/retry-orders"`);
    expect(page).toContain('<input type="hidden" name="group" value="orders:x" />');
    expect(page).toContain('>Retry these 2 orders</button>');
    expect(page).toContain(`<a href="${BASE}/runs/4">Open</a>`);
    expect(page).toContain('closes itself');
  });

  it('shows no action without a session, and says so when nothing is open', () => {
    expect(norm(problemsPage({ base: BASE, groups }))).not.toContain('<form');
    expect(norm(problemsPage({ base: BASE, groups: [] }))).toContain(
      '<p class="notice ok">No open problems.</p>',
    );
  });
});

const preflight = (over: Partial<PreflightReport> = {}): PreflightReport => ({
  problems: [
    {
      kind: 'duplicate-code-in-store',
      code: EVIL,
      reason: `Code ${EVIL} is used twice`,
      places: ['product 1', `product ${EVIL}`],
    },
  ],
  paymentMethods: [{ store: EVIL, reason: `Payment method "${EVIL}" has no counterpart in NetBaron` }],
  wouldDo: { create: 3, update: 2, unchanged: 10, hide: 1, delete: 0, deleteVariation: 4 },
  guard: { ok: false, reasons: [`It would hide 50% ${EVIL}`] },
  ...over,
});

describe('checkPage', () => {
  it('runs only on request', () => {
    const page = norm(checkPage({ base: BASE, reading: { state: 'not-run' } }));
    expect(page).toContain(`href="${BASE}/check?run=1"`);
    expect(page).toContain('Run the pre-flight check');
    expect(page).not.toContain('<h2>');
  });

  it('renders the findings escaped', () => {
    const page = norm(
      checkPage({
        base: BASE,
        reading: { state: 'done', value: preflight(), durationMs: 4200 },
      }),
    );
    expect(page).not.toContain(EVIL);
    expect(page).toContain('Duplicate code in the store');
    expect(page).toContain(`<td>${ESCAPED}</td>`);
    expect(page).toContain('<tr><th>Delete variations</th><td class="num">4</td></tr>');
    expect(page).toContain('would stop before writing');
    expect(page).toContain('4.2 s');
  });

  it('says when payment methods were not checked and when the import may write', () => {
    const page = norm(
      checkPage({
        base: BASE,
        reading: {
          state: 'done',
          value: preflight({ problems: [], paymentMethods: null, guard: { ok: true, reasons: [] } }),
          durationMs: 10,
        },
      }),
    );
    expect(page).toContain('No product problems found.');
    expect(page).toContain('Not checked: no Order API password');
    expect(page).toContain('Within the safety limits');
  });

  it('shows a failure as an escaped error notice', () => {
    const page = norm(
      checkPage({
        base: BASE,
        reading: { state: 'failed', message: `NetBaron refused ${EVIL}` },
      }),
    );
    expect(page).toContain(`<p class="notice error" role="alert">NetBaron refused ${ESCAPED}</p>`);
  });
});

const stock = (over: Partial<StockReportWithWarnings> = {}): StockReportWithWarnings => ({
  differences: [
    {
      code: EVIL,
      netbaronBalance: '5',
      netbaronQuantity: 5,
      storeQuantity: 7,
      difference: 2,
      explainedByReturns: 2,
      unexplained: 0,
      returns: [{ date: '2026-11-20', quantity: 2 }],
      status: 'returns',
      held: false,
      action: `add 2 to ${EVIL} in NetBaron`,
    },
    {
      code: 'B2',
      netbaronBalance: '4',
      netbaronQuantity: 4,
      storeQuantity: 1,
      difference: -3,
      explainedByReturns: 0,
      unexplained: -3,
      returns: [],
      status: 'unexplained',
      held: false,
      action: 'check B2',
    },
  ],
  explainedByReturns: 1,
  unexplained: 1,
  since: '2026-11-19T08:00:00.000Z',
  basis: 'linked-codes',
  compared: 12,
  notCompared: [{ code: 'C3', reason: `C3 is not in the store ${EVIL}` }],
  warnings: [`stock change 9 could not be read: ${EVIL}`],
  ...over,
});

describe('stockPage', () => {
  it('runs only on request', () => {
    const page = norm(stockPage({ base: BASE, reading: { state: 'not-run' } }));
    expect(page).toContain(`href="${BASE}/stock?run=1"`);
  });

  it('renders the differences, what was not compared and the warnings, escaped', () => {
    const page = norm(stockPage({ base: BASE, reading: { state: 'done', value: stock(), durationMs: 900 } }));
    expect(page).not.toContain(EVIL);
    expect(page).toContain('12 linked codes compared');
    expect(page).toContain('2 differences: 1 explained by returns, 1 not');
    expect(page).toContain('Explained by returns in the store');
    expect(page).toContain('Not explained by returns');
    expect(page).toContain('<td class="num">+2</td>');
    expect(page).toContain('<td class="num">-3</td>');
    expect(page).toContain('Not compared');
    expect(page).toContain('The report may be incomplete');
    expect(page.split(ESCAPED).length - 1).toBe(4);
  });

  it('says when the two systems agree', () => {
    const page = norm(
      stockPage({
        base: BASE,
        reading: {
          state: 'done',
          value: stock({
            differences: [],
            explainedByReturns: 0,
            unexplained: 0,
            notCompared: [],
            warnings: [],
          }),
          durationMs: 5,
        },
      }),
    );
    expect(page).toContain('the same stock for every compared code');
    expect(page).not.toContain('Not explained');
  });
});
