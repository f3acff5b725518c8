import { beforeAll, describe, expect, it } from 'vitest';
import {
  addCents,
  cents,
  centsFromNumber,
  multiplyCents,
  splitGross,
  vatRateFromNumber,
  type Cents,
} from '../../src/domain/money.ts';
import { isValidBusinessId } from '../../simulators/demo/check-digits.ts';
import {
  createOrderStream,
  generateDemoScenario,
  type DemoScenario,
  type McfOrder,
  type McfTaxRow,
} from '../../simulators/demo/index.ts';

const money = (n: number): Cents => centsFromNumber(n);
const sum = (rows: readonly McfTaxRow[], key: 'total' | 'total_tax' | 'total_without_tax'): Cents =>
  addCents(cents(0), ...rows.map((r) => money(r[key])));

let demo: DemoScenario;
let orders: McfOrder[];
beforeAll(() => {
  demo = generateDemoScenario({ products: 2000, orders: 3000 });
  orders = demo.mycashflow.orders;
});

describe('demo orders: arithmetic to the cent', () => {
  it('adds up subtotal and total: total = subtotal + shipping + payment − discount', () => {
    for (const o of orders) {
      const subtotal = addCents(
        cents(0),
        ...o.products.map((l) => multiplyCents(money(l.unit_price), l.quantity)),
      );
      expect(money(o.subtotal), `order ${o.id}`).toBe(subtotal);
      const total = addCents(
        subtotal,
        money(o.shipping_costs),
        money(o.payment_costs),
        cents(-money(o.discount)),
      );
      expect(money(o.total), `order ${o.id}`).toBe(total);
      expect(money(o.discount)).toBeGreaterThanOrEqual(0);
      expect(money(o.discount)).toBeLessThan(subtotal);
    }
  });

  it('splits every tax_summary row with round(gross × rate ÷ (100 + rate)) and keeps net + VAT = gross', () => {
    for (const o of orders) {
      const s = o.tax_summary;
      for (const row of [...s.subtotal, ...s.discount, ...s.shipping_costs, ...s.payment_costs]) {
        const split = splitGross(money(row.total), vatRateFromNumber(row.tax_rate));
        expect([money(row.total_tax), money(row.total_without_tax)], `order ${o.id}`).toEqual([
          split.vat,
          split.net,
        ]);
      }
      for (const row of s.total) {
        expect(addCents(money(row.total_tax), money(row.total_without_tax))).toBe(money(row.total));
      }
    }
  });

  it('has one subtotal row per rate of the lines, with the lines’ gross sum', () => {
    for (const o of orders) {
      const byRate = new Map<number, Cents>();
      for (const l of o.products) {
        byRate.set(
          l.vat_rate,
          addCents(byRate.get(l.vat_rate) ?? cents(0), multiplyCents(money(l.unit_price), l.quantity)),
        );
      }
      const rates = [...byRate.keys()].sort((a, b) => b - a);
      expect(o.tax_summary.subtotal.map((r) => r.tax_rate)).toEqual(rates);
      for (const row of o.tax_summary.subtotal) expect(money(row.total)).toBe(byRate.get(row.tax_rate));
      expect(sum(o.tax_summary.subtotal, 'total')).toBe(money(o.subtotal));
    }
  });

  it('splits a discount over the rates in proportion to their subtotals, the parts adding up exactly', () => {
    const discounted = orders.filter((o) => o.discount > 0);
    expect(discounted.some((o) => o.tax_summary.discount.length > 1)).toBe(true);
    for (const o of discounted) {
      const d = money(o.discount);
      const subtotal = money(o.subtotal);
      expect(sum(o.tax_summary.discount, 'total')).toBe(d);
      expect(o.tax_summary.discount.map((r) => r.tax_rate)).toEqual(
        o.tax_summary.subtotal.map((r) => r.tax_rate),
      );
      o.tax_summary.discount.forEach((row, i) => {
        const share = money(o.tax_summary.subtotal[i]?.total ?? 0);
        // Within one cent of the exact proportion: |part × subtotal − discount × share| < subtotal.
        const gap = BigInt(money(row.total)) * BigInt(subtotal) - BigInt(d) * BigInt(share);
        expect((gap < 0n ? -gap : gap) < BigInt(subtotal)).toBe(true);
      });
    }
    for (const o of orders.filter((x) => x.discount === 0)) expect(o.tax_summary.discount).toEqual([]);
  });

  it('puts shipping and payment costs at 25.5 % and totals each rate column by column', () => {
    for (const o of orders) {
      const s = o.tax_summary;
      expect(sum(s.shipping_costs, 'total')).toBe(money(o.shipping_costs));
      expect(sum(s.payment_costs, 'total')).toBe(money(o.payment_costs));
      for (const row of [...s.shipping_costs, ...s.payment_costs]) expect(row.tax_rate).toBe(25.5);
      const rates = new Set([...s.subtotal, ...s.shipping_costs, ...s.payment_costs].map((r) => r.tax_rate));
      expect(s.total.map((r) => r.tax_rate)).toEqual([...rates].sort((a, b) => b - a));
      for (const row of s.total) {
        for (const key of ['total', 'total_tax', 'total_without_tax'] as const) {
          const at = (rows: readonly McfTaxRow[]) =>
            sum(
              rows.filter((r) => r.tax_rate === row.tax_rate),
              key,
            );
          const expected = addCents(
            at(s.subtotal),
            at(s.shipping_costs),
            at(s.payment_costs),
            cents(-at(s.discount)),
          );
          expect(money(row[key]), `order ${o.id} ${key} at ${row.tax_rate}`).toBe(expected);
        }
      }
      expect(sum(s.total, 'total')).toBe(money(o.total));
    }
  });

  it('covers 25.5, 14 and 10 % lines, mixed-rate orders, and discounts on mixed-rate orders', () => {
    const rates = new Set(orders.flatMap((o) => o.products.map((l) => l.vat_rate)));
    expect([...rates].sort()).toEqual([10, 14, 25.5]);
    const mixed = orders.filter((o) => o.tax_summary.subtotal.length > 1);
    expect(mixed.length).toBeGreaterThan(100);
    expect(mixed.filter((o) => o.discount > 0).length).toBeGreaterThan(10);
    expect(orders.some((o) => o.tax_summary.subtotal.length === 3)).toBe(true);
  });
});

