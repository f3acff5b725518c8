import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ASSUMPTIONS } from '../../src/connections/probe/assumptions.ts';
import { examples } from '../../src/connections/probe/check.ts';
import { observeJson } from '../../src/connections/probe/json-variants.ts';
import { MCF_CHECKS } from '../../src/connections/probe/probe-mycashflow.ts';
import { NB_CHECKS } from '../../src/connections/probe/probe-netbaron.ts';

describe('which variants a MyCashflow answer uses', () => {
  it('finds numbers as text, [] for a to-one relation, sub-cent purchase prices and each timestamp form', () => {
    const seen = observeJson(
      [
        {
          price: '24.90',
          vat_rate: 25.5,
          purchase_price: 4.1234,
          brand: [],
          variations: [],
          stock_item: { quantity: '3', updated_at: '2026-11-20T10:00:00Z' },
          created_at: '2026-11-20T12:00:00+02:00',
          updated_at: '2026-11-20 12:00:00',
        },
      ],
      'products',
    );
    expect(seen.numbersAsText).toEqual([
      'products[0].price = "24.90"',
      'products[0].stock_item.quantity = "3"',
    ]);
    // A to-many relation ([] for no variations) is the model, not a variant.
    expect(seen.emptyRelationsAsArray).toEqual(['products[0].brand']);
    expect(seen.longPurchasePrices).toEqual(['products[0].purchase_price = 4.1234']);
    expect(seen.timestamps.withOffset).toEqual(['products[0].created_at = 2026-11-20T12:00:00+02:00']);
    expect(seen.timestamps.zulu).toEqual(['products[0].stock_item.updated_at = 2026-11-20T10:00:00Z']);
    expect(seen.timestamps.withoutOffset).toEqual(['products[0].updated_at = 2026-11-20 12:00:00']);
  });

  it('finds nothing in an answer written exactly as the model says', () => {
    const seen = observeJson(
      {
        price: 24.9,
        purchase_price: '4.10',
        brand: null,
        stock_item: { quantity: 3 },
        created_at: '2026-11-20T12:00:00+02:00',
      },
      'product',
    );
    // "4.10" is text, but has two decimals: only the text form is reported, not the rounding.
    expect(seen.numbersAsText).toEqual(['product.purchase_price = "4.10"']);
    expect(seen.longPurchasePrices).toEqual([]);
    expect(seen.emptyRelationsAsArray).toEqual([]);
  });

  it('shows a few examples of many', () => {
    expect(examples(['a', 'b', 'c', 'd', 'e'])).toBe('a; b; c; and 2 more');
    expect(examples(['a'])).toBe('a');
  });
});

describe('the probe and the README', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## What is assumed, not documented'));

  it('every assumption the probe checks is named in the README tables, and every id named there is checked', () => {
    const named = new Set([...section.matchAll(/`((?:mcf|nb)\.[a-z-]+)`/g)].map((m) => m[1]));
    expect([...named].sort()).toEqual(Object.keys(ASSUMPTIONS).sort());
  });

  it('each system checks exactly its own assumptions', () => {
    const ids = (system: string) =>
      Object.entries(ASSUMPTIONS)
        .filter(([, a]) => a.system === system)
        .map(([id]) => id)
        .sort();
    expect([...MCF_CHECKS].sort()).toEqual(ids('MyCashflow'));
    expect([...NB_CHECKS].sort()).toEqual(ids('NetBaron'));
  });
});
