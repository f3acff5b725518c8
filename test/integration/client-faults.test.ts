import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RemoteError } from '../../src/http/remote-error.ts';
import { NetBaronClient } from '../../src/netbaron/client.ts';
import { collect } from '../../src/util/collect.ts';
import { smallScenario } from '../helpers/scenarios.ts';
import {
  clearRequests,
  FAST_RETRY,
  mcfClient,
  nbClient,
  NB_ORG,
  NB_ORDERS_PASSWORD,
  requestCounts,
  setFaults,
  useSimulators,
} from '../helpers/sims.ts';
import { exampleOrder } from '../helpers/orders.ts';

const sims = await useSimulators(smallScenario());

async function reset(): Promise<void> {
  const { mycashflow, netbaron } = smallScenario();
  await fetch(`${sims.mycashflow.url}/__sim/state`, { method: 'PUT', body: JSON.stringify(mycashflow) });
  await fetch(`${sims.netbaron.url}/__sim/state`, { method: 'PUT', body: JSON.stringify(netbaron) });
  await setFaults(sims.mycashflow.url, []);
  await setFaults(sims.netbaron.url, []);
  await clearRequests(sims.mycashflow.url);
  await clearRequests(sims.netbaron.url);
}

const storedOrders = async (): Promise<unknown[]> =>
  ((await (await fetch(`${sims.netbaron.url}/__sim/state`)).json()) as { sales_orders: unknown[] })
    .sales_orders;

