/**
 * Orders for the export benchmark: the demo's order stream as checkout bodies, placed through the
 * MyCashflow simulator's `POST /__sim/orders` at a fixed rate (open loop), and what the simulators
 * then hold: the webhook delivery log and NetBaron's sales orders.
 */
import { createOrderStream, type McfOrder, type McfProduct } from '../simulators/demo/index.ts';

/** A body ready to POST, with what the benchmark needs to know of the order. */
export interface OrderBody {
  id: number;
  body: string;
  paymentMethodId: number;
}

/**
 * Orders `from`, `from + 1`, … of the demo stream (order i has id 10001 + i), as a shopper's checkout:
 * without `created_at` / `updated_at`, so that the store stamps each with the moment it is placed (the
 * stream's own times lie weeks back). Everything else, lines and totals, is the stream's.
 */
export function orderBodies(
  catalog: readonly McfProduct[],
  seed: number,
  from: number,
  count: number,
): OrderBody[] {
  const stream = createOrderStream({ seed, catalog });
  const bodies: OrderBody[] = [];
  for (let i = from; i < from + count; i++) {
    const { created_at: _c, updated_at: _u, ...order }: McfOrder = stream.orderAt(i);
    bodies.push({ id: order.id, body: JSON.stringify(order), paymentMethodId: order.payment_method_id });
  }
  return bodies;
}

export interface Placed {
  id: number;
  /** Epoch ms (sub-millisecond) when the POST was due, sent, and answered. */
  dueAt: number;
  sentAt: number;
  answeredAt?: number;
  status?: number;
  error?: string;
}

export interface PlacementRun {
  placed: Placed[];
  /** The first POST's send to the last one's answer, ms. */
  spanMs: number;
  /** The most POSTs that were in flight at once. */
  maxInFlight: number;
  /** How far behind schedule the placer was at worst, ms (the placer or the simulator could not keep up). */
  maxLagMs: number;
}

const nowMs = (): number => performance.timeOrigin + performance.now();

/**
 * Places the orders at `rate` per second on a fixed schedule: order k is due at start + k ÷ rate,
 * whether or not earlier POSTs have been answered (open loop, so that a slow simulator or receiver
 * shows as latency, not as a lower arrival rate). At most `maxInFlight` POSTs wait at once.
 */
export async function placeAtRate(
  mycashflowUrl: string,
  bodies: readonly OrderBody[],
  rate: number,
  maxInFlight = 512,
): Promise<PlacementRun> {
  const placed: Placed[] = [];
  const pending = new Set<Promise<void>>();
  let inFlight = 0;
  let maxSeen = 0;
  let maxLagMs = 0;
  const start = nowMs() + 20;
  const place = (body: OrderBody, dueAt: number): void => {
    const entry: Placed = { id: body.id, dueAt, sentAt: nowMs() };
    placed.push(entry);
    maxLagMs = Math.max(maxLagMs, entry.sentAt - dueAt);
    inFlight += 1;
    maxSeen = Math.max(maxSeen, inFlight);
    const p = (async () => {
      try {
        const res = await fetch(`${mycashflowUrl}/__sim/orders`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: body.body,
        });
        await res.arrayBuffer();
        entry.status = res.status;
      } catch (err) {
        entry.error = err instanceof Error ? err.message : String(err);
      } finally {
        entry.answeredAt = nowMs();
        inFlight -= 1;
      }
    })();
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  let next = 0;
  while (next < bodies.length) {
    const now = nowMs();
    while (next < bodies.length && start + (next * 1000) / rate <= now) {
      if (inFlight >= maxInFlight) break;
      place(bodies[next]!, start + (next * 1000) / rate);
      next += 1;
    }
    if (next >= bodies.length) break;
    const wait = Math.max(0, start + (next * 1000) / rate - nowMs());
    // Timers are coarse (about 1 ms); a short sleep keeps the schedule without spinning.
    await new Promise((r) => setTimeout(r, inFlight >= maxInFlight ? 1 : Math.min(wait, 50)));
  }
  while (pending.size > 0) await Promise.allSettled([...pending]);
  const first = placed[0]?.sentAt ?? start;
  const last = Math.max(...placed.map((p) => p.answeredAt ?? p.sentAt));
  return { placed, spanMs: last - first, maxInFlight: maxSeen, maxLagMs };
}

async function call(url: string, method: string, path: string): Promise<unknown> {
  const res = await fetch(`${url}${path}`, { method });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} on the simulator: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

export interface Delivery {
  order_id: number;
  status?: number;
  error?: string;
  /** When the simulator began the POST to the receiver (before connecting), ISO. */
  at: string;
}

export const webhookDeliveries = async (mycashflowUrl: string): Promise<Delivery[]> =>
  ((await call(mycashflowUrl, 'GET', '/__sim/webhook-deliveries')) as { data: Delivery[] }).data;

export const clearWebhookDeliveries = async (mycashflowUrl: string): Promise<void> =>
  void (await call(mycashflowUrl, 'DELETE', '/__sim/webhook-deliveries'));

export interface NbSalesOrderSeen {
  orderIdentifier: string;
  salesOrderNumber: string;
  status: string;
  /** The simulator's clock when it stored the order, just before its 200. */
  receivedAt: number;
}

export async function netbaronSalesOrders(netbaronUrl: string): Promise<NbSalesOrderSeen[]> {
  const state = (await call(netbaronUrl, 'GET', '/__sim/state')) as {
    sales_orders: Array<{
      InvoiceDetails: { OrderIdentifier: string };
      SalesOrderNumber: string;
      Status: string;
      ReceivedAt: string;
    }>;
  };
  return state.sales_orders.map((o) => ({
    orderIdentifier: o.InvoiceDetails.OrderIdentifier,
    salesOrderNumber: o.SalesOrderNumber,
    status: o.Status,
    receivedAt: Date.parse(o.ReceivedAt),
  }));
}

/** NetBaron's sales-order calls so far (the request log counts everything since its last clear). */
export async function netbaronCalls(
  netbaronUrl: string,
): Promise<{ puts: number; byStatus: Record<string, number>; byMethod: Record<string, number> }> {
  const log = (await call(netbaronUrl, 'GET', '/__sim/requests')) as {
    counts: { byMethod: Record<string, number>; byStatus: Record<string, number> };
  };
  return { puts: log.counts.byMethod.PUT ?? 0, byStatus: log.counts.byStatus, byMethod: log.counts.byMethod };
}
