import { describe, expect, it } from 'vitest';
import {
  eur,
  kindsAndCodes,
  nbDeleted,
  nbProduct,
  planOf,
  settings,
  storeProduct,
} from '../helpers/catalog-builders.ts';

/*
 * "Retry failed" plans only the codes whose writes failed, against both systems as they are now: the
 * other codes are neither written nor counted, and a failed code that no longer needs a write is simply
 * unchanged.
 */
describe('planImport limited to some codes (a retry)', () => {
  const netbaron = [
    nbProduct('A', { priceVatIncluded: eur('21.00') }),
    nbProduct('B', { priceVatIncluded: eur('22.00') }),
    nbProduct('C'),
    nbProduct('NEW'),
    nbDeleted('GONE'),
  ];
  const store = [storeProduct(1, 'A'), storeProduct(2, 'B'), storeProduct(3, 'C'), storeProduct(4, 'GONE')];

  it('writes only the chosen codes, in any mode', () => {
    const full = planOf({ netbaron, store });
    expect(
      kindsAndCodes(full)
        .map(([, code]) => code)
        .sort(),
    ).toEqual(['A', 'B', 'GONE', 'NEW']);

    const retry = planOf({ netbaron, store, only: ['B', 'GONE'] });
    expect(kindsAndCodes(retry)).toEqual([
      ['update-product', 'B'],
      ['hide-product', 'GONE'],
    ]);
    expect(retry.counts).toMatchObject({ create: 0, update: 1, unchanged: 0, hide: 1 });

    const chosen = settings({ mode: 'update-existing', updateOnly: ['A', 'B'] });
    // Within the mode's own scope: GONE is not chosen, so the retry leaves it alone.
    expect(kindsAndCodes(planOf({ netbaron, store, settings: chosen, only: ['B', 'GONE'] }))).toEqual([
      ['update-product', 'B'],
    ]);
  });

  it('counts a failed code that needs nothing any more as unchanged', () => {
    const retry = planOf({ netbaron, store, only: ['C'] });
    expect(retry.actions).toEqual([]);
    expect(retry.counts.unchanged).toBe(1);
  });

  it('does not report the selection again for codes it does not retry', () => {
    const chosen = settings({ mode: 'update-existing', updateOnly: ['A', 'MISSING'] });
    expect(planOf({ netbaron, store, settings: chosen }).problems.map((p) => p.code)).toEqual(['MISSING']);
    expect(planOf({ netbaron, store, settings: chosen, only: ['A'] }).problems).toEqual([]);
  });
});
