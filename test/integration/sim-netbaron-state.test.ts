import { afterEach, describe, expect, it } from 'vitest';
import { startSimServer, type RunningSim } from '../../simulators/kit/server.ts';
import { createNetBaronSim, nbStateSchema, type NetBaronSim } from '../../simulators/netbaron/index.ts';
import { nbFetch, parseXmlText, REFERENCE_ORDER_XML } from '../../simulators/netbaron/testing.ts';
import { cpuTimeOf } from '../helpers/cpu-time.ts';

const NOW = new Date('2025-04-01T08:00:00Z');

let running: RunningSim<NetBaronSim> | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(state?: unknown): Promise<RunningSim<NetBaronSim>> {
  running = await startSimServer(createNetBaronSim(state, { now: () => NOW }));
  return running;
}

async function getState(sim: RunningSim): Promise<unknown> {
  const res = await fetch(`${sim.url}/__sim/state`);
  expect(res.status).toBe(200);
  return res.json();
}

async function putState(
  sim: RunningSim,
  doc: unknown,
): Promise<{ status: number; body: { error?: string } }> {
  const res = await fetch(`${sim.url}/__sim/state`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(doc),
  });
  return { status: res.status, body: (await res.json()) as { error?: string } };
}

describe('NetBaron simulator: the state document', () => {
  it('fills every default for an empty scenario', async () => {
    const sim = await start();
    expect(await getState(sim)).toEqual({
      organisation: 'demo-org',
      modules: {
        products: { password: 'products-secret', interface: 1 },
        salesorder: { password: 'orders-secret', interface: 1 },
      },
      allowed_ips: {},
      marketplaces: [{ Id: '3', Name: 'Verkkokauppa' }],
      payment_methods: ['Paytrail', 'Lasku'],
      service_articles: ['TOIMITUS', 'MAKSUKULU', 'ALENNUS'],
      deleted_retention_days: 30,
      products: [],
      sales_orders: [],
    });
  });

  it('fills the defaults of a product written with its code only', async () => {
    const sim = await start({
      products: [{ ProductCode: 'A' }, { ProductCode: 'B', Deleted: true, Marketplaces: [3] }],
    });
    const state = (await getState(sim)) as { products: unknown[] };
    expect(state.products).toEqual([
      {
        ProductCode: 'A',
        EAN: '',
        Name: '',
        Description: '',
        AdditionalInformation: '',
        VatPercent: 25.5,
        SalesPriceVatIncluded: null,
        PurchasePrice: null,
        Weight: 0,
        PackageType: '',
        Quantity: 0,
        Marketplaces: [],
        Deleted: false,
        LeftMarketplaces: [],
      },
      expect.objectContaining({
        ProductCode: 'B',
        Deleted: true,
        DeletedAt: NOW.toISOString(),
        Marketplaces: ['3'],
      }),
    ]);
  });

  it('reproduces the state from a GET → PUT round trip, orders and bad data included', async () => {
    const sim = await start({
      organisation: 'kauppa-oy',
      modules: { products: { password: ['a', 'b'], interface: 2 } },
      allowed_ips: { salesorder: ['127.0.0.1'] },
      marketplaces: [{ Id: 3, Name: 'Verkkokauppa' }, { Id: '5' }],
      payment_methods: ['Lasku'],
      deleted_retention_days: 7,
      products: [
        {
          ProductCode: 'Z-1',
          Name: 'Tom & Jerry <3',
          Quantity: -1.5,
          VatPercent: 24,
          SalesPriceVatIncluded: null,
        },
        {
          ProductCode: 'A-1',
          Description: 'Pitkä kuvaus äöå €',
          SalesPriceVatIncluded: 19.9,
          Marketplaces: ['5'],
          LeftMarketplaces: [{ Id: '3' }],
        },
        { ProductCode: 'TS-100-M', Deleted: true, DeletedAt: '2025-03-20' },
      ],
    });
    const put = await nbFetch(`${sim.url}/ws/salesorder`, {
      user: 'kauppa-oy',
      password: 'orders-secret',
      method: 'PUT',
      body: REFERENCE_ORDER_XML,
    });
    expect(put.status, put.text).toBe(200);
    const first = await getState(sim);
    expect(
      (first as { products: Array<{ ProductCode: string }> }).products.map((p) => p.ProductCode),
    ).toEqual(['A-1', 'TS-100-M', 'Z-1']);
    expect(first).toMatchObject({
      marketplaces: [
        { Id: '3', Name: 'Verkkokauppa' },
        { Id: '5', Name: 'Marketplace 5' },
      ],
      products: [
        { LeftMarketplaces: [{ Id: '3', At: NOW.toISOString() }] },
        { DeletedAt: '2025-03-20T00:00:00.000Z' },
        { SalesPriceVatIncluded: null, Quantity: -1.5 },
      ],
    });

    // A fresh simulator given that document behaves and reads back the same.
    const other = await startSimServer(
      createNetBaronSim({}, { now: () => new Date('2030-01-01T00:00:00Z') }),
    );
    try {
      expect((await putState(other, first)).status).toBe(200);
      expect(await getState(other)).toEqual(first);
      const again = await nbFetch(`${other.url}/ws/salesorder?OrderIdentifier=10023`, {
        user: 'kauppa-oy',
        password: 'orders-secret',
      });
      expect(again.xml.SalesOrdersResponse).toMatchObject({
        SalesOrders: { SalesOrder: [{ SalesOrderNumber: '50001' }] },
      });
      const next = await nbFetch(`${other.url}/ws/salesorder`, {
        user: 'kauppa-oy',
        password: 'orders-secret',
        method: 'PUT',
        body: REFERENCE_ORDER_XML,
      });
      expect(next.xml.SalesOrderResponse).toMatchObject({ SalesOrderNumber: '50002' });
    } finally {
      await other.close();
    }
    // The schema itself accepts the document it produced.
    expect(nbStateSchema.safeParse(first).success).toBe(true);
  });

  it('refuses an invalid document with 400, naming the field, and keeps the old state', async () => {
    const sim = await start({ products: [{ ProductCode: 'KEEP' }] });
    const cases: Array<[unknown, RegExp]> = [
      [
        { products: [{ ProductCode: 'X', SalesPriceVatIncluded: true }] },
        /products\[0\] \(ProductCode "X"\)\.SalesPriceVatIncluded/,
      ],
      [
        { products: [{ ProductCode: 'X', SalesPriceVatIncluded: 24.999 }] },
        /SalesPriceVatIncluded: a price has at most two decimals/,
      ],
      [{ products: [{ ProductCode: 'X', Price: 1 }] }, /products\[0\] \(ProductCode "X"\).*Price/],
      [{ products: [{ Name: 'no code' }] }, /products\[0\]\.ProductCode/],
      [
        { products: [{ ProductCode: 'X', Marketplaces: ['9'] }] },
        /Marketplaces\[0\]: marketplace "9" is not in marketplaces/,
      ],
      [{ products: [{ ProductCode: 'X', Deleted: true, DeletedAt: 'yesterday' }] }, /DeletedAt/],
      [{ products: [{ ProductCode: 'X', Name: 'bell\u0007' }] }, /Name: holds a character/],
      [{ modules: { products: { password: '' } } }, /modules\.products\.password/],
      [{ modules: { products: { interface: 0 } } }, /modules\.products\.interface/],
      [{ organisation: 42 }, /organisation/],
      [{ deleted_retention_days: -1 }, /deleted_retention_days/],
      [{ sales_orders: [{ InvoiceDetails: {} }] }, /sales_orders\[0\]\.InvoiceDetails\.OrderIdentifier/],
      [
        {
          sales_orders: [
            { InvoiceDetails: { OrderIdentifier: '1' }, SalesOrderNumber: 5 },
            { InvoiceDetails: { OrderIdentifier: '2' }, SalesOrderNumber: '5' },
          ],
        },
        /SalesOrderNumber 5 is used twice/,
      ],
      [{ shop: 'x' }, /shop/],
    ];
    for (const [doc, pattern] of cases) {
      const answer = await putState(sim, doc);
      expect(answer.status, JSON.stringify(doc)).toBe(400);
      expect(answer.body.error).toMatch(pattern);
    }
    expect(sim.system.products().map((p) => p.ProductCode)).toEqual(['KEEP']);
  });

  it('replaces the state through PUT /__sim/state, credentials included', async () => {
    const sim = await start();
    expect(
      (await putState(sim, { organisation: 'uusi', modules: { products: { password: 'p2' } } })).status,
    ).toBe(200);
    expect(
      (await nbFetch(`${sim.url}/ws/products`, { user: 'demo-org', password: 'products-secret' })).status,
    ).toBe(401);
    expect((await nbFetch(`${sim.url}/ws/products`, { user: 'uusi', password: 'p2' })).status).toBe(200);
  });
});

