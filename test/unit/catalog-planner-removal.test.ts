import { describe, expect, it } from 'vitest';
import { phaseOf, type Plan } from '../../src/catalog/plan.ts';
import {
  actionsOf,
  eur,
  hiddenEverywhere,
  kindsAndCodes,
  modeSettings,
  nbDeleted,
  nbProduct,
  planOf,
  problemKindsAndCodes,
  settings,
  storeProduct,
  storeProductWithVariations,
} from '../helpers/catalog-builders.ts';

const MODES = ['import-new', 'update-existing'] as const;
const POLICIES = ['hide', 'delete'] as const;
const COMBINATIONS = MODES.flatMap((mode) => POLICIES.map((whenRemoving) => ({ mode, whenRemoving })));

/** The product removal the policy asks for, as [kind, code] (phase 2, after everything else). */
const removalOf = (
  whenRemoving: 'hide' | 'delete',
  code: string,
): ['hide-product' | 'delete-product', string] => [
  whenRemoving === 'hide' ? 'hide-product' : 'delete-product',
  code,
];

function expectPhasesInOrder(plan: Plan): void {
  const phases = plan.actions.map((a) => phaseOf(a.kind));
  expect(phases).toEqual([...phases].sort());
}

describe('update-existing: only the chosen codes', () => {
  const store = [
    storeProduct(1, 'A', { price: eur('1.00') }),
    storeProduct(2, 'B', { price: eur('1.00') }),
    storeProduct(3, 'C'),
    storeProductWithVariations(10, 'TS-100', [
      { id: 101, code: 'TS-100-S' },
      { id: 102, code: 'TS-100-M' },
    ]),
    storeProductWithVariations(20, 'TS-200', [
      { id: 201, code: 'TS-200-S' },
      { id: 202, code: 'TS-200-M' },
    ]),
  ];
  const netbaron = [
    nbProduct('A', { priceVatIncluded: eur('2.00') }),
    nbProduct('B', { priceVatIncluded: eur('2.00') }),
    nbDeleted('C'),
    nbProduct('TS-100', { priceVatIncluded: eur('30.00'), quantity: undefined }),
    nbProduct('TS-100-S', { quantity: '1' }),
    nbProduct('TS-100-M', { quantity: '2' }),
    nbProduct('TS-200-S', { quantity: '1' }),
    nbDeleted('TS-200-M'),
    nbProduct('NEW-9'),
  ];

  it.each(POLICIES)(
    'a chosen product includes its variations; nothing else is touched (%s)',
    (whenRemoving) => {
      const plan = planOf({
        netbaron,
        store,
        settings: settings({ mode: 'update-existing', updateOnly: ['A', 'TS-100', 'MISSING'], whenRemoving }),
      });
      expect(kindsAndCodes(plan)).toEqual([
        ['update-product', 'A'],
        ['update-product', 'TS-100'],
        ['set-stock', 'TS-100-M'],
        ['set-stock', 'TS-100-S'],
      ]);
      expect(problemKindsAndCodes(plan)).toEqual([['selected-product-not-found', 'MISSING']]);
      expect(plan.problems[0]!.reason).toContain('MISSING');
      expect(plan.linkedCodes.sort()).toEqual(['A', 'TS-100', 'TS-100-M', 'TS-100-S']);
      expect(plan.counts).toEqual({
        create: 0,
        update: 4,
        unchanged: 0,
        hide: 0,
        delete: 0,
        deleteVariation: 0,
      });
    },
  );

  it('a chosen variation comes alone: neither its product nor its sibling is touched', () => {
    const plan = planOf({
      netbaron,
      store,
      settings: settings({ mode: 'update-existing', updateOnly: ['TS-100-S'] }),
    });
    expect(kindsAndCodes(plan)).toEqual([['set-stock', 'TS-100-S']]);
    expect(plan.problems).toEqual([]);
  });

  it.each(POLICIES)('removals are limited to the chosen codes too (%s)', (whenRemoving) => {
    const plan = planOf({
      netbaron,
      store,
      settings: settings({ mode: 'update-existing', updateOnly: ['C'], whenRemoving }),
    });
    expect(kindsAndCodes(plan)).toEqual([removalOf(whenRemoving, 'C')]);
    const other = planOf({
      netbaron,
      store,
      settings: settings({ mode: 'update-existing', updateOnly: ['A', 'B', 'TS-100'], whenRemoving }),
    });
    expect(other.actions.filter((a) => phaseOf(a.kind) === 2 || a.kind === 'delete-variation')).toEqual([]);
  });

  it.each(POLICIES)(
    'a chosen product whose variation was deleted loses that variation only (%s)',
    (whenRemoving) => {
      const plan = planOf({
        netbaron,
        store,
        settings: settings({ mode: 'update-existing', updateOnly: ['TS-200'], whenRemoving }),
      });
      expect(kindsAndCodes(plan)).toEqual([
        ['delete-variation', 'TS-200-M'],
        ['set-stock', 'TS-200-S'],
      ]);
    },
  );

  it('linked codes absent from the listing are removed only when chosen', () => {
    const plan = planOf({
      netbaron: [],
      store: [storeProduct(1, 'A'), storeProduct(2, 'B')],
      linked: ['A', 'B'],
      settings: settings({ mode: 'update-existing', updateOnly: ['A'], whenRemoving: 'delete' }),
    });
    expect(kindsAndCodes(plan)).toEqual([['delete-product', 'A']]);
    expect(plan.removedCodes).toEqual(['A']);
  });

  it('an unreadable NetBaron item outside the choice is not reported', () => {
    const plan = planOf({
      netbaron: [],
      invalid: [
        { code: 'B', reason: 'VatPercent is missing' },
        { code: 'A', reason: 'VatPercent is missing' },
      ],
      store: [storeProduct(1, 'A'), storeProduct(2, 'B')],
      settings: settings({ mode: 'update-existing', updateOnly: ['A'] }),
    });
    expect(problemKindsAndCodes(plan)).toEqual([['invalid-netbaron-data', 'A']]);
  });
});

