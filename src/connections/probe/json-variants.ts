/*
 * Which variants of the model a MyCashflow answer uses, read from the JSON as sent (before any schema
 * smooths them over). Pure, so each tolerance the probe reports on is unit-tested on its own.
 */

import {
  MONEY_FIELDS,
  QUANTITY_FIELDS,
  RATE_FIELDS,
  TIMESTAMP_FIELD,
  TO_ONE_RELATIONS,
} from '../../mycashflow/field-kinds.ts';

const isNumeric = (key: string): boolean =>
  MONEY_FIELDS.has(key) || RATE_FIELDS.has(key) || QUANTITY_FIELDS.has(key);
const ZONE = /(Z|z|[+-]\d{2}:?\d{2})$/;

export interface JsonVariants {
  /** Paths of numeric fields sent as text, with the text: `products[0].price = "24.90"`. */
  numbersAsText: string[];
  /** Paths of to-one relations sent as `[]`. */
  emptyRelationsAsArray: string[];
  /** Purchase prices with more than two decimals. */
  longPurchasePrices: string[];
  timestamps: { withOffset: string[]; zulu: string[]; withoutOffset: string[] };
}

export const noVariants = (): JsonVariants => ({
  numbersAsText: [],
  emptyRelationsAsArray: [],
  longPurchasePrices: [],
  timestamps: { withOffset: [], zulu: [], withoutOffset: [] },
});

function decimals(value: unknown): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** Adds what `value` (found at `path`) shows to `into`; walks objects and arrays. */
export function observeJson(value: unknown, path: string, into: JsonVariants = noVariants()): JsonVariants {
  if (Array.isArray(value)) {
    value.forEach((item, i) => observeJson(item, `${path}[${i}]`, into));
    return into;
  }
  if (value === null || typeof value !== 'object') return into;
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    const at = `${path}.${key}`;
    if (isNumeric(key) && typeof field === 'string')
      into.numbersAsText.push(`${at} = ${JSON.stringify(field)}`);
    if (TO_ONE_RELATIONS.has(key) && Array.isArray(field) && field.length === 0)
      into.emptyRelationsAsArray.push(at);
    if (key === 'purchase_price' && decimals(field) > 2)
      into.longPurchasePrices.push(`${at} = ${JSON.stringify(field)}`);
    if (TIMESTAMP_FIELD.test(key) && typeof field === 'string') {
      const zone = ZONE.exec(field.trim())?.[1];
      const list = !zone
        ? into.timestamps.withoutOffset
        : zone.toUpperCase() === 'Z'
          ? into.timestamps.zulu
          : into.timestamps.withOffset;
      list.push(`${at} = ${field}`);
    }
    if (typeof field === 'object') observeJson(field, at, into);
  }
  return into;
}
