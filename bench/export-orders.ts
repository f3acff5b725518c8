/**
 * Order-export benchmark (bench/README.md): fixed arrival rates, a search for the highest rate the connector
 * keeps up with, and a backlog found by polling.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { createOrderStream, DEFAULT_SEED, generateDemoScenario } from '../simulators/demo/index.ts';
import { demoConnection } from '../src/cli/demo-setup.ts';
import type { Database } from '../src/db/schema.ts';
import { cpuMeter, machineCpu, peakRssMb, treesCpu } from './lib/proc.ts';
import * as processes from './lib/processes.ts';
import { benchResult, distribution, log, nowMs, options, sleep, type Distribution } from './lib/results.ts';
import { startSims } from './lib/sims.ts';

const o = options({
  workers: ['worker', 1, 'worker'],
  rates: ['10,50,200', 1],
  duration: [20, 1],
  'max-rates': ['auto', 1, 'auto', 'no'],
  'max-duration': [15, 1],
  backlog: [400, 0],
  products: [1000, 100],
  drain: [60, 1],
  'quiet-wait': [300, 0],
});
const auto = o['max-rates'].includes('auto');
// Auto: rising by half, until the exports stop rising or have fallen behind twice.
const maxRates = auto ? [100, 150, 225, 340, 500, 750] : o['max-rates'].filter((r) => typeof r === 'number');
/** The `worker` command (one process receiving and sending), or `serve --role web` and N `--role worker`. */
type RunBy = (typeof o.workers)[number];
type Kind = 'rate' | 'max' | 'backlog';
// Web and worker processes (`--workers 1,4`) are the scaled-out benchmark, with a table of its own.
const scaled = o.workers.some((w) => w !== 'worker');
const result = benchResult<ExportRow>(scaled ? 'export-scale' : 'export', { ...o, 'max-rates': maxRates });
const [sims, server] = [await startSims(), await processes.startServer({ unsafeFast: scaled })];
const demo = generateDemoScenario({ products: o.products, orders: 0 });
const { mycashflow, netbaron } = sims.pairs[0]!;
const [WARM_UP, PHASES] = [100, ['delivery', 'queue', 'wait', 'prepare', 'put', 'endToEnd'] as const];
type Phase = (typeof PHASES)[number];
const clearLogs = () =>
  Promise.all([mycashflow.call('DELETE', '/__sim/webhook-deliveries'), netbaron.clearRequests()]);

/**
 * Orders `from` … `from + count − 1` of the demo stream as a shopper's checkout: without `created_at`
 * and `updated_at`, so that the store stamps each when it is placed (the stream's times lie weeks back).
 */
function orderBodies(from: number, count: number) {
  const stream = createOrderStream({ seed: DEFAULT_SEED, catalog: demo.mycashflow.products });
  return Array.from({ length: count }, (_, i) => {
    const { created_at: _c, updated_at: _u, ...order } = stream.orderAt(from + i);
    return { id: order.id, body: JSON.stringify(order), paymentMethodId: order.payment_method_id };
  });
}

/**
 * Places the orders through the simulator at `rate` per second, order k due at start + k ÷ rate whether
 * or not earlier ones were answered (open loop: a slow receiver shows as latency, not as fewer arrivals).
 */
async function placeAtRate(bodies: ReturnType<typeof orderBodies>, rate: number) {
  type Placed = { id: number; paymentMethodId: number; sentAt: number; status?: number; error?: string };
  const [placed, pending] = [[] as Placed[], new Set<Promise<void>>()];
  const start = nowMs() + 20;
  for (const [k, order] of bodies.entries()) {
    const due = start + (k * 1000) / rate;
    // Timers are coarse (about 1 ms): short sleeps keep the schedule without spinning.
    while (nowMs() < due || pending.size >= 512) await sleep(Math.min(50, Math.max(1, due - nowMs())));
    const entry: Placed = { id: order.id, paymentMethodId: order.paymentMethodId, sentAt: nowMs() };
    placed.push(entry);
    const headers = { 'Content-Type': 'application/json' };
    const post = fetch(`${mycashflow.url}/__sim/orders`, { method: 'POST', headers, body: order.body })
      .then(async (res) => {
        entry.status = res.status;
        await res.arrayBuffer();
      })
      .catch((err: unknown) => void (entry.error = String(err)))
      .finally(() => pending.delete(post));
    pending.add(post);
  }
  await Promise.all(pending);
  return placed;
}
type Placed = Awaited<ReturnType<typeof placeAtRate>>[number];

