import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../simulators/kit/request-log.ts';
import type { RunningSimulators } from '../../simulators/scenario.ts';
import { ensureWebhookSubscription } from '../../src/orders/webhook-subscription.ts';
import { webhookSubscriptionStore } from '../../src/db/order-ledger-store.ts';
import { connectionFileFor, startStoreSims, startTestService, type TestService } from '../helpers/service.ts';
import {
  CUSTOMER,
  ledgerEvents,
  ledgerRows,
  placeOrder,
  setFaults,
  waitFor,
  webhookDeliveries,
  type PlacedOrder,
} from '../helpers/worker-process.ts';

/*
 * MyCashflow's `order.created` deliveries as a real network delivers them: repeated, out of order, late
 * (after polling already exported the order), and forged. The store's own deliveries go through a tap
 * in this file: the connector subscribes itself to the tap's address (so the tap receives exactly the
 * body and uuid header MyCashflow sends), and the tap either forwards each delivery to the service or
 * only keeps it, for the test to deliver later, repeatedly or shuffled. Every scenario ends on final
 * state: NetBaron's sales orders, the simulators' request logs, the ledger and its history.
 *
 * Polling runs only when a test calls it (the schedule is once a year), so that an order reaches the
 * ledger only by the deliveries the test makes.
 */

/** Scheduled polling once a year: in this file only `pollNow()` polls. */
const NEVER_CRON = '0 0 1 1 *';
const SALES_ORDER_PATH = /^\/ws\/salesorder\d*$/;
const SERVICE_ARTICLES = new Set(['TOIMITUS', 'MAKSUKULU', 'ALENNUS']);
const PRODUCT_CODES = ['KAHVI-1', 'KIRJA-1', 'TS-100-M', 'TS-100-S'];
/** Each scenario, start to end, on a busy machine too; the waits inside it give up sooner (30–45 s). */
const SCENARIO_MS = 90_000;

// ---------------------------------------------------------------------------------------------------
// Seeded randomness: the same extras, products and shuffle on every run

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], rng: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

interface OrderLine {
  product_code: string;
  quantity: number;
}

interface OrderSpec {
  email: string;
  paymentMethodId: number;
  lines: OrderLine[];
}

/** One to three distinct products, 1–3 of each, and a buyer email of its own: every order is unlike the others. */
function orderSpec(rng: () => number, tag: string, index: number): OrderSpec {
  const count = 1 + Math.floor(rng() * 3);
  const lines = shuffled(PRODUCT_CODES, rng)
    .slice(0, count)
    .map((product_code) => ({ product_code, quantity: 1 + Math.floor(rng() * 3) }));
  return { email: `${tag}-${index}@example.com`, paymentMethodId: 1 + Math.floor(rng() * 2), lines };
}

async function placeSpec(sims: RunningSimulators, spec: OrderSpec): Promise<PlacedOrder> {
  return placeOrder(sims, {
    customer_information: { ...CUSTOMER, email: spec.email },
    payment_method_id: spec.paymentMethodId,
    products: spec.lines,
  });
}

interface Placed extends PlacedOrder {
  spec: OrderSpec;
}

/** Checkouts one after another, each unlike the others (seeded); the store delivers each in the background. */
async function placeOrders(
  sims: RunningSimulators,
  tag: string,
  count: number,
  seed: number,
): Promise<Placed[]> {
  const rng = mulberry32(seed);
  const placed: Placed[] = [];
  for (let i = 0; i < count; i += 1) {
    const spec = orderSpec(rng, tag, i);
    placed.push({ ...(await placeSpec(sims, spec)), spec });
  }
  await sims.mycashflow.system.idle();
  return placed;
}

// ---------------------------------------------------------------------------------------------------
// Deliveries to the service

interface Answer {
  status: number;
  body: { ok?: boolean; orderId?: number; duplicate?: boolean; error?: string };
}

interface Delivery {
  slug: string;
  orderId: number;
  /** The `X-MyCashflow-Webhook-Uuid` header as MyCashflow sent it. */
  uuid: string;
  /** The body exactly as MyCashflow sent it. */
  body: string;
  /** The service's answer, when the tap forwarded it. */
  answer?: Answer;
}

let t: TestService;

