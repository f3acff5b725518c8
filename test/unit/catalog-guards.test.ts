import { describe, expect, it } from 'vitest';
import { evaluateGuards } from '../../src/catalog/guards.ts';
import type { NbProduct } from '../../src/netbaron/wire/products.ts';
import type { StoreProduct } from '../../src/catalog/store-catalog.ts';
import {
  eur,
  nbDeleted,
  nbProduct,
  planOf,
  settings,
  storeProduct,
  storeProductWithVariations,
  storeVariation,
} from '../helpers/catalog-builders.ts';

const DEFAULTS = settings().guards;

/** `n` plain store products P-0 … P-(n-1), all priced 10.00, and NetBaron's unchanged view of them. */
function shop(n: number): { store: StoreProduct[]; netbaron: NbProduct[] } {
  const codes = Array.from({ length: n }, (_, i) => `P-${i}`);
  return {
    store: codes.map((code, i) => storeProduct(i + 1, code, { price: eur('10.00') })),
    netbaron: codes.map((code) => nbProduct(code, { priceVatIncluded: eur('10.00') })),
  };
}

describe.each(['hide', 'delete'] as const)('removal guard (whenRemoving %s)', (whenRemoving) => {
  const s = settings({ whenRemoving });

  it('blocks when more than the allowed share would go, naming the numbers', () => {
    const { store, netbaron } = shop(10);
    netbaron[3] = nbDeleted('P-3');
    netbaron[7] = nbDeleted('P-7');
    const plan = planOf({ store, netbaron, settings: s });
    const verdict = evaluateGuards(plan, DEFAULTS);
    expect(verdict.ok).toBe(false);
    expect(verdict.removalShare).toBe(0.2);
    expect(verdict.reasons).toEqual([
      "The run would hide or delete 2 of the store's 10 products and variations (20.0 %), more than the allowed 10.0 %.",
    ]);
  });

  it('lets exactly the allowed share through', () => {
    const { store, netbaron } = shop(10);
    netbaron[3] = nbDeleted('P-3');
    const verdict = evaluateGuards(planOf({ store, netbaron, settings: s }), DEFAULTS);
    expect(verdict).toEqual({
      ok: true,
      reasons: [],
      removalShare: 0.1,
      priceChangeShare: 0,
      bigPriceChanges: 0,
    });
  });

  it('follows a configured share', () => {
    const { store, netbaron } = shop(10);
    netbaron[3] = nbDeleted('P-3');
    netbaron[7] = nbDeleted('P-7');
    const plan = planOf({ store, netbaron, settings: s });
    expect(evaluateGuards(plan, { ...DEFAULTS, maxRemovalShare: 0.2 }).ok).toBe(true);
    expect(evaluateGuards(plan, { ...DEFAULTS, maxRemovalShare: 0.19 }).ok).toBe(false);
  });

  it('measures against products without variations plus variations', () => {
    // 6 plain products and one with 4 variations: 10 items; one variation deleted is 10 %.
    const { store, netbaron } = shop(6);
    store.push(
      storeProductWithVariations(100, 'TS', [
        { id: 101, code: 'TS-S' },
        { id: 102, code: 'TS-M' },
        { id: 103, code: 'TS-L' },
        { id: 104, code: 'TS-XL' },
      ]),
    );
    netbaron.push(nbDeleted('TS-S'));
    const plan = planOf({ store, netbaron, settings: s });
    expect(plan.storeItemCount).toBe(10);
    const verdict = evaluateGuards(plan, DEFAULTS);
    expect(verdict.removalShare).toBe(0.1);
    expect(verdict.ok).toBe(true);
  });

  it('counts a product emptied of its last variation once, by that variation', () => {
    // 9 plain products and one with a single variation: 10 items. Deleting the variation also removes
    // its product, but that is one item of the catalog gone, not two.
    const { store, netbaron } = shop(9);
    store.push(storeProductWithVariations(100, 'TS', [{ id: 101, code: 'TS-S' }]));
    netbaron.push(nbDeleted('TS-S'));
    const plan = planOf({ store, netbaron, settings: s });
    expect(plan.actions.map((a) => a.kind)).toEqual([
      'delete-variation',
      whenRemoving === 'hide' ? 'hide-product' : 'delete-product',
    ]);
    const verdict = evaluateGuards(plan, DEFAULTS);
    expect(verdict.removalShare).toBe(0.1);
    expect(verdict.ok).toBe(true);
  });

  it('never reports more removals than the store has items', () => {
    const store = [storeProductWithVariations(100, 'TS', [{ id: 101, code: 'TS-S' }])];
    const plan = planOf({ store, netbaron: [nbDeleted('TS-S')], settings: s });
    const verdict = evaluateGuards(plan, DEFAULTS);
    expect(verdict.removalShare).toBe(1);
    expect(verdict.reasons[0]).toContain("1 of the store's 1 products and variations (100.0 %)");
  });
});

