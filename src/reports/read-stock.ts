import { slugOf, type ConnectionFile } from '../config/connection-file.ts';
import { nbMarketplaceId } from '../domain/ids.ts';
import type { MyCashflowClient } from '../mycashflow/client.ts';
import type { McfProduct } from '../mycashflow/schemas.ts';
import type { NetBaronClient } from '../netbaron/client.ts';
import { readReturnChanges, type StockChangeReads } from '../catalog/returns.ts';
import {
  buildStockReport,
  type NetBaronStock,
  type StockReport,
  type StoreStockPlace,
} from './stock-report.ts';

/*
 * Reads what the stock report compares: NetBaron's balances, the store's stock items, the store's stock
 * changes since the last completed import, and the codes earlier imports linked. Reads only: the report
 * writes nothing to either system or to the database.
 */

/** The expands that put every stock item next to the product code that owns it. */
const STOCK_EXPANDS = ['stock_item', 'variations', 'variations.stock_item'];

/**
 * Every place in the store that carries a code, with its stock item. Read through the products (not
 * `GET /stock`) so that codes mean what they mean to the import, and a product whose stock is kept per
 * variation is recognised as such instead of looking absent.
 */
export function storeStockPlaces(products: readonly McfProduct[]): StoreStockPlace[] {
  const places: StoreStockPlace[] = [];
  for (const p of products) {
    const variations = p.variations ?? [];
    if (p.product_code) {
      const own = variations.length === 0 ? p.stock_item : null;
      places.push({
        code: p.product_code,
        where: variations.length ? `product ${p.id} (with variations)` : `product ${p.id}`,
        stockItemId: own ? own.id : null,
        quantity: own ? own.quantity : null,
      });
    }
    for (const v of variations) {
      if (!v.product_code) continue;
      places.push({
        code: v.product_code,
        where: `variation ${v.id} of product ${p.id}`,
        stockItemId: v.stock_item ? v.stock_item.id : null,
        quantity: v.stock_item ? v.stock_item.quantity : null,
      });
    }
  }
  return places;
}

/** The store's product pages, read for their stock items (`readStoreStock`). */
export type StoreStockReads = Pick<MyCashflowClient, 'productPages'>;

/** NetBaron's products of a marketplace with their balances (`readNetBaronStock`). */
export type NetBaronStockReads = Pick<NetBaronClient, 'listProducts'>;

export async function readStoreStock(mcf: StoreStockReads): Promise<StoreStockPlace[]> {
  const places: StoreStockPlace[] = [];
  // Page by page, keeping only the few fields the report needs rather than whole products.
  for await (const page of mcf.productPages({ expand: STOCK_EXPANDS }))
    places.push(...storeStockPlaces(page.items));
  return places;
}

export async function readNetBaronStock(nb: NetBaronStockReads, marketplace: string): Promise<NetBaronStock> {
  const stock: {
    products: NetBaronStock['products'][number][];
    invalid: Array<{ code?: string; reason: string }>;
  } = { products: [], invalid: [] };
  for await (const p of nb.listProducts({
    marketplace: nbMarketplaceId(marketplace),
    quantity: true,
    // One unreadable product must not hide every other difference: it is listed as not compared.
    onInvalidItem: (item) => stock.invalid.push(item),
  })) {
    stock.products.push({ code: p.code, quantity: p.quantity, deleted: p.deleted });
  }
  return stock;
}

export interface ImportHistory {
  linkedCodes: Set<string>;
  /** When the last completed import of the connection began reading; null when none has. */
  lastImportAt: Date | null;
  /** Codes the import holds, with the returns counted when the hold began and its store date. */
  holds: Map<string, { returned: number; since: string }>;
}

export interface StockReportWithWarnings extends StockReport {
  /** Data that could not be read and may make the report incomplete. */
  warnings: string[];
}

/** Reads both systems and the import history, then compares (`buildStockReport`). */
export async function readStockReport(options: {
  /** What earlier imports of a connection left, by its slug (`import-history.ts` reads it from the database). */
  history: (slug: string) => Promise<ImportHistory>;
  connection: ConnectionFile;
  /** Reads only: the store's returns and its stock items. */
  mcf: StockChangeReads & StoreStockReads;
  nb: NetBaronStockReads;
}): Promise<StockReportWithWarnings> {
  const { connection, mcf, nb } = options;
  const history = await options.history(slugOf(connection));
  // Returns first, balances after: a return processed in between then shows in the store's balance but
  // not among the returns (an unexplained difference, on the safe side) rather than the other way round,
  // which would explain a difference with a return the store's balance does not yet hold.
  const changes = await readReturnChanges(mcf, history.lastImportAt);
  const [netbaron, store] = await Promise.all([
    readNetBaronStock(nb, connection.netbaron.marketplace),
    readStoreStock(mcf),
  ]);
  const report = buildStockReport({
    netbaron,
    store,
    stockChanges: changes.returns,
    linkedCodes: history.linkedCodes,
    since: history.lastImportAt,
    holds: history.holds,
  });
  return { ...report, warnings: changes.invalid };
}
