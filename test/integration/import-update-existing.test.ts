import { describe, it } from 'vitest';
import {
  createImportCli,
  isHidden,
  isVisible,
  nbProduct,
  problemsOf,
  productByCode,
  productById,
  readStore,
  setNetBaronProducts,
  clearLogs,
  startScene,
  storeWrites,
  type WhenRemoving,
  storeItem as item,
} from '../helpers/import-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

/*
 * "Only update existing products' details": nothing is created, and only the store products chosen in
 * the setting are touched (a chosen product with all its variations); every other matching product keeps
 * its values, and NetBaron's deletions outside the selection are not applied.
 */

const database = await createTestDatabase();
const cli = await createImportCli(database.url);

const size = (id: number, code: string) => ({
  id,
  product_code: code,
  name: code.slice(-1),
  price: 20,
  purchase_price: 8,
  stock_item: { quantity: 2 },
});

const STORE = [
  item(1, 'SEL-1'),
  item(2, 'SEL-2'),
  {
    id: 6,
    product_code: 'TS-600',
    name: 'Paita 600',
    price: 20,
    variations: [size(61, 'TS-600-S'), size(62, 'TS-600-M')],
  },
  item(11, 'OTHER-1'),
  item(12, 'OTHER-DEL'),
  {
    id: 7,
    product_code: 'TS-700',
    name: 'Paita 700',
    price: 20,
    variations: [size(71, 'TS-700-S'), size(72, 'TS-700-M')],
  },
  { id: 8, product_code: 'TS-800', name: 'Paita 800', price: 20, variations: [size(81, 'TS-800-S')] },
];

const changed = (code: string) =>
  nbProduct(code, { SalesPriceVatIncluded: 11.5, PurchasePrice: 4.5, Quantity: 9 });
const changedSize = (code: string) =>
  nbProduct(code, { SalesPriceVatIncluded: 21.5, PurchasePrice: 8.5, Quantity: 7 });
const deleted = (code: string) => nbProduct(code, { Deleted: true });

const NETBARON = [
  changed('SEL-1'),
  deleted('SEL-2'),
  changedSize('TS-600-S'),
  changedSize('TS-600-M'),
  changed('OTHER-1'),
  deleted('OTHER-DEL'),
  changedSize('TS-700-S'),
  deleted('TS-700-M'),
  deleted('TS-800-S'),
  nbProduct('NEW-1', { SalesPriceVatIncluded: 3, Quantity: 3 }),
];

describe.each<WhenRemoving>(['hide', 'delete'])('mode update-existing, whenRemoving %s', (whenRemoving) => {
  it.concurrent(
    'creates nothing and touches only the chosen products (with their variations); removals outside the selection are not applied',
    async ({ expect, onTestFinished }) => {
      const sims = await startScene({ store: STORE, netbaron: NETBARON }, onTestFinished);
      const run = await cli.importProducts(sims, {
        id: `update-existing-${whenRemoving}`,
        productImport: {
          mode: 'update-existing',
          whenRemoving,
          updateOnly: ['SEL-1', 'SEL-2', 'TS-600', 'MISSING-1'],
        },
      });
      expect(run.code, run.stderr).toBe(0);
      const s = run.summary;
      expect(s.status).toBe('completed');
      expect(s.created).toBe(0);
      expect(s.updated).toBe(3); // SEL-1, TS-600-S, TS-600-M
      expect(s.variationsDeleted).toBe(0);
      expect(whenRemoving === 'hide' ? [s.hidden, s.deleted] : [s.deleted, s.hidden]).toEqual([1, 0]); // SEL-2
      // The one problem: a chosen code the store does not have.
      expect(s.problems).toEqual([
        expect.objectContaining({ kind: 'selected-product-not-found', code: 'MISSING-1' }),
      ]);
      expect(problemsOf(s.problems, 'selected-product-not-found')[0]!.reason).toContain('MISSING-1');

      const store = await readStore(sims);
      expect(productByCode(store, 'NEW-1')).toBeUndefined();
      expect(productByCode(store, 'SEL-1')).toMatchObject({
        price: 11.5,
        purchase_price: 4.5,
        stock_item: { quantity: 9 },
      });
      const sel2 = productByCode(store, 'SEL-2');
      if (whenRemoving === 'hide') expect(sel2 && isHidden(sel2)).toBe(true);
      else expect(sel2).toBeUndefined();

      // The chosen product's variations follow NetBaron.
      for (const v of productById(store, 6)!.variations)
        expect(v, v.product_code!).toMatchObject({
          price: 21.5,
          purchase_price: 8.5,
          stock_item: { quantity: 7 },
        });

      // Not chosen: old values kept, nothing hidden or deleted, no variation deleted.
      expect(productByCode(store, 'OTHER-1')).toMatchObject({
        price: 10,
        purchase_price: 4,
        stock_item: { quantity: 5 },
      });
      expect(isVisible(productByCode(store, 'OTHER-DEL')!)).toBe(true);
      const ts700 = productById(store, 7)!;
      expect(isVisible(ts700)).toBe(true);
      expect(ts700.variations.map((v) => [v.id, v.price, v.purchase_price, v.stock_item?.quantity])).toEqual([
        [71, 20, 8, 2],
        [72, 20, 8, 2],
      ]);
      const ts800 = productById(store, 8)!;
      expect(isVisible(ts800)).toBe(true);
      expect(ts800.variations.map((v) => v.id)).toEqual([81]);

      // Only the chosen products' objects were written.
      const writes = await storeWrites(sims);
      expect(writes.filter((w) => w.startsWith('POST'))).toEqual([]);
      const allowed = new Set([
        'PATCH /api/v1/products/1',
        'PATCH /api/v1/stock/SEL-1',
        'PATCH /api/v1/variations/61',
        'PATCH /api/v1/variations/62',
        'PATCH /api/v1/stock/TS-600-S',
        'PATCH /api/v1/stock/TS-600-M',
        whenRemoving === 'hide' ? 'PATCH /api/v1/products/2' : 'DELETE /api/v1/products/2',
      ]);
      expect(new Set(writes)).toEqual(allowed);
      expect(writes).toHaveLength(allowed.size);
    },
  );
});

