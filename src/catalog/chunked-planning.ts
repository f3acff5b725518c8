import type { McfVersionId } from '../domain/ids.ts';
import type { NbProduct } from '../netbaron/wire/products.ts';
import { bigPriceChangesIn, type GuardFigures } from './guards.ts';
import type { Plan, PlannedAction, Problem } from './plan.ts';
import {
  absenceCounts,
  clearHoldsOutsideStore,
  codesToLookUp,
  compareCodes,
  groupBy,
  indexStore,
  newBuilder,
  planEnd,
  planListedCodes,
  removeEmptiedProducts,
  removeVanishedCodes,
  reportRoundedPurchasePrices,
  reportStoreDuplicates,
  reportUnreadableNetBaron,
  reportUnreadableStore,
  scopeOf,
  storeItemsOf,
  unreadableStore,
  type Lookup,
  type NetBaronListing,
  type PlanInput,
  type PlanRules,
} from './planner.ts';
import type { StoreCatalog, StoreProduct, UnreadableStoreProduct } from './store-catalog.ts';

/*
 * The plan made a part of the catalogs at a time, so that neither side nor the plan is ever held whole:
 * the same steps as `planImport`, in the same order, each asking its source only for the products and
 * listing entries it looks at, and handing its actions and problems on as they are made. What crosses
 * the parts is small: counts, the codes linked and removed, the products' ids removed so far.
 */

/** Both catalogs, as a chunked plan reads them (PostgreSQL's staging, or memory). */
export interface PlanSource {
  versions: readonly McfVersionId[];
  unreadable: readonly UnreadableStoreProduct[];
  netbaron: Pick<NetBaronListing, 'invalid' | 'complete'>;
  /** Store products with a purchase price rounded to the cent, in the store's order (by id). */
  productsWithRoundedPurchasePrices(): AsyncIterable<StoreProduct[]>;
  /** Every store product whose own code or a variation's code is one of `codes`, each once, in the store's order. */
  productsHolding(codes: readonly string[]): Promise<StoreProduct[]>;
  productsById(ids: readonly number[]): Promise<StoreProduct[]>;
  /** Codes held by more than one product or variation of the store. */
  duplicateStoreCodes(): Promise<string[]>;
  /**
   * The listing's entries in order of code, about `codes` codes at a time; a code's entries (more than one
   * is a duplicate) come together, in the order read.
   */
  listedChunks(codes: number): AsyncIterable<NbProduct[]>;
  /** Those of `codes` that no entry of the listing has. */
  codesNotListed(codes: readonly string[]): Promise<string[]>;
  /** Products without variations, and variations. */
  storeItemCount(): Promise<number>;
}

/**
 * Where a chunked plan's catalogs are staged: NetBaron's listing as it is read, then the store's codes
 * from the mirror (`src/db/plan-staging.ts`). Emptied when the plan is stored.
 */
export interface PlanStaging {
  clear(connectionId: string): Promise<void>;
  /** A page of the listing, whose first entry is the `firstSeq`th read (from 0). */
  stageListing(connectionId: string, products: readonly NbProduct[], firstSeq: number): Promise<void>;
  /** The staged listing and the mirror's store as a plan source. */
  source(
    connectionId: string,
    start: Pick<PlanSource, 'versions' | 'netbaron'> & { descriptions: boolean },
  ): Promise<PlanSource>;
}

/** Takes the actions and problems of one part of a plan, in plan order. */
export type PlanSink = (actions: PlannedAction[], problems: Problem[]) => Promise<void>;

/** A plan whose actions and problems went to its sink. */
export type ChunkedPlan = Omit<Plan, 'actions' | 'problems'> & {
  guardFigures: GuardFigures;
  actionCount: number;
};

export interface ChunkedPlanInput {
  settings: PlanInput['settings'];
  linkedCodes: ReadonlySet<string>;
  onlyCodes?: ReadonlySet<string>;
  returns?: PlanInput['returns'];
}

/** Codes of the listing planned at once. */
export const PLAN_CHUNK_CODES = 2000;

function* slices<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

