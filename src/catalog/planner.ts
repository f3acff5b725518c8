import type { McfVersionId } from '../domain/ids.ts';
import { formatCents, formatVatRate, vatRateFromNumber, type Cents } from '../domain/money.ts';
import type { ProductImportSettings } from '../config/connection-file.ts';
import type { NbProduct } from '../netbaron/wire/products.ts';
import type {
  ClearedHold,
  FieldChange,
  HeldStock,
  Plan,
  PlanCounts,
  PlannedAction,
  PricePatch,
  Problem,
} from './plan.ts';
import { readQuantity } from './quantity.ts';
import { changedSince, isReturnChange, type StockChangeEntry } from './returns.ts';
import {
  isHidden,
  type StoreCatalog,
  type StoreProduct,
  type StoreVariation,
  type UnreadableStoreProduct,
} from './store-catalog.ts';

export interface NetBaronListing {
  /** Every product of the marketplace listing, live and deleted, in the order read. */
  products: NbProduct[];
  /** Products NetBaron sent that could not be read; their codes still count as present. */
  invalid: Array<{ code?: string; reason: string }>;
  /** True when every page was read: only then does a code's absence mean anything. */
  complete: boolean;
}

export interface PlanInput {
  netbaron: NetBaronListing;
  store: StoreCatalog;
  settings: ProductImportSettings;
  /** Codes that earlier runs matched or created and that are still linked. */
  linkedCodes: ReadonlySet<string>;
  /** A retry of failed writes: only these codes are planned (within the mode's own scope). */
  onlyCodes?: ReadonlySet<string>;
  /** The store's returns and the holds they caused; without it nothing is held. */
  returns?: ReturnsInput;
}

/**
 * Returns never overwritten unseen: a code whose store stock carries returns that NetBaron's balance
 * does not yet include is held (its stock is not written) until NetBaron's balance equals the store's
 * or a person chooses NetBaron's balance.
 */
export interface ReturnsInput {
  /** Return changes of the store's stock since the last completed import began reading. */
  changes: readonly StockChangeEntry[];
  /** Codes held by earlier imports, with the returns counted until `countedUntil`. */
  holds: ReadonlyMap<string, { returned: number; countedUntil: Date }>;
  /** Held codes whose stock is to follow NetBaron after all (a person's choice), or every held code. */
  overwrite?: 'all' | ReadonlySet<string>;
}

/** What every step of a plan needs besides the two catalogs: the settings and the run's scope. */
export interface PlanRules {
  settings: ProductImportSettings;
  /** The store's versions: a created product is shown in each, a removed one hidden in each. */
  versions: readonly McfVersionId[];
  onlyCodes?: ReadonlySet<string>;
  returns?: ReturnsInput;
}

type Place =
  | { kind: 'product'; product: StoreProduct }
  | { kind: 'variation'; product: StoreProduct; variation: StoreVariation };

function describePlace(place: Place): string {
  return place.kind === 'product'
    ? `product ${place.product.id} "${place.product.name}"`
    : `variation ${place.variation.id} "${place.variation.name}" of product ${place.product.id} "${place.product.name}"`;
}

const money = (c: Cents | null | undefined): string | null =>
  c === null || c === undefined ? null : formatCents(c);

/** Store code → every product and variation holding it (more than one is a duplicate). */
export function indexStore(products: Iterable<StoreProduct>): Map<string, Place[]> {
  const index = new Map<string, Place[]>();
  const add = (code: string | null, place: Place) => {
    if (!code) return;
    const list = index.get(code);
    if (list) list.push(place);
    else index.set(code, [place]);
  };
  for (const product of products) {
    add(product.code, { kind: 'product', product });
    for (const variation of product.variations)
      add(variation.code, { kind: 'variation', product, variation });
  }
  return index;
}

/**
 * The codes an `update-existing` run may touch: each chosen store product with all its variations, or a
 * chosen variation alone. Undefined means every code (mode `import-new`).
 */
export function scopeOf(
  input: PlanRules,
  index: Map<string, Place[]>,
  problems: Problem[],
): Set<string> | undefined {
  const modeScope = modeScopeOf(input, index, problems);
  const only = input.onlyCodes;
  if (!only) return modeScope;
  return new Set([...only].filter((code) => modeScope === undefined || modeScope.has(code)));
}

