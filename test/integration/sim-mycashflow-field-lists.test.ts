import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcfProductIdSchema } from '../../src/domain/ids.ts';
import { MyCashflowClient } from '../../src/mycashflow/client.ts';
import { type RunningSim, startSimServer } from '../../simulators/kit/server.ts';
import { createMyCashflowSim, type MyCashflowSim } from '../../simulators/mycashflow/index.ts';

/*
 * Payment methods, shipping methods, stock items, brands and variations carry the field lists of the
 * reference (§10.3, §11.2, §12.2, §14, §15), not bare names or ids, so that a client reading them meets
 * the shape the real API serves.
 */

const KEY = 'field-list-key';
const AUTH = `Basic ${Buffer.from(`api@store.example:${KEY}`).toString('base64')}`;

const STATE = {
  store: { name: 'Kenttäkauppa', plan: 'advanced' },
  api_users: [{ email: 'api@store.example', api_key: KEY }],
  payment_methods: [
    { id: 3, name: 'Paytrail', provider: 'paytrail', username: '375917', sort: 2 },
    { id: 4, name: 'Lasku' },
  ],
  shipping_methods: [
    {
      id: 7,
      name: 'Posti',
      type: 'posti',
      service_provider: 'Posti',
      service_code: '2103',
      product_code: 'TOIMITUS',
      tracking_info: 'Seuraa lähetystä: https://www.posti.fi',
      free_shipping_threshold: 79.9,
    },
  ],
  brands: [
    {
      id: 5,
      name: 'Villaväki',
      description: 'Kotimaista villaa',
      seo_title: 'Villaväki-tuotteet',
      template: 'brand-wide',
    },
  ],
  products: [
    { id: 1, product_code: 'PIPO-1', name: 'Pipo', stock_item: { quantity: 4, location: 'A-1' } },
    {
      id: 2,
      product_code: 'SUKKA',
      name: 'Villasukat',
      brand_id: 5,
      variations: [
        { id: 21, product_code: 'SUKKA-38', name: '38', image_id: 9, sort: 2, features: { Koko: '38' } },
        { id: 22, product_code: 'SUKKA-40', name: '40' },
      ],
    },
  ],
};

/** §10.3's brand expand and §11.2's variation fields, in the reference's order. */
const BRAND_KEYS = [
  'id',
  'name',
  'description',
  'seo_title',
  'seo_page_title',
  'seo_meta_description',
  'template',
  'created_at',
  'updated_at',
];
const VARIATION_KEYS = [
  'id',
  'created_at',
  'updated_at',
  'product_id',
  'image_id',
  'sort',
  'name',
  'product_code',
  'price',
  'purchase_price',
  'weight',
  'features',
];

