/*
 * Which fields of MyCashflow's JSON objects hold which kind of value, by name, across every resource.
 * One list for both sides that must agree on it: the simulator answering in a variant (quirks) and the
 * probe recognising that variant in a real answer.
 */

/** To-one relations an expand can bring; an empty one may come as `null` or `[]`. */
export const TO_ONE_RELATIONS: ReadonlySet<string> = new Set([
  'stock_item',
  'brand',
  'shipping_address',
  'customer',
  'category',
  'supplier',
]);

/** Money, in euros with cents. */
export const MONEY_FIELDS: ReadonlySet<string> = new Set([
  'price',
  'purchase_price',
  'unit_price',
  'subtotal',
  'shipping_costs',
  'payment_costs',
  'discount',
  'total',
  'total_tax',
  'total_without_tax',
  'amount',
]);

/** VAT rates, as decimal percentages. */
export const RATE_FIELDS: ReadonlySet<string> = new Set(['vat_rate', 'tax_rate']);

/** Whole stock quantities. */
export const QUANTITY_FIELDS: ReadonlySet<string> = new Set([
  'quantity',
  'reserved',
  'balance',
  'quantity_change',
]);

/** Timestamps (`created_at`, the campaigns' `*_time_ends`). */
export const TIMESTAMP_FIELD = /(_at|_time_ends)$/;