function modeScopeOf(
  input: PlanRules,
  index: Map<string, Place[]>,
  problems: Problem[],
): Set<string> | undefined {
  if (input.settings.mode !== 'update-existing') return undefined;
  const scope = new Set<string>();
  for (const code of input.settings.updateOnly) {
    const places = index.get(code);
    if (!places) {
      // A retry of other codes does not report the selection again.
      if (input.onlyCodes && !input.onlyCodes.has(code)) continue;
      problems.push({
        kind: 'selected-product-not-found',
        code,
        reason: `Product ${code} is selected for updating, but the store has no product or variation with this code.`,
      });
      continue;
    }
    scope.add(code);
    for (const place of places) {
      if (place.kind === 'product') for (const v of place.product.variations) if (v.code) scope.add(v.code);
    }
  }
  return scope;
}

/** A NetBaron code that looks like a size of a store product with variations, e.g. TS-100-XL next to TS-100. */
function missingVariationOf(code: string, index: Map<string, Place[]>): StoreProduct | undefined {
  for (let cut = code.lastIndexOf('-'); cut > 0; cut = code.lastIndexOf('-', cut - 1)) {
    const parent = index.get(code.slice(0, cut))?.find((p) => p.kind === 'product');
    if (parent && parent.product.variations.length > 0) return parent.product;
  }
  return undefined;
}

interface Builder {
  actions: PlannedAction[];
  problems: Problem[];
  counts: PlanCounts;
  linked: Set<string>;
  removed: Set<string>;
  /** Product id → variation ids this plan deletes. */
  variationDeletes: Map<number, Set<number>>;
  /** Product ids already removed by this plan. */
  productRemovals: Set<number>;
  /** Product ids this plan hides or deletes with an action of its own (the guards' emptied products). */
  productRemovalActions: Set<number>;
  held: HeldStock[];
  holdsCleared: ClearedHold[];
  /** Return changes by stock item. */
  returnsByItem: Map<number, StockChangeEntry[]>;
  returns?: ReturnsInput;
  /** Held codes whose stock was judged (to tell a hold on a code that left the store). */
  stockJudged: Set<string>;
}

/** NetBaron's balance as the store's whole quantity, with every adjustment reported; null when unusable. */
function quantityFor(b: Builder, code: string, nb: NbProduct): number | null {
  if (nb.quantity === undefined) return null;
  const reading = readQuantity(nb.quantity);
  if (!reading.ok) {
    b.problems.push({
      kind: 'invalid-quantity',
      code,
      reason: `${code}: ${reading.reason} in NetBaron; the stock was left as it is.`,
    });
    return null;
  }
  if (reading.adjusted === 'negative-to-zero') {
    b.problems.push({
      kind: 'negative-quantity',
      code,
      reason: `${code} has a negative stock balance (${nb.quantity}) in NetBaron; the store gets 0.`,
    });
  } else if (reading.adjusted === 'rounded-down') {
    b.problems.push({
      kind: 'fractional-quantity',
      code,
      reason: `${code} has a fractional stock balance (${nb.quantity}) in NetBaron; the store gets ${reading.quantity}.`,
    });
  }
  return reading.quantity;
}

/** Returned units of a stock item since `since` (net: a reversed return takes one back). */
function returnedSince(b: Builder, stockItemId: number | null | undefined, since: Date | null): number {
  if (stockItemId === null || stockItemId === undefined) return 0;
  let returned = 0;
  for (const c of b.returnsByItem.get(stockItemId) ?? [])
    if (changedSince(c.changedAt, since)) returned += c.quantityChange;
  return returned;
}

