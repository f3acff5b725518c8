import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSim, startSimServer } from '../../simulators/kit/server.ts';
import {
  createMyCashflowSim,
  type McfStateDocument,
  type MyCashflowSim,
} from '../../simulators/mycashflow/index.ts';

const AUTH = `Basic ${Buffer.from('api@example.com:demo-key').toString('base64')}`;
let clock = new Date('2025-06-01T09:00:00Z');

const state: McfStateDocument = {
  payment_methods: [
    { id: 3, name: 'Lasku' },
    { id: 4, name: 'Paytrail' },
  ],
  shipping_methods: [{ id: 7, name: 'Posti' }],
  products: [
    { id: 1, product_code: 'PIPO', name: 'Pipo', price: 10, vat_rate: 25.5, stock_item: { quantity: 10 } },
    {
      id: 2,
      product_code: 'KAHVI',
      name: 'Kahvi 500 g',
      price: 12.5,
      vat_rate: 14,
      stock_item: { quantity: 10 },
    },
    { id: 3, product_code: 'KIRJA', name: 'Kirja', price: 30, vat_rate: 10, stock_item: { quantity: 10 } },
    {
      id: 4,
      product_code: 'PAITA',
      name: 'Paita',
      price: 19.9,
      variations: [
        { id: 40, product_code: 'PAITA-M', name: 'M', price: 21.9, stock_item: { quantity: 5, reserved: 1 } },
      ],
    },
  ],
  orders: [
    {
      id: 100,
      created_at: '2025-05-01T10:00:00+03:00',
      status: 'completed',
      payment_method_id: 3,
      products: [
        { product_code: 'PIPO', quantity: 3, unit_price: 19.9 },
        { product_code: 'KAHVI-X', product_name: 'Lahja', quantity: 1, unit_price: 4.35 },
      ],
      shipping_costs: 5.9,
    },
    { id: 101, created_at: '2025-05-02T10:00:00+03:00', products: [{ product_code: 'PIPO' }] },
    { id: 102, created_at: '2025-05-03T10:00:00+03:00', status: 'cancelled', products: [] },
  ],
};

interface Json {
  [key: string]: unknown;
}

