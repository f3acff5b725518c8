import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StockReportWithWarnings } from '../../src/reports/read-stock.ts';
import {
  MCF_USER,
  NB_ORDERS_PASSWORD,
  NB_ORG,
  NB_PRODUCTS_PASSWORD,
  simControl,
  useSimulators,
} from '../helpers/sims.ts';
import { runNetbaron } from '../helpers/import-cli.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

/*
 * `netbaron report stock` through the real CLI against both simulators: an import links the codes and
 * leaves both systems equal; then the store processes returns (stock changes whose source type says
 * return), someone edits a balance by hand and NetBaron sells from its own stock. The report must tell
 * the returns apart from the rest, write nothing anywhere, and say what to correct in NetBaron.
 */

const sims = await useSimulators();
const database = await createTestDatabase();
const dir = await mkdtemp(path.join(tmpdir(), 'report-stock-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

// Stock item ids are fixed so that the scene can add stock changes for them.
const ITEM = { KAHVI: 11, MUKI: 14, SUKKA: 15, PIPO: 16, S: 131, M: 132, L: 133 };

const storeProducts = [
  { id: 1, product_code: 'KAHVI-1', name: 'NB KAHVI-1', stock_item: { id: ITEM.KAHVI, quantity: 20 } },
  {
    id: 3,
    product_code: 'TS-100',
    name: 'NB TS-100',
    variations: [
      { id: 31, product_code: 'TS-100-S', name: 'S', stock_item: { id: ITEM.S, quantity: 3 } },
      { id: 32, product_code: 'TS-100-M', name: 'M', stock_item: { id: ITEM.M, quantity: 5 } },
      { id: 33, product_code: 'TS-100-L', name: 'L', stock_item: { id: ITEM.L, quantity: 4 } },
    ],
  },
  { id: 4, product_code: 'MUKI-1', name: 'NB MUKI-1', stock_item: { id: ITEM.MUKI, quantity: 6 } },
  { id: 5, product_code: 'SUKKA-1', name: 'NB SUKKA-1', stock_item: { id: ITEM.SUKKA, quantity: 10 } },
  { id: 6, product_code: 'PIPO-1', name: 'NB PIPO-1', stock_item: { id: ITEM.PIPO, quantity: 6 } },
];

const nbProduct = (code: string, quantity: number) => ({
  ProductCode: code,
  Name: `NB ${code}`,
  VatPercent: 25.5,
  SalesPriceVatIncluded: 10,
  PurchasePrice: 4,
  Quantity: quantity,
  Marketplaces: ['3'],
});

const nbQuantities: Record<string, number> = {
  'KAHVI-1': 20,
  'TS-100': 12,
  'TS-100-S': 3,
  'TS-100-M': 5,
  'TS-100-L': 4,
  'MUKI-1': 6,
  'SUKKA-1': 10,
  // Fractional in NetBaron: the import writes 6, so 6 in the store is no difference.
  'PIPO-1': 6.5,
};

const netbaronState = (quantities: Record<string, number>) => ({
  organisation: NB_ORG,
  modules: {
    products: { password: NB_PRODUCTS_PASSWORD, interface: 1 },
    salesorder: { password: NB_ORDERS_PASSWORD, interface: 1 },
  },
  marketplaces: [{ Id: '3', Name: 'Verkkokauppa' }],
  products: Object.entries(quantities).map(([code, q]) => nbProduct(code, q)),
});

const control = (url: string, method: string, body?: unknown) => simControl(url, method, body);

async function writeConnection(id: string): Promise<string> {
  const file = path.join(dir, `${id}.json`);
  const connection = {
    id,
    name: `Report ${id}`,
    mycashflow: { baseUrl: `${sims.mycashflow.url}/api/v1`, user: MCF_USER.email, apiKey: MCF_USER.api_key },
    netbaron: {
      baseUrl: sims.netbaron.url,
      organisation: NB_ORG,
      productApiPassword: NB_PRODUCTS_PASSWORD,
      marketplace: '3',
    },
    productImport: { guards: { maxRemovalShare: 1, maxPriceChangeShare: 1, priceChangePercent: 1000 } },
  };
  await writeFile(file, JSON.stringify(connection, null, 2), 'utf8');
  return file;
}

const cli = (args: string[]) =>
  runNetbaron(args, { ...process.env, DATABASE_URL: database.url, DATA_DIR: dir, LOG_LEVEL: 'warn' });

async function reportJson(config: string): Promise<StockReportWithWarnings> {
  const result = await cli(['report', 'stock', '--config', config, '--json']);
  const report = JSON.parse(result.stdout) as StockReportWithWarnings;
  // Done, and a person is needed exactly when there is something to do in NetBaron or the report is incomplete.
  expect(result.code, result.stderr).toBe(report.differences.length || report.warnings.length ? 2 : 0);
  return report;
}

interface LoggedRequest {
  method: string;
  path: string;
}
const writesTo = async (url: string): Promise<string[]> =>
  ((await control(`${url}/__sim/requests`, 'GET')) as { requests: LoggedRequest[] }).requests
    .filter((r) => r.method !== 'GET')
    .map((r) => `${r.method} ${r.path}`);
const clearLogs = async () => {
  await control(`${sims.mycashflow.url}/__sim/requests`, 'DELETE');
  await control(`${sims.netbaron.url}/__sim/requests`, 'DELETE');
};

/** The store's local date of an instant, as the simulator (and MyCashflow) writes `changed_at`. */
const helsinkiDate = (at: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki' }).format(at);

let config: string;
let importReadAt: Date;
let returnedAt: Date;

beforeAll(async () => {
  await control(`${sims.mycashflow.url}/__sim/state`, 'PUT', {
    store: { name: 'Testikauppa', plan: 'advanced' },
    api_users: [MCF_USER],
    products: storeProducts,
    stock_changes: [
      // A return processed long before the import: the import's balance already holds it.
      {
        changed_at: '2026-01-05T10:00:00+02:00',
        source_type: 'return',
        stock_item_id: ITEM.KAHVI,
        quantity: 20,
        quantity_change: 5,
      },
    ],
  });
  await control(`${sims.netbaron.url}/__sim/state`, 'PUT', netbaronState(nbQuantities));
  config = await writeConnection('returns-shop');
  const imported = await cli(['import-products', '--config', config, '--json']);
  expect(imported.code, imported.stderr).toBe(0);
  expect((JSON.parse(imported.stdout) as { status: string }).status).toBe('completed');
  // Returns count from when that import began reading (a return during it may have been overwritten).
  const run = await database.db
    .selectFrom('import_runs')
    .select('read_at')
    .where('status', '=', 'completed')
    .executeTakeFirstOrThrow();
  importReadAt = run.read_at!;
}, 60_000);

describe('netbaron report stock', () => {
  it('finds no difference right after an import, and lists what it cannot compare', async () => {
    await clearLogs();
    const report = await reportJson(config);
    expect(report).toMatchObject({
      differences: [],
      explainedByReturns: 0,
      unexplained: 0,
      since: importReadAt.toISOString(),
      basis: 'linked-codes',
      compared: 7,
      warnings: [],
    });
    expect(report.notCompared).toEqual([
      {
        code: 'TS-100',
        reason:
          'TS-100 is product 3 (with variations) in the store, which has no stock item of its own (stock is kept per variation)',
      },
    ]);
    expect(await writesTo(sims.mycashflow.url)).toEqual([]);
    expect(await writesTo(sims.netbaron.url)).toEqual([]);
  });

  describe('after returns, a hand edit and NetBaron’s own sales', () => {
    beforeAll(async () => {
      returnedAt = new Date();
      const at = returnedAt.toISOString();
      const state = (await control(`${sims.mycashflow.url}/__sim/state`, 'GET')) as {
        products: Array<{
          stock_item: { id: number; quantity: number } | null;
          variations: Array<{ stock_item: { id: number; quantity: number } | null }>;
        }>;
        stock_changes: unknown[];
      };
      const items = state.products.flatMap((p) => [p.stock_item, ...p.variations.map((v) => v.stock_item)]);
      const moves: Array<[number, number, string]> = [
        [ITEM.M, 2, 'order_return'], // explained: add 2 to TS-100-M
        [ITEM.KAHVI, 1, 'return'], // part of KAHVI-1's 3
        [ITEM.KAHVI, 2, 'admin'], // the rest: a hand edit in the admin
        [ITEM.SUKKA, 3, 'return'], // already added in NetBaron (below): no difference
        [ITEM.L, 1, 'order'], // a cancelled order put back, no return: unexplained
      ];
      for (const [id, change, source] of moves) {
        const item = items.find((i) => i?.id === id)!;
        item.quantity += change;
        state.stock_changes.push({
          changed_at: at,
          source_type: source,
          stock_item_id: id,
          quantity: item.quantity,
          quantity_change: change,
        });
      }
      await control(`${sims.mycashflow.url}/__sim/state`, 'PUT', state);
      // NetBaron: the merchant added SUKKA-1's returns, and sold 2 MUKI-1 from NetBaron's own stock.
      await control(
        `${sims.netbaron.url}/__sim/state`,
        'PUT',
        netbaronState({ ...nbQuantities, 'SUKKA-1': 13, 'MUKI-1': 4 }),
      );
      await clearLogs();
    });

    it('marks the differences returns explain and lists the others apart (--json)', async () => {
      const report = await reportJson(config);
      const day = helsinkiDate(returnedAt);
      expect(report.since).toBe(importReadAt.toISOString());
      expect(report.compared).toBe(7);
      expect(report.differences).toEqual([
        {
          code: 'KAHVI-1',
          netbaronBalance: '20',
          netbaronQuantity: 20,
          storeQuantity: 23,
          difference: 3,
          explainedByReturns: 1,
          unexplained: 2,
          returns: [{ date: day, quantity: 1 }],
          status: 'partly-returns',
          held: false,
          action: `add 1 to KAHVI-1 in NetBaron: 1 returned on ${day}; then check KAHVI-1: the store has 2 more still, which no return since the last import explains; the next import sets the store to 20, so if the store's 23 is right, correct NetBaron first`,
        },
        expect.objectContaining({
          code: 'MUKI-1',
          netbaronBalance: '4',
          storeQuantity: 6,
          difference: 2,
          explainedByReturns: 0,
          unexplained: 2,
          status: 'unexplained',
          held: false,
        }),
        expect.objectContaining({
          code: 'TS-100-L',
          difference: 1,
          explainedByReturns: 0,
          status: 'unexplained',
          held: false,
        }),
        {
          code: 'TS-100-M',
          netbaronBalance: '5',
          netbaronQuantity: 5,
          storeQuantity: 7,
          difference: 2,
          explainedByReturns: 2,
          unexplained: 0,
          returns: [{ date: day, quantity: 2 }],
          status: 'returns',
          held: false,
          action: `add 2 to TS-100-M in NetBaron: 2 returned on ${day}`,
        },
      ]);
      expect(report.explainedByReturns).toBe(1);
      expect(report.unexplained).toBe(3);
      // Read only: nothing written to either system.
      expect(await writesTo(sims.mycashflow.url)).toEqual([]);
      expect(await writesTo(sims.netbaron.url)).toEqual([]);
    });

    it('prints the same as plain words, explained and unexplained in separate lists', async () => {
      const result = await cli(['report', 'stock', '--config', config]);
      expect(result.code, result.stderr).toBe(2); // Done, with four differences to act on.
      const text = result.stdout;
      const day = helsinkiDate(returnedAt);
      expect(text).toContain('7 linked codes compared; returns counted since the last completed import');
      expect(text).toContain('4 differences: 1 explained by returns, 3 not (or only in part).');
      const explained = text.indexOf('Explained by returns in MyCashflow:');
      const unexplained = text.indexOf('Not explained by returns:');
      expect(explained).toBeGreaterThan(0);
      expect(unexplained).toBeGreaterThan(explained);
      const explainedPart = text.slice(explained, unexplained);
      expect(explainedPart).toMatch(/TS-100-M\s+5\s+7\s+\+2\s+\+2/);
      expect(explainedPart).toContain(`→ add 2 to TS-100-M in NetBaron: 2 returned on ${day}`);
      const rest = text.slice(unexplained);
      expect(rest).toMatch(/KAHVI-1\s+20\s+23\s+\+3\s+\+1/);
      expect(rest).toContain('→ check MUKI-1: the store has 2 more than NetBaron');
      expect(rest).not.toContain('TS-100-M');
      expect(text).toContain('Not compared:');
    });

    it('compares every code in both systems and counts every return when no import has run', async () => {
      const fresh = await writeConnection('never-imported');
      const report = await reportJson(fresh);
      expect(report.basis).toBe('codes-in-both-systems');
      expect(report.since).toBeNull();
      // KAHVI-1's return from January now counts too, and covers the whole difference.
      expect(report.differences.find((d) => d.code === 'KAHVI-1')).toMatchObject({
        difference: 3,
        explainedByReturns: 3,
        status: 'returns',
        returns: [
          { date: '2026-01-05', quantity: 5 },
          { date: helsinkiDate(returnedAt), quantity: 1 },
        ],
      });
      expect(report.differences.map((d) => d.code)).toEqual(['KAHVI-1', 'MUKI-1', 'TS-100-L', 'TS-100-M']);
      // A report does not register the connection: the database still knows only the imported one.
      const slugs = await database.db.selectFrom('connections').select('slug').execute();
      expect(slugs.map((s) => s.slug)).toEqual(['returns-shop']);
    });

    it('refuses a connection file that is not valid, naming the field', async () => {
      const bad = path.join(dir, 'bad.json');
      await writeFile(bad, JSON.stringify({ name: 'x' }), 'utf8');
      const result = await cli(['report', 'stock', '--config', bad]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('mycashflow');
    });
  });
});