/** Up to `--quiet-wait` s for a machine nearly idle over 2 s (other work would share the cores); busy cores. */
async function waitForQuiet(): Promise<number> {
  for (const until = nowMs() + o['quiet-wait'] * 1000; ;) {
    const before = machineCpu();
    await sleep(2000);
    const busy = (machineCpu() - before) / 2;
    if (!(busy > 0.25) || nowMs() > until) return busy;
  }
}

/** Until NetBaron has had a PUT per order, or nothing moved for 15 s, or `capMs` passed; its ms. */
async function drain(orders: number, capMs: number): Promise<number> {
  const started = nowMs();
  let [last, moved] = [-1, started];
  for (;;) {
    const puts = (await netbaron.requests()).counts.byMethod.PUT ?? 0;
    if (puts !== last) [last, moved] = [puts, nowMs()];
    if (puts >= orders) break;
    if (nowMs() - started > capMs || nowMs() - moved > 15_000) return nowMs() - started;
    await sleep(500);
  }
  await sleep(500); // the ledger is settled after NetBaron's answers
  return nowMs() - started;
}

/** The `worker` command on the store's connection file, or the service with the connection stored. */
async function startConnector(runBy: RunBy, database: processes.BenchDatabase) {
  const urls = { mycashflow: mycashflow.url, netbaron: netbaron.url };
  const connection = { ...demoConnection(demo, urls), id: 'bench' };
  if (runBy !== 'worker')
    return (await processes.startService(server, database, [connection], { workers: runBy, web: true }))
      .procs;
  const config = path.join(server.dir, `${database.url.split('/').at(-1)}.json`);
  await writeFile(config, JSON.stringify(connection));
  const env = server.env(database.url, randomBytes(32));
  const worker = processes.netbaronProcess(['worker', '--config', config, '--port', '0'], env);
  await worker.until(/^Exporting orders\./);
  return [worker];
}

/** One scenario on a fresh database (bench/README.md): warm-up, a quiet machine, the arrivals or a backlog. */
async function measure(runBy: RunBy, kind: Kind, rate: number, count: number, capMs: number) {
  const database = await server.database();
  await mycashflow.putState({ ...demo.mycashflow, orders: [], webhooks: [] });
  await netbaron.putState({ ...demo.netbaron, sales_orders: [] });
  await clearLogs();
  let [procs, startS] = [[] as processes.NetbaronProcess[], 0];
  const stop = () => processes.stopAll(procs, 'SIGINT'); // graceful: the sends in flight finish
  const start = async (started = nowMs()) => {
    procs = await startConnector(runBy, database);
    startS = (nowMs() - started) / 1000;
  };
  try {
    const backlog = kind === 'backlog';
    const bodies = orderBodies(backlog ? 0 : WARM_UP, count);
    // A backlog is placed while no connector runs (no subscription, no webhook): its first poll finds it.
    let placed = backlog ? await placeAtRate(bodies, 500) : [];
    if (!backlog) {
      await start();
      await placeAtRate(orderBodies(0, WARM_UP), 50);
      await drain(WARM_UP, 30_000);
      await clearLogs();
    }
    const quietBusy = await waitForQuiet();
    if (backlog) await start(); // CPU from its ready on: its start would swamp the rest
    const pids = procs.map((p) => p.child.pid!);
    const xacts = async () => Number((await XACTS.execute(database.db)).rows[0]?.n);
    const connector = () => treesCpu(pids);
    const meter = cpuMeter({ connector, postgres: () => treesCpu([server.postmaster()]), sims: sims.cpu });
    const xactsFrom = await xacts();
    let drainMs = backlog ? await drain(placed.length, capMs) : 0;
    if (!backlog) placed = await placeAtRate(bodies, rate);
    /** CPU seconds over the measured window: the arrivals, or a backlog's drain. */
    const [cpu, pgXacts] = [meter(), (await xacts()) - xactsFrom];
    if (!backlog) drainMs = await drain(placed.length, capMs);
    /** Each process's peak resident set: the worker, or the web process and then the workers. */
    const peakRss = pids.map((pid) => peakRssMb(pid) ?? NaN);
    await stop(); // everything is read after it
    const warnings = procs.reduce((n, p) => n + p.stderr.length, 0);
    const row = { runBy, kind, rate, drainMs, quietBusy, startS, warnings, pgXacts, cpu, peakRssMb: peakRss };
    return { ...row, ...(await analyse(kind, placed, database.db)) };
  } finally {
    await stop();
    await database.db.destroy();
  }
}
export type ExportRow = Awaited<ReturnType<typeof measure>>;

const XACTS = sql<{ n: string }>`select xact_commit + xact_rollback as n from pg_stat_database
  where datname = current_database()`;
