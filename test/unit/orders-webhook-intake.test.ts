import { describe, expect, it } from 'vitest';
import type { ReceivedOrder } from '../../src/orders/ledger.ts';
import { WebhookIntake, type IntakeOptions } from '../../src/orders/webhook-intake.ts';
import { memoryLedger } from '../helpers/memory-ledger.ts';

const delivery = (orderId: number): ReceivedOrder => ({
  connectionId: 'c-1',
  orderId,
  order: { id: orderId },
  createdAt: undefined,
});

/**
 * The memory ledger with a queue beside it, each batch's size kept and its write held until `release` is
 * called.
 */
function gatedStore() {
  const { ledger, row } = memoryLedger();
  const batches: number[] = [];
  const queued: number[][] = [];
  let release = () => {};
  let gate = Promise.resolve();
  const store: IntakeOptions['store'] = async (deliveries, exports) => {
    batches.push(deliveries.length);
    await gate;
    const isNew = await ledger.receiveOrders(deliveries, 'webhook');
    queued.push(exports.map((o) => o.orderId));
    return isNew;
  };
  const close = () => {
    gate = new Promise((r) => (release = r));
  };
  return { store, batches, queued, row, close, release: () => release() };
}

describe('webhook intake', () => {
  it('stores the deliveries that arrive during a write together, and queues each order once', async () => {
    const { store, batches, queued, row, close, release } = gatedStore();
    const intake = new WebhookIntake({ store });
    close();
    const first = intake.receive(delivery(1));
    // While the first write waits, four more arrive: one of them a repeat of order 2.
    const rest = [2, 3, 2, 4].map((id) => intake.receive(delivery(id)));
    release();
    expect(await first).toEqual({ isNew: true });
    expect(await Promise.all(rest)).toEqual([
      { isNew: true },
      { isNew: true },
      { isNew: false },
      { isNew: true },
    ]);
    expect(batches).toEqual([1, 4]);
    expect(queued).toEqual([[1], [2, 3, 4]]);
    expect(row('c-1', 4)?.state).toBe('received');
  });

  it('answers every delivery of a batch with the error when the batch could not be stored', async () => {
    const intake = new WebhookIntake({
      store: async () => {
        throw new Error('database unavailable');
      },
    });
    const answers = await Promise.allSettled([intake.receive(delivery(1)), intake.receive(delivery(2))]);
    expect(answers.map((a) => a.status === 'rejected' && (a.reason as Error).message)).toEqual([
      'database unavailable',
      'database unavailable',
    ]);
  });
});
