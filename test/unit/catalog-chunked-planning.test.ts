import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryPlanSource, planInChunks } from '../../src/catalog/chunked-planning.ts';
import { evaluateGuards, judgeGuards } from '../../src/catalog/guards.ts';
import type { PlannedAction, Problem } from '../../src/catalog/plan.ts';
import { planImport, type PlanInput } from '../../src/catalog/planner.ts';
import type { StoreProduct } from '../../src/catalog/store-catalog.ts';
import type { McfVersionId } from '../../src/domain/ids.ts';
import {
  VERSIONS,
  catalog,
  eur,
  hiddenEverywhere,
  nbDeleted,
  nbProduct,
  settings,
  storeProduct,
  storeVariation,
  vat,
} from '../helpers/catalog-builders.ts';

/*
 * Chunked planning equals whole planning: the same actions and problems in the same order, the same
 * counts, links, holds and guard verdict, for any catalogs and any size of chunk. The codes come from a
 * small pool, so that duplicates, parents of variations, vanished links and holds happen often.
 */

const POOL = ['A', 'A-1', 'A-2', 'A-1-X', 'B', 'B-S', 'B-M', 'C', 'C-1', 'D', 'Ä-1', 'E'];
const code = fc.constantFrom(...POOL);
const maybeCode = fc.option(code, { nil: null, freq: 6 });
const price = fc.constantFrom('19.90', '25.00', '0.00', '99.00');
const quantity = fc.constantFrom('5', '0', '7', '-2', '2.5', 'lots');

const storeSide = fc
  .array(
    fc.record({
      code: maybeCode,
      variations: fc.array(maybeCode, { maxLength: 3 }),
      hidden: fc.boolean(),
      price,
      stock: fc.constantFrom(5, 0, 7),
      rounded: fc.boolean(),
    }),
    { maxLength: 9 },
  )
  .map((rows) => {
    let variationId = 100;
    let stockItem = 1000;
    return rows.map((r, i): StoreProduct => {
      const id = i + 1;
      const variations = r.variations.map((c) =>
        storeVariation(variationId++, id, c, { stockItemId: stockItem++, price: eur(r.price) }),
      );
      return storeProduct(id, r.code, {
        price: eur(r.price),
        ...(r.hidden ? { visibility: hiddenEverywhere } : {}),
        ...(r.rounded ? { purchasePriceRoundedFrom: '8.004' } : {}),
        stockQuantity: variations.length > 0 ? null : r.stock,
        stockItemId: variations.length > 0 ? null : stockItem++,
        variations,
      });
    });
  });

const netbaronSide = fc.array(
  fc.record({
    code,
    deleted: fc.boolean(),
    price: fc.option(price, { nil: undefined }),
    quantity: fc.option(quantity, { nil: undefined }),
    named: fc.boolean(),
    vat: fc.constantFrom('25.5', '14', '7'),
  }),
  { maxLength: 12 },
);

const scenario = fc.record({
  store: storeSide,
  netbaron: netbaronSide,
  invalid: fc.array(fc.record({ code: fc.option(code, { nil: undefined }), reason: fc.constant('bad') }), {
    maxLength: 2,
  }),
  complete: fc.boolean(),
  linked: fc.subarray(POOL),
  mode: fc.constantFrom('import-new' as const, 'update-existing' as const),
  updateOnly: fc.subarray(POOL, { minLength: 1, maxLength: 4 }),
  whenRemoving: fc.constantFrom('hide' as const, 'delete' as const),
  updateDescriptions: fc.boolean(),
  only: fc.option(fc.subarray(POOL), { nil: undefined }),
  returned: fc.array(
    fc.record({ item: fc.integer({ min: 1000, max: 1030 }), n: fc.integer({ min: -1, max: 3 }) }),
    {
      maxLength: 4,
    },
  ),
  holds: fc.subarray(POOL, { maxLength: 3 }),
  overwrite: fc.constantFrom(undefined, 'all' as const),
  versions: fc.constantFrom(VERSIONS, [] as McfVersionId[], [VERSIONS[0]!]),
  chunk: fc.integer({ min: 1, max: 4 }),
});

function inputOf(s: ScenarioValue): PlanInput {
  return {
    netbaron: {
      products: s.netbaron.map((n) =>
        n.deleted
          ? nbDeleted(n.code)
          : nbProduct(n.code, {
              priceVatIncluded: n.price === undefined ? undefined : eur(n.price),
              quantity: n.quantity,
              ...(n.named ? {} : { name: ' ' }),
              vatRate: vat(n.vat),
            }),
      ),
      invalid: s.invalid.map((i) => (i.code ? { code: i.code, reason: i.reason } : { reason: i.reason })),
      complete: s.complete,
    },
    store: catalog(s.store, s.versions),
    settings: settings({
      mode: s.mode,
      updateOnly: s.updateOnly,
      whenRemoving: s.whenRemoving,
      updateDescriptions: s.updateDescriptions,
    }),
    linkedCodes: new Set(s.linked),
    ...(s.only ? { onlyCodes: new Set(s.only) } : {}),
    returns: {
      changes: s.returned.map((r) => ({
        stockItemId: r.item,
        changedAt: '2026-11-20T10:00:00+02:00',
        sourceType: 'return',
        quantityChange: r.n,
      })),
      holds: new Map(
        s.holds.map((c) => [c, { returned: 1, countedUntil: new Date('2026-11-19T00:00:00Z') }]),
      ),
      ...(s.overwrite ? { overwrite: s.overwrite } : {}),
    },
  };
}

type ScenarioValue = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

async function chunked(input: PlanInput, chunk: number) {
  const actions: PlannedAction[] = [];
  const problems: Problem[] = [];
  const plan = await planInChunks(
    memoryPlanSource(input.netbaron, input.store),
    input,
    async (a, p) => {
      actions.push(...a);
      problems.push(...p);
    },
    chunk,
  );
  return { actions, problems, plan };
}

describe('planInChunks', () => {
  it('plans exactly as the whole planner on any catalogs, whatever the size of a chunk', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const input = inputOf(s);
        const whole = planImport(input);
        const { actions, problems, plan } = await chunked(input, s.chunk);
        expect(actions).toEqual(whole.actions);
        expect(problems).toEqual(whole.problems);
        expect(plan.actionCount).toBe(whole.actions.length);
        expect(plan.counts).toEqual(whole.counts);
        expect(plan.linkedCodes).toEqual(whole.linkedCodes);
        expect(plan.removedCodes).toEqual(whole.removedCodes);
        expect(plan.held).toEqual(whole.held);
        expect(plan.holdsCleared).toEqual(whole.holdsCleared);
        expect(plan.storeItemCount).toBe(whole.storeItemCount);
        const guards = input.settings.guards;
        expect(judgeGuards(plan.guardFigures, guards)).toEqual(evaluateGuards(whole, guards));
      }),
      { numRuns: 400 },
    );
  });

  it('finds a parent product in another chunk than the code that looks like its variation', async () => {
    const input: PlanInput = {
      netbaron: { products: [nbProduct('TS-100-XL'), nbProduct('ZZ')], invalid: [], complete: true },
      store: catalog([
        storeProduct(1, 'TS-100', { stockQuantity: null, variations: [storeVariation(10, 1, 'TS-100-M')] }),
      ]),
      settings: settings(),
      linkedCodes: new Set(),
    };
    const { problems, actions } = await chunked(input, 1);
    expect(problems.map((p) => [p.kind, p.code])).toEqual([['variation-missing-in-store', 'TS-100-XL']]);
    expect(actions.map((a) => [a.kind, a.code])).toEqual([['create-product', 'ZZ']]);
  });
});
