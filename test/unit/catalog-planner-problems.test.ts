import { describe, expect, it } from 'vitest';
import { planImport, type PlanInput } from '../../src/catalog/planner.ts';
import {
  actionsOf,
  catalog,
  eur,
  kindsAndCodes,
  modeSettings,
  nbDeleted,
  nbProduct,
  planOf,
  problemKindsAndCodes,
  settings,
  storeProduct,
  storeProductWithVariations,
  storeVariation,
  vat,
} from '../helpers/catalog-builders.ts';

const MODES = ['import-new', 'update-existing'] as const;
const COMBINATIONS = MODES.flatMap((mode) =>
  (['hide', 'delete'] as const).map((whenRemoving) => ({ mode, whenRemoving })),
);

describe.each(COMBINATIONS)(
  'duplicate codes ($mode, whenRemoving $whenRemoving)',
  ({ mode, whenRemoving }) => {
    const s = (codes: string[]) => modeSettings(mode, codes, { whenRemoving });
    /** DUP is both product 1 and a variation of product 2; OK-1 is an ordinary product. */
    const productAndVariation = [
      storeProduct(1, 'DUP', { name: 'Pipo' }),
      storeProduct(2, 'TS-100', {
        name: 'T-paita',
        stockQuantity: null,
        variations: [
          storeVariation(21, 2, 'DUP', { name: 'Pipo sininen' }),
          storeVariation(22, 2, 'TS-100-M'),
        ],
      }),
      storeProduct(3, 'OK-1', { price: eur('1.00') }),
    ];
    const bothPlaces = ['product 1 "Pipo"', 'variation 21 "Pipo sininen" of product 2 "T-paita"'];

    it('a code on a store product and a variation: reported with both places, nothing done for it', () => {
      const plan = planOf({
        netbaron: [nbProduct('DUP', { priceVatIncluded: eur('99.00'), quantity: '50' }), nbProduct('OK-1')],
        store: productAndVariation,
        linked: ['DUP', 'OK-1'],
        settings: s(['DUP', 'OK-1']),
      });
      expect(kindsAndCodes(plan)).toEqual([['update-product', 'OK-1']]);
      expect(problemKindsAndCodes(plan)).toEqual([['duplicate-code-in-store', 'DUP']]);
      expect(plan.problems[0]!.places).toEqual(bothPlaces);
      expect(plan.problems[0]!.reason).toContain('2 times');
      expect(plan.counts).toEqual({
        create: 0,
        update: 1,
        unchanged: 0,
        hide: 0,
        delete: 0,
        deleteVariation: 0,
      });
      expect(plan.linkedCodes).toEqual(['OK-1']);
    });

    it('a duplicated store code NetBaron does not know at all is still reported, so check shows it', () => {
      const plan = planOf({
        netbaron: [nbProduct('OK-1')],
        store: productAndVariation,
        settings: s(['DUP', 'OK-1']),
      });
      expect(problemKindsAndCodes(plan)).toEqual([['duplicate-code-in-store', 'DUP']]);
      expect(plan.problems[0]!.places).toEqual(bothPlaces);
      expect(kindsAndCodes(plan)).toEqual([['update-product', 'OK-1']]);
    });

    it('a duplicated store code that NetBaron deleted is neither removed nor its variation deleted', () => {
      const plan = planOf({
        netbaron: [nbDeleted('DUP'), nbProduct('OK-1')],
        store: productAndVariation,
        settings: s(['DUP', 'OK-1']),
      });
      expect(kindsAndCodes(plan)).toEqual([['update-product', 'OK-1']]);
      expect(problemKindsAndCodes(plan)).toEqual([['duplicate-code-in-store', 'DUP']]);
      expect(plan.problems[0]!.places).toEqual(bothPlaces);
      expect(plan.removedCodes).toEqual([]);
    });

    it('a code on two store products, gone from a complete listing after an earlier import: reported, not removed', () => {
      const plan = planOf({
        netbaron: [nbProduct('OK-1')],
        store: [
          storeProduct(1, 'TWIN', { name: 'Eka' }),
          storeProduct(2, 'TWIN', { name: 'Toka' }),
          storeProduct(3, 'OK-1'),
        ],
        linked: ['TWIN', 'OK-1'],
        settings: s(['TWIN', 'OK-1']),
      });
      expect(plan.actions).toEqual([]);
      expect(plan.problems).toEqual([
        expect.objectContaining({
          kind: 'duplicate-code-in-store',
          code: 'TWIN',
          places: ['product 1 "Eka"', 'product 2 "Toka"'],
        }),
      ]);
      expect(plan.counts.unchanged).toBe(1);
    });

    it('a code twice in NetBaron: reported with both entries, nothing done for it, the rest goes on', () => {
      const plan = planOf({
        netbaron: [
          nbProduct('X', { name: 'Ensimmäinen', priceVatIncluded: eur('5.00') }),
          nbProduct('OK-1'),
          nbDeleted('X', 'Toinen'),
        ],
        store: [storeProduct(1, 'X'), storeProduct(3, 'OK-1', { price: eur('1.00') })],
        linked: ['X'],
        settings: s(['X', 'OK-1']),
      });
      expect(kindsAndCodes(plan)).toEqual([['update-product', 'OK-1']]);
      expect(problemKindsAndCodes(plan)).toEqual([['duplicate-code-in-netbaron', 'X']]);
      expect(plan.problems[0]!.places).toEqual([
        'NetBaron entry 1 "Ensimmäinen"',
        'NetBaron entry 2 "Toinen" (deleted)',
      ]);
      expect(plan.removedCodes).toEqual([]);
    });

    it('a new code twice in NetBaron is not created', () => {
      const plan = planOf({
        netbaron: [
          nbProduct('NEW-1'),
          nbProduct('NEW-1', { priceVatIncluded: eur('1.00') }),
          nbProduct('NEW-2'),
        ],
        store: [storeProduct(1, 'A')],
        settings: s(['A']),
      });
      expect(problemKindsAndCodes(plan)).toEqual(
        mode === 'import-new' ? [['duplicate-code-in-netbaron', 'NEW-1']] : [],
      );
      expect(kindsAndCodes(plan)).toEqual(mode === 'import-new' ? [['create-product', 'NEW-2']] : []);
    });
  },
);

