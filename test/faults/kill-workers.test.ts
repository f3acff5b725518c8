import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import {
  generateDemoScenario,
  createOrderStream,
  type McfOrder,
  type McfProduct,
} from '../../simulators/demo/index.ts';
import { startSimulators, type RunningSimulators } from '../../simulators/scenario.ts';
import { importProducts } from '../../src/catalog/import-products.ts';
import { clientsFor } from '../../src/connections/clients.ts';
import { demoConnectionFile } from '../../src/cli/demo-setup.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { AdminClient } from '../helpers/service.ts';
import { createCluster, type ServiceProcess } from '../helpers/service-process.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { waitFor } from '../helpers/worker-process.ts';
import { importRunStore } from '../../src/db/import-run-store.ts';

/*
 * Workers killed with SIGKILL at random moments, five times, while an import runs and orders arrive.
 * Final state is compared with an undisturbed import of the same catalog into a second store, and the
 * store's request log shows that nothing was written twice; every order reaches NetBaron once.
 */

const PRODUCTS = 1_000;
const ORDERS = 60;

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface StoreProduct {
  product_code: string;
  price: number;
  purchase_price: number | null;
  description?: string | null;
  visibilities: unknown;
  stock_item?: { quantity: number } | null;
  variations: Array<{
    product_code: string;
    price: number;
    purchase_price: number | null;
    stock_item: { quantity: number };
  }>;
}

/** What an import decides, per product code: everything but ids and timestamps. */
async function catalogOf(sims: RunningSimulators): Promise<Record<string, unknown>> {
  const state = (await (await fetch(`${sims.mycashflow.url}/__sim/state`)).json()) as {
    products: StoreProduct[];
  };
  const out: Record<string, unknown> = {};
  for (const p of state.products) {
    if (out[p.product_code]) throw new Error(`product code ${p.product_code} is in the store twice`);
    out[p.product_code] = {
      price: p.price,
      purchase: p.purchase_price,
      description: p.description ?? null,
      visible: p.visibilities,
      stock: p.stock_item?.quantity ?? null,
      variations: p.variations.map((v) => [v.product_code, v.price, v.purchase_price, v.stock_item.quantity]),
    };
  }
  return out;
}

const faults = (sims: RunningSimulators, rules: unknown[]) =>
  fetch(`${sims.mycashflow.url}/__sim/faults`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ rules }),
  });

