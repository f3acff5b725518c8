/*
 * The store's catalog kept between imports (the mirror), so that an import reads only what changed:
 * products and variations by MyCashflow's `updated_at-from`, stock by `/stock-changes` after the last
 * entry read. Safety first: the whole store is read again at least every `fullStoreReadEveryHours`, and
 * whenever the mirror is in doubt (never filled, a write answered 404 or 409, a gap in the stock
 * changes' ids, their last reading older than MyCashflow keeps them, or the store's product count not
 * the mirror's). The import owns this port; `src/db/store-mirror.ts` implements it.
 */
import type { ProductImportSettings } from '../config/connection-file.ts';
import type { StockChangeEntry } from './returns.ts';
import type { StoreProduct, UnreadableStoreProduct } from './store-catalog.ts';

export interface MirrorState {
  /** The store's API address the mirror was read from. */
  storeAddress: string | null;
  /** When the last full reading ended; null before one ended (a full reading cut short leaves null). */
  fullReadAt: Date | null;
  /** The store's time from which changed products and variations are read next. */
  productsFrom: Date | null;
  /** The last stock change read: the next reading starts after it. */
  stockChange: { id: number; at: Date } | null;
  /** When stock changes were last read (our clock). */
  stockReadAt: Date | null;
  /** Every return entry changed at or after this is stored (`returnsSince`). */
  returnsFrom: Date | null;
  /** Why the next reading must be full; null when the mirror is trusted. */
  doubt: string | null;
  /** Products held, readable or not: compared with the store's own count. */
  productCount: number;
}

/** A stock change as the mirror applies it: the quantity after it, and the entry when it is a return. */
export interface MirrorStockChange {
  id: number;
  stockItemId: number;
  quantity: number;
  /** Present for a return (`isReturnChange`), with when it happened: counted by the next imports. */
  returned?: { entry: StockChangeEntry; at: Date };
}

/** Where a full reading leaves the mirror: the next reading's start, its returns and its store. */
export interface FullReadEnd {
  productsFrom: Date;
  unreadable: readonly UnreadableStoreProduct[];
  returnsFrom: Date;
  storeAddress: string;
}

/** Where a reading of changes leaves it; `rereadIds`: the products read again, readable. */
export interface ChangesReadEnd {
  productsFrom: Date;
  unreadable: readonly UnreadableStoreProduct[];
  rereadIds: readonly number[];
}

export interface StoreMirrorStore {
  state(connectionId: string): Promise<MirrorState | undefined>;
  /** Starts a full reading: the mirror is in doubt until `endFullRead`; the reading's generation. */
  beginFullRead(connectionId: string): Promise<number>;
  /** Products of a full reading (with `generation`) or changed ones (without): stored with their stock. */
  putProducts(connectionId: string, products: readonly StoreProduct[], generation?: number): Promise<void>;
  /** Ends a full reading: what it did not see is gone; the mirror is trusted again. */
  endFullRead(connectionId: string, generation: number, end: FullReadEnd): Promise<void>;
  /** Ends a reading of changes: changed unreadable products replace what was known of them. */
  endChangesRead(connectionId: string, end: ChangesReadEnd): Promise<void>;
  /** Stock changes in id order, and where the next reading starts. */
  applyStockChanges(
    connectionId: string,
    changes: readonly MirrorStockChange[],
    cursor: { id: number; at: Date } | null,
    readAt: Date,
  ): Promise<void>;
  markDoubt(connectionId: string, why: string): Promise<void>;
  /**
   * After a run's writes: the products and variations it deleted leave the mirror, and a write the
   * store answered 404 or 409 puts the mirror in doubt. True when it did.
   */
  settleRun(connectionId: string, runId: string): Promise<boolean>;
  /** The catalog; without `descriptions`, descriptions and information read as '' (not compared). */
  load(
    connectionId: string,
    options: { descriptions: boolean },
  ): Promise<{ products: StoreProduct[]; unreadable: UnreadableStoreProduct[] }>;
  returnsSince(connectionId: string, since: Date): Promise<StockChangeEntry[]>;
}

export type MirrorReading = { kind: 'full'; why: string } | { kind: 'changes' };

type MirrorSettings = Pick<ProductImportSettings, 'fullStoreReadEveryHours' | 'stockChangesKeptDays'>;

const HOUR = 3_600_000;

/** Whether the mirror may be brought up to date with changes, or the store must be read whole. */
export function mirrorReading(
  state: MirrorState | undefined,
  now: Date,
  settings: MirrorSettings,
  storeAddress: string,
): MirrorReading {
  if (!state?.fullReadAt || !state.productsFrom)
    return { kind: 'full', why: 'the store was never read whole' };
  if (state.storeAddress !== storeAddress)
    return { kind: 'full', why: 'the connection now points at another store address' };
  if (state.doubt) return { kind: 'full', why: state.doubt };
  const sinceFull = now.getTime() - state.fullReadAt.getTime();
  if (sinceFull >= settings.fullStoreReadEveryHours * HOUR)
    return {
      kind: 'full',
      why: `the store was last read whole ${Math.floor(sinceFull / HOUR)} h ago (every ${settings.fullStoreReadEveryHours} h at least)`,
    };
  if (!state.stockChange || !state.stockReadAt)
    return { kind: 'full', why: 'no stock change has been read yet' };
  const sinceStock = now.getTime() - state.stockReadAt.getTime();
  if (sinceStock >= settings.stockChangesKeptDays * 24 * HOUR)
    return {
      kind: 'full',
      why: `stock changes were last read ${Math.floor(sinceStock / (24 * HOUR))} days ago, longer than MyCashflow is assumed to keep them (${settings.stockChangesKeptDays} days)`,
    };
  return { kind: 'changes' };
}

/**
 * The stock changes after `last`, in id order, must follow it without a gap: a missing id may be a
 * change the mirror never sees. The first missing id, or undefined.
 */
export function firstMissingStockChange(last: number, ids: readonly number[]): number | undefined {
  let expected = last + 1;
  for (const id of ids) {
    if (id !== expected) return expected;
    expected += 1;
  }
  return undefined;
}
