import { z } from 'zod';
import {
  idField,
  moneyField,
  nullableString,
  ORDER_EXPANDS,
  priceField,
  productExtrasShape,
  timestampField,
  variationFeaturesField,
  vatRateField,
  visibilityField,
  webhookUrlField,
  weightField,
} from './fields.ts';
import { quirksSchema } from './quirks.ts';

/*
 * The state document (GET/PUT /__sim/state) in the API's own vocabulary. The schema checks shapes and
 * fills the defaults that need no context; load-state.ts fills the rest (ids in order, timestamps,
 * visibilities, totals and tax_summary), because those depend on other parts of the document.
 */

const nullDefault = nullableString.default(null);

const contactSchema = z.strictObject({
  company: nullDefault,
  business_id: nullDefault,
  street_address: nullDefault,
  postal_code: nullDefault,
  city: nullDefault,
  country: nullDefault,
  email: nullDefault,
  phone: nullDefault,
});

const versionSchema = z.strictObject({
  id: idField.optional(),
  name: z.string().optional(),
  language: z.string().min(1).default('fi'),
  contact: contactSchema.prefault({}),
});

const methodBase = {
  id: idField.optional(),
  name: z.string().min(1),
  description: z.string().default(''),
  product_code: nullDefault,
  /** The admin's list order; the id when not given. */
  sort: z.number().int().optional(),
  created_at: timestampField.optional(),
  updated_at: timestampField.optional(),
};

/** §14's field list; the simulator serves these as given and never acts on them. */
const paymentMethodSchema = z.strictObject({
  ...methodBase,
  username: nullDefault,
  provider: nullDefault,
});

/** §15's field list, served as given. */
const shippingMethodSchema = z.strictObject({
  ...methodBase,
  type: nullDefault,
  service_provider: nullDefault,
  service_code: nullDefault,
  tracking_info: nullDefault,
  free_shipping_threshold: moneyField.nullable().default(null),
});

/** §10.3's brand expand, served as given; a product names its brand by `brand_id`. */
const brandSchema = z.strictObject({
  id: idField.optional(),
  name: z.string().min(1),
  description: nullDefault,
  seo_title: nullDefault,
  seo_page_title: nullDefault,
  seo_meta_description: nullDefault,
  template: nullDefault,
  created_at: timestampField.optional(),
  updated_at: timestampField.optional(),
});

export const stockItemSchema = z.strictObject({
  id: idField.optional(),
  quantity: z.number().int().default(0),
  reserved: z.number().int().min(0).default(0),
  enabled: z.boolean().default(true),
  barcode: nullDefault,
  location: nullDefault,
  balance_alert: z.boolean().default(false),
  balance_limit: z.number().int().default(0),
  backorder_enabled: z.boolean().default(false),
  backorder_estimate: nullDefault,
  created_at: timestampField.optional(),
  updated_at: timestampField.optional(),
});

const variationSchema = z.strictObject({
  id: idField.optional(),
  product_code: nullableString.optional(),
  name: z.string().default(''),
  price: priceField.optional(),
  purchase_price: priceField.optional(),
  weight: weightField.nullable().default(null),
  image_id: idField.nullable().default(null),
  sort: z.number().int().optional(),
  features: variationFeaturesField.default(null),
  stock_item: stockItemSchema.prefault({}),
  created_at: timestampField.optional(),
  updated_at: timestampField.optional(),
});

const productSchema = z.strictObject({
  id: idField.optional(),
  product_code: nullableString.optional(),
  name: z.string().optional(),
  description: z.string().default(''),
  information: z.string().default(''),
  price: priceField.default(0),
  purchase_price: priceField.default(0),
  vat_rate: vatRateField.default(25.5),
  weight: weightField.default(0),
  parcel_type: nullDefault,
  ...productExtrasShape,
  visibilities: z.array(visibilityField).optional(),
  /** Null or absent for a product with variations; absent means an empty stock item otherwise. */
  stock_item: stockItemSchema.nullable().optional(),
  variations: z.array(variationSchema).default([]),
  created_at: timestampField.optional(),
  updated_at: timestampField.optional(),
});

const taxRowSchema = z.strictObject({
  tax_rate: vatRateField,
  total: moneyField,
  total_tax: moneyField,
  total_without_tax: moneyField,
});

const taxSummarySchema = z.strictObject({
  subtotal: z.array(taxRowSchema).default([]),
  discount: z.array(taxRowSchema).default([]),
  shipping_costs: z.array(taxRowSchema).default([]),
  payment_costs: z.array(taxRowSchema).default([]),
  total: z.array(taxRowSchema).default([]),
});

const customerSchema = z.strictObject({
  company: nullDefault,
  vat_code: nullDefault,
  first_name: nullDefault,
  last_name: nullDefault,
  street_address: nullDefault,
  postal_code: nullDefault,
  city: nullDefault,
  country: nullDefault,
  phone: nullDefault,
  email: nullDefault,
});

