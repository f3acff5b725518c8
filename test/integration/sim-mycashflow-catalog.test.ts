import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSim, startSimServer } from '../../simulators/kit/server.ts';
import {
  createMyCashflowSim,
  type McfStateDocument,
  type MyCashflowSim,
} from '../../simulators/mycashflow/index.ts';

const AUTH = `Basic ${Buffer.from('api@example.com:demo-key').toString('base64')}`;
const NOW = new Date('2025-03-10T12:00:00Z');

const state: McfStateDocument = {
  store: { name: 'Käsityöpuoti' },
  versions: [
    { id: 1, name: 'Suomi', language: 'fi' },
    { id: 2, name: 'Sverige', language: 'sv' },
  ],
  products: [
    {
      id: 10,
      product_code: 'PIPO-1',
      name: 'Pipo',
      price: 19.9,
      vat_rate: 25.5,
      stock_item: { quantity: 8, reserved: 2 },
    },
    {
      id: 11,
      product_code: 'PAITA',
      name: 'Paita',
      price: 29.9,
      variations: [
        { id: 812, product_code: 'ABC-123', name: 'S', stock_item: { quantity: 4 } },
        { id: 813, product_code: 'PAITA-M', name: 'M', stock_item: { quantity: 1 } },
      ],
    },
    { id: 12, product_code: 'koodi/ä 1', name: 'Erikoinen', stock_item: { quantity: 1 } },
  ],
};

interface Json {
  [key: string]: unknown;
}

