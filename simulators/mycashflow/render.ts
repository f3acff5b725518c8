import { centsToNumber, vatRateToNumber } from '../../src/domain/money.ts';
import type {
  BrandRec,
  MethodRec,
  OrderLineRec,
  OrderRec,
  ProductRec,
  StockChangeRec,
  StockItemRec,
  StockSettings,
  TaxRow,
  TaxSummary,
  VariationRec,
  VersionRec,
  WebhookRec,
} from './model.ts';
import type { McfStore } from './store.ts';
import { formatInstant } from './timestamps.ts';

/* Internal records → the API's JSON objects. Sub-resources appear only when expanded (§5.4). */

export type Expands = ReadonlySet<string>;

const at = (ms: number | null): string | null => (ms === null ? null : formatInstant(ms));

export function renderStockItem(store: McfStore, item: StockItemRec): Record<string, unknown> {
  return {
    id: item.id,
    created_at: formatInstant(item.createdAt),
    updated_at: formatInstant(item.updatedAt),
    product_id: item.productId,
    variation_id: item.variationId,
    code: store.stockItemOwner(item)?.productCode ?? null,
    quantity: item.quantity,
    reserved: item.reserved,
    balance: item.quantity - item.reserved,
    enabled: item.enabled,
    ...stockSettingsJson(item),
  };
}

/** §12.2's settings fields, shared by the API's answer and the state document. */
export function stockSettingsJson(item: StockSettings): Record<string, unknown> {
  return {
    barcode: item.barcode,
    location: item.location,
    balance_alert: item.balanceAlert,
    balance_limit: item.balanceLimit,
    backorder_enabled: item.backorderEnabled,
    backorder_estimate: item.backorderEstimate,
  };
}

export function renderVariation(store: McfStore, v: VariationRec, expand: Expands): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: v.id,
    created_at: formatInstant(v.createdAt),
    updated_at: formatInstant(v.updatedAt),
    product_id: v.productId,
    product_code: v.productCode,
    name: v.name,
    price: centsToNumber(v.price),
    purchase_price: centsToNumber(v.purchasePrice),
    weight: v.weight,
    ...variationExtrasJson(v),
  };
  if (expand.has('stock_item')) {
    const item = store.stockItems.get(v.stockItemId);
    out.stock_item = item ? renderStockItem(store, item) : null;
  }
  if (expand.has('translations')) out.translations = [];
  return out;
}

/** §11.2's fields the simulator serves as given, shared by the API's answer and the state document. */
export function variationExtrasJson(v: VariationRec): Record<string, unknown> {
  return { image_id: v.imageId, sort: v.sort, features: v.features };
}

/** §10.3's brand expand: `{id, name, description, seo_*, template, created_at, updated_at}`. */
export function renderBrand(b: BrandRec): Record<string, unknown> {
  return {
    id: b.id,
    name: b.name,
    ...b.details,
    created_at: formatInstant(b.createdAt),
    updated_at: formatInstant(b.updatedAt),
  };
}

const VARIATION_STOCK: Expands = new Set(['stock_item']);
const NOTHING: Expands = new Set();

/** A product's own fields as both the API and the state document write them. */
export function productFields(p: ProductRec): Record<string, unknown> {
  return {
    product_code: p.productCode,
    name: p.name,
    description: p.description,
    information: p.information,
    price: centsToNumber(p.price),
    purchase_price: centsToNumber(p.purchasePrice),
    vat_rate: vatRateToNumber(p.vatRate),
    weight: p.weight,
    parcel_type: p.parcelType,
    ...p.extras,
  };
}

export function renderProduct(store: McfStore, p: ProductRec, expand: Expands): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: p.id,
    created_at: formatInstant(p.createdAt),
    updated_at: formatInstant(p.updatedAt),
    ...productFields(p),
  };
  if (expand.size === 0) return out;
  if (expand.has('translations')) out.translations = [];
  if (expand.has('visibilities')) {
    out.visibilities = store.versions
      .list()
      .map((version) => ({ version_id: version.id, is_visible: p.visibilities.get(version.id) ?? false }));
  }
  if (expand.has('category_links')) out.category_links = [];
  if (expand.has('image_links')) out.image_links = [];
  if (expand.has('brand')) {
    // The fivetran connector notes an empty to-one relation comes back as [] (§5.4), seen on brand.
    const brandId = p.extras?.brand_id;
    const brand = typeof brandId === 'number' ? store.brands.get(brandId) : undefined;
    out.brand = brand ? renderBrand(brand) : [];
  }
  if (expand.has('variations') || expand.has('variations.stock_item')) {
    const sub = expand.has('variations.stock_item') ? VARIATION_STOCK : NOTHING;
    out.variations = p.variationIds.flatMap((id) => {
      const v = store.variations.get(id);
      return v ? [renderVariation(store, v, sub)] : [];
    });
  }
  if (expand.has('stock_item')) {
    const item = p.stockItemId === null ? undefined : store.stockItems.get(p.stockItemId);
    out.stock_item = item ? renderStockItem(store, item) : null;
  }
  return out;
}

