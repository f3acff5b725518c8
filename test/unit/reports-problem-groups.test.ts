import { describe, expect, it } from 'vitest';
import { decodeCause, encodeCause, type OrderCause } from '../../src/orders/order-cause.ts';
import {
  connectionGroups,
  groupCatalogProblems,
  groupOrderProblems,
  ordersOfGroup,
  sortGroups,
  type OrderProblemRow,
} from '../../src/reports/problem-groups.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 10, minute));
const order = (id: number, state: string, cause: string | null, minute = id): OrderProblemRow => ({
  order_id: String(id),
  state,
  cause,
  reason: `reason of ${id}`,
  received_at: at(minute),
});

describe('order causes', () => {
  it('survive being stored and read back, names with colons included', () => {
    const causes: OrderCause[] = [
      { kind: 'payment-method', name: 'Lasku: 14 pv' },
      { kind: 'netbaron-refused', error: 'validation', code: 'UNKNOWN_ARTICLE' },
      { kind: 'netbaron-refused', error: 'authentication' },
      { kind: 'retry-later', error: 'unavailable' },
      { kind: 'order-data' },
      { kind: 'duplicates-in-netbaron' },
      { kind: 'outcome-unknown' },
      { kind: 'read-back-failed' },
      { kind: 'paused' },
    ];
    for (const cause of causes) expect(decodeCause(encodeCause(cause))).toEqual(cause);
    expect(decodeCause(null)).toBeUndefined();
    expect(decodeCause('something-new')).toBeUndefined();
  });
});

describe('groupOrderProblems', () => {
  const rows = [
    ...[1, 2, 3, 4, 5].map((id) => order(id, 'waiting', 'payment-method:Klarna', 10 + id)),
    order(6, 'waiting', 'payment-method:Lasku'),
    order(7, 'waiting', 'netbaron-refused:authentication', 1),
    order(8, 'waiting', 'netbaron-refused:authentication', 2),
    order(9, 'outcome-unknown', 'read-back-failed'),
    order(10, 'outcome-unknown', 'outcome-unknown'),
    order(11, 'received', 'retry-later:unavailable'),
    order(12, 'sending', null),
    order(13, 'waiting', null),
    order(14, 'waiting', 'order-data'),
  ];
  const groups = groupOrderProblems(rows, 15);
  const byKey = new Map(groups.map((g) => [g.key, g]));

  it('makes one group per cause: five Klarna orders are one entry with one fix', () => {
    const klarna = byKey.get('orders:payment-method:Klarna')!;
    expect(klarna.title).toBe('Payment method "Klarna" is unknown to NetBaron (5 orders wait)');
    expect(klarna.fix).toContain('named exactly "Klarna"');
    expect(klarna.count).toBe(5);
    expect(klarna.items.map((i) => i.label)).toEqual(['1', '2', '3', '4', '5']);
    expect(klarna.items[0]).toEqual({ label: '1', link: '/orders/1', detail: 'reason of 1' });
    expect(klarna.since).toEqual(at(11));
    expect(klarna.action).toEqual({
      label: 'Retry these 5 orders',
      path: '/problems/retry-orders',
      fields: { group: 'orders:payment-method:Klarna' },
    });
    expect(byKey.get('orders:payment-method:Lasku')!.action!.label).toBe('Retry this order');
  });

  it('words refusals, unclear outcomes and stuck orders by what to do', () => {
    expect(byKey.get('orders:netbaron-refused:authentication')!.title).toBe(
      'NetBaron refuses the Order API password (2 orders wait)',
    );
    const unknown = byKey.get('orders:outcome-unknown')!;
    expect(unknown.count).toBe(2);
    expect(unknown.title).toBe('Not known whether NetBaron received 2 orders');
    expect(unknown.action!.label).toBe('Ask NetBaron again');
    expect(byKey.get('orders:unsent:unavailable')!.title).toBe(
      'NetBaron is not answering: 1 order is not sent yet',
    );
    expect(byKey.get('orders:unsent')!.title).toBe('1 order has not been sent for over 15 minutes');
    expect(byKey.get('orders:waiting')!.title).toBe('1 order waits for you');
    expect(byKey.get('orders:order-data')!.title).toBe('1 order lacks details NetBaron needs');
    expect(groups).toHaveLength(8);
    // Oldest cause first.
    expect(groups[0]!.key).toBe('orders:netbaron-refused:authentication');
  });

  it('finds the orders of a group again for its bulk action, and only those', () => {
    expect(ordersOfGroup(rows, 'orders:payment-method:Klarna')).toEqual([1, 2, 3, 4, 5]);
    expect(ordersOfGroup(rows, 'orders:outcome-unknown')).toEqual([9, 10]);
    expect(ordersOfGroup(rows, 'orders:nothing-like-this')).toEqual([]);
  });
});

