import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { restartablePort } from '../helpers/ports.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import {
  createWorkerHarness,
  ledgerRows,
  MCF_AUTH,
  netbaronCounts,
  placeOrder,
  setFaults,
  startScene,
  storeState,
  waitFor,
  webhookDeliveries,
  type PlacedOrder,
  type RunningWorker,
} from '../helpers/worker-process.ts';

/*
 * A worker killed (SIGKILL) while sends to NetBaron are in flight, and started again on the same
 * database and connection. A random number of orders go through first (NetBaron takes 100 ms each); then
 * four arrive at once, NetBaron takes 3 s over them, and the kill lands at a random point of their PUTs
 * once all four have reached it, with nothing else queued. NetBaron stores them when their time is up,
 * and the worker is started again after that, as it would be with NetBaron at its usual speed; the rest
 * arrive while the worker is down (no receiver: they come in by the restarted worker's start-up poll)
 * and after the restart (by webhook). Each step waits for the state it needs, not for a time, so that a
 * busy machine changes only how long it takes.
 *
 * Two product problems found here, both fixed since (the tests below keep them fixed):
 * 1. An order whose send was in flight at the kill stays in `sending` for about six minutes: its pg-boss
 *    job stays `active` until it expires (`expireInSeconds: 300`, noticed by pg-boss maintenance, every
 *    120 s), the `stately` queue lets no other job of that order become active meanwhile, and the poll's
 *    sweep (`dueOrders`) never takes `sending` rows. Measured once with a long bound: every order in
 *    NetBaron and `sent` 361 s after the kill.
 * 2. Meanwhile a second job for such an order (a repeated webhook; or the start-up sweep, for an order
 *    killed between the job's fetch and the ledger claim) sits at the head of the queue and cannot become
 *    active; pg-boss swallows the unique-index violation of its fetch (`manager.fetch`) and returns no
 *    job, so every export waits behind it, new orders included. With four such jobs the four fetchers of
 *    the process never get past them. A fully random kill (orders arriving all along) hit this in about
 *    one run in six, stalling the first test; the kill moment here keeps the queue empty of unclaimed
 *    jobs, so that the first test is deterministic and the third pins the stall on purpose.
 *
 * The three tests run in order on one scenario: the second and third continue from the first's kill.
 */

const database = await createTestDatabase();
const workers = await createWorkerHarness(database.url);
const sims = await startScene(afterAll);

const ORDERS = 30;
const BURST = 4;
/** NetBaron's time for each PUT of the burst: all four are in flight at once however unevenly they start. */
const BURST_LATENCY_MS = 3_000;
const SLUG = 'killed';
/**
 * How long a restarted worker may take to export everything before we call it too long: far below the
 * six minutes of problem 1 below, far above what a busy machine needs.
 */
const RESUME_BOUND_MS = 60_000;

const placed: PlacedOrder[] = [];
/** Orders whose send was in flight in the killed process. */
let inFlight: number[] = [];
let second: RunningWorker;
let killedAt = 0;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** When each sales-order PUT reached NetBaron's simulator (in this process), answered or not. */
const putArrivals: number[] = [];
const decide = sims.netbaron.faults.decide.bind(sims.netbaron.faults);
sims.netbaron.faults.decide = (method, path) => {
  if (method === 'PUT' && path === '/ws/salesorder') putArrivals.push(performance.now());
  return decide(method, path);
};

async function place(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    placed.push(await placeOrder(sims, { products: [{ product_code: 'KAHVI-1', quantity: 1 + (i % 3) }] }));
    await pause(30);
  }
}

async function explain(err: unknown): Promise<never> {
  const rows = await ledgerRows(database.db, SLUG);
  const { rows: jobs } = await sql<{ key: string; state: string }>`
    select singleton_key as key, state from pgboss.job
    where name = 'export-order' and state <> 'completed' order by created_on`.execute(database.db);
  throw new Error(
    `${(err as Error).message}; in flight at the kill: ${JSON.stringify(inFlight)}; ` +
      `export jobs not completed, oldest first: ${jobs.map((j) => `${j.key} ${j.state}`).join(', ')}; ` +
      `ledger rows not sent: ${JSON.stringify(rows.filter((r) => r.state !== 'sent'))}; ` +
      `restarted worker's log:\n${second.stderr()}`,
  );
}

