import { createHash } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { centsFromNumber } from '../../src/domain/money.ts';
import { isValidEan13 } from '../../simulators/demo/check-digits.ts';
import {
  generateDemoScenario,
  type DemoScenario,
  type McfProduct,
  type NbProduct,
} from '../../simulators/demo/index.ts';

/** Every code the store sells: products without variations, and each variation. */
function storeSellables(
  products: readonly McfProduct[],
): Map<string, { price: number; purchase: number; quantity: number }> {
  const out = new Map<string, { price: number; purchase: number; quantity: number }>();
  for (const p of products) {
    if (p.variations.length === 0) {
      out.set(p.product_code, {
        price: p.price,
        purchase: p.purchase_price,
        quantity: p.stock_item?.quantity ?? -1,
      });
    }
    for (const v of p.variations) {
      out.set(v.product_code, {
        price: v.price,
        purchase: v.purchase_price,
        quantity: v.stock_item.quantity,
      });
    }
  }
  return out;
}

function allStoreCodes(products: readonly McfProduct[]): string[] {
  return products.flatMap((p) => [p.product_code, ...p.variations.map((v) => v.product_code)]);
}

const differs = (nb: NbProduct, s: { price: number; purchase: number; quantity: number }): boolean =>
  nb.SalesPriceVatIncluded !== s.price || nb.PurchasePrice !== s.purchase || nb.Quantity !== s.quantity;

let demo: DemoScenario;
beforeAll(() => {
  demo = generateDemoScenario({ products: 2000 });
});
afterEach(() => vi.restoreAllMocks());

