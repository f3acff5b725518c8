import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Worker } from 'node:worker_threads';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';

/*
 * The mixed flood of issue 12, shared by `bench/webhook-flood.ts` (which measures it) and the fault suite
 * (which asserts what must never happen): real `order.created` deliveries, replays of them and forged
 * ones, all sent at once, while `/healthz` is asked again and again.
 */

/** A delivery's answer; status 0 is none (the connection failed or 30 s passed). */
export type Answered = { orderId: number; status: number; ms: number };

export const MYCASHFLOW_WAIT_MS = 10_000;

export const deliveryBody = (uuid: string, orderId: number): string =>
  JSON.stringify({
    topic: 'order.created',
    uuid,
    data: { id: orderId, created_at: '2026-11-20T10:00:00+02:00', status: 'NEW', total: 24.9 },
  });

function post(agent: http.Agent, url: URL, uuid: string, orderId: number): Promise<Answered> {
  const [body, started] = [deliveryBody(uuid, orderId), performance.now()];
  const headers = { 'Content-Type': 'application/json', 'X-MyCashflow-Webhook-Uuid': uuid };
  return new Promise((resolve) => {
    const done = (status: number) => resolve({ orderId, status, ms: performance.now() - started });
    const req = http.request(url, { method: 'POST', agent, timeout: 30_000, headers }, (res) => {
      res.resume().once('end', () => done(res.statusCode ?? 0));
      res.once('error', () => done(0));
    });
    req.once('timeout', () => req.destroy()).once('error', () => done(0));
    req.end(body);
  });
}

/**
 * The senders are modelled as the outside world has them: MyCashflow, a replaying sender and an attacker
 * each keep their own pool of connections (64, 64 and 128); every request starts at once and waits for a
 * connection of its pool, and that wait counts in its answer time. Through node:http, not fetch: on two
 * cores fetch's own cost per request would be measured instead of the service's. The mix is shuffled the
 * same way every run; `/healthz` is asked every 20 ms from a thread of its own, so that the senders' work
 * cannot delay its clock.
 */
export async function webhookFlood(
  target: { url: string; slug: string; uuid: string },
  size: { real: number; replays: number; forged: number },
) {
  const first = 1_000_001;
  const hook = new URL(`${target.url}/hooks/mycashflow/${target.slug}`);
  const pool = (maxSockets: number) => new http.Agent({ keepAlive: true, maxSockets });
  const agents = { real: pool(64), replays: pool(64), forged: pool(128) };
  const send = (kind: keyof typeof agents, orderId: number, uuid = target.uuid) => ({ kind, orderId, uuid });
  const sends = [
    ...Array.from({ length: size.real }, (_, i) => send('real', first + i)),
    ...Array.from({ length: size.replays }, (_, i) => send('replays', first + (i % Math.max(1, size.real)))),
    ...Array.from({ length: size.forged }, (_, i) => send('forged', first + size.real + i, randomUUID())),
  ];
  for (let i = sends.length - 1, seed = 12; i > 0; i -= 1) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = Math.floor((seed / 0x7fffffff) * (i + 1));
    [sends[i], sends[j]] = [sends[j]!, sends[i]!];
  }
  const probe = new Worker(new URL('./healthz-probe.mjs', import.meta.url), {
    workerData: { url: `${target.url}/healthz`, everyMs: 20 },
  });
  const healthz = new Promise<number[]>((resolve, reject) =>
    probe.once('message', resolve).once('error', reject),
  );
  await new Promise((resolve) => probe.once('online', resolve));
  const started = performance.now();
  const answers = await Promise.all(sends.map((s) => post(agents[s.kind], hook, s.uuid, s.orderId)));
  const wallMs = performance.now() - started;
  probe.postMessage('stop');
  const result = { real: [] as Answered[], replays: [] as Answered[], forged: [] as Answered[] };
  sends.forEach((s, i) => result[s.kind].push(answers[i]!));
  Object.values(agents).forEach((agent) => agent.destroy());
  return { ...result, healthz: await healthz.finally(() => probe.terminate()), wallMs };
}

/** A store and its subscription, enough for the receiver to accept deliveries for `slug`; its uuid. */
export async function storeWithSubscription(db: Kysely<Database>, slug: string): Promise<string> {
  const { id } = await db
    .insertInto('connections')
    .values({ slug, name: slug, settings: JSON.stringify({}) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const uuid = randomUUID();
  const url = `http://127.0.0.1/hooks/mycashflow/${slug}`;
  const subscription = { connection_id: id, topic: 'order.created', uuid, url, expands: JSON.stringify([]) };
  await db.insertInto('webhook_subscriptions').values(subscription).execute();
  return uuid;
}

/** What the flood left in the database for `slug`: stored orders, their receipts and queued exports. */
export async function floodOutcome(db: Kysely<Database>, slug: string) {
  const of = (table: 'order_ledger' | 'order_events') =>
    db
      .selectFrom(table)
      .innerJoin('connections', 'connections.id', `${table}.connection_id`)
      .where('connections.slug', '=', slug);
  const ledger = await of('order_ledger').select('order_ledger.order_id').execute();
  const received = await of('order_events')
    .select('order_events.order_id')
    .where('kind', '=', 'received')
    .execute();
  const { rows: jobs } = await sql<{ key: string; n: string }>`select singleton_key as key, count(*) as n
    from pgboss.job where name = 'export-order' group by singleton_key`.execute(db);
  return {
    orderIds: ledger.map((r) => Number(r.order_id)),
    receivedEvents: received.map((r) => Number(r.order_id)),
    jobsByKey: new Map(jobs.map((j) => [j.key, Number(j.n)])),
  };
}