describe.each(MODES)('invalid NetBaron data on an existing code (%s)', (mode) => {
  const s = (codes: string[]) => modeSettings(mode, codes);

  it('a missing price leaves the price alone and still updates purchase price and stock', () => {
    const plan = planOf({
      netbaron: [
        nbProduct('P-1', { priceVatIncluded: undefined, purchasePrice: eur('7.00'), quantity: '2' }),
      ],
      store: [storeProduct(1, 'P-1', { price: eur('19.90'), purchasePrice: eur('8.00'), stockQuantity: 5 })],
      settings: s(['P-1']),
    });
    expect(kindsAndCodes(plan)).toEqual([
      ['update-product', 'P-1'],
      ['set-stock', 'P-1'],
    ]);
    expect(actionsOf(plan, 'update-product')[0]!.patch).toStrictEqual({ purchase_price: 700 });
    expect(problemKindsAndCodes(plan)).toEqual([['missing-price', 'P-1']]);
    expect(plan.problems[0]!.reason).toContain('left as it is');
  });

  it('a missing price on a variation leaves its price alone', () => {
    const plan = planOf({
      netbaron: [nbProduct('TS-100-S', { priceVatIncluded: undefined })],
      store: [storeProductWithVariations(10, 'TS-100', [{ id: 101, code: 'TS-100-S' }])],
      settings: s(['TS-100']),
    });
    expect(plan.actions).toEqual([]);
    expect(problemKindsAndCodes(plan)).toEqual([['missing-price', 'TS-100-S']]);
  });

  it.each([
    ['-3', 0, 'negative-quantity'],
    ['-0.5', 0, 'negative-quantity'],
    ['2.5', 2, 'fractional-quantity'],
    ['7.999', 7, 'fractional-quantity'],
  ] as const)('quantity %s is written as %i with a %s problem', (quantity, written, kind) => {
    const plan = planOf({
      netbaron: [nbProduct('P-1', { quantity })],
      store: [storeProduct(1, 'P-1', { stockQuantity: 9 })],
      settings: s(['P-1']),
    });
    expect(kindsAndCodes(plan)).toEqual([['set-stock', 'P-1']]);
    expect(actionsOf(plan, 'set-stock')[0]!.quantity).toBe(written);
    expect(problemKindsAndCodes(plan)).toEqual([[kind, 'P-1']]);
    expect(plan.problems[0]!.reason).toContain(quantity);
  });

  it('a negative quantity on a variation already at 0 writes nothing but is still reported', () => {
    const plan = planOf({
      netbaron: [nbProduct('TS-100-S', { quantity: '-2' })],
      store: [
        storeProduct(10, 'TS-100', {
          stockQuantity: null,
          variations: [storeVariation(101, 10, 'TS-100-S', { stockQuantity: 0 })],
        }),
      ],
      settings: s(['TS-100']),
    });
    expect(plan.actions).toEqual([]);
    expect(problemKindsAndCodes(plan)).toEqual([['negative-quantity', 'TS-100-S']]);
  });

  it('"-0.0" and "4.000" are whole quantities, not problems', () => {
    const plan = planOf({
      netbaron: [nbProduct('P-1', { quantity: '-0.0' }), nbProduct('P-2', { quantity: '4.000' })],
      store: [storeProduct(1, 'P-1', { stockQuantity: 3 }), storeProduct(2, 'P-2', { stockQuantity: 3 })],
      settings: s(['P-1', 'P-2']),
    });
    expect(actionsOf(plan, 'set-stock').map((a) => [a.code, a.quantity])).toEqual([
      ['P-1', 0],
      ['P-2', 4],
    ]);
    expect(plan.problems).toEqual([]);
  });

  it('an unreadable quantity leaves the stock alone and is reported', () => {
    const plan = planOf({
      netbaron: [nbProduct('P-1', { quantity: 'abc', priceVatIncluded: eur('1.00') })],
      store: [storeProduct(1, 'P-1')],
      settings: s(['P-1']),
    });
    expect(kindsAndCodes(plan)).toEqual([['update-product', 'P-1']]);
    expect(problemKindsAndCodes(plan)).toEqual([['invalid-quantity', 'P-1']]);
  });

  it('a VAT rate the store does not have does not stop an existing product from being updated', () => {
    const plan = planOf({
      netbaron: [nbProduct('P-1', { vatRate: vat('24'), priceVatIncluded: eur('1.00') })],
      store: [storeProduct(1, 'P-1')],
      settings: s(['P-1']),
    });
    expect(kindsAndCodes(plan)).toEqual([['update-product', 'P-1']]);
    expect(plan.problems).toEqual([]);
  });

  it('an unreadable item is reported with its code and reason, and other codes go on', () => {
    const plan = planOf({
      netbaron: [nbProduct('P-1', { priceVatIncluded: eur('1.00') })],
      invalid: [{ code: 'P-2', reason: 'VatPercent Invalid input' }],
      store: [storeProduct(1, 'P-1'), storeProduct(2, 'P-2')],
      settings: s(['P-1', 'P-2']),
    });
    expect(kindsAndCodes(plan)).toEqual([['update-product', 'P-1']]);
    expect(problemKindsAndCodes(plan)).toEqual([['invalid-netbaron-data', 'P-2']]);
    expect(plan.problems[0]!.reason).toContain('VatPercent Invalid input');
  });
});