function stockAction(
  b: Builder,
  code: string,
  nb: NbProduct,
  current: number | null,
  where: string,
  stockItemId: number | null | undefined,
): void {
  const quantity = quantityFor(b, code, nb);
  if (quantity === null) return;
  const hold = b.returns?.holds.get(code);
  if (hold) b.stockJudged.add(code);
  if (quantity === current) {
    // NetBaron's balance now includes the returns (the merchant updated it): the hold clears itself.
    if (hold) b.holdsCleared.push({ code, why: 'netbaron-updated' });
    return;
  }
  const returned = (hold?.returned ?? 0) + returnedSince(b, stockItemId, hold?.countedUntil ?? null);
  const overwrite = b.returns?.overwrite;
  const overwritten = overwrite === 'all' || Boolean(overwrite?.has(code));
  if (current !== null && (hold || returned > 0)) {
    if (!overwritten) {
      b.held.push({
        code,
        storeQuantity: current,
        netbaronQuantity: quantity,
        returned: Math.max(returned, 0),
      });
      return;
    }
    b.holdsCleared.push({ code, why: 'overwritten' });
  }
  b.actions.push({
    kind: 'set-stock',
    code,
    quantity,
    reason:
      current !== null && (hold || returned > 0)
        ? `stock balance of ${where} follows NetBaron, by your choice, although the store's returns are not in NetBaron`
        : `stock balance of ${where} follows NetBaron`,
    changes: [{ field: 'stock', from: current === null ? null : String(current), to: String(quantity) }],
  });
}

/** Price, purchase price and (when enabled) descriptions: the only fields an existing item gets. */
function pricePatch(
  b: Builder,
  code: string,
  nb: NbProduct,
  current: { price: Cents | null; purchasePrice: Cents | null; description?: string; information?: string },
  settings: ProductImportSettings,
): { patch: PricePatch; changes: FieldChange[] } {
  const patch: PricePatch = {};
  const changes: FieldChange[] = [];
  if (nb.priceVatIncluded === undefined) {
    b.problems.push({
      kind: 'missing-price',
      code,
      reason: `${code} has no selling price in NetBaron; the store's price was left as it is.`,
    });
  } else if (nb.priceVatIncluded !== current.price) {
    patch.price = nb.priceVatIncluded;
    changes.push({ field: 'price', from: money(current.price), to: formatCents(nb.priceVatIncluded) });
  }
  if (nb.purchasePrice !== undefined && nb.purchasePrice !== current.purchasePrice) {
    patch.purchase_price = nb.purchasePrice;
    changes.push({
      field: 'purchase_price',
      from: money(current.purchasePrice),
      to: formatCents(nb.purchasePrice),
    });
  }
  if (settings.updateDescriptions && current.description !== undefined) {
    if (nb.description !== undefined && nb.description !== current.description) {
      patch.description = nb.description;
      changes.push({ field: 'description', from: current.description, to: nb.description });
    }
    if (nb.additionalInformation !== undefined && nb.additionalInformation !== current.information) {
      patch.information = nb.additionalInformation;
      changes.push({ field: 'information', from: current.information ?? null, to: nb.additionalInformation });
    }
  }
  return { patch, changes };
}

function planUpdate(b: Builder, place: Place, nb: NbProduct, settings: ProductImportSettings): void {
  const before = b.actions.length;
  if (place.kind === 'product') {
    const p = place.product;
    const { patch, changes } = pricePatch(b, nb.code, nb, { ...p }, settings);
    if (changes.length > 0) {
      b.actions.push({
        kind: 'update-product',
        code: nb.code,
        productId: p.id,
        patch,
        changes,
        reason: `product ${p.id} "${p.name}" follows NetBaron`,
      });
    }
    if (p.variations.length > 0) {
      if (nb.quantity !== undefined) {
        b.problems.push({
          kind: 'stock-on-variations',
          code: nb.code,
          reason: `${nb.code} is a store product with variations, whose stock is kept per variation; NetBaron's stock balance for ${nb.code} was not written.`,
        });
      }
    } else {
      stockAction(b, nb.code, nb, p.stockQuantity, `product ${p.id}`, p.stockItemId);
    }
  } else {
    const v = place.variation;
    const { patch, changes } = pricePatch(
      b,
      nb.code,
      nb,
      { price: v.price, purchasePrice: v.purchasePrice },
      settings,
    );
    if (changes.length > 0) {
      b.actions.push({
        kind: 'update-variation',
        code: nb.code,
        productId: v.productId,
        variationId: v.id,
        patch,
        changes,
        reason: `variation ${v.id} "${v.name}" of product ${place.product.id} follows NetBaron`,
      });
    }
    stockAction(b, nb.code, nb, v.stockQuantity, `variation ${v.id}`, v.stockItemId);
  }
  if (b.actions.length > before) b.counts.update += 1;
  else b.counts.unchanged += 1;
  b.linked.add(nb.code);
}

