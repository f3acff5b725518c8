import { describe, expect, it } from 'vitest';
import { planImport, type ReturnsInput } from '../../src/catalog/planner.ts';
import type { StockChangeEntry } from '../../src/catalog/returns.ts';
import {
  catalog,
  kindsAndCodes,
  nbProduct,
  settings,
  storeProduct,
  storeProductWithVariations,
} from '../helpers/catalog-builders.ts';

/*
 * Returns never overwritten unseen (the seed's "Returns and NetBaron"): a code whose store stock carries
 * returns NetBaron's balance does not include is held: its stock is not written, everything else of the
 * plan goes on; the hold ends when NetBaron's balance equals the store's, or by a person's choice.
 */

const ret = (
  stockItemId: number,
  quantityChange: number,
  changedAt = '2026-11-20T10:00:00+02:00',
): StockChangeEntry => ({
  stockItemId,
  changedAt,
  sourceType: 'return',
  quantityChange,
});

// VS-1000: the store had 5, 2 came back from a return (7); NetBaron still says 5 and has a new price.
const store = () => [
  storeProduct(1, 'VS-1000', { stockQuantity: 7, stockItemId: 11 }),
  storeProduct(2, 'OTHER', { stockQuantity: 1, stockItemId: 12 }),
  storeProductWithVariations(3, 'TS', [{ id: 31, code: 'TS-S' }]),
];
const netbaron = (vs: string) => [
  nbProduct('VS-1000', { quantity: vs, priceVatIncluded: 2100 as never }),
  nbProduct('OTHER', { quantity: '4' }),
];

function plan(vs: string, returns: Partial<ReturnsInput>) {
  return planImport({
    netbaron: { products: netbaron(vs), invalid: [], complete: true },
    store: catalog(store()),
    settings: settings(),
    linkedCodes: new Set(),
    returns: { changes: [], holds: new Map(), ...returns },
  });
}

describe('planImport: held stock', () => {
  it('holds a code whose returns NetBaron lacks: no stock write, the rest of its update and of the plan goes on', () => {
    const p = plan('5', { changes: [ret(11, 2)] });
    expect(kindsAndCodes(p)).toEqual([
      ['set-stock', 'OTHER'],
      ['update-product', 'VS-1000'],
    ]);
    expect(p.held).toEqual([{ code: 'VS-1000', storeQuantity: 7, netbaronQuantity: 5, returned: 2 }]);
    expect(p.holdsCleared).toEqual([]);
  });

  it('holds nothing without returns, for returns taken back, or for other kinds of stock change', () => {
    expect(plan('5', {}).held).toEqual([]);
    expect(plan('5', { changes: [ret(11, 2), ret(11, -2)] }).held).toEqual([]);
    expect(plan('5', { changes: [{ ...ret(11, 2), sourceType: 'order' }] }).held).toEqual([]);
    expect(kindsAndCodes(plan('5', {}))).toContainEqual(['set-stock', 'VS-1000']);
  });

  it('keeps a hold from an earlier import while NetBaron still differs, adding only later returns', () => {
    const holds = new Map([['VS-1000', { returned: 2, countedUntil: new Date('2026-11-21T08:00:00Z') }]]);
    const p = plan('5', {
      holds,
      // One return before the hold's count (already in it), one after.
      changes: [ret(11, 2, '2026-11-20T10:00:00+02:00'), ret(11, 1, '2026-11-22T10:00:00+02:00')],
    });
    expect(p.held).toEqual([{ code: 'VS-1000', storeQuantity: 7, netbaronQuantity: 5, returned: 3 }]);
    expect(kindsAndCodes(p)).not.toContainEqual(['set-stock', 'VS-1000']);
  });

  it("clears itself when NetBaron's balance equals the store's", () => {
    const holds = new Map([['VS-1000', { returned: 2, countedUntil: new Date('2026-11-21T08:00:00Z') }]]);
    const p = plan('7', { holds });
    expect(p.held).toEqual([]);
    expect(p.holdsCleared).toEqual([{ code: 'VS-1000', why: 'netbaron-updated' }]);
    expect(kindsAndCodes(p)).not.toContainEqual(['set-stock', 'VS-1000']);
  });

  it("writes NetBaron's balance over a held code only by a person's choice, for that code or all", () => {
    const holds = new Map([['VS-1000', { returned: 2, countedUntil: new Date('2026-11-21T08:00:00Z') }]]);
    for (const overwrite of ['all', new Set(['VS-1000'])] as const) {
      const p = plan('5', { holds, overwrite });
      expect(p.held).toEqual([]);
      expect(p.holdsCleared).toEqual([{ code: 'VS-1000', why: 'overwritten' }]);
      const write = p.actions.find((a) => a.kind === 'set-stock' && a.code === 'VS-1000');
      expect(write).toMatchObject({ quantity: 5, changes: [{ field: 'stock', from: '7', to: '5' }] });
      expect(write!.reason).toContain('by your choice');
    }
    expect(plan('5', { holds, overwrite: new Set(['OTHER']) }).held).toHaveLength(1);
  });

  it('ends a hold on a code the store no longer has', () => {
    const holds = new Map([['GONE-1', { returned: 1, countedUntil: new Date('2026-11-21T08:00:00Z') }]]);
    expect(plan('5', { holds }).holdsCleared).toEqual([{ code: 'GONE-1', why: 'not-in-store' }]);
  });
});