describe.each(COMBINATIONS)('removals ($mode, whenRemoving $whenRemoving)', ({ mode, whenRemoving }) => {
  const s = (codes: string[]) => modeSettings(mode, codes, { whenRemoving });
  const removedCount = (plan: Plan) => (whenRemoving === 'hide' ? plan.counts.hide : plan.counts.delete);

  it('a Deleted code matching a store product removes the product per the policy', () => {
    const plan = planOf({
      netbaron: [nbDeleted('A', 'Old name'), nbProduct('B')],
      store: [storeProduct(1, 'A'), storeProduct(2, 'B')],
      linked: ['A', 'B'],
      settings: s(['A', 'B']),
    });
    expect(kindsAndCodes(plan)).toEqual([removalOf(whenRemoving, 'A')]);
    const [action] = plan.actions;
    if (action!.kind === 'hide-product') {
      expect(action!.productId).toBe(1);
      expect(action!.versions).toEqual([1, 2]);
      expect(action!.changes).toEqual([
        { field: 'visibility', from: 'visible', to: 'hidden in every version' },
      ]);
    } else {
      expect(action).toMatchObject({ kind: 'delete-product', productId: 1 });
    }
    expect(action!.reason).toContain('deleted in NetBaron');
    expect(phaseOf(action!.kind)).toBe(2);
    expect(removedCount(plan)).toBe(1);
    expect(plan.counts).toMatchObject({ unchanged: 1, deleteVariation: 0, create: 0 });
    expect(plan.removedCodes).toEqual(['A']);
    expect(plan.linkedCodes).toEqual(['B']);
  });

  it('a product hidden in only one version is hidden in every version, or deleted', () => {
    const plan = planOf({
      netbaron: [nbDeleted('A')],
      store: [storeProduct(1, 'A', { visibility: [{ versionId: 1 as never, visible: false }] })],
      settings: s(['A']),
    });
    expect(kindsAndCodes(plan)).toEqual([removalOf(whenRemoving, 'A')]);
    const hide = actionsOf(plan, 'hide-product')[0];
    if (hide) expect(hide.versions).toEqual([1, 2]);
  });

  it('an already hidden product is left alone with hide, and deleted with delete', () => {
    const plan = planOf({
      netbaron: [nbDeleted('A')],
      store: [storeProduct(1, 'A', { visibility: hiddenEverywhere })],
      linked: ['A'],
      settings: s(['A']),
    });
    if (whenRemoving === 'hide') {
      expect(plan.actions).toEqual([]);
      expect(plan.counts.hide).toBe(0);
    } else {
      expect(kindsAndCodes(plan)).toEqual([['delete-product', 'A']]);
      expect(plan.counts.delete).toBe(1);
    }
    expect(plan.linkedCodes).toEqual([]);
  });

  it('a Deleted code the store does not have changes nothing', () => {
    const plan = planOf({
      netbaron: [nbDeleted('GONE')],
      store: [storeProduct(1, 'A')],
      settings: s(['A']),
    });
    expect(plan.actions).toEqual([]);
    expect(plan.problems).toEqual([]);
  });

  it('a Deleted variation is deleted and its product stays while another variation remains', () => {
    const plan = planOf({
      netbaron: [nbDeleted('TS-100-S'), nbProduct('TS-100-M')],
      store: [
        storeProductWithVariations(10, 'TS-100', [
          { id: 101, code: 'TS-100-S' },
          { id: 102, code: 'TS-100-M' },
        ]),
      ],
      settings: s(['TS-100']),
    });
    expect(kindsAndCodes(plan)).toEqual([['delete-variation', 'TS-100-S']]);
    expect(actionsOf(plan, 'delete-variation')[0]).toMatchObject({
      productId: 10,
      variationId: 101,
      changes: [],
    });
    expect(plan.counts).toMatchObject({ deleteVariation: 1, hide: 0, delete: 0 });
    expect(plan.removedCodes).toEqual(['TS-100-S']);
  });

  it('a product whose every variation is deleted is then removed, in phase 2', () => {
    const plan = planOf({
      netbaron: [
        nbDeleted('TS-100-S'),
        nbDeleted('TS-100-M'),
        nbProduct('A', { priceVatIncluded: eur('1.00') }),
      ],
      store: [
        storeProductWithVariations(10, 'TS-100', [
          { id: 101, code: 'TS-100-S' },
          { id: 102, code: 'TS-100-M' },
        ]),
        storeProduct(1, 'A'),
      ],
      settings: s(['TS-100', 'A']),
    });
    expect(kindsAndCodes(plan)).toEqual([
      ['update-product', 'A'],
      ['delete-variation', 'TS-100-M'],
      ['delete-variation', 'TS-100-S'],
      removalOf(whenRemoving, 'TS-100'),
    ]);
    expect(plan.actions[3]).toMatchObject({ productId: 10 });
    expect(plan.actions[3]!.reason).toContain('every variation');
    expectPhasesInOrder(plan);
    expect(plan.counts).toMatchObject({ deleteVariation: 2, update: 1 });
    expect(removedCount(plan)).toBe(1);
    expect(plan.removedCodes.sort()).toEqual(['TS-100', 'TS-100-M', 'TS-100-S']);
  });

  it('a product keeps living while one of its variations is not deleted, even one NetBaron never mentions', () => {
    const plan = planOf({
      netbaron: [nbDeleted('TS-100-S'), nbDeleted('TS-100-M')],
      store: [
        storeProductWithVariations(10, 'TS-100', [
          { id: 101, code: 'TS-100-S' },
          { id: 102, code: 'TS-100-M' },
          { id: 103, code: 'TS-100-L' },
        ]),
      ],
      settings: s(['TS-100']),
    });
    expect(kindsAndCodes(plan)).toEqual([
      ['delete-variation', 'TS-100-M'],
      ['delete-variation', 'TS-100-S'],
    ]);
  });

  it('a Deleted code of a product with variations removes the product itself', () => {
    const plan = planOf({
      netbaron: [nbDeleted('TS-100'), nbProduct('TS-100-S')],
      store: [storeProductWithVariations(10, 'TS-100', [{ id: 101, code: 'TS-100-S' }])],
      settings: s(['TS-100']),
    });
    expect(kindsAndCodes(plan)).toEqual([removalOf(whenRemoving, 'TS-100')]);
  });

  it('a product both Deleted itself and emptied of variations is removed once', () => {
    const plan = planOf({
      netbaron: [nbDeleted('TS-100'), nbDeleted('TS-100-S')],
      store: [storeProductWithVariations(10, 'TS-100', [{ id: 101, code: 'TS-100-S' }])],
      settings: s(['TS-100']),
    });
    expect(kindsAndCodes(plan)).toEqual([
      removalOf(whenRemoving, 'TS-100'),
      ['delete-variation', 'TS-100-S'],
    ]);
    expect(removedCount(plan)).toBe(1);
  });

  describe('a linked code absent from the listing', () => {
    it('is treated as deleted when the listing is complete', () => {
      const plan = planOf({
        netbaron: [nbProduct('B')],
        store: [storeProduct(1, 'A'), storeProduct(2, 'B')],
        linked: ['A', 'B'],
        settings: s(['A', 'B']),
      });
      expect(kindsAndCodes(plan)).toEqual([removalOf(whenRemoving, 'A')]);
      expect(plan.actions[0]!.reason).toContain('no longer in NetBaron');
      expect(plan.removedCodes).toEqual(['A']);
      expect(plan.linkedCodes).toEqual(['B']);
    });

    it('is left alone when the listing is incomplete', () => {
      const plan = planOf({
        netbaron: [nbProduct('B')],
        complete: false,
        store: [storeProduct(1, 'A'), storeProduct(2, 'B')],
        linked: ['A', 'B'],
        settings: s(['A', 'B']),
      });
      expect(plan.actions).toEqual([]);
      expect(plan.removedCodes).toEqual([]);
    });

    it('is not absent when it is among the unreadable items', () => {
      const plan = planOf({
        netbaron: [],
        invalid: [{ code: 'A', reason: 'SalesPriceVatIncluded "1,00" is not a decimal number with a dot' }],
        store: [storeProduct(1, 'A')],
        linked: ['A'],
        settings: s(['A']),
      });
      expect(plan.actions).toEqual([]);
      expect(problemKindsAndCodes(plan)).toEqual([['invalid-netbaron-data', 'A']]);
      expect(plan.problems[0]!.reason).toContain('"1,00"');
    });

    it('is deleted as a variation, and the product goes with its last variation', () => {
      const plan = planOf({
        netbaron: [nbDeleted('TS-100-S')],
        store: [
          storeProductWithVariations(10, 'TS-100', [
            { id: 101, code: 'TS-100-S' },
            { id: 102, code: 'TS-100-M' },
          ]),
        ],
        linked: ['TS-100-S', 'TS-100-M'],
        settings: s(['TS-100']),
      });
      expect(kindsAndCodes(plan)).toEqual([
        ['delete-variation', 'TS-100-S'],
        ['delete-variation', 'TS-100-M'],
        removalOf(whenRemoving, 'TS-100'),
      ]);
      expectPhasesInOrder(plan);
    });

    it('that the store no longer has changes nothing', () => {
      const plan = planOf({
        netbaron: [],
        store: [storeProduct(1, 'A')],
        linked: ['GONE'],
        settings: s(['A']),
      });
      expect(plan.actions).toEqual([]);
      expect(plan.problems).toEqual([]);
    });
  });
});

describe('phases', () => {
  it('only product removals are phase 2', () => {
    expect(phaseOf('hide-product')).toBe(2);
    expect(phaseOf('delete-product')).toBe(2);
    for (const kind of [
      'create-product',
      'update-product',
      'update-variation',
      'set-stock',
      'delete-variation',
    ] as const)
      expect(phaseOf(kind)).toBe(1);
  });
});
