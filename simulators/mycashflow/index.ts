import { z } from 'zod';
import type { SimRequest, SimResponse, SimSystem } from '../kit/types.ts';
import { errorBody } from './api-error.ts';
import { dumpState } from './dump-state.ts';
import { jsonResponse } from './envelope.ts';
import { describeIssues } from './fields.ts';
import { loadState } from './load-state.ts';
import { intakeOrder, OrderInputError } from './order-intake.ts';
import type { OrderRec } from './model.ts';
import { renderOrder } from './render.ts';
import { routeRequest } from './router.ts';
import { type McfOrderInput, mcfStateSchema, type McfStateDocument, orderSchema } from './state-schema.ts';
import type { McfStore } from './store.ts';
import { truncateToSecond } from './timestamps.ts';
import { type WebhookDelivery, WebhookDispatcher } from './webhook-delivery.ts';

export { mcfStateSchema, type McfStateDocument, type McfOrderInput };
export { DEFAULT_API_USER } from './load-state.ts';
export { WEBHOOK_UUID_HEADER, type WebhookDelivery } from './webhook-delivery.ts';
export { API_BASE } from './router.ts';

export interface MyCashflowSimOptions {
  /** The store's clock; timestamps are cut to whole seconds, as the API shows them. */
  now?: () => Date;
}

export interface MyCashflowSim extends SimSystem {
  readonly name: 'mycashflow';
  /**
   * Adds an order as a shopper's checkout would: fills ids, timestamps, status `open`, totals and
   * tax_summary, raises `reserved` on each line's stock item, then delivers `order.created` webhooks
   * in the background. Returns the stored order with every expand. Throws on an invalid order.
   */
  placeOrder(input: McfOrderInput): Record<string, unknown>;
  /** The webhook delivery log, oldest first. */
  deliveries(): readonly WebhookDelivery[];
  /** Resolves when every webhook delivery started so far has finished. */
  idle(): Promise<void>;
  getState(): McfStateDocument;
}

const ALL_ORDER_EXPANDS = new Set(['products', 'payments', 'shipments', 'tax_summary', 'comments', 'events']);

export function createMyCashflowSim(state?: unknown, options: MyCashflowSimOptions = {}): MyCashflowSim {
  const clock = options.now ?? (() => new Date());
  const now = (): number => truncateToSecond(clock().getTime());
  let store: McfStore = loadState(state ?? {}, now());
  const webhooks = new WebhookDispatcher(clock);

  const placeOrder = (input: unknown): Record<string, unknown> => {
    const parsed = orderSchema.safeParse(input ?? {});
    if (!parsed.success) throw new OrderInputError(`invalid order: ${describeIssues(parsed.error)}`);
    const at = now();
    const order = intakeOrder(store, parsed.data, { path: '', now: at, mode: 'checkout' });
    reserveStock(store, order, at);
    store.addOrder(order);
    webhooks.orderCreated(order, store.webhooks);
    return renderOrder(order, ALL_ORDER_EXPANDS);
  };

  return {
    name: 'mycashflow',
    handle: (req: SimRequest): SimResponse => routeRequest(req, { store: () => store, now }),
    errorResponse: (status: number, message: string): SimResponse => errorBody(status, message),
    getState: () => dumpState(store),
    replaceState: (doc: unknown) => {
      store = loadState(doc, now());
    },
    control: (req: SimRequest): SimResponse | undefined => {
      const route = `${req.method.toUpperCase()} ${req.path}`;
      if (route === 'GET /__sim/webhook-deliveries')
        return jsonResponse(200, { data: webhooks.deliveries() });
      if (route === 'DELETE /__sim/webhook-deliveries') {
        webhooks.clear();
        return jsonResponse(200, { ok: true });
      }
      if (route === 'POST /__sim/returns') return processReturn(store, req.body.toString('utf8'), now());
      if (route !== 'POST /__sim/orders') return undefined;
      let input: unknown;
      try {
        input = JSON.parse(req.body.toString('utf8'));
      } catch {
        return errorBody(400, 'the body must be an order as a JSON object');
      }
      try {
        return jsonResponse(200, { data: placeOrder(input) });
      } catch (err) {
        if (err instanceof OrderInputError) return errorBody(400, err.message);
        throw err;
      }
    },
    placeOrder,
    deliveries: () => webhooks.deliveries(),
    idle: () => webhooks.idle(),
  };
}

/** A placed order reserves its goods (§23.12, Q5): `reserved` rises, `quantity` waits for delivery. */
function reserveStock(store: McfStore, order: OrderRec, at: number): void {
  for (const line of order.lines) {
    if (line.quantity <= 0) continue;
    const owner =
      line.variationId !== null
        ? store.variations.get(line.variationId)
        : line.productId !== null
          ? store.products.get(line.productId)
          : undefined;
    const itemId = owner?.stockItemId ?? null;
    const item = itemId === null ? undefined : store.stockItems.get(itemId);
    if (!item) continue;
    item.reserved += line.quantity;
    item.updatedAt = at;
  }
}

const returnSchema = z.strictObject({
  product_code: z.string().min(1),
  quantity: z.number().int().positive(),
  order_id: z.number().int().positive().optional(),
});

/**
 * A return processed in the admin (`POST /__sim/returns`): MyCashflow puts the goods back in stock and
 * records the change with a return source type (the seed's "Returns and NetBaron"; `mycashflow-api.md`
 * §12.4 expects kinds such as order, return, manual, API).
 */
function processReturn(store: McfStore, body: string, at: number): SimResponse {
  let input: z.infer<typeof returnSchema>;
  try {
    input = returnSchema.parse(JSON.parse(body));
  } catch (err) {
    return errorBody(400, `a return is {product_code, quantity, order_id?}: ${(err as Error).message}`);
  }
  const item = store.stockItemByCode(input.product_code);
  if (!item) return errorBody(404, `no stock item with product code ${JSON.stringify(input.product_code)}`);
  store.setStockQuantity(item, item.quantity + input.quantity, {
    userId: null,
    at,
    sourceType: 'return',
    sourceId: input.order_id ?? null,
  });
  return jsonResponse(200, { data: { product_code: input.product_code, quantity: item.quantity } });
}
