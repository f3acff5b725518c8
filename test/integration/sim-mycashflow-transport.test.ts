import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSimServer } from '../../simulators/kit/server.ts';
import { createMyCashflowSim, type MyCashflowSim } from '../../simulators/mycashflow/index.ts';

const KEY = 'k3y-Sëcret-123';
const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('MyCashflow simulator: transport, auth and errors', () => {
  let sim: RunningSim<MyCashflowSim>;
  const state = {
    store: { name: 'Testikauppa', plan: 'pro' },
    api_users: [{ email: 'api@store.example', api_key: KEY }],
    products: [{ product_code: 'P-1', name: 'Pipo' }],
  };

  beforeAll(async () => {
    sim = await startSimServer(createMyCashflowSim(state));
  });
  afterAll(async () => sim.close());

  const call = (
    path: string,
    init: { headers?: Record<string, string>; method?: string; body?: string } = {},
  ) =>
    fetch(`${sim.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: basic('api@store.example', KEY),
        accept: 'application/json',
        ...init.headers,
      },
      body: init.body,
    });

  async function expectError(
    response: Response,
    status: number,
    error: string,
  ): Promise<{ message: string }> {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as { code: number; error: string; message: string };
    expect(body).toEqual({ code: status, error, message: expect.any(String) });
    expect(body.message).not.toContain(KEY);
    return body;
  }

  it('answers a correct call with the data envelope', async () => {
    const response = await call('/api/v1/products/1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(((await response.json()) as { data: { product_code: string } }).data.product_code).toBe('P-1');
  });

  it('refuses a wrong API key and a missing Authorization header with 401', async () => {
    await expectError(
      await call('/api/v1/products', { headers: { authorization: basic('api@store.example', 'wrong') } }),
      401,
      'Unauthorized',
    );
    await expectError(
      await call('/api/v1/products', { headers: { authorization: basic('other@store.example', KEY) } }),
      401,
      'Unauthorized',
    );
    const missing = await fetch(`${sim.url}/api/v1/products`, { headers: { accept: 'application/json' } });
    await expectError(missing, 401, 'Unauthorized');
  });

  it('answers 406 only when the Accept header rules JSON out', async () => {
    for (const accept of ['text/html', 'text/*, image/png', 'application/json;q=0', '*/*;q=0']) {
      await expectError(await call('/api/v1/products', { headers: { accept } }), 406, 'Not Acceptable');
    }
  });

  it('accepts */*, application/* and lists with q-values, as public clients send them', async () => {
    for (const accept of [
      '*/*',
      'application/*',
      'text/html, application/json;q=0.9',
      'text/html;q=1.0, */*;q=0.1',
      'application/xml, application/*;q=0.5',
      'APPLICATION/JSON; charset=utf-8',
    ]) {
      const ok = await call('/api/v1/products', { headers: { accept } });
      expect(ok.status, accept).toBe(200);
      expect(ok.headers.get('content-type'), accept).toBe('application/json');
    }
  });

  it('refuses a trailing slash with 404 and says why', async () => {
    const body = await expectError(await call('/api/v1/products/'), 404, 'Not Found');
    expect(body.message).toMatch(/trailing slash/);
  });

  it('answers 404 for unknown paths and 405 for a method a path does not serve', async () => {
    await expectError(await call('/api/v1/customers'), 404, 'Not Found');
    await expectError(await call('/api/v1/products/999'), 404, 'Not Found');
    await expectError(await call('/elsewhere'), 404, 'Not Found');
    const post = await call('/api/v1/variations', { method: 'POST', body: '{}' });
    await expectError(post, 405, 'Method Not Allowed');
    expect(post.headers.get('allow')).toBe('GET');
  });

  it('answers 400 for a body that is not a JSON object', async () => {
    await expectError(await call('/api/v1/products', { method: 'POST', body: 'name=x' }), 400, 'Bad Request');
    await expectError(await call('/api/v1/products', { method: 'POST', body: '[1]' }), 400, 'Bad Request');
  });

  it("answers a Free store's API calls with 403 only after authentication", async () => {
    const free = await startSimServer(
      createMyCashflowSim({ ...state, store: { name: 'Ilmainen', plan: 'free' } }),
    );
    try {
      const known = { accept: 'application/json', authorization: basic('api@store.example', KEY) };
      for (const response of [
        await fetch(`${free.url}/api/v1/products`, { headers: known }),
        await fetch(`${free.url}/api/v1/webhooks`, { method: 'POST', headers: known, body: '{}' }),
      ]) {
        const body = await expectError(response, 403, 'Forbidden');
        expect(body.message).toMatch(/paid plan \(Advanced, Pro or Enterprise\)/);
      }
      // An unknown caller must not learn the store's plan: 401, and no word of the plan.
      for (const response of [
        await fetch(`${free.url}/api/v1/orders`),
        await fetch(`${free.url}/api/v1/products`, {
          headers: { accept: 'application/json', authorization: basic('api@store.example', 'wrong') },
        }),
      ]) {
        const body = await expectError(response, 401, 'Unauthorized');
        expect(body.message).not.toMatch(/plan|free/i);
      }
    } finally {
      await free.close();
    }
  });

  it('injects faults with the MyCashflow error body and Retry-After', async () => {
    const put = await fetch(`${sim.url}/__sim/faults`, {
      method: 'PUT',
      body: JSON.stringify({ rules: [{ path: '/api/v1/products', status: 429, retryAfter: 3, count: 1 }] }),
    });
    expect(put.status).toBe(200);
    const limited = await call('/api/v1/products');
    expect(limited.headers.get('retry-after')).toBe('3');
    const body = await expectError(limited, 429, 'Too Many Requests');
    expect(body.message).toMatch(/fault injected/);
    expect((await call('/api/v1/products')).status).toBe(200);

    await fetch(`${sim.url}/__sim/faults`, {
      method: 'PUT',
      body: JSON.stringify({ rules: [{ path: '/api/v1/*', status: 503, count: 1 }] }),
    });
    await expectError(await call('/api/v1/orders'), 503, 'Service Unavailable');
    await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' });
  });

  it('produces its own error body for the kit', () => {
    const response = sim.system.errorResponse(500, 'boom');
    expect(response.headers?.['Content-Type']).toBe('application/json');
    expect(JSON.parse(response.body ?? '')).toEqual({
      code: 500,
      error: 'Internal Server Error',
      message: 'boom',
    });
  });

  it('keeps the control API out of the simulated API auth', async () => {
    const response = await fetch(`${sim.url}/__sim/state`);
    expect(response.status).toBe(200);
  });
});
