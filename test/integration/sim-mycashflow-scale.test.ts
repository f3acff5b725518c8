import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSimServer } from '../../simulators/kit/server.ts';
import {
  createMyCashflowSim,
  type McfStateDocument,
  type MyCashflowSim,
} from '../../simulators/mycashflow/index.ts';
import { cpuTimeOf } from '../helpers/cpu-time.ts';

const AUTH = `Basic ${Buffer.from('api@example.com:demo-key').toString('base64')}`;
const PRODUCTS = 100_000;

/** Every third product has three variations (S, M, L), the rest keep their own stock. */
function catalog(): McfStateDocument {
  return {
    versions: [{ name: 'Suomi' }, { name: 'Sverige', language: 'sv' }],
    products: Array.from({ length: PRODUCTS }, (_, i) => ({
      product_code: `P${i + 1}`,
      name: `Tuote ${i + 1} – lämmin`,
      price: 19.9,
      purchase_price: 8.5,
      vat_rate: i % 5 === 0 ? 14 : 25.5,
      weight: 0.4,
      parcel_type: 'M',
      ...(i % 3 === 0
        ? {
            variations: ['S', 'M', 'L'].map((size) => ({
              product_code: `P${i + 1}-${size}`,
              name: size,
              stock_item: { quantity: 4 },
            })),
          }
        : { stock_item: { quantity: 10, reserved: 1 } }),
    })),
  };
}

describe('MyCashflow simulator: a 100 000-product catalog', () => {
  let sim: RunningSim<MyCashflowSim>;
  beforeAll(async () => {
    sim = await startSimServer(createMyCashflowSim(catalog()));
  }, 60_000);
  afterAll(async () => sim.close());

  it('lists all 100 pages of 1000 with every expand quickly and consistently', async () => {
    let url: string | undefined =
      `${sim.url}/api/v1/products?page_size=1000&expand=variations.stock_item,visibilities,stock_item`;
    let pages = 0;
    let expectedId = 1;
    let variations = 0;
    const problems: string[] = [];
    const { cpuMs, wallMs } = await cpuTimeOf(async () => {
      while (url) {
        const response = await fetch(url, { headers: { authorization: AUTH, accept: 'application/json' } });
        const body = (await response.json()) as {
          data: Array<{ id: number; variations: unknown[]; stock_item: unknown; visibilities: unknown[] }>;
          meta: { page: number; page_count: number; item_count: number; next?: string };
        };
        expect(body.meta).toMatchObject({ page: pages + 1, page_count: 100, item_count: PRODUCTS });
        // Plain checks per product: a hundred thousand expect() calls would dominate the timing.
        for (const product of body.data) {
          if (product.id !== expectedId++) problems.push(`product ${product.id} out of order`);
          if (product.visibilities.length !== 2) problems.push(`product ${product.id} visibilities`);
          if ((product.stock_item === null) !== product.variations.length > 0)
            problems.push(`product ${product.id} stock`);
          variations += product.variations.length;
        }
        pages += 1;
        url = body.meta.next;
      }
    });
    expect(problems).toEqual([]);
    expect(pages).toBe(100);
    expect(variations).toBe(Math.ceil(PRODUCTS / 3) * 3);
    process.stdout.write(
      `sim-mycashflow-scale: 100 pages in ${(cpuMs / 1000).toFixed(1)} s of CPU (${(wallMs / 1000).toFixed(1)} s on the clock)\n`,
    );
    // This process's CPU time (client and simulator both), which a busy machine does not inflate as the
    // wall clock: measured at about 5 s on a 2-core machine (as long as the wall clock when idle); the
    // bound only catches a per-request scan or sort.
    expect(cpuMs).toBeLessThan(20_000);
  }, 60_000);

  it('answers look-ups by code and id without scanning', async () => {
    const { cpuMs } = await cpuTimeOf(async () => {
      for (let i = 0; i < 200; i++) {
        const code = `P${PRODUCTS - i * 7}`;
        const response = await fetch(`${sim.url}/api/v1/stock/${code}`, {
          headers: { authorization: AUTH, accept: 'application/json' },
        });
        expect(response.status === 200 || response.status === 404).toBe(true);
        await response.text();
      }
      const byId = await fetch(`${sim.url}/api/v1/products?id=99999,5&expand=variations`, {
        headers: { authorization: AUTH, accept: 'application/json' },
      });
      expect(((await byId.json()) as { data: Array<{ id: number }> }).data.map((p) => p.id)).toEqual([
        5, 99999,
      ]);
    });
    // CPU time, as above: 200 scans of the catalog would take far longer.
    expect(cpuMs).toBeLessThan(10_000);
  });
});
