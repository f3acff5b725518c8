import {
  addCents,
  cents,
  centsFromNumber,
  centsToNumber,
  multiplyCents,
  vatRateFromNumber,
  type VatBasisPoints,
} from '../../src/domain/money.ts';
import type { JsonObject, OrderLineRec, OrderRec, TaxRow, TaxSummary } from './model.ts';
import { LINE_OTHER_KEYS, type McfOrderParsed } from './state-schema.ts';
import type { McfStore } from './store.ts';
import { computeTaxSummary } from './tax-summary.ts';
import { formatInstant, parseTimestamp, truncateToSecond } from './timestamps.ts';

/** A problem with an order as given, naming the field; a 400 from the control API, an Error on state load. */
export class OrderInputError extends Error {
  override name = 'OrderInputError';
}

const DEFAULT_COST_RATE = vatRateFromNumber(25.5);

export interface OrderIntakeOptions {
  /** Field paths in messages start here, e.g. `orders[3].` for a state document. */
  path: string;
  now: number;
  /**
   * `checkout`: an order placed as a shopper would, so its references must exist and a payment and a
   * shipment are opened for it. `state`: an order from a state document, kept as written.
   */
  mode: 'checkout' | 'state';
  /** The order id to use when the input has none (state loading assigns ids in document order). */
  id?: number;
}

type LineInput = McfOrderParsed['products'][number];

const ts = (text: string | undefined, fallback: number): number =>
  text === undefined ? fallback : truncateToSecond(parseTimestamp(text) ?? fallback);

/**
 * Turns an order in the API's shape into a stored order: ids, timestamps, the catalog's details for
 * lines that name a product, totals and tax_summary computed exactly where they are not given. Values
 * that are given are kept even when they do not add up, as a store's legacy data may not.
 */
export function intakeOrder(store: McfStore, input: McfOrderParsed, options: OrderIntakeOptions): OrderRec {
  const { path, now, mode } = options;
  const fail = (field: string, message: string): never => {
    throw new OrderInputError(`${path}${field}: ${message}`);
  };
  if (input.id !== undefined && store.orders.get(input.id)) fail('id', `order ${input.id} already exists`);

  const createdAt = ts(input.created_at, now);
  const updatedAt = ts(input.updated_at, createdAt);
  const defaultVersion = store.versions.list()[0];
  const versionId = input.version_id === undefined ? (defaultVersion?.id ?? null) : input.version_id;
  const version = versionId === null ? undefined : store.versions.get(versionId);
  const paymentMethodId =
    input.payment_method_id === undefined
      ? (store.paymentMethods.list()[0]?.id ?? null)
      : input.payment_method_id;
  const shippingMethodId =
    input.shipping_method_id === undefined
      ? (store.shippingMethods.list()[0]?.id ?? null)
      : input.shipping_method_id;
  if (mode === 'checkout') {
    if (versionId !== null && !version) fail('version_id', `store version ${versionId} does not exist`);
    if (paymentMethodId !== null && !store.paymentMethods.get(paymentMethodId)) {
      fail('payment_method_id', `payment method ${paymentMethodId} does not exist`);
    }
    if (shippingMethodId !== null && !store.shippingMethods.get(shippingMethodId)) {
      fail('shipping_method_id', `shipping method ${shippingMethodId} does not exist`);
    }
  }

  const lines = input.products.map((line, i) =>
    intakeLine(store, line, { createdAt, mode, fail: (f, m) => fail(`products[${i}].${f}`, m) }),
  );
  const id = input.id ?? options.id ?? store.nextId('order');
  const subtotal =
    input.subtotal === undefined
      ? addCents(cents(0), ...lines.map((l) => multiplyCents(l.unitPrice, l.quantity)))
      : centsFromNumber(input.subtotal);
  const shippingCosts = centsFromNumber(input.shipping_costs);
  const paymentCosts = centsFromNumber(input.payment_costs);
  const discount = centsFromNumber(input.discount);
  const total =
    input.total === undefined
      ? cents(addCents(subtotal, shippingCosts, paymentCosts) - discount)
      : centsFromNumber(input.total);

  const taxSummary = input.tax_summary
    ? readTaxSummary(input.tax_summary)
    : computeTaxSummary({
        lines: lines.map((l) => ({ gross: multiplyCents(l.unitPrice, l.quantity), rate: l.vatRate })),
        discount,
        shippingCosts,
        shippingRate: rateOr(input.shipping_costs_vat_rate),
        paymentCosts,
        paymentRate: rateOr(input.payment_costs_vat_rate),
      });

  const other: JsonObject = {
    external_id: input.external_id,
    customer_id: input.customer_id,
    customer_external_id: input.customer_external_id,
    customer_information: input.customer_information,
    shipping_address: input.shipping_address,
    different_shipping_address: input.different_shipping_address,
    details: input.details,
    receipt_url: input.receipt_url,
    return_document_url: input.return_document_url,
    dispatch_note_url: input.dispatch_note_url,
    custom_data: input.custom_data ?? null,
  };

  const order: OrderRec = {
    id,
    createdAt,
    updatedAt,
    archivedAt: input.archived_at === null ? null : ts(input.archived_at, createdAt),
    status: input.status,
    versionId,
    language: input.language ?? version?.language ?? defaultVersion?.language ?? 'fi',
    shippingMethodId,
    paymentMethodId,
    subtotal,
    shippingCosts,
    paymentCosts,
    discount,
    total,
    other,
    lines,
    taxSummary,
    payments: input.payments,
    shipments: input.shipments,
    comments: input.comments,
    events: input.events,
  };
  if (mode === 'checkout') openPaymentAndShipment(store, order);
  return order;
}

