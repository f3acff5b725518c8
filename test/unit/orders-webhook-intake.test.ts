import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/observability/logger.ts';
import type { OrderLedger, ReceivedOrder } from '../../src/orders/ledger.ts';
import { WebhookIntake } from '../../src/orders/webhook-intake.ts';
import { memoryLedger } from '../helpers/memory-ledger.ts';

const delivery = (orderId: number): ReceivedOrder => ({
  connectionId: 'c-1',
  orderId,
  order: { id: orderId },
  createdAt: undefined,
});

/** The memory ledger, with each batch's size kept and its write held until `release` is called. */
function gatedLedger() {
  const { ledger, row } = memoryLedger();
  const batches: number[] = [];
  let release = () => {};
  let gate = Promise.resolve();
  const gated = {
    async receiveOrders(orders, source) {
      batches.push(orders.length);
      await gate;
      return ledger.receiveOrders(orders, source);
    },
  } satisfies Pick<OrderLedger, 'receiveOrders'>;
  const close = () => {
    gate = new Promise((r) => (release = r));
  };
  return { gated, batches, row, close, release: () => release() };
}

describe('webhook intake', () => {
  it('stores the deliveries that arrive during a write together, and queues each order once', async () => {
    const { gated, batches, row, close, release } = gatedLedger();
    const queued: number[][] = [];
    const intake = new WebhookIntake({
      ledger: gated,
      logger: silentLogger,
      queue: async (orders) => void queued.push(orders.map((o) => o.orderId)),
    });
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

  it('answers a delivery with the ledger error when its order could not be stored', async () => {
    const failing = {
      async receiveOrders(): Promise<boolean[]> {
        throw new Error('database unavailable');
      },
    } satisfies Pick<OrderLedger, 'receiveOrders'>;
    const queued: number[] = [];
    const intake = new WebhookIntake({
      ledger: failing,
      logger: silentLogger,
      queue: async (orders) => void queued.push(...orders.map((o) => o.orderId)),
    });
    await expect(intake.receive(delivery(1))).rejects.toThrow('database unavailable');
    // Nothing is queued for an order the ledger does not hold.
    expect(queued).toEqual([]);
  });
});