describe('MyCashflow simulator: orders', () => {
  let sim: RunningSim<MyCashflowSim>;
  beforeEach(async () => {
    clock = new Date('2025-06-01T09:00:00Z');
    sim = await startSimServer(createMyCashflowSim(state, { now: () => clock }));
  });
  afterEach(async () => sim.close());

  const get = async (path: string): Promise<{ status: number; body: Json }> => {
    const response = await fetch(`${sim.url}/api/v1${path}`, {
      headers: { authorization: AUTH, accept: 'application/json' },
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const order = async (id: number, expand = 'products,tax_summary,payments,shipments'): Promise<Json> =>
    (await get(`/orders/${id}?expand=${expand}`)).body.data as Json;

  it('serves an order of the state with gross amounts and an exact tax_summary at 25.5 %', async () => {
    const o = await order(100);
    expect(o).toMatchObject({
      id: 100,
      status: 'completed',
      created_at: '2025-05-01T10:00:00+03:00',
      version_id: 1,
      payment_method_id: 3,
      subtotal: 64.05,
      shipping_costs: 5.9,
      payment_costs: 0,
      discount: 0,
      total: 69.95,
      payments: [],
      shipments: [],
    });
    expect(o.products).toMatchObject([
      {
        order_id: 100,
        product_id: 1,
        product_code: 'PIPO',
        product_name: 'Pipo',
        quantity: 3,
        unit_price: 19.9,
        vat_rate: 25.5,
      },
      {
        order_id: 100,
        product_id: null,
        product_code: 'KAHVI-X',
        product_name: 'Lahja',
        quantity: 1,
        unit_price: 4.35,
        vat_rate: 25.5,
      },
    ]);
    // 64.05 × 25.5 / 125.5 = 13.014… → 13.01; 5.90 × 25.5 / 125.5 = 1.198… → 1.20.
    expect(o.tax_summary).toEqual({
      subtotal: [{ tax_rate: 25.5, total: 64.05, total_tax: 13.01, total_without_tax: 51.04 }],
      discount: [],
      shipping_costs: [{ tax_rate: 25.5, total: 5.9, total_tax: 1.2, total_without_tax: 4.7 }],
      payment_costs: [],
      total: [{ tax_rate: 25.5, total: 69.95, total_tax: 14.21, total_without_tax: 55.74 }],
    });
  });

  it('computes a mixed 25.5 / 14 / 10 % order with a discount to the cent, and reserves its stock', async () => {
    const placed = sim.system.placeOrder({
      payment_method_id: 4,
      products: [
        { product_code: 'PIPO', quantity: 1 },
        { product_code: 'KAHVI', quantity: 2 },
        { product_code: 'KIRJA', quantity: 1 },
      ],
      shipping_costs: 6.9,
      payment_costs: 1.5,
      discount: 5,
      customer_information: {
        first_name: 'Åsa',
        last_name: 'Öhman',
        city: 'Jyväskylä',
        email: 'asa@example.com',
      },
    });
    expect(placed).toMatchObject({
      id: 103,
      status: 'open',
      created_at: '2025-06-01T12:00:00+03:00',
      subtotal: 65,
      discount: 5,
      total: 68.4,
      payment_method_id: 4,
      shipping_method_id: 7,
      customer_information: { first_name: 'Åsa', last_name: 'Öhman', city: 'Jyväskylä', company: null },
    });
    // The discount is spread by gross share (10 : 25 : 30 of 65) in whole cents: 0.77 + 1.92 + 2.31 = 5.00.
    const expected = {
      subtotal: [
        { tax_rate: 25.5, total: 10, total_tax: 2.03, total_without_tax: 7.97 },
        { tax_rate: 14, total: 25, total_tax: 3.07, total_without_tax: 21.93 },
        { tax_rate: 10, total: 30, total_tax: 2.73, total_without_tax: 27.27 },
      ],
      discount: [
        { tax_rate: 25.5, total: 0.77, total_tax: 0.16, total_without_tax: 0.61 },
        { tax_rate: 14, total: 1.92, total_tax: 0.24, total_without_tax: 1.68 },
        { tax_rate: 10, total: 2.31, total_tax: 0.21, total_without_tax: 2.1 },
      ],
      shipping_costs: [{ tax_rate: 25.5, total: 6.9, total_tax: 1.4, total_without_tax: 5.5 }],
      payment_costs: [{ tax_rate: 25.5, total: 1.5, total_tax: 0.3, total_without_tax: 1.2 }],
      total: [
        { tax_rate: 25.5, total: 17.63, total_tax: 3.57, total_without_tax: 14.06 },
        { tax_rate: 14, total: 23.08, total_tax: 2.83, total_without_tax: 20.25 },
        { tax_rate: 10, total: 27.69, total_tax: 2.52, total_without_tax: 25.17 },
      ],
    };
    expect(placed.tax_summary).toEqual(expected);
    const served = await order(103);
    expect(served.tax_summary).toEqual(expected);
    expect(served.payments).toMatchObject([
      { order_id: 103, payment_method_id: 4, amount: 68.4, currency: 'EUR', status: 'OPEN' },
    ]);
    expect(served.shipments).toMatchObject([{ order_id: 103, shipping_method_id: 7, status: 'OPEN' }]);

    // Placing reserves; quantity waits for delivery (§23.12).
    const pipo = (await get('/stock/PIPO')).body.data as Json;
    expect(pipo).toMatchObject({ quantity: 10, reserved: 1, balance: 9 });
    expect(((await get('/stock/KAHVI')).body.data as Json).reserved).toBe(2);
    expect((await get('/stock-changes')).body.data).toEqual([]);
  });

  it('costs follow a rate the order gives, e.g. 14 % shipping on a food order', async () => {
    const placed = sim.system.placeOrder({
      products: [{ product_code: 'KAHVI', quantity: 3 }],
      shipping_costs: 4.9,
      shipping_costs_vat_rate: 14,
    });
    // 37.50 × 14 / 114 = 4.605… → 4.61; 4.90 × 14 / 114 = 0.601… → 0.60.
    expect(placed.tax_summary).toEqual({
      subtotal: [{ tax_rate: 14, total: 37.5, total_tax: 4.61, total_without_tax: 32.89 }],
      discount: [],
      shipping_costs: [{ tax_rate: 14, total: 4.9, total_tax: 0.6, total_without_tax: 4.3 }],
      payment_costs: [],
      total: [{ tax_rate: 14, total: 42.4, total_tax: 5.21, total_without_tax: 37.19 }],
    });
    expect(placed.total).toBe(42.4);
  });

  it('places an order through POST /__sim/orders and refuses an invalid one naming the field', async () => {
    const response = await fetch(`${sim.url}/__sim/orders`, {
      method: 'POST',
      body: JSON.stringify({ products: [{ variation_id: 40, quantity: 2 }] }),
    });
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: Json };
    expect(data).toMatchObject({ id: 103, subtotal: 43.8, total: 43.8 });
    expect(data.products).toMatchObject([
      {
        product_id: 4,
        variation_id: 40,
        product_code: 'PAITA-M',
        product_name: 'Paita',
        model_name: 'M',
        unit_price: 21.9,
      },
    ]);
    expect((await get('/stock/PAITA-M')).body.data as Json).toMatchObject({
      quantity: 5,
      reserved: 3,
      balance: 2,
    });

    for (const [body, field] of [
      [{ products: [{ product_code: 'PAITA' }] }, /products\[0\]\.product_code/],
      [{ products: [{ product_code: 'NOPE' }] }, /products\[0\]\.unit_price/],
      [{ payment_method_id: 99, products: [] }, /payment_method_id/],
      [{ products: [{ product_code: 'PIPO', quantity: 1.5 }] }, /products\[0\]\.quantity/],
    ] as const) {
      const bad = await fetch(`${sim.url}/__sim/orders`, { method: 'POST', body: JSON.stringify(body) });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { message: string }).message).toMatch(field);
    }
  });

  it('lists orders with created_at / updated_at filters, status, sort and expands', async () => {
    clock = new Date('2025-06-02T09:00:00Z');
    sim.system.placeOrder({ products: [{ product_code: 'PIPO' }] });
    const ids = async (query: string): Promise<unknown[]> =>
      ((await get(`/orders?${query}`)).body.data as Json[]).map((o) => o.id);
    expect(await ids('')).toEqual([100, 101, 102, 103]);
    expect(await ids(`created_at-from=${encodeURIComponent('2025-05-02T10:00:00+03:00')}`)).toEqual([
      101, 102, 103,
    ]);
    expect(await ids('created_at-from=2025-05-02T07:00:01Z&created_at-to=2025-05-31')).toEqual([102]);
    expect(await ids('updated_at-from=2025-06-02T00:00:00')).toEqual([103]);
    expect(await ids('status=open')).toEqual([101, 103]);
    expect(await ids('status=completed,cancelled&sort=id-desc')).toEqual([102, 100]);
    expect(await ids('sort=created_at-desc&page_size=2')).toEqual([103, 102]);
    expect((await get('/orders?status=OPEN')).status).toBe(400);

    const plain = (await get('/orders/101')).body.data as Json;
    for (const key of ['products', 'payments', 'shipments', 'tax_summary', 'comments', 'events'])
      expect(plain).not.toHaveProperty(key);
    const full = await order(101, 'products.return_reasons,payments,shipments,tax_summary,comments,events');
    expect(full).toMatchObject({ payments: [], shipments: [], comments: [], events: [] });
    expect((full.products as Json[])[0]).toMatchObject({ return_reasons: [] });
    expect((await get('/orders/9999')).status).toBe(404);
    expect((await get('/orders?expand=stock_item')).status).toBe(400);
  });

  it('serves payment methods, shipping methods and versions with contact fields', async () => {
    const sim2 = await startSimServer(
      createMyCashflowSim({
        store: { name: 'Kahvila' },
        versions: [
          {
            id: 1,
            name: 'Kahvila',
            contact: { company: 'Kahvila Oy', business_id: '1234567-8', city: 'Åbo' },
          },
          { id: 2, name: 'B2B', language: 'en' },
        ],
        payment_methods: [{ name: 'Lasku' }],
        shipping_methods: [{ name: 'Nouto' }],
      }),
    );
    try {
      const read = async (path: string): Promise<unknown> =>
        (
          (await (
            await fetch(`${sim2.url}/api/v1${path}`, {
              headers: { authorization: AUTH, accept: 'application/json' },
            })
          ).json()) as Json
        ).data;
      expect(await read('/versions')).toEqual([
        {
          id: 1,
          name: 'Kahvila',
          language: 'fi',
          contact: {
            company: 'Kahvila Oy',
            business_id: '1234567-8',
            street_address: null,
            postal_code: null,
            city: 'Åbo',
            country: null,
            email: null,
            phone: null,
          },
        },
        {
          id: 2,
          name: 'B2B',
          language: 'en',
          contact: {
            company: null,
            business_id: null,
            street_address: null,
            postal_code: null,
            city: null,
            country: null,
            email: null,
            phone: null,
          },
        },
      ]);
      expect(await read('/versions/2')).toMatchObject({ id: 2, name: 'B2B' });
      expect(await read('/payment-methods')).toMatchObject([{ id: 1, name: 'Lasku' }]);
      expect(await read('/payment-methods/1')).toMatchObject({ id: 1, name: 'Lasku' });
      expect(await read('/shipping-methods/1')).toMatchObject({ id: 1, name: 'Nouto' });
    } finally {
      await sim2.close();
    }
  });
});
