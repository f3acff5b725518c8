import type { OrderRec, WebhookRec } from './model.ts';
import { renderOrder } from './render.ts';

export const WEBHOOK_UUID_HEADER = 'X-MyCashflow-Webhook-Uuid';
const TIMEOUT_MS = 10_000;

/** One delivery attempt, as `GET /__sim/webhook-deliveries` lists it. */
export interface WebhookDelivery {
  uuid: string;
  url: string;
  order_id: number;
  topic: string;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** Why no status: connection refused, timeout, … */
  error?: string;
  at: string;
}

/**
 * Delivers `order.created` once per subscription (§23.11, §23.12: no retries), in the background: the
 * checkout never waits for a receiver, and a receiver that is down or slow only leaves an entry with
 * an error in the log.
 */
export class WebhookDispatcher {
  private readonly log: WebhookDelivery[] = [];
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly clock: () => Date) {}

  deliveries(): readonly WebhookDelivery[] {
    return this.log;
  }

  clear(): void {
    this.log.length = 0;
  }

  orderCreated(order: OrderRec, hooks: readonly WebhookRec[]): void {
    for (const hook of hooks) {
      if (hook.topic !== 'order.created') continue;
      const body = JSON.stringify({
        topic: hook.topic,
        uuid: hook.uuid,
        data: renderOrder(order, new Set(hook.expands)),
      });
      const attempt = this.send(hook, order.id, body).finally(() => this.pending.delete(attempt));
      this.pending.add(attempt);
    }
  }

  /** Resolves once every delivery started so far, and any started meanwhile, has finished. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async send(hook: WebhookRec, orderId: number, body: string): Promise<void> {
    const entry: WebhookDelivery = {
      uuid: hook.uuid,
      url: hook.url,
      order_id: orderId,
      topic: hook.topic,
      at: this.clock().toISOString(),
    };
    try {
      const response = await fetch(hook.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [WEBHOOK_UUID_HEADER]: hook.uuid },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: 'manual',
      });
      // Drain the answer so the connection is released; its content does not matter.
      await response.arrayBuffer().catch(() => undefined);
      entry.status = response.status;
    } catch (err) {
      entry.error = describeFailure(err);
    }
    this.log.push(entry);
  }
}

function describeFailure(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
    const cause = (err as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) return `${err.message}: ${cause.message}`;
    return err.message;
  }
  return String(err);
}
