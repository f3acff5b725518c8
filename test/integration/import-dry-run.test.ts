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
  clearLogs,
} from '../helpers/import-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

/* `--dry-run`: the plan with field-level diffs, and not one write to MyCashflow. */

const database = await createTestDatabase();
const cli = await createImportCli(database.url);

const STORE = [
  {
    id: 1,
    product_code: 'KAHVI-1',
    name: 'Kahvi',
    price: 24.9,
    purchase_price: 11,
    stock_item: { quantity: 20 },
  },
  {
    id: 3,
    product_code: 'TS-100',
    name: 'T-paita',
    price: 24.9,
    variations: [
      {
        id: 31,
        product_code: 'TS-100-S',
        name: 'S',
        price: 24.9,
        purchase_price: 9,
        stock_item: { quantity: 3 },
      },
    ],
  },
  { id: 5, product_code: 'DEL-1', name: 'Poistuva', price: 5, stock_item: { quantity: 1 } },
  {
    id: 6,
    product_code: 'SAMA-1',
    name: 'Ennallaan',
    price: 10,
    purchase_price: 4,
    stock_item: { quantity: 5 },
  },
];

const NETBARON = [
  nbProduct('KAHVI-1', { SalesPriceVatIncluded: 26.9, PurchasePrice: 11, Quantity: 40 }),
  nbProduct('TS-100-S', { SalesPriceVatIncluded: 22.9, PurchasePrice: 9, Quantity: 3 }),
  nbProduct('DEL-1', { Deleted: true }),
  nbProduct('SAMA-1', { SalesPriceVatIncluded: 10, PurchasePrice: 4, Quantity: 5 }),
  nbProduct('UUSI-1', {
    Name: 'Uusi tuote',
    VatPercent: 14,
    SalesPriceVatIncluded: 5.5,
    PurchasePrice: 2,
    Weight: 0.1,
    PackageType: 'XS',
    Quantity: 9,
  }),
];

const UPDATE_ONLY = ['KAHVI-1', 'TS-100', 'DEL-1', 'SAMA-1'];

describe('import-products --dry-run', () => {
  it.concurrent(
    'mode import-new, whenRemoving hide: prints every action with its field-level diff and writes nothing; a real run afterwards carries the plan out',
    async ({ expect, onTestFinished }) => {
      const sims = await startScene({ store: STORE, netbaron: NETBARON }, onTestFinished);
      const before = await readStore(sims);
      const spec = {
        id: 'dry-run-import-new-hide',
        productImport: { mode: 'import-new' as const, whenRemoving: 'hide' as const },
      };

      const dry = await cli.run(sims, 'import-products', spec, ['--dry-run']);
      expect(dry.code, dry.stderr).toBe(0);
      const out = dry.stdout;
      expect(out).toMatch(/^update\s+KAHVI-1\s/m);
      expect(out).toMatch(/^\s+price: 24\.90 → 26\.90$/m);
      expect(out).toMatch(/^\s+stock: 20 → 40$/m);
      expect(out).not.toMatch(/purchase_price: 11\.00/); // already equal: not in the plan
      expect(out).toMatch(/^update variation\s+TS-100-S\s/m);
      expect(out).toMatch(/^\s+price: 24\.90 → 22\.90$/m);
      expect(out).toMatch(/^create\s+UUSI-1\s/m);
      for (const line of [
        'name: ∅ → Uusi tuote',
        'product_code: ∅ → UUSI-1',
        'vat_rate: ∅ → 14',
        'price: ∅ → 5.50',
        'purchase_price: ∅ → 2.00',
        'weight: ∅ → 0.1',
        'parcel_type: ∅ → XS',
        'stock: ∅ → 9',
      ])
        expect(out).toContain(line);
      expect(out).not.toContain('description:');
      expect(out).toMatch(/^hide\s+DEL-1\s/m);
      expect(out).toMatch(/^\s+visibility: visible → hidden in every version$/m);
      expect(out).not.toContain('SAMA-1');
      expect(out).toContain('Counts are what would be done');

      expect(await storeWrites(sims)).toEqual([]);
      expect(await readStore(sims)).toEqual(before);

      // The dry run left nothing behind that a real run would resume or skip.
      await clearLogs(sims);
      const real = await cli.importProducts(sims, spec);
      expect(real.code, real.stderr).toBe(0);
      expect(real.summary).toMatchObject({
        status: 'completed',
        resumed: false,
        created: 1,
        updated: 2,
        unchanged: 1,
        hidden: 1,
      });
      const after = await readStore(sims);
      expect(productByCode(after, 'KAHVI-1')).toMatchObject({ price: 26.9, stock_item: { quantity: 40 } });
      expect(productByCode(after, 'TS-100')!.variations[0]).toMatchObject({ price: 22.9 });
      expect(isVisible(productByCode(after, 'UUSI-1')!)).toBe(true);
      expect(isHidden(productByCode(after, 'DEL-1')!)).toBe(true);
    },
  );

  it.concurrent(
    'mode update-existing, whenRemoving delete: prints updates and the deletion, no create, and writes nothing',
    async ({ expect, onTestFinished }) => {
      const sims = await startScene({ store: STORE, netbaron: NETBARON }, onTestFinished);
      const before = await readStore(sims);
      const spec = {
        id: 'dry-run-update-existing-delete',
        productImport: {
          mode: 'update-existing' as const,
          whenRemoving: 'delete' as const,
          updateOnly: UPDATE_ONLY,
          updateDescriptions: true,
        },
      };
      const dry = await cli.run(sims, 'import-products', spec, ['--dry-run']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toMatch(/^\s+price: 24\.90 → 26\.90$/m);
      expect(dry.stdout).toMatch(/^update variation\s+TS-100-S\s/m);
      expect(dry.stdout).toMatch(/^delete\s+DEL-1\s/m);
      expect(dry.stdout).not.toMatch(/^create/m);
      expect(dry.stdout).not.toContain('UUSI-1');

      const json = await cli.importProducts(sims, spec, { dryRun: true });
      expect(json.code, json.stderr).toBe(0);
      expect(json.summary).toMatchObject({
        status: 'dry-run',
        dryRun: true,
        created: 0,
        updated: 2,
        unchanged: 1,
        deleted: 1,
        hidden: 0,
      });
      expect(Object.keys(json.summary.requests.mycashflow)).toEqual(['GET']);

      expect(await storeWrites(sims)).toEqual([]);
      expect(await readStore(sims)).toEqual(before);
    },
  );
});