// pg-boss keeps finished jobs in `job` until it archives them (hours later), then in `archive`.
const DEAD_LETTERS = sql<{ n: string }>`select count(*) as n from (
  select id from pgboss.job where name = 'export-order-dead' union all
  select id from pgboss.archive where name = 'export-order-dead') d`;
type Ledger = { id: string; state: string; source: string; received: Date } & Record<Stamp, Date | null>;
type Stamp = 'sending' | 'queued' | 'started';
/** The ledger with each order's `sending` event (its document stored, the PUT goes) and first export job. */
const LEDGER = sql<Ledger>`
  with jobs as (select distinct on (data->>'orderId') data->>'orderId' as id, created_on, started_on
    from (select data, created_on, started_on from pgboss.job where name = 'export-order' union all
          select data, created_on, started_on from pgboss.archive where name = 'export-order') j
    order by data->>'orderId', created_on),
  sending as (select order_id, min(at) as at from order_events where kind = 'sending' group by order_id)
  select l.order_id as id, l.state, l.source, l.received_at as received, s.at as sending,
    jobs.created_on as queued, jobs.started_on as started
  from order_ledger l left join sending s using (order_id) left join jobs on jobs.id = l.order_id::text`;

/** What became of the orders: from the ledger, NetBaron and the simulator's webhook deliveries. */
async function analyse(kind: Kind, placed: Placed[], db: Kysely<Database>) {
  // `at`: when the simulator began the POST to the receiver (before connecting).
  const { data: deliveries } = (await mycashflow.call('GET', '/__sim/webhook-deliveries')) as {
    data: Array<{ order_id: number; status?: number; at: string }>;
  };
  // NetBaron's sales orders; `ReceivedAt` is the simulator's clock when it stored one, just before its 200.
  type Stored = { InvoiceDetails: { OrderIdentifier: string }; Status: string; ReceivedAt: string };
  const { sales_orders } = (await netbaron.call('GET', '/__sim/state')) as { sales_orders: Stored[] };
  const [nb, duplicates] = [new Map<number, number>(), new Set<string>()];
  for (const { InvoiceDetails: i, ReceivedAt } of sales_orders) {
    if (nb.has(Number(i.OrderIdentifier))) duplicates.add(i.OrderIdentifier);
    nb.set(Number(i.OrderIdentifier), Date.parse(ReceivedAt));
  }
  const ledger = new Map((await LEDGER.execute(db)).rows.map((r) => [Number(r.id), r]));
  const delivered = new Map(deliveries.map((d) => [d.order_id, Date.parse(d.at)]));
  // Orders paid with a method NetBaron has no namesake for (Klarna) wait by design.
  const nbMethods = new Set(demo.netbaron.payment_methods);
  const waitsByDesign = new Set(
    demo.mycashflow.payment_methods.filter((m) => !nbMethods.has(m.name)).map((m) => m.id),
  );

  const times = new Map<string, number[]>([...PHASES, 'latency'].map((k) => [k, []]));
  const since = (phase: string, a?: Date | number | null, b?: Date | number | null) =>
    a != null && b != null && times.get(phase)!.push(Number(b) - Number(a));
  const unfinished: Record<string, number> = {};
  const [waitingOther, exports, stored] = [[] as number[], [] as number[], [] as number[]];
  const accepted = placed.filter((p) => p.status === 200);
  let waitingByDesign = 0;
  for (const p of accepted) {
    const [row, exportedAt] = [ledger.get(p.id), nb.get(p.id)];
    if (row) stored.push(row.received.getTime());
    if (row?.source === 'webhook') since('delivery', delivered.get(p.id), row.received);
    if (exportedAt !== undefined) {
      exports.push(exportedAt);
      if (kind !== 'backlog') since('endToEnd', p.sentAt, exportedAt);
      since('latency', row?.received, exportedAt);
      since('queue', row?.received, row?.queued);
      since('wait', row?.queued, row?.started);
      since('prepare', row?.started, row?.sending);
      since('put', row?.sending, exportedAt);
    } else if (row?.state === 'waiting' && waitsByDesign.has(p.paymentMethodId)) waitingByDesign += 1;
    else if (row?.state === 'waiting') waitingOther.push(p.id);
    else unfinished[row?.state ?? 'none'] = (unfinished[row?.state ?? 'none'] ?? 0) + 1;
  }
  // Orders neither exported nor waiting count as later than every export.
  const missing = Object.values(unfinished).reduce((a, b) => a + b, 0);
  const late = (phase: string) =>
    phase === 'latency' || (phase === 'endToEnd' && kind !== 'backlog') ? missing : 0;
  const dist = (phase: string) => distribution(times.get(phase)!, late(phase));
  exports.sort((a, b) => a - b);
  const sent = placed.map((p) => p.sentAt);
  const [from, to] = [Math.min(...sent), Math.max(...sent)];
  const half = (from + to) / 2;
  const perSecond = (n: number, fromMs: number, toMs: number) => (n * 1000) / (toMs - fromMs);
  const arrivals = kind !== 'backlog';
  const [inWindow, after] = [exports.filter((e) => e <= to), exports.filter((e) => e > to)];
  const [dead] = (await DEAD_LETTERS.execute(db)).rows;
  return {
    achievedRate: arrivals && sent.length > 1 ? perSecond(sent.length - 1, from, to) : undefined,
    placed: accepted.length,
    refused: placed.filter((p) => p.status !== 200).map((p) => `order ${p.id}: ${p.status ?? p.error}`),
    deliveries: deliveries.length,
    deliveryFailures: deliveries.filter((d) => d.status !== 200).map((d) => `${d.order_id}: ${d.status}`),
    exported: exports.length,
    waitingByDesign,
    waitingOther,
    /** Placed, neither exported nor waiting at the end, by ledger state (`none`: not in the ledger). */
    unfinished,
    /** NetBaron's identifiers held more than once. */
    duplicates: [...duplicates],
    notPending: sales_orders.filter((o) => o.Status !== 'Pending').length,
    deadLetters: Number(dead?.n ?? 0),
    /** The receiver storing the order (before its 2xx) → NetBaron storing it. */
    latency: dist('latency'),
    /** Where the time goes: delivery began → stored → job queued → started → PUT → NetBaron; placed → NetBaron. */
    phases: Object.fromEntries(PHASES.map((k) => [k, dist(k)])) as Record<Phase, Distribution>,
    exportedPerSec: {
      inWindow: arrivals ? perSecond(inWindow.length, from, to) : undefined,
      // The steady state: the second half of the arrivals, the connector warmed up.
      lastHalf: arrivals ? perSecond(inWindow.filter((e) => e > half).length, half, to) : undefined,
      drain: arrivals && after.length > 20 ? perSecond(after.length, to, after.at(-1)!) : undefined,
      // A backlog: its first export to its last.
      overall: arrivals ? undefined : perSecond(exports.length - 1, exports[0]!, exports.at(-1)!),
      // Every export over the first order stored → the last export.
      sustained: perSecond(exports.length, Math.min(...stored), exports.at(-1)!),
    },
    behindAtEnd: arrivals ? accepted.length - waitingByDesign - inWindow.length : undefined,
  };
}

