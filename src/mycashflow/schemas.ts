import { z } from 'zod';
import {
  mcfOrderIdSchema,
  mcfOrderLineIdSchema,
  mcfPaymentMethodIdSchema,
  mcfProductIdSchema,
  mcfShippingMethodIdSchema,
  mcfStockItemIdSchema,
  mcfVariationIdSchema,
  mcfVersionIdSchema,
  mcfWebhookUuidSchema,
} from '../domain/ids.ts';
import { jsonMoneySchema, jsonRoundedMoneySchema, jsonVatRateSchema } from '../domain/money-schemas.ts';
import type { Cents, RoundedCents } from '../domain/money.ts';
import { parseStoreTimestamp } from './timestamps.ts';

/*
 * Response shapes of MyCashflow API v1 as `mycashflow-api.md` §10–§17 and §23 describe them. Objects are
 * not strict: the API may add fields within v1, and an unknown field must not break an import. Money
 * is read into exact cents here, at the boundary.
 */

const text = z.string().nullish();

/** Any form the API may write (offset, `Z`, or the store's time without one), read as a UTC ISO instant. */
const timestamp = z.string().transform((value, ctx): string => {
  const at = parseStoreTimestamp(value);
  if (at) return at.toISOString();
  ctx.addIssue(`${JSON.stringify(value.slice(0, 40))} is not an ISO-8601 date-time`);
  return z.NEVER;
});

/** A whole number, also as decimal text ("3"), as public clients show quantities may come. */
const count = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^\s*-?\d+\s*$/)
    .transform(Number),
]);

/**
 * A purchase price may carry more than two decimals (4.1234): it is read rounded to the cent, and the
 * text as sent is kept beside it when the rounding changed the value, so the import can report it.
 */
function withRoundedPurchasePrice<T extends { purchase_price?: RoundedCents | null | undefined }>(
  item: T,
): Omit<T, 'purchase_price'> & { purchase_price?: Cents | null; purchase_price_rounded_from?: string } {
  const { purchase_price: price, ...rest } = item;
  if (price === null || price === undefined) return { ...rest, purchase_price: price };
  return {
    ...rest,
    purchase_price: price.cents,
    ...(price.rounded ? { purchase_price_rounded_from: price.text } : {}),
  };
}

/** A measure such as a weight in kg (not money: a float is its nature), also as decimal text. */
const measure = z.union([
  z.number(),
  z
    .string()
    .regex(/^\s*-?\d+(?:\.\d+)?\s*$/)
    .transform(Number),
]);

/** An empty to-one expand may come as `[]` (public clients show it for `brand`): read as null. */
function toOne<T extends z.ZodType>(schema: T) {
  return z.preprocess(
    (value) => (Array.isArray(value) && value.length === 0 ? null : value),
    schema.nullish(),
  );
}

export const metaSchema = z.object({
  page: z.number().int(),
  page_size: z.number().int(),
  page_count: z.number().int(),
  item_count: z.number().int(),
  next: z.string().optional(),
});
export type McfListMeta = z.infer<typeof metaSchema>;

export const listEnvelopeSchema = z.object({ data: z.array(z.unknown()), meta: metaSchema });
export const itemEnvelopeSchema = z.object({ data: z.unknown() });

export const errorBodySchema = z.object({
  code: z.number().optional(),
  error: z.string().optional(),
  message: z.string().optional(),
});

export const stockItemSchema = z.object({
  id: mcfStockItemIdSchema,
  product_id: mcfProductIdSchema.nullish(),
  variation_id: mcfVariationIdSchema.nullish(),
  code: text,
  quantity: count,
  reserved: count,
  balance: count,
  enabled: z.boolean().optional(),
  updated_at: timestamp.optional(),
});
export type McfStockItem = z.infer<typeof stockItemSchema>;

export const visibilitySchema = z.object({ version_id: mcfVersionIdSchema, is_visible: z.boolean() });
export type McfVisibility = z.infer<typeof visibilitySchema>;

export const variationSchema = z
  .object({
    id: mcfVariationIdSchema,
    product_id: mcfProductIdSchema,
    product_code: text,
    name: text,
    price: jsonMoneySchema.nullish(),
    purchase_price: jsonRoundedMoneySchema.nullish(),
    weight: measure.nullish(),
    stock_item: toOne(stockItemSchema),
    updated_at: timestamp.optional(),
  })
  .transform(withRoundedPurchasePrice);
export type McfVariation = z.infer<typeof variationSchema>;

export const productSchema = z
  .object({
    id: mcfProductIdSchema,
    product_code: text,
    name: z.string(),
    description: text,
    information: text,
    price: jsonMoneySchema.nullish(),
    purchase_price: jsonRoundedMoneySchema.nullish(),
    vat_rate: jsonVatRateSchema.nullish(),
    weight: measure.nullish(),
    parcel_type: text,
    created_at: timestamp.optional(),
    updated_at: timestamp.optional(),
    visibilities: z.array(visibilitySchema).optional(),
    stock_item: toOne(stockItemSchema),
    variations: z.array(variationSchema).optional(),
  })
  .transform(withRoundedPurchasePrice);
