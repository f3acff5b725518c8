import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSim, startSimServer } from '../../simulators/kit/server.ts';
import {
  createMyCashflowSim,
  type McfStateDocument,
  mcfStateSchema,
  type MyCashflowSim,
} from '../../simulators/mycashflow/index.ts';

const NOW = new Date('2025-01-15T08:30:00.750Z');
const AUTH = `Basic ${Buffer.from('api@example.com:demo-key').toString('base64')}`;

const rich: McfStateDocument = {
  store: { name: 'Pöllölän Puoti', plan: 'enterprise' },
  api_users: [
    { email: 'erp@example.com', api_key: 'abc' },
    { email: 'api@example.com', api_key: 'demo-key' },
  ],
  versions: [
    { id: 1, name: 'Pöllölä', contact: { company: 'Pöllölä Oy', email: 'myynti@example.com' } },
    { id: 5, name: 'Åland', language: 'sv' },
  ],
  payment_methods: [{ id: 2, name: 'Lasku' }],
  shipping_methods: [{ id: 9, name: 'Matkahuolto' }],
  brands: [{ id: 3, name: 'Pöllölän Paja' }],
  products: [
    {
      id: 4,
      product_code: 'Ä-1',
      name: 'Kynttilä €',
      price: 12.34,
      purchase_price: 5.01,
      vat_rate: 24,
      weight: 0.35,
      parcel_type: 'M',
      brand_id: 3,
      visibilities: [{ version_id: 5, is_visible: false }],
      stock_item: { id: 20, quantity: 7, reserved: 1, enabled: false },
      created_at: '2024-12-01T10:00:00+02:00',
    },
    {
      product_code: 'V',
      name: 'Villasukat',
      variations: [
        { product_code: 'V-38', name: '38' },
        { id: 70, product_code: 'V-40', price: 15 },
      ],
    },
  ],
  orders: [
    {
      products: [
        { product_code: 'V-40', quantity: 2 },
        { product_code: 'Ä-1', quantity: -1, unit_price: 12.34 },
      ],
      discount: 1,
      custom_data: { channel: 'pos' },
      comments: [{ order_id: 1, text: 'Kiitos ☺', visibility: 'public' }],
    },
  ],
  webhooks: [{ uuid: 'fixed-uuid', expands: ['products'], url: 'https://example.com/hook' }],
  stock_changes: [
    { stock_item_id: 20, quantity: 5 },
    { stock_item_id: 20, quantity: 7, source_type: 'order', source_id: 1 },
  ],
};

