import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/test-database.ts';
import {
  createWorkerHarness,
  ledgerRows,
  netbaronCounts,
  placeOrder,
  setFaults,
  startScene,
  storeDelivery,
  waitFor,
} from '../helpers/worker-process.ts';

/*
 * NetBaron refusing an order with 429 and Retry-After: the worker sends it again no sooner than asked,
 * though pg-boss's own retry would come after 5 s and a repeated webhook queues the order again at once.
 */

const database = await createTestDatabase();
const workers = await createWorkerHarness(database.url);
const RETRY_AFTER_S = 9;

interface LoggedRequest {
  at: string;
  method: string;
  path: string;
  durationMs: number;
}

async function salesOrderPuts(url: string): Promise<Array<{ arrival: number; answer: number }>> {
  const log = (await (await fetch(`${url}/__sim/requests`)).json()) as { requests: LoggedRequest[] };
  return log.requests
    .filter((r) => r.method === 'PUT' && r.path === '/ws/salesorder')
    .map((r) => ({ arrival: Date.parse(r.at) - r.durationMs, answer: Date.parse(r.at) }));
}

describe('the order-export worker, NetBaron asking to wait', () => {
  it('sends a rate-limited order again only after Retry-After, even when the webhook repeats', async ({
    onTestFinished,
  }) => {
    const sims = await startScene(onTestFinished);
    const config = await workers.writeConnection(sims, { id: 'retry-after' });
    const worker = await workers.start(config);
    await setFaults(sims, 'netbaron', [
      { path: '/ws/salesorder', method: 'PUT', status: 429, retryAfter: RETRY_AFTER_S, count: 1 },
    ]);

    const order = await placeOrder(sims);
    const refused = await waitFor('the first send refused', async () =>
      (await ledgerRows(database.db, 'retry-after')).find((r) => r.attempts === 1 && r.state === 'received'),
    );
    expect(refused.orderId).toBe(order.id);

    // The store delivers the same order again: the job it queues must not send before NetBaron's time.
    const again = await fetch(worker.hookUrl, {
      method: 'POST',
      ...(await storeDelivery(sims, worker.hookUrl, order.id)),
    });
    expect(again.status).toBe(200);

    // Wait for what is asserted below: the order in NetBaron and both PUTs in its request log.
    const puts = await waitFor(
      'the order in NetBaron and its second PUT logged',
      async () => {
        if ((await netbaronCounts(sims)).get(order.id) !== 1) return undefined;
        const logged = await salesOrderPuts(sims.netbaron.url);
        return logged.length >= 2 ? logged : undefined;
      },
      { timeoutMs: (RETRY_AFTER_S + 20) * 1000, everyMs: 100 },
    );
    expect(puts).toHaveLength(2);
    const waitedMs = puts[1]!.arrival - puts[0]!.answer;
    process.stdout.write(
      `worker-retry-after: sent again ${waitedMs} ms after the 429 (asked ${RETRY_AFTER_S} s)\n`,
    );
    // The simulator's clock, on this machine: a few ms of slack for timestamp rounding.
    expect(waitedMs).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 20);
    // The ledger records "sent" after NetBaron answers: wait for that state itself.
    const row = await waitFor('the order sent in the ledger', async () =>
      (await ledgerRows(database.db, 'retry-after')).find((r) => r.state === 'sent'),
    );
    expect(row).toMatchObject({ state: 'sent', attempts: 2 });
    await worker.stop();
  });
});