describe('demo orders: consistency with the store', () => {
  it('names only products and variations that exist in the store, at the store’s price', () => {
    const products = new Map(demo.mycashflow.products.map((p) => [p.id, p]));
    for (const o of orders) {
      for (const line of o.products) {
        const product = products.get(line.product_id);
        expect(product, `line ${line.id}`).toBeDefined();
        if (!product) continue;
        expect(line.product_name).toBe(product.name);
        expect(line.vat_rate).toBe(product.vat_rate);
        if (line.variation_id === null) {
          expect(product.variations).toEqual([]);
          expect([line.product_code, line.unit_price, line.model_name]).toEqual([
            product.product_code,
            product.price,
            null,
          ]);
        } else {
          const v = product.variations.find((x) => x.id === line.variation_id);
          expect(v, `line ${line.id}`).toBeDefined();
          expect([line.product_code, line.unit_price, line.model_name]).toEqual([
            v?.product_code,
            v?.price,
            v?.name,
          ]);
        }
        expect([1, 2, 3]).toContain(line.quantity);
      }
      expect(o.products.length >= 1 && o.products.length <= 4).toBe(true);
      const version = demo.mycashflow.versions.find((v) => v.id === o.version_id);
      expect(o.language).toBe(version?.language);
    }
  });

  it('names only codes NetBaron knows', () => {
    const nbCodes = new Set(demo.netbaron.products.map((p) => p.ProductCode));
    for (const o of orders)
      for (const line of o.products) expect(nbCodes.has(line.product_code), line.product_code).toBe(true);
  });

  it('reserves in the store exactly what the open orders ask for', () => {
    const wanted = new Map<string, number>();
    for (const o of orders)
      for (const l of o.products) wanted.set(l.product_code, (wanted.get(l.product_code) ?? 0) + l.quantity);
    let reserved = 0;
    for (const p of demo.mycashflow.products) {
      const items =
        p.variations.length > 0 ? p.variations : [{ product_code: p.product_code, stock_item: p.stock_item }];
      for (const item of items) {
        expect(item.stock_item?.reserved ?? 0).toBe(wanted.get(item.product_code) ?? 0);
        reserved += item.stock_item?.reserved ?? 0;
      }
    }
    expect(reserved).toBe([...wanted.values()].reduce((a, b) => a + b, 0));
  });

  it('numbers orders from 10001 and lines uniquely, in time order with the +02:00 offset', () => {
    expect(orders.map((o) => o.id)).toEqual(orders.map((_, i) => 10001 + i));
    const lineIds = orders.flatMap((o) => o.products.map((l) => l.id));
    expect(new Set(lineIds).size).toBe(lineIds.length);
    let previous = Date.parse('2026-11-01T09:00:00+02:00');
    for (const o of orders) {
      expect(o.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+02:00$/);
      const created = Date.parse(o.created_at);
      expect(created).toBeGreaterThan(previous);
      expect(Date.parse(o.updated_at)).toBeGreaterThanOrEqual(created);
      expect(o.status).toBe('open');
      previous = created;
    }
  });
});

