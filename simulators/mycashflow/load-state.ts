import { randomUUID } from 'node:crypto';
import { centsFromNumber, vatRateFromNumber } from '../../src/domain/money.ts';
import { describeIssues, PRODUCT_EXTRA_KEYS } from './fields.ts';
import type { IdTable } from './id-table.ts';
import type {
  BrandRec,
  ContactRec,
  MethodRec,
  ProductExtras,
  ProductRec,
  StockItemRec,
  VersionRec,
} from './model.ts';
import { intakeOrder } from './order-intake.ts';
import { type McfStateParsed, mcfStateSchema, stockItemSchema } from './state-schema.ts';
import { McfStore, type SequenceName } from './store.ts';
import { parseTimestamp, truncateToSecond } from './timestamps.ts';

export const DEFAULT_API_USER = { email: 'api@example.com', api_key: 'demo-key' } as const;

/**
 * Ids written in the document are kept; a missing one is the next free id after the previous item's, so
 * `[{}, {id: 7}, {}]` gets 1, 7, 8.
 */
function assignIds(items: ReadonlyArray<{ id?: number | undefined; path: string }>): number[] {
  const used = new Map<number, string>();
  for (const item of items) {
    if (item.id === undefined) continue;
    const earlier = used.get(item.id);
    if (earlier !== undefined)
      throw new Error(`${item.path}.id: id ${item.id} is already used by ${earlier}`);
    used.set(item.id, item.path);
  }
  let next = 1;
  return items.map((item) => {
    if (item.id !== undefined) {
      next = Math.max(next, item.id + 1);
      return item.id;
    }
    while (used.has(next)) next++;
    return next++;
  });
}

const withPaths = <T>(list: readonly T[], path: string): Array<T & { path: string }> =>
  list.map((item, i) => ({ ...item, path: `${path}[${i}]` }));

/**
 * Validates a state document and builds the store from it, filling the defaults that depend on the rest
 * of the document. Throws an Error whose message names the offending field.
 */
export function loadState(doc: unknown, nowMs: number): McfStore {
  const parsed = mcfStateSchema.safeParse(doc ?? {});
  if (!parsed.success) throw new Error(`invalid MyCashflow state: ${describeIssues(parsed.error)}`);
  const state = parsed.data;
  const now = truncateToSecond(nowMs);
  const time = (text: string | undefined, fallback: number): number =>
    text === undefined ? fallback : truncateToSecond(parseTimestamp(text) ?? fallback);

  const users = state.api_users?.length ? state.api_users : [DEFAULT_API_USER];
  const userIds = assignIds(withPaths(users, 'api_users'));
  const store = new McfStore(
    { ...state.store },
    users.map((u, i) => ({ id: userIds[i]!, email: u.email, apiKey: u.api_key })),
  );
  store.quirks = { ...state.quirks };

  loadVersions(store, state);
  // Methods and brands alike: a name, timestamps and the other documented fields served as given.
  const namedLists: Array<
    [
      ReadonlyArray<McfStateParsed['payment_methods' | 'shipping_methods' | 'brands'][number]>,
      IdTable<MethodRec | BrandRec>,
      string,
    ]
  > = [
    [state.payment_methods, store.paymentMethods, 'payment_methods'],
    [state.shipping_methods, store.shippingMethods, 'shipping_methods'],
    [state.brands, store.brands, 'brands'],
  ];
  for (const [list, table, path] of namedLists) {
    const ids = assignIds(withPaths(list, path));
    list.forEach((m, i) => {
      const { id: _id, name, created_at, updated_at, ...details } = m;
      const createdAt = time(created_at, now);
      table.add({ id: ids[i]!, name, details, createdAt, updatedAt: time(updated_at, createdAt) });
    });
  }

  loadCatalog(store, state, time, now);
  loadStockChanges(store, state, time, now);
  loadOrders(store, state, now);

  for (const [i, w] of state.webhooks.entries()) {
    if (store.webhooks.some((other) => other.uuid === w.uuid)) {
      throw new Error(`webhooks[${i}].uuid: ${w.uuid} is used by another subscription`);
    }
    store.webhooks.push({
      uuid: w.uuid ?? randomUUID(),
      userId: w.user_id === undefined ? store.apiUsers[0]!.id : w.user_id,
      topic: w.topic,
      expands: [...w.expands],
      url: w.url,
    });
  }
  return store;
}