function planCreate(b: Builder, nb: NbProduct, input: PlanRules, index: Map<string, Place[]>): void {
  const { settings, versions } = input;
  const code = nb.code;
  const parent = missingVariationOf(code, index);
  if (parent) {
    const sizes = parent.variations
      .map((v) => v.code)
      .filter(Boolean)
      .join(', ');
    b.problems.push({
      kind: 'variation-missing-in-store',
      code,
      reason: `${code} looks like a variation of store product ${parent.code} "${parent.name}" (variations ${sizes}), but the store has no variation with this code. Add it in MyCashflow with the code ${code}; the import does not create variations or guess.`,
    });
    return;
  }
  if (!nb.name.trim()) {
    b.problems.push({
      kind: 'missing-name',
      code,
      reason: `${code} has no name in NetBaron; it was not created.`,
    });
    return;
  }
  if (nb.priceVatIncluded === undefined) {
    b.problems.push({
      kind: 'missing-price',
      code,
      reason: `${code} has no selling price in NetBaron; it was not created.`,
    });
    return;
  }
  const allowed = settings.vatRates.map((r) => vatRateFromNumber(r));
  if (nb.vatRate === undefined || !allowed.includes(nb.vatRate)) {
    const rate = nb.vatRate === undefined ? 'no VAT rate' : `VAT rate ${formatVatRate(nb.vatRate)} %`;
    b.problems.push({
      kind: 'unknown-vat-rate',
      code,
      reason: `${code} has ${rate} in NetBaron, which is not one of the store's rates (${settings.vatRates.join(', ')} %); it was not created.`,
    });
    return;
  }
  const stock = quantityFor(b, code, nb);
  const weight = nb.weight === undefined ? undefined : Number(nb.weight);
  const create = {
    name: nb.name,
    product_code: code,
    ...(settings.updateDescriptions
      ? { description: nb.description ?? '', information: nb.additionalInformation ?? '' }
      : {}),
    price: nb.priceVatIncluded,
    ...(nb.purchasePrice === undefined ? {} : { purchase_price: nb.purchasePrice }),
    vat_rate: nb.vatRate,
    ...(weight === undefined ? {} : { weight }),
    ...(nb.packageType ? { parcel_type: nb.packageType } : {}),
    // A product the import creates is meant to be sold: visible in every store version.
    visibilities: versions.map((version_id) => ({ version_id, is_visible: true })),
  };
  const changes: FieldChange[] = [
    { field: 'name', from: null, to: create.name },
    { field: 'product_code', from: null, to: code },
    { field: 'vat_rate', from: null, to: formatVatRate(create.vat_rate) },
    { field: 'price', from: null, to: formatCents(create.price) },
  ];
  if (create.purchase_price !== undefined)
    changes.push({ field: 'purchase_price', from: null, to: formatCents(create.purchase_price) });
  if (create.weight !== undefined) changes.push({ field: 'weight', from: null, to: String(create.weight) });
  if (create.parcel_type !== undefined)
    changes.push({ field: 'parcel_type', from: null, to: create.parcel_type });
  if (create.description !== undefined)
    changes.push({ field: 'description', from: null, to: create.description });
  if (create.information !== undefined)
    changes.push({ field: 'information', from: null, to: create.information });
  if (stock !== null) changes.push({ field: 'stock', from: null, to: String(stock) });
  changes.push({ field: 'visibility', from: null, to: 'visible in every version' });
  b.actions.push({
    kind: 'create-product',
    code,
    create,
    stock,
    changes,
    reason: `${code} is new in NetBaron: created in the store`,
  });
  b.counts.create += 1;
  b.linked.add(code);
}

