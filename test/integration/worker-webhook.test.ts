import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/test-database.ts';
import {
  createWorkerHarness,
  ledgerEvents,
  ledgerRows,
  storeDelivery,
  netbaronCounts,
  netbaronOrders,
  placeOrder,
  setFaults,
  startScene,
  storeState,
  waitFor,
  webhookDeliveries,
} from '../helpers/worker-process.ts';

/*
 * The worker's intake by webhook: an order placed in the store while the worker runs reaches NetBaron by
 * the simulator's own `order.created` delivery, at once; the same delivery repeated and the order seen
 * again by polling still make one NetBaron order.
 */

const database = await createTestDatabase();
const workers = await createWorkerHarness(database.url);

describe('the order-export worker, webhook intake', () => {
  it('sends an order placed after start-up to NetBaron once, Pending, by the webhook, within seconds', async ({
    onTestFinished,
  }) => {
    const sims = await startScene(onTestFinished);
    const config = await workers.writeConnection(sims, { id: 'webhook-path' });
    const worker = await workers.start(config);

    const placedAt = performance.now();
    const order = await placeOrder(sims, { payment_method_id: 2 });
    const stored = await waitFor(
      'the order in NetBaron',
      async () =>
        (await netbaronOrders(sims)).find((o) => o.InvoiceDetails.OrderIdentifier === String(order.id)),
      { timeoutMs: 20_000, everyMs: 10 },
    );
    const latencyMs = performance.now() - placedAt;
    process.stdout.write(`worker-webhook: order in NetBaron ${latencyMs.toFixed(0)} ms after the checkout\n`);
    // Speed is measured in bench/, not asserted here; that the webhook (not a poll) carried the order is
    // asserted below by the ledger row's source.

    const { payment_methods } = await storeState(sims);
    const paymentName = payment_methods.find((m) => m.id === order.payment_method_id)!.name;
    expect(stored).toMatchObject({
      Status: 'Pending',
      PaymentStatusDetails: { PaymentMethodText: paymentName },
    });
    expect(stored.InvoiceDetails.InvoiceTotalVatIncludedAmount).toBe(order.total.toFixed(2));

    // The store logs its delivery once the worker's answer is back, and the worker may send the order on
    // before that answer has reached the store: wait for the log entry itself.
    const deliveries = await waitFor('the store’s delivery logged', async () => {
      const logged = await webhookDeliveries(sims);
      return logged.length > 0 ? logged : undefined;
    });
    expect(deliveries).toEqual([
      expect.objectContaining({
        order_id: order.id,
        url: worker.hookUrl,
        topic: 'order.created',
        status: 200,
      }),
    ]);
    // By the webhook: the ledger row came from the delivery, not from a poll. The row says "sent" once
    // the worker has recorded NetBaron's answer, a moment after NetBaron holds the order.
    await waitFor('the order sent in the ledger', async () =>
      (await ledgerRows(database.db, 'webhook-path')).find((r) => r.state === 'sent'),
    );
    expect(await ledgerRows(database.db, 'webhook-path')).toEqual([
      expect.objectContaining({ orderId: order.id, state: 'sent', source: 'webhook', attempts: 1 }),
    ]);
    await worker.stop();
    expect(await netbaronCounts(sims)).toEqual(new Map([[order.id, 1]]));
  });

  it('exports once an order delivered four times by webhook (one by the store, three by the test) and seen by two polls', async ({
    onTestFinished,
  }) => {
    const sims = await startScene(onTestFinished);
    const config = await workers.writeConnection(sims, { id: 'duplicates' });
    let worker = await workers.start(config);
    const { webhooks } = await storeState(sims);
    const subscription = webhooks.find((w) => w.url === worker.hookUrl)!;
    expect(subscription.topic).toBe('order.created');

    // NetBaron slow, so that the repeated deliveries arrive while the first send is in flight: the test
    // makes three requests to the store and three to the worker meanwhile, which a busy machine slows.
    await setFaults(sims, 'netbaron', [{ path: '/ws/salesorder', method: 'PUT', latencyMs: 3_000 }]);
    const order = await placeOrder(sims);
    // The delivery exactly as the simulator sends it: the order with the subscription's expands.
    const delivery = await storeDelivery(sims, worker.hookUrl, order.id);
    const answers = await Promise.all(
      [1, 2, 3].map(async () => {
        const r = await fetch(worker.hookUrl, { method: 'POST', ...delivery });
        return { status: r.status, body: (await r.json()) as { orderId: number; duplicate: boolean } };
      }),
    );
    expect(answers.map((a) => [a.status, a.body.orderId])).toEqual([
      [200, order.id],
      [200, order.id],
      [200, order.id],
    ]);
    await waitFor('the order sent', async () =>
      (await ledgerRows(database.db, 'duplicates')).find((r) => r.state === 'sent'),
    );
    await waitFor('the store’s own delivery answered', async () =>
      (await webhookDeliveries(sims)).find((d) => d.order_id === order.id && d.status !== undefined),
    );
    expect((await webhookDeliveries(sims)).map((d) => d.status)).toEqual([200]);

    // Seen again by polling: a restarted worker polls at start (the stored cursor minus the overlap)...
    await worker.stop();
    worker = await workers.start(config);
    await worker.stop();
    // ...and an operator's run reads the whole day again.
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const run = await workers.cli(['export-orders', '--config', config, '--since', since, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      polled: { seen: 1, newlyReceived: 0 },
      exported: 0,
      alreadyExported: 1,
      waiting: [],
      outcomeUnknown: [],
    });

    expect(await netbaronCounts(sims)).toEqual(new Map([[order.id, 1]]));
    const rows = await ledgerRows(database.db, 'duplicates');
    expect(rows).toEqual([expect.objectContaining({ orderId: order.id, state: 'sent', attempts: 1 })]);
    const events = await ledgerEvents(database.db, 'duplicates', order.id);
    const count = (kind: string, detail?: string) =>
      events.filter((e) => e.kind === kind && (detail === undefined || e.detail === detail)).length;
    expect(count('received')).toBe(1);
    expect(count('seen-again', 'webhook')).toBe(3);
    expect(count('seen-again', 'poll')).toBe(2);
    expect(count('sending')).toBe(1);
    expect(count('sent')).toBe(1);
    // The repeated deliveries came while the first send was in flight, not after it.
    const sentAt = events.findIndex((e) => e.kind === 'sent');
    expect(events.slice(0, sentAt).filter((e) => e.kind === 'seen-again')).toHaveLength(3);
  });
});