function loadVersions(store: McfStore, state: McfStateParsed): void {
  const emptyContact: ContactRec = {
    company: null,
    business_id: null,
    street_address: null,
    postal_code: null,
    city: null,
    country: null,
    email: null,
    phone: null,
  };
  const versions = state.versions?.length
    ? state.versions
    : [{ id: 1, name: state.store.name, language: 'fi', contact: emptyContact }];
  const ids = assignIds(withPaths(versions, 'versions'));
  versions.forEach((v, i) => {
    const rec: VersionRec = {
      id: ids[i]!,
      name: v.name ?? state.store.name,
      language: v.language,
      contact: { ...v.contact },
    };
    store.versions.add(rec);
  });
}

type TimeReader = (text: string | undefined, fallback: number) => number;
type StockItemInput = McfStateParsed['products'][number]['variations'][number]['stock_item'];

function loadCatalog(store: McfStore, state: McfStateParsed, time: TimeReader, now: number): void {
  const products = state.products;
  const productIds = assignIds(withPaths(products, 'products'));
  const variationPaths = products.flatMap((p, i) => withPaths(p.variations, `products[${i}].variations`));
  const variationIds = assignIds(variationPaths);
  // Stock items in document order: a product's own (when it has no variations), then its variations'.
  const stockPaths: Array<{ id?: number | undefined; path: string }> = [];
  products.forEach((p, i) => {
    if (p.variations.length === 0)
      stockPaths.push({ id: p.stock_item?.id, path: `products[${i}].stock_item` });
    p.variations.forEach((v, j) =>
      stockPaths.push({ id: v.stock_item.id, path: `products[${i}].variations[${j}].stock_item` }),
    );
  });
  const stockIds = assignIds(stockPaths);

  const versionIds = store.versions.list().map((v) => v.id);
  const allVisible: ReadonlyMap<number, boolean> = new Map(versionIds.map((id) => [id, true]));
  let variationIndex = 0;
  let stockIndex = 0;
  const stockItem = (
    given: StockItemInput,
    owner: { productId: number; variationId: number | null },
    fallback: number,
  ): StockItemRec => {
    const createdAt = time(given.created_at, fallback);
    const item: StockItemRec = {
      id: stockIds[stockIndex++]!,
      ...owner,
      quantity: given.quantity,
      reserved: given.reserved,
      enabled: given.enabled,
      barcode: given.barcode,
      location: given.location,
      balanceAlert: given.balance_alert,
      balanceLimit: given.balance_limit,
      backorderEnabled: given.backorder_enabled,
      backorderEstimate: given.backorder_estimate,
      createdAt,
      updatedAt: time(given.updated_at, createdAt),
    };
    store.addStockItem(item);
    return item;
  };

  products.forEach((p, i) => {
    const id = productIds[i]!;
    const path = `products[${i}]`;
    if (p.variations.length > 0 && p.stock_item) {
      throw new Error(`${path}.stock_item: a product with variations keeps its stock on the variations`);
    }
    let visibilities = allVisible;
    if (p.visibilities) {
      const map = new Map(allVisible);
      p.visibilities.forEach((vis, j) => {
        if (!map.has(vis.version_id)) {
          throw new Error(
            `${path}.visibilities[${j}].version_id: store version ${vis.version_id} does not exist`,
          );
        }
        map.set(vis.version_id, vis.is_visible);
      });
      visibilities = map;
    }
    if (typeof p.brand_id === 'number' && !store.brands.get(p.brand_id)) {
      throw new Error(`${path}.brand_id: brand ${p.brand_id} does not exist (list it under brands)`);
    }
    const createdAt = time(p.created_at, now);
    const extras: ProductExtras = {};
    for (const key of PRODUCT_EXTRA_KEYS) {
      const value = (p as Record<string, unknown>)[key];
      if (value !== undefined) extras[key] = value;
    }
    const product: ProductRec = {
      kind: 'product',
      id,
      productCode: p.product_code ?? null,
      name: p.name ?? `Product ${id}`,
      description: p.description,
      information: p.information,
      price: centsFromNumber(p.price),
      purchasePrice: centsFromNumber(p.purchase_price),
      vatRate: vatRateFromNumber(p.vat_rate),
      weight: p.weight,
      parcelType: p.parcel_type,
      visibilities,
      stockItemId: null,
      variationIds: [],
      extras: Object.keys(extras).length > 0 ? extras : undefined,
      createdAt,
      updatedAt: time(p.updated_at, createdAt),
    };
    if (p.variations.length === 0) {
      product.stockItemId = stockItem(
        p.stock_item ?? stockItemSchema.parse({}),
        { productId: id, variationId: null },
        createdAt,
      ).id;
    }
    store.addProduct(product);
    for (const v of p.variations) {
      const variationId = variationIds[variationIndex++]!;
      const vCreated = time(v.created_at, createdAt);
      const item = stockItem(v.stock_item, { productId: id, variationId }, vCreated);
      store.addVariation({
        kind: 'variation',
        id: variationId,
        productId: id,
        productCode: v.product_code ?? null,
        name: v.name,
        price: v.price === undefined ? product.price : centsFromNumber(v.price),
        purchasePrice:
          v.purchase_price === undefined ? product.purchasePrice : centsFromNumber(v.purchase_price),
        weight: v.weight,
        imageId: v.image_id,
        sort: v.sort ?? variationId,
        features: v.features,
        stockItemId: item.id,
        createdAt: vCreated,
        updatedAt: time(v.updated_at, vCreated),
      });
      product.variationIds.push(variationId);
    }
    product.variationIds.sort((a, b) => a - b);
  });
}

