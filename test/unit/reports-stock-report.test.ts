import { describe, expect, it } from 'vitest';
import type { McfProduct } from '../../src/mycashflow/schemas.ts';
import { storeStockPlaces } from '../../src/reports/read-stock.ts';
import { isReturnChange, type StockChangeEntry } from '../../src/catalog/returns.ts';
import {
  buildStockReport,
  type NetBaronStockEntry,
  type StockReportInput,
  type StoreStockPlace,
} from '../../src/reports/stock-report.ts';

// The last import finished at 12:00:00.600 Helsinki time (10:00:00.600 UTC) on 18 November.
const SINCE = new Date('2026-11-18T10:00:00.600Z');

const nb = (code: string, quantity?: string, deleted = false): NetBaronStockEntry => ({
  code,
  quantity,
  deleted,
});

let nextItem = 100;
const place = (code: string, quantity: number | null, stockItemId?: number): StoreStockPlace => ({
  code,
  where: `product for ${code}`,
  stockItemId: quantity === null ? null : (stockItemId ?? nextItem++),
  quantity,
});

const change = (
  stockItemId: number,
  quantityChange: number,
  changedAt = '2026-11-20T14:03:00+02:00',
  sourceType: string | null = 'return',
): StockChangeEntry => ({ stockItemId, changedAt, sourceType, quantityChange });

function report(overrides: Partial<StockReportInput> & Pick<StockReportInput, 'store'>) {
  return buildStockReport({
    netbaron: { products: [], invalid: [] },
    stockChanges: [],
    linkedCodes: new Set(),
    since: SINCE,
    ...overrides,
  });
}

describe('isReturnChange: the return rule', () => {
  it.each(['return', 'RETURN', 'order_return', 'OrderReturn', 'return-to-stock', 'returned'])(
    '%j is a return',
    (sourceType) => expect(isReturnChange(sourceType)).toBe(true),
  );
  it.each(['order', 'api', 'manual', 'admin', 'integration', 'refund', 'retur', '', null, undefined])(
    '%j is not',
    (sourceType) => expect(isReturnChange(sourceType)).toBe(false),
  );
});