async function run(runBy: RunBy, kind: Kind, rate: number, count: number, capMs: number) {
  const where = `${runBy === 'worker' ? 'worker' : `${runBy} worker(s)`}, ${kind === 'backlog' ? `backlog of ${count}` : `${kind} ${rate}/s`}`;
  log(`${where}: ${count} orders`);
  const row = await measure(runBy, kind, rate, count, capMs);
  log(`  exported ${row.exported}, latency p50 ${row.latency.p50} ms, ${JSON.stringify(row.exportedPerSec)}`);
  const expect = (check: string, failures: unknown[]) =>
    result.expect(check, failures.length === 0, `${where}: ${failures.join(', ')}`);
  expect('no order held twice by NetBaron', row.duplicates);
  expect('every NetBaron order Pending', row.notPending ? [`${row.notPending} not`] : []);
  expect('the store took every order', row.refused);
  expect('only orders paid by a method NetBaron lacks wait', row.waitingOther);
  const missed = kind !== 'backlog' && row.deliveries !== row.placed ? [`${row.deliveries} deliveries`] : [];
  expect('every webhook delivered once, answered 200', [...row.deliveryFailures, ...missed]);
  expect('no dead letters', row.deadLetters ? [row.deadLetters] : []);
  // Still `received` is queued, safe in the ledger, only slow; any other state has lost its way.
  const lost = Object.entries(row.unfinished).filter(([state]) => state !== 'received');
  expect('every order exported, waiting, or still queued', lost);
  result.rows.push(row);
  return row;
}
try {
  for (const runBy of o.workers) {
    for (const rate of o.rates) await run(runBy, 'rate', rate, rate * o.duration, o.drain * 1000);
    let [best, behind] = [0, 0];
    for (const rate of maxRates) {
      const row = await run(runBy, 'max', rate, rate * o['max-duration'], 20_000);
      const got = row.exportedPerSec.lastHalf ?? 0;
      if (got < 0.9 * (row.achievedRate ?? rate)) behind += 1;
      if (auto && (got < 1.05 * best || behind >= 2)) break;
      best = Math.max(best, got);
    }
    if (o.backlog > 0) await run(runBy, 'backlog', 0, o.backlog, 120_000);
  }
} finally {
  await sims.close();
  await server.stop();
}
result.write();
