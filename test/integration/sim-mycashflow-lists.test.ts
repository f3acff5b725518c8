import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSimServer } from '../../simulators/kit/server.ts';
import {
  createMyCashflowSim,
  type McfStateDocument,
  type MyCashflowSim,
} from '../../simulators/mycashflow/index.ts';

interface Meta {
  page: number;
  page_size: number;
  page_count: number;
  item_count: number;
  next?: string;
}
interface List<T = Record<string, unknown>> {
  data: T[];
  meta: Meta;
}

const AUTH = `Basic ${Buffer.from('api@example.com:demo-key').toString('base64')}`;

// Products created one day apart from 1 January 2025, 10:00 Helsinki time (+02:00 in winter).
const state: McfStateDocument = {
  products: Array.from({ length: 7 }, (_, i) => ({
    product_code: `L-${i + 1}`,
    name: `Tuote ${i + 1}`,
    created_at: `2025-01-0${i + 1}T10:00:00+02:00`,
    updated_at: `2025-02-0${7 - i}T10:00:00+02:00`,
    variations: i === 0 ? [{ product_code: 'L-1-A', name: 'A', stock_item: { quantity: 3 } }] : [],
  })),
};

describe('MyCashflow simulator: lists', () => {
  let sim: RunningSim<MyCashflowSim>;
  beforeAll(async () => {
    sim = await startSimServer(createMyCashflowSim(state));
  });
  afterAll(async () => sim.close());

  const get = async <T = Record<string, unknown>>(path: string): Promise<{ status: number; body: T }> => {
    const response = await fetch(path.startsWith('http') ? path : `${sim.url}/api/v1${path}`, {
      headers: { authorization: AUTH, accept: 'application/json' },
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  it('pages through three pages by meta.next, with exact meta', async () => {
    const first = await get<List>('/products?page_size=3');
    expect(first.body.meta).toEqual({
      page: 1,
      page_size: 3,
      page_count: 3,
      item_count: 7,
      next: `${sim.url}/api/v1/products?page_size=3&page=2`,
    });
    const second = await get<List>(first.body.meta.next!);
    expect(second.body.meta).toMatchObject({ page: 2, page_count: 3, item_count: 7 });
    const third = await get<List>(second.body.meta.next!);
    expect(third.body.meta).toEqual({ page: 3, page_size: 3, page_count: 3, item_count: 7 });
    const ids = [first, second, third].flatMap((p) => p.body.data.map((d) => d.id));
    expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('defaults to 50 per page and answers a page past the end with empty data', async () => {
    expect((await get<List>('/products')).body.meta).toEqual({
      page: 1,
      page_size: 50,
      page_count: 1,
      item_count: 7,
    });
    const past = await get<List>('/products?page=9&page_size=3');
    expect(past.status).toBe(200);
    expect(past.body).toEqual({ data: [], meta: { page: 9, page_size: 3, page_count: 3, item_count: 7 } });
  });

  it('refuses a page_size of zero, negative or not a number, and a bad page', async () => {
    for (const query of [
      'page_size=0',
      'page_size=-5',
      'page_size=ten',
      'page_size=2.5',
      'page=0',
      'page=x',
    ]) {
      const { status, body } = await get<{ code: number; message: string }>(`/products?${query}`);
      expect(status, query).toBe(400);
      expect(body.code).toBe(400);
    }
    expect((await get('/products?page_size=1000')).status).toBe(200);
  });

  it('caps a page_size above 1000 instead of refusing it, and the meta shows the cap', async () => {
    // A production data-pipeline connector asks page_size=10000 of the real API (reference §24).
    const capped = await get<List>('/products?page_size=10000');
    expect(capped.status).toBe(200);
    expect(capped.body.meta).toMatchObject({ page: 1, page_size: 1000, page_count: 1, item_count: 7 });
  });

  it("keeps the scheme the caller used in next: X-Forwarded-Proto, else the request's own", async () => {
    const plain = await get<List>('/products?page_size=3');
    expect(plain.body.meta.next).toBe(`${sim.url}/api/v1/products?page_size=3&page=2`);
    const viaProxy = await fetch(`${sim.url}/api/v1/products?page_size=3`, {
      headers: { authorization: AUTH, accept: 'application/json', 'x-forwarded-proto': 'https' },
    });
    const body = (await viaProxy.json()) as List;
    expect(body.meta.next).toBe(`${sim.url.replace(/^http:/, 'https:')}/api/v1/products?page_size=3&page=2`);
  });

  it('sorts by id and by timestamps in both directions', async () => {
    const ids = async (query: string): Promise<unknown[]> =>
      (await get<List>(`/products?${query}`)).body.data.map((d) => d.id);
    expect(await ids('sort=id-desc&page_size=3')).toEqual([7, 6, 5]);
    expect(await ids('sort=id-desc&page_size=3&page=3')).toEqual([1]);
    expect(await ids('sort=updated_at-asc&page_size=3')).toEqual([7, 6, 5]);
    expect(await ids('sort=created_at-desc&page_size=2')).toEqual([7, 6]);
    expect((await get('/products?sort=name-sideways')).status).toBe(400);
    expect((await get('/products?sort=price-asc')).status).toBe(400);
  });

  it('filters created_at inclusively, with or without an offset (Helsinki time)', async () => {
    const ids = async (query: string): Promise<unknown[]> =>
      (await get<List>(`/products?${query}`)).body.data.map((d) => d.id);
    expect(await ids(`created_at-from=${encodeURIComponent('2025-01-05T10:00:00+02:00')}`)).toEqual([
      5, 6, 7,
    ]);
    expect(await ids('created_at-from=2025-01-05T08:00:00Z&created_at-to=2025-01-06T08:00:00Z')).toEqual([
      5, 6,
    ]);
    // No offset: Helsinki wall-clock time, so 10:00:01 local excludes the product created at 10:00 local.
    expect(await ids('created_at-from=2025-01-05T10:00:01')).toEqual([6, 7]);
    // An unencoded "+02:00" arrives as " 02:00"; it still means +02:00.
    expect(await ids('created_at-to=2025-01-02T10:00:00+02:00')).toEqual([1, 2]);
    expect((await get('/products?created_at-from=yesterday')).status).toBe(400);
    expect((await get('/products?shipped_at-from=2025-01-01')).status).toBe(400);
  });

  it('filters by id and combines it with sort and paging', async () => {
    const page = await get<List>('/products?id=5,2,99&sort=id-desc');
    expect(page.body.data.map((d) => d.id)).toEqual([5, 2]);
    expect(page.body.meta.item_count).toBe(2);
    expect((await get('/products?id=abc')).status).toBe(400);
  });

  it('leaves sub-resources out unless expanded, and refuses unknown expands', async () => {
    const plain = (await get<List>('/products?id=1')).body.data[0]!;
    for (const key of ['variations', 'stock_item', 'visibilities', 'brand'])
      expect(plain).not.toHaveProperty(key);

    const full = (
      await get<List>('/products?id=1,2&expand=variations.stock_item,visibilities,stock_item,brand')
    ).body.data;
    expect(full[0]).toMatchObject({
      stock_item: null,
      visibilities: [{ version_id: 1, is_visible: true }],
      brand: [],
      variations: [
        { product_code: 'L-1-A', product_id: 1, stock_item: { code: 'L-1-A', quantity: 3, balance: 3 } },
      ],
    });
    expect(full[1]).toMatchObject({ variations: [], stock_item: { code: 'L-2', quantity: 0 } });

    const withoutStock = (await get<List>('/products?id=1&expand=variations')).body.data[0]! as {
      variations: object[];
    };
    expect(withoutStock.variations[0]).not.toHaveProperty('stock_item');

    const bad = await get<{ message: string }>('/products?expand=variations,colours');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/colours/);
    expect((await get('/orders?expand=variations')).status).toBe(400);
  });

  it('serves the same list grammar on every list endpoint', async () => {
    for (const path of [
      '/variations',
      '/stock',
      '/stock-changes',
      '/orders',
      '/payment-methods',
      '/shipping-methods',
      '/versions',
      '/webhooks',
    ]) {
      const ok = await get<List>(`${path}?page=1&page_size=2&sort=id-asc`);
      expect(ok.status, path).toBe(200);
      expect(ok.body.meta.page_size, path).toBe(2);
      expect((await get<List>(`${path}?page_size=5000`)).body.meta.page_size, path).toBe(1000);
    }
  });
});
