import { describe, expect, inject, it } from 'vitest';
import { nbMarketplaceId, productCode } from '../../src/domain/ids.ts';
import { addCents } from '../../src/domain/money.ts';
import { MyCashflowClient } from '../../src/mycashflow/client.ts';
import {
  orderSchema,
  paymentMethodSchema,
  shippingMethodSchema,
  stockChangeSchema,
  variationSchema,
  versionSchema,
  webhookSchema,
  type McfOrder,
  type McfProduct,
} from '../../src/mycashflow/schemas.ts';
import { NetBaronClient } from '../../src/netbaron/client.ts';

/*
 * Read-only calls of both clients with full response validation (an invalid item fails the test). The
 * same file runs against the simulators by default and against a real test store or NetBaron test
 * organisation when the CONTRACT_* variables name them: it never writes.
 */

const targets = inject('contractTargets');
const mcf = new MyCashflowClient({
  ...targets.mycashflow,
  pageSize: 50,
  retry: { maxAttempts: 3, baseDelayMs: 200 },
});
const nb = new NetBaronClient({
  ...targets.netbaron,
  pageSize: 50,
  retry: { maxAttempts: 3, baseDelayMs: 200 },
});

async function firstPage<T>(pages: AsyncGenerator<{ items: T[] }>): Promise<T[]> {
  const { value } = await pages.next();
  await pages.return(undefined);
  return value?.items ?? [];
}

describe(`MyCashflow read contract (${targets.source})`, () => {
  it('lists products with variations, stock and visibilities, and reads one', async () => {
    const products = await firstPage(
      mcf.productPages({ expand: ['variations', 'variations.stock_item', 'stock_item', 'visibilities'] }),
    );
    expect(products.length).toBeGreaterThan(0);
    for (const p of products) {
      expect(p.visibilities).toBeDefined();
      for (const item of [p.stock_item, ...(p.variations ?? []).map((v) => v.stock_item)]) {
        if (item) expect(item.balance).toBe(item.quantity - item.reserved);
      }
    }
    const one = await mcf.getProduct(products[0]!.id, ['variations']);
    expect(one.id).toBe(products[0]!.id);
  });

  it('reads stock by product code', async () => {
    const products: McfProduct[] = await firstPage(mcf.productPages({ expand: ['variations'] }));
    const code = products
      .flatMap((p) => (p.variations?.length ? p.variations.map((v) => v.product_code) : [p.product_code]))
      .find(Boolean);
    expect(code).toBeTruthy();
    const stock = await mcf.getStock(productCode(code!));
    expect(stock.code).toBe(code);
  });

  it('lists variations and stock changes', async () => {
    await firstPage(mcf.pages('/variations', 'variation', variationSchema));
    await firstPage(mcf.pages('/stock-changes', 'stock change', stockChangeSchema));
  });

  it('lists orders with lines and a tax summary that adds up to the total', async () => {
    const orders: McfOrder[] = await firstPage(
      mcf.pages('/orders', 'order', orderSchema, {
        expand: ['products', 'tax_summary', 'payments'],
        query: { sort: 'id-desc' },
      }),
    );
    for (const order of orders) {
      expect(order.products).toBeDefined();
      const summary = order.tax_summary!;
      expect(addCents(...summary.total.map((t) => t.total))).toBe(order.total);
      for (const t of summary.total) expect(addCents(t.total_tax, t.total_without_tax)).toBe(t.total);
    }
    if (orders[0]) expect((await mcf.getOrder(orders[0].id, ['products'])).id).toBe(orders[0].id);
  });

  it('lists payment methods, shipping methods, versions and webhooks', async () => {
    expect(
      (await firstPage(mcf.pages('/payment-methods', 'payment method', paymentMethodSchema))).length,
    ).toBeGreaterThan(0);
    await firstPage(mcf.pages('/shipping-methods', 'shipping method', shippingMethodSchema));
    expect((await firstPage(mcf.pages('/versions', 'version', versionSchema))).length).toBeGreaterThan(0);
    await firstPage(mcf.pages('/webhooks', 'webhook', webhookSchema));
  });
});

describe(`NetBaron read contract (${targets.source})`, () => {
  it('lists marketplaces and a page of the chosen marketplace with every flag on', async () => {
    const marketplaces = await nb.listMarketplaces();
    expect(marketplaces.length).toBeGreaterThan(0);
    const marketplace = nbMarketplaceId(targets.netbaron.marketplace ?? marketplaces[0]!.id);
    const products = await firstPage(
      nb.productPages({ marketplace, prices: true, quantity: true, packaging: true, descriptions: true }),
    );
    expect(products.length).toBeGreaterThan(0);
    for (const p of products.filter((x) => !x.deleted)) expect(p.vatRate).toBeDefined();
  });

  it('lists payment methods and answers an unknown order identifier with an empty list', async () => {
    expect((await nb.listPaymentMethods()).length).toBeGreaterThan(0);
    expect(await nb.findSalesOrders('contract-test-no-such-order')).toEqual([]);
  });
});
