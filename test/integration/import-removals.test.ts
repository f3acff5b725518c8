import { describe, it } from 'vitest';
import {
  MODES_AND_REMOVALS,
  clearLogs,
  createImportCli,
  isHidden,
  isVisible,
  nbProduct,
  productByCode,
  productById,
  readStore,
  setNetBaronProducts,
  startScene,
  storeWrites,
  writeCounts,
} from '../helpers/import-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

/*
 * "Deleting products": a product deleted in NetBaron (or gone from a complete listing after an earlier
 * import) is hidden or deleted per "When removing products"; a deleted variation is deleted, and its
 * product follows the same setting only when it had no other variation left.
 */

const database = await createTestDatabase();
const cli = await createImportCli(database.url);

const size = (id: number, code: string, name: string) => ({
  id,
  product_code: code,
  name,
  price: 20,
  purchase_price: 8,
  stock_item: { quantity: 1 },
});
const plain = (id: number, code: string, extra: Record<string, unknown> = {}) => ({
  id,
  product_code: code,
  name: `Tuote ${code}`,
  price: 10,
  purchase_price: 4,
  stock_item: { quantity: 5 },
  ...extra,
});

const STORE = [
  plain(10, 'DEL-1'),
  plain(11, 'HID-1', {
    visibilities: [
      { version_id: 1, is_visible: false },
      { version_id: 2, is_visible: false },
    ],
  }),
  // Visible in one version only: hiding makes it invisible in both.
  plain(12, 'HALF-1', { visibilities: [{ version_id: 1, is_visible: false }] }),
  {
    id: 20,
    product_code: 'TS-200',
    name: 'Paita 200',
    price: 20,
    variations: [size(201, 'TS-200-S', 'S'), size(202, 'TS-200-M', 'M')],
  },
  { id: 30, product_code: 'TS-300', name: 'Paita 300', price: 20, variations: [size(301, 'TS-300-S', 'S')] },
  {
    id: 40,
    product_code: 'TS-400',
    name: 'Paita 400',
    price: 20,
    variations: [size(401, 'TS-400-S', 'S'), size(402, 'TS-400-M', 'M')],
  },
  plain(50, 'GONE-1'),
  plain(60, 'KEEP-1'),
  plain(65, 'LEFT-1'),
  // Never imported and not in NetBaron: no reason to remove it.
  plain(70, 'STORE-ONLY'),
];

const live = (code: string) => nbProduct(code, { SalesPriceVatIncluded: 10, PurchasePrice: 4, Quantity: 5 });
const liveSize = (code: string) =>
  nbProduct(code, { SalesPriceVatIncluded: 20, PurchasePrice: 8, Quantity: 1 });
const deleted = (code: string) => nbProduct(code, { Deleted: true });

const NETBARON = [
  deleted('DEL-1'),
  deleted('HID-1'),
  deleted('HALF-1'),
  deleted('TS-200-S'),
  liveSize('TS-200-M'),
  deleted('TS-300-S'),
  deleted('TS-400-S'),
  deleted('TS-400-M'),
  live('GONE-1'),
  live('KEEP-1'),
  // Left the store's marketplace: listed there as deleted.
  nbProduct('LEFT-1', { Marketplaces: ['5'], LeftMarketplaces: [{ Id: '3' }] }),
  // Deleted in NetBaron, never in the store.
  deleted('NEVER-1'),
];

