import { describe, expect, it } from 'vitest';
import { importProducts } from '../../src/catalog/import-products.ts';
import { formatStoreTimestamp } from '../../src/mycashflow/timestamps.ts';
import type { InvalidNbProduct } from '../../src/netbaron/client.ts';
import type { NbProduct } from '../../src/netbaron/wire/products.ts';
import { readStockReport, type ImportHistory } from '../../src/reports/read-stock.ts';
import { nbDeleted, nbProduct } from '../helpers/catalog-builders.ts';
import {
  fakeConnection,
  fakeMyCashflow,
  fakeNetBaron,
  mcfItem,
  type RawItem,
} from '../helpers/fake-clients.ts';
import { memoryImportStore } from '../helpers/memory-import-store.ts';

/*
 * The stock report read from in-memory systems: a store and a NetBaron that page their data like the
 * real clients (fake-clients.ts), and the import history as a function. The comparison itself is
 * tested in reports-stock-report.test.ts; the same report runs on PostgreSQL and the simulators in
 * test/integration/report-stock.test.ts.
 */

// The last import began reading at 12:00:00.600 Helsinki time on 18 November.
const LAST_IMPORT = new Date('2026-11-18T10:00:00.600Z');

const history =
  (h: Partial<ImportHistory> = {}) =>
  async (slug: string): Promise<ImportHistory> => {
    expect(slug).toBe('shop');
    return { linkedCodes: new Set(), lastImportAt: LAST_IMPORT, holds: new Map(), ...h };
  };

function scene(setup: {
  store: RawItem[];
  netbaron: NbProduct[];
  invalid?: InvalidNbProduct[];
  stockChanges?: Array<Record<string, unknown>>;
}) {
  const mcf = fakeMyCashflow({ products: setup.store, stockChanges: setup.stockChanges ?? [] });
  const nb = fakeNetBaron({ products: setup.netbaron, invalid: setup.invalid ?? [] });
  const report = (h: (slug: string) => Promise<ImportHistory>) =>
    readStockReport({ history: h, connection: fakeConnection(), mcf: mcf.api, nb: nb.api });
  return { mcf, nb, report };
}

/** A stock change as MyCashflow sends it, for the stock item of `mcfItem(id, …)`. */
const stockChange = (id: number, itemOf: number, change: number, sourceType: string, changedAt: string) => ({
  id,
  changed_at: changedAt,
  source_type: sourceType,
  stock_item_id: 1000 + itemOf,
  quantity: 0,
  quantity_change: change,
});