describe('MyCashflow simulator: documented field lists', () => {
  let sim: RunningSim<MyCashflowSim>;
  beforeAll(async () => {
    sim = await startSimServer(createMyCashflowSim(STATE));
  });
  afterAll(async () => sim.close());

  const read = async (path: string): Promise<unknown> => {
    const response = await fetch(`${sim.url}/api/v1${path}`, {
      headers: { authorization: AUTH, accept: 'application/json' },
    });
    expect(response.status, path).toBe(200);
    return ((await response.json()) as { data: unknown }).data;
  };
  const send = (method: string, path: string, body: unknown): Promise<Response> =>
    fetch(`${sim.url}/api/v1${path}`, {
      method,
      headers: { authorization: AUTH, accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('serves a payment method with §14 fields, defaults where the state gives none', async () => {
    expect(await read('/payment-methods')).toEqual([
      {
        id: 3,
        created_at: expect.any(String),
        updated_at: expect.any(String),
        name: 'Paytrail',
        description: '',
        username: '375917',
        product_code: null,
        sort: 2,
        provider: 'paytrail',
      },
      {
        id: 4,
        created_at: expect.any(String),
        updated_at: expect.any(String),
        name: 'Lasku',
        description: '',
        username: null,
        product_code: null,
        sort: 4,
        provider: null,
      },
    ]);
  });

  it('serves a shipping method with §15 fields', async () => {
    expect(await read('/shipping-methods/7')).toEqual({
      id: 7,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      name: 'Posti',
      type: 'posti',
      service_provider: 'Posti',
      service_code: '2103',
      product_code: 'TOIMITUS',
      description: '',
      tracking_info: 'Seuraa lähetystä: https://www.posti.fi',
      free_shipping_threshold: 79.9,
      sort: 7,
    });
  });

  it('serves a stock item with §12.2 settings fields, in the list and through the product expand', async () => {
    const fields = {
      code: 'PIPO-1',
      quantity: 4,
      reserved: 0,
      balance: 4,
      enabled: true,
      barcode: null,
      location: 'A-1',
      balance_alert: false,
      balance_limit: 0,
      backorder_enabled: false,
      backorder_estimate: null,
    };
    expect(await read('/stock')).toMatchObject([fields, { code: 'SUKKA-38' }, { code: 'SUKKA-40' }]);
    expect(await read('/products/1?expand=stock_item')).toMatchObject({ stock_item: fields });
  });

  it('serves a brand with §10.3 fields and variations with §11.2 fields, defaults where the state gives none', async () => {
    const product = (await read('/products/2?expand=brand,variations')) as {
      brand: Record<string, unknown>;
      variations: Array<Record<string, unknown>>;
    };
    expect(Object.keys(product.brand).sort()).toEqual([...BRAND_KEYS].sort());
    expect(product.brand).toEqual({
      id: 5,
      name: 'Villaväki',
      description: 'Kotimaista villaa',
      seo_title: 'Villaväki-tuotteet',
      seo_page_title: null,
      seo_meta_description: null,
      template: 'brand-wide',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    for (const variation of product.variations) {
      expect(Object.keys(variation).sort()).toEqual([...VARIATION_KEYS].sort());
    }
    expect(product.variations).toMatchObject([
      { id: 21, product_id: 2, image_id: 9, sort: 2, features: { Koko: '38' } },
      { id: 22, product_id: 2, image_id: null, sort: 22, features: null },
    ]);
    expect(await read('/variations/21?expand=stock_item')).toMatchObject({
      image_id: 9,
      sort: 2,
      features: { Koko: '38' },
      stock_item: { code: 'SUKKA-38' },
    });
    // A product without a brand: [] as the real API answers an empty to-one expand (§5.4).
    expect(await read('/products/1?expand=brand')).toMatchObject({ brand: [] });
  });

  it("is read by the connector's client, whose schemas ignore what they do not use", async () => {
    const client = new MyCashflowClient({
      baseUrl: `${sim.url}/api/v1`,
      email: 'api@store.example',
      apiKey: KEY,
      retry: { maxAttempts: 1 },
    });
    const product = await client.getProduct(mcfProductIdSchema.parse(2), ['brand', 'variations']);
    expect(product.variations?.map((v) => [v.id, v.product_code])).toEqual([
      [21, 'SUKKA-38'],
      [22, 'SUKKA-40'],
    ]);
  });

  it('takes a variation back as it was read, and refuses a brand the store does not have', async () => {
    const variation = (await read('/variations/22')) as Record<string, unknown>;
    const patched = await send('PATCH', '/variations/22', {
      ...variation,
      sort: 1,
      features: { Koko: '40' },
    });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { data: unknown }).data).toMatchObject({
      sort: 1,
      features: { Koko: '40' },
    });
    const refused = await send('PATCH', '/products/1', { brand_id: 404 });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toMatch(
      /brand_id: brand 404 does not exist/,
    );
    expect(await send('PATCH', '/products/1', { brand_id: 5 })).toHaveProperty('status', 200);
    expect(await read('/products/1?expand=brand')).toMatchObject({ brand: { id: 5, name: 'Villaväki' } });
  });

  it('keeps the fields through a state round trip', async () => {
    const doc = (await (await fetch(`${sim.url}/__sim/state`)).json()) as Record<string, unknown>;
    const copy = await startSimServer(createMyCashflowSim(doc));
    try {
      const again = (await (await fetch(`${copy.url}/__sim/state`)).json()) as Record<string, unknown>;
      expect(again.payment_methods).toEqual(doc.payment_methods);
      expect(again.shipping_methods).toEqual(doc.shipping_methods);
      expect(again.brands).toEqual(doc.brands);
      expect(again.products).toEqual(doc.products);
      expect((again.products as Array<{ stock_item: unknown }>)[0]?.stock_item).toMatchObject({
        location: 'A-1',
      });
    } finally {
      await copy.close();
    }
  });
});
