import { NO_QUIRKS, type Quirks } from './quirks.ts';
import { conflict } from './api-error.ts';
import { IdTable } from './id-table.ts';
import { DEFAULT_STOCK_SETTINGS } from './model.ts';
import type {
  ApiUserRec,
  BrandRec,
  CodeOwner,
  Millis,
  MethodRec,
  OrderRec,
  ProductRec,
  StockChangeRec,
  StockItemRec,
  StoreInfo,
  VariationRec,
  VersionRec,
  WebhookRec,
} from './model.ts';

export type SequenceName =
  'product' | 'variation' | 'stockItem' | 'stockChange' | 'order' | 'orderLine' | 'payment' | 'shipment';

/**
 * Everything the simulated store holds, with the indexes the API needs: tables by id in id order, and
 * product codes to their owners. A code maps to a list because a state document may hold duplicates
 * (legacy data), which the API then serves as they are; only writes through the API refuse them.
 * Every change to a code, a product or a variation goes through the methods here so the indexes stay true.
 */
export class McfStore {
  readonly versions = new IdTable<VersionRec>();
  readonly paymentMethods = new IdTable<MethodRec>();
  readonly shippingMethods = new IdTable<MethodRec>();
  readonly brands = new IdTable<BrandRec>();
  readonly products = new IdTable<ProductRec>();
  readonly variations = new IdTable<VariationRec>();
  readonly stockItems = new IdTable<StockItemRec>();
  readonly stockChanges = new IdTable<StockChangeRec>();
  readonly orders = new IdTable<OrderRec>();
  /** In subscription order. */
  readonly webhooks: WebhookRec[] = [];
  private readonly changesByItem = new Map<number, StockChangeRec[]>();
  private readonly codeIndex = new Map<string, CodeOwner[]>();
  private readonly sequences = new Map<SequenceName, number>();
  quirks: Quirks = NO_QUIRKS;

  constructor(
    public info: StoreInfo,
    readonly apiUsers: ApiUserRec[],
  ) {}

  /** The next id of a kind: one past the highest ever used, so deleted ids are not handed out again. */
  nextId(kind: SequenceName): number {
    const next = (this.sequences.get(kind) ?? 0) + 1;
    this.sequences.set(kind, next);
    return next;
  }

  /** Makes sure the sequence continues after an id taken from a document. */
  noteId(kind: SequenceName, id: number): void {
    if (id > (this.sequences.get(kind) ?? 0)) this.sequences.set(kind, id);
  }

  // --- product codes -------------------------------------------------------------------------------

  codeOwners(code: string): readonly CodeOwner[] {
    return this.codeIndex.get(code) ?? [];
  }

  /** Throws 409 when `code` belongs to anyone but `self`; empty and absent codes never conflict. */
  assertCodeFree(code: string | null, self?: CodeOwner): void {
    if (!code) return;
    const other = this.codeOwners(code).find((owner) => owner !== self);
    if (other) {
      throw conflict(`product_code ${JSON.stringify(code)} is already used by ${other.kind} ${other.id}`);
    }
  }

  setCode(owner: CodeOwner, code: string | null): void {
    this.unindexCode(owner);
    owner.productCode = code;
    this.indexCode(owner);
  }

  /**
   * The stock item that `/stock/{code}` addresses. With duplicated codes the lowest stock item id wins,
   * as a lookup on the stock items' own `code` column would answer.
   */
  stockItemByCode(code: string): StockItemRec | undefined {
    let best: StockItemRec | undefined;
    for (const owner of this.codeOwners(code)) {
      const itemId = owner.stockItemId;
      const item = itemId === null ? undefined : this.stockItems.get(itemId);
      if (item && (!best || item.id < best.id)) best = item;
    }
    return best;
  }

  /** The product or variation a stock item belongs to: its code is the item's `code`. */
  stockItemOwner(item: StockItemRec): CodeOwner | undefined {
    return item.variationId !== null
      ? this.variations.get(item.variationId)
      : this.products.get(item.productId);
  }

  private indexCode(owner: CodeOwner): void {
    if (!owner.productCode) return;
    const owners = this.codeIndex.get(owner.productCode);
    if (owners) owners.push(owner);
    else this.codeIndex.set(owner.productCode, [owner]);
  }

