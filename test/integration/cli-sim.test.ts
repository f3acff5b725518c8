import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('npx netbaron sim --state examples/small-store.json', () => {
  it('serves the file’s products on both APIs and counts the calls, then stops on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      [
        'bin/netbaron.js',
        'sim',
        '--state',
        'examples/small-store.json',
        '--mycashflow-port',
        '0',
        '--netbaron-port',
        '0',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const urls: Record<string, string> = {};
      for await (const line of createInterface({ input: child.stdout! })) {
        const m = /^(MyCashflow|NetBaron) simulator:\s+(http:\/\/[\d.]+:\d+)/.exec(line);
        if (m) urls[m[1]!] = m[2]!;
        if (line.startsWith('Press Ctrl-C')) break;
      }
      const mcf = await fetch(`${urls.MyCashflow}/api/v1/products`, {
        headers: {
          Authorization: basic('api@pikkupuoti.example', 'example-mcf-key'),
          Accept: 'application/json',
        },
      });
      expect(mcf.status).toBe(200);
      const body = (await mcf.json()) as { data: Array<{ product_code: string }> };
      expect(body.data.map((p) => p.product_code)).toContain('KYNÄ-1');

      const nb = await fetch(`${urls.NetBaron}/ws/products?Marketplace=3&GetPrices=true&GetQuantity=true`, {
        headers: { Authorization: basic('pikkupuoti', 'example-products-password') },
      });
      expect(nb.status).toBe(200);
      expect(nb.headers.get('content-type')).toMatch(/application\/xml/);
      const xml = await nb.text();
      expect(xml).toContain('<ProductCode>UUSI-1</ProductCode>');
      expect(xml).toContain('<SalesPriceVatIncluded>26.90</SalesPriceVatIncluded>');

      for (const [url, route] of [
        [urls.MyCashflow, 'GET /api/v1/products'],
        [urls.NetBaron, 'GET /ws/products'],
      ] as const) {
        const log = (await (await fetch(`${url}/__sim/requests`)).json()) as {
          counts: { byPath: Record<string, number> };
        };
        expect(log.counts.byPath[route]).toBe(1);
      }
    } finally {
      child.kill('SIGINT');
    }
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });
});