describe('demo scenario: determinism', () => {
  it('gives byte-identical JSON for the same seed and size, and different JSON for another seed', () => {
    const a = JSON.stringify(generateDemoScenario({ products: 300, seed: 5 }));
    const b = JSON.stringify(generateDemoScenario({ products: 300, seed: 5 }));
    const c = JSON.stringify(generateDemoScenario({ products: 300, seed: 6 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('draws on neither Math.random nor the clock', () => {
    const random = vi.spyOn(Math, 'random');
    const now = vi.spyOn(Date, 'now');
    generateDemoScenario({ products: 200 });
    expect(random).not.toHaveBeenCalled();
    expect(now).not.toHaveBeenCalled();
  });

  it('matches the recorded fingerprint, so a change of output is a deliberate one', () => {
    // Update this digest when the vocabulary or the rules change on purpose; an unexplained change
    // means the generator lost its determinism (e.g. came to depend on the clock or on iteration order).
    const json = JSON.stringify(generateDemoScenario({ products: 150, orders: 20, seed: 1 }));
    expect(createHash('sha256').update(json).digest('hex')).toBe(
      'b3cf2d26293eaeb8f617836c48014ba167f18ddffbfd755f99095b0814f56234',
    );
  });

  it('extends a smaller catalog: the first products of a larger one are the same', () => {
    const small = generateDemoScenario({ products: 250, orders: 0 });
    const large = generateDemoScenario({ products: 600, orders: 0 });
    expect(large.netbaron.products.slice(0, small.netbaron.products.length)).toEqual(small.netbaron.products);
    expect(large.mycashflow.products.slice(0, small.mycashflow.products.length)).toEqual(
      small.mycashflow.products,
    );
  });

  it('refuses sizes and seeds that are not whole numbers', () => {
    expect(() => generateDemoScenario({ products: -1 })).toThrow(RangeError);
    expect(() => generateDemoScenario({ products: 10, orders: 1.5 })).toThrow(RangeError);
    expect(() => generateDemoScenario({ products: 10, seed: 0.5 })).toThrow(RangeError);
  });
});

describe('demo scenario: sizes and fixed parts', () => {
  it('handles empty and tiny catalogs', () => {
    const empty = generateDemoScenario({ products: 0 });
    expect(empty.mycashflow.products).toEqual([]);
    expect(empty.netbaron.products).toEqual([]);
    expect(empty.mycashflow.orders).toEqual([]);
    for (let n = 1; n <= 12; n++) expect(() => generateDemoScenario({ products: n })).not.toThrow();
  });

  it('writes 73 of every 100 catalog products to the store and defaults to one order per ten products', () => {
    expect(demo.mycashflow.products).toHaveLength(1460);
    expect(demo.mycashflow.orders).toHaveLength(200);
    // Each product is one NetBaron code, or one per size; 98 of 100 are in NetBaron.
    expect(demo.netbaron.products.length).toBeGreaterThan(1960);
    expect(demo.netbaron.products.length).toBeLessThan(1960 * 2);
    expect(generateDemoScenario({ products: 50, orders: 7 }).mycashflow.orders).toHaveLength(7);
  });

  it('has the store, its versions and methods, and a NetBaron organisation without Klarna', () => {
    const m = demo.mycashflow;
    expect(m.store).toEqual({ name: 'Pohjolan Puoti', plan: 'advanced' });
    expect(m.api_users[0]?.email).toBe('api@pohjolanpuoti.fi');
    expect(m.versions.map((v) => [v.id, v.name, v.language])).toEqual([
      [1, 'Suomi', 'fi'],
      [2, 'Sverige', 'sv'],
    ]);
    expect(Object.values(m.versions[0]?.contact ?? {}).every((v) => v === null)).toBe(true);
    expect(m.versions[1]?.contact.email).toMatch(/@/);
    expect(m.versions[1]?.contact.company).toBeTruthy();
    expect(m.versions[1]?.contact.street_address).toBeNull();
    expect(m.payment_methods.map((p) => p.name)).toEqual(['Paytrail', 'Lasku', 'MobilePay', 'Klarna']);
    expect(m.shipping_methods.map((s) => s.name)).toEqual([
      'Posti Paketti',
      'Matkahuolto Lähellä-paketti',
      'Nouto myymälästä',
    ]);
    expect(m.webhooks).toEqual([]);
    const n = demo.netbaron;
    expect(n.organisation).toBe('pohjolan-puoti');
    expect(n.modules.products.interface).toBe(1);
    expect(n.modules.products.password).not.toBe(n.modules.salesorder.password);
    expect(n.marketplaces).toEqual([
      { Id: '3', Name: 'Verkkokauppa' },
      { Id: '5', Name: 'B2B-kauppa' },
    ]);
    expect(n.payment_methods).toEqual(['Paytrail', 'Lasku', 'MobilePay']);
    expect(n.sales_orders).toEqual([]);
  });
});

describe('demo scenario: codes and barcodes', () => {
  it('keeps product codes unique across products and variations in the store, and in NetBaron', () => {
    const storeCodes = allStoreCodes(demo.mycashflow.products);
    expect(new Set(storeCodes).size).toBe(storeCodes.length);
    const nbCodes = demo.netbaron.products.map((p) => p.ProductCode);
    expect(new Set(nbCodes).size).toBe(nbCodes.length);
  });

  it('gives every NetBaron product a valid, unique Finnish EAN-13 that is not its code', () => {
    const eans = demo.netbaron.products.map((p) => p.EAN);
    for (const p of demo.netbaron.products) {
      expect(isValidEan13(p.EAN), p.EAN).toBe(true);
      expect(p.EAN.startsWith('64')).toBe(true);
      expect(p.EAN).not.toBe(p.ProductCode);
    }
    expect(new Set(eans).size).toBe(eans.length);
  });

  it('keeps one NetBaron code per size, and never the parent code of a product with variations', () => {
    const nbCodes = new Set(demo.netbaron.products.map((p) => p.ProductCode));
    const withVariations = demo.mycashflow.products.filter((p) => p.variations.length > 0);
    expect(withVariations.length).toBeGreaterThan(100);
    for (const p of withVariations) {
      expect(p.stock_item).toBeNull();
      expect(p.variations.map((v) => v.name)).toEqual(['S', 'M', 'L', 'XL']);
      expect(nbCodes.has(p.product_code)).toBe(false);
      for (const v of p.variations) {
        expect(v.product_code).toBe(`${p.product_code}-${v.name}`);
        expect(nbCodes.has(v.product_code), v.product_code).toBe(true);
      }
    }
    for (const p of demo.mycashflow.products.filter((x) => x.variations.length === 0)) {
      expect(p.stock_item).not.toBeNull();
    }
  });
});

describe('demo scenario: realistic values', () => {
  it('uses the three Finnish VAT rates, with food at 14 % and books at 10 %', () => {
    const rates = new Set(demo.netbaron.products.map((p) => p.VatPercent));
    expect([...rates].sort()).toEqual([10, 14, 25.5]);
    for (const p of demo.netbaron.products) {
      if (/kirja|opas|pokkari|äänikirja/.test(p.Name) && p.ProductCode.startsWith('KI-'))
        expect(p.VatPercent).toBe(10);
      if (/^(HJ|MA|ME|PS|KA|TE)-/.test(p.ProductCode)) expect(p.VatPercent).toBe(14);
    }
  });

  it('writes exact amounts with retail endings, purchase prices below the price, and sensible weights and stock', () => {
    const packageTypes = new Set(['XS', 'S', 'M', 'L', 'XL', 'pallet']);
    for (const p of demo.netbaron.products) {
      const price = centsFromNumber(p.SalesPriceVatIncluded);
      const purchase = centsFromNumber(p.PurchasePrice);
      expect([0, 45, 50, 90, 95]).toContain(price % 100);
      expect(purchase).toBeGreaterThan(0);
      expect(purchase).toBeLessThan(price);
      expect(p.Weight).toBeGreaterThan(0);
      expect(String(p.Weight)).toMatch(/^\d+(\.\d{1,3})?$/);
      expect(packageTypes.has(p.PackageType)).toBe(true);
      expect(Number.isInteger(p.Quantity) && p.Quantity >= 0 && p.Quantity <= 250).toBe(true);
      expect(p.Description.length).toBeGreaterThan(20);
      expect(p.AdditionalInformation.length).toBeGreaterThan(20);
    }
    for (const p of demo.mycashflow.products) {
      centsFromNumber(p.price);
      centsFromNumber(p.purchase_price);
      expect(p.visibilities.map((v) => v.version_id)).toEqual([1, 2]);
    }
  });

  it('speaks Finnish: ä, ö and å in names and texts', () => {
    const text = demo.netbaron.products
      .map((p) => `${p.Name} ${p.Description} ${p.AdditionalInformation}`)
      .join('\n');
    expect(text).toMatch(/ä/);
    expect(text).toMatch(/ö/);
    expect(text).toMatch(/[åÅ]/);
    const names = demo.netbaron.products.map((p) => p.Name);
    expect(names.filter((n) => /[äöåÄÖÅ]/.test(n)).length / names.length).toBeGreaterThan(0.2);
    expect(names.some((n) => n.startsWith('Kahvikuppi ') || n.startsWith('Muki '))).toBe(true);
  });
});

describe('demo scenario: how the two sides relate', () => {
  it('has every store variation code in NetBaron', () => {
    const nbCodes = new Set(demo.netbaron.products.map((p) => p.ProductCode));
    for (const p of demo.mycashflow.products)
      for (const v of p.variations) expect(nbCodes.has(v.product_code)).toBe(true);
  });

  it('gives an import real work in the intended shares', () => {
    const store = storeSellables(demo.mycashflow.products);
    const web = demo.netbaron.products.filter((p) => p.Marketplaces.includes('3'));
    const live = web.filter((p) => !p.Deleted);
    const existing = live.filter((p) => store.has(p.ProductCode));
    const fresh = live.filter((p) => !store.has(p.ProductCode));
    const deleted = web.filter((p) => p.Deleted);
    const b2bOnly = demo.netbaron.products.filter((p) => !p.Marketplaces.includes('3'));

    expect(existing.length / web.length).toBeGreaterThan(0.65);
    expect(existing.length / web.length).toBeLessThan(0.82);
    expect(fresh.length / web.length).toBeGreaterThan(0.15);
    expect(fresh.length / web.length).toBeLessThan(0.32);
    expect(deleted.length / web.length).toBeGreaterThan(0.008);
    expect(deleted.length / web.length).toBeLessThan(0.04);
    expect(deleted.some((p) => store.has(p.ProductCode))).toBe(true);
    expect(deleted.some((p) => !store.has(p.ProductCode))).toBe(true);
    expect(b2bOnly.length / demo.netbaron.products.length).toBeGreaterThan(0.004);
    expect(b2bOnly.length / demo.netbaron.products.length).toBeLessThan(0.025);
    expect(b2bOnly.every((p) => p.Marketplaces.join() === '5' && !store.has(p.ProductCode))).toBe(true);
    // Some web products are on sale in the B2B marketplace too.
    expect(live.some((p) => p.Marketplaces.includes('5'))).toBe(true);
    // Some of the new ones are sized, and their variations are missing in the store.
    expect(fresh.some((p) => /-(S|M|L|XL)$/.test(p.ProductCode))).toBe(true);
  });

  it('leaves about one in ten store products that NetBaron also sells out of date', () => {
    const nb = new Map(demo.netbaron.products.map((p) => [p.ProductCode, p]));
    const matched = demo.mycashflow.products.filter((p) => {
      const codes = p.variations.length > 0 ? p.variations.map((v) => v.product_code) : [p.product_code];
      return codes.every((code) => nb.get(code)?.Deleted === false);
    });
    const store = storeSellables(demo.mycashflow.products);
    const outOfDate = matched.filter((p) => {
      const codes = p.variations.length > 0 ? p.variations.map((v) => v.product_code) : [p.product_code];
      return codes.some((code) => differs(nb.get(code) as NbProduct, store.get(code) as never));
    });
    expect(outOfDate.length / matched.length).toBeGreaterThan(0.07);
    expect(outOfDate.length / matched.length).toBeLessThan(0.13);
    // Those that are in step have the same name, texts, rate, weight and package type on both sides.
    for (const p of matched.filter((x) => x.variations.length === 0 && !outOfDate.includes(x))) {
      const n = nb.get(p.product_code) as NbProduct;
      expect([n.Name, n.Description, n.AdditionalInformation, n.VatPercent, n.Weight, n.PackageType]).toEqual(
        [p.name, p.description, p.information, p.vat_rate, p.weight, p.parcel_type],
      );
    }
  });

  it('has a small share of store products that NetBaron does not know, hidden so that no order names them', () => {
    const nbCodes = new Set(demo.netbaron.products.map((p) => p.ProductCode));
    const storeOnly = demo.mycashflow.products.filter(
      (p) => !nbCodes.has(p.product_code) && p.variations.length === 0,
    );
    expect(storeOnly.length / demo.mycashflow.products.length).toBeGreaterThan(0.01);
    expect(storeOnly.length / demo.mycashflow.products.length).toBeLessThan(0.05);
    for (const p of storeOnly) expect(p.visibilities.every((v) => !v.is_visible)).toBe(true);
  });
});

describe('demo scenario: scale', () => {
  it('generates 100 000 products with unique codes and barcodes', { timeout: 60_000 }, () => {
    const big = generateDemoScenario({ products: 100_000 });
    expect(big.mycashflow.products).toHaveLength(73_000);
    const nbCodes = big.netbaron.products.map((p) => p.ProductCode);
    expect(new Set(nbCodes).size).toBe(nbCodes.length);
    expect(new Set(big.netbaron.products.map((p) => p.EAN)).size).toBe(nbCodes.length);
    const storeCodes = allStoreCodes(big.mycashflow.products);
    expect(new Set(storeCodes).size).toBe(storeCodes.length);
    expect(big.mycashflow.orders).toHaveLength(1000);
  });
});
