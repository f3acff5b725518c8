import type { McfProductId, McfVariationId, McfVersionId } from '../domain/ids.ts';
import type { Cents, VatBasisPoints } from '../domain/money.ts';

/** One field as it is in the store and as the import would write it, both as displayed text. */
export interface FieldChange {
  field:
    | 'name'
    | 'description'
    | 'information'
    | 'product_code'
    | 'vat_rate'
    | 'price'
    | 'purchase_price'
    | 'weight'
    | 'parcel_type'
    | 'stock'
    | 'visibility';
  from: string | null;
  to: string;
}

export interface ProductCreate {
  name: string;
  product_code: string;
  description?: string;
  information?: string;
  price: Cents;
  purchase_price?: Cents;
  vat_rate: VatBasisPoints;
  weight?: number;
  parcel_type?: string;
  visibilities: Array<{ version_id: McfVersionId; is_visible: boolean }>;
}

export interface PricePatch {
  price?: Cents;
  purchase_price?: Cents;
  description?: string;
  information?: string;
}

interface Base {
  /** The product code the action is about. */
  code: string;
  /** Why, in the merchant's words. */
  reason: string;
  changes: FieldChange[];
}

/**
 * What the import will write, one MyCashflow object at a time. Product removals run after every other
 * action (phase 2), so that a product's variations are gone before the product is judged empty.
 */
export type PlannedAction =
  | (Base & { kind: 'create-product'; create: ProductCreate; stock: number | null })
  | (Base & { kind: 'update-product'; productId: McfProductId; patch: PricePatch })
  | (Base & {
      kind: 'update-variation';
      productId: McfProductId;
      variationId: McfVariationId;
      patch: PricePatch;
    })
  | (Base & { kind: 'set-stock'; quantity: number })
  | (Base & { kind: 'delete-variation'; productId: McfProductId; variationId: McfVariationId })
  | (Base & { kind: 'hide-product'; productId: McfProductId; versions: McfVersionId[] })
  | (Base & { kind: 'delete-product'; productId: McfProductId });

export type ActionKind = PlannedAction['kind'];

export const phaseOf = (kind: ActionKind): 1 | 2 =>
  kind === 'hide-product' || kind === 'delete-product' ? 2 : 1;

export type ProblemKind =
  | 'duplicate-code-in-store'
  | 'duplicate-code-in-netbaron'
  | 'invalid-netbaron-data'
  | 'invalid-store-data'
  | 'missing-price'
  | 'missing-name'
  | 'unknown-vat-rate'
  | 'negative-quantity'
  | 'fractional-quantity'
  | 'invalid-quantity'
  | 'variation-missing-in-store'
  | 'selected-product-not-found'
  | 'stock-on-variations'
  | 'rounded-purchase-price'
  | 'write-failed';

export interface Problem {
  kind: ProblemKind;
  /** The product code concerned. */
  code: string;
  /** What is wrong and what the import did about it, in the merchant's words. */
  reason: string;
  /** Every place the code occurs, for duplicates. */
  places?: string[];
}

export interface PlanCounts {
  create: number;
  update: number;
  unchanged: number;
  hide: number;
  delete: number;
  deleteVariation: number;
}

/** A code whose stock the import does not write: the store's returns are not yet in NetBaron. */
export interface HeldStock {
  code: string;
  storeQuantity: number;
  netbaronQuantity: number;
  /** Returned units counted for it (since the hold began). */
  returned: number;
}

/** Why a hold ends: NetBaron's balance now equals the store's, or a person chose NetBaron's balance. */
export interface ClearedHold {
  code: string;
  why: 'netbaron-updated' | 'overwritten' | 'not-in-store';
}

export interface Plan {
  actions: PlannedAction[];
  problems: Problem[];
  counts: PlanCounts;
  /** Codes matched or created: recorded as links, so that a later run notices when one disappears. */
  linkedCodes: string[];
  /** Codes removed from the store by this plan. */
  removedCodes: string[];
  /** Store items (products without variations, and variations) the guards measure shares against. */
  storeItemCount: number;
  /** Codes whose stock is held (not written) because of returns NetBaron does not have yet. */
  held: HeldStock[];
  /** Holds that end with this plan. */
  holdsCleared: ClearedHold[];
}
