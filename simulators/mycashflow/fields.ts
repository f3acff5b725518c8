import { z } from 'zod';
import { centsFromNumber, vatRateFromNumber } from '../../src/domain/money.ts';
import { parseTimestamp } from './timestamps.ts';

/* Field validators shared by the state document and the API's request bodies. */

function exactly(read: (n: number) => unknown): (n: number) => boolean {
  return (n) => {
    try {
      read(n);
      return true;
    } catch {
      return false;
    }
  };
}

export const idField = z.number().int().positive();

/** A euro amount as a JSON number with at most two decimals. */
export const moneyField = z
  .number()
  .refine(exactly(centsFromNumber), 'must be an amount with at most 2 decimals');

export const priceField = moneyField.refine((n) => n >= 0, 'must not be negative');

/** A VAT percentage such as 25.5: 0 to 99.99, at most two decimals. */
export const vatRateField = z
  .number()
  .refine(exactly(vatRateFromNumber), 'must be a percentage from 0 to 99.99 with at most 2 decimals');

export const weightField = z.number().refine((n) => Number.isFinite(n) && n >= 0, 'must be a number ≥ 0');

export const timestampField = z
  .string()
  .refine(
    (s) => parseTimestamp(s) !== undefined,
    'must be an ISO-8601 timestamp such as 2024-05-02T13:26:54+03:00',
  );

export const nullableString = z.string().nullable();

/** Product fields of §10.3 that are stored and served as given; the simulator gives them no meaning. */
export const productExtrasShape = {
  supplier_code: nullableString.optional(),
  keywords: nullableString.optional(),
  barcode: nullableString.optional(),
  seo_title: nullableString.optional(),
  seo_page_title: nullableString.optional(),
  seo_meta_description: nullableString.optional(),
  available_from: nullableString.optional(),
  available_to: nullableString.optional(),
  visible_from: nullableString.optional(),
  purchasable_from: nullableString.optional(),
  warranty: z.number().int().nullable().optional(),
  brand_id: idField.nullable().optional(),
  supplier_id: idField.nullable().optional(),
  order_limit: z.number().int().nullable().optional(),
  order_limit_min: z.number().int().nullable().optional(),
  featured: z.boolean().optional(),
  features: z.record(z.string(), z.unknown()).nullable().optional(),
};

/** A variation's option values (§11.2), e.g. `{"Koko": "38"}`; the simulator gives them no meaning. */
export const variationFeaturesField = z.record(z.string(), z.unknown()).nullable();

export const PRODUCT_EXTRA_KEYS = Object.keys(productExtrasShape);

export const visibilityField = z.strictObject({ version_id: idField, is_visible: z.boolean() });

export const ORDER_EXPANDS = [
  'products',
  'products.return_reasons',
  'payments',
  'shipments',
  'tax_summary',
  'comments',
  'events',
] as const;

export const webhookUrlField = z
  .string()
  .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), 'must be an http or https URL');

/** `products[3].price: must not be negative` */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 10)
    .map((issue) => {
      const path = issue.path.reduce<string>(
        (acc, key) =>
          typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key),
        '',
      );
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
