import type { Cents, VatBasisPoints } from '../../src/domain/money.ts';

/*
 * The simulator's internal records. Money is integer cents and VAT rates are basis points; timestamps
 * are epoch milliseconds. Only rendering (render-*.ts) and the state document turn them back into the
 * API's JSON numbers and ISO strings.
 */

export type Millis = number;

export interface ApiUserRec {
  id: number;
  email: string;
  apiKey: string;
}

export interface ContactRec {
  company: string | null;
  business_id: string | null;
  street_address: string | null;
  postal_code: string | null;
  city: string | null;
  country: string | null;
  email: string | null;
  phone: string | null;
}

export interface VersionRec {
  id: number;
  name: string;
  language: string;
  contact: ContactRec;
}

export interface MethodRec {
  id: number;
  name: string;
  /** The documented fields besides these (§14, §15), in the API's names, as the state document gave them. */
  details: Record<string, unknown>;
  createdAt: Millis;
  updatedAt: Millis;
}

/** A brand (§10.3's `brand` expand); `details` holds the other documented fields as the state gave them. */
export interface BrandRec {
  id: number;
  name: string;
  details: Record<string, unknown>;
  createdAt: Millis;
  updatedAt: Millis;
}

/** The stock item's settings of §12.2 that the simulator keeps and serves but never acts on. */
export interface StockSettings {
  barcode: string | null;
  location: string | null;
  balanceAlert: boolean;
  balanceLimit: number;
  backorderEnabled: boolean;
  backorderEstimate: string | null;
}

export const DEFAULT_STOCK_SETTINGS: StockSettings = {
  barcode: null,
  location: null,
  balanceAlert: false,
  balanceLimit: 0,
  backorderEnabled: false,
  backorderEstimate: null,
};

export interface StockItemRec extends StockSettings {
  id: number;
  productId: number;
  variationId: number | null;
  quantity: number;
  reserved: number;
  enabled: boolean;
  createdAt: Millis;
  updatedAt: Millis;
}

/** Fields of §10.3 that the simulator keeps and serves as given but never interprets. */
export type ProductExtras = Record<string, unknown>;

export interface ProductRec {
  kind: 'product';
  id: number;
  productCode: string | null;
  name: string;
  description: string;
  information: string;
  price: Cents;
  purchasePrice: Cents;
  vatRate: VatBasisPoints;
  weight: number;
  parcelType: string | null;
  /** Per store version; shared and never mutated in place (copy on write), as most products share one. */
  visibilities: ReadonlyMap<number, boolean>;
  /** Null exactly when the product has variations: their stock items hold the stock (§11.3). */
  stockItemId: number | null;
  variationIds: number[];
  extras: ProductExtras | undefined;
  createdAt: Millis;
  updatedAt: Millis;
}

export interface VariationRec {
  kind: 'variation';
  id: number;
  productId: number;
  productCode: string | null;
  name: string;
  price: Cents;
  purchasePrice: Cents;
  weight: number | null;
  /** §11.2's fields that the simulator keeps and serves as given but never interprets. */
  imageId: number | null;
  /** The admin's order among the product's variations; the id when the state gave none. */
  sort: number;
  /** The option values, e.g. `{"Koko": "38"}`. */
  features: Record<string, unknown> | null;
  stockItemId: number;
  createdAt: Millis;
  updatedAt: Millis;
}

export type CodeOwner = ProductRec | VariationRec;

export interface StockChangeRec {
  id: number;
  changedAt: Millis;
  userId: number | null;
  sourceType: string;
  sourceId: number | null;
  stockItemId: number;
  quantity: number;
  quantityChange: number;
}

export interface TaxRow {
  rate: VatBasisPoints;
  total: Cents;
  tax: Cents;
  net: Cents;
}

export interface TaxSummary {
  subtotal: TaxRow[];
  discount: TaxRow[];
  shipping_costs: TaxRow[];
  payment_costs: TaxRow[];
  total: TaxRow[];
}

export type JsonObject = Record<string, unknown>;

export interface OrderLineRec {
  id: number;
  createdAt: Millis;
  updatedAt: Millis;
  deliveredAt: Millis | null;
  productId: number | null;
  variationId: number | null;
  productCode: string | null;
  productName: string;
  modelName: string | null;
  quantity: number;
  unitPrice: Cents;
  purchasePrice: Cents | null;
  vatRate: VatBasisPoints;
  /** The remaining §13.5 fields (customizations, warranty, bundle_id, download_*, …), served as given. */
  other: JsonObject;
  returnReasons: unknown[];
}

export type OrderStatus = 'open' | 'completed' | 'cancelled';

export interface OrderRec {
  id: number;
  createdAt: Millis;
  updatedAt: Millis;
  archivedAt: Millis | null;
  status: OrderStatus;
  versionId: number | null;
  language: string;
  shippingMethodId: number | null;
  paymentMethodId: number | null;
  subtotal: Cents;
  shippingCosts: Cents;
  paymentCosts: Cents;
  discount: Cents;
  total: Cents;
  /** Customer, addresses, details, URLs, custom data: the §13.4 fields that carry no arithmetic. */
  other: JsonObject;
  lines: OrderLineRec[];
  taxSummary: TaxSummary;
  payments: JsonObject[];
  shipments: JsonObject[];
  comments: JsonObject[];
  events: JsonObject[];
}

export interface WebhookRec {
  uuid: string;
  userId: number | null;
  topic: string;
  expands: string[];
  url: string;
}

export interface StoreInfo {
  name: string;
  plan: string;
}
