import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { RunningSimulators } from '../../simulators/scenario.ts';
import {
  createImportCli,
  nbProduct,
  productByCode,
  readStore,
  setNetBaronProducts,
  startScene,
  storeItem,
  storeRequests,
  storeWrites,
  clearLogs,
  type ImportRun,
} from '../helpers/import-cli.ts';
import { simControl } from '../helpers/sims.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

/*
 * The store mirror (`src/catalog/store-mirror.ts`): an import reads only what changed in the store since
 * the last one, and reads the whole store when the mirror may be wrong. Each case changes the store
 * behind the connector's back in a way no reading of changes can see (the simulator's state replaced
 * with the change, its `updated_at` left as it was), then shows which doubt makes the next import read
 * the whole store and correct it. The first case shows that without a doubt the change is not seen:
 * the mirror is really what the import plans against.
 */

const database = await createTestDatabase();
const cli = await createImportCli(database.url);
const spec = { id: 'peili' };
const CODES = ['P-1', 'P-2', 'P-3', 'P-4'];
const nbAt = (prices: Record<string, number> = {}) =>
  CODES.map((code) => nbProduct(code, { SalesPriceVatIncluded: prices[code] ?? 10, Quantity: 5 }));

type StateDoc = {
  products: Array<Record<string, unknown> & { id: number; product_code: string; price: number }>;
  stock_changes: Array<Record<string, unknown> & { id: number }>;
};

/** Replaces the store's state with `edit` applied: nothing it changes gets a newer `updated_at`. */
async function behindTheBack(sims: RunningSimulators, edit: (doc: StateDoc) => void): Promise<void> {
  const doc = await simControl<StateDoc>(`${sims.mycashflow.url}/__sim/state`);
  edit(doc);
  await simControl(`${sims.mycashflow.url}/__sim/state`, 'PUT', doc);
}

const setPrice = (doc: StateDoc, code: string, price: number) => {
  const product = doc.products.find((p) => p.product_code === code);
  if (!product) throw new Error(`no ${code} in the store`);
  product.price = price;
};

const priceOf = async (sims: RunningSimulators, code: string) =>
  (productByCode(await readStore(sims), code) as { price?: number } | undefined)?.price;

async function importNow(sims: RunningSimulators): Promise<ImportRun & { writes: string[] }> {
  await clearLogs(sims);
  const run = await cli.importProducts(sims, spec);
  return { ...run, writes: await storeWrites(sims) };
}

const mirrorSet = (fields: 'full_read_at' | 'stock_read_at', ago: string) =>
  sql`update store_mirror set ${sql.ref(fields)} = now() - ${ago}::interval`.execute(database.db);