function removeProduct(
  b: Builder,
  product: StoreProduct,
  code: string,
  reason: string,
  input: PlanRules,
): void {
  if (b.productRemovals.has(product.id)) return;
  b.productRemovals.add(product.id);
  b.removed.add(code);
  const { versions } = input;
  if (input.settings.whenRemoving === 'delete') {
    b.actions.push({ kind: 'delete-product', code, productId: product.id, reason, changes: [] });
    b.productRemovalActions.add(product.id);
    b.counts.delete += 1;
    return;
  }
  if (isHidden(product, versions)) return;
  b.productRemovalActions.add(product.id);
  b.actions.push({
    kind: 'hide-product',
    code,
    productId: product.id,
    // A copy: the plan must not share an array with the store catalog it was made from.
    versions: [...versions],
    reason,
    changes: [{ field: 'visibility', from: 'visible', to: 'hidden in every version' }],
  });
  b.counts.hide += 1;
}

function planRemoval(b: Builder, place: Place, code: string, why: string, input: PlanRules): void {
  if (place.kind === 'product') {
    removeProduct(
      b,
      place.product,
      code,
      `${why}: product ${place.product.id} "${place.product.name}" is ${input.settings.whenRemoving === 'delete' ? 'deleted' : 'hidden'}`,
      input,
    );
    return;
  }
  const v = place.variation;
  const deletes = b.variationDeletes.get(v.productId) ?? new Set<number>();
  if (deletes.has(v.id)) return;
  deletes.add(v.id);
  b.variationDeletes.set(v.productId, deletes);
  b.removed.add(code);
  b.actions.push({
    kind: 'delete-variation',
    code,
    productId: v.productId,
    variationId: v.id,
    reason: `${why}: variation ${v.id} "${v.name}" of product ${place.product.id} is deleted`,
    changes: [],
  });
  b.counts.deleteVariation += 1;
}

/** Items by a key, each key's items in the order given. */
export function groupBy<K, V>(items: Iterable<V>, key: (item: V) => K): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Codes in the order a plan takes them (UTF-16 code units, as `<` compares). */
export const compareCodes = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What a step of a plan looks things up in. `index` may hold only part of the store, so long as it holds
 * every product that has one of the codes the step asks about (`codesToLookUp`).
 */
export interface Lookup {
  /** The store's products and variations by code. */
  index: Map<string, Place[]>;
  /** Whether this run may touch a code (the mode's selection, a retry's codes). */
  inScope(code: string): boolean;
  /** Codes of store products that could not be read: left alone. */
  unreadableCodes: Set<string>;
  /** A store product without even a readable code: any new code might be its, so nothing is created. */
  createsBlocked: boolean;
}

export function newBuilder(returns: ReturnsInput | undefined): Builder {
  const changes = (returns?.changes ?? []).filter((c) => isReturnChange(c.sourceType));
  return {
    actions: [],
    problems: [],
    counts: { create: 0, update: 0, unchanged: 0, hide: 0, delete: 0, deleteVariation: 0 },
    linked: new Set(),
    removed: new Set(),
    variationDeletes: new Map(),
    productRemovals: new Set(),
    productRemovalActions: new Set(),
    held: [],
    holdsCleared: [],
    returnsByItem: groupBy(changes, (c) => c.stockItemId),
    ...(returns ? { returns } : {}),
    stockJudged: new Set(),
  };
}

export type { Builder };

/** The store sent purchase prices below the cent: read rounded, and said so, as the value changed. */
export function reportRoundedPurchasePrices(products: Iterable<StoreProduct>, problems: Problem[]): void {
  for (const product of products) {
    const items = [product, ...product.variations];
    for (const item of items) {
      if (!item.purchasePriceRoundedFrom || !item.code) continue;
      problems.push({
        kind: 'rounded-purchase-price',
        code: item.code,
        reason: `The store's purchase price of ${item.code} is ${item.purchasePriceRoundedFrom}; it was read as ${money(item.purchasePrice)}, rounded to the cent.`,
      });
    }
  }
}

export function reportUnreadableNetBaron(
  b: Builder,
  invalid: NetBaronListing['invalid'],
  look: Pick<Lookup, 'inScope'>,
): void {
  for (const bad of invalid) {
    if (bad.code && !look.inScope(bad.code)) continue;
    b.problems.push({
      kind: 'invalid-netbaron-data',
      code: bad.code || '(no code)',
      reason: bad.code
        ? `NetBaron's data for ${bad.code} could not be read (${bad.reason}); it was skipped.`
        : `NetBaron's data for a product without a readable code could not be read (${bad.reason}); it was skipped, and no store product is removed for being missing from the listing until it is fixed.`,
    });
  }
}

