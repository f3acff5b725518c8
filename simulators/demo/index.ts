import { generateCatalog } from './catalog.ts';
import { createOrderStream } from './orders.ts';
import type { DemoScenario, McfOrder, McfProduct } from './state-types.ts';
import {
  API_USER,
  netbaronSetup,
  PAYMENT_METHODS,
  SHIPPING_METHODS,
  STORE,
  VERSIONS,
} from './store-setup.ts';
import { DEFAULT_BASE_DATE } from './timestamps.ts';

export { createOrderStream, FIRST_ORDER_ID, type OrderStream, type OrderStreamOptions } from './orders.ts';
export { DEFAULT_BASE_DATE } from './timestamps.ts';
export type * from './state-types.ts';

export const DEFAULT_SEED = 2026;

export interface DemoOptions {
  /** Number of catalog products; each lands in the store, in NetBaron or in both (see catalog-fates.ts). */
  products: number;
  /** Open orders already in the store; by default one per ten products, at most 1000. */
  orders?: number;
  seed?: number;
  /** The first order is placed shortly after this instant. */
  baseDate?: string;
}

function count(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${what} must be a whole number ≥ 0, not ${value}`);
  return value;
}

/** Open orders hold their goods: each sellable's `reserved` is what the state's orders ask of it. */
function reserveForOrders(products: readonly McfProduct[], orders: readonly McfOrder[]): void {
  const wanted = new Map<string, number>();
  for (const order of orders) {
    for (const line of order.products) {
      wanted.set(line.product_code, (wanted.get(line.product_code) ?? 0) + line.quantity);
    }
  }
  for (const product of products) {
    if (product.stock_item) product.stock_item.reserved = wanted.get(product.product_code) ?? 0;
    for (const variation of product.variations) {
      variation.stock_item.reserved = wanted.get(variation.product_code) ?? 0;
    }
  }
}

/**
 * A consistent pair of simulator states for the store "Pohjolan Puoti" and its NetBaron organisation.
 * The same options always give the same documents, byte for byte, once serialised.
 */
export function generateDemoScenario(options: DemoOptions): DemoScenario {
  const products = count(options.products, 'products');
  const orderCount = count(options.orders ?? Math.min(1000, Math.ceil(products / 10)), 'orders');
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, not ${seed}`);
  const baseDate = options.baseDate ?? DEFAULT_BASE_DATE;

  const catalog = generateCatalog(seed, products);
  const orders: McfOrder[] = [];
  const stream = createOrderStream({ seed, catalog: catalog.store, baseDate });
  // A tiny catalog may have nothing in stock in the store; it then simply has no orders yet.
  if (stream.orderable > 0) {
    for (let i = 0; i < orderCount; i++) orders.push(stream.orderAt(i));
  }
  reserveForOrders(catalog.store, orders);

  return {
    mycashflow: {
      store: { ...STORE },
      api_users: [{ ...API_USER }],
      versions: VERSIONS.map((v) => ({ ...v, contact: { ...v.contact } })),
      payment_methods: PAYMENT_METHODS.map(({ id, name }) => ({ id, name })),
      shipping_methods: SHIPPING_METHODS.map(({ id, name }) => ({ id, name })),
      products: catalog.store,
      orders,
      webhooks: [],
    },
    netbaron: netbaronSetup(catalog.netbaron),
  };
}
