import type { StockReportWithWarnings } from '../../../reports/read-stock.ts';
import type { NotCompared, StockDifference } from '../../../reports/stock-report.ts';
import { when } from '../format.ts';
import { html, type Html } from '../../../util/html.ts';
import { readingStatus, signed, type Reading } from './reading.ts';

export interface StockPageData {
  /** `/connections/<slug>`. */
  base: string;
  reading: Reading<StockReportWithWarnings>;
  /** The session's CSRF field; without it a held code offers no overwrite. */
  csrf?: Html;
}

function summary(r: StockReportWithWarnings): Html {
  const what =
    r.basis === 'linked-codes'
      ? `${r.compared} linked codes compared`
      : `${r.compared} codes present in both systems compared (no import has linked any yet)`;
  const since = r.since
    ? `returns counted since the last completed import (${when(r.since)})`
    : 'no import has completed, so every return in the store counts';
  return html`<p>${what}; ${since}.</p>
    ${
      r.differences.length === 0
        ? html`<p class="notice ok">NetBaron and the store have the same stock for every compared code.</p>`
        : html`<p>
            ${r.differences.length} differences: ${r.explainedByReturns} explained by returns,
            ${r.unexplained} not (or only in part).
          </p>`
    }`;
}

function heldCell(d: StockPageData, row: StockDifference): Html {
  if (!row.held) return html``;
  return html`<br /><span class="state state-held">held</span> ${
      d.csrf
        ? html`<form
            method="post"
            action="${d.base}/holds/overwrite"
            class="inline"
            data-confirm="Write NetBaron's balance (${row.netbaronQuantity}) over the store's stock of ${row.code} (${row.storeQuantity})?"
          >
            ${d.csrf}<input type="hidden" name="code" value="${row.code}" /><button
              type="submit"
              class="link"
            >
              Overwrite with NetBaron's balance
            </button>
          </form>`
        : ''
    }`;
}

function differences(d: StockPageData, title: string, rows: readonly StockDifference[]): Html {
  if (rows.length === 0) return html``;
  return html`<h2>${title}</h2>
    <table>
      <thead>
        <tr>
          <th>Code</th>
          <th class="num">NetBaron</th>
          <th class="num">Store</th>
          <th class="num">Difference</th>
          <th class="num">Explained by returns</th>
          <th>What to do in NetBaron</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (row) =>
            html`<tr>
              <td>${row.code}${heldCell(d, row)}</td>
              <td class="num">${row.netbaronBalance}</td>
              <td class="num">${row.storeQuantity}</td>
              <td class="num">${signed(row.difference)}</td>
              <td class="num">${signed(row.explainedByReturns)}</td>
              <td>${row.action}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

function notCompared(rows: readonly NotCompared[]): Html {
  if (rows.length === 0) return html``;
  return html`<h2>Not compared</h2>
    <table>
      <thead>
        <tr>
          <th>Code</th>
          <th>Why</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (n) =>
            html`<tr>
              <td>${n.code}</td>
              <td>${n.reason}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

function warnings(list: readonly string[]): Html {
  if (list.length === 0) return html``;
  return html`<div class="notice warn">
    <p>The report may be incomplete:</p>
    <ul>
      ${list.map((w) => html`<li>${w}</li>`)}
    </ul>
  </div>`;
}

function report(d: StockPageData, r: StockReportWithWarnings): Html {
  const held = r.differences.filter((x) => x.held).length;
  return html`${summary(r)} ${warnings(r.warnings)}
  ${
    held > 0
      ? html`<p class="notice warn">
          ${held === 1 ? '1 code is held' : `${held} codes are held`}: the import leaves their stock as it is
          until NetBaron has the store's returns.
        </p>`
      : ''
  }
  ${differences(
    d,
    'Explained by returns in the store',
    r.differences.filter((d) => d.status === 'returns'),
  )}
  ${differences(
    d,
    'Not explained by returns',
    r.differences.filter((d) => d.status !== 'returns'),
  )}
  ${notCompared(r.notCompared)}`;
}

export function stockPage(d: StockPageData): Html {
  return html`<h1>Stock report</h1>
    <p>
      Compares NetBaron's stock balance with the store's quantity for every product code the import keeps in
      step, and tells which differences returns in the store explain. A return puts the goods back into the
      store's stock, but not into NetBaron's: add them in NetBaron. Until NetBaron's balance includes them,
      the import holds the code and writes none of its stock, so the returns are never overwritten unseen.
      This report writes nothing to either system.
    </p>
    ${readingStatus(d.reading, { url: `${d.base}/stock`, runLabel: 'Run the stock report' })}
    ${d.reading.state === 'done' ? report(d, d.reading.value) : ''}`;
}