describe('price guard', () => {
  function priced(changes: Record<number, string>, n = 10) {
    const { store, netbaron } = shop(n);
    for (const [i, price] of Object.entries(changes))
      netbaron[Number(i)] = nbProduct(`P-${i}`, { priceVatIncluded: eur(price) });
    return planOf({ store, netbaron });
  }

  it('blocks when more than the allowed share of matched prices moves too far, naming the numbers', () => {
    const verdict = evaluateGuards(priced({ 0: '15.00', 1: '4.00' }), DEFAULTS);
    expect(verdict.ok).toBe(false);
    expect(verdict.bigPriceChanges).toBe(2);
    expect(verdict.priceChangeShare).toBe(0.2);
    expect(verdict.reasons).toEqual([
      'The run would change 2 of 10 matched prices by more than 30 % (20.0 %), more than the allowed 10.0 %.',
    ]);
  });

  it('lets through big moves on no more than the allowed share, and any number of small moves', () => {
    const verdict = evaluateGuards(
      priced({ 0: '15.00', 1: '12.99', 2: '7.01', 3: '13.00', 4: '7.00', 5: '10.01' }),
      DEFAULTS,
    );
    // Only 10.00 → 15.00 moves more than 30 %; exactly 30 % (13.00, 7.00) does not.
    expect(verdict).toEqual({
      ok: true,
      reasons: [],
      removalShare: 0,
      priceChangeShare: 0.1,
      bigPriceChanges: 1,
    });
  });

  it('follows the configured percentage and share', () => {
    const plan = priced({ 0: '12.00', 1: '12.00' });
    expect(evaluateGuards(plan, DEFAULTS).ok).toBe(true);
    expect(evaluateGuards(plan, { ...DEFAULTS, priceChangePercent: 19 }).bigPriceChanges).toBe(2);
    expect(evaluateGuards(plan, { ...DEFAULTS, priceChangePercent: 19 }).ok).toBe(false);
    expect(evaluateGuards(plan, { ...DEFAULTS, priceChangePercent: 19, maxPriceChangeShare: 0.2 }).ok).toBe(
      true,
    );
  });

  it('counts a price from 0 as a big move, and a first price where the store had none as none', () => {
    const { store, netbaron } = shop(2);
    store[0] = storeProduct(1, 'P-0', { price: eur('0.00') });
    store[1] = storeProduct(2, 'P-1', { price: null });
    const verdict = evaluateGuards(planOf({ store, netbaron }), DEFAULTS);
    expect(verdict.bigPriceChanges).toBe(1);
    expect(verdict.priceChangeShare).toBe(0.5);
    expect(verdict.ok).toBe(false);
  });

  it('counts variation prices, and ignores purchase prices and new products', () => {
    const store = [
      storeProduct(10, 'TS', {
        stockQuantity: null,
        variations: [
          storeVariation(101, 10, 'TS-S', { price: eur('10.00') }),
          storeVariation(102, 10, 'TS-M', { price: eur('10.00') }),
        ],
      }),
      storeProduct(1, 'P-0', { purchasePrice: eur('1.00') }),
    ];
    const netbaron = [
      nbProduct('TS-S', { priceVatIncluded: eur('20.00') }),
      nbProduct('TS-M', { priceVatIncluded: eur('10.00') }),
      nbProduct('P-0', { purchasePrice: eur('100.00') }),
      nbProduct('NEW-1', { priceVatIncluded: eur('999.00') }),
    ];
    const verdict = evaluateGuards(planOf({ store, netbaron }), DEFAULTS);
    expect(verdict.bigPriceChanges).toBe(1);
    expect(verdict.priceChangeShare).toBeCloseTo(1 / 3, 10);
  });

  it('both guards can fire at once, each with its sentence', () => {
    const { store, netbaron } = shop(10);
    netbaron[0] = nbDeleted('P-0');
    netbaron[1] = nbDeleted('P-1');
    netbaron[2] = nbProduct('P-2', { priceVatIncluded: eur('50.00') });
    netbaron[3] = nbProduct('P-3', { priceVatIncluded: eur('50.00') });
    const verdict = evaluateGuards(planOf({ store, netbaron }), DEFAULTS);
    expect(verdict.ok).toBe(false);
    expect(verdict.reasons).toHaveLength(2);
    expect(verdict.reasons[0]).toMatch(/^The run would hide or delete 2 of the store's 10 /);
    // Matched prices are the 8 codes still live in NetBaron.
    expect(verdict.reasons[1]).toMatch(
      /^The run would change 2 of 8 matched prices by more than 30 % \(25\.0 %\)/,
    );
  });

  it('an empty store and an empty plan pass', () => {
    expect(evaluateGuards(planOf({}), DEFAULTS)).toEqual({
      ok: true,
      reasons: [],
      removalShare: 0,
      priceChangeShare: 0,
      bigPriceChanges: 0,
    });
  });
});
