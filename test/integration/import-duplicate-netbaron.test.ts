import { describe, it } from 'vitest';
import {
  createImportCli,
  nbProduct,
  problemsOf,
  productByCode,
  productById,
  readStore,
  startScene,
  storeWrites,
  storeItem as item,
} from '../helpers/import-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

/*
 * A real NetBaron register can hold the same product code twice (MyCashflow's NetBaron extension warns
 * about exactly that). The simulator holds and lists such a register; the import writes nothing for a
 * code listed twice, neither an update nor a create, reports it with both entries, and goes on.
 */

const database = await createTestDatabase();
const cli = await createImportCli(database.url);

const STORE = [item(1, 'TWICE-1', { name: 'Kaksi kertaa' }), item(2, 'KEEP-1')];

const NETBARON = [
  nbProduct('TWICE-1', { Name: 'Ensimmäinen rivi', SalesPriceVatIncluded: 15, Quantity: 30 }),
  nbProduct('KEEP-1', { SalesPriceVatIncluded: 12, Quantity: 9 }),
  nbProduct('TWICE-1', { Name: 'Toinen rivi', SalesPriceVatIncluded: 16, Quantity: 31 }),
  nbProduct('NEW-1', { Name: 'Uusi tuote', SalesPriceVatIncluded: 7, Quantity: 4 }),
  // Not in the store: listed twice, so it is not created either (which entry would it be?).
  nbProduct('NEWTWICE', { Name: 'Uusi A' }),
  nbProduct('NEWTWICE', { Name: 'Uusi B', Deleted: true, DeletedAt: new Date().toISOString() }),
];

describe('product import with a code NetBaron lists twice', () => {
  it.concurrent(
    'writes nothing for that code, reports both entries, and updates and creates the rest',
    async ({ expect, onTestFinished }) => {
      const sims = await startScene({ store: STORE, netbaron: NETBARON }, onTestFinished);
      const run = await cli.importProducts(sims, {
        id: 'duplicate-in-netbaron',
        productImport: { mode: 'import-new', whenRemoving: 'hide' },
      });
      expect(run.code, run.stderr).toBe(0);
      const s = run.summary;
      expect(s.status).toBe('completed');
      expect(s.updated).toBe(1); // KEEP-1
      expect(s.created).toBe(1); // NEW-1
      expect([s.hidden, s.deleted, s.variationsDeleted]).toEqual([0, 0, 0]);

      const dups = problemsOf(s.problems, 'duplicate-code-in-netbaron');
      expect(dups.map((p) => p.code)).toEqual(['NEWTWICE', 'TWICE-1']);
      expect(dups.find((p) => p.code === 'TWICE-1')?.places).toEqual([
        'NetBaron entry 1 "Ensimmäinen rivi"',
        'NetBaron entry 2 "Toinen rivi"',
      ]);
      expect(dups.find((p) => p.code === 'NEWTWICE')?.places).toEqual([
        'NetBaron entry 1 "Uusi A"',
        'NetBaron entry 2 "Uusi B" (deleted)',
      ]);
      expect(s.problems).toHaveLength(2);

      const store = await readStore(sims);
      expect(productById(store, 1)).toMatchObject({
        product_code: 'TWICE-1',
        name: 'Kaksi kertaa',
        price: 10,
        stock_item: { quantity: 5 },
      });
      expect(productByCode(store, 'KEEP-1')).toMatchObject({ price: 12, stock_item: { quantity: 9 } });
      expect(productByCode(store, 'NEW-1')).toMatchObject({ name: 'Uusi tuote', price: 7 });
      expect(productByCode(store, 'NEWTWICE')).toBeUndefined();
      expect(store.products).toHaveLength(3);

      const writes = await storeWrites(sims);
      expect(writes).toEqual(expect.arrayContaining(['PATCH /api/v1/products/2']));
      for (const w of writes) {
        expect(w).not.toMatch(/\/products\/1$/);
        expect(w).not.toMatch(/\/stock\/(TWICE-1|NEWTWICE)$/);
      }
      expect(writes.filter((w) => w.startsWith('POST '))).toHaveLength(1); // NEW-1 only
    },
  );
});