describe('demo orders: customers and methods', () => {
  const share = (pred: (o: McfOrder) => boolean): number => orders.filter(pred).length / orders.length;

  it('keeps Klarna, which NetBaron does not know, rare', () => {
    expect(share((o) => o.payment_method_id === 4)).toBeGreaterThan(0.015);
    expect(share((o) => o.payment_method_id === 4)).toBeLessThan(0.05);
  });

  it('charges the invoice fee with Lasku only, and no shipping for pickup', () => {
    for (const o of orders) {
      expect(o.payment_costs).toBe(o.payment_method_id === 2 ? 2.9 : 0);
      if (o.shipping_method_id === 3) expect(o.shipping_costs).toBe(0);
      if (o.shipping_method_id === 1) expect([0, 5.9]).toContain(o.shipping_costs);
    }
    expect(share((o) => o.shipping_method_id === 1 && o.shipping_costs === 0)).toBeGreaterThan(0);
  });

  it('has about 15 % business customers, each with a valid Business ID', () => {
    const b2b = orders.filter((o) => o.customer_information.company !== null);
    expect(b2b.length / orders.length).toBeGreaterThan(0.11);
    expect(b2b.length / orders.length).toBeLessThan(0.19);
    for (const o of b2b)
      expect(
        isValidBusinessId(o.customer_information.vat_code ?? ''),
        o.customer_information.vat_code ?? '',
      ).toBe(true);
    for (const o of orders.filter((x) => x.customer_information.company === null)) {
      expect(o.customer_information.vat_code).toBeNull();
    }
  });

  it('ships about one order in five elsewhere, and otherwise to the billing address', () => {
    expect(share((o) => o.different_shipping_address)).toBeGreaterThan(0.16);
    expect(share((o) => o.different_shipping_address)).toBeLessThan(0.24);
    for (const o of orders) {
      const { vat_code: _vat, ...billing } = o.customer_information;
      expect(o.shipping_address).not.toHaveProperty('vat_code');
      if (o.different_shipping_address) expect(o.shipping_address).not.toEqual(billing);
      else expect(o.shipping_address).toEqual(billing);
      expect(o.customer_information.country).toBe('FI');
      expect(o.customer_information.postal_code).toMatch(/^\d{5}$/);
      expect(o.customer_information.email).toMatch(/^[a-z0-9.]+@[a-z0-9.]+$/);
      expect(o.customer_information.phone).toMatch(/^\+358\d{9}$/);
    }
  });

  it('gives about one order in ten a small discount, and takes some from the Swedish version', () => {
    expect(share((o) => o.discount > 0)).toBeGreaterThan(0.07);
    expect(share((o) => o.discount > 0)).toBeLessThan(0.13);
    expect(share((o) => o.version_id === 2)).toBeGreaterThan(0.05);
    expect(share((o) => o.version_id === 2)).toBeLessThan(0.2);
    const swedish = orders.filter((o) => o.version_id === 2);
    expect(swedish.every((o) => o.language === 'sv')).toBe(true);
  });
});

describe('demo order stream', () => {
  it('gives the state’s orders by index, whatever was asked before, from the final store state', () => {
    const stream = createOrderStream({ seed: 2026, catalog: demo.mycashflow.products });
    expect(stream.orderAt(17)).toEqual(orders[17]);
    expect(stream.orderAt(3)).toEqual(orders[3]);
    expect(stream.nextOrder()).toEqual(orders[0]);
    expect(stream.nextOrder()).toEqual(orders[1]);
  });

  it('continues after the state’s orders, one at a time, with fresh ids', () => {
    const stream = createOrderStream({
      seed: 2026,
      catalog: demo.mycashflow.products,
      startIndex: orders.length,
    });
    const first = stream.nextOrder();
    expect(first.id).toBe(10001 + orders.length);
    const iterated: McfOrder[] = [];
    for (const o of createOrderStream({
      seed: 2026,
      catalog: demo.mycashflow.products,
      startIndex: orders.length,
    })) {
      iterated.push(o);
      if (iterated.length === 3) break;
    }
    expect(iterated[0]).toEqual(first);
    expect(iterated.map((o) => o.id)).toEqual([first.id, first.id + 1, first.id + 2]);
    expect(Date.parse(first.created_at)).toBeGreaterThan(Date.parse(orders.at(-1)?.created_at ?? ''));
  });

  it('depends on the seed and the base date', () => {
    const catalog = demo.mycashflow.products;
    const a = createOrderStream({ seed: 1, catalog }).orderAt(0);
    expect(createOrderStream({ seed: 1, catalog }).orderAt(0)).toEqual(a);
    expect(createOrderStream({ seed: 2, catalog }).orderAt(0)).not.toEqual(a);
    const later = createOrderStream({ seed: 1, catalog, baseDate: '2027-01-15T12:00:00+02:00' }).orderAt(0);
    expect(later.created_at.startsWith('2027-01-15T12:0')).toBe(true);
  });

  it('refuses to invent orders for a catalog with nothing in stock', () => {
    const stream = createOrderStream({ seed: 1, catalog: [] });
    expect(stream.orderable).toBe(0);
    expect(() => stream.orderAt(0)).toThrow(/nothing in stock/);
    expect(() => createOrderStream({ seed: 1, catalog: [], baseDate: 'yesterday' })).toThrow(RangeError);
  });
});