/**
 * A store product that could not be read still holds its codes: they are left alone, and while one
 * holds codes that could not be read at all, nothing is created (it might be any of them).
 */
export function unreadableStore(
  unreadable: readonly UnreadableStoreProduct[],
): Pick<Lookup, 'unreadableCodes' | 'createsBlocked'> {
  return {
    unreadableCodes: new Set(unreadable.flatMap((bad) => bad.codes)),
    createsBlocked: unreadable.some((bad) => bad.codes.length === 0),
  };
}

export function reportUnreadableStore(b: Builder, unreadable: readonly UnreadableStoreProduct[]): void {
  for (const bad of unreadable) {
    const label = `store product${bad.id ? ` ${bad.id}` : ''}${bad.codes.length ? ` (${bad.codes.join(', ')})` : ''}`;
    b.problems.push({
      kind: 'invalid-store-data',
      code: bad.codes[0] ?? '(no code)',
      reason: bad.codes.length
        ? `MyCashflow's data for ${label} could not be read (${bad.reason}); its codes are left alone until it is fixed.`
        : `MyCashflow's data for ${label} could not be read (${bad.reason}), not even its code; no product is created until it is fixed, since any new code might be its.`,
    });
  }
}

/**
 * Every duplicate among `codes` is reported, whether NetBaron knows the code or not: it breaks matching.
 * The whole plan asks about every code of the store; a chunked one about the codes held more than once.
 */
export function reportStoreDuplicates(b: Builder, look: Lookup, codes: Iterable<string>): void {
  for (const code of [...codes].sort(compareCodes)) {
    const places = look.index.get(code) ?? [];
    if (places.length < 2 || !look.inScope(code)) continue;
    const where = places.map(describePlace);
    b.problems.push({
      kind: 'duplicate-code-in-store',
      code,
      places: where,
      reason: `Product code ${code} is used ${places.length} times in the store (${where.join('; ')}). Give each its own code; until then ${code} is left alone.`,
    });
  }
}

/** The store codes a step on these NetBaron codes looks up: the codes, and what might be their parents. */
export function codesToLookUp(codes: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const code of codes) {
    out.add(code);
    for (let cut = code.lastIndexOf('-'); cut > 0; cut = code.lastIndexOf('-', cut - 1))
      out.add(code.slice(0, cut));
  }
  return [...out];
}

/** Each code of NetBaron's listing (`listed`, by code): updated, created, or removed when NetBaron deleted it. */
export function planListedCodes(
  b: Builder,
  input: PlanRules,
  look: Lookup,
  listed: Map<string, NbProduct[]>,
): void {
  for (const code of [...listed.keys()].sort(compareCodes)) {
    const entries = listed.get(code)!;
    if (!look.inScope(code) || look.unreadableCodes.has(code)) continue;
    if (entries.length > 1) {
      b.problems.push({
        kind: 'duplicate-code-in-netbaron',
        code,
        places: entries.map((e, i) => `NetBaron entry ${i + 1} "${e.name}"${e.deleted ? ' (deleted)' : ''}`),
        reason: `Product code ${code} appears ${entries.length} times in NetBaron's marketplace listing. Give each its own code; until then ${code} is left alone.`,
      });
      continue;
    }
    const nb = entries[0]!;
    const places = look.index.get(code) ?? [];
    // A store duplicate, reported already: left alone.
    if (places.length > 1) continue;
    const place = places[0];
    if (nb.deleted) {
      if (place)
        planRemoval(b, place, code, `${code} was deleted in NetBaron or left the marketplace`, input);
      continue;
    }
    if (place) planUpdate(b, place, nb, input.settings);
    else if (input.settings.mode === 'import-new' && !look.createsBlocked)
      planCreate(b, nb, input, look.index);
  }
}

/**
 * Whether a code's absence from the listing means anything: only in a complete listing, and not while an
 * unreadable entry without a code could be any of them.
 */
export const absenceCounts = (netbaron: Pick<NetBaronListing, 'complete' | 'invalid'>): boolean =>
  netbaron.complete && !netbaron.invalid.some((bad) => !bad.code);