describe('faults and the clients’ reactions', () => {
  beforeEach(reset);
  afterEach(reset);

  it('429 with a Retry-After longer than the time budget: gives up at once and says when to come back', async () => {
    await setFaults(sims.netbaron.url, [{ path: '/ws/salesorder*', status: 429, retryAfter: 120 }]);
    const client = nbClient(sims);
    const err = await client.putSalesOrder(exampleOrder()).then(
      () => undefined,
      (e: unknown) => e,
    );
    // At once: the client waits only before a retry, and it scheduled none (not a time bound, which a
    // busy machine would break): one request, and no retry counted.
    expect(client.stats.retries).toBe(0);
    expect((await requestCounts(sims.netbaron.url)).counts.byMethod.PUT).toBe(1);
    expect(err).toBeInstanceOf(RemoteError);
    expect(err).toMatchObject({ kind: 'rate-limited', retryAfterMs: 120_000 });
    expect(await storedOrders()).toHaveLength(0);
  });

  it('429 with Retry-After: waits at least that long, then succeeds', async () => {
    await setFaults(sims.mycashflow.url, [
      { path: '/api/v1/products', method: 'GET', status: 429, retryAfter: 1, count: 1 },
    ]);
    const client = mcfClient(sims);
    const started = Date.now();
    const products = await collect(client.listProducts(), 100);
    expect(products).toHaveLength(7);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(client.stats.retries).toBe(1);
    expect((await requestCounts(sims.mycashflow.url)).counts.byPath['GET /api/v1/products']).toBe(2);
  });

  it('503 on every attempt: the retry budget runs out and a typed, retryable error comes back', async () => {
    await setFaults(sims.mycashflow.url, [{ path: '/api/v1/*', status: 503 }]);
    const err = await collect(mcfClient(sims).listPaymentMethods(), 10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect(err).toMatchObject({
      kind: 'unavailable',
      disposition: 'retryable',
      status: 503,
      attempts: FAST_RETRY.maxAttempts,
    });
    expect((await requestCounts(sims.mycashflow.url)).total).toBe(FAST_RETRY.maxAttempts);
  });

  it('a GET whose connection drops before the answer is tried again and succeeds', async () => {
    await setFaults(sims.mycashflow.url, [{ path: '/api/v1/versions', drop: 'before', count: 1 }]);
    const versions = await collect(mcfClient(sims).listVersions(), 10);
    expect(versions).toHaveLength(2);
    expect((await requestCounts(sims.mycashflow.url)).counts.byPath['GET /api/v1/versions']).toBe(2);
  });

  it('a GET that gets no answer in time times out and is retried within the budget', async () => {
    await setFaults(sims.mycashflow.url, [{ path: '/api/v1/versions', latencyMs: 400 }]);
    const err = await collect(
      mcfClient(sims, { timeoutMs: 100, retry: { ...FAST_RETRY, maxAttempts: 2 } }).listVersions(),
      10,
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'timeout', disposition: 'retryable', attempts: 2 });
  });

  it('a 500 on a MyCashflow POST is not retried: the product may already exist', async () => {
    await setFaults(sims.mycashflow.url, [
      { path: '/api/v1/products', method: 'POST', status: 500, count: 1 },
    ]);
    const err = await mcfClient(sims)
      .createProduct({ name: 'Uusi', product_code: 'UUSI-1' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'server', disposition: 'outcome-unknown', attempts: 1 });
    expect((await requestCounts(sims.mycashflow.url)).counts.byMethod.POST).toBe(1);
  });

  it('NetBaron GETs are retried through 500 and 503', async () => {
    await setFaults(sims.netbaron.url, [
      { path: '/ws/salesorder', method: 'GET', status: 503, count: 1 },
      { path: '/ws/salesorder', method: 'GET', status: 500, count: 1 },
    ]);
    const client = nbClient(sims);
    expect(await client.listPaymentMethods()).toEqual(['Paytrail', 'Lasku']);
    expect(client.stats.retries).toBe(2);
  });

  it('a PUT whose connection drops after NetBaron stored the order: outcome unknown, not re-sent, found on read-back', async () => {
    await setFaults(sims.netbaron.url, [{ path: '/ws/salesorder', method: 'PUT', drop: 'after', count: 1 }]);
    const client = nbClient(sims);
    const err = await client.putSalesOrder(exampleOrder()).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'connection', disposition: 'outcome-unknown', attempts: 1 });
    expect((err as Error).message).toMatch(/read the order back/);
    expect((await requestCounts(sims.netbaron.url)).counts.byMethod.PUT).toBe(1);
    expect(await storedOrders()).toHaveLength(1);
    const found = await client.findSalesOrders('10023');
    expect(found).toHaveLength(1);
  });

  it('a PUT dropped before NetBaron acted: outcome unknown too, and the read-back proves it absent', async () => {
    await setFaults(sims.netbaron.url, [{ path: '/ws/salesorder', method: 'PUT', drop: 'before', count: 1 }]);
    const client = nbClient(sims);
    const err = await client.putSalesOrder(exampleOrder()).catch((e: unknown) => e);
    expect(err).toMatchObject({ disposition: 'outcome-unknown' });
    expect(await client.findSalesOrders('10023')).toEqual([]);
    await client.putSalesOrder(exampleOrder());
    expect(await storedOrders()).toHaveLength(1);
  });

  it('a 503 or a timeout on a PUT is an unknown outcome and is never retried by the client', async () => {
    await setFaults(sims.netbaron.url, [{ path: '/ws/salesorder', method: 'PUT', status: 503, count: 1 }]);
    // The 503 comes at once, but on a busy machine "at once" can outlast a short timeout: this client's is
    // the default, and only the second, deliberately timed-out PUT has a short one.
    expect(
      await nbClient(sims)
        .putSalesOrder(exampleOrder())
        .catch((e: unknown) => e),
    ).toMatchObject({
      kind: 'unavailable',
      disposition: 'outcome-unknown',
      attempts: 1,
    });
    // The answer comes seconds after the client's timeout of 150 ms, out of reach of a busy machine's delays.
    await setFaults(sims.netbaron.url, [{ path: '/ws/salesorder', method: 'PUT', latencyMs: 2_000 }]);
    const hasty = nbClient(sims, { timeoutMs: 150 });
    expect(await hasty.putSalesOrder(exampleOrder()).catch((e: unknown) => e)).toMatchObject({
      kind: 'timeout',
      disposition: 'outcome-unknown',
      attempts: 1,
    });
    // The simulator logs a request when it has finished with it; the timed-out one is still sleeping.
    await expect
      .poll(async () => (await requestCounts(sims.netbaron.url)).counts.byMethod.PUT, { timeout: 15_000 })
      .toBe(2);
  });

  it('a server that cannot be reached at all is a retryable connection error, even for a PUT', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const client = new NetBaronClient({
      baseUrl: `http://127.0.0.1:${port}`,
      organisation: NB_ORG,
      salesorder: { password: NB_ORDERS_PASSWORD },
      retry: FAST_RETRY,
    });
    expect(await client.putSalesOrder(exampleOrder()).catch((e: unknown) => e)).toMatchObject({
      kind: 'connection',
      disposition: 'retryable',
    });
  });
});