const rateOr = (rate: number | undefined): VatBasisPoints =>
  rate === undefined ? DEFAULT_COST_RATE : vatRateFromNumber(rate);

interface LineContext {
  createdAt: number;
  mode: 'checkout' | 'state';
  fail: (field: string, message: string) => never;
}

/** Fills a line from the catalog when it names a product or variation (by id or by code). */
function intakeLine(store: McfStore, line: LineInput, ctx: LineContext): OrderLineRec {
  let variation = line.variation_id ? store.variations.get(line.variation_id) : undefined;
  let product = line.product_id ? store.products.get(line.product_id) : undefined;
  if (!variation && !product && line.product_code && line.variation_id == null && line.product_id == null) {
    const owner = store.codeOwners(line.product_code)[0];
    if (owner?.kind === 'variation') variation = owner;
    else product = owner;
  }
  if (variation) product = store.products.get(variation.productId);
  if (ctx.mode === 'checkout') {
    if (line.variation_id && !variation)
      ctx.fail('variation_id', `variation ${line.variation_id} does not exist`);
    if (line.product_id && !product) ctx.fail('product_id', `product ${line.product_id} does not exist`);
    if (product && !variation && product.variationIds.length > 0) {
      ctx.fail('product_code', `product ${product.id} has variations; a line must name one of them`);
    }
  }
  const unitPrice =
    line.unit_price !== undefined
      ? centsFromNumber(line.unit_price)
      : (variation?.price ??
        product?.price ??
        ctx.fail('unit_price', 'required when the line names no product of the store'));
  const purchasePrice =
    line.purchase_price !== undefined
      ? line.purchase_price === null
        ? null
        : centsFromNumber(line.purchase_price)
      : (variation?.purchasePrice ?? product?.purchasePrice ?? null);
  const other: JsonObject = {};
  for (const key of LINE_OTHER_KEYS) other[key] = (line as Record<string, unknown>)[key] ?? null;
  const createdAt = ts(line.created_at, ctx.createdAt);
  return {
    id: line.id ?? store.nextId('orderLine'),
    createdAt,
    updatedAt: ts(line.updated_at, createdAt),
    deliveredAt: line.delivered_at === null ? null : ts(line.delivered_at, createdAt),
    productId: line.product_id ?? product?.id ?? null,
    variationId: line.variation_id ?? variation?.id ?? null,
    productCode: line.product_code ?? variation?.productCode ?? product?.productCode ?? null,
    productName: line.product_name ?? product?.name ?? '',
    modelName: line.model_name ?? variation?.name ?? null,
    quantity: line.quantity,
    unitPrice,
    purchasePrice,
    vatRate:
      line.vat_rate !== undefined
        ? vatRateFromNumber(line.vat_rate)
        : (product?.vatRate ?? DEFAULT_COST_RATE),
    other,
    returnReasons: line.return_reasons,
  };
}

function readTaxSummary(given: NonNullable<McfOrderParsed['tax_summary']>): TaxSummary {
  const rows = (list: typeof given.subtotal): TaxRow[] =>
    list.map((t) => ({
      rate: vatRateFromNumber(t.tax_rate),
      total: centsFromNumber(t.total),
      tax: centsFromNumber(t.total_tax),
      net: centsFromNumber(t.total_without_tax),
    }));
  return {
    subtotal: rows(given.subtotal),
    discount: rows(given.discount),
    shipping_costs: rows(given.shipping_costs),
    payment_costs: rows(given.payment_costs),
    total: rows(given.total),
  };
}

/** A checkout opens one payment for the total and one shipment, as the admin then shows them. */
function openPaymentAndShipment(store: McfStore, order: OrderRec): void {
  const at = formatInstant(order.createdAt);
  if (order.payments.length === 0 && order.paymentMethodId !== null) {
    order.payments = [
      {
        id: store.nextId('payment'),
        created_at: at,
        updated_at: at,
        order_id: order.id,
        payment_method_id: order.paymentMethodId,
        reference: null,
        external_id: null,
        amount: centsToNumber(order.total),
        currency: 'EUR',
        exchange_rate: 1,
        is_confirmed: false,
        is_paid: false,
        status: 'OPEN',
      },
    ];
  }
  if (order.shipments.length === 0 && order.shippingMethodId !== null) {
    order.shipments = [
      {
        id: store.nextId('shipment'),
        created_at: at,
        updated_at: at,
        order_id: order.id,
        type: null,
        status: 'OPEN',
        shipping_method_id: order.shippingMethodId,
        weight: null,
        parcel_count: 1,
        external_id: null,
        external_pickup_postring_id: null,
        tracking_code: null,
        shipping_label_url: null,
        completed_at: null,
        documents: [],
      },
    ];
  }
}
