import type { McfProductId, McfVariationId, McfVersionId } from '../domain/ids.ts';
import type { Cents, VatBasisPoints } from '../domain/money.ts';
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

/** Hidden means invisible in every store version (`mycashflow-api.md` §23.5). */
export function isHidden(product: StoreProduct, versions: readonly McfVersionId[]): boolean {
  return versions.every((id) => product.visibility.find((v) => v.versionId === id)?.visible === false);
}

/** The expands the planner needs when reading the store. */
export const STORE_CATALOG_EXPANDS = ['variations', 'variations.stock_item', 'stock_item', 'visibilities'];