const addressSchema = customerSchema.omit({ vat_code: true });

/** §13.5 line fields that carry no arithmetic; served as given, null when absent. */
export const LINE_OTHER_KEYS = [
  'customizations',
  'warranty',
  'custom_data',
  'bundle_id',
  'campaign_id',
  'shipment_id',
  'download_id',
  'download_time_ends',
  'download_times_left',
  'download_url',
  'return_to_stock',
] as const;

export const orderLineSchema = z.strictObject({
  id: idField.optional(),
  created_at: timestampField.optional(),
  updated_at: timestampField.optional(),
  delivered_at: timestampField.nullable().default(null),
  order_id: idField.optional(),
  product_id: idField.nullable().optional(),
  variation_id: idField.nullable().optional(),
  product_code: nullableString.optional(),
  product_name: z.string().optional(),
  model_name: nullableString.optional(),
  quantity: z.number().int().default(1),
  unit_price: moneyField.optional(),
  purchase_price: moneyField.nullable().optional(),
  vat_rate: vatRateField.optional(),
  ...Object.fromEntries(LINE_OTHER_KEYS.map((key) => [key, z.unknown().optional()])),
  return_reasons: z.array(z.unknown()).default([]),
});

const subResource = z.array(z.looseObject({})).default([]);

export const orderSchema = z.strictObject({
  id: idField.optional(),
  created_at: timestampField.optional(),
  updated_at: timestampField.optional(),
  archived_at: timestampField.nullable().default(null),
  external_id: nullDefault,
  version_id: idField.nullable().optional(),
  language: z.string().optional(),
  customer_id: idField.nullable().default(null),
  customer_external_id: nullDefault,
  shipping_method_id: idField.nullable().optional(),
  payment_method_id: idField.nullable().optional(),
  customer_information: customerSchema.prefault({}),
  shipping_address: addressSchema.prefault({}),
  different_shipping_address: z.boolean().default(false),
  subtotal: moneyField.optional(),
  shipping_costs: priceField.default(0),
  payment_costs: priceField.default(0),
  discount: priceField.default(0),
  total: moneyField.optional(),
  /** Not an API field: the VAT rate of the costs when tax_summary is computed (default 25.5). */
  shipping_costs_vat_rate: vatRateField.optional(),
  payment_costs_vat_rate: vatRateField.optional(),
  status: z.enum(['open', 'completed', 'cancelled']).default('open'),
  details: nullDefault,
  receipt_url: nullDefault,
  return_document_url: nullDefault,
  dispatch_note_url: nullDefault,
  custom_data: z.unknown().optional(),
  products: z.array(orderLineSchema).default([]),
  tax_summary: taxSummarySchema.optional(),
  payments: subResource,
  shipments: subResource,
  comments: subResource,
  events: subResource,
});

const webhookSchema = z.strictObject({
  uuid: z.string().min(1).optional(),
  user_id: idField.nullable().optional(),
  topic: z.literal('order.created').default('order.created'),
  expands: z.array(z.enum(ORDER_EXPANDS)).default([]),
  url: webhookUrlField,
});

const stockChangeSchema = z.strictObject({
  id: idField.optional(),
  changed_at: timestampField.optional(),
  user_id: idField.nullable().default(null),
  source_type: z.string().default('api'),
  source_id: z.number().int().nullable().default(null),
  stock_item_id: idField,
  quantity: z.number().int(),
  quantity_change: z.number().int().optional(),
});

export const PLANS = ['free', 'advanced', 'pro', 'enterprise'] as const;

export const mcfStateSchema = z.strictObject({
  store: z
    .strictObject({
      name: z.string().min(1).default('Demo Store'),
      plan: z.enum(PLANS).default('advanced'),
    })
    .prefault({}),
  api_users: z
    .array(z.strictObject({ id: idField.optional(), email: z.string().min(1), api_key: z.string().min(1) }))
    .optional(),
  versions: z.array(versionSchema).optional(),
  payment_methods: z.array(paymentMethodSchema).default([]),
  shipping_methods: z.array(shippingMethodSchema).default([]),
  brands: z.array(brandSchema).default([]),
  products: z.array(productSchema).default([]),
  orders: z.array(orderSchema).default([]),
  webhooks: z.array(webhookSchema).default([]),
  stock_changes: z.array(stockChangeSchema).default([]),
  /** Not an API resource: the answer variants of quirks.ts, all off by default. */
  quirks: quirksSchema.prefault({}),
});

/** A state document as it may be written: every field with a default can be left out. */
export type McfStateDocument = z.input<typeof mcfStateSchema>;
/** The same document after the schema's defaults (contextual defaults are filled when it is loaded). */
export type McfStateParsed = z.output<typeof mcfStateSchema>;
export type McfOrderInput = z.input<typeof orderSchema>;
export type McfOrderParsed = z.output<typeof orderSchema>;
export type McfProductParsed = McfStateParsed['products'][number];
