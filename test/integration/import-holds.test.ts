import { describe, expect, it } from 'vitest';
import type { RunningSimulators } from '../../simulators/scenario.ts';
import {
  clearLogs,
  createImportCli,
  nbProduct,
  productByCode,
  readStore,
  setNetBaronProducts,
  startScene,
  storeItem,
  storeWrites,
} from '../helpers/import-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

/*
 * Returns never overwritten unseen, through the real CLI and both simulators: after an import, the store
 * processes a return (stock back up, a stock change whose source type says return); the next import
 * holds that code (no PATCH /stock of it, the rest written as usual) and says so in `held`, and keeps
 * holding it at the import after; raising NetBaron's balance to the store's clears the hold with nothing
 * written; `--overwrite-held` writes NetBaron's balance.
 */

const database = await createTestDatabase();
const cli = await createImportCli(database.url);
const spec = { id: 'palautukset' };

async function processReturn(sims: RunningSimulators, code: string, quantity: number): Promise<void> {
  const res = await fetch(`${sims.mycashflow.url}/__sim/returns`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ product_code: code, quantity, order_id: 1001 }),
  });
  expect(res.status).toBe(200);
}

const stockOf = async (sims: RunningSimulators, code: string) =>
  (productByCode(await readStore(sims), code)?.stock_item as { quantity: number } | undefined)?.quantity;

describe('a return in the store', () => {
  it(
    'holds its code until NetBaron has it or a person overwrites it',
    { timeout: 180_000 },
    async ({ onTestFinished }) => {
      const nb = (vs: number, muki: number, price = 10) => [
        nbProduct('VS-1000', { Quantity: vs, SalesPriceVatIncluded: price }),
        nbProduct('MUKI-1', { Quantity: muki }),
      ];
      const sims = await startScene(
        {
          store: [storeItem(1, 'VS-1000'), storeItem(2, 'MUKI-1', { stock_item: { quantity: 3 } })],
          netbaron: nb(5, 3),
        },
        onTestFinished,
      );
      const first = await cli.importProducts(sims, spec);
      expect(first.summary).toMatchObject({ status: 'completed', held: [] });
      expect(first.code).toBe(0);

      // 2 of VS-1000 come back; NetBaron does not hear of it, but re-prices VS-1000 and counts MUKI-1 again.
      await processReturn(sims, 'VS-1000', 2);
      expect(await stockOf(sims, 'VS-1000')).toBe(7);
      await setNetBaronProducts(sims, nb(5, 4, 12));
      await clearLogs(sims);

      const held = await cli.importProducts(sims, spec);
      expect(held.summary.status).toBe('completed');
      expect(held.summary.held).toEqual([
        { code: 'VS-1000', storeQuantity: 7, netbaronQuantity: 5, returned: 2 },
      ]);
      expect(held.code).toBe(2);
      const writes = await storeWrites(sims);
      expect(writes).toContain('PATCH /api/v1/stock/MUKI-1');
      expect(writes).toContain('PATCH /api/v1/products/1');
      expect(writes).not.toContain('PATCH /api/v1/stock/VS-1000');
      expect(await stockOf(sims, 'VS-1000')).toBe(7);
      expect(productByCode(await readStore(sims), 'VS-1000')?.price).toBe(12);

      // The import after (as a schedule would run it) still holds it, although the return came before it.
      await clearLogs(sims);
      const again = await cli.importProducts(sims, spec);
      expect(again.summary.held).toEqual([
        { code: 'VS-1000', storeQuantity: 7, netbaronQuantity: 5, returned: 2 },
      ]);
      expect(await storeWrites(sims)).toEqual([]);

      // The merchant adds the 2 in NetBaron: the hold clears, and there is nothing to write.
      await setNetBaronProducts(sims, nb(7, 4, 12));
      await clearLogs(sims);
      const cleared = await cli.importProducts(sims, spec);
      expect(cleared.summary.held).toEqual([]);
      expect(cleared.code).toBe(0);
      expect(await storeWrites(sims)).toEqual([]);

      // Another return, and this time the merchant trusts NetBaron: --overwrite-held writes its balance.
      await processReturn(sims, 'VS-1000', 1);
      await clearLogs(sims);
      const heldAgain = await cli.importProducts(sims, spec, { dryRun: true });
      expect(heldAgain.summary.held).toEqual([
        { code: 'VS-1000', storeQuantity: 8, netbaronQuantity: 7, returned: 1 },
      ]);
      const overwritten = await cli.importProducts(sims, spec, { overwriteHeld: true });
      expect(overwritten.summary.held).toEqual([]);
      expect(overwritten.code).toBe(0);
      expect(await storeWrites(sims)).toEqual(['PATCH /api/v1/stock/VS-1000']);
      expect(await stockOf(sims, 'VS-1000')).toBe(7);

      // Nothing is held any more: the next import writes nothing and holds nothing.
      await clearLogs(sims);
      const after = await cli.importProducts(sims, spec);
      expect(after.summary.held).toEqual([]);
      expect(await storeWrites(sims)).toEqual([]);
    },
  );
});