describe('groupCatalogProblems', () => {
  const run = { id: '7', status: 'completed', error: null, guard: {}, created_at: at(0) };

  it('groups failed writes by what was written and how the store answered', () => {
    const groups = groupCatalogProblems({
      writeRun: run,
      failedWrites: [
        ...Array.from({ length: 3 }, (_, i) => ({
          code: `A-${i}`,
          kind: 'set-stock',
          error: 'conflict',
          status: 409,
          total: 17,
        })),
        { code: 'B-1', kind: 'update-product', error: 'gone', status: 404, total: 1 },
      ],
      findings: [],
    });
    expect(groups.map((g) => g.key)).toEqual([
      'catalog:write-failed:set-stock:409',
      'catalog:write-failed:update-product:404',
    ]);
    const stock = groups[0]!;
    expect(stock.title).toBe('MyCashflow refused 17 stock changes (409)');
    expect(stock.count).toBe(17);
    expect(stock.items).toHaveLength(3);
    expect(stock.items[0]!.link).toBe('/runs/7?code=A-0');
    expect(stock.action).toEqual({
      label: 'Retry these 17 codes',
      path: '/runs/7/retry-failed',
      fields: { group: 'catalog:write-failed:set-stock:409' },
    });
    expect(groups[1]!.title).toBe('MyCashflow refused 1 product update (404)');
    expect(groups[1]!.action!.label).toBe('Retry this code');
  });

  it("groups a plan's findings by kind, notices marked, the run's own failure first", () => {
    const groups = groupCatalogProblems({
      writeRun: { ...run, status: 'failed', error: 'MyCashflow refused the API key' },
      failedWrites: [],
      findingsRun: run,
      findings: [
        { kind: 'duplicate-code-in-store', code: 'X', reason: 'twice', total: 2 },
        { kind: 'duplicate-code-in-store', code: 'Y', reason: 'twice', total: 2 },
        { kind: 'negative-quantity', code: 'Z', reason: '-1', total: 1 },
        { kind: 'write-failed', code: 'W', reason: 'counted from the actions instead' },
      ],
    });
    expect(groups.map((g) => [g.key, g.severity, g.count])).toEqual([
      ['catalog:run-failed', 'error', 1],
      ['catalog:duplicate-code-in-store', 'error', 2],
      ['catalog:negative-quantity', 'warning', 1],
    ]);
    expect(groups[0]!.items[0]!.detail).toBe('MyCashflow refused the API key');
    expect(groups[1]!.title).toBe('2 product codes are used more than once in the store');
  });
});

describe('sortGroups', () => {
  it('puts the connection first, then orders (money waits), then products; errors before notices', () => {
    const catalog = groupCatalogProblems({
      findingsRun: { id: '1', status: 'completed', error: null, guard: {}, created_at: at(0) },
      findings: [
        { kind: 'negative-quantity', code: 'Z', reason: '-1' },
        { kind: 'missing-price', code: 'P', reason: 'none' },
      ],
      failedWrites: [],
    });
    const orders = groupOrderProblems([order(1, 'waiting', 'order-data')], 15);
    const sorted = sortGroups([...catalog, ...orders, ...connectionGroups(['the API key'], false)]);
    expect(sorted.map((g) => g.key)).toEqual([
      'connection:settings',
      'orders:order-data',
      'catalog:missing-price',
      'catalog:negative-quantity',
    ]);
  });
});