describe('NetBaron simulator: scale', () => {
  it('lists 100 000 products in pages of 1000, in order', async () => {
    const products = Array.from({ length: 100_000 }, (_, i) => ({
      ProductCode: `P${String((i * 7919) % 100_000).padStart(6, '0')}`,
      EAN: String(6_430_000_000_000 + i),
      Name: `Tuote ${i} äö`,
      VatPercent: 25.5,
      SalesPriceVatIncluded: 19.9,
      PurchasePrice: 8.5,
      Weight: 0.25,
      PackageType: 'S',
      Quantity: i % 50,
      Marketplaces: ['3'],
    }));
    const { result: sim, cpuMs: loadMs } = await cpuTimeOf(() => start({ products }));

    let expected = 0;
    let pageCount = Infinity;
    const { cpuMs: listMs } = await cpuTimeOf(async () => {
      for (let page = 1; page <= pageCount; page += 1) {
        const res = await fetch(
          `${sim.url}/ws/products?Marketplace=3&GetPrices=true&GetQuantity=true&GetPackaging=true&GetDescriptions=true&PageSize=1000&Page=${page}`,
          {
            headers: { Authorization: `Basic ${Buffer.from('demo-org:products-secret').toString('base64')}` },
          },
        );
        const text = await res.text();
        expect(res.status).toBe(200);
        pageCount = Number(/<PageCount>(\d+)<\/PageCount>/.exec(text)?.[1]);
        const codes = [...text.matchAll(/<ProductCode>([^<]*)<\/ProductCode>/g)].map((m) => m[1]);
        expect(codes).toHaveLength(1000);
        for (const code of codes) {
          expect(code).toBe(`P${String(expected).padStart(6, '0')}`);
          expected += 1;
        }
      }
    });
    expect(pageCount).toBe(100);
    expect(expected).toBe(100_000);
    // Generous bounds on this process's CPU time, which a busy machine does not inflate as it does the
    // wall clock: they catch an accidental quadratic listing, not a slow machine.
    expect(loadMs).toBeLessThan(15_000);
    expect(listMs).toBeLessThan(20_000);
    // A parser other than the simulator's own reads a full page.
    const last = await nbFetch(`${sim.url}/ws/products?Marketplace=3&PageSize=1000&Page=100`, {
      user: 'demo-org',
      password: 'products-secret',
    });
    expect(parseXmlText(last.text)).toMatchObject({ ProductsResponse: { Page: '100', PageCount: '100' } });
  }, 120_000);
});
