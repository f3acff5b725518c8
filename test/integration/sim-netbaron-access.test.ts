import { afterEach, describe, expect, it } from 'vitest';
import { startSimServer, type RunningSim } from '../../simulators/kit/server.ts';
import { createNetBaronSim, type NetBaronSim } from '../../simulators/netbaron/index.ts';
import { nbFetch, type NbAnswer } from '../../simulators/netbaron/testing.ts';

const ORG = 'acme-oy';
const PRODUCTS_PW = 'tuote-salasana-1';
const ORDERS_PW = 'tilaus-salasana-1';

let running: RunningSim<NetBaronSim> | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(extra: Record<string, unknown> = {}): Promise<RunningSim<NetBaronSim>> {
  running = await startSimServer(
    createNetBaronSim({
      organisation: ORG,
      modules: { products: { password: PRODUCTS_PW }, salesorder: { password: ORDERS_PW } },
      products: [{ ProductCode: 'A-1', Name: 'Tuote', Marketplaces: ['3'] }],
      ...extra,
    }),
  );
  return running;
}

function expectError(answer: NbAnswer, status: number, code: string): string {
  expect(answer.status).toBe(status);
  expect(answer.contentType).toBe('application/xml; charset=utf-8');
  expect(answer.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  const error = answer.xml.Error as { Code: string; Message: string };
  expect(error.Code).toBe(code);
  expect(error.Message.length).toBeGreaterThan(0);
  return error.Message;
}

describe('NetBaron simulator: authentication (HTTP Basic, organisation + module password)', () => {
  it('accepts the organisation with the module password', async () => {
    const sim = await start();
    expect((await nbFetch(`${sim.url}/ws/products`, { user: ORG, password: PRODUCTS_PW })).status).toBe(200);
    expect(
      (await nbFetch(`${sim.url}/ws/salesorder?ListPaymentMethods=true`, { user: ORG, password: ORDERS_PW }))
        .status,
    ).toBe(200);
  });

  it('answers 401 AUTHENTICATION_FAILED for a wrong organisation, a wrong password and no credentials', async () => {
    const sim = await start();
    const cases = [
      { user: 'other-org', password: PRODUCTS_PW },
      { user: ORG, password: 'wrong-password' },
      { user: ORG.toUpperCase(), password: PRODUCTS_PW },
      {},
    ];
    for (const call of cases) {
      const answer = await nbFetch(`${sim.url}/ws/products`, call);
      const message = expectError(answer, 401, 'AUTHENTICATION_FAILED');
      expect(answer.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect(message).not.toContain(PRODUCTS_PW);
      expect(message).not.toContain('wrong-password');
      expect(answer.text).not.toContain(PRODUCTS_PW);
    }
  });

  it('refuses one module password on the other module, both ways', async () => {
    const sim = await start();
    const onOrders = await nbFetch(`${sim.url}/ws/salesorder?OrderIdentifier=1`, {
      user: ORG,
      password: PRODUCTS_PW,
    });
    expect(expectError(onOrders, 401, 'AUTHENTICATION_FAILED')).not.toContain(PRODUCTS_PW);
    const onProducts = await nbFetch(`${sim.url}/ws/products`, { user: ORG, password: ORDERS_PW });
    expect(expectError(onProducts, 401, 'AUTHENTICATION_FAILED')).not.toContain(ORDERS_PW);
  });

  it('accepts any of several passwords of one module (one per service)', async () => {
    const sim = await start({ modules: { products: { password: ['web-1', 'web-2'] } } });
    expect((await nbFetch(`${sim.url}/ws/products`, { user: ORG, password: 'web-1' })).status).toBe(200);
    expect((await nbFetch(`${sim.url}/ws/products`, { user: ORG, password: 'web-2' })).status).toBe(200);
    expectError(
      await nbFetch(`${sim.url}/ws/products`, { user: ORG, password: 'web-3' }),
      401,
      'AUTHENTICATION_FAILED',
    );
    // The other module keeps its default password.
    expect(
      (
        await nbFetch(`${sim.url}/ws/salesorder?ListPaymentMethods=true`, {
          user: ORG,
          password: 'orders-secret',
        })
      ).status,
    ).toBe(200);
  });

  it('fails authentication when the parallel-interface number is missing or wrong', async () => {
    const sim = await start({
      modules: { products: { password: PRODUCTS_PW, interface: 2 }, salesorder: { password: ORDERS_PW } },
    });
    const auth = { user: ORG, password: PRODUCTS_PW };
    expectError(await nbFetch(`${sim.url}/ws/products`, auth), 401, 'AUTHENTICATION_FAILED');
    expectError(await nbFetch(`${sim.url}/ws/products3`, auth), 401, 'AUTHENTICATION_FAILED');
    expectError(await nbFetch(`${sim.url}/ws/products02`, auth), 401, 'AUTHENTICATION_FAILED');
    expect((await nbFetch(`${sim.url}/ws/products2`, auth)).status).toBe(200);
    // The first interface has no number at all.
    const orders = { user: ORG, password: ORDERS_PW };
    expectError(
      await nbFetch(`${sim.url}/ws/salesorder1?ListPaymentMethods=true`, orders),
      401,
      'AUTHENTICATION_FAILED',
    );
    expectError(
      await nbFetch(`${sim.url}/ws/salesorder2?ListPaymentMethods=true`, orders),
      401,
      'AUTHENTICATION_FAILED',
    );
  });

  it('answers 404 NOT_FOUND for a module the model does not have, and for a trailing slash', async () => {
    const sim = await start();
    const auth = { user: ORG, password: PRODUCTS_PW };
    expectError(await nbFetch(`${sim.url}/ws/customer`, auth), 404, 'NOT_FOUND');
    expectError(await nbFetch(`${sim.url}/ws/products/`, auth), 404, 'NOT_FOUND');
    expectError(await nbFetch(`${sim.url}/products`, auth), 404, 'NOT_FOUND');
  });
});

describe('NetBaron simulator: IP allow-list per module', () => {
  it('answers 403 IP_NOT_ALLOWED when the caller is not on the list, before looking at credentials', async () => {
    const sim = await start({ allowed_ips: { products: ['10.1.2.3', '192.0.2.7'] } });
    expectError(
      await nbFetch(`${sim.url}/ws/products`, { user: ORG, password: PRODUCTS_PW }),
      403,
      'IP_NOT_ALLOWED',
    );
    expectError(
      await nbFetch(`${sim.url}/ws/products`, { user: ORG, password: 'nope' }),
      403,
      'IP_NOT_ALLOWED',
    );
    // The other module has no list, so it accepts every address.
    expect(
      (await nbFetch(`${sim.url}/ws/salesorder?ListPaymentMethods=true`, { user: ORG, password: ORDERS_PW }))
        .status,
    ).toBe(200);
  });

  it('lets a listed address through', async () => {
    const sim = await start({
      allowed_ips: { products: ['10.1.2.3', '127.0.0.1'], salesorder: ['127.0.0.1'] },
    });
    expect((await nbFetch(`${sim.url}/ws/products`, { user: ORG, password: PRODUCTS_PW })).status).toBe(200);
    expect(
      (await nbFetch(`${sim.url}/ws/salesorder?ListPaymentMethods=true`, { user: ORG, password: ORDERS_PW }))
        .status,
    ).toBe(200);
    expectError(
      await nbFetch(`${sim.url}/ws/products`, { user: ORG, password: 'nope' }),
      401,
      'AUTHENTICATION_FAILED',
    );
  });
});

describe('NetBaron simulator: methods the model does not serve', () => {
  it('answers 405 METHOD_NOT_ALLOWED with the error body and an Allow header', async () => {
    const sim = await start();
    const products = { user: ORG, password: PRODUCTS_PW };
    const orders = { user: ORG, password: ORDERS_PW };
    const post = await nbFetch(`${sim.url}/ws/products`, { ...products, method: 'POST', body: '<Product/>' });
    expect(expectError(post, 405, 'METHOD_NOT_ALLOWED')).toMatch(/not model/);
    expect(post.headers.get('allow')).toBe('GET');
    for (const method of ['PUT', 'DELETE']) {
      expectError(
        await nbFetch(`${sim.url}/ws/products`, { ...products, method }),
        405,
        'METHOD_NOT_ALLOWED',
      );
    }
    for (const method of ['POST', 'DELETE']) {
      const answer = await nbFetch(`${sim.url}/ws/salesorder`, { ...orders, method });
      expectError(answer, 405, 'METHOD_NOT_ALLOWED');
      expect(answer.headers.get('allow')).toBe('GET, PUT');
    }
  });
});

describe('NetBaron simulator: injected faults and the request log', () => {
  it('gives an injected 503 and 429 the XML error body', async () => {
    const sim = await start();
    const put = await fetch(`${sim.url}/__sim/faults`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        rules: [
          { path: '/ws/products', status: 503, count: 1 },
          { path: '/ws/salesorder', status: 429, retryAfter: 2, count: 1 },
        ],
      }),
    });
    expect(put.status).toBe(200);
    const products = { user: ORG, password: PRODUCTS_PW };
    const unavailable = await nbFetch(`${sim.url}/ws/products`, products);
    expectError(unavailable, 503, 'SERVICE_UNAVAILABLE');
    expect((await nbFetch(`${sim.url}/ws/products`, products)).status).toBe(200);

    const limited = await nbFetch(`${sim.url}/ws/salesorder?ListPaymentMethods=true`, {
      user: ORG,
      password: ORDERS_PW,
    });
    expectError(limited, 429, 'RATE_LIMITED');
    expect(limited.headers.get('retry-after')).toBe('2');

    const log = (await (await fetch(`${sim.url}/__sim/requests`)).json()) as {
      counts: { byPath: Record<string, number>; byStatus: Record<string, number> };
    };
    expect(log.counts.byPath['GET /ws/products']).toBe(2);
    expect(log.counts.byStatus['503']).toBe(1);
  });

  it('names every status with a code', () => {
    const sim = createNetBaronSim();
    const codes = [400, 401, 403, 404, 405, 413, 422, 429, 500, 502, 503, 504].map((status) => {
      const answer = sim.errorResponse(status, 'x');
      expect(answer.status).toBe(status);
      return /<Code>([A-Z_]+)<\/Code>/.exec(answer.body ?? '')?.[1];
    });
    expect(codes).toEqual([
      'BAD_REQUEST',
      'AUTHENTICATION_FAILED',
      'IP_NOT_ALLOWED',
      'NOT_FOUND',
      'METHOD_NOT_ALLOWED',
      'REQUEST_TOO_LARGE',
      'VALIDATION_ERROR',
      'RATE_LIMITED',
      'INTERNAL_ERROR',
      'BAD_GATEWAY',
      'SERVICE_UNAVAILABLE',
      'GATEWAY_TIMEOUT',
    ]);
  });
});
