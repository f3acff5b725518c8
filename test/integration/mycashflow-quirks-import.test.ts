import { describe, expect, it } from 'vitest';
import {
  createImportCli,
  nbProduct,
  readStore,
  startScene,
  storeState,
  storeWrites,
  type Scene,
} from '../helpers/import-cli.ts';
import { simControl } from '../helpers/sims.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

/*
 * The import over real HTTP against a store that answers in every variant public clients show the real
 * MyCashflow uses (quirks.ts of the simulator): `[]` for empty relations, numbers as text, purchase
 * prices below the cent, timestamps with `Z` or without offset. The result must be the plain run's.
 */

const database = await createTestDatabase();
const cli = await createImportCli(database.url);

const ALL_QUIRKS = {
  emptyRelationsAsArray: true,
  numbersAsStrings: true,
  longPurchasePrices: true,
  timestampsWithoutOffset: true,
};

const SCENE: Scene = {
  store: [
    {
      id: 1,
      product_code: 'KAHVI-1',
      name: 'Kahvi',
      price: 8.9,
      purchase_price: 4.1,
      vat_rate: 14,
      stock_item: { quantity: 20 },
    },
    {
      id: 3,
      product_code: 'TS-100',
      name: 'T-paita',
      price: 24.9,
      purchase_price: 9,
      vat_rate: 25.5,
      variations: [
        {
          id: 31,
          product_code: 'TS-100-S',
          name: 'S',
          price: 24.9,
          purchase_price: 9,
          stock_item: { quantity: 3 },
        },
        {
          id: 32,
          product_code: 'TS-100-M',
          name: 'M',
          price: 24.9,
          purchase_price: 9,
          stock_item: { quantity: 5 },
        },
      ],
    },
    {
      id: 4,
      product_code: 'VANHA-1',
      name: 'Vanha',
      price: 3,
      purchase_price: 1,
      stock_item: { quantity: 1 },
    },
  ],
  netbaron: [
    nbProduct('KAHVI-1', { VatPercent: 14, SalesPriceVatIncluded: 9.5, PurchasePrice: 4.3, Quantity: 33 }),
    nbProduct('TS-100-S', { SalesPriceVatIncluded: 26.9, PurchasePrice: 9.5, Quantity: 4 }),
    nbProduct('TS-100-M', { SalesPriceVatIncluded: 24.9, PurchasePrice: 9, Quantity: 5 }),
    nbProduct('UUSI-1', { VatPercent: 14, SalesPriceVatIncluded: 5.5, PurchasePrice: 2, Quantity: 9 }),
  ],
};

/** The store's state without the moments of writing, which differ between two runs. */
function withoutTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimes);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'created_at' && key !== 'updated_at')
      .map(([key, v]) => [key, withoutTimes(v)]),
  );
}

async function runImport(
  id: string,
  quirks: Record<string, boolean> | undefined,
  onTestFinished: (fn: () => Promise<void>) => void,
) {
  const sims = await startScene(SCENE, onTestFinished);
  if (quirks) {
    await simControl(`${sims.mycashflow.url}/__sim/state`, 'PUT', { ...storeState(SCENE.store), quirks });
  }
  const run = await cli.importProducts(sims, { id, productImport: { whenRemoving: 'hide' } });
  return { run, writes: await storeWrites(sims), store: await readStore(sims) };
}

describe('product import against a store answering with quirks', () => {
  const CASES: Array<[string, Record<string, boolean>]> = [
    ['local', ALL_QUIRKS],
    ['zulu', { ...ALL_QUIRKS, timestampsWithoutOffset: false, timestampsZulu: true }],
  ];
  for (const [name, quirks] of CASES) {
    it(`every quirk, timestamps ${name}: the same writes and the same store as without quirks`, async ({
      onTestFinished,
    }) => {
      const plain = await runImport(`quirks-plain-${name}`, undefined, onTestFinished);
      const quirky = await runImport(`quirks-on-${name}`, quirks, onTestFinished);
      expect(plain.run.code, plain.run.stderr).toBe(0);
      expect(quirky.run.code, quirky.run.stderr).toBe(0);
      expect(quirky.run.summary.status).toBe('completed');
      const counts = (s: typeof plain.run.summary) => [s.created, s.updated, s.unchanged, s.hidden, s.failed];
      expect(counts(quirky.run.summary)).toEqual(counts(plain.run.summary));
      expect(counts(plain.run.summary)).toEqual([1, 2, 1, 0, 0]);
      // The same writes; their order within a phase is the order concurrent requests happened to arrive.
      expect([...quirky.writes].sort()).toEqual([...plain.writes].sort());
      expect(withoutTimes(quirky.store.products)).toEqual(withoutTimes(plain.store.products));
    });
  }

  it('reports a purchase price the store sent below the cent, and goes on', async ({ onTestFinished }) => {
    const { run } = await runImport('quirks-rounded', { longPurchasePrices: true }, onTestFinished);
    expect(run.code, run.stderr).toBe(0);
    const rounded = run.summary.problems.filter((p) => p.kind === 'rounded-purchase-price');
    // Every store purchase price came with digits below the cent: 4.10 as 4.1034, and so on.
    expect(rounded.map((p) => p.code).sort()).toEqual([
      'KAHVI-1',
      'TS-100',
      'TS-100-M',
      'TS-100-S',
      'VANHA-1',
    ]);
    expect(rounded.find((p) => p.code === 'KAHVI-1')?.reason).toContain('4.1034');
    expect(run.summary.updated).toBe(2);
  });
});