export type McfProduct = z.infer<typeof productSchema>;

export const stockChangeSchema = z.object({
  id: z.number().int(),
  changed_at: timestamp,
  source_type: text,
  source_id: z.number().int().nullish(),
  stock_item_id: mcfStockItemIdSchema,
  quantity: count,
  quantity_change: count,
});
export type McfStockChange = z.infer<typeof stockChangeSchema>;

const addressFields = {
  company: text,
  first_name: text,
  last_name: text,
  street_address: text,
  postal_code: text,
  city: text,
  country: text,
  phone: text,
  email: text,
};
export const customerInformationSchema = z.object({ ...addressFields, vat_code: text });
export const shippingAddressSchema = z.object(addressFields);

export const orderLineSchema = z.object({
  id: mcfOrderLineIdSchema,
  product_id: mcfProductIdSchema.nullish(),
  variation_id: mcfVariationIdSchema.nullish(),
  product_code: text,
  product_name: z.string(),
  model_name: text,
  quantity: count,
  unit_price: jsonMoneySchema,
  vat_rate: jsonVatRateSchema,
});
export type McfOrderLine = z.infer<typeof orderLineSchema>;

export const taxRowSchema = z.object({
  tax_rate: jsonVatRateSchema,
  total: jsonMoneySchema,
  total_tax: jsonMoneySchema,
  total_without_tax: jsonMoneySchema,
});
export type McfTaxRow = z.infer<typeof taxRowSchema>;

const taxRows = z.array(taxRowSchema).default([]);
export const taxSummarySchema = z.object({
  subtotal: taxRows,
  discount: taxRows,
  shipping_costs: taxRows,
  payment_costs: taxRows,
  total: taxRows,
});
export type McfTaxSummary = z.infer<typeof taxSummarySchema>;

export const paymentSchema = z.object({
  id: z.number().int(),
  payment_method_id: mcfPaymentMethodIdSchema.nullish(),
  amount: jsonMoneySchema.nullish(),
  status: text,
});

export const orderSchema = z.object({
  id: mcfOrderIdSchema,
  created_at: timestamp,
  updated_at: timestamp.optional(),
  version_id: mcfVersionIdSchema.nullish(),
  language: text,
  customer_id: z.number().int().nullish(),
  payment_method_id: mcfPaymentMethodIdSchema.nullish(),
  shipping_method_id: mcfShippingMethodIdSchema.nullish(),
  customer_information: customerInformationSchema,
  shipping_address: toOne(shippingAddressSchema),
  different_shipping_address: z.boolean().nullish(),
  subtotal: jsonMoneySchema,
  shipping_costs: jsonMoneySchema.nullish(),
  payment_costs: jsonMoneySchema.nullish(),
  discount: jsonMoneySchema.nullish(),
  total: jsonMoneySchema,
  status: z.string(),
  products: z.array(orderLineSchema).optional(),
  tax_summary: taxSummarySchema.optional(),
  payments: z.array(paymentSchema).optional(),
});
export type McfOrder = z.infer<typeof orderSchema>;

/**
 * What intake reads of a listed order: which it is and when it was made. The whole order is validated
 * once, when it is sent (`orderSchema`), where a bad order waits visibly however it arrived.
 */
export const orderArrivalSchema = orderSchema.pick({ id: true, created_at: true });
export type McfOrderArrival = z.infer<typeof orderArrivalSchema>;

export const paymentMethodSchema = z.object({ id: mcfPaymentMethodIdSchema, name: z.string() });
export type McfPaymentMethod = z.infer<typeof paymentMethodSchema>;

export const shippingMethodSchema = z.object({ id: mcfShippingMethodIdSchema, name: z.string() });
export type McfShippingMethod = z.infer<typeof shippingMethodSchema>;

export const versionContactSchema = z.object({
  company: text,
  business_id: text,
  street_address: text,
  postal_code: text,
  city: text,
  country: text,
  email: text,
  phone: text,
});
export type McfVersionContact = z.infer<typeof versionContactSchema>;

export const versionSchema = z.object({
  id: mcfVersionIdSchema,
  name: z.string(),
  language: text,
  contact: versionContactSchema.nullish(),
});
export type McfVersion = z.infer<typeof versionSchema>;

export const webhookSchema = z.object({
  uuid: mcfWebhookUuidSchema,
  user_id: z.number().int().nullish(),
  topic: z.string(),
  expands: z.array(z.string()).default([]),
  url: z.string(),
});
export type McfWebhook = z.infer<typeof webhookSchema>;
