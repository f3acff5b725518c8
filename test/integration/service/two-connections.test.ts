import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulators } from '../../../simulators/scenario.ts';
import type { ConnectionRecord } from '../../../src/connections/connection-store.ts';
import { enqueueImport } from '../../../src/jobs/import-jobs.ts';
import { smallScenario } from '../../helpers/scenarios.ts';
import {
  AdminClient,
  addConnection,
  connectionFileFor,
  startStoreSims,
  startTestService,
  type TestService,
} from '../../helpers/service.ts';
import { placeOrder, waitFor, type PlacedOrder } from '../../helpers/worker-process.ts';

/*
 * Two stores in one service, importing and exporting at the same time. Both simulators start from the
 * same scenario (so the same product codes and the same order ids exist in both) except for one price:
 * any mix-up of connections would show as a wrong price, a foreign order or a missing one.
 */

interface Side {
  sims: RunningSimulators;
  record: ConnectionRecord;
  orders: PlacedOrder[];
  productCode: string;
}

let t: TestService;
let alpha: Side;
let beta: Side;

function betaScenario() {
  const scenario = smallScenario();
  const products = scenario.netbaron.products as Array<Record<string, unknown>>;
  products.find((p) => p.ProductCode === 'KAHVI-1')!.SalesPriceVatIncluded = 9.5;
  return scenario;
}

const storeProduct = async (sims: RunningSimulators, code: string) => {
  const state = (await (await fetch(`${sims.mycashflow.url}/__sim/state`)).json()) as {
    products: Array<{ product_code: string; price: number }>;
  };
  return state.products.find((p) => p.product_code === code);
};

beforeAll(async () => {
  t = await startTestService();
  const [simsA, simsB] = await Promise.all([startStoreSims(), startStoreSims(betaScenario())]);
  alpha = {
    sims: simsA,
    record: await addConnection(t, connectionFileFor(simsA, 'alpha', 'Alpha')),
    orders: [],
    productCode: 'KAHVI-1',
  };
  beta = {
    sims: simsB,
    record: await addConnection(t, connectionFileFor(simsB, 'beta', 'Beta')),
    orders: [],
    productCode: 'TS-100-S',
  };

  // Writes to either store take a while, so that the two runs surely overlap.
  for (const sims of [simsA, simsB]) {
    await fetch(`${sims.mycashflow.url}/__sim/faults`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        rules: [
          { method: 'PATCH', latencyMs: 150 },
          { method: 'POST', path: '/api/v1/products', latencyMs: 150 },
        ],
      }),
    });
  }
  // Both imports queued at once, and orders arriving in both stores while they run.
  const [jobA, jobB] = await Promise.all([
    enqueueImport(t.service.boss, { connectionId: alpha.record.id }),
    enqueueImport(t.service.boss, { connectionId: beta.record.id }),
  ]);
  expect(jobA && jobB).toBeTruthy();
  for (let i = 0; i < 3; i += 1) {
    const [a, b] = await Promise.all(
      [alpha, beta].map((side) =>
        placeOrder(side.sims, { products: [{ product_code: side.productCode, quantity: 1 }] }),
      ),
    );
    alpha.orders.push(a!);
    beta.orders.push(b!);
  }
  await waitFor(
    'both imports and all six orders',
    async () => {
      const runs = await t.service.database.db
        .selectFrom('import_runs')
        .select('status')
        .where('job_id', 'in', [jobA!, jobB!])
        .execute();
      const sent = await t.service.database.db
        .selectFrom('order_ledger')
        .select('order_id')
        .where('state', '=', 'sent')
        .execute();
      return runs.length === 2 && runs.every((r) => r.status !== 'running') && sent.length === 6
        ? true
        : undefined;
    },
    { timeoutMs: 30_000 },
  );
}, 60_000);