describe.each(MODES_AND_REMOVALS)('mode $mode, whenRemoving $whenRemoving', ({ mode, whenRemoving }) => {
  const spec = {
    id: `removals-${mode}-${whenRemoving}`,
    productImport: {
      mode,
      whenRemoving,
      updateOnly:
        mode === 'update-existing'
          ? [
              'DEL-1',
              'HID-1',
              'HALF-1',
              'TS-200',
              'TS-300',
              'TS-400',
              'GONE-1',
              'KEEP-1',
              'LEFT-1',
              'STORE-ONLY',
            ]
          : [],
    },
  };
  const hiding = whenRemoving === 'hide';

  it.concurrent(
    'removes deleted products and variations, a product only with its last variation; later removes what is gone from the listing; a hidden product is not hidden again',
    async ({ expect, onTestFinished }) => {
      const sims = await startScene({ store: STORE, netbaron: NETBARON }, onTestFinished);

      // Run 1: the deletions.
      const first = await cli.importProducts(sims, spec);
      expect(first.code, first.stderr).toBe(0);
      expect(first.summary.status).toBe('completed');
      expect(first.summary.problems).toEqual([]);
      expect(first.summary.variationsDeleted).toBe(4); // TS-200-S, TS-300-S, TS-400-S, TS-400-M
      if (hiding) {
        // HID-1 is already hidden everywhere: nothing to write for it.
        expect([first.summary.hidden, first.summary.deleted]).toEqual([5, 0]); // DEL-1, HALF-1, TS-300, TS-400, LEFT-1
      } else {
        expect([first.summary.hidden, first.summary.deleted]).toEqual([0, 6]); // and HID-1
      }

      let store = await readStore(sims);
      for (const code of ['DEL-1', 'HID-1', 'HALF-1', 'LEFT-1']) {
        const p = productByCode(store, code);
        if (hiding) expect(p && isHidden(p), `${code} hidden in every version`).toBe(true);
        else expect(p, `${code} deleted`).toBeUndefined();
      }

      // One variation deleted, one left: the product stays as it was.
      const ts200 = productById(store, 20)!;
      expect(ts200.variations.map((v) => v.id)).toEqual([202]);
      expect(isVisible(ts200)).toBe(true);

      // The last variation (TS-300) or every variation (TS-400) deleted: the product follows the setting.
      for (const id of [30, 40]) {
        const p = productById(store, id);
        if (hiding) {
          expect(p, `product ${id} kept, hidden`).toBeDefined();
          expect(p!.variations).toEqual([]);
          expect(isHidden(p!)).toBe(true);
        } else {
          expect(p, `product ${id} deleted`).toBeUndefined();
        }
      }
      expect(store.products.flatMap((p) => p.variations.map((v) => v.id))).toEqual([202]);

      for (const code of ['GONE-1', 'KEEP-1', 'STORE-ONLY']) {
        const p = productByCode(store, code);
        expect(p && isVisible(p), `${code} untouched`).toBe(true);
      }

      const writes = await storeWrites(sims);
      expect(writes).toEqual(
        expect.arrayContaining([
          'DELETE /api/v1/variations/201',
          'DELETE /api/v1/variations/301',
          'DELETE /api/v1/variations/401',
          'DELETE /api/v1/variations/402',
        ]),
      );
      expect(writes.some((w) => w.endsWith('/products/20'))).toBe(false);
      expect(writes.some((w) => w.endsWith('/products/11'))).toBe(!hiding);
      expect(writeCounts(writes)).toEqual(hiding ? { DELETE: 4, PATCH: 5 } : { DELETE: 10 });

      // Run 2: GONE-1 and TS-200-M, both imported by run 1, are no longer in NetBaron's listing at all;
      // TS-200-M was TS-200's last variation.
      await setNetBaronProducts(
        sims,
        NETBARON.filter((p) => p.ProductCode !== 'GONE-1' && p.ProductCode !== 'TS-200-M'),
      );
      await clearLogs(sims);
      const second = await cli.importProducts(sims, spec);
      expect(second.code, second.stderr).toBe(0);
      expect(second.summary).toMatchObject({
        status: 'completed',
        hidden: hiding ? 2 : 0,
        deleted: hiding ? 0 : 2,
        variationsDeleted: 1,
        created: 0,
        updated: 0,
      });
      expect((await storeWrites(sims)).sort()).toEqual(
        hiding
          ? ['DELETE /api/v1/variations/202', 'PATCH /api/v1/products/20', 'PATCH /api/v1/products/50']
          : ['DELETE /api/v1/products/20', 'DELETE /api/v1/products/50', 'DELETE /api/v1/variations/202'],
      );
      store = await readStore(sims);
      for (const id of [20, 50]) {
        const p = productById(store, id);
        if (hiding) {
          expect(p && isHidden(p), `product ${id} hidden`).toBe(true);
          expect(p!.variations).toEqual([]);
        } else {
          expect(p, `product ${id} deleted`).toBeUndefined();
        }
      }
      expect(isVisible(productByCode(store, 'KEEP-1')!)).toBe(true);
      expect(isVisible(productByCode(store, 'STORE-ONLY')!)).toBe(true);

      // Run 3: nothing changed in NetBaron, nothing is written: a hidden product is not hidden again.
      // (With `delete` the removed products are gone; the no-change run is import-fields' business.)
      if (hiding) {
        await clearLogs(sims);
        const third = await cli.importProducts(sims, spec);
        expect(third.code, third.stderr).toBe(0);
        expect(third.summary).toMatchObject({
          status: 'completed',
          hidden: 0,
          deleted: 0,
          variationsDeleted: 0,
          created: 0,
          updated: 0,
        });
        expect(await storeWrites(sims)).toEqual([]);
        expect(await readStore(sims)).toEqual(store);
      }
    },
  );
});