describe('the order-export worker, killed while exporting', () => {
  it('exports every order not in flight at the kill exactly once after a restart, and duplicates none', async () => {
    await setFaults(sims, 'netbaron', [{ path: '/ws/salesorder', method: 'PUT', latencyMs: 100 }]);
    const config = await workers.writeConnection(sims, { id: SLUG });
    // The restarted worker listens where the first did (the store's subscription names that address):
    // a port the system would not hand to another test file's server while no worker holds it.
    const first = await workers.start(config, { port: await restartablePort() });

    const before = randomInt(3, 13);
    await place(before);
    await waitFor(`the first ${before} orders sent`, async () => {
      const rows = await ledgerRows(database.db, SLUG);
      return rows.length === before && rows.every((r) => r.state === 'sent') ? true : undefined;
    });
    await setFaults(sims, 'netbaron', [
      { path: '/ws/salesorder', method: 'PUT', latencyMs: BURST_LATENCY_MS },
    ]);
    const burstFrom = putArrivals.length;
    await Promise.all(
      Array.from({ length: BURST }, async () => {
        placed.push(await placeOrder(sims, { products: [{ product_code: 'KIRJA-1', quantity: 1 }] }));
      }),
    );
    await waitFor(
      `the ${BURST} new orders being sent, their PUTs at NetBaron`,
      async () => {
        const rows = await ledgerRows(database.db, SLUG);
        return rows.filter((r) => r.state === 'sending').length === BURST &&
          putArrivals.length - burstFrom === BURST
          ? true
          : undefined;
      },
      { timeoutMs: 30_000, everyMs: 10 },
    );
    // A random point of their PUTs, well before NetBaron answers the first of them.
    const firstAnswerIn = putArrivals[burstFrom]! + BURST_LATENCY_MS - performance.now();
    await pause(randomInt(0, Math.max(1, Math.min(1_000, firstAnswerIn - 1_000))));
    expect((await first.kill()).signal).toBe('SIGKILL');
    killedAt = performance.now();
    inFlight = (await ledgerRows(database.db, SLUG))
      .filter((r) => r.state === 'sending')
      .map((r) => r.orderId);
    expect(inFlight).toHaveLength(BURST);
    // Their PUTs reached NetBaron, which stores each when its time is up: the restarted worker finds them
    // there, as it would have with NetBaron at its usual speed and a restart that takes longer than that.
    await setFaults(sims, 'netbaron', [{ path: '/ws/salesorder', method: 'PUT', latencyMs: 100 }]);
    await waitFor(
      'NetBaron holding the orders in flight at the kill',
      async () => {
        const counts = await netbaronCounts(sims);
        return inFlight.every((id) => counts.has(id)) ? true : undefined;
      },
      { timeoutMs: BURST_LATENCY_MS + 20_000, everyMs: 50 },
    );

    const after = place(ORDERS - before - BURST);
    second = await workers.start(config, { port: first.port });
    await after;
    const missedWebhooks = (await webhookDeliveries(sims)).filter((d) => d.status !== 200).length;

    const expected = placed.map((o) => o.id).filter((id) => !inFlight.includes(id));
    // Wait for what is asserted below, the ledger's "sent", not only for NetBaron to hold the orders:
    // the worker records "sent" after NetBaron answers, and a busy machine separates the two.
    await waitFor(
      'every order not in flight at the kill in NetBaron and sent in the ledger',
      async () => {
        const counts = await netbaronCounts(sims);
        if (!expected.every((id) => counts.has(id))) return undefined;
        const sent = new Set(
          (await ledgerRows(database.db, SLUG)).filter((r) => r.state === 'sent').map((r) => r.orderId),
        );
        return expected.every((id) => sent.has(id)) ? true : undefined;
      },
      { timeoutMs: 30_000, everyMs: 50 },
    ).catch(explain);
    process.stdout.write(
      `worker-kill: killed after ${before} orders sent, ${BURST} in flight; ${missedWebhooks} webhooks found no receiver; ` +
        `the other ${expected.length} orders in NetBaron ${(performance.now() - killedAt).toFixed(0)} ms after the kill (restart ${second.startupMs} ms)\n`,
    );
    const counts = await netbaronCounts(sims);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const rows = await ledgerRows(database.db, SLUG);
    expect(rows.map((r) => r.orderId)).toEqual(placed.map((o) => o.id).sort((a, b) => a - b));
    expect(rows.filter((r) => expected.includes(r.orderId)).map((r) => r.state)).toEqual(
      expected.map(() => 'sent'),
    );
    expect(missedWebhooks).toBeGreaterThan(0);
  });

  // Once a problem (1 above): the sweep now takes `sending` rows, and the order's advisory lock died with
  // the process, so a restarted worker reads them back and finishes them at once.
  it(`resumes the orders in flight at the kill within ${RESUME_BOUND_MS / 1000} s`, async () => {
    await waitFor(
      'every ledger row sent',
      async () => {
        const rows = await ledgerRows(database.db, SLUG);
        return rows.length === ORDERS && rows.every((r) => r.state === 'sent') ? true : undefined;
      },
      { timeoutMs: Math.max(0, RESUME_BOUND_MS - (performance.now() - killedAt)), everyMs: 100 },
    ).catch(explain);
    const counts = await netbaronCounts(sims);
    expect(placed.map((o) => counts.get(o.id))).toEqual(placed.map(() => 1));
  });

  // Once a problem (2 above): the queue's `short` policy lets a job run beside a stuck one; the lock
  // turns the second sender away. The orders left in flight delivered again, then a new order.
  it('keeps exporting new orders when the orders left in flight are delivered again', async () => {
    const subscription = (await storeState(sims)).webhooks.find((w) => w.url === second.hookUrl)!;
    for (const id of inFlight) {
      const res = await fetch(
        `${sims.mycashflow.url}/api/v1/orders/${id}?expand=${subscription.expands.join(',')}`,
        {
          headers: { Authorization: MCF_AUTH, Accept: 'application/json' },
        },
      );
      const { data } = (await res.json()) as { data: unknown };
      const answer = await fetch(second.hookUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-MyCashflow-Webhook-Uuid': subscription.uuid },
        body: JSON.stringify({ topic: 'order.created', uuid: subscription.uuid, data }),
      });
      expect(answer.status).toBe(200);
    }
    const order = await placeOrder(sims);
    await waitFor(
      'the new order in NetBaron',
      async () => ((await netbaronCounts(sims)).has(order.id) ? true : undefined),
      { timeoutMs: 20_000, everyMs: 50 },
    ).catch(explain);
  });
});
