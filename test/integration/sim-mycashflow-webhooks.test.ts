import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSim, startSimServer } from '../../simulators/kit/server.ts';
import { createMyCashflowSim, type MyCashflowSim } from '../../simulators/mycashflow/index.ts';

const AUTH = `Basic ${Buffer.from('api@example.com:demo-key').toString('base64')}`;

interface Received {
  headers: IncomingHttpHeaders;
  body: { topic: string; uuid: string; data: Record<string, unknown> };
}

/** A tiny receiver that records every delivery and answers 200. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'],
      });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/mycashflow`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('MyCashflow simulator: webhooks', () => {
  let sim: RunningSim<MyCashflowSim>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeEach(async () => {
    sim = await startSimServer(
      createMyCashflowSim({
        payment_methods: [{ name: 'Lasku' }],
        products: [{ product_code: 'PIPO', name: 'Pipo ä', price: 19.9, stock_item: { quantity: 3 } }],
      }),
    );
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await sim.close();
    await receiver.close();
  });

  const call = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${sim.url}/api/v1${path}`, {
      method,
      headers: { authorization: AUTH, accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  it('subscribes as documented and delivers order.created once, with the uuid header and the expands', async () => {
    const subscribed = await call('POST', '/webhooks', {
      topic: 'order.created',
      expands: ['products', 'tax_summary'],
      url: receiver.url,
    });
    expect(subscribed.status).toBe(200);
    const hook = subscribed.body.data as {
      uuid: string;
      user_id: number;
      topic: string;
      expands: string[];
      url: string;
    };
    expect(hook).toEqual({
      uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      user_id: 1,
      topic: 'order.created',
      expands: ['products', 'tax_summary'],
      url: receiver.url,
    });
    expect((await call('GET', '/webhooks')).body.data).toEqual([hook]);

    const placed = sim.system.placeOrder({ products: [{ product_code: 'PIPO', quantity: 2 }] });
    await sim.system.idle();

    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery!.headers['content-type']).toBe('application/json');
    expect(delivery!.headers['x-mycashflow-webhook-uuid']).toBe(hook.uuid);
    expect(delivery!.body.topic).toBe('order.created');
    expect(delivery!.body.uuid).toBe(hook.uuid);
    expect(delivery!.body.data).toMatchObject({ id: placed.id, total: 39.8 });
    expect(delivery!.body.data.products).toMatchObject([
      { product_code: 'PIPO', product_name: 'Pipo ä', quantity: 2 },
    ]);
    expect(delivery!.body.data.tax_summary).toBeDefined();
    expect(delivery!.body.data).not.toHaveProperty('payments');

    const log = await (await fetch(`${sim.url}/__sim/webhook-deliveries`)).json();
    expect(log).toEqual({
      data: [
        {
          uuid: hook.uuid,
          url: receiver.url,
          order_id: placed.id,
          topic: 'order.created',
          status: 200,
          at: expect.any(String),
        },
      ],
    });
    expect(sim.system.deliveries()).toHaveLength(1);
  });

  it('delivers for orders placed through the control route, and stops after DELETE', async () => {
    const hook = (await call('POST', '/webhooks', { topic: 'order.created', expands: [], url: receiver.url }))
      .body.data as { uuid: string };
    await fetch(`${sim.url}/__sim/orders`, {
      method: 'POST',
      body: JSON.stringify({ products: [{ product_code: 'PIPO' }] }),
    });
    await sim.system.idle();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.body.data).not.toHaveProperty('products');

    const deleted = await fetch(`${sim.url}/api/v1/webhooks/${hook.uuid}`, {
      method: 'DELETE',
      headers: { authorization: AUTH, accept: 'application/json' },
    });
    expect(deleted.status).toBe(204);
    expect((await call('DELETE', `/webhooks/${hook.uuid}`)).status).toBe(404);
    sim.system.placeOrder({ products: [{ product_code: 'PIPO' }] });
    await sim.system.idle();
    expect(receiver.received).toHaveLength(1);
  });

  it('refuses a subscription with a wrong topic, url or expand', async () => {
    for (const body of [
      { topic: 'order.updated', expands: [], url: receiver.url },
      { topic: 'order.created', expands: [], url: 'ftp://example.com/x' },
      { topic: 'order.created', expands: [], url: 'not a url' },
      { topic: 'order.created', expands: ['variations'], url: receiver.url },
      { topic: 'order.created', expands: [] },
    ]) {
      const response = await call('POST', '/webhooks', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error).toBe('Bad Request');
    }
    expect((await call('GET', '/webhooks')).body.data).toEqual([]);
  });

  it('never waits for a receiver and never crashes on one that is down', async () => {
    const dead = await startReceiver();
    const deadUrl = dead.url;
    await dead.close();
    await call('POST', '/webhooks', { topic: 'order.created', expands: [], url: deadUrl });
    await call('POST', '/webhooks', { topic: 'order.created', expands: [], url: receiver.url });
    const placed = sim.system.placeOrder({ products: [{ product_code: 'PIPO' }] });
    expect(placed.id).toBe(1);
    await sim.system.idle();
    const log = sim.system.deliveries();
    expect(log).toHaveLength(2);
    expect(log.find((d) => d.url === deadUrl)).toMatchObject({ order_id: 1, error: expect.any(String) });
    expect(log.find((d) => d.url === receiver.url)).toMatchObject({ order_id: 1, status: 200 });
    expect((await call('GET', '/products')).status).toBe(200);
  });
});
