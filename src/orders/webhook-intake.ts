import type { Logger } from '../observability/logger.ts';
import type { OrderLedger, ReceivedOrder } from './ledger.ts';

export interface IntakeOptions {
  ledger: Pick<OrderLedger, 'receiveOrders'>;
  /** Queues the export of every order of one batch at once (new or repeated: a waiting one may be due). */
  queue(orders: ReadonlyArray<{ connectionId: string; orderId: number }>): Promise<void>;
  logger: Logger;
  /** Deliveries stored together at most. */
  maxBatch?: number;
}

interface Pending {
  order: ReceivedOrder;
  settle(result: { isNew: boolean } | Error): void;
}

/**
 * Stores webhook deliveries in the ledger in batches: while one batch is being written, the deliveries
 * that arrive meanwhile gather and go together in the next, so that a flood costs one transaction and
 * one queue insert per batch instead of per delivery, and the pool is never drained by intake alone.
 * A delivery's promise settles once its order is in the ledger, before its answer goes back.
 */
export class WebhookIntake {
  private readonly options: IntakeOptions;
  private readonly maxBatch: number;
  private pending: Pending[] = [];
  private writing = false;

  constructor(options: IntakeOptions) {
    this.options = options;
    this.maxBatch = options.maxBatch ?? 500;
  }

  receive(order: ReceivedOrder): Promise<{ isNew: boolean }> {
    return new Promise((resolve, reject) => {
      this.pending.push({
        order,
        settle: (result) => (result instanceof Error ? reject(result) : resolve(result)),
      });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        await this.write(batch);
      }
    } finally {
      this.writing = false;
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    let isNew: boolean[];
    try {
      isNew = await this.options.ledger.receiveOrders(
        batch.map((p) => p.order),
        'webhook',
      );
    } catch (err) {
      for (const p of batch) p.settle(err as Error);
      return;
    }
    try {
      // One job per order however often it came in the batch: a flood of replays costs no extra rows.
      const orders = new Map(batch.map((p) => [`${p.order.connectionId}:${p.order.orderId}`, p.order]));
      await this.options.queue([...orders.values()]);
    } catch (err) {
      // The orders are safe in the ledger; the next poll's sweep sends them.
      this.options.logger.error('could not queue the export of received orders', {
        orders: batch.length,
        error: (err as Error).message,
      });
    }
    batch.forEach((p, i) => p.settle({ isNew: isNew[i]! }));
  }
}