export function renderStockChange(c: StockChangeRec): Record<string, unknown> {
  return {
    id: c.id,
    changed_at: formatInstant(c.changedAt),
    user_id: c.userId,
    source_type: c.sourceType,
    source_id: c.sourceId,
    stock_item_id: c.stockItemId,
    quantity: c.quantity,
    quantity_change: c.quantityChange,
  };
}

function renderTaxRows(rows: TaxRow[]): Array<Record<string, number>> {
  return rows.map((row) => ({
    tax_rate: vatRateToNumber(row.rate),
    total: centsToNumber(row.total),
    total_tax: centsToNumber(row.tax),
    total_without_tax: centsToNumber(row.net),
  }));
}

export function renderTaxSummary(t: TaxSummary): Record<string, unknown> {
  return {
    subtotal: renderTaxRows(t.subtotal),
    discount: renderTaxRows(t.discount),
    shipping_costs: renderTaxRows(t.shipping_costs),
    payment_costs: renderTaxRows(t.payment_costs),
    total: renderTaxRows(t.total),
  };
}

function renderLine(order: OrderRec, line: OrderLineRec, withReasons: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: line.id,
    created_at: formatInstant(line.createdAt),
    updated_at: formatInstant(line.updatedAt),
    delivered_at: at(line.deliveredAt),
    order_id: order.id,
    product_id: line.productId,
    variation_id: line.variationId,
    product_code: line.productCode,
    product_name: line.productName,
    model_name: line.modelName,
    quantity: line.quantity,
    unit_price: centsToNumber(line.unitPrice),
    purchase_price: line.purchasePrice === null ? null : centsToNumber(line.purchasePrice),
    vat_rate: vatRateToNumber(line.vatRate),
    ...line.other,
  };
  if (withReasons) out.return_reasons = line.returnReasons;
  return out;
}

export function renderOrder(o: OrderRec, expand: Expands): Record<string, unknown> {
  const other = o.other;
  const out: Record<string, unknown> = {
    id: o.id,
    created_at: formatInstant(o.createdAt),
    updated_at: formatInstant(o.updatedAt),
    archived_at: at(o.archivedAt),
    external_id: other.external_id,
    version_id: o.versionId,
    language: o.language,
    customer_id: other.customer_id,
    customer_external_id: other.customer_external_id,
    shipping_method_id: o.shippingMethodId,
    payment_method_id: o.paymentMethodId,
    customer_information: other.customer_information,
    shipping_address: other.shipping_address,
    different_shipping_address: other.different_shipping_address,
    subtotal: centsToNumber(o.subtotal),
    shipping_costs: centsToNumber(o.shippingCosts),
    payment_costs: centsToNumber(o.paymentCosts),
    discount: centsToNumber(o.discount),
    total: centsToNumber(o.total),
    status: o.status,
    details: other.details,
    receipt_url: other.receipt_url,
    return_document_url: other.return_document_url,
    dispatch_note_url: other.dispatch_note_url,
    custom_data: other.custom_data,
  };
  if (expand.has('products') || expand.has('products.return_reasons')) {
    const withReasons = expand.has('products.return_reasons');
    out.products = o.lines.map((line) => renderLine(o, line, withReasons));
  }
  if (expand.has('payments')) out.payments = o.payments;
  if (expand.has('shipments')) out.shipments = o.shipments;
  if (expand.has('tax_summary')) out.tax_summary = renderTaxSummary(o.taxSummary);
  if (expand.has('comments')) out.comments = o.comments;
  if (expand.has('events')) out.events = o.events;
  return out;
}

export function renderMethod(m: MethodRec): Record<string, unknown> {
  return {
    id: m.id,
    created_at: formatInstant(m.createdAt),
    updated_at: formatInstant(m.updatedAt),
    name: m.name,
    ...m.details,
    sort: m.details.sort ?? m.id,
  };
}

export function renderVersion(v: VersionRec): Record<string, unknown> {
  return { id: v.id, name: v.name, language: v.language, contact: { ...v.contact } };
}

export function renderWebhook(w: WebhookRec): Record<string, unknown> {
  return { uuid: w.uuid, user_id: w.userId, topic: w.topic, expands: [...w.expands], url: w.url };
}
