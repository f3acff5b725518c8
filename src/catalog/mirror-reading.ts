import type { ProductImportSettings } from '../config/connection-file.ts';
import type { McfProductId, McfVersionId } from '../domain/ids.ts';
import type { MyCashflowClient } from '../mycashflow/client.ts';
import type { McfStockChange } from '../mycashflow/schemas.ts';
import { formatStoreTimestamp, parseStoreTimestamp } from '../mycashflow/timestamps.ts';
import type { Logger } from '../observability/logger.ts';
import { returnEntryOf, type StockChangeEntry } from './returns.ts';
import {
  readStoreProducts,
  type StoreCatalog,
  type StoreProduct,
  type UnreadableStoreProduct,
} from './store-catalog.ts';
import {
  firstMissingStockChange,
  mirrorReading,
  type MirrorReading,
  type MirrorState,
  type MirrorStockChange,
  type StoreMirrorStore,
} from './store-mirror.ts';

/** What reading the store through its mirror asks of MyCashflow. */
export type MirrorReads = Pick<
  MyCashflowClient,
  | 'listVersions'
  | 'productPages'
  | 'listVariations'
  | 'listStockChanges'
  | 'countProducts'
  | 'latestStockChange'
  | 'clock'
>;

/**
 * A change stamped just before a reading began may be committed after it: each reading of changes
 * starts this much before the last one began.
 */
export const MIRROR_OVERLAP_MS = 1000;

/** Stock changes applied at once. */
const STOCK_BATCH = 1000;

/** Changed products read by id at once: the `id=` filter's list stays a short URL. */
const IDS_PER_REQUEST = 100;

export interface MirrorContext {
  mcf: MirrorReads;
  mirror: StoreMirrorStore;
  connectionId: string;
  /** The store's API address: a mirror read from another is read again whole. */
  storeAddress: string;
  settings: Pick<
    ProductImportSettings,
    'fullStoreReadEveryHours' | 'stockChangesKeptDays' | 'updateDescriptions'
  >;
  logger: Logger;
  signal?: AbortSignal;
}

/** Thrown inside a reading of changes when the mirror turns out to be in doubt: read whole instead. */
class InDoubt extends Error {}

const atOf = (c: McfStockChange): Date => parseStoreTimestamp(c.changed_at) ?? new Date();

function mirrorChange(c: McfStockChange): MirrorStockChange {
  const entry = returnEntryOf(c);
  return {
    id: c.id,
    stockItemId: c.stock_item_id,
    quantity: c.quantity,
    // Only a return's instant is read: the other changes are many, and only their quantity counts.
    ...(entry ? { returned: { entry, at: atOf(c) } } : {}),
  };
}

/**
 * Where the next reading of stock changes begins: after the newest entry read, and at the earliest a
 * moment before this reading began (`startedAt`, our clock, turned into the store's): entries stamped
 * earlier were committed by then and read now, so that they are not read again.
 */
function stockCursor(
  ctx: MirrorContext,
  newest: { id: number; at: Date },
  startedAt: number,
): { id: number; at: Date } {
  const from = ctx.mcf.clock.now(startedAt).getTime() - MIRROR_OVERLAP_MS;
  return { id: newest.id, at: new Date(Math.max(newest.at.getTime(), from)) };
}

/**
 * The stock changes from `at` on with an id above `afterId`, in id order, handed over in batches so
 * that a long trail (a run's own stock writes) never stays in memory whole; the newest one.
 */
async function eachStockChangeBatch(
  ctx: MirrorContext,
  from: { at: Date; afterId: number },
  onBatch: (changes: McfStockChange[]) => Promise<void>,
  onInvalid: (reason: string) => void,
): Promise<McfStockChange | undefined> {
  const batch: McfStockChange[] = [];
  let newest: McfStockChange | undefined;
  for await (const c of ctx.mcf.listStockChanges({
    query: { 'changed_at-from': formatStoreTimestamp(from.at), sort: 'id-asc' },
    onInvalidItem: (bad) =>
      onInvalid(`stock change ${String(bad.id ?? '(no id)')} could not be read: ${bad.reason}`),
  })) {
    if (c.id <= from.afterId) continue;
    batch.push(c);
    newest = c;
    if (batch.length >= STOCK_BATCH) await onBatch(batch.splice(0));
  }
  if (batch.length > 0) await onBatch(batch);
  return newest;
}

