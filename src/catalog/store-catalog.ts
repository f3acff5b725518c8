import type { McfProductId, McfVariationId, McfVersionId } from '../domain/ids.ts';
import type { Cents, VatBasisPoints } from '../domain/money.ts';
import type { InvalidItem, MyCashflowClient } from '../mycashflow/client.ts';
import type { McfProduct } from '../mycashflow/schemas.ts';

/** The store's catalog as the planner sees it: only what the import compares or needs to address. */
export interface StoreVariation {
  id: McfVariationId;
  productId: McfProductId;
  code: string | null;
  name: string;
  price: Cents | null;
  purchasePrice: Cents | null;
  /** The purchase price as the store sent it, when it had digits below a cent that were rounded away. */
  purchasePriceRoundedFrom?: string;
  stockQuantity: number | null;
  /** Its stock item, whose changes tell returns apart (absent where unknown). */
  stockItemId?: number | null;
}

export interface StoreProduct {
  id: McfProductId;
  code: string | null;
  name: string;
  description: string;
  information: string;
  vatRate: VatBasisPoints | null;
  price: Cents | null;
  purchasePrice: Cents | null;
  purchasePriceRoundedFrom?: string;
  weight: number | null;
  parcelType: string | null;
  /** Per store version; a version missing here counts as visible. */
  visibility: Array<{ versionId: McfVersionId; visible: boolean }>;
  stockQuantity: number | null;
  /** Its own stock item (a product without variations), whose changes tell returns apart. */
  stockItemId?: number | null;
  variations: StoreVariation[];
}

/** A store product MyCashflow sent in a shape that could not be read: what is known of it. */
export interface UnreadableStoreProduct {
  id?: string;
  /** Its own code and its variations' codes, as far as they could be read. */
  codes: string[];
  reason: string;
}

export interface StoreCatalog {
  versions: McfVersionId[];
  products: StoreProduct[];
  /** Products that could not be read: their codes are left alone (and nothing is created while one has no code). */
  unreadable?: UnreadableStoreProduct[];
}

export function storeProductFrom(p: McfProduct): StoreProduct {
  return {
    id: p.id,
    code: p.product_code ?? null,
    name: p.name,
    description: p.description ?? '',
    information: p.information ?? '',
    vatRate: p.vat_rate ?? null,
    price: p.price ?? null,
    purchasePrice: p.purchase_price ?? null,
    ...(p.purchase_price_rounded_from ? { purchasePriceRoundedFrom: p.purchase_price_rounded_from } : {}),
    weight: p.weight ?? null,
    parcelType: p.parcel_type ?? null,
    visibility: (p.visibilities ?? []).map((v) => ({ versionId: v.version_id, visible: v.is_visible })),
    stockQuantity: p.stock_item?.quantity ?? null,
    stockItemId: p.stock_item?.id ?? null,
    variations: (p.variations ?? []).map((v) => ({
      id: v.id,
      productId: p.id,
      code: v.product_code ?? null,
      name: v.name ?? '',
      price: v.price ?? null,
      purchasePrice: v.purchase_price ?? null,
      ...(v.purchase_price_rounded_from ? { purchasePriceRoundedFrom: v.purchase_price_rounded_from } : {}),
      stockQuantity: v.stock_item?.quantity ?? null,
      stockItemId: v.stock_item?.id ?? null,
    })),
  };
}

/** What is known of a product the store sent in a shape that could not be read. */
export const unreadableFrom = (bad: InvalidItem): UnreadableStoreProduct => ({
  ...(bad.id !== undefined ? { id: String(bad.id) } : {}),
  codes: bad.codes,
  reason: bad.reason,
});

/**
 * The store's products of a listing (`query`: all, changed since, by id) as the planner sees them,
 * handed over a page at a time. One product the store sends in an unreadable shape is reported with
 * its page and left alone; the rest goes on. A page is handled while the next one is read and parsed;
 * pages are handled in order, one at a time.
 */
export async function readStoreProducts(
  mcf: Pick<MyCashflowClient, 'productPages'>,
  query: Record<string, string>,
  onPage: (products: StoreProduct[], unreadable: UnreadableStoreProduct[]) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const unreadableInPage: UnreadableStoreProduct[] = [];
  let handling: Promise<void> = Promise.resolve();
  try {
    for await (const page of mcf.productPages({
      expand: STORE_CATALOG_EXPANDS,
      query,
      onInvalidItem: (bad) => unreadableInPage.push(unreadableFrom(bad)),
    })) {
      // A page's unreadable items are reported while it is read, before it arrives here.
      const unreadable = unreadableInPage.splice(0);
      const products = page.items.map(storeProductFrom);
      await handling;
      handling = onPage(products, unreadable);
      if (signal?.aborted) break;
    }
  } catch (err) {
    await handling.catch(() => undefined);
    throw err;
  }
  await handling;
}

/** Hidden means invisible in every store version (`mycashflow-api.md` §23.5). */
export function isHidden(product: StoreProduct, versions: readonly McfVersionId[]): boolean {
  return versions.every((id) => product.visibility.find((v) => v.versionId === id)?.visible === false);
}

/** The expands the planner needs when reading the store. */
export const STORE_CATALOG_EXPANDS = ['variations', 'variations.stock_item', 'stock_item', 'visibilities'];