describe('the store mirror', () => {
  it(
    'reads only what changed, and reads the whole store whenever the mirror is in doubt',
    { timeout: 240_000 },
    async ({ onTestFinished }) => {
      const sims = await startScene(
        {
          // P-4's stock differs: the first import writes it, so the store has a stock change to follow.
          store: CODES.map((code, i) =>
            storeItem(i + 1, code, code === 'P-4' ? { stock_item: { quantity: 2 } } : {}),
          ),
          netbaron: nbAt(),
        },
        onTestFinished,
      );
      const first = await importNow(sims);
      expect(first.summary.storeRead).toMatchObject({ kind: 'full', why: 'the store was never read whole' });
      expect(first.code).toBe(0);
      expect(first.writes).toEqual(['PATCH /api/v1/stock/P-4']);

      // No change: only the changes are read, in at most 5 requests, and nothing is written.
      const same = await importNow(sims);
      expect(same.summary.storeRead).toEqual({ kind: 'changes' });
      expect(same.writes).toEqual([]);
      const reads = (await storeRequests(sims)).filter((r) => r.method === 'GET');
      expect(reads.length).toBeLessThanOrEqual(5);
      expect(same.summary.requests.mycashflow.GET).toBe(reads.length);

      // A change no reading of changes sees, and no doubt: the mirror is what the import plans against.
      await behindTheBack(sims, (doc) => setPrice(doc, 'P-1', 99));
      const unseen = await importNow(sims);
      expect(unseen.summary.storeRead).toEqual({ kind: 'changes' });
      expect(unseen.writes).toEqual([]);
      expect(await priceOf(sims, 'P-1')).toBe(99);

      // 1. The last full reading is older than a day: read whole, and P-1 is corrected.
      await mirrorSet('full_read_at', '25 hours');
      const daily = await importNow(sims);
      expect(daily.summary.storeRead?.kind).toBe('full');
      expect(daily.summary.storeRead).toMatchObject({
        why: expect.stringContaining('last read whole 25 h ago'),
      });
      expect(daily.writes).toEqual([`PATCH /api/v1/products/1`]);
      expect(await priceOf(sims, 'P-1')).toBe(10);

      // 2. A gap in the stock changes' ids.
      await behindTheBack(sims, (doc) => {
        setPrice(doc, 'P-2', 99);
        const last = doc.stock_changes.at(-1);
        if (!last) throw new Error('the store has no stock change');
        // A new entry whose id is not the next one: the one between was never seen.
        doc.stock_changes.push({
          ...last,
          id: last.id + 2,
          quantity_change: 0,
          changed_at: new Date().toISOString(),
        });
      });
      const gap = await importNow(sims);
      expect(gap.summary.storeRead).toMatchObject({
        kind: 'full',
        why: expect.stringContaining('is missing'),
      });
      expect(gap.writes).toEqual([`PATCH /api/v1/products/2`]);
      expect(await priceOf(sims, 'P-2')).toBe(10);

      // 3. Stock changes last read longer ago than MyCashflow keeps them.
      await behindTheBack(sims, (doc) => setPrice(doc, 'P-3', 99));
      await mirrorSet('stock_read_at', '31 days');
      const old = await importNow(sims);
      expect(old.summary.storeRead).toMatchObject({
        kind: 'full',
        why: expect.stringContaining('31 days ago'),
      });
      expect(old.writes).toEqual([`PATCH /api/v1/products/3`]);

      // 4. A product deleted behind the import's back: the store's count is not the mirror's.
      await behindTheBack(sims, (doc) => {
        doc.products = doc.products.filter((p) => p.product_code !== 'P-4');
      });
      const counted = await importNow(sims);
      expect(counted.summary.storeRead).toMatchObject({
        kind: 'full',
        why: 'the store has 3 products, the mirror 4',
      });
      expect(counted.writes.filter((w) => w === 'POST /api/v1/products')).toHaveLength(1);
      expect(productByCode(await readStore(sims), 'P-4')).toBeDefined();

      // 5. A write answered 404: P-1 deleted and another product added, so that the count still agrees.
      const p1 = productByCode(await readStore(sims), 'P-1') as { id: number };
      await behindTheBack(sims, (doc) => {
        const gone = doc.products.find((p) => p.product_code === 'P-1')!;
        doc.products = doc.products.filter((p) => p !== gone);
        doc.products.push({ ...gone, id: 900, product_code: 'X-9', variations: [] });
      });
      await setNetBaronProducts(sims, nbAt({ 'P-1': 12 }));
      const refused = await importNow(sims);
      expect(refused.summary.storeRead).toEqual({ kind: 'changes' });
      expect(refused.writes).toEqual([`PATCH /api/v1/products/${p1.id}`]);
      expect(refused.summary.failed).toBe(1);
      const after404 = await importNow(sims);
      expect(after404.summary.storeRead).toMatchObject({
        kind: 'full',
        why: 'the store answered 404 to a write of P-1',
      });
      expect(after404.writes.filter((w) => w === 'POST /api/v1/products')).toHaveLength(1);
      expect(await priceOf(sims, 'P-1')).toBe(12);

      // 6. A write answered 409: a product with a new code appears unseen, and NetBaron brings the code.
      await behindTheBack(sims, (doc) => {
        const x = doc.products.find((p) => p.product_code === 'X-9')!;
        x.product_code = 'N-1';
      });
      await setNetBaronProducts(sims, [
        ...nbAt({ 'P-1': 12 }),
        nbProduct('N-1', { SalesPriceVatIncluded: 7 }),
      ]);
      const conflict = await importNow(sims);
      expect(conflict.summary.storeRead).toEqual({ kind: 'changes' });
      expect(conflict.writes).toEqual(['POST /api/v1/products']);
      expect(conflict.summary.failed).toBe(1);
      const after409 = await importNow(sims);
      expect(after409.summary.storeRead).toMatchObject({
        kind: 'full',
        why: 'the store answered 409 to a write of N-1',
      });
      // Read whole, N-1 is the store's product 900: matched and updated, not created twice.
      expect(after409.writes).toContain('PATCH /api/v1/products/900');
      expect(after409.writes).not.toContain('POST /api/v1/products');
      expect(await priceOf(sims, 'N-1')).toBe(7);

      // And with the mirror trusted again, the next import reads only changes.
      const settled = await importNow(sims);
      expect(settled.summary.storeRead).toEqual({ kind: 'changes' });
      expect(settled.writes).toEqual([]);
    },
  );
});