/** Reads the whole store into the mirror, page by page; the products never stay in memory together. */
async function readWhole(ctx: MirrorContext, why: string, returnsFrom: Date): Promise<void> {
  const { mirror, connectionId, mcf } = ctx;
  ctx.logger.info('reading the whole store', { why });
  const generation = await mirror.beginFullRead(connectionId);
  const readAt = new Date();
  // Stock changes first: the products read after them carry newer quantities than any of them. Only
  // the returns are kept; one that cannot be read is left out, as the import's own reading of returns does.
  const since = returnsFrom;
  const newest =
    (await eachStockChangeBatch(
      ctx,
      { at: since, afterId: 0 },
      (changes) =>
        mirror.applyStockChanges(
          connectionId,
          changes.map(mirrorChange).filter((c) => c.returned),
          null,
          readAt,
        ),
      (reason) => ctx.logger.warn('a stock change could not be read', { reason }),
    )) ?? (await mcf.latestStockChange());
  const cursor = stockCursor(
    ctx,
    newest ? { id: newest.id, at: atOf(newest) } : { id: 0, at: since },
    readAt.getTime(),
  );
  await mirror.applyStockChanges(connectionId, [], cursor, readAt);
  // After an answer of the store: its clock is known from then on.
  const productsFrom = new Date(mcf.clock.now().getTime() - MIRROR_OVERLAP_MS);
  const unreadable: UnreadableStoreProduct[] = [];
  await readStoreProducts(
    mcf,
    {},
    async (products, bad) => {
      unreadable.push(...bad);
      await mirror.putProducts(connectionId, products, generation);
    },
    ctx.signal,
  );
  if (ctx.signal?.aborted) return;
  await mirror.endFullRead(connectionId, generation, {
    productsFrom,
    unreadable,
    returnsFrom: since,
    storeAddress: ctx.storeAddress,
  });
}

/**
 * Brings the mirror up to date with what changed since its last reading (`before`, a mirror whose
 * reading `mirrorReading` found to be of changes); throws InDoubt. It begins at `notBefore` (epoch ms)
 * at the earliest, so that the next reading starts after writes that just ended.
 */
async function readChanges(ctx: MirrorContext, before: MirrorState, notBefore = 0): Promise<void> {
  const { mirror, connectionId, mcf } = ctx;
  if (!before.stockChange || !before.productsFrom) throw new InDoubt('the mirror has no cursor');
  const wait = notBefore - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const readAt = new Date();
  // Ids follow each other from the last one read; with none read yet, from the first one there is.
  let last = before.stockChange.id;
  const newest = await eachStockChangeBatch(
    ctx,
    { at: before.stockChange.at, afterId: last },
    async (changes) => {
      if (last === 0) last = changes[0]!.id - 1;
      const missing = firstMissingStockChange(
        last,
        changes.map((c) => c.id),
      );
      if (missing !== undefined)
        throw new InDoubt(`stock change ${missing} is missing from the store's audit trail`);
      last = changes.at(-1)!.id;
      await mirror.applyStockChanges(connectionId, changes.map(mirrorChange), null, readAt);
    },
    (reason) => {
      throw new InDoubt(reason);
    },
  );
  await mirror.applyStockChanges(
    connectionId,
    [],
    stockCursor(ctx, newest ? { id: newest.id, at: atOf(newest) } : before.stockChange, readAt.getTime()),
    readAt,
  );

  const productsFrom = new Date(mcf.clock.now().getTime() - MIRROR_OVERLAP_MS);
  const from = formatStoreTimestamp(before.productsFrom);
  const reread = new Set<number>();
  const unreadable: UnreadableStoreProduct[] = [];
  const put = async (products: StoreProduct[], bad: UnreadableStoreProduct[]) => {
    for (const p of products) reread.add(p.id);
    unreadable.push(...bad);
    await mirror.putProducts(connectionId, products);
  };
  await readStoreProducts(mcf, { 'updated_at-from': from }, put, ctx.signal);
  // A variation changed alone: its product is read again whole.
  const parents = new Set<McfProductId>();
  for await (const v of mcf.listVariations({
    query: { 'updated_at-from': from },
    onInvalidItem: (bad) => {
      throw new InDoubt(`variation ${String(bad.id ?? '(no id)')} could not be read: ${bad.reason}`);
    },
  }))
    if (!reread.has(v.product_id)) parents.add(v.product_id);
  const ids = [...parents];
  for (let i = 0; i < ids.length; i += IDS_PER_REQUEST)
    await readStoreProducts(mcf, { id: ids.slice(i, i + IDS_PER_REQUEST).join(',') }, put, ctx.signal);
  // Stopped while reading: where the next reading starts stays where it was.
  if (ctx.signal?.aborted) return;
  await mirror.endChangesRead(connectionId, { productsFrom, unreadable, rereadIds: [...reread] });

  // A product deleted behind the import's back changes nothing it can read by time: count them.
  const [storeCount, after] = await Promise.all([mcf.countProducts(), mirror.state(connectionId)]);
  if (after && storeCount !== after.productCount)
    throw new InDoubt(`the store has ${storeCount} products, the mirror ${after.productCount}`);
}