  private unindexCode(owner: CodeOwner): void {
    if (!owner.productCode) return;
    const owners = this.codeIndex.get(owner.productCode);
    if (!owners) return;
    const rest = owners.filter((o) => o !== owner);
    if (rest.length === 0) this.codeIndex.delete(owner.productCode);
    else this.codeIndex.set(owner.productCode, rest);
  }

  // --- catalog -------------------------------------------------------------------------------------

  addProduct(product: ProductRec): void {
    this.products.add(product);
    this.noteId('product', product.id);
    this.indexCode(product);
  }

  addVariation(variation: VariationRec): void {
    this.variations.add(variation);
    this.noteId('variation', variation.id);
    this.indexCode(variation);
  }

  addStockItem(item: StockItemRec): void {
    this.stockItems.add(item);
    this.noteId('stockItem', item.id);
  }

  newStockItem(owner: { productId: number; variationId: number | null }, at: Millis): StockItemRec {
    const item: StockItemRec = {
      id: this.nextId('stockItem'),
      ...owner,
      quantity: 0,
      reserved: 0,
      enabled: true,
      ...DEFAULT_STOCK_SETTINGS,
      createdAt: at,
      updatedAt: at,
    };
    this.stockItems.add(item);
    return item;
  }

  /** Removes the product, its variations and every stock item of theirs; stock changes stay as history. */
  deleteProduct(product: ProductRec): void {
    for (const variationId of product.variationIds) {
      const variation = this.variations.delete(variationId);
      if (!variation) continue;
      this.unindexCode(variation);
      this.stockItems.delete(variation.stockItemId);
    }
    if (product.stockItemId !== null) this.stockItems.delete(product.stockItemId);
    this.unindexCode(product);
    this.products.delete(product.id);
  }

  /**
   * Removes a variation and its stock item. A product left without variations gets a stock item of its
   * own again (empty), since a product without variations always keeps its stock itself (§11.3).
   */
  deleteVariation(variation: VariationRec, at: Millis): void {
    this.variations.delete(variation.id);
    this.unindexCode(variation);
    this.stockItems.delete(variation.stockItemId);
    const product = this.products.get(variation.productId);
    if (!product) return;
    product.variationIds = product.variationIds.filter((id) => id !== variation.id);
    product.updatedAt = at;
    if (product.variationIds.length === 0 && product.stockItemId === null) {
      product.stockItemId = this.newStockItem({ productId: product.id, variationId: null }, at).id;
    }
  }

  // --- stock changes -------------------------------------------------------------------------------

  addStockChange(change: StockChangeRec): void {
    this.stockChanges.add(change);
    this.noteId('stockChange', change.id);
    const list = this.changesByItem.get(change.stockItemId);
    if (list) list.push(change);
    else this.changesByItem.set(change.stockItemId, [change]);
  }

  stockChangesOf(stockItemId: number): readonly StockChangeRec[] {
    return this.changesByItem.get(stockItemId) ?? [];
  }

  /** Sets an absolute quantity and records the change; no entry when the quantity stays the same. */
  setStockQuantity(
    item: StockItemRec,
    quantity: number,
    by: { userId: number | null; at: Millis; sourceType?: string; sourceId?: number | null },
  ): void {
    const change = quantity - item.quantity;
    item.quantity = quantity;
    item.updatedAt = by.at;
    if (change === 0) return;
    this.addStockChange({
      id: this.nextId('stockChange'),
      changedAt: by.at,
      userId: by.userId,
      sourceType: by.sourceType ?? 'api',
      sourceId: by.sourceId ?? null,
      stockItemId: item.id,
      quantity,
      quantityChange: change,
    });
  }

  addOrder(order: OrderRec): void {
    this.orders.add(order);
    this.noteId('order', order.id);
    for (const line of order.lines) this.noteId('orderLine', line.id);
    for (const payment of order.payments)
      if (typeof payment.id === 'number') this.noteId('payment', payment.id);
    for (const shipment of order.shipments)
      if (typeof shipment.id === 'number') this.noteId('shipment', shipment.id);
  }
}