describe('invalid NetBaron data on a new code (import-new)', () => {
  it('a missing price: not created, missing-price', () => {
    const plan = planOf({
      netbaron: [nbProduct('NEW-1', { priceVatIncluded: undefined }), nbProduct('NEW-2')],
    });
    expect(kindsAndCodes(plan)).toEqual([['create-product', 'NEW-2']]);
    expect(problemKindsAndCodes(plan)).toEqual([['missing-price', 'NEW-1']]);
    expect(plan.problems[0]!.reason).toContain('not created');
    expect(plan.counts.create).toBe(1);
    expect(plan.linkedCodes).toEqual(['NEW-2']);
  });

  it('an unknown or missing VAT rate: not created, unknown-vat-rate', () => {
    const plan = planOf({
      netbaron: [nbProduct('NEW-24', { vatRate: vat('24') }), nbProduct('NEW-NONE', { vatRate: undefined })],
    });
    expect(plan.actions).toEqual([]);
    expect(problemKindsAndCodes(plan)).toEqual([
      ['unknown-vat-rate', 'NEW-24'],
      ['unknown-vat-rate', 'NEW-NONE'],
    ]);
    expect(plan.counts.create).toBe(0);
  });

  it('the store rates come from the settings', () => {
    const plan = planOf({
      netbaron: [nbProduct('NEW-24', { vatRate: vat('24') }), nbProduct('NEW-255')],
      settings: settings({ vatRates: [24] }),
    });
    expect(kindsAndCodes(plan)).toEqual([['create-product', 'NEW-24']]);
    expect(problemKindsAndCodes(plan)).toEqual([['unknown-vat-rate', 'NEW-255']]);
  });

  it('a blank name: not created, missing-name', () => {
    const plan = planOf({ netbaron: [nbProduct('NEW-1', { name: '  ' })] });
    expect(plan.actions).toEqual([]);
    expect(problemKindsAndCodes(plan)).toEqual([['missing-name', 'NEW-1']]);
  });

  it('a negative quantity: created with stock 0 and reported', () => {
    const plan = planOf({ netbaron: [nbProduct('NEW-1', { quantity: '-3' })] });
    expect(actionsOf(plan, 'create-product')[0]!.stock).toBe(0);
    expect(problemKindsAndCodes(plan)).toEqual([['negative-quantity', 'NEW-1']]);
  });

  it('a fractional quantity: created with the quantity rounded down and reported', () => {
    const plan = planOf({ netbaron: [nbProduct('NEW-1', { quantity: '2.5' })] });
    expect(actionsOf(plan, 'create-product')[0]!.stock).toBe(2);
    expect(problemKindsAndCodes(plan)).toEqual([['fractional-quantity', 'NEW-1']]);
  });

  it('an unreadable item without a code is reported too', () => {
    const plan = planOf({ invalid: [{ reason: 'ProductCode Invalid input' }] });
    expect(problemKindsAndCodes(plan)).toEqual([['invalid-netbaron-data', '(no code)']]);
  });

  it('a code that looks like a missing variation of a store product with variations is not created', () => {
    const plan = planOf({
      netbaron: [nbProduct('TS-100-XL'), nbProduct('TS-100-S'), nbProduct('MUG-1-BLUE')],
      store: [
        storeProductWithVariations(10, 'TS-100', [
          { id: 101, code: 'TS-100-S' },
          { id: 102, code: 'TS-100-M' },
        ]),
        storeProduct(20, 'MUG-1'),
      ],
    });
    // MUG-1 has no variations, so MUG-1-BLUE is an ordinary new product.
    expect(kindsAndCodes(plan)).toEqual([['create-product', 'MUG-1-BLUE']]);
    expect(problemKindsAndCodes(plan)).toEqual([['variation-missing-in-store', 'TS-100-XL']]);
    expect(plan.problems[0]!.reason).toContain('TS-100-S, TS-100-M');
    expect(plan.counts).toMatchObject({ create: 1, unchanged: 1 });
  });

  it('the missing variation is recognised under a longer code prefix too', () => {
    const plan = planOf({
      netbaron: [nbProduct('TS-100-XL-RED')],
      store: [storeProductWithVariations(10, 'TS-100', [{ id: 101, code: 'TS-100-S-RED' }])],
    });
    expect(plan.actions).toEqual([]);
    expect(problemKindsAndCodes(plan)).toEqual([['variation-missing-in-store', 'TS-100-XL-RED']]);
  });
});