/** Whether the mirror may be brought up to date with changes (then with its state), or read whole. */
async function decide(
  ctx: MirrorContext,
): Promise<{ kind: 'full'; why: string } | { kind: 'changes'; state: MirrorState }> {
  const state = await ctx.mirror.state(ctx.connectionId);
  const reading = mirrorReading(state, new Date(), ctx.settings, ctx.storeAddress);
  if (reading.kind === 'full') return reading;
  // `mirrorReading` finds a reading of changes only for a mirror that exists.
  return state ? { kind: 'changes', state } : { kind: 'full', why: 'the store was never read whole' };
}

/**
 * Brings the mirror up to date, reading the whole store when it must; which reading it made.
 * `returnsFrom`: from when a full reading keeps the store's returns (when the last completed import
 * began reading, from where the next import counts them; or else when this one began).
 */
async function refreshMirror(ctx: MirrorContext, returnsFrom: Date): Promise<MirrorReading> {
  const decided = await decide(ctx);
  if (decided.kind === 'full') {
    await readWhole(ctx, decided.why, returnsFrom);
    return decided;
  }
  try {
    await readChanges(ctx, decided.state);
    return { kind: 'changes' };
  } catch (err) {
    if (!(err instanceof InDoubt)) throw err;
    await ctx.mirror.markDoubt(ctx.connectionId, err.message);
    await readWhole(ctx, err.message, returnsFrom);
    return { kind: 'full', why: err.message };
  }
}

/**
 * The store's stamps are to the second: a reading of changes that begins this long after the last write
 * of a run starts its next reading after them, so the next import does not read them again.
 */
const SETTLE_MS = MIRROR_OVERLAP_MS + 1000;

/**
 * After a run's writes: what it deleted leaves the mirror, a write answered 404 or 409 puts it in doubt,
 * and otherwise, when the run completed, the changes it made (and any other since its reading) are read
 * back now, so that the next import reads only what changes after this one. A run stopped early leaves
 * them to the next import's reading, as it leaves any full reading.
 */
export async function refreshAfterRun(
  ctx: MirrorContext,
  run: { runId: string; lastWriteAt: number; completed: boolean; onReadingBack?: () => void },
): Promise<void> {
  if ((await ctx.mirror.settleRun(ctx.connectionId, run.runId)) || !run.completed) return;
  const decided = await decide(ctx);
  if (decided.kind === 'full') return;
  run.onReadingBack?.();
  try {
    await readChanges(ctx, decided.state, run.lastWriteAt + SETTLE_MS);
  } catch (err) {
    if (!(err instanceof InDoubt)) throw err;
    await ctx.mirror.markDoubt(ctx.connectionId, err.message);
  }
}

/**
 * The store's catalog as the planner sees it, read through the mirror. Without `load` the products stay
 * in the mirror (a plan made in parts reads them from there): the catalog has the versions only.
 */
export async function readStoreThroughMirror(
  ctx: MirrorContext,
  returnsFrom: Date,
  { load = true }: { load?: boolean } = {},
): Promise<{ catalog: StoreCatalog; reading: MirrorReading }> {
  const versions: McfVersionId[] = [];
  const [reading] = await Promise.all([
    refreshMirror(ctx, returnsFrom),
    (async () => {
      for await (const v of ctx.mcf.listVersions()) versions.push(v.id);
    })(),
  ]);
  if (!load) return { catalog: { versions, products: [] }, reading };
  const { products, unreadable } = await ctx.mirror.load(ctx.connectionId, {
    descriptions: ctx.settings.updateDescriptions,
  });
  return { catalog: { versions, products, unreadable }, reading };
}

/** The store's returns since `since`, from the mirror when it holds all of them. */
export async function returnsThroughMirror(
  ctx: Pick<MirrorContext, 'mirror' | 'connectionId'>,
  since: Date,
): Promise<StockChangeEntry[] | undefined> {
  const state = await ctx.mirror.state(ctx.connectionId);
  if (!state?.returnsFrom || state.returnsFrom > since || state.doubt) return undefined;
  return ctx.mirror.returnsSince(ctx.connectionId, since);
}
