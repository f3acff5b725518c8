import {
  addCents,
  cents,
  centsFromNumber,
  centsToNumber,
  multiplyCents,
  vatRateFromNumber,
  vatRateToNumber,
  type Cents,
} from '../../src/domain/money.ts';
import { customerInformation, otherShippingAddress, shippingAddressOf } from './customers.ts';
import { FINLAND_SWEDISH, FINNISH } from './people.ts';
import { percentOf } from './pricing.ts';
import { Rng, STREAM } from './random.ts';
import type { McfOrder, McfOrderLine, McfProduct, McfVariation } from './state-types.ts';
import {
  COST_VAT_RATE,
  PAYMENT_METHODS,
  SHIPPING_METHODS,
  VERSION_FI,
  VERSION_SV,
  VERSIONS,
  versionById,
} from './store-setup.ts';
import { taxSummary, type TaxedLine } from './tax-summary.ts';
import { DEFAULT_BASE_DATE, formatHelsinkiWinter, parseBaseDate } from './timestamps.ts';

export const FIRST_ORDER_ID = 10001;
/** Line ids are the order id followed by the line's position (1–4), so they never repeat across orders. */
const LINE_ID_FACTOR = 10;
/** Orders arrive about every seven minutes, each at a random second within its own slot: ids and times agree. */
const ORDER_SPACING_S = 420;

/** Something a shopper can put in the basket: a product without variations, or one variation. */
interface Sellable {
  product: McfProduct;
  variation: McfVariation | null;
}

export interface OrderStreamOptions {
  seed: number;
  /** The store's products (a MyCashflow state's `products`); orders use only what is in stock there. */
  catalog: readonly McfProduct[];
  baseDate?: string;
  /** Index of the first order `nextOrder()` returns; order i always has id 10001 + i. */
  startIndex?: number;
}

export interface OrderStream extends Iterable<McfOrder> {
  /** How many sellables the stream can choose from; with none, asking for an order throws. */
  readonly orderable: number;
  /** The order with this index: the same for the same seed and catalog, whatever was asked before. */
  orderAt(index: number): McfOrder;
  /** The next order after the previous `nextOrder()` (starting at `startIndex`). */
  nextOrder(): McfOrder;
}

function visibleIn(product: McfProduct, versionId: number): boolean {
  return product.visibilities.some((v) => v.version_id === versionId && v.is_visible);
}

/** In-stock sellables per store version; sold-out items are not offered, so no order starts as a backorder. */
function sellablesByVersion(catalog: readonly McfProduct[]): Map<number, Sellable[]> {
  const byVersion = new Map<number, Sellable[]>(VERSIONS.map((v) => [v.id, []]));
  for (const product of catalog) {
    const options: Sellable[] =
      product.variations.length > 0
        ? product.variations
            .filter((v) => v.stock_item.quantity > 0)
            .map((variation) => ({ product, variation }))
        : (product.stock_item?.quantity ?? 0) > 0
          ? [{ product, variation: null }]
          : [];
    for (const [versionId, list] of byVersion) {
      if (visibleIn(product, versionId)) list.push(...options);
    }
  }
  return byVersion;
}

function pickLines(rng: Rng, pool: readonly Sellable[], count: number): Sellable[] {
  const chosen = new Set<number>();
  const wanted = Math.min(count, pool.length);
  while (chosen.size < wanted) chosen.add(rng.int(0, pool.length - 1));
  return [...chosen].map((i) => pool[i] as Sellable);
}

/** A small campaign discount: ten per cent, or five or ten euros off a larger basket. Always below the subtotal. */
function campaignDiscount(rng: Rng, subtotal: Cents): Cents {
  const fixed = cents(rng.pick([500, 1000]));
  if (subtotal >= multiplyCents(fixed, 4) && rng.chance(0.5)) return fixed;
  const tenth = percentOf(subtotal, 10);
  return tenth > 0 ? tenth : cents(1);
}