describe('workers killed with SIGKILL during an import and order export', () => {
  const scenario = generateDemoScenario({ products: PRODUCTS, seed: 11 });
  let disturbed: RunningSimulators;
  let undisturbed: RunningSimulators;

  afterAll(async () => {
    await disturbed?.close();
    await undisturbed?.close();
  });

  it('ends as an undisturbed run does, with nothing written twice and every order sent once', async () => {
    [disturbed, undisturbed] = await Promise.all([
      startSimulators({ scenario }),
      startSimulators({ scenario }),
    ]);
    const reference = demoConnectionFile(undisturbed);
    await importProducts({
      ...clientsFor(reference, silentLogger),
      runs: importRunStore((await createTestDatabase()).db),
      connection: reference,
    });

    const database = await createTestDatabase();
    const cluster = await createCluster(database);
    const record = await cluster.store.upsertFromFile(demoConnectionFile(disturbed));
    const workers: ServiceProcess[] = await Promise.all([cluster.start('worker'), cluster.start('worker')]);
    const web = await cluster.start('web');
    // Slow writes: the import lasts long enough for five kills.
    await faults(
      disturbed,
      ['POST', 'PUT', 'PATCH', 'DELETE'].map((method) => ({ path: '/api/v1/*', method, latencyMs: 25 })),
    );
    const admin = new AdminClient(web.url);
    await admin.signIn();
    await admin.get(`/connections/${record.slug}`);
    expect((await admin.post(`/connections/${record.slug}/imports`)).status).toBe(303);

    // Orders arrive all along, at the web process.
    const state = disturbed.mycashflow.system.getState() as unknown as {
      products: McfProduct[];
      orders: unknown[];
    };
    const stream = createOrderStream({
      seed: 5,
      catalog: state.products,
      startIndex: state.orders.length + 100,
    });
    const placed: number[] = [];
    const placing = (async () => {
      for (let i = 0; i < ORDERS; i += 1) {
        const { created_at: _c, updated_at: _u, ...order }: McfOrder = stream.nextOrder();
        const stored = disturbed.mycashflow.system.placeOrder(order) as { id: number };
        placed.push(stored.id);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    // The first kill is to find the import running in a worker, not still queued: wait until a worker
    // has taken its job (on a busy machine that can take longer than the first pause below).
    await waitFor(
      'the import running in a worker',
      async () => {
        const { rows } = await sql<{ n: string }>`
          select count(*) as n from pgboss.job where name = 'import-products' and state = 'active'`.execute(
          database.db,
        );
        return Number(rows[0]!.n) > 0 ? true : undefined;
      },
      { timeoutMs: 60_000, everyMs: 50 },
    );
    const next = random(42);
    for (let kill = 0; kill < 5; kill += 1) {
      await new Promise((r) => setTimeout(r, 400 + Math.floor(next() * 1200)));
      // The first time every worker dies at once, so the import surely loses its process; after
      // that, one worker picked at random.
      const victims = kill === 0 ? workers.map((_, i) => i) : [Math.floor(next() * workers.length)];
      for (const victim of victims) await workers[victim]!.kill();
      for (const victim of victims) workers[victim] = await cluster.start('worker');
    }
    await placing;

    const progress = async () =>
      JSON.stringify({
        runs: await database.db
          .selectFrom('import_runs')
          .select(['id', 'status', 'error', 'job_id'])
          .execute(),
        ledger: await database.db
          .selectFrom('order_ledger')
          .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
          .groupBy('state')
          .execute(),
        jobs: (
          await sql<{
            name: string;
            state: string;
            n: string;
          }>`select name, state, count(*) as n from pgboss.job group by 1, 2`.execute(database.db)
        ).rows,
      });
    await waitFor(
      'the import completed and every order sent',
      async () => {
        const runs = await database.db
          .selectFrom('import_runs')
          .select('status')
          .where('dry_run', '=', false)
          .execute();
        // Settled: sent, or waiting for a person (the demo's Klarna orders wait by design).
        const settled = await database.db
          .selectFrom('order_ledger')
          .select('order_id')
          .where('state', 'in', ['sent', 'waiting'])
          .execute();
        return runs.some((r) => r.status === 'completed') && settled.length === ORDERS ? true : undefined;
      },
      // Seven worker starts and a 1 000-product import: minutes on a busy machine. It only ends a stuck run.
      { timeoutMs: 180_000, everyMs: 250 },
    ).catch(async (err: Error) => {
      throw new Error(`${err.message}: ${await progress()}`);
    });
    await faults(disturbed, []);

    // The kills did hit the import: its job was handed to another worker at least once.
    const retried = await sql<{ n: string }>`
      select coalesce(sum(retry_count), 0) as n from pgboss.job where name = 'import-products'`.execute(
      database.db,
    );
    expect(Number(retried.rows[0]!.n)).toBeGreaterThanOrEqual(1);
    // The same catalog as the undisturbed import (orders only move reserved stock, not quantity).
    expect(await catalogOf(disturbed)).toEqual(await catalogOf(undisturbed));
    // No store object written twice: each write's path appears once (creates are told apart by code above).
    const log = (await (await fetch(`${disturbed.mycashflow.url}/__sim/requests`)).json()) as {
      requests: Array<{ method: string; path: string }>;
    };
    const writes = log.requests
      .filter((r) => r.method !== 'GET' && r.method !== 'POST')
      .map((r) => `${r.method} ${r.path}`);
    expect(writes.length).toBeGreaterThan(100);
    expect(new Set(writes).size).toBe(writes.length);
    // Every order once in NetBaron, but those waiting for a payment method NetBaron lacks.
    const waiting = await database.db
      .selectFrom('order_ledger')
      .select(['order_id', 'reason'])
      .where('state', '=', 'waiting')
      .execute();
    for (const w of waiting) expect(w.reason).toMatch(/payment method "Klarna"/);
    expect(waiting.length).toBeLessThan(ORDERS / 5);
    const expected = placed.filter((id) => !waiting.some((w) => Number(w.order_id) === id));
    const inNetBaron = disturbed.netbaron.system
      .salesOrders()
      .map((o) => Number(o.InvoiceDetails.OrderIdentifier));
    expect(inNetBaron.sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));

    for (const p of [web, ...workers]) await p.stop();
  }, 360_000);
});
