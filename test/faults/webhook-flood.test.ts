import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  deliveryBody,
  floodOutcome,
  MYCASHFLOW_WAIT_MS,
  storeWithSubscription,
  webhookFlood,
} from '../../bench/lib/webhook-flood.ts';
import { AdminClient } from '../helpers/service.ts';
import { createCluster } from '../helpers/service-process.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

/*
 * The webhook intake attacked as an outsider would: 700 real deliveries, 700 replays and 600 forged
 * ones at once at a `serve --role web` process (no worker, so every queued export stays countable),
 * a body trickling in a byte at a time, JSON nested thousands deep, and page numbers no page has.
 * What must never happen is asserted; how fast it went is `npm run bench:webhooks`'s business.
 */

const database = await createTestDatabase();
const uuid = await storeWithSubscription(database.db, 'flood');
const cluster = await createCluster(database);
const web = await cluster.start('web');
const hook = `${web.url}/hooks/mycashflow/flood`;

describe('webhook intake under attack', () => {
  it('answers every real delivery within MyCashflow’s 10 s, stores and queues each order once, stores nothing forged', async () => {
    const result = await webhookFlood(
      { url: web.url, slug: 'flood', uuid },
      { real: 700, replays: 700, forged: 600 },
    );
    const late = result.real.filter((a) => a.status !== 200 || a.ms >= MYCASHFLOW_WAIT_MS);
    expect(late).toEqual([]);
    expect(result.replays.every((a) => a.status === 200)).toBe(true);
    expect(result.forged.every((a) => a.status === 401)).toBe(true);

    const outcome = await floodOutcome(database.db, 'flood');
    const realIds = result.real.map((a) => a.orderId).sort((a, b) => a - b);
    expect([...outcome.orderIds].sort((a, b) => a - b)).toEqual(realIds);
    expect([...outcome.receivedEvents].sort((a, b) => a - b)).toEqual(realIds);
    expect(outcome.jobsByKey.size).toBe(700);
    expect([...outcome.jobsByKey.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);

  it('cuts off a body that arrives one byte at a time', async () => {
    const body = deliveryBody(uuid, 42);
    const socket = connect(Number(new URL(web.url).port), '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8').on('data', (c: string) => (answer += c));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(
      `POST /hooks/mycashflow/flood HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        `X-MyCashflow-Webhook-Uuid: ${uuid}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
    let sent = 0;
    const drip = setInterval(() => {
      if (socket.destroyed || sent >= body.length) return clearInterval(drip);
      socket.write(body[sent]!);
      sent += 1;
    }, 500);
    await closed;
    clearInterval(drip);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(sent).toBeLessThan(body.length);
    expect(await floodOutcome(database.db, 'flood').then((o) => o.orderIds.includes(42))).toBe(false);
  }, 30_000);

  it('refuses deeply nested JSON with 400, and the receiver still works after it', async () => {
    const deep = `{"topic":"order.created","uuid":"${uuid}","data":{"id":43,"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    const res = await fetch(hook, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-MyCashflow-Webhook-Uuid': uuid },
      body: deep,
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('nested deeper');
    const next = await fetch(hook, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-MyCashflow-Webhook-Uuid': uuid },
      body: deliveryBody(uuid, 44),
    });
    expect(next.status).toBe(200);
  });

  it('answers numeric query parameters no page has without a server error', async () => {
    const admin = new AdminClient(web.url);
    await admin.signIn();
    const huge = ['99999999999999999999', '9007199254740991', '-1', '1e308', 'NaN', '0x10', '1.5'];
    const paths = [
      '/',
      '/connections/flood',
      '/connections/flood/orders',
      '/connections/flood/runs',
      '/connections/flood/problems',
      '/connections/flood/store-products',
    ];
    for (const path of paths)
      for (const value of huge)
        for (const name of ['page', 'requeued', 'retried', 'limit', 'offset']) {
          const answer = await admin.get(`${path}?${name}=${encodeURIComponent(value)}`);
          expect(answer.status, `${path}?${name}=${value}`).toBeLessThan(500);
        }
    for (const path of ['runs', 'orders', 'imports'])
      for (const value of huge) {
        const answer = await admin.get(`/connections/flood/${path}/${encodeURIComponent(value)}`);
        expect(answer.status, `/connections/flood/${path}/${value}`).toBeLessThan(500);
      }
  }, 60_000);
});