describe('MyCashflow simulator: state document', () => {
  let sim: RunningSim<MyCashflowSim>;
  beforeEach(async () => {
    sim = await startSimServer(createMyCashflowSim(undefined, { now: () => NOW }));
  });
  afterEach(async () => sim.close());

  const putState = (doc: unknown): Promise<Response> =>
    fetch(`${sim.url}/__sim/state`, { method: 'PUT', body: JSON.stringify(doc) });
  const getState = async (): Promise<McfStateDocument> =>
    (await (await fetch(`${sim.url}/__sim/state`)).json()) as McfStateDocument;

  it('fills every default for an empty document', async () => {
    expect(await getState()).toEqual({
      store: { name: 'Demo Store', plan: 'advanced' },
      quirks: {
        emptyRelationsAsArray: false,
        numbersAsStrings: false,
        longPurchasePrices: false,
        timestampsZulu: false,
        timestampsWithoutOffset: false,
      },
      api_users: [{ id: 1, email: 'api@example.com', api_key: 'demo-key' }],
      versions: [
        {
          id: 1,
          name: 'Demo Store',
          language: 'fi',
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
      ],
      payment_methods: [],
      shipping_methods: [],
      brands: [],
      products: [],
      orders: [],
      webhooks: [],
      stock_changes: [],
    });
  });

  it('fills defaults for a tiny scenario: ids in order, visible everywhere, stock, timestamps now', async () => {
    expect(
      (
        await putState({
          versions: [{ name: 'FI' }, { name: 'SV', language: 'sv' }],
          products: [{ name: 'A' }, { id: 7, name: 'B' }, { name: 'C' }],
        })
      ).status,
    ).toBe(200);
    const doc = await getState();
    expect(doc.products!.map((p) => p.id)).toEqual([1, 7, 8]);
    expect(doc.products![0]).toEqual({
      id: 1,
      product_code: null,
      name: 'A',
      description: '',
      information: '',
      price: 0,
      purchase_price: 0,
      vat_rate: 25.5,
      weight: 0,
      parcel_type: null,
      visibilities: [
        { version_id: 1, is_visible: true },
        { version_id: 2, is_visible: true },
      ],
      stock_item: {
        id: 1,
        quantity: 0,
        reserved: 0,
        enabled: true,
        barcode: null,
        location: null,
        balance_alert: false,
        balance_limit: 0,
        backorder_enabled: false,
        backorder_estimate: null,
        created_at: '2025-01-15T10:30:00+02:00',
        updated_at: '2025-01-15T10:30:00+02:00',
      },
      variations: [],
      created_at: '2025-01-15T10:30:00+02:00',
      updated_at: '2025-01-15T10:30:00+02:00',
    });
  });

  it('round-trips GET → PUT → GET exactly, and the API serves the state', async () => {
    expect((await putState(rich)).status).toBe(200);
    const first = await getState();
    expect(mcfStateSchema.safeParse(first).success).toBe(true);
    expect((await putState(first)).status).toBe(200);
    expect(await getState()).toEqual(first);

    expect(first.orders![0]).toMatchObject({
      id: 1,
      subtotal: 17.66,
      discount: 1,
      total: 16.66,
      custom_data: { channel: 'pos' },
    });
    expect(first.stock_changes).toMatchObject([
      { id: 1, stock_item_id: 20, quantity: 5, quantity_change: 5, source_type: 'api' },
      { id: 2, stock_item_id: 20, quantity: 7, quantity_change: 2, source_type: 'order', source_id: 1 },
    ]);
    expect(first.products![0]!.visibilities).toEqual([
      { version_id: 1, is_visible: true },
      { version_id: 5, is_visible: false },
    ]);
    expect(first.products![1]!.variations!.map((v) => [v.id, v.price, v.stock_item?.id])).toEqual([
      [1, 0, 21],
      [70, 15, 22],
    ]);

    const product = await fetch(`${sim.url}/api/v1/products/4?expand=brand,stock_item`, {
      headers: {
        authorization: `Basic ${Buffer.from('erp@example.com:abc').toString('base64')}`,
        accept: 'application/json',
      },
    });
    expect(((await product.json()) as { data: unknown }).data).toMatchObject({
      name: 'Kynttilä €',
      brand_id: 3,
      brand: { id: 3, name: 'Pöllölän Paja' },
      stock_item: { id: 20, quantity: 7, reserved: 1, balance: 6, enabled: false },
    });
  });

  it('refuses an invalid document with a message naming the field, and keeps the old state', async () => {
    await putState(rich);
    const before = await getState();
    const cases: Array<[unknown, RegExp]> = [
      [{ products: [{ name: 'A', price: 'free' }] }, /products\[0\]\.price/],
      [
        { products: [{ name: 'A', price: 1.005 }] },
        /products\[0\]\.price: must be an amount with at most 2 decimals/,
      ],
      [{ products: [{ id: 1 }, { id: 1 }] }, /products\[1\]\.id: id 1 is already used by products\[0\]/],
      [
        { products: [{ visibilities: [{ version_id: 3, is_visible: true }] }] },
        /products\[0\]\.visibilities\[0\]\.version_id/,
      ],
      [
        { products: [{ stock_item: { quantity: 1 }, variations: [{ name: 'x' }] }] },
        /products\[0\]\.stock_item/,
      ],
      [{ products: [{ brand_id: 4 }] }, /products\[0\]\.brand_id: brand 4 does not exist/],
      [{ store: { plan: 'gold' } }, /store\.plan/],
      [{ orders: [{ products: [{ product_code: 'NOPE' }] }] }, /orders\[0\]\.products\[0\]\.unit_price/],
      [{ prodcts: [] }, /prodcts/],
      [{ webhooks: [{ url: 'mailto:x@example.com' }] }, /webhooks\[0\]\.url/],
    ];
    for (const [doc, message] of cases) {
      const response = await putState(doc);
      expect(response.status, JSON.stringify(doc)).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(message);
    }
    expect(await getState()).toEqual(before);
  });

  it('uses the new state at once, for the API and its credentials', async () => {
    await putState(rich);
    const list = await fetch(`${sim.url}/api/v1/products?expand=variations`, {
      headers: { authorization: AUTH, accept: 'application/json' },
    });
    expect(((await list.json()) as { meta: { item_count: number } }).meta.item_count).toBe(2);
    await putState({ api_users: [{ email: 'other@example.com', api_key: 'x' }] });
    const refused = await fetch(`${sim.url}/api/v1/products`, {
      headers: { authorization: AUTH, accept: 'application/json' },
    });
    expect(refused.status).toBe(401);
  });
});
