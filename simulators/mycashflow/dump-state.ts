import { centsToNumber } from '../../src/domain/money.ts';
import type { StockItemRec } from './model.ts';
import {
  productFields,
  renderBrand,
  renderOrder,
  renderStockChange,
  renderWebhook,
  stockSettingsJson,
  variationExtrasJson,
} from './render.ts';
import type { McfStateDocument } from './state-schema.ts';
import type { McfStore } from './store.ts';
import { formatInstant } from './timestamps.ts';

const ALL_ORDER_EXPANDS = new Set([
  'products.return_reasons',
  'payments',
  'shipments',
  'tax_summary',
  'comments',
  'events',
]);

function stockItemDoc(item: StockItemRec | undefined): Record<string, unknown> {
  if (!item) return {};
  return {
    id: item.id,
    quantity: item.quantity,
    reserved: item.reserved,
    enabled: item.enabled,
    ...stockSettingsJson(item),
    created_at: formatInstant(item.createdAt),
    updated_at: formatInstant(item.updatedAt),
  };
}

/**
 * The whole state as a document with every default written out, so that PUTting it back gives the same
 * store. Only the id sequences are not kept: they restart after the highest id present.
 */
export function dumpState(store: McfStore): McfStateDocument {
  const versions = store.versions.list();
  return {
    store: { ...store.info } as McfStateDocument['store'],
    quirks: { ...store.quirks },
    api_users: store.apiUsers.map((u) => ({ id: u.id, email: u.email, api_key: u.apiKey })),
    versions: versions.map((v) => ({
      id: v.id,
      name: v.name,
      language: v.language,
      contact: { ...v.contact },
    })),
    payment_methods: store.paymentMethods.list().map((m) => ({
      id: m.id,
      name: m.name,
      ...m.details,
      created_at: formatInstant(m.createdAt),
      updated_at: formatInstant(m.updatedAt),
    })),
    shipping_methods: store.shippingMethods.list().map((m) => ({
      id: m.id,
      name: m.name,
      ...m.details,
      created_at: formatInstant(m.createdAt),
      updated_at: formatInstant(m.updatedAt),
    })),
    brands: store.brands.list().map((b) => renderBrand(b)),
    products: store.products.list().map((p) => {
      const doc: Record<string, unknown> = {
        id: p.id,
        ...productFields(p),
        visibilities: versions.map((v) => ({
          version_id: v.id,
          is_visible: p.visibilities.get(v.id) ?? false,
        })),
      };
      doc.stock_item = p.stockItemId === null ? null : stockItemDoc(store.stockItems.get(p.stockItemId));
      doc.variations = p.variationIds.flatMap((id) => {
        const v = store.variations.get(id);
        if (!v) return [];
        return [
          {
            id: v.id,
            product_code: v.productCode,
            name: v.name,
            price: centsToNumber(v.price),
            purchase_price: centsToNumber(v.purchasePrice),
            weight: v.weight,
            ...variationExtrasJson(v),
            stock_item: stockItemDoc(store.stockItems.get(v.stockItemId)),
            created_at: formatInstant(v.createdAt),
            updated_at: formatInstant(v.updatedAt),
          },
        ];
      });
      doc.created_at = formatInstant(p.createdAt);
      doc.updated_at = formatInstant(p.updatedAt);
      return doc;
    }),
    orders: store.orders.list().map((o) => {
      const { products: lines, ...rest } = renderOrder(o, ALL_ORDER_EXPANDS);
      return { ...rest, products: lines } as NonNullable<McfStateDocument['orders']>[number];
    }),
    webhooks: store.webhooks.map(
      (w) => renderWebhook(w) as NonNullable<McfStateDocument['webhooks']>[number],
    ),
    stock_changes: store.stockChanges
      .list()
      .map((c) => renderStockChange(c) as NonNullable<McfStateDocument['stock_changes']>[number]),
  } as McfStateDocument;
}
