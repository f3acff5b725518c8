import {
  createOrderStream,
  DEFAULT_SEED,
  type McfOrder,
  type McfProduct,
} from '../../simulators/demo/index.ts';
import { sleep } from './results.ts';
import type { SimControl } from './sims.ts';

export type OrderBody = ReturnType<typeof orderBodies>[number];
export interface Placed {
  id: number;
  paymentMethodId: number;
  /** Epoch ms when the POST was sent. */
  sentAt: number;
  status?: number;
  error?: string;
}

/**
 * Orders `from` … `from + count − 1` of the demo stream as a shopper's checkout: without `created_at`
 * and `updated_at`, so that the store stamps each when it is placed (the stream's times lie weeks back).
 */
export function orderBodies(catalog: readonly McfProduct[], from: number, count: number) {
  const stream = createOrderStream({ seed: DEFAULT_SEED, catalog });
  return Array.from({ length: count }, (_, i) => {
    const { created_at: _c, updated_at: _u, ...order }: McfOrder = stream.orderAt(from + i);
    return { id: order.id, body: JSON.stringify(order), paymentMethodId: order.payment_method_id };
  });
}

const nowMs = (): number => performance.timeOrigin + performance.now();

/**
 * Places the orders through the simulator at `rate` per second, order k due at start + k ÷ rate whether
 * or not earlier ones were answered (open loop: a slow receiver shows as latency, not as fewer arrivals).
 */
export async function placeAtRate(
  mycashflow: SimControl,
  bodies: OrderBody[],
  rate: number,
): Promise<Placed[]> {
  const [placed, pending] = [[] as Placed[], new Set<Promise<void>>()];
  const start = nowMs() + 20;
  for (const [k, order] of bodies.entries()) {
    const due = start + (k * 1000) / rate;
    // Timers are coarse (about 1 ms): short sleeps keep the schedule without spinning.
    while (nowMs() < due || pending.size >= 512) await sleep(Math.min(50, Math.max(1, due - nowMs())));
    const entry: Placed = { id: order.id, paymentMethodId: order.paymentMethodId, sentAt: nowMs() };
    placed.push(entry);
    const headers = { 'Content-Type': 'application/json' };
    const post = fetch(`${mycashflow.url}/__sim/orders`, { method: 'POST', headers, body: order.body })
      .then(async (res) => {
        entry.status = res.status;
        await res.arrayBuffer();
      })
      .catch((err: unknown) => void (entry.error = String(err)))
      .finally(() => pending.delete(post));
    pending.add(post);
  }
  await Promise.all(pending);
  return placed;
}

/** The simulator's webhook deliveries; `at` is when it began the POST to the receiver (before connecting). */
export const webhookDeliveries = async (mycashflow: SimControl) =>
  (
    (await mycashflow.call('GET', '/__sim/webhook-deliveries')) as {
      data: Array<{ order_id: number; status?: number; error?: string; at: string }>;
    }
  ).data;

/** NetBaron's sales orders; `receivedAt` is the simulator's clock when it stored one, just before its 200. */
export async function netbaronOrders(netbaron: SimControl) {
  type Stored = { InvoiceDetails: { OrderIdentifier: string }; Status: string; ReceivedAt: string };
  const { sales_orders } = (await netbaron.call('GET', '/__sim/state')) as { sales_orders: Stored[] };
  return sales_orders.map((o) => ({
    id: o.InvoiceDetails.OrderIdentifier,
    status: o.Status,
    receivedAt: Date.parse(o.ReceivedAt),
  }));
}

/** NetBaron's identifiers held more than once. */
export function duplicates(orders: Array<{ id: string }>): string[] {
  const [seen, twice] = [new Set<string>(), new Set<string>()];
  for (const o of orders) (seen.has(o.id) ? twice : seen).add(o.id);
  return [...twice];
}