describe('MyCashflow simulator: products, variations and stock', () => {
  let sim: RunningSim<MyCashflowSim>;
  beforeEach(async () => {
    sim = await startSimServer(createMyCashflowSim(state, { now: () => NOW }));
  });
  afterEach(async () => sim.close());

  const call = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Json }> => {
    const response = await fetch(`${sim.url}/api/v1${path}`, {
      method,
      headers: { authorization: AUTH, accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
  };
  const data = (r: { body: Json }): Json => r.body.data as Json;
  const stateText = async (): Promise<string> => (await fetch(`${sim.url}/__sim/state`)).text();

  it('creates a product with POST: 200, the new object, invisible in every version, with an empty stock item', async () => {
    const created = await call('POST', '/products?expand=visibilities,stock_item', {
      name: 'Lapaset',
      product_code: 'LAPA-1',
      description: 'Lämpimät',
      information: '* Villaa',
      price: 24.9,
      purchase_price: 9.5,
      vat_rate: 25.5,
      weight: 0.2,
      parcel_type: 'S',
      keywords: 'lapaset, villa',
    });
    expect(created.status).toBe(200);
    expect(data(created)).toMatchObject({
      id: 13,
      product_code: 'LAPA-1',
      name: 'Lapaset',
      price: 24.9,
      purchase_price: 9.5,
      vat_rate: 25.5,
      weight: 0.2,
      parcel_type: 'S',
      keywords: 'lapaset, villa',
      created_at: '2025-03-10T14:00:00+02:00',
      visibilities: [
        { version_id: 1, is_visible: false },
        { version_id: 2, is_visible: false },
      ],
      stock_item: { code: 'LAPA-1', quantity: 0, reserved: 0, balance: 0, variation_id: null },
    });
    const read = await call('GET', '/products/13');
    expect(data(read).description).toBe('Lämpimät');
  });

  it('validates product fields and names the bad one', async () => {
    const cases: Array<[Json, RegExp]> = [
      [{ price: 5 }, /name/],
      [{ name: 'X', price: -1 }, /price/],
      [{ name: 'X', price: 1.999 }, /price/],
      [{ name: 'X', vat_rate: 100 }, /vat_rate/],
      [{ name: 'X', weight: -0.1 }, /weight/],
      [{ name: 42 }, /name/],
      [{ name: 'X', description: 7 }, /description/],
      [{ name: 'X', id: 5 }, /id is read-only/],
      [{ name: 'X', visibilities: [{ version_id: 9, is_visible: true }] }, /version 9/],
      [{ name: 'X', colour: 'red' }, /colour/],
    ];
    for (const [body, message] of cases) {
      const response = await call('POST', '/products', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.message).toMatch(message);
    }
    expect((await call('GET', '/products')).body.meta).toMatchObject({ item_count: 3 });
  });

  it('answers 409 when a code would be used twice, product against variation both ways, and changes nothing', async () => {
    const before = await stateText();
    const postDuplicate = await call('POST', '/products', { name: 'Uusi', product_code: 'ABC-123' });
    expect(postDuplicate.status).toBe(409);
    expect(postDuplicate.body).toEqual({
      code: 409,
      error: 'Conflict',
      message: 'product_code "ABC-123" is already used by variation 812',
    });
    const patchProduct = await call('PATCH', '/products/10', { product_code: 'PAITA-M', price: 1 });
    expect(patchProduct.status).toBe(409);
    expect(patchProduct.body.message).toBe('product_code "PAITA-M" is already used by variation 813');
    const patchVariation = await call('PATCH', '/variations/812', { product_code: 'PIPO-1', price: 2 });
    expect(patchVariation.status).toBe(409);
    expect(patchVariation.body.message).toBe('product_code "PIPO-1" is already used by product 10');
    const patchVariationToSibling = await call('PATCH', '/variations/812', { product_code: 'PAITA-M' });
    expect(patchVariationToSibling.status).toBe(409);
    expect(await stateText()).toBe(before);

    // Keeping one's own code, and empty codes, are never duplicates.
    expect((await call('PATCH', '/variations/812', { product_code: 'ABC-123', price: 31.9 })).status).toBe(
      200,
    );
    expect((await call('POST', '/products', { name: 'Ilman koodia' })).status).toBe(200);
    expect((await call('POST', '/products', { name: 'Tyhjä koodi', product_code: '' })).status).toBe(200);
    expect((await call('POST', '/products', { name: 'Tyhjä koodi 2', product_code: '' })).status).toBe(200);
  });

  it('moves a code: after a change the old code is free and the stock item follows', async () => {
    expect((await call('PATCH', '/variations/812', { product_code: 'PAITA-S' })).status).toBe(200);
    expect((await call('GET', '/stock/ABC-123')).status).toBe(404);
    expect(data(await call('GET', '/stock/PAITA-S'))).toMatchObject({ variation_id: 812, quantity: 4 });
    expect((await call('POST', '/products', { name: 'Uusi', product_code: 'ABC-123' })).status).toBe(200);
  });

  it('writes per-version visibility with PATCH and refuses an unknown version', async () => {
    const patched = await call('PATCH', '/products/10?expand=visibilities', {
      visibilities: [{ version_id: 2, is_visible: false }],
    });
    expect(patched.status).toBe(200);
    expect(data(patched).visibilities).toEqual([
      { version_id: 1, is_visible: true },
      { version_id: 2, is_visible: false },
    ]);
    expect(data(patched).updated_at).toBe('2025-03-10T14:00:00+02:00');
    const bad = await call('PATCH', '/products/10', {
      price: 5,
      visibilities: [{ version_id: 3, is_visible: true }],
    });
    expect(bad.status).toBe(400);
    expect(data(await call('GET', '/products/10')).price).toBe(19.9);
  });

  it('patches only the fields given', async () => {
    const patched = await call('PATCH', '/products/10', { price: 21.5, information: 'Uusi teksti' });
    expect(data(patched)).toMatchObject({
      name: 'Pipo',
      price: 21.5,
      information: 'Uusi teksti',
      vat_rate: 25.5,
    });
    const variation = await call('PATCH', '/variations/813', {
      price: 32,
      purchase_price: 12.34,
      name: 'M (uusi)',
    });
    expect(data(variation)).toMatchObject({
      id: 813,
      product_id: 11,
      price: 32,
      purchase_price: 12.34,
      name: 'M (uusi)',
    });
    // A variation sent back as it was read: the read-only fields are ignored, the rest is written.
    const echoed = await call('PATCH', '/variations/813', {
      id: 999,
      product_id: 1,
      created_at: '2020-01-01T00:00:00+02:00',
      stock_item: { quantity: 1000, reserved: 5 },
      price: 33,
    });
    expect(echoed.status).toBe(200);
    expect(data(echoed)).toMatchObject({ id: 813, product_id: 11, price: 33 });
    expect((await call('PATCH', '/variations/813', { colour: 'red' })).status).toBe(400);
  });

  it('deletes a product with its variations and stock items', async () => {
    expect((await call('DELETE', '/products/11')).status).toBe(204);
    expect((await call('GET', '/products/11')).status).toBe(404);
    expect((await call('GET', '/variations/812')).status).toBe(404);
    expect((await call('GET', '/stock/PAITA-M')).status).toBe(404);
    expect((await call('GET', '/stock')).body.meta).toMatchObject({ item_count: 2 });
    expect((await call('DELETE', '/products/11')).status).toBe(404);
    // The code is free again.
    expect((await call('POST', '/products', { name: 'Uusi paita', product_code: 'PAITA' })).status).toBe(200);
  });

  it('deletes a variation and its stock item; a product left without variations keeps stock itself', async () => {
    const response = await fetch(`${sim.url}/api/v1/variations/812`, {
      method: 'DELETE',
      headers: { authorization: AUTH, accept: 'application/json' },
    });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect((await call('GET', '/stock/ABC-123')).status).toBe(404);
    const product = data(await call('GET', '/products/11?expand=variations,stock_item'));
    expect((product.variations as Json[]).map((v) => v.id)).toEqual([813]);
    expect(product.stock_item).toBeNull();
    expect((await call('DELETE', '/variations/813')).status).toBe(204);
    const alone = data(await call('GET', '/products/11?expand=stock_item'));
    expect(alone.stock_item).toMatchObject({ code: 'PAITA', quantity: 0, variation_id: null });
  });

  it('sets an absolute stock quantity, derives balance, and records a stock change', async () => {
    const first = await call('PATCH', '/stock/PIPO-1', { quantity: 42 });
    expect(first.status).toBe(200);
    expect(data(first)).toMatchObject({
      product_id: 10,
      variation_id: null,
      code: 'PIPO-1',
      quantity: 42,
      reserved: 2,
      balance: 40,
    });
    const again = await call('PATCH', '/stock/PIPO-1', { quantity: 40, enabled: true });
    expect(data(again)).toMatchObject({ quantity: 40, balance: 38, enabled: true });
    const itemId = data(first).id as number;
    const changes = await call('GET', `/stock-changes?stock_item_id=${itemId}`);
    expect(changes.body.data).toEqual([
      {
        id: 1,
        changed_at: '2025-03-10T14:00:00+02:00',
        user_id: 1,
        source_type: 'api',
        source_id: null,
        stock_item_id: itemId,
        quantity: 42,
        quantity_change: 34,
      },
      {
        id: 2,
        changed_at: '2025-03-10T14:00:00+02:00',
        user_id: 1,
        source_type: 'api',
        source_id: null,
        stock_item_id: itemId,
        quantity: 40,
        quantity_change: -2,
      },
    ]);
    expect(
      (await call('GET', '/stock-changes?changed_at-from=2025-03-10T14:00:01%2B02:00')).body.data,
    ).toEqual([]);
    expect((await call('GET', '/stock-changes?sort=id-desc&page_size=1')).body.data).toMatchObject([
      { id: 2 },
    ]);
  });

  it('refuses stock writes that are not an absolute integer, unknown fields, and a body with nothing to write', async () => {
    for (const body of [
      { quantity: 1.5 },
      { quantity: '4' },
      { reserved: 1 },
      { balance: 3 },
      {},
      { shelf: 'A1' },
      { balance_limit: 1.5 },
    ]) {
      const response = await call('PATCH', '/stock/PIPO-1', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect(data(await call('GET', '/stock/PIPO-1'))).toMatchObject({ quantity: 8, reserved: 2, balance: 6 });
  });

  it('accepts the stock PATCH a public C# client sends, ignoring the read-only fields', async () => {
    const before = data(await call('GET', '/stock/PIPO-1'));
    expect(before).toMatchObject({ barcode: null, location: null, balance_alert: false, balance_limit: 0 });
    const response = await call('PATCH', '/stock/PIPO-1', {
      quantity: 12,
      reserved: 99,
      balance: 7,
      balance_alert: true,
      balance_limit: -1,
      backorder_enabled: true,
      barcode: '6416453012345',
      location: 'B-3-2',
    });
    expect(response.status).toBe(200);
    const expected = {
      quantity: 12,
      reserved: 2,
      balance: 10,
      balance_alert: true,
      balance_limit: -1,
      backorder_enabled: true,
      backorder_estimate: null,
      barcode: '6416453012345',
      location: 'B-3-2',
    };
    expect(data(response)).toMatchObject(expected);
    expect(data(await call('GET', '/stock/PIPO-1'))).toMatchObject(expected);
    // The settings alone are a write of their own, and the state document keeps them.
    expect(data(await call('PATCH', '/stock/PIPO-1', { location: null, reserved: 1 }))).toMatchObject({
      location: null,
      quantity: 12,
    });
  });

  it('answers 404 for an unknown code and for a product whose stock lives on its variations', async () => {
    const unknown = await call('GET', '/stock/NO-SUCH');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('Not Found');
    expect((await call('PATCH', '/stock/NO-SUCH', { quantity: 1 })).status).toBe(404);
    expect((await call('GET', '/stock/PAITA')).status).toBe(404);
  });

  it('finds a stock item by a URL-encoded code with a slash, a space and ä', async () => {
    const path = `/stock/${encodeURIComponent('koodi/ä 1')}`;
    expect(data(await call('PATCH', path, { quantity: 7 }))).toMatchObject({
      code: 'koodi/ä 1',
      quantity: 7,
    });
    expect(data(await call('GET', path))).toMatchObject({ product_id: 12 });
  });

  it('serves variations with product_id, filters and the stock_item expand; no create endpoint', async () => {
    const list = await call('GET', '/variations?product_id=11&expand=stock_item');
    expect(list.body.data).toMatchObject([
      { id: 812, product_id: 11, product_code: 'ABC-123', price: 29.9, stock_item: { quantity: 4 } },
      { id: 813, product_id: 11, product_code: 'PAITA-M' },
    ]);
    expect((await call('GET', '/variations?id=813')).body.data).toMatchObject([{ id: 813 }]);
    expect((await call('POST', '/variations', { product_id: 11, name: 'L' })).status).toBe(405);
  });

  it('round-trips ä, ö, å and € through JSON', async () => {
    const text = 'Äiti öljyää åsnaa: 5 € — “lainaus”';
    const created = await call('POST', '/products', {
      name: text,
      product_code: 'ÄÖÅ-€',
      description: text,
      information: `${text}\n*`,
    });
    expect(data(created)).toMatchObject({ name: text, product_code: 'ÄÖÅ-€' });
    const id = data(created).id as number;
    const read = data(await call('GET', `/products/${id}`));
    expect(read).toMatchObject({ name: text, description: text, information: `${text}\n*` });
    expect(data(await call('GET', `/stock/${encodeURIComponent('ÄÖÅ-€')}`))).toMatchObject({
      product_id: id,
    });
    expect(data(await call('GET', '/products/product_code=PIPO-1'))).toMatchObject({ id: 10 });
  });
});

describe('MyCashflow simulator: duplicate codes in the state', () => {
  it('serves legacy duplicates as they are, addresses the lowest stock item, and keeps them editable', async () => {
    const sim = await startSimServer(
      createMyCashflowSim({
        products: [
          { id: 1, product_code: 'DUP', name: 'Ensimmäinen', stock_item: { id: 5, quantity: 1 } },
          { id: 2, product_code: 'DUP', name: 'Toinen', stock_item: { id: 3, quantity: 2 } },
          {
            id: 3,
            product_code: 'V',
            name: 'Muunnelmat',
            variations: [{ product_code: 'DUP', stock_item: { id: 9 } }],
          },
        ],
      }),
    );
    try {
      const call = async (
        method: string,
        path: string,
        body?: unknown,
      ): Promise<{ status: number; body: Json }> => {
        const response = await fetch(`${sim.url}/api/v1${path}`, {
          method,
          headers: { authorization: AUTH, accept: 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json()) as Json };
      };
      const list = await call('GET', '/products');
      expect((list.body.data as Json[]).map((p) => p.product_code)).toEqual(['DUP', 'DUP', 'V']);
      expect((await call('GET', '/stock/DUP')).body.data).toMatchObject({
        id: 3,
        product_id: 2,
        quantity: 2,
      });
      expect((await call('PATCH', '/products/1', { price: 9.9 })).status).toBe(200);
      expect((await call('PATCH', '/products/1', { product_code: 'DUP', price: 9.8 })).status).toBe(200);
      expect((await call('POST', '/products', { name: 'Kolmas', product_code: 'DUP' })).status).toBe(409);
    } finally {
      await sim.close();
    }
  });
});