function loadStockChanges(store: McfStore, state: McfStateParsed, time: TimeReader, now: number): void {
  const ids = assignIds(withPaths(state.stock_changes, 'stock_changes'));
  // Without a written delta, a change moves the item from its previous recorded quantity (0 at first).
  const lastQuantity = new Map<number, number>();
  state.stock_changes.forEach((c, i) => {
    const before = lastQuantity.get(c.stock_item_id) ?? 0;
    lastQuantity.set(c.stock_item_id, c.quantity);
    store.addStockChange({
      id: ids[i]!,
      changedAt: time(c.changed_at, now),
      userId: c.user_id,
      sourceType: c.source_type,
      sourceId: c.source_id,
      stockItemId: c.stock_item_id,
      quantity: c.quantity,
      quantityChange: c.quantity_change ?? c.quantity - before,
    });
  });
}

function loadOrders(store: McfStore, state: McfStateParsed, now: number): void {
  const ids = assignIds(withPaths(state.orders, 'orders'));
  // Written ids of lines, payments and shipments come first, so the ones filled in never collide with them.
  const lineIds = new Map<number, string>();
  state.orders.forEach((o, i) =>
    o.products.forEach((line, j) => {
      if (line.id === undefined) return;
      const earlier = lineIds.get(line.id);
      if (earlier)
        throw new Error(`orders[${i}].products[${j}].id: id ${line.id} is already used by ${earlier}`);
      lineIds.set(line.id, `orders[${i}].products[${j}]`);
      store.noteId('orderLine', line.id);
    }),
  );
  const sequenceOf: Array<[SequenceName, 'payments' | 'shipments']> = [
    ['payment', 'payments'],
    ['shipment', 'shipments'],
  ];
  for (const o of state.orders) {
    for (const [sequence, key] of sequenceOf) {
      for (const sub of o[key]) if (typeof sub.id === 'number') store.noteId(sequence, sub.id);
    }
  }
  state.orders.forEach((o, i) => {
    const order = intakeOrder(store, { ...o, id: ids[i]! }, { path: `orders[${i}].`, now, mode: 'state' });
    store.addOrder(order);
  });
}
