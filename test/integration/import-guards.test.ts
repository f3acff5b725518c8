import { describe, it } from 'vitest';
import {
  createImportCli,
  isHidden,
  isVisible,
  nbProduct,
  productByCode,
  readStore,
  startScene,
  storeWrites,
  type Mode,
  type WhenRemoving,
} from '../helpers/import-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

/*
 * Guards with their default settings: a run that would hide or delete more than 10 % of the store's
 * catalog, or move more than 10 % of the matched prices by more than 30 %, stops before writing
 * (exit code 2, reasons in the summary); `--force` writes anyway.
 */

const database = await createTestDatabase();
const cli = await createImportCli(database.url);

const CODES = Array.from({ length: 10 }, (_, i) => `G-${String(i + 1).padStart(2, '0')}`);
const STORE = CODES.map((code, i) => ({
  id: i + 1,
  product_code: code,
  name: `Tuote ${code}`,
  price: 10,
  purchase_price: 4,
  stock_item: { quantity: 5 },
}));
const same = (code: string) => nbProduct(code, { SalesPriceVatIncluded: 10, PurchasePrice: 4, Quantity: 5 });

/** NetBaron with `deletedCount` of the first codes deleted and G-10's price up by 5 %. */
function netbaron(deletedCount: number): Array<Record<string, unknown>> {
  return CODES.map((code, i) =>
    i < deletedCount
      ? nbProduct(code, { Deleted: true })
      : code === 'G-10'
        ? nbProduct(code, { SalesPriceVatIncluded: 10.5, PurchasePrice: 4, Quantity: 5 })
        : same(code),
  );
}

describe.each<{ mode: Mode; whenRemoving: WhenRemoving }>([
  { mode: 'import-new', whenRemoving: 'hide' },
  { mode: 'update-existing', whenRemoving: 'delete' },
])('removal guard, mode $mode, whenRemoving $whenRemoving', ({ mode, whenRemoving }) => {
  it.concurrent(
    'removing 2 of 10 products (20 %) stops before writing, with the reason; --force writes',
    async ({ expect, onTestFinished }) => {
      const sims = await startScene({ store: STORE, netbaron: netbaron(2) }, onTestFinished);
      const before = await readStore(sims);
      const spec = {
        id: `guards-${mode}-${whenRemoving}`,
        productImport: {
          mode,
          whenRemoving,
          updateOnly: mode === 'update-existing' ? ['G-01', 'G-02', 'G-10'] : [],
          guards: 'default' as const,
        },
      };

      const blocked = await cli.importProducts(sims, spec);
      expect(blocked.code).toBe(2);
      expect(blocked.summary.status).toBe('blocked');
      expect(blocked.summary.guard.ok).toBe(false);
      expect(blocked.summary.guard.reasons).toHaveLength(1);
      expect(blocked.summary.guard.reasons[0]).toMatch(
        /hide or delete 2 of the store's 10 .*20\.0 %.*10\.0 %/,
      );
      expect(await storeWrites(sims)).toEqual([]);
      expect(await readStore(sims)).toEqual(before);

      // The blocked run left nothing to resume: --force plans again and writes everything.
      const forced = await cli.importProducts(sims, spec, { force: true });
      expect(forced.code, forced.stderr).toBe(0);
      expect(forced.summary).toMatchObject({
        status: 'completed',
        resumed: false,
        updated: 1,
        hidden: whenRemoving === 'hide' ? 2 : 0,
        deleted: whenRemoving === 'delete' ? 2 : 0,
      });
      const after = await readStore(sims);
      for (const code of ['G-01', 'G-02']) {
        const p = productByCode(after, code);
        if (whenRemoving === 'hide') expect(p && isHidden(p)).toBe(true);
        else expect(p).toBeUndefined();
      }
      expect(productByCode(after, 'G-10')).toMatchObject({ price: 10.5 });
      expect(isVisible(productByCode(after, 'G-03')!)).toBe(true);
    },
  );
});

describe('guards at and over their limits', () => {
  it.concurrent('removing exactly 10 % (1 of 10) is allowed', async ({ expect, onTestFinished }) => {
    const sims = await startScene({ store: STORE, netbaron: netbaron(1) }, onTestFinished);
    const run = await cli.importProducts(sims, {
      id: 'guards-boundary',
      productImport: { whenRemoving: 'delete', guards: 'default' },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.summary).toMatchObject({ status: 'completed', deleted: 1, updated: 1 });
    expect(productByCode(await readStore(sims), 'G-01')).toBeUndefined();
  });

  it.concurrent(
    'moving 2 of 10 matched prices by more than 30 % stops before writing; check --json says the same',
    async ({ expect, onTestFinished }) => {
      const nb = CODES.map((code) =>
        code === 'G-01' || code === 'G-02'
          ? nbProduct(code, { SalesPriceVatIncluded: 20, PurchasePrice: 4, Quantity: 5 })
          : same(code),
      );
      const sims = await startScene({ store: STORE, netbaron: nb }, onTestFinished);
      const spec = { id: 'guards-prices', productImport: { guards: 'default' as const } };

      const check = await cli.check(sims, spec);
      // Done, but a person is needed: the check found something to fix.
      expect(check.code, check.stderr).toBe(2);
      expect(check.report.guard.ok).toBe(false);
      expect(check.report.guard.reasons).toEqual([
        expect.stringMatching(/change 2 of 10 matched prices by more than 30 %/),
      ]);

      const run = await cli.importProducts(sims, spec);
      expect(run.code).toBe(2);
      expect(run.summary.status).toBe('blocked');
      expect(run.summary.guard.reasons).toEqual(check.report.guard.reasons);
      expect(await storeWrites(sims)).toEqual([]);
      expect(productByCode(await readStore(sims), 'G-01')).toMatchObject({ price: 10 });
    },
  );
});

describe('removal guard and a product with variations', () => {
  // A variation deletion and the removal of the product it empties are one catalog item, as the catalog
  // counts a product with variations only through its variations (otherwise this would read 20 %, and a
  // store of one product with one variation 200 %).
  it.concurrent(
    'deleting the only variation of one product in ten items (10 %) is allowed',
    async ({ expect, onTestFinished }) => {
      const store = [
        ...STORE.slice(0, 9),
        {
          id: 20,
          product_code: 'TS-1',
          name: 'Paita',
          price: 20,
          variations: [
            {
              id: 201,
              product_code: 'TS-1-S',
              name: 'S',
              price: 20,
              purchase_price: 8,
              stock_item: { quantity: 1 },
            },
          ],
        },
      ];
      const nb = [...CODES.slice(0, 9).map(same), nbProduct('TS-1-S', { Deleted: true })];
      const sims = await startScene({ store, netbaron: nb }, onTestFinished);
      const run = await cli.importProducts(sims, {
        id: 'guards-variation-boundary',
        productImport: { whenRemoving: 'hide', guards: 'default' },
      });
      expect(run.summary.guard.reasons).toEqual([]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.summary).toMatchObject({ status: 'completed', variationsDeleted: 1, hidden: 1 });
    },
  );
});
