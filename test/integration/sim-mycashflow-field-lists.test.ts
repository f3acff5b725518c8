import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSimServer } from '../../simulators/kit/server.ts';
import { createMyCashflowSim, type MyCashflowSim } from '../../simulators/mycashflow/index.ts';

/*
 * Payment methods, shipping methods and stock items carry the field lists of the reference (§12.2, §14,
 * §15), not bare names, so that a client reading them meets the shape the real API serves.
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
  products: [{ id: 1, product_code: 'PIPO-1', name: 'Pipo', stock_item: { quantity: 4, location: 'A-1' } }],
};

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
    expect(await read('/stock')).toMatchObject([fields]);
    expect(await read('/products/1?expand=stock_item')).toMatchObject({ stock_item: fields });
  });

  it('keeps the fields through a state round trip', async () => {
    const doc = (await (await fetch(`${sim.url}/__sim/state`)).json()) as Record<string, unknown>;
    const copy = await startSimServer(createMyCashflowSim(doc));
    try {
      const again = (await (await fetch(`${copy.url}/__sim/state`)).json()) as Record<string, unknown>;
      expect(again.payment_methods).toEqual(doc.payment_methods);
      expect(again.shipping_methods).toEqual(doc.shipping_methods);
      expect((again.products as Array<{ stock_item: unknown }>)[0]?.stock_item).toMatchObject({
        location: 'A-1',
      });
    } finally {
      await copy.close();
    }
  });
});
