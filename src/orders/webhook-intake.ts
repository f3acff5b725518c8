import type { LedgerKey, ReceivedOrder } from './ledger.ts';

export interface IntakeOptions {
  /**
   * Stores one batch of deliveries in the ledger and queues the export of each order named (new or
   * repeated: a waiting one may be due), both or neither; per delivery, whether its order was new.
   */
  store(deliveries: readonly ReceivedOrder[], exports: readonly LedgerKey[]): Promise<boolean[]>;
  /** Deliveries stored together at most. */
  maxBatch?: number;
}

interface Pending {
  order: ReceivedOrder;
  settle(result: { isNew: boolean } | Error): void;
}

/**
 * Stores webhook deliveries in the ledger in batches: while one batch is being written, the deliveries
 * that arrive meanwhile gather and go together in the next, so that a flood costs one transaction per
 * batch instead of one per delivery, and the pool is never drained by intake alone.
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
    // One job per order however often it came in the batch: a flood of replays costs no extra rows.
    const exports = new Map(batch.map(({ order: o }) => [`${o.connectionId}:${o.orderId}`, o]));
    let isNew: boolean[];
    try {
      isNew = await this.options.store(
        batch.map((p) => p.order),
        [...exports.values()].map(({ connectionId, orderId }) => ({ connectionId, orderId })),
      );
    } catch (err) {
      for (const p of batch) p.settle(err as Error);
      return;
    }
    batch.forEach((p, i) => p.settle({ isNew: isNew[i]! }));
  }
}
