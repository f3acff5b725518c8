import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Worker } from 'node:worker_threads';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';

/*
 * The mixed flood of issue 12, shared by `bench/webhook-flood.ts` (which prints its latencies) and the
 * fault suite (which asserts what must never happen): real `order.created` deliveries, replays of them
 * and forged ones, all sent at once, while `/healthz` is asked again and again.
 */

export interface FloodTarget {
  url: string;
  slug: string;
  /** The connection's subscription uuid: what MyCashflow sends. */
  uuid: string;
}

export interface FloodSize {
  real: number;
  replays: number;
  forged: number;
  /** The first real order id; the forged ones use ids no real delivery has. */
  firstOrderId?: number;
}

export interface Answered {
  orderId: number;
  /** 0: no answer (the connection failed or 30 s passed). */
  status: number;
  ms: number;
}

export interface FloodResult {
  real: Answered[];
  replays: Answered[];
  forged: Answered[];
  /** Each `/healthz` answer time while the flood lasted, in ms. */
  healthz: number[];
  wallMs: number;
}

export const MYCASHFLOW_WAIT_MS = 10_000;

export function deliveryBody(uuid: string, orderId: number): string {
  return JSON.stringify({
    topic: 'order.created',
    uuid,
    data: { id: orderId, created_at: '2026-11-20T10:00:00+02:00', status: 'NEW', total: 24.9 },
  });
}

/*
 * The senders are modelled as the outside world has them: MyCashflow, a replaying sender and an attacker
 * each keep their own pool of connections (every request starts at once and waits for a connection of
 * its sender's pool, and that wait counts in its answer time). Through node:http, not fetch: on two cores
 * fetch's own cost per request would be measured instead of the service's.
 */
export const SENDER_CONNECTIONS = { real: 64, replays: 64, forged: 128 } as const;

function post(
  agent: http.Agent,
  url: URL,
  headerUuid: string,
  body: string,
  orderId: number,
): Promise<Answered> {
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (status: number) => resolve({ orderId, status, ms: performance.now() - started });
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        timeout: 30_000,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          'X-MyCashflow-Webhook-Uuid': headerUuid,
        },
      },
      (res) => {
        res.resume();
        res.once('end', () => done(res.statusCode ?? 0));
        res.once('error', () => done(0));
      },
    );
    req.once('timeout', () => req.destroy());
    req.once('error', () => done(0));
    req.end(body);
  });
}

/** A deterministic shuffle, so every run sends the same mix in the same order. */
function shuffle<T>(items: T[], seed = 12): T[] {
  let a = seed;
  const next = () => (a = (a * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export async function webhookFlood(target: FloodTarget, size: FloodSize): Promise<FloodResult> {
  const first = size.firstOrderId ?? 1_000_001;
  const hook = new URL(`${target.url}/hooks/mycashflow/${target.slug}`);
  const agents = {
    real: new http.Agent({ keepAlive: true, maxSockets: SENDER_CONNECTIONS.real }),
    replays: new http.Agent({ keepAlive: true, maxSockets: SENDER_CONNECTIONS.replays }),
    forged: new http.Agent({ keepAlive: true, maxSockets: SENDER_CONNECTIONS.forged }),
  };
  type Send = { kind: 'real' | 'replays' | 'forged'; run: () => Promise<Answered> };
  const sends: Send[] = [];
  for (let i = 0; i < size.real; i += 1) {
    const id = first + i;
    sends.push({
      kind: 'real',
      run: () => post(agents.real, hook, target.uuid, deliveryBody(target.uuid, id), id),
    });
  }
  for (let i = 0; i < size.replays; i += 1) {
    const id = first + (i % Math.max(1, size.real));
    sends.push({
      kind: 'replays',
      run: () => post(agents.replays, hook, target.uuid, deliveryBody(target.uuid, id), id),
    });
  }
  for (let i = 0; i < size.forged; i += 1) {
    const id = first + size.real + i;
    const forgedUuid = randomUUID();
    sends.push({
      kind: 'forged',
      run: () => post(agents.forged, hook, forgedUuid, deliveryBody(forgedUuid, id), id),
    });
  }
  shuffle(sends);

  // The monitor asks /healthz from its own thread, so the senders' work in this process cannot delay
  // its clock: what it measures is the service's answer.
  const probe = new Worker(new URL('./healthz-probe.mjs', import.meta.url), {
    workerData: { url: `${target.url}/healthz`, everyMs: 20 },
  });
  const probed = new Promise<number[]>((resolve, reject) => {
    probe.once('message', (times: number[]) => resolve(times));
    probe.once('error', reject);
  });
  await new Promise<void>((resolve) => probe.once('online', () => resolve()));
  const started = performance.now();
  const answers = await Promise.all(sends.map(async (s) => ({ kind: s.kind, answer: await s.run() })));
  const wallMs = performance.now() - started;
  probe.postMessage('stop');
  const healthz = await probed;
  await probe.terminate();
  for (const agent of Object.values(agents)) agent.destroy();
  const of = (kind: Send['kind']) => answers.filter((a) => a.kind === kind).map((a) => a.answer);
  return { real: of('real'), replays: of('replays'), forged: of('forged'), healthz, wallMs };
}

/** A store row and its subscription, enough for the receiver to accept deliveries for `slug`. */
export async function storeWithSubscription(
  db: Kysely<Database>,
  slug: string,
): Promise<FloodTarget['uuid']> {
  const { id } = await db
    .insertInto('connections')
    .values({ slug, name: slug, settings: JSON.stringify({}) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const uuid = randomUUID();
  await db
    .insertInto('webhook_subscriptions')
    .values({
      connection_id: id,
      topic: 'order.created',
      uuid,
      url: `http://127.0.0.1/hooks/mycashflow/${slug}`,
      expands: JSON.stringify([]),
    })
    .execute();
  return uuid;
}

/** What the flood left in the database for `slug`: stored orders, their receipts and queued exports. */
export async function floodOutcome(db: Kysely<Database>, slug: string) {
  const ledger = await db
    .selectFrom('order_ledger')
    .innerJoin('connections', 'connections.id', 'order_ledger.connection_id')
    .select('order_ledger.order_id')
    .where('connections.slug', '=', slug)
    .execute();
  const received = await db
    .selectFrom('order_events')
    .innerJoin('connections', 'connections.id', 'order_events.connection_id')
    .select(['order_events.order_id', 'order_events.kind'])
    .where('connections.slug', '=', slug)
    .execute();
  const { rows: jobs } = await sql<{ key: string; n: string }>`
    select singleton_key as key, count(*) as n from pgboss.job
    where name = 'export-order' group by singleton_key`.execute(db);
  return {
    orderIds: ledger.map((r) => Number(r.order_id)),
    receivedEvents: received.filter((r) => r.kind === 'received').map((r) => Number(r.order_id)),
    jobsByKey: new Map(jobs.map((j) => [j.key, Number(j.n)])),
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