export async function planInChunks(
  source: PlanSource,
  input: ChunkedPlanInput,
  sink: PlanSink,
  chunkCodes = PLAN_CHUNK_CODES,
): Promise<ChunkedPlan> {
  const rules: PlanRules = { ...input, versions: source.versions };
  const b = newBuilder(input.returns);
  let actionCount = 0;
  let bigPriceChanges = 0;
  const flush = async () => {
    const actions = b.actions.splice(0);
    const problems = b.problems.splice(0);
    if (actions.length === 0 && problems.length === 0) return;
    actionCount += actions.length;
    bigPriceChanges += bigPriceChangesIn(actions, input.settings.guards);
    await sink(actions, problems);
  };
  const lookupOf = async (codes: readonly string[]) => indexStore(await source.productsHolding(codes));

  for await (const products of source.productsWithRoundedPurchasePrices())
    reportRoundedPurchasePrices(products, b.problems);
  const selected = input.settings.mode === 'update-existing' ? input.settings.updateOnly : [];
  const scope = scopeOf(rules, await lookupOf(selected), b.problems);
  const base: Omit<Lookup, 'index'> = {
    inScope: (code) => scope === undefined || scope.has(code),
    ...unreadableStore(source.unreadable),
  };
  reportUnreadableNetBaron(b, source.netbaron.invalid, base);
  reportUnreadableStore(b, source.unreadable);

  const duplicates = (await source.duplicateStoreCodes()).sort(compareCodes);
  for (const codes of slices(duplicates, chunkCodes))
    reportStoreDuplicates(b, { ...base, index: await lookupOf(codes) }, codes);
  await flush();

  for await (const entries of source.listedChunks(chunkCodes)) {
    const listed = groupBy(entries, (p) => p.code as string);
    planListedCodes(b, rules, { ...base, index: await lookupOf(codesToLookUp(listed.keys())) }, listed);
    await flush();
  }

  if (absenceCounts(source.netbaron)) {
    const unreadableCodes = new Set(source.netbaron.invalid.flatMap((bad) => (bad.code ? [bad.code] : [])));
    const linked = [...input.linkedCodes].filter((code) => !unreadableCodes.has(code));
    const vanished = (await source.codesNotListed(linked)).sort(compareCodes);
    for (const codes of slices(vanished, chunkCodes)) {
      removeVanishedCodes(b, rules, { ...base, index: await lookupOf(codes) }, codes);
      await flush();
    }
  }

  const withDeletes = [...b.variationDeletes.keys()];
  const emptied: StoreProduct[] = [];
  for (const ids of slices(withDeletes, chunkCodes)) {
    // Only a product every variation of which goes is kept for the step: the others are skipped there.
    for (const p of await source.productsById(ids))
      if (p.variations.every((v) => b.variationDeletes.get(p.id)?.has(v.id))) emptied.push(p);
  }
  removeEmptiedProducts(b, rules, emptied);
  await flush();

  const held = [...(input.returns?.holds.keys() ?? [])];
  if (held.length > 0) clearHoldsOutsideStore(b, rules, { ...base, index: await lookupOf(held) });
  await flush();

  // As `guardFiguresOf` counts them: products removed with an action that also lose variations.
  let emptiedProducts = 0;
  for (const id of withDeletes) if (b.productRemovalActions.has(id)) emptiedProducts += 1;
  const end = planEnd(b, await source.storeItemCount());
  return {
    ...end,
    actionCount,
    guardFigures: {
      counts: end.counts,
      storeItemCount: end.storeItemCount,
      emptiedProducts,
      bigPriceChanges,
    },
  };
}

/** Both catalogs held in memory as a plan source (a store read whole, without a mirror). */
export function memoryPlanSource(netbaron: NetBaronListing, store: StoreCatalog): PlanSource {
  const index = indexStore(store.products);
  const byId = new Map(store.products.map((p) => [p.id as number, p]));
  const position = new Map(store.products.map((p, i) => [p, i]));
  const listed = groupBy(netbaron.products, (p) => p.code as string);
  return {
    versions: store.versions,
    unreadable: store.unreadable ?? [],
    netbaron,
    async *productsWithRoundedPurchasePrices() {
      yield store.products.filter((p) => [p, ...p.variations].some((item) => item.purchasePriceRoundedFrom));
    },
    async productsHolding(codes) {
      const found = new Map<number, StoreProduct>();
      for (const code of codes)
        for (const place of index.get(code) ?? []) found.set(place.product.id, place.product);
      return [...found.values()].sort((a, b) => position.get(a)! - position.get(b)!);
    },
    async productsById(ids) {
      return ids.flatMap((id) => byId.get(id) ?? []);
    },
    async duplicateStoreCodes() {
      return [...index].filter(([, places]) => places.length > 1).map(([code]) => code);
    },
    async *listedChunks(codes) {
      const sorted = [...listed.keys()].sort(compareCodes);
      for (const part of slices(sorted, codes)) yield part.flatMap((code) => listed.get(code)!);
    },
    async codesNotListed(codes) {
      return codes.filter((code) => !listed.has(code));
    },
    async storeItemCount() {
      return store.products.reduce((n, p) => n + storeItemsOf(p), 0);
    },
  };
}