/**
 * A code imported earlier that a complete listing no longer holds at all was deleted long ago (§15.5):
 * `vanished` are such codes (linked, and neither listed nor among the unreadable entries' codes).
 */
export function removeVanishedCodes(
  b: Builder,
  input: PlanRules,
  look: Lookup,
  vanished: Iterable<string>,
): void {
  for (const code of [...vanished].sort(compareCodes)) {
    if (!look.inScope(code) || look.unreadableCodes.has(code)) continue;
    const places = look.index.get(code) ?? [];
    if (places.length === 1 && places[0])
      planRemoval(
        b,
        places[0],
        code,
        `${code} is no longer in NetBaron's listing although it was imported earlier`,
        input,
      );
  }
}

/**
 * A product that loses its last variation is removed by the same setting. `products`: those of
 * `b.variationDeletes` (a chunked plan gives only the ones that lose every variation).
 */
export function removeEmptiedProducts(b: Builder, input: PlanRules, products: Iterable<StoreProduct>): void {
  const byId = new Map<number, StoreProduct>();
  for (const p of products) byId.set(p.id, p);
  for (const [productId, deleted] of b.variationDeletes) {
    const product = byId.get(productId);
    if (product?.variations.every((v) => deleted.has(v.id))) {
      removeProduct(
        b,
        product,
        product.code ?? `product ${product.id}`,
        `every variation of product ${product.id} "${product.name}" was deleted`,
        input,
      );
    }
  }
}

/** A hold on a code the store no longer has at all ends: there is no stock of it to protect. */
export function clearHoldsOutsideStore(b: Builder, input: PlanRules, look: Lookup): void {
  for (const code of input.returns?.holds.keys() ?? []) {
    if (look.inScope(code) && !b.stockJudged.has(code) && !look.index.has(code))
      b.holdsCleared.push({ code, why: 'not-in-store' });
  }
}

/** Store items (products without variations, and variations) the guards measure shares against. */
export const storeItemsOf = (p: StoreProduct): number => Math.max(1, p.variations.length);

/** What a plan decided besides its actions and problems. */
export function planEnd(b: Builder, storeItemCount: number): Omit<Plan, 'actions' | 'problems'> {
  for (const code of b.removed) b.linked.delete(code);
  return {
    counts: b.counts,
    linkedCodes: [...b.linked],
    removedCodes: [...b.removed],
    storeItemCount,
    held: b.held,
    holdsCleared: b.holdsCleared,
  };
}

/**
 * The import's decisions, as a pure function of what both systems hold, the settings and what earlier
 * runs linked. Nothing here reads or writes anything: the executor carries the plan out. The order of
 * the steps is the order of the plan's problems and actions; `planInChunks` takes the same steps a part
 * of the catalogs at a time.
 */
export function planImport(input: PlanInput): Plan {
  const b = newBuilder(input.returns);
  const rules: PlanRules = { ...input, versions: input.store.versions };
  const index = indexStore(input.store.products);
  reportRoundedPurchasePrices(input.store.products, b.problems);
  const scope = scopeOf(rules, index, b.problems);
  const look: Lookup = {
    index,
    inScope: (code) => scope === undefined || scope.has(code),
    ...unreadableStore(input.store.unreadable ?? []),
  };
  const listed = groupBy(input.netbaron.products, (p) => p.code as string);
  reportUnreadableNetBaron(b, input.netbaron.invalid, look);
  reportUnreadableStore(b, input.store.unreadable ?? []);
  reportStoreDuplicates(b, look, index.keys());
  planListedCodes(b, rules, look, listed);
  if (absenceCounts(input.netbaron)) {
    const present = new Set([
      ...listed.keys(),
      ...input.netbaron.invalid.flatMap((bad) => (bad.code ? [bad.code] : [])),
    ]);
    removeVanishedCodes(
      b,
      rules,
      look,
      [...input.linkedCodes].filter((code) => !present.has(code)),
    );
  }
  removeEmptiedProducts(b, rules, input.store.products);
  clearHoldsOutsideStore(b, rules, look);
  let storeItemCount = 0;
  for (const p of input.store.products) storeItemCount += storeItemsOf(p);
  return { actions: b.actions, problems: b.problems, ...planEnd(b, storeItemCount) };
}
