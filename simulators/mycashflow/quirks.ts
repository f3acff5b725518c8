import { z } from 'zod';
import {
  MONEY_FIELDS,
  QUANTITY_FIELDS,
  RATE_FIELDS,
  TIMESTAMP_FIELD,
  TO_ONE_RELATIONS,
} from '../../src/mycashflow/field-kinds.ts';
import type { SimResponse } from '../kit/types.ts';
import { helsinkiOffsetMinutes, parseTimestamp } from './timestamps.ts';

/*
 * Variants of the API's answers that public clients show the real MyCashflow sends (or plausibly
 * sends) and that the documentation does not rule out. All off by default; each one is applied to
 * the finished JSON body of a successful answer, so the records and their rendering stay one truth.
 */

export const quirksSchema = z.strictObject({
  /** An empty to-one expand (stock_item, brand, shipping_address, …) comes as `[]`, not `null`. */
  emptyRelationsAsArray: z.boolean().default(false),
  /** Prices, VAT rates, weights and stock quantities come as decimal text: "24.90", "25.5", "3". */
  numbersAsStrings: z.boolean().default(false),
  /** Purchase prices carry four decimals (4.12 → 4.1234), as a merchant's bookkeeping may leave them. */
  longPurchasePrices: z.boolean().default(false),
  /** Timestamps in UTC with `Z` instead of the store's offset. */
  timestampsZulu: z.boolean().default(false),
  /** Timestamps as the store's wall-clock time with no offset at all. */
  timestampsWithoutOffset: z.boolean().default(false),
});
export type Quirks = z.output<typeof quirksSchema>;
export const NO_QUIRKS: Quirks = quirksSchema.parse({});

const two = (n: number): string => String(n).padStart(2, '0');

function moneyText(value: number, key: string, q: Quirks): string | number {
  if (key === 'purchase_price' && q.longPurchasePrices) {
    // Sub-cent digits that round back to the same cent, so the result of an import is unchanged.
    const text = `${value.toFixed(2)}34`;
    return q.numbersAsStrings ? text : Number(text);
  }
  return q.numbersAsStrings ? value.toFixed(2) : value;
}

function timestampText(text: string, q: Quirks): string {
  const ms = parseTimestamp(text);
  if (ms === undefined) return text;
  if (q.timestampsZulu) return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const local = new Date(ms + helsinkiOffsetMinutes(ms) * 60_000);
  return `${local.toISOString().slice(0, 10)}T${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}`;
}

function transform(value: unknown, key: string, q: Quirks): unknown {
  if (Array.isArray(value)) return value.map((item) => transform(item, '', q));
  if (value === null) return q.emptyRelationsAsArray && TO_ONE_RELATIONS.has(key) ? [] : null;
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = transform(v, k, q);
    return out;
  }
  if (typeof value === 'number') {
    if (MONEY_FIELDS.has(key)) return moneyText(value, key, q);
    if (q.numbersAsStrings && RATE_FIELDS.has(key)) return String(value);
    if (q.numbersAsStrings && (QUANTITY_FIELDS.has(key) || key === 'weight')) return String(value);
    return value;
  }
  if (
    typeof value === 'string' &&
    TIMESTAMP_FIELD.test(key) &&
    (q.timestampsZulu || q.timestampsWithoutOffset)
  ) {
    return timestampText(value, q);
  }
  return value;
}

const anyOn = (q: Quirks): boolean => Object.values(q).some(Boolean);

/** The answer as the quirks shape it; errors and empty bodies pass unchanged. */
export function applyQuirks(res: SimResponse, q: Quirks): SimResponse {
  if (!anyOn(q) || res.status >= 300 || typeof res.body !== 'string' || res.body === '') return res;
  const body = JSON.parse(res.body) as { data?: unknown; meta?: unknown };
  if (!('data' in body)) return res;
  return { ...res, body: JSON.stringify({ ...body, data: transform(body.data, 'data', q) }) };
}