async function deliver(slug: string, body: string, uuid: string | undefined): Promise<Answer> {
  const res = await fetch(`${t.url}/hooks/mycashflow/${slug}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(uuid === undefined ? {} : { 'X-MyCashflow-Webhook-Uuid': uuid }),
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Answer['body']) : {} };
}

interface TapRoute {
  mode: 'forward' | 'capture';
  /** Extra posts made at the same moment as the forwarded original. */
  alongside?: (delivery: Delivery) => Array<Promise<unknown>>;
}

/** The address the connector subscribes to: keeps every delivery, and forwards it or not per connection. */
async function startTap(): Promise<{
  url: string;
  route(slug: string, route: TapRoute): void;
  deliveries(slug: string): Delivery[];
  close(): Promise<void>;
}> {
  const routes = new Map<string, TapRoute>();
  const kept: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const body = Buffer.concat(chunks).toString('utf8');
        const slug = /^\/hooks\/mycashflow\/([^/?]+)$/.exec(req.url ?? '')?.[1] ?? '';
        const header = req.headers['x-mycashflow-webhook-uuid'];
        const delivery: Delivery = {
          slug,
          orderId: (JSON.parse(body) as { data: { id: number } }).data.id,
          uuid: typeof header === 'string' ? header : '',
          body,
        };
        const route = routes.get(slug) ?? { mode: 'capture' };
        if (route.mode === 'capture') {
          kept.push(delivery);
          res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"captured":true}');
          return;
        }
        const [answer] = await Promise.all([
          deliver(slug, body, delivery.uuid || undefined),
          ...(route.alongside?.(delivery) ?? []),
        ]);
        delivery.answer = answer;
        kept.push(delivery);
        res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer.body));
      } catch (err) {
        res.writeHead(500).end(String(err));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    route: (slug, route) => routes.set(slug, route),
    deliveries: (slug) => kept.filter((d) => d.slug === slug),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------------
// The scene: one service, a store pair per connection, the tap

let tap: Awaited<ReturnType<typeof startTap>>;

interface Connected {
  slug: string;
  sims: RunningSimulators;
  connectionId: string;
  uuid: string;
}

/** The connection stored, and subscribed to `order.created` at the tap (as the service does, at another address). */
async function connect(sims: RunningSimulators, slug: string, route: TapRoute): Promise<Connected> {
  tap.route(slug, route);
  const record = await t.service.store.upsertFromFile(connectionFileFor(sims, slug));
  const runtime = await t.service.context.registry.get(record.id);
  const url = `${tap.url}/hooks/mycashflow/${slug}`;
  const { uuid } = await ensureWebhookSubscription(
    webhookSubscriptionStore(t.service.database.db),
    runtime!.mcf,
    record.id,
    url,
  );
  // The store delivers to the tap, with the uuid the connector keeps.
  const stored = await t.service.database.db
    .selectFrom('webhook_subscriptions')
    .select(['uuid', 'url'])
    .where('connection_id', '=', record.id)
    .execute();
  expect(stored).toEqual([{ uuid, url }]);
  const state = (await (await fetch(`${sims.mycashflow.url}/__sim/state`)).json()) as {
    webhooks: Array<{ uuid: string; url: string }>;
  };
  expect(state.webhooks.map((w) => [w.uuid, w.url])).toEqual([[uuid, url]]);
  return { slug, sims, connectionId: record.id, uuid };
}

async function simLog(sims: RunningSimulators, system: 'mycashflow' | 'netbaron') {
  const res = await fetch(`${sims[system].url}/__sim/requests`);
  return (await res.json()) as { requests: LoggedRequest[]; counts: { byPath: Record<string, number> } };
}

async function salesOrderPuts(sims: RunningSimulators): Promise<LoggedRequest[]> {
  return (await simLog(sims, 'netbaron')).requests.filter(
    (r) => r.method === 'PUT' && SALES_ORDER_PATH.test(r.path),
  );
}

/** NetBaron's sales orders counted by `OrderIdentifier`. */
function netbaronCounts(sims: RunningSimulators): Map<string, number> {
  const counts = new Map<string, number>();
  for (const o of sims.netbaron.system.salesOrders()) {
    const id = o.InvoiceDetails.OrderIdentifier;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Export jobs queued, waiting for a retry or running (of every connection). */
async function exportJobsOpen(): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    select count(*) as n from pgboss.job
    where name = 'export-order' and state in ('created', 'retry', 'active')`.execute(t.service.database.db);
  return Number(rows[0]!.n);
}

/** No export job queued, waiting for a retry or running: whatever repeated deliveries queued has run. */
async function exportQueueIdle(): Promise<void> {
  await waitFor('the export queue idle', async () => ((await exportJobsOpen()) === 0 ? true : undefined), {
    timeoutMs: 30_000,
  });
}

async function allSent(c: Connected, count: number): Promise<void> {
  await waitFor(
    `${count} orders of ${c.slug} sent`,
    async () => {
      const rows = await ledgerRows(t.service.database.db, c.slug);
      return rows.length === count && rows.every((r) => r.state === 'sent') ? true : undefined;
    },
    { timeoutMs: 45_000 },
  );
}

/**
 * Each order in NetBaron exactly once and nothing else there, as a document of that order (its total,
 * buyer, payment method and product rows); exactly one PUT per order in NetBaron's request log (as many
 * PUTs as orders, each of which NetBaron holds, so none had two), every one a 200; the ledger with one
 * `sent` row per order under NetBaron's number, sent in one attempt; and MyCashflow asked to change
 * nothing but the one subscription.
 */
async function assertExportedOnce(c: Connected, placed: Placed[]): Promise<void> {
  const ids = placed.map((o) => o.id).sort((a, b) => a - b);
  expect(netbaronCounts(c.sims)).toEqual(new Map(ids.map((id) => [String(id), 1])));
  const puts = await salesOrderPuts(c.sims);
  expect(puts.map((p) => p.status)).toEqual(ids.map(() => 200));

  const docs = c.sims.netbaron.system.salesOrders();
  for (const o of placed) {
    const doc = docs.find((d) => d.InvoiceDetails.OrderIdentifier === String(o.id))!;
    expect(doc.InvoiceDetails.InvoiceTotalVatIncludedAmount).toBe(o.total.toFixed(2));
    expect(doc).toMatchObject({
      BuyerCommunicationDetails: { BuyerEmailaddressIdentifier: o.spec.email },
      PaymentStatusDetails: { PaymentMethodText: o.spec.paymentMethodId === 1 ? 'Paytrail' : 'Lasku' },
    });
    const rows = (doc.InvoiceRow as Array<Record<string, string>>)
      .filter((r) => !SERVICE_ARTICLES.has(r.ArticleIdentifier!))
      .map((r) => `${r.ArticleIdentifier} × ${Number(r.OrderedQuantity)}`)
      .sort();
    expect(rows).toEqual(o.spec.lines.map((l) => `${l.product_code} × ${l.quantity}`).sort());
  }

  const numbers = new Map(docs.map((d) => [Number(d.InvoiceDetails.OrderIdentifier), d.SalesOrderNumber]));
  const rows = await ledgerRows(t.service.database.db, c.slug);
  expect(rows.map((r) => [r.orderId, r.state, r.attempts, r.salesOrderNumber])).toEqual(
    ids.map((id) => [id, 'sent', 1, numbers.get(id)]),
  );
  const mcfWrites = (await simLog(c.sims, 'mycashflow')).requests.filter((r) => r.method !== 'GET');
  expect(mcfWrites.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v1/webhooks']);
}

const kindsOf = (events: Array<{ kind: string; detail: string | null }>) =>
  events.map((e) => (e.kind === 'received' || e.kind === 'seen-again' ? `${e.kind}:${e.detail}` : e.kind));

let dup: Connected;
let reorder: Connected;
let delayed: Connected;
let forgeA: Connected;
let forgeB: Connected;
let unsubscribedSlug: string;

beforeAll(async () => {
  t = await startTestService({ pollCron: NEVER_CRON });
  tap = await startTap();
  afterAll(() => tap.close());
  const [simsDup, simsReorder, simsDelayed, simsA, simsB, simsC] = await Promise.all(
    Array.from({ length: 6 }, () => startStoreSims()),
  );
  // The service's own start-up pass (subscribe every stored connection, then poll) runs while there is
  // none yet; once it has ended, nothing subscribes the connections below anew at the service's own
  // address. Waited for, not guessed at: on a busy machine it may outlast any fixed pause.
  await t.service.startUpSettled;
  dup = await connect(simsDup!, 'dup', { mode: 'forward' });
  reorder = await connect(simsReorder!, 'reorder', { mode: 'capture' });
  delayed = await connect(simsDelayed!, 'delayed', { mode: 'capture' });
  forgeA = await connect(simsA!, 'forge-a', { mode: 'capture' });
  forgeB = await connect(simsB!, 'forge-b', { mode: 'capture' });
  // Stored and ready, but never subscribed: no uuid to accept.
  unsubscribedSlug = 'forge-c';
  await t.service.store.upsertFromFile(connectionFileFor(simsC!, unsubscribedSlug));
}, 60_000);

describe('order.created deliveries under faults', () => {
  it(
    'exports once each of 20 orders whose deliveries came 3–6 times, alongside the original, in a burst and late',
    async () => {
      const N = 20;
      // NetBaron a little slow, so that repeats arrive while the first send is in flight.
      await setFaults(dup.sims, 'netbaron', [{ path: '/ws/salesorder', method: 'PUT', latencyMs: 150 }]);
      type Kind = 'original' | 'alongside' | 'burst' | 'late';
      const answers = new Map<number, Array<{ kind: Kind; answer: Answer }>>();
      const note = (orderId: number, kind: Kind, answer: Answer) => {
        const list = answers.get(orderId) ?? [];
        list.push({ kind, answer });
        answers.set(orderId, list);
      };
      // 2–5 extra copies per order, from a seed per order id (the tap sees the delivery before the test
      // knows the id): every other order gets up to two copies at the same moment as the original.
      const plan = (orderId: number) => {
        const rng = mulberry32(0x5eed ^ orderId);
        const extra = 2 + Math.floor(rng() * 4);
        const alongside = orderId % 2 === 0 ? Math.min(2, extra) : 0;
        const burst = Math.ceil((extra - alongside) / 2);
        return { extra, alongside, burst, late: extra - alongside - burst };
      };
      const repost = async (d: Delivery, kind: Kind) =>
        note(d.orderId, kind, await deliver(d.slug, d.body, d.uuid));
      tap.route('dup', {
        mode: 'forward',
        alongside: (d) => Array.from({ length: plan(d.orderId).alongside }, () => repost(d, 'alongside')),
      });

      const placed = await placeOrders(dup.sims, 'dup', N, 1);
      const originals = tap.deliveries('dup');
      expect(originals.map((d) => d.orderId).sort((a, b) => a - b)).toEqual(placed.map((o) => o.id));
      for (const d of originals) {
        expect(d.uuid).toBe(dup.uuid);
        expect(JSON.parse(d.body)).toMatchObject({
          topic: 'order.created',
          uuid: dup.uuid,
          data: { id: d.orderId },
        });
        note(d.orderId, 'original', d.answer!);
      }

      // A burst of copies of every order at once, while sends are still going on...
      await Promise.all(
        originals.flatMap((d) => Array.from({ length: plan(d.orderId).burst }, () => repost(d, 'burst'))),
      );
      await allSent(dup, N);
      await exportQueueIdle();
      // ...and the rest long after every order was sent.
      await Promise.all(
        originals.map(async (d) => {
          for (let k = 0; k < plan(d.orderId).late; k += 1) await repost(d, 'late');
        }),
      );
      await exportQueueIdle();

      let repeatedWhileSending = 0;
      for (const order of placed) {
        const list = answers.get(order.id)!;
        const p = plan(order.id);
        expect(list).toHaveLength(1 + p.extra);
        for (const { answer } of list)
          expect(answer).toEqual({
            status: 200,
            body: expect.objectContaining({ ok: true, orderId: order.id }),
          });
        // Exactly one of them stored the order; every copy after the original's answer was a duplicate.
        expect(list.filter((a) => a.answer.body.duplicate === false)).toHaveLength(1);
        for (const a of list.filter((x) => x.kind === 'burst' || x.kind === 'late'))
          expect(a.answer.body.duplicate).toBe(true);
        if (p.alongside === 0)
          expect(list.find((a) => a.kind === 'original')!.answer.body.duplicate).toBe(false);
        const kinds = kindsOf(await ledgerEvents(t.service.database.db, 'dup', order.id));
        expect(kinds.filter((k) => k === 'received:webhook')).toHaveLength(1);
        expect(kinds.filter((k) => k === 'seen-again:webhook')).toHaveLength(p.extra);
        expect(kinds.filter((k) => k === 'sending')).toHaveLength(1);
        expect(kinds.filter((k) => k === 'sent')).toHaveLength(1);
        expect(kinds).toHaveLength(3 + p.extra);
        if (kinds.indexOf('seen-again:webhook') < kinds.indexOf('sent')) repeatedWhileSending += 1;
      }
      // The repeats did race the sends: copies arrived alongside originals, and before some orders were sent.
      expect([...answers.values()].flat().filter((a) => a.kind === 'alongside').length).toBeGreaterThan(0);
      expect(repeatedWhileSending).toBeGreaterThan(0);
      await assertExportedOnce(dup, placed);
      expect((await ledgerRows(t.service.database.db, 'dup')).every((r) => r.source === 'webhook')).toBe(
        true,
      );
      // The store's own deliveries were all answered 200 (through the tap).
      const storeLog = await webhookDeliveries(dup.sims);
      expect(storeLog.map((d) => d.status)).toEqual(placed.map(() => 200));
    },
    SCENARIO_MS,
  );

  it(
    'exports once each of 12 orders delivered in a shuffled order, each NetBaron document its own order',
    async () => {
      const N = 12;
      const placed = await placeOrders(reorder.sims, 'reorder', N, 2);
      const held = tap.deliveries('reorder');
      expect(held).toHaveLength(N);
      // Nothing reached the service yet.
      expect(await ledgerRows(t.service.database.db, 'reorder')).toEqual([]);
      expect(reorder.sims.netbaron.system.salesOrders()).toEqual([]);

      const order = shuffled(held, mulberry32(42));
      const ids = order.map((d) => d.orderId);
      expect(ids).not.toEqual([...ids].sort((a, b) => a - b));
      for (const d of order) {
        expect(await deliver('reorder', d.body, d.uuid)).toEqual({
          status: 200,
          body: { ok: true, orderId: d.orderId, duplicate: false },
        });
        // In the ledger before the 200 came back.
        expect((await ledgerRows(t.service.database.db, 'reorder')).map((r) => r.orderId)).toContain(
          d.orderId,
        );
      }
      await allSent(reorder, N);
      await exportQueueIdle();
      // Each NetBaron document is its own order's: total, buyer, payment method and rows.
      await assertExportedOnce(reorder, placed);
    },
    SCENARIO_MS,
  );

  it(
    'answers a delivery that comes after polling exported the order 200, and sends nothing again',
    async () => {
      const placed = await placeOrders(delayed.sims, 'delayed', 3, 3);
      const held = tap.deliveries('delayed');
      expect(held.map((d) => d.orderId).sort((a, b) => a - b)).toEqual(placed.map((o) => o.id));
      expect(await ledgerRows(t.service.database.db, 'delayed')).toEqual([]);

      // Exported by polling first.
      await t.service.orderWorker!.pollNow();
      await allSent(delayed, 3);
      await exportQueueIdle();
      await assertExportedOnce(delayed, placed);
      const before = {
        netbaron: delayed.sims.netbaron.system.salesOrders(),
        ledger: await ledgerRows(t.service.database.db, 'delayed'),
      };
      expect(before.ledger.every((r) => r.source === 'poll')).toBe(true);

      // Then the store's deliveries, late; the first one twice at once.
      const answers = await Promise.all([
        ...held.map((d) => deliver('delayed', d.body, d.uuid)),
        deliver('delayed', held[0]!.body, held[0]!.uuid),
      ]);
      expect(answers).toEqual(
        [...held, held[0]!].map((d) => ({
          status: 200,
          body: { ok: true, orderId: d.orderId, duplicate: true },
        })),
      );
      await exportQueueIdle();

      expect(delayed.sims.netbaron.system.salesOrders()).toEqual(before.netbaron);
      expect(await ledgerRows(t.service.database.db, 'delayed')).toEqual(before.ledger);
      await assertExportedOnce(delayed, placed);
      for (const o of placed) {
        const repeats = o.id === held[0]!.orderId ? 2 : 1;
        expect(kindsOf(await ledgerEvents(t.service.database.db, 'delayed', o.id))).toEqual([
          'received:poll',
          'sending',
          'sent',
          ...Array.from({ length: repeats }, () => 'seen-again:webhook'),
        ]);
      }
    },
    SCENARIO_MS,
  );

  it(
    'refuses forged and mismatched deliveries and stores nothing of them, among genuine ones',
    async () => {
      // The same scenario in both stores: the order ids are the same too, so a mix-up would not show by id.
      const [[orderA], [orderB]] = await Promise.all([
        placeOrders(forgeA.sims, 'forge-a', 1, 4),
        placeOrders(forgeB.sims, 'forge-b', 1, 5),
      ]);
      const [a] = tap.deliveries('forge-a');
      const [b] = tap.deliveries('forge-b');
      expect([a!.orderId, b!.orderId]).toEqual([orderA!.id, orderB!.id]);
      const withBody = (body: string, change: (doc: Record<string, unknown>) => void) => {
        const doc = JSON.parse(body) as Record<string, unknown>;
        change(doc);
        return JSON.stringify(doc);
      };
      const forgeries: Array<{
        what: string;
        slug: string;
        uuid: string | undefined;
        body: string;
        status: number;
      }> = [
        { what: 'a wrong uuid header', slug: 'forge-a', uuid: randomUUID(), body: a!.body, status: 401 },
        { what: 'no uuid header', slug: 'forge-a', uuid: undefined, body: a!.body, status: 401 },
        {
          what: 'a wrong uuid in the body',
          slug: 'forge-a',
          uuid: a!.uuid,
          body: withBody(a!.body, (d) => (d.uuid = randomUUID())),
          status: 401,
        },
        {
          what: 'the other connection’s uuid in the body',
          slug: 'forge-a',
          uuid: a!.uuid,
          body: withBody(a!.body, (d) => (d.uuid = b!.uuid)),
          status: 401,
        },
        {
          what: 'the other connection’s genuine delivery',
          slug: 'forge-a',
          uuid: b!.uuid,
          body: b!.body,
          status: 401,
        },
        {
          what: 'a genuine delivery to the other connection',
          slug: 'forge-b',
          uuid: a!.uuid,
          body: a!.body,
          status: 401,
        },
        {
          what: 'the other connection’s uuid header with a body for this one',
          slug: 'forge-b',
          uuid: b!.uuid,
          body: a!.body,
          status: 401,
        },
        { what: 'an unknown connection', slug: 'forge-zz', uuid: a!.uuid, body: a!.body, status: 404 },
        {
          what: 'a connection never subscribed',
          slug: unsubscribedSlug,
          uuid: a!.uuid,
          body: a!.body,
          status: 404,
        },
        {
          what: 'a body that is not JSON',
          slug: 'forge-a',
          uuid: a!.uuid,
          body: a!.body.slice(0, -1),
          status: 400,
        },
        {
          what: 'another topic',
          slug: 'forge-a',
          uuid: a!.uuid,
          body: withBody(a!.body, (d) => (d.topic = 'order.updated')),
          status: 400,
        },
      ];
      const refused = async () => {
        const got = await Promise.all(forgeries.map((f) => deliver(f.slug, f.body, f.uuid)));
        expect(
          got.map((g, i) => [forgeries[i]!.what, g.status, typeof g.body.error, g.body.orderId]),
        ).toEqual(forgeries.map((f) => [f.what, f.status, 'string', undefined]));
      };

      // What the database holds before the forgeries: every other connection's export is done.
      const counts = async () => {
        const { rows } = await sql<{ ledger: string; events: string }>`
        select (select count(*) from order_ledger) as ledger, (select count(*) from order_events) as events`.execute(
          t.service.database.db,
        );
        return {
          ledger: Number(rows[0]!.ledger),
          events: Number(rows[0]!.events),
          jobs: await exportJobsOpen(),
        };
      };
      const before = await counts();
      expect(before.jobs).toBe(0);
      const nothingStored = async () => {
        expect(await counts()).toEqual(before);
        for (const slug of [forgeA.slug, forgeB.slug, unsubscribedSlug])
          expect(await ledgerRows(t.service.database.db, slug)).toEqual([]);
      };

      await refused();
      await nothingStored();
      // A moment later still nothing: no job was queued that could send.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await nothingStored();
      for (const c of [forgeA, forgeB]) {
        expect(c.sims.netbaron.system.salesOrders()).toEqual([]);
        expect(await salesOrderPuts(c.sims)).toEqual([]);
      }

      // The genuine deliveries among the same forgeries again, all at once.
      const [genuineA, genuineB] = await Promise.all([
        deliver('forge-a', a!.body, a!.uuid),
        deliver('forge-b', b!.body, b!.uuid),
        refused(),
      ]);
      expect(genuineA).toEqual({ status: 200, body: { ok: true, orderId: orderA!.id, duplicate: false } });
      expect(genuineB).toEqual({ status: 200, body: { ok: true, orderId: orderB!.id, duplicate: false } });
      await Promise.all([allSent(forgeA, 1), allSent(forgeB, 1)]);
      await exportQueueIdle();
      // Each store's order in its own NetBaron (the documents differ by buyer and rows), once.
      await assertExportedOnce(forgeA, [orderA!]);
      await assertExportedOnce(forgeB, [orderB!]);
      for (const [c, id] of [
        [forgeA, orderA!.id],
        [forgeB, orderB!.id],
      ] as const)
        expect(kindsOf(await ledgerEvents(t.service.database.db, c.slug, id))).toEqual([
          'received:webhook',
          'sending',
          'sent',
        ]);
    },
    SCENARIO_MS,
  );
});