describe('mode update-existing with a variation code chosen on its own', () => {
  it.concurrent('updates that variation and not its siblings', async ({ expect, onTestFinished }) => {
    const sims = await startScene({ store: STORE, netbaron: NETBARON }, onTestFinished);
    const run = await cli.importProducts(sims, {
      id: 'update-existing-variation',
      productImport: { mode: 'update-existing', whenRemoving: 'delete', updateOnly: ['TS-700-S'] },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.summary).toMatchObject({
      status: 'completed',
      created: 0,
      updated: 1,
      deleted: 0,
      variationsDeleted: 0,
      hidden: 0,
    });
    const ts700 = productById(await readStore(sims), 7)!;
    expect(ts700.variations.map((v) => [v.id, v.price, v.purchase_price, v.stock_item?.quantity])).toEqual([
      [71, 21.5, 8.5, 7],
      [72, 20, 8, 2],
    ]);
    expect(new Set(await storeWrites(sims))).toEqual(
      new Set(['PATCH /api/v1/variations/71', 'PATCH /api/v1/stock/TS-700-S']),
    );
  });
});

describe('switching a connection from import-new to update-existing', () => {
  it.concurrent(
    'a product imported earlier and now gone from NetBaron is removed only when it is chosen',
    async ({ expect, onTestFinished }) => {
      const store = [item(1, 'SEL-1'), item(11, 'OTHER-1')];
      const same = (code: string) =>
        nbProduct(code, { SalesPriceVatIncluded: 10, PurchasePrice: 4, Quantity: 5 });
      const sims = await startScene({ store, netbaron: [same('SEL-1'), same('OTHER-1')] }, onTestFinished);
      const id = 'update-existing-after-import-new';

      // Both codes are imported (linked) by an import-new run.
      const first = await cli.importProducts(sims, { id, productImport: { whenRemoving: 'delete' } });
      expect(first.code, first.stderr).toBe(0);
      expect(first.summary).toMatchObject({ status: 'completed', unchanged: 2 });

      // Both leave NetBaron's listing; only SEL-1 is chosen.
      await setNetBaronProducts(sims, []);
      await clearLogs(sims);
      const second = await cli.importProducts(sims, {
        id,
        productImport: { mode: 'update-existing', whenRemoving: 'delete', updateOnly: ['SEL-1'] },
      });
      expect(second.code, second.stderr).toBe(0);
      expect(second.summary).toMatchObject({ status: 'completed', deleted: 1, hidden: 0 });
      expect(await storeWrites(sims)).toEqual(['DELETE /api/v1/products/1']);
      const after = await readStore(sims);
      expect(productByCode(after, 'SEL-1')).toBeUndefined();
      expect(isVisible(productByCode(after, 'OTHER-1')!)).toBe(true);
    },
  );
});
