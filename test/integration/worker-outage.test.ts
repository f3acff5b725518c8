import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/test-database.ts';
import {
  createWorkerHarness,
  ledgerRows,
  netbaronCounts,
  placeOrder,
  requestCounts,
  setFaults,
  startScene,
  waitFor,
  webhookDeliveries,
  type PlacedOrder,
} from '../helpers/worker-process.ts';

/*
 * NetBaron answering 503 to everything while orders arrive by webhook, then back: the receiver keeps
 * taking orders (they are in the ledger before it answers), nothing is lost while the sends fail, and
 * once NetBaron answers again every order is exported exactly once by the queue's retries.
 *
 * How long recovery takes: a refused send's next attempt is a job that starts when the ledger makes
 * the order due again (5 s after the first refusal, doubling per attempt, never before NetBaron's
 * Retry-After). Measured: all 50 orders in NetBaron 9.4 s after a 5.4 s outage.
 */

const database = await createTestDatabase();
const workers = await createWorkerHarness(database.url);

const ORDERS = 50;
const SLUG = 'outage';

describe('the order-export worker, NetBaron down and back', () => {
  it('exports every order that arrived during a 503 outage exactly once after NetBaron recovers', async ({
    onTestFinished,
  }) => {
    const sims = await startScene(onTestFinished);
    const config = await workers.writeConnection(sims, { id: SLUG });
    const worker = await workers.start(config);

    await setFaults(sims, 'netbaron', [{ path: '/ws/*', status: 503 }]);
    const outageStarted = performance.now();
    const placed: PlacedOrder[] = [];
    for (let i = 0; i < ORDERS; i += 1)
      placed.push(await placeOrder(sims, { products: [{ product_code: 'KIRJA-1', quantity: 1 + (i % 4) }] }));

    // Every delivery answered 200 and stored, though nothing can be sent.
    await waitFor(
      `${ORDERS} webhook deliveries answered`,
      async () => ((await webhookDeliveries(sims)).length === ORDERS ? true : undefined),
      { timeoutMs: 30_000 },
    );
    expect((await webhookDeliveries(sims)).filter((d) => d.status !== 200)).toEqual([]);
    expect((await ledgerRows(database.db, SLUG)).map((r) => r.orderId)).toEqual(placed.map((o) => o.id));

    // The outage lasts until a good few sends have failed and gone back to the queue for a retry.
    const failed = await waitFor(
      'sends failing during the outage',
      async () => {
        const rows = await ledgerRows(database.db, SLUG);
        const failures = rows.filter((r) => r.attempts > 0 && r.state !== 'sending');
        return failures.length >= 8 ? failures : undefined;
      },
      { timeoutMs: 30_000, everyMs: 100 },
    );
    expect(failed.every((r) => r.state === 'outcome-unknown' || r.state === 'received')).toBe(true);
    expect(await netbaronCounts(sims)).toEqual(new Map());
    const during = await requestCounts(sims, 'netbaron');
    expect(during['PUT /ws/salesorder']).toBeGreaterThanOrEqual(8);

    await setFaults(sims, 'netbaron', []);
    const outageMs = performance.now() - outageStarted;
    const recoveredFrom = performance.now();
    // The retries back off (5 s, 10 s, 20 s, …): on a busy machine the outage lasts longer, and so may
    // the wait for the last retry after it. The bound is only there to end a stuck run.
    const counts = await waitFor(
      `all ${ORDERS} orders in NetBaron`,
      async () => {
        const c = await netbaronCounts(sims);
        return placed.every((o) => c.has(o.id)) ? c : undefined;
      },
      { timeoutMs: 60_000, everyMs: 100 },
    ).catch(async (err: unknown) => {
      const rows = await ledgerRows(database.db, SLUG);
      throw new Error(
        `${(err as Error).message}; not sent: ${JSON.stringify(rows.filter((r) => r.state !== 'sent'))}`,
      );
    });
    const recoveryMs = performance.now() - recoveredFrom;
    process.stdout.write(
      `worker-outage: ${failed.length} sends had failed during a ${(outageMs / 1000).toFixed(1)} s outage; all ${ORDERS} in NetBaron ${(recoveryMs / 1000).toFixed(1)} s after it ended\n`,
    );

    await waitFor('every ledger row sent', async () => {
      const rows = await ledgerRows(database.db, SLUG);
      return rows.every((r) => r.state === 'sent') ? rows : undefined;
    });
    await worker.stop();
    const final = await netbaronCounts(sims);
    expect(final).toEqual(counts);
    expect([...final.entries()].sort(([a], [b]) => a - b)).toEqual(placed.map((o) => [o.id, 1]));
    const rows = await ledgerRows(database.db, SLUG);
    expect(rows.map((r) => [r.orderId, r.state])).toEqual(placed.map((o) => [o.id, 'sent']));
    expect(rows.every((r) => r.salesOrderNumber)).toBe(true);
  }, 150_000);
});
