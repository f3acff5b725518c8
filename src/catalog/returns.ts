import type { MyCashflowClient } from '../mycashflow/client.ts';
import type { McfStockChange } from '../mycashflow/schemas.ts';
import { formatStoreTimestamp, parseStoreTimestamp } from '../mycashflow/timestamps.ts';

/*
 * The store's returns ("Returns and NetBaron" in the extension's help page): MyCashflow puts returned
 * goods back in its stock, and NetBaron must be told by hand. The import holds a code whose returns
 * NetBaron does not have yet (`planner.ts`), and the stock report explains differences with them.
 */

/** A stock change of MyCashflow's audit trail (`/stock-changes`, `mycashflow-api.md` §12.4). */
export interface StockChangeEntry {
  stockItemId: number;
  /** ISO-8601 as MyCashflow writes it, in the store's zone. */
  changedAt: string;
  sourceType: string | null;
  quantityChange: number;
}

/**
 * MyCashflow does not document the values of `source_type` (`mycashflow-api.md` §12.4 expects kinds such
 * as order, return, manual, API). A change counts as a return when its source type contains "return" in
 * any letter case ("return", "order_return", "OrderReturn"); nothing else is guessed to be one.
 */
export function isReturnChange(sourceType: string | null | undefined): boolean {
  return typeof sourceType === 'string' && /return/i.test(sourceType);
}

/**
 * Stock changes carry instants to the second (§8), and a run reads within some second: a return in
 * that same second may have come after the reading, so the whole second counts. Counting one twice only
 * shows a larger number; missing one could let an import overwrite it.
 */
export function changedSince(changedAt: string, since: Date | null): boolean {
  if (since === null) return true;
  const at = parseStoreTimestamp(changedAt)?.getTime();
  // An instant that cannot be read was still selected by the API's own `changed_at-from` filter.
  if (at === undefined) return true;
  return at >= Math.floor(since.getTime() / 1000) * 1000;
}

/** The change as a return entry, or undefined when it is not a return. */
export function returnEntryOf(c: McfStockChange): StockChangeEntry | undefined {
  if (!isReturnChange(c.source_type)) return undefined;
  return {
    stockItemId: c.stock_item_id,
    changedAt: c.changed_at,
    sourceType: c.source_type ?? null,
    quantityChange: c.quantity_change,
  };
}

/** The store's audit trail of stock changes (`readReturnChanges`). */
export type StockChangeReads = Pick<MyCashflowClient, 'listStockChanges'>;

export interface StockChangeReading {
  /** Only the changes that are returns; other kinds are dropped while reading. */
  returns: StockChangeEntry[];
  /** Stock changes MyCashflow sent that could not be read, as text for warnings. */
  invalid: string[];
}

/** Return changes since `since` (all of them without one), from MyCashflow's audit trail. */
export async function readReturnChanges(
  mcf: StockChangeReads,
  since: Date | null,
): Promise<StockChangeReading> {
  const reading: StockChangeReading = { returns: [], invalid: [] };
  // Whole seconds, inclusive: the API keeps instants to the second (see `changedSince`).
  const from = since ? formatStoreTimestamp(since) : undefined;
  for await (const c of mcf.listStockChanges({
    query: { 'changed_at-from': from, sort: 'id-asc' },
    onInvalidItem: (item) =>
      reading.invalid.push(`stock change ${String(item.id ?? '(no id)')} could not be read: ${item.reason}`),
  })) {
    const entry = returnEntryOf(c);
    if (entry) reading.returns.push(entry);
  }
  return reading;
}