describe('two connections in one service', () => {
  it('ran both imports at the same time, each on its own connection and store', async () => {
    const runs = await t.service.database.db
      .selectFrom('import_runs')
      .select(['connection_id', 'status', 'created_at', 'finished_at', 'summary'])
      .where('dry_run', '=', false)
      .orderBy('id')
      .execute();
    expect(runs.map((r) => r.status)).toEqual(['completed', 'completed']);
    expect(new Set(runs.map((r) => r.connection_id))).toEqual(new Set([alpha.record.id, beta.record.id]));
    // The two runs overlapped: neither finished before the other started.
    const [r1, r2] = runs;
    expect(r1!.created_at.getTime()).toBeLessThan(r2!.finished_at!.getTime());
    expect(r2!.created_at.getTime()).toBeLessThan(r1!.finished_at!.getTime());

    // Each store got its own NetBaron's price.
    expect((await storeProduct(alpha.sims, 'KAHVI-1'))?.price).toBe(8.9);
    expect((await storeProduct(beta.sims, 'KAHVI-1'))?.price).toBe(9.5);
    // And only its own run's writes: the store's count of writes equals that run's.
    for (const side of [alpha, beta]) {
      const run = runs.find((r) => r.connection_id === side.record.id)!;
      const summary = run.summary as { requests: { mycashflow: Record<string, number> } };
      const log = (await (await fetch(`${side.sims.mycashflow.url}/__sim/requests`)).json()) as {
        counts: { byMethod: Record<string, number> };
      };
      expect(log.counts.byMethod.PATCH ?? 0).toBe(summary.requests.mycashflow.PATCH ?? 0);
      expect(log.counts.byMethod.POST ?? 0).toBe((summary.requests.mycashflow.POST ?? 0) + 1); // + its webhook subscription
    }
  });

  it('sent each store’s orders to its own NetBaron, exactly once, though the order ids are the same', async () => {
    expect(alpha.orders.map((o) => o.id)).toEqual(beta.orders.map((o) => o.id));
    for (const [side, other] of [
      [alpha, beta],
      [beta, alpha],
    ] as const) {
      const received = side.sims.netbaron.system.salesOrders();
      expect(received.map((o) => o.InvoiceDetails.OrderIdentifier).sort()).toEqual(
        side.orders.map((o) => String(o.id)).sort(),
      );
      for (const order of received) {
        const text = JSON.stringify(order);
        expect(text).toContain(side.productCode);
        expect(text).not.toContain(other.productCode);
      }
      const ledger = await t.service.database.db
        .selectFrom('order_ledger')
        .select(['order_id', 'state', 'sales_order_number'])
        .where('connection_id', '=', side.record.id)
        .orderBy('order_id')
        .execute();
      expect(ledger.map((l) => l.state)).toEqual(['sent', 'sent', 'sent']);
      expect(ledger.map((l) => l.sales_order_number).sort()).toEqual(
        received.map((o) => o.SalesOrderNumber).sort(),
      );
    }
  });

  it('shows one connection’s pages nothing of the other', async () => {
    const admin = new AdminClient(t.url);
    await admin.signIn();
    const runOf = async (side: Side) =>
      (
        await t.service.database.db
          .selectFrom('import_runs')
          .select('id')
          .where('connection_id', '=', side.record.id)
          .executeTakeFirstOrThrow()
      ).id;
    expect((await admin.get(`/connections/beta/runs/${await runOf(alpha)}`)).status).toBe(404);
    expect((await admin.get(`/connections/alpha/runs/${await runOf(alpha)}`)).status).toBe(200);
    const alphaOrder = await admin.get(`/connections/alpha/orders/${alpha.orders[0]!.id}`);
    expect(alphaOrder.text).toContain('KAHVI-1');
    expect(alphaOrder.text).not.toContain('TS-100-S');
    const betaOrder = await admin.get(`/connections/beta/orders/${beta.orders[0]!.id}`);
    expect(betaOrder.text).toContain('TS-100-S');
  });
});