describe('readStockReport', () => {
  it('finds no difference when every linked code has the same stock, reading and writing nothing else', async () => {
    const { report, mcf, nb } = scene({
      // Three to a listing page of two: the report reads every page.
      store: [
        mcfItem(1, 'A', { quantity: 5 }),
        mcfItem(2, 'B', { quantity: 0 }),
        mcfItem(3, 'C', { quantity: 12 }),
      ],
      netbaron: [
        nbProduct('A', { quantity: '5' }),
        nbProduct('B', { quantity: '0' }),
        nbProduct('C', { quantity: '12.000' }),
      ],
    });
    const r = await report(history({ linkedCodes: new Set(['A', 'B', 'C']) }));
    expect(r).toStrictEqual({
      differences: [],
      explainedByReturns: 0,
      unexplained: 0,
      since: LAST_IMPORT.toISOString(),
      basis: 'linked-codes',
      compared: 3,
      notCompared: [],
      warnings: [],
    });
    // NetBaron's balances of the connection's marketplace; the store's returns since the last import.
    expect(nb.asked).toEqual([expect.objectContaining({ marketplace: '3', quantity: true })]);
    expect(mcf.asked.stockChangesFrom).toEqual([formatStoreTimestamp(LAST_IMPORT)]);
    expect(mcf.writes()).toEqual([]);
  });

  it('reports a difference, and tells the part a return since the last import explains', async () => {
    const { report } = scene({
      store: [
        mcfItem(1, 'A', { quantity: 7 }),
        mcfItem(2, 'B', { quantity: 4 }),
        mcfItem(3, 'C', { quantity: 9 }),
      ],
      netbaron: [
        nbProduct('A', { quantity: '5' }),
        nbProduct('B', { quantity: '6' }),
        nbProduct('C', { quantity: '6' }),
      ],
      stockChanges: [
        stockChange(1, 1, 2, 'order_return', '2026-11-20T14:03:00+02:00'),
        // Before the last import: its balance already held this one.
        stockChange(2, 3, 3, 'return', '2026-11-17T09:00:00+02:00'),
      ],
    });
    const r = await report(history({ linkedCodes: new Set(['A', 'B', 'C']) }));
    expect(r.differences.map((d) => [d.code, d.difference, d.explainedByReturns, d.status])).toEqual([
      ['A', 2, 2, 'returns'],
      ['B', -2, 0, 'unexplained'],
      ['C', 3, 0, 'unexplained'],
    ]);
    expect(r.differences[0]).toMatchObject({
      netbaronBalance: '5',
      storeQuantity: 7,
      returns: [{ date: '2026-11-20', quantity: 2 }],
      action: 'add 2 to A in NetBaron: 2 returned on 2026-11-20',
    });
    expect(r.differences[1]!.action).toContain('check B: the store has 2 fewer than NetBaron');
    expect(r).toMatchObject({ compared: 3, explainedByReturns: 1, unexplained: 2 });
  });

  it('lists a linked code missing on one side as not compared, and compares the rest', async () => {
    const { report } = scene({
      store: [mcfItem(1, 'A', { quantity: 5 }), mcfItem(2, 'ONLY-STORE'), mcfItem(3, 'GONE-NB')],
      netbaron: [nbProduct('A', { quantity: '4' }), nbProduct('ONLY-NB'), nbDeleted('GONE-NB')],
    });
    const r = await report(history({ linkedCodes: new Set(['A', 'ONLY-STORE', 'ONLY-NB', 'GONE-NB']) }));
    expect(r.compared).toBe(1);
    expect(r.differences.map((d) => d.code)).toEqual(['A']);
    expect(r.notCompared).toEqual([
      { code: 'GONE-NB', reason: 'GONE-NB is deleted in NetBaron or no longer in the marketplace' },
      { code: 'ONLY-NB', reason: 'ONLY-NB is not in the store' },
      { code: 'ONLY-STORE', reason: "ONLY-STORE is not in NetBaron's listing of the marketplace" },
    ]);
  });

  it('before any import, compares the codes in both systems and counts every return', async () => {
    const { report, mcf } = scene({
      store: [mcfItem(1, 'A', { quantity: 8 }), mcfItem(2, 'ONLY-STORE')],
      netbaron: [nbProduct('A', { quantity: '5' }), nbProduct('ONLY-NB')],
      stockChanges: [stockChange(1, 1, 3, 'return', '2026-01-05T10:00:00+02:00')],
    });
    const r = await report(history({ lastImportAt: null }));
    expect(mcf.asked.stockChangesFrom).toEqual([undefined]);
    expect(r).toMatchObject({ basis: 'codes-in-both-systems', since: null, compared: 1, notCompared: [] });
    expect(r.differences).toEqual([
      expect.objectContaining({ code: 'A', difference: 3, explainedByReturns: 3, status: 'returns' }),
    ]);
  });

  it('reports what it could not read instead of failing: a NetBaron product and a stock change', async () => {
    const { report } = scene({
      store: [mcfItem(1, 'A', { quantity: 5 }), mcfItem(2, 'B', { quantity: 5 })],
      netbaron: [nbProduct('A', { quantity: '5' })],
      invalid: [{ code: 'B', reason: 'Quantity: is not a decimal number' }],
      stockChanges: [
        { id: 7, changed_at: 'yesterday', stock_item_id: 1001, quantity: 5, quantity_change: 1 },
      ],
    });
    const r = await report(history({ linkedCodes: new Set(['A', 'B']) }));
    expect(r.compared).toBe(1);
    expect(r.notCompared).toEqual([
      {
        code: 'B',
        reason: "NetBaron's data for B could not be read (Quantity: is not a decimal number)",
      },
    ]);
    expect(r.warnings).toEqual([expect.stringMatching(/^stock change 7 could not be read: changed_at/)]);
  });

  it('after an import on the same systems finds no difference, and explains a later return by it', async () => {
    const memory = memoryImportStore();
    const { report, mcf, nb } = scene({
      store: [mcfItem(1, 'A', { quantity: 2 }), mcfItem(2, 'B', { quantity: 2 })],
      netbaron: [nbProduct('A', { quantity: '5' }), nbProduct('B', { quantity: '5' })],
    });
    const connection = fakeConnection();
    const imported = await importProducts({ runs: memory.store, connection, mcf: mcf.api, nb: nb.api });
    expect(imported.summary).toMatchObject({ status: 'completed', updated: 2 });

    const after = await report(memory.history);
    expect(after).toMatchObject({ basis: 'linked-codes', compared: 2, differences: [], warnings: [] });
    expect(after.since).toBe(memory.run(imported.summary.runId)!.readAt!.toISOString());

    mcf.changeStock('A', 1, 'return');
    const r = await report(memory.history);
    expect(r.differences).toEqual([
      expect.objectContaining({ code: 'A', storeQuantity: 6, difference: 1, status: 'returns', held: false }),
    ]);
  });
});
