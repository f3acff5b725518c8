import { describe, it } from 'vitest';
import {
  MODES_AND_REMOVALS,
  createImportCli,
  isVisible,
  nbProduct,
  problemsOf,
  productByCode,
  productById,
  readStore,
  startScene,
  storeRequests,
  storeWrites,
  storeItem as item,
} from '../helpers/import-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

/*
 * Matching is by product code only, across store products and variations: an EAN never matches, and a
 * code the store holds twice is left alone, reported with every place it occurs, while the rest of the
 * run goes on.
 */

const database = await createTestDatabase();
const cli = await createImportCli(database.url);

const size = (id: number, code: string, name: string) => ({
  id,
  product_code: code,
  name,
  price: 20,
  purchase_price: 8,
  stock_item: { quantity: 2 },
});

const STORE = [
  item(1, 'KAHVI-1', { price: 8.9 }),
  item(8, 'MUKI-1', { price: 12.5 }),
  // Codes that are NetBaron EANs of other products.
  item(2, '6430000000012', { name: 'EAN-koodilla' }),
  item(3, '6430000000029', { name: 'Toinen EAN-koodilla' }),
  // DUP-1: a product and a variation of another product.
  item(4, 'DUP-1', { name: 'Tuplatuote' }),
  {
    id: 5,
    product_code: 'TS-900',
    name: 'Paita 900',
    price: 20,
    variations: [size(51, 'DUP-1', 'S'), size(52, 'TS-900-M', 'M')],
  },
  // DUP-2: two products.
  item(6, 'DUP-2', { name: 'Tupla A' }),
  item(7, 'DUP-2', { name: 'Tupla B' }),
];

const NETBARON = [
  // Its EAN is another product's code: each code still matches only its own product.
  nbProduct('KAHVI-1', { EAN: 'MUKI-1', SalesPriceVatIncluded: 9.5, Quantity: 40 }),
  nbProduct('MUKI-1', { EAN: 'KAHVI-1', SalesPriceVatIncluded: 13.5, Quantity: 3 }),
  // Its EAN is store product 2's code: it must not update product 2.
  nbProduct('UUSI-2', {
    EAN: '6430000000012',
    Name: 'Uusi EAN:lla',
    SalesPriceVatIncluded: 7,
    PurchasePrice: 3,
    Quantity: 8,
  }),
  // Deleted, with store product 3's code as its EAN: product 3 must not be removed.
  nbProduct('POIS-1', { EAN: '6430000000029', Deleted: true }),
  nbProduct('DUP-1', { SalesPriceVatIncluded: 15, PurchasePrice: 6, Quantity: 11 }),
  nbProduct('DUP-2', { Deleted: true }),
  nbProduct('TS-900-M', { SalesPriceVatIncluded: 22, PurchasePrice: 8, Quantity: 6 }),
];

describe.each(MODES_AND_REMOVALS)('mode $mode, whenRemoving $whenRemoving', ({ mode, whenRemoving }) => {
  it.concurrent(
    'matches by code, never by EAN; a duplicate store code is reported with both places and left alone while the rest goes on',
    async ({ expect, onTestFinished }) => {
      const sims = await startScene({ store: STORE, netbaron: NETBARON }, onTestFinished);
      const run = await cli.importProducts(sims, {
        id: `matching-${mode}-${whenRemoving}`,
        productImport: {
          mode,
          whenRemoving,
          updateOnly:
            mode === 'update-existing'
              ? ['KAHVI-1', 'MUKI-1', '6430000000012', '6430000000029', 'DUP-1', 'DUP-2', 'TS-900']
              : [],
        },
      });
      expect(run.code, run.stderr).toBe(0);
      const s = run.summary;
      expect(s.status).toBe('completed');
      expect(s.updated).toBe(3); // KAHVI-1, MUKI-1, TS-900-M
      expect(s.created).toBe(mode === 'import-new' ? 1 : 0); // UUSI-2 as a product of its own
      expect([s.hidden, s.deleted, s.variationsDeleted]).toEqual([0, 0, 0]);

      // Duplicates: one problem per code, naming every place.
      const dups = problemsOf(s.problems, 'duplicate-code-in-store');
      expect(dups.map((p) => p.code).sort()).toEqual(['DUP-1', 'DUP-2']);
      const dup1 = dups.find((p) => p.code === 'DUP-1')!;
      expect(dup1.places).toHaveLength(2);
      expect(dup1.places!.some((place) => /^product 4\b/.test(place))).toBe(true);
      expect(dup1.places!.some((place) => /^variation 51\b.*product 5\b/.test(place))).toBe(true);
      expect(dup1.reason).toContain('DUP-1');
      const dup2 = dups.find((p) => p.code === 'DUP-2')!;
      expect(dup2.places).toHaveLength(2);
      expect(dup2.places!.some((place) => /^product 6\b/.test(place))).toBe(true);
      expect(dup2.places!.some((place) => /^product 7\b/.test(place))).toBe(true);
      expect(s.problems).toHaveLength(2);

      const store = await readStore(sims);
      // EAN never matches: product 2 keeps its values; product 3 is not removed.
      expect(productById(store, 2)).toMatchObject({
        product_code: '6430000000012',
        name: 'EAN-koodilla',
        price: 10,
        purchase_price: 4,
        stock_item: { quantity: 5 },
      });
      expect(isVisible(productById(store, 3)!)).toBe(true);
      const uusi = productByCode(store, 'UUSI-2');
      if (mode === 'import-new')
        expect(uusi).toMatchObject({ name: 'Uusi EAN:lla', price: 7, stock_item: { quantity: 8 } });
      else expect(uusi).toBeUndefined();

      // Duplicates untouched, in the state and in the request log.
      expect(productById(store, 4)).toMatchObject({
        price: 10,
        purchase_price: 4,
        stock_item: { quantity: 5 },
      });
      const ts900 = productById(store, 5)!;
      expect(ts900.variations.map((v) => [v.id, v.price, v.stock_item?.quantity])).toEqual([
        [51, 20, 2],
        [52, 22, 6],
      ]);
      for (const id of [6, 7]) expect(isVisible(productById(store, id)!)).toBe(true);
      expect(productByCode(store, 'KAHVI-1')).toMatchObject({ price: 9.5, stock_item: { quantity: 40 } });
      expect(productByCode(store, 'MUKI-1')).toMatchObject({ price: 13.5, stock_item: { quantity: 3 } });

      const writes = await storeWrites(sims);
      for (const w of writes) {
        expect(w).not.toMatch(/\/products\/(2|3|4|6|7)$/);
        expect(w).not.toMatch(/\/variations\/51$/);
        expect(w).not.toMatch(/\/stock\/(DUP-1|DUP-2|6430000000012)$/);
      }
      expect(writes).toEqual(
        expect.arrayContaining(['PATCH /api/v1/products/1', 'PATCH /api/v1/variations/52']),
      );
      // The store was asked about nothing but the catalog and the written objects.
      expect(
        (await storeRequests(sims)).filter(
          (r) => r.method === 'GET' && /DUP|\/products\/[2-7]$/.test(decodeURIComponent(r.path)),
        ),
      ).toEqual([]);
    },
  );
});