describe('purity and determinism', () => {
  function input(): PlanInput {
    return {
      netbaron: {
        products: [
          nbProduct('NEW-1', { quantity: '-1' }),
          nbProduct('A', { priceVatIncluded: eur('25.00'), quantity: '2.5' }),
          nbDeleted('TS-100-S'),
          nbDeleted('TS-100-M'),
          nbProduct('DUP'),
          nbProduct('X'),
          nbProduct('X'),
          nbProduct('TS-100-XL'),
        ],
        invalid: [{ code: 'BAD', reason: 'broken' }],
        complete: true,
      },
      store: catalog([
        storeProduct(1, 'A'),
        storeProduct(2, 'GONE'),
        storeProduct(3, 'DUP'),
        storeProduct(4, 'DUP'),
        storeProductWithVariations(10, 'TS-100', [
          { id: 101, code: 'TS-100-S' },
          { id: 102, code: 'TS-100-M' },
        ]),
      ]),
      settings: settings({ updateDescriptions: true, whenRemoving: 'hide' }),
      linkedCodes: new Set(['A', 'GONE', 'BAD']),
    };
  }

  function deepFreeze<T>(value: T): T {
    if (value && typeof value === 'object' && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const child of Object.values(value)) deepFreeze(child);
    }
    return value;
  }

  it('the same input gives a deep-equal plan', () => {
    const first = planImport(input());
    expect(first.actions.length).toBeGreaterThan(4);
    expect(planImport(input())).toEqual(first);
  });

  it('the input is not changed', () => {
    const given = input();
    const before = structuredClone(given);
    planImport(deepFreeze(given));
    expect(given).toEqual(before);
    expect([...given.linkedCodes]).toEqual(['A', 'GONE', 'BAD']);
  });

  it('changing the plan afterwards does not reach back into the input', () => {
    const given = input();
    const before = structuredClone(given);
    const plan = planImport(given);
    for (const action of plan.actions) {
      if (action.kind === 'hide-product') action.versions.push(99 as never);
      if (action.kind === 'create-product')
        action.create.visibilities.push({ version_id: 99 as never, is_visible: false });
    }
    expect(given).toEqual(before);
  });

  it('the order of NetBaron entries does not change the plan', () => {
    const forward = input();
    const backward = input();
    backward.netbaron.products.reverse();
    expect(planImport(backward).actions).toEqual(planImport(forward).actions);
    expect(planImport(backward).counts).toEqual(planImport(forward).counts);
  });
});

describe('a store purchase price read rounded', () => {
  it('is reported once per product or variation, and the plan goes on', () => {
    const plan = planOf({
      netbaron: [nbProduct('A-1', { purchasePrice: eur('4.12') }), nbProduct('B-1-S')],
      store: [
        storeProduct(1, 'A-1', { purchasePrice: eur('4.12'), purchasePriceRoundedFrom: '4.1234' }),
        storeProduct(2, 'B-1', {
          stockQuantity: null,
          variations: [storeVariation(21, 2, 'B-1-S', { purchasePriceRoundedFrom: '3.999' })],
        }),
      ],
    });
    expect(problemKindsAndCodes(plan).filter(([kind]) => kind === 'rounded-purchase-price')).toEqual([
      ['rounded-purchase-price', 'A-1'],
      ['rounded-purchase-price', 'B-1-S'],
    ]);
    expect(plan.problems.find((p) => p.code === 'A-1')?.reason).toContain('4.1234');
  });
});