export function createOrderStream(options: OrderStreamOptions): OrderStream {
  const seed = options.seed;
  const base = parseBaseDate(options.baseDate ?? DEFAULT_BASE_DATE);
  const pools = sellablesByVersion(options.catalog);
  const fiPool = pools.get(VERSION_FI) ?? [];
  const svPool = pools.get(VERSION_SV) ?? [];

  function orderAt(index: number): McfOrder {
    if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`order index ${index} is not valid`);
    if (fiPool.length === 0) throw new RangeError('the catalog has nothing in stock to order');
    const rng = Rng.derive(seed, STREAM.order, index);
    const id = FIRST_ORDER_ID + index;
    const createdMs = base + (index * ORDER_SPACING_S + rng.int(0, ORDER_SPACING_S - 1)) * 1000;
    const updatedMs = createdMs + rng.int(0, 120) * 1000;

    const swedish = svPool.length > 0 && rng.chance(0.12);
    const version = versionById(swedish ? VERSION_SV : VERSION_FI);
    const words = swedish ? FINLAND_SWEDISH : FINNISH;
    const payment = rng.weighted(PAYMENT_METHODS.map((m) => [m, m.weight] as const));
    const shipping = rng.weighted(SHIPPING_METHODS.map((m) => [m, m.weight] as const));

    const customer = customerInformation(rng, words, rng.chance(0.15));
    const differentShipping = rng.chance(0.2);
    const shippingAddress = differentShipping
      ? otherShippingAddress(rng, words, customer)
      : shippingAddressOf(customer);

    const lineCount = rng.weighted([
      [1, 45],
      [2, 30],
      [3, 15],
      [4, 10],
    ]);
    const taxed: TaxedLine[] = [];
    const lines: McfOrderLine[] = pickLines(rng, swedish ? svPool : fiPool, lineCount).map(
      ({ product, variation }, k) => {
        const quantity = rng.weighted([
          [1, 75],
          [2, 18],
          [3, 7],
        ]);
        const unitPrice = variation ? variation.price : product.price;
        const rate = vatRateFromNumber(product.vat_rate);
        taxed.push({ gross: multiplyCents(centsFromNumber(unitPrice), quantity), rate });
        return {
          id: id * LINE_ID_FACTOR + k + 1,
          product_id: product.id,
          variation_id: variation ? variation.id : null,
          product_code: variation ? variation.product_code : product.product_code,
          product_name: product.name,
          model_name: variation ? variation.name : null,
          quantity,
          unit_price: unitPrice,
          vat_rate: vatRateToNumber(rate),
        };
      },
    );

    const subtotal = addCents(...taxed.map((t) => t.gross));
    const shippingCosts =
      shipping.freeFrom !== null && subtotal >= shipping.freeFrom ? cents(0) : shipping.fee;
    const paymentCosts = payment.fee;
    const discount = rng.chance(0.1) ? campaignDiscount(rng, subtotal) : cents(0);
    const total = addCents(subtotal, shippingCosts, paymentCosts, cents(-discount));

    return {
      id,
      created_at: formatHelsinkiWinter(createdMs),
      updated_at: formatHelsinkiWinter(updatedMs),
      version_id: version.id,
      language: version.language,
      status: 'open',
      payment_method_id: payment.id,
      shipping_method_id: shipping.id,
      customer_information: customer,
      shipping_address: shippingAddress,
      different_shipping_address: differentShipping,
      products: lines,
      subtotal: centsToNumber(subtotal),
      shipping_costs: centsToNumber(shippingCosts),
      payment_costs: centsToNumber(paymentCosts),
      discount: centsToNumber(discount),
      total: centsToNumber(total),
      tax_summary: taxSummary({
        lines: taxed,
        shippingCosts,
        paymentCosts,
        discount,
        costRate: COST_VAT_RATE,
      }),
    };
  }

  let cursor = options.startIndex ?? 0;
  return {
    orderable: fiPool.length,
    orderAt,
    nextOrder: () => orderAt(cursor++),
    *[Symbol.iterator]() {
      for (let i = options.startIndex ?? 0; ; i++) yield orderAt(i);
    },
  };
}