describe('buildStockReport', () => {
  it('lists nothing when every linked code has the same stock, and counts what it compared', () => {
    const r = report({
      netbaron: { products: [nb('A', '5'), nb('B', '0'), nb('C', '12.000')], invalid: [] },
      store: [place('A', 5), place('B', 0), place('C', 12)],
      linkedCodes: new Set(['A', 'B', 'C']),
    });
    expect(r).toStrictEqual({
      differences: [],
      explainedByReturns: 0,
      unexplained: 0,
      since: '2026-11-18T10:00:00.600Z',
      basis: 'linked-codes',
      compared: 3,
      notCompared: [],
    });
  });

  it('marks a difference that a return explains and says what to add in NetBaron', () => {
    const r = report({
      netbaron: { products: [nb('TS-100-M', '5')], invalid: [] },
      store: [place('TS-100-M', 7, 31)],
      stockChanges: [change(31, 2, '2026-11-20T14:03:00+02:00', 'order_return')],
      linkedCodes: new Set(['TS-100-M']),
    });
    expect(r.differences).toStrictEqual([
      {
        code: 'TS-100-M',
        netbaronBalance: '5',
        netbaronQuantity: 5,
        storeQuantity: 7,
        difference: 2,
        explainedByReturns: 2,
        unexplained: 0,
        returns: [{ date: '2026-11-20', quantity: 2 }],
        status: 'returns',
        held: false,
        action: 'add 2 to TS-100-M in NetBaron: 2 returned on 2026-11-20',
      },
    ]);
    expect(r.explainedByReturns).toBe(1);
    expect(r.unexplained).toBe(0);
  });

  it('explains a held code by the returns its hold counted before the last import, and says the import leaves it', () => {
    const r = report({
      netbaron: { products: [nb('TS-100-M', '5')], invalid: [] },
      store: [place('TS-100-M', 7, 31)],
      linkedCodes: new Set(['TS-100-M']),
      holds: new Map([['TS-100-M', { returned: 2, since: '2026-11-20' }]]),
    });
    expect(r.differences).toHaveLength(1);
    expect(r.differences[0]).toMatchObject({
      held: true,
      status: 'returns',
      explainedByReturns: 2,
      returns: [{ date: '2026-11-20', quantity: 2 }],
    });
    expect(r.differences[0]!.action).toBe(
      "held: the import leaves the store's 7 as it is until NetBaron has the returns; add 2 to TS-100-M in NetBaron: 2 returned on 2026-11-20",
    );
  });

  it('sums several returns of a code per day and names each day', () => {
    const r = report({
      netbaron: { products: [nb('SUKKA-1', '10')], invalid: [] },
      store: [place('SUKKA-1', 14, 7)],
      stockChanges: [
        change(7, 1, '2026-11-22T09:00:00+02:00'),
        change(7, 2, '2026-11-20T10:00:00+02:00'),
        change(7, 1, '2026-11-20T16:30:00+02:00'),
        // An order that the store shipped in between is no return.
        change(7, -1, '2026-11-21T08:00:00+02:00', 'order'),
      ],
      linkedCodes: new Set(['SUKKA-1']),
    });
    expect(r.differences[0]).toMatchObject({
      difference: 4,
      explainedByReturns: 4,
      returns: [
        { date: '2026-11-20', quantity: 3 },
        { date: '2026-11-22', quantity: 1 },
      ],
      action: 'add 4 to SUKKA-1 in NetBaron: 4 returned (3 on 2026-11-20, 1 on 2026-11-22)',
    });
  });

  it('dates a return by the calendar in Helsinki when the store sends UTC or no offset', () => {
    const r = report({
      netbaron: { products: [nb('SUKKA-1', '10')], invalid: [] },
      store: [place('SUKKA-1', 13, 7)],
      stockChanges: [
        // 22:30 UTC on 20 November is 00:30 on the 21st in Helsinki.
        change(7, 1, '2026-11-20T22:30:00Z'),
        change(7, 2, '2026-11-21T00:15:00'),
      ],
      linkedCodes: new Set(['SUKKA-1']),
    });
    expect(r.differences[0]).toMatchObject({
      returns: [{ date: '2026-11-21', quantity: 3 }],
      action: 'add 3 to SUKKA-1 in NetBaron: 3 returned on 2026-11-21',
    });
  });

  it('explains only part of a larger difference and lists the rest as unexplained', () => {
    const r = report({
      netbaron: { products: [nb('KAHVI-1', '20')], invalid: [] },
      store: [place('KAHVI-1', 23, 1)],
      stockChanges: [change(1, 2)],
      linkedCodes: new Set(['KAHVI-1']),
    });
    expect(r.differences[0]).toMatchObject({
      difference: 3,
      explainedByReturns: 2,
      unexplained: 1,
      status: 'partly-returns',
      action:
        "add 2 to KAHVI-1 in NetBaron: 2 returned on 2026-11-20; then check KAHVI-1: the store has 1 more still, which no return since the last import explains; the next import sets the store to 20, so if the store's 23 is right, correct NetBaron first",
    });
    expect([r.explainedByReturns, r.unexplained]).toEqual([0, 1]);
  });

  it('never explains more than the difference when more was returned than is missing in NetBaron', () => {
    const r = report({
      netbaron: { products: [nb('MUKI-1', '6')], invalid: [] },
      store: [place('MUKI-1', 8, 4)],
      stockChanges: [change(4, 3)],
      linkedCodes: new Set(['MUKI-1']),
    });
    expect(r.differences[0]).toMatchObject({
      difference: 2,
      explainedByReturns: 2,
      unexplained: 0,
      status: 'returns',
      action: 'add 2 to MUKI-1 in NetBaron: 3 returned on 2026-11-20, of which 2 are not in NetBaron yet',
    });
  });

  it('does not explain a difference in the other direction than the returns', () => {
    const r = report({
      netbaron: { products: [nb('LAMPPU-1', '5')], invalid: [] },
      store: [place('LAMPPU-1', 3, 9)],
      stockChanges: [change(9, 2)],
      linkedCodes: new Set(['LAMPPU-1']),
    });
    expect(r.differences[0]).toMatchObject({
      difference: -2,
      explainedByReturns: 0,
      unexplained: -2,
      status: 'unexplained',
      action:
        "check LAMPPU-1: the store has 2 fewer than NetBaron and no return since the last import explains them; the next import sets the store to 5, so if the store's 3 is right, correct NetBaron first",
    });
  });

  it('tells to take stock off NetBaron when a return was reversed in the store', () => {
    const r = report({
      netbaron: { products: [nb('KYNÄ-1', '10')], invalid: [] },
      store: [place('KYNÄ-1', 9, 6)],
      stockChanges: [change(6, -1, '2026-11-21T11:00:00+02:00', 'return')],
      linkedCodes: new Set(['KYNÄ-1']),
    });
    expect(r.differences[0]).toMatchObject({
      difference: -1,
      explainedByReturns: -1,
      unexplained: 0,
      status: 'returns',
      action: 'take 1 off KYNÄ-1 in NetBaron: returns were reversed in the store (-1 on 2026-11-21)',
    });
  });

  it('counts only returns since the last import, including the second in which it finished', () => {
    const r = report({
      netbaron: { products: [nb('A', '1')], invalid: [] },
      store: [place('A', 4, 1)],
      stockChanges: [
        change(1, 5, '2026-11-18T11:59:59+02:00'), // before the import: its balance is already in NetBaron
        change(1, 1, '2026-11-18T12:00:00+02:00'), // same second as the finish (12:00:00.600)
        change(1, 2, '2026-11-19T08:00:00+02:00'),
      ],
      linkedCodes: new Set(['A']),
    });
    expect(r.differences[0]).toMatchObject({
      difference: 3,
      explainedByReturns: 3,
      returns: [
        { date: '2026-11-18', quantity: 1 },
        { date: '2026-11-19', quantity: 2 },
      ],
    });
  });

  it('counts every return when no import has completed, and says so', () => {
    const r = report({
      netbaron: { products: [nb('A', '1'), nb('B', '4')], invalid: [] },
      store: [place('A', 3, 1), place('B', 5, 2)],
      stockChanges: [change(1, 2, '2020-01-01T00:00:00+02:00')],
      since: null,
    });
    expect(r.since).toBeNull();
    expect(r.differences.map((d) => [d.code, d.status])).toEqual([
      ['A', 'returns'],
      ['B', 'unexplained'],
    ]);
    expect(r.differences[1]!.action).toContain('no return explains it;');
  });

  it('keeps returns of other stock items out of a code', () => {
    const r = report({
      netbaron: { products: [nb('A', '1'), nb('B', '1')], invalid: [] },
      store: [place('A', 3, 1), place('B', 1, 2)],
      stockChanges: [change(2, 2), change(99, 2)],
      linkedCodes: new Set(['A', 'B']),
    });
    expect(r.differences).toHaveLength(1);
    expect(r.differences[0]).toMatchObject({ code: 'A', explainedByReturns: 0, returns: [] });
  });

  it('compares on the whole quantity an import writes: fractional and negative balances are adjusted first', () => {
    const r = report({
      netbaron: { products: [nb('F', '4.75'), nb('N', '-2'), nb('Z', '-0.5')], invalid: [] },
      store: [place('F', 4, 1), place('N', 2, 2), place('Z', 0, 3)],
      stockChanges: [change(2, 2)],
      linkedCodes: new Set(['F', 'N', 'Z']),
    });
    expect(r.compared).toBe(3);
    expect(r.differences).toHaveLength(1);
    expect(r.differences[0]).toMatchObject({
      code: 'N',
      netbaronBalance: '-2',
      netbaronQuantity: 0,
      difference: 2,
      explainedByReturns: 2,
      action:
        "add 2 to N in NetBaron: 2 returned on 2026-11-20 (NetBaron's balance is -2; the import counts it as 0)",
    });
  });

  it('compares only linked codes when imports have linked some', () => {
    const r = report({
      netbaron: { products: [nb('LINKED', '1'), nb('OTHER', '1')], invalid: [] },
      store: [place('LINKED', 2, 1), place('OTHER', 9, 2)],
      linkedCodes: new Set(['LINKED']),
    });
    expect(r.basis).toBe('linked-codes');
    expect(r.differences.map((d) => d.code)).toEqual(['LINKED']);
  });

  it('compares every code present in both systems before any import has linked codes', () => {
    const r = report({
      netbaron: { products: [nb('BOTH-2', '1'), nb('BOTH-1', '1'), nb('NB-ONLY', '1')], invalid: [] },
      store: [place('BOTH-1', 2), place('BOTH-2', 3), place('STORE-ONLY', 5)],
      linkedCodes: new Set(),
    });
    expect(r.basis).toBe('codes-in-both-systems');
    expect(r.compared).toBe(2);
    expect(r.differences.map((d) => [d.code, d.difference])).toEqual([
      ['BOTH-1', 1],
      ['BOTH-2', 2],
    ]);
    expect(r.notCompared).toEqual([]);
  });

  it('lists every linked code it cannot compare, with the reason', () => {
    const r = report({
      netbaron: {
        products: [
          nb('GONE', '1', true),
          nb('TWICE', '1'),
          nb('TWICE', '2'),
          nb('NO-BALANCE'),
          nb('STORE-MISSING', '3'),
          nb('DUP-STORE', '3'),
          nb('TS-100', '8'),
        ],
        invalid: [{ code: 'BROKEN', reason: 'VatPercent is not a number' }],
      },
      store: [
        place('GONE', 1),
        place('TWICE', 1),
        place('NO-BALANCE', 1),
        place('DUP-STORE', 3),
        place('DUP-STORE', 3),
        place('TS-100', null),
        place('BROKEN', 1),
        place('NOT-IN-NB', 1),
      ],
      linkedCodes: new Set([
        'GONE',
        'TWICE',
        'NO-BALANCE',
        'STORE-MISSING',
        'DUP-STORE',
        'TS-100',
        'BROKEN',
        'NOT-IN-NB',
      ]),
    });
    expect(r.compared).toBe(0);
    expect(r.differences).toEqual([]);
    expect(r.notCompared).toEqual([
      { code: 'BROKEN', reason: "NetBaron's data for BROKEN could not be read (VatPercent is not a number)" },
      {
        code: 'DUP-STORE',
        reason: 'DUP-STORE is used 2 times in the store (product for DUP-STORE; product for DUP-STORE)',
      },
      { code: 'GONE', reason: 'GONE is deleted in NetBaron or no longer in the marketplace' },
      { code: 'NO-BALANCE', reason: 'NetBaron sent no stock balance for NO-BALANCE' },
      { code: 'NOT-IN-NB', reason: "NOT-IN-NB is not in NetBaron's listing of the marketplace" },
      { code: 'STORE-MISSING', reason: 'STORE-MISSING is not in the store' },
      {
        code: 'TS-100',
        reason:
          'TS-100 is product for TS-100 in the store, which has no stock item of its own (stock is kept per variation)',
      },
      { code: 'TWICE', reason: "TWICE appears 2 times in NetBaron's listing" },
    ]);
  });

  it('reports a balance it cannot read instead of guessing', () => {
    const r = report({
      netbaron: { products: [nb('X', '1e3')], invalid: [] },
      store: [place('X', 1)],
      linkedCodes: new Set(['X']),
    });
    expect(r.notCompared).toEqual([
      { code: 'X', reason: 'X: stock balance "1e3" is not a number in NetBaron' },
    ]);
  });

  it('keeps exact integers for large balances and orders the differences by code', () => {
    const big = '9007199254740000';
    const r = report({
      netbaron: { products: [nb('Z', big), nb('A', '0')], invalid: [] },
      store: [place('Z', 9007199254740990, 1), place('A', 1, 2)],
      linkedCodes: new Set(['Z', 'A']),
    });
    expect(r.differences.map((d) => [d.code, d.difference])).toEqual([
      ['A', 1],
      ['Z', 990],
    ]);
  });

  it('counts a partly explained difference as unexplained, so the two counts add up to the list', () => {
    const r = report({
      netbaron: { products: [nb('A', '1'), nb('B', '1'), nb('C', '1')], invalid: [] },
      store: [place('A', 2, 1), place('B', 4, 2), place('C', 0, 3)],
      stockChanges: [change(1, 1), change(2, 1)],
      linkedCodes: new Set(['A', 'B', 'C']),
    });
    expect(r.differences.map((d) => d.status)).toEqual(['returns', 'partly-returns', 'unexplained']);
    expect([r.explainedByReturns, r.unexplained]).toEqual([1, 2]);
  });
});

describe('storeStockPlaces', () => {
  const item = (id: number, quantity: number) => ({ id, quantity, reserved: 0, balance: quantity });
  it('gives every coded product and variation its stock item; a product with variations has none', () => {
    const products = [
      { id: 1, product_code: 'KAHVI-1', name: 'Kahvi', stock_item: item(11, 20), variations: [] },
      {
        id: 3,
        product_code: 'TS-100',
        name: 'T-paita',
        stock_item: null,
        variations: [
          { id: 31, product_id: 3, product_code: 'TS-100-S', stock_item: item(131, 3) },
          { id: 32, product_id: 3, product_code: null, stock_item: item(132, 5) },
        ],
      },
      { id: 4, product_code: null, name: 'No code', stock_item: item(14, 1) },
    ] as unknown as McfProduct[];
    expect(storeStockPlaces(products)).toEqual([
      { code: 'KAHVI-1', where: 'product 1', stockItemId: 11, quantity: 20 },
      { code: 'TS-100', where: 'product 3 (with variations)', stockItemId: null, quantity: null },
      { code: 'TS-100-S', where: 'variation 31 of product 3', stockItemId: 131, quantity: 3 },
    ]);
  });
});
