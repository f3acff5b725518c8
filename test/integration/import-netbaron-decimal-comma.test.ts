import { describe, it } from 'vitest';
import { createImportCli, nbProduct, productByCode, readStore, startScene } from '../helpers/import-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

/*
 * NetBaron's decimal separator is not documented, and Finvoice, whose vocabulary its sales orders use,
 * writes a comma. A listing with `24,90` is read as `24.90`; a number written otherwise (a thousands
 * separator, text) still skips that product with its reason, and the run goes on.
 */

const database = await createTestDatabase();
const cli = await createImportCli(database.url);

describe('product import from a NetBaron writing decimals with a comma', () => {
  it.concurrent(
    'reads them exactly and skips only what is no number at all',
    async ({ expect, onTestFinished }) => {
      const sims = await startScene(
        {
          store: [],
          netbaron: [
            nbProduct('PILKKU-1', {
              VatPercent: '25,5',
              SalesPriceVatIncluded: '24,90',
              PurchasePrice: '9,20',
              Weight: '0,25',
              Quantity: '7,0',
            }),
            nbProduct('PISTE-1', { SalesPriceVatIncluded: 12.5 }),
            nbProduct('TUHAT-1', { SalesPriceVatIncluded: '1.024,90' }),
          ],
        },
        onTestFinished,
      );
      const run = await cli.importProducts(sims, {
        id: 'decimal-comma',
        productImport: { mode: 'import-new' },
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.summary.created).toBe(2);
      expect(run.summary.problems.map((p) => [p.code, p.reason])).toEqual([
        ['TUHAT-1', expect.stringContaining('"1.024,90"')],
      ]);
      const store = await readStore(sims);
      expect(productByCode(store, 'PILKKU-1')).toMatchObject({
        price: 24.9,
        purchase_price: 9.2,
        vat_rate: 25.5,
        weight: 0.25,
        stock_item: { quantity: 7 },
      });
      expect(productByCode(store, 'PISTE-1')).toMatchObject({ price: 12.5 });
    },
  );
});
