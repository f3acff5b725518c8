import { describe, expect, it } from 'vitest';
import { planImport } from '../../src/catalog/planner.ts';
import type { UnreadableStoreProduct } from '../../src/catalog/store-catalog.ts';
import {
  catalog,
  eur,
  kindsAndCodes,
  nbProduct,
  settings,
  storeProduct,
} from '../helpers/catalog-builders.ts';

/** A store where product 9 could not be read; what is known of it is given. */
function plan(unreadable: UnreadableStoreProduct[], linked: string[] = []) {
  return planImport({
    netbaron: {
      products: [
        nbProduct('OK-1', { priceVatIncluded: eur('2.00') }),
        nbProduct('HIDDEN-1', { priceVatIncluded: eur('3.00') }),
        nbProduct('NEW-1'),
      ],
      invalid: [],
      complete: true,
    },
    store: { ...catalog([storeProduct(1, 'OK-1', { price: eur('1.00') })]), unreadable },
    settings: settings({ mode: 'import-new' }),
    linkedCodes: new Set(linked),
  });
}

const sorted = (p: ReturnType<typeof plan>) =>
  kindsAndCodes(p).sort((a, b) => (a.join() < b.join() ? -1 : 1));

describe('a store product that MyCashflow sent unreadable', () => {
  it('leaves its codes alone (no create, no update, no removal), reports it, and goes on with the rest', () => {
    const p = plan(
      [{ id: '9', codes: ['HIDDEN-1', 'GONE-1'], reason: 'price: expected a number' }],
      ['GONE-1'],
    );
    expect(sorted(p)).toEqual([
      ['create-product', 'NEW-1'],
      ['update-product', 'OK-1'],
    ]);
    expect(p.problems).toEqual([
      expect.objectContaining({
        kind: 'invalid-store-data',
        code: 'HIDDEN-1',
        reason: expect.stringContaining('store product 9 (HIDDEN-1, GONE-1)'),
      }),
    ]);
  });

  it('creates nothing while one has no readable code at all, since a new code might be its', () => {
    const p = plan([{ id: '9', codes: [], reason: 'product_code: expected a string' }]);
    expect(sorted(p)).toEqual([['update-product', 'OK-1']]);
    expect(p.problems[0]).toMatchObject({ kind: 'invalid-store-data', code: '(no code)' });
    expect(p.problems[0]!.reason).toContain('no product is created until it is fixed');
  });

  it('plans as before when every store product was readable', () => {
    expect(sorted(plan([]))).toEqual([
      ['create-product', 'HIDDEN-1'],
      ['create-product', 'NEW-1'],
      ['update-product', 'OK-1'],
    ]);
  });
});
