/**
 * Order-export benchmark: `npx tsx bench/export-orders.ts [--rates 10,50,200] [--duration 20]
 * [--max-rates auto|no|100,150,…] [--max-duration 15] [--backlog 400] [--products 1000] [--drain 60]
 * [--quiet-wait 300]`. See bench/README.md.
 *
 * The simulators run in one child process, the connector's `worker` in another (with a fresh data
 * folder, so its own embedded PostgreSQL), so that the worker's process is measured on its own. Orders
 * of the demo stream are placed through the MyCashflow simulator at a fixed rate; the simulator delivers
 * each `order.created` webhook to the worker, which exports the order to the NetBaron simulator.
 * Latency per order = NetBaron's `ReceivedAt` − the ledger's `received_at`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateDemoScenario, type DemoScenario } from '../simulators/demo/index.ts';
import { demoConnection } from '../src/cli/demo-setup.ts';
import {
  clearWebhookDeliveries,
  netbaronCalls,
  netbaronSalesOrders,
  orderBodies,
  placeAtRate,
  webhookDeliveries,
  type OrderBody,
  type PlacementRun,
} from './export-load.ts';
import { distribution, msText, p50p99, type Distribution } from './export-stats.ts';
import {
  databaseTransactions,
  readWorkerDatabase,
  startWorker,
  type WorkerDatabase,
  type WorkerProcess,
} from './export-worker.ts';
import { markdownTable, thousands } from './lib/format.ts';
import { machineCpuSeconds, startSimProcess, type SimProcess } from './lib/sim-process.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SEED = 2026;
const WARM_UP_ORDERS = 100;
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const nowMs = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------
// Options

function parseList(value: string, what: string): number[] {
  const list = value.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isFinite(n) || n <= 0))
    throw new Error(`--${what} takes positive numbers separated by commas, not "${value}"`);
  return list;
}

function positive(value: string, what: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`--${what} takes a whole number ≥ ${min}, not "${value}"`);
  return n;
}

function options() {
  const { values } = parseArgs({
    options: {
      rates: { type: 'string', default: '10,50,200' },
      duration: { type: 'string', default: '20' },
      'max-rates': { type: 'string', default: 'auto' },
      'max-duration': { type: 'string', default: '15' },
      backlog: { type: 'string', default: '400' },
      products: { type: 'string', default: '1000' },
      drain: { type: 'string', default: '60' },
      'quiet-wait': { type: 'string', default: '300' },
    },
  });
  const maxRates = values['max-rates'];
  return {
    rates: parseList(values.rates, 'rates'),
    durationS: positive(values.duration, 'duration'),
    maxRates:
      maxRates === 'auto' ? ('auto' as const) : maxRates === 'no' ? [] : parseList(maxRates, 'max-rates'),
    maxDurationS: positive(values['max-duration'], 'max-duration'),
    backlog: positive(values.backlog, 'backlog', 0),
    products: positive(values.products, 'products', 100),
    drainS: positive(values.drain, 'drain'),
    quietWaitS: positive(values['quiet-wait'], 'quiet-wait', 0),
  };
}

/** A number the worker is built with, read from its source so that the output cannot fall out of date. */
function fromSource(file: string, pattern: RegExp): string {
  try {
    return pattern.exec(readFileSync(path.join(ROOT, file), 'utf8'))?.[1] ?? '?';
  } catch {
    return '?';
  }
}

/** The commit measured, and the files of the connector and simulators changed since it (read-only git). */
function codeVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    const changed = git('status', '--porcelain', '--', 'src', 'simulators', 'bin')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(3));
    return changed.length
      ? `commit ${commit} with uncommitted changes in ${changed.join(', ')}`
      : `commit ${commit}`;
  } catch {
    return 'unknown (no git)';
  }
}

// ---------------------------------------------------------------------------------------------------
// One scenario

interface Bench {
  sims: SimProcess;
  demo: DemoScenario;
  /** Store payment method ids with no NetBaron payment method of the same name: those orders wait. */
  noCounterpart: Set<number>;
  /** How long to wait for a quiet machine before each measurement. */
  quietWaitMs: number;
}

type Kind = 'rate' | 'max' | 'backlog';

interface Result {
  kind: Kind;
  label: string;
  targetRate?: number;
  placement?: PlacementRun;
  /** Orders the store accepted (200 from `POST /__sim/orders`). */
  placed: number[];
  placeFailures: string[];
  /** Placed orders whose payment method has no NetBaron counterpart (expected to wait). */
  expectWaiting: number;
  deliveries: { total: number; ok: number; failures: string[] };
  exported: number;
  waitingExpected: number;
  waitingOther: number[];
  /** Placed, not exported nor waiting at the end: by ledger state (`none` = no ledger row). */
  unfinished: Record<string, number>;
  /** NetBaron OrderIdentifiers held more than once (the whole run, warm-up included). */
  duplicates: string[];
  notPending: number;
  latency: Distribution;
  endToEnd: Distribution;
  deliveryToStored: Distribution;
  phases: { queue: Distribution; wait: Distribution; prepare: Distribution; put: Distribution };
  sources: Record<string, number>;
  seenAgain: { webhook: number; poll: number };
  /** Exports whose ReceivedAt falls within the arrival window, per second of it. */
  exportedPerSecInWindow?: number;
  /** The same over the second half of the arrivals only: the steady state, the worker warmed up. */
  exportedPerSecLastHalf?: number;
  /** Exports after the arrival window, per second, from its end to the last export. */
  drainRate?: number;
  /** Exported in all ÷ (first arrival → last export). */
  exportedPerSecOverall?: number;
  /** Exported orders not yet exported when the last order was placed. */
  backlogAtEnd?: number;
  drainMs: number;
  drainCapped: boolean;
  cpu: { windowS: number; worker?: number; pg?: number; sims?: number; bench: number; other?: number };
  pollsInWindow: number;
  jobStates: Record<string, number>;
  deadLetters: number;
  workerRssMb?: number;
  workerStartS: number;
  logs: { running: Map<string, number>; stopping: Map<string, number> };
  /** Transactions of the worker's PostgreSQL during the measurement (see `cpu` for the window). */
  pgXacts?: number;
  /** The machine's busy cores (other work) just before the measurement, and how long it was waited for. */
  quiet: { busy: number; waitedMs: number };
  /** Exports per second, second by second from the first arrival (rate scenarios) or the first export. */
  perSecond: number[];
}

interface CpuSnapshot {
  at: number;
  machine?: number;
  sims?: number;
  bench: NodeJS.CpuUsage;
  worker?: { own: number; below: number };
}

function cpuSnapshot(sims: SimProcess, worker: WorkerProcess | undefined): CpuSnapshot {
  return {
    at: nowMs(),
    machine: machineCpuSeconds(),
    sims: sims.cpuSeconds(),
    bench: process.cpuUsage(),
    worker: worker?.cpu(),
  };
}

/** CPU seconds used between two snapshots by each party; `other` is the rest of the machine. */
function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): Result['cpu'] {
  const bench = (b.bench.user - a.bench.user + b.bench.system - a.bench.system) / 1e6;
  const cpu: Result['cpu'] = { windowS: (b.at - a.at) / 1000, bench };
  if (a.worker && b.worker) {
    cpu.worker = b.worker.own - a.worker.own;
    cpu.pg = b.worker.below - a.worker.below;
  }
  if (a.sims !== undefined && b.sims !== undefined) cpu.sims = b.sims - a.sims;
  if (
    a.machine !== undefined &&
    b.machine !== undefined &&
    cpu.worker !== undefined &&
    cpu.sims !== undefined
  )
    cpu.other = Math.max(0, b.machine - a.machine - cpu.worker - (cpu.pg ?? 0) - cpu.sims - cpu.bench);
  return cpu;
}

/** The demo store's connection, as a file for the `worker` command. */
function connectionFile(demo: DemoScenario, urls: { mycashflow: string; netbaron: string }): unknown {
  return { ...demoConnection(demo, urls), id: 'bench', name: 'Benchmark' };
}

/**
 * Waits (up to `maxMs`) until the machine has been nearly idle for 2 s: at most `busyCores` of CPU
 * busy. Other work on the machine (a test run) would otherwise share the cores with the measurement.
 * Returns how busy the last sample was, in cores.
 */
async function waitForQuiet(maxMs: number, busyCores = 0.25): Promise<{ busy: number; waitedMs: number }> {
  const started = nowMs();
  for (;;) {
    const a = machineCpuSeconds();
    await sleep(2000);
    const b = machineCpuSeconds();
    const busy = a === undefined || b === undefined ? 0 : (b - a) / 2;
    const waitedMs = nowMs() - started;
    if (busy <= busyCores || waitedMs > maxMs) return { busy, waitedMs };
  }
}

async function resetSims(bench: Bench): Promise<void> {
  const { sims, demo } = bench;
  await Promise.all([sims.mycashflow.setLatency(0), sims.netbaron.setLatency(0)]);
  await sims.mycashflow.putState({ ...demo.mycashflow, orders: [], webhooks: [] });
  await sims.netbaron.putState({ ...demo.netbaron, sales_orders: [] });
  await clearWebhookDeliveries(sims.mycashflow.url);
  await Promise.all([sims.mycashflow.clearRequests(), sims.netbaron.clearRequests()]);
}

/** Waits until NetBaron has seen a PUT for `expected` orders, or nothing moved for `stallMs`, or `capMs` passed. */
async function drain(
  bench: Bench,
  expected: number,
  capMs: number,
  stallMs = 15_000,
): Promise<{ ms: number; capped: boolean }> {
  const started = nowMs();
  let last = -1;
  let lastMoved = started;
  for (;;) {
    const { puts } = await netbaronCalls(bench.sims.netbaron.url);
    const now = nowMs();
    if (puts !== last) {
      last = puts;
      lastMoved = now;
    }
    if (puts >= expected) {
      // The last settles (ledger) follow the answers; the worker's graceful stop waits for them anyway.
      await sleep(500);
      return { ms: nowMs() - started, capped: false };
    }
    if (now - started > capMs || now - lastMoved > stallMs) return { ms: now - started, capped: true };
    await sleep(500);
  }
}

interface Measured {
  /** What was placed: the analysis needs each order's payment method. */
  bodies: OrderBody[];
  placed: number[];
  placeFailures: string[];
  placement?: PlacementRun;
  /** The arrival window (first and last POST sent), epoch ms. */
  window?: { from: number; to: number };
  /** When each order's POST was sent, for the end-to-end latency. */
  sentAt: Map<number, number>;
}

async function runScenario(
  bench: Bench,
  kind: Kind,
  label: string,
  bodies: OrderBody[],
  plan: { rate?: number; drainCapMs: number },
): Promise<Result> {
  const { sims } = bench;
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'netbaron-bench-orders-'));
  let worker: WorkerProcess | undefined;
  try {
    const configFile = path.join(tmp, 'connection.json');
    const urls = { mycashflow: sims.mycashflow.url, netbaron: sims.netbaron.url };
    await writeFile(configFile, JSON.stringify(connectionFile(bench.demo, urls), null, 2));
    await resetSims(bench);
    const measured: Measured = { bodies, placed: [], placeFailures: [], sentAt: new Map() };
    let t0 = 0;
    let capped = false;
    let drainMs = 0;

    const record = (run: PlacementRun) => {
      for (const p of run.placed) {
        measured.sentAt.set(p.id, p.sentAt);
        if (p.status === 200) measured.placed.push(p.id);
        else measured.placeFailures.push(`order ${p.id}: ${p.status ?? p.error}`);
      }
    };
    let quiet = { busy: 0, waitedMs: 0 };
    let cpuFrom: CpuSnapshot | undefined;
    let cpuTo: CpuSnapshot | undefined;
    let xactsFrom: number | undefined;
    let xactsTo: number | undefined;
    const startCpu = async () => {
      xactsFrom = await databaseTransactions(tmp);
      cpuFrom = cpuSnapshot(sims, worker);
      t0 = cpuFrom.at;
    };
    const endCpu = async () => {
      cpuTo = cpuSnapshot(sims, worker);
      xactsTo = await databaseTransactions(tmp);
    };

    if (kind === 'backlog') {
      // Orders placed while no worker runs (the store has no subscription, so no webhook goes out):
      // the worker finds them with its first poll and queues them all at once.
      record(await placeAtRate(sims.mycashflow.url, bodies, 500));
      log(`  ${measured.placed.length} orders waiting in the store; starting the worker`);
      quiet = await waitForQuiet(bench.quietWaitMs);
      t0 = nowMs();
      worker = await startWorker(ROOT, configFile, tmp);
      // CPU from the moment the worker is ready (its start-up would swamp the rest); its first poll has
      // queued the backlog by then and the first few orders have gone.
      await startCpu();
      t0 = nowMs() - worker.startMs;
      const d = await drain(bench, measured.placed.length, plan.drainCapMs);
      [drainMs, capped] = [d.ms, d.capped];
      await endCpu();
    } else {
      worker = await startWorker(ROOT, configFile, tmp);
      log(
        `  worker ready in ${(worker.startMs / 1000).toFixed(1)} s; warming up with ${WARM_UP_ORDERS} orders`,
      );
      const warm = orderBodies(bench.demo.mycashflow.products, SEED, 0, WARM_UP_ORDERS);
      await placeAtRate(sims.mycashflow.url, warm, 50);
      await drain(bench, WARM_UP_ORDERS, 30_000);
      await clearWebhookDeliveries(sims.mycashflow.url);
      await sims.netbaron.clearRequests();
      quiet = await waitForQuiet(bench.quietWaitMs);
      await startCpu();
      const run = await placeAtRate(sims.mycashflow.url, bodies, plan.rate!);
      await endCpu();
      measured.placement = run;
      record(run);
      const sent = run.placed.map((p) => p.sentAt);
      measured.window = { from: Math.min(...sent), to: Math.max(...sent) };
      log(
        `  placed ${measured.placed.length} in ${(run.spanMs / 1000).toFixed(1)} s ` +
          `(late by ≤ ${Math.round(run.maxLagMs)} ms, ≤ ${run.maxInFlight} in flight); draining`,
      );
      const d = await drain(bench, measured.placed.length, plan.drainCapMs);
      [drainMs, capped] = [d.ms, d.capped];
    }

    const cpu = cpuBetween(cpuFrom!, cpuTo!);

    const workerRssMb = worker.peakRssMb();
    const workerStartS = worker.startMs / 1000;
    // A graceful stop lets the sends in flight finish: NetBaron and the delivery log are read after it.
    await worker.stop();
    const logs = worker.logCounts();
    const [deliveries, nbOrders] = await Promise.all([
      webhookDeliveries(sims.mycashflow.url),
      netbaronSalesOrders(sims.netbaron.url),
    ]);
    worker = undefined;
    const db = await readWorkerDatabase(tmp);
    return analyse(bench, kind, label, plan.rate, measured, {
      deliveries,
      nbOrders,
      db,
      cpu,
      drainMs,
      capped,
      t0,
      workerRssMb,
      workerStartS,
      logs,
      quiet,
      ...(xactsFrom !== undefined && xactsTo !== undefined ? { pgXacts: xactsTo - xactsFrom } : {}),
    });
  } finally {
    await worker?.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

async function simsAlive(sims: SimProcess): Promise<boolean> {
  try {
    await Promise.all([sims.mycashflow.url, sims.netbaron.url].map((u) => fetch(`${u}/__sim/faults`)));
    return true;
  } catch {
    return false;
  }
}

/** Scenarios that were run again because the simulators' process had gone away under them. */
const reruns: string[] = [];

/**
 * `runScenario`, once more on fresh simulators when their process ended during it (something outside
 * the benchmark stopped it: the scenario's numbers would mean nothing).
 */
async function measure(...args: Parameters<typeof runScenario>): Promise<Result> {
  const [bench, , label] = args;
  for (let attempt = 1; ; attempt++) {
    try {
      return await runScenario(...args);
    } catch (err) {
      if (attempt >= 2 || (await simsAlive(bench.sims))) throw err;
      log(
        `  the simulators' process is gone (${(err as Error).message}); restarting it and running ${label} again`,
      );
      reruns.push(label);
      await bench.sims.close().catch(() => undefined);
      bench.sims = await startSimProcess(ROOT);
    }
  }
}

function analyse(
  bench: Bench,
  kind: Kind,
  label: string,
  targetRate: number | undefined,
  m: Measured,
  seen: {
    deliveries: Awaited<ReturnType<typeof webhookDeliveries>>;
    nbOrders: Awaited<ReturnType<typeof netbaronSalesOrders>>;
    db: WorkerDatabase;
    cpu: Result['cpu'];
    drainMs: number;
    capped: boolean;
    t0: number;
    workerRssMb?: number;
    workerStartS: number;
    logs: Result['logs'];
    quiet: Result['quiet'];
    pgXacts?: number;
  },
): Result {
  const { db, nbOrders } = seen;
  const byIdentifier = new Map<string, typeof nbOrders>();
  for (const o of nbOrders)
    byIdentifier.set(o.orderIdentifier, [...(byIdentifier.get(o.orderIdentifier) ?? []), o]);
  const duplicates = [...byIdentifier].filter(([, list]) => list.length > 1).map(([id]) => id);
  const notPending = nbOrders.filter((o) => o.status !== 'Pending').length;

  const paymentOf = new Map<number, number>();
  const deliveryAt = new Map<number, number>();
  const deliveryFailures: string[] = [];
  let deliveriesOk = 0;
  for (const d of seen.deliveries) {
    if (d.status === 200) deliveriesOk += 1;
    else deliveryFailures.push(`order ${d.order_id}: ${d.status ?? d.error}`);
    if (!deliveryAt.has(d.order_id)) deliveryAt.set(d.order_id, Date.parse(d.at));
  }

  const latency: number[] = [];
  const endToEnd: number[] = [];
  const deliveryToStored: number[] = [];
  const queue: number[] = [];
  const wait: number[] = [];
  const prepare: number[] = [];
  const put: number[] = [];
  const sources: Record<string, number> = {};
  const seenAgain = { webhook: 0, poll: 0 };
  const unfinished: Record<string, number> = {};
  const waitingOther: number[] = [];
  let exported = 0;
  let waitingExpected = 0;
  let expectWaiting = 0;
  const exportTimes: number[] = [];
  for (const body of m.bodies) paymentOf.set(body.id, body.paymentMethodId);

  for (const id of m.placed) {
    const row = db.ledger.get(id);
    const nb = byIdentifier.get(String(id))?.[0];
    const expectedToWait = bench.noCounterpart.has(paymentOf.get(id) ?? -1);
    if (expectedToWait) expectWaiting += 1;
    if (row) {
      sources[row.source] = (sources[row.source] ?? 0) + 1;
      seenAgain.webhook += row.seenAgain.webhook;
      seenAgain.poll += row.seenAgain.poll;
      const delivered = deliveryAt.get(id);
      if (delivered !== undefined && row.source === 'webhook')
        deliveryToStored.push(row.receivedAt - delivered);
    }
    if (nb) {
      exported += 1;
      exportTimes.push(nb.receivedAt);
      const sent = m.sentAt.get(id);
      if (sent !== undefined && kind !== 'backlog') endToEnd.push(nb.receivedAt - sent);
      if (row) {
        latency.push(nb.receivedAt - row.receivedAt);
        if (row.jobCreatedAt !== undefined) queue.push(row.jobCreatedAt - row.receivedAt);
        if (row.jobCreatedAt !== undefined && row.jobStartedAt !== undefined)
          wait.push(row.jobStartedAt - row.jobCreatedAt);
        if (row.jobStartedAt !== undefined && row.sendingAt !== undefined)
          prepare.push(row.sendingAt - row.jobStartedAt);
        if (row.sendingAt !== undefined) put.push(nb.receivedAt - row.sendingAt);
      }
    } else if (row?.state === 'waiting') {
      if (expectedToWait) waitingExpected += 1;
      else waitingOther.push(id);
    } else {
      const state = row?.state ?? 'none';
      unfinished[state] = (unfinished[state] ?? 0) + 1;
    }
  }
  // Orders neither exported nor waiting with a reason count as beyond every exported one.
  const missing = Object.values(unfinished).reduce((a, b) => a + b, 0);

  const result: Result = {
    kind,
    label,
    ...(targetRate === undefined ? {} : { targetRate }),
    ...(m.placement ? { placement: m.placement } : {}),
    placed: m.placed,
    placeFailures: m.placeFailures,
    expectWaiting,
    deliveries: { total: seen.deliveries.length, ok: deliveriesOk, failures: deliveryFailures },
    exported,
    waitingExpected,
    waitingOther,
    unfinished,
    duplicates,
    notPending,
    latency: distribution(latency, missing),
    endToEnd: distribution(endToEnd, kind === 'backlog' ? 0 : missing),
    deliveryToStored: distribution(deliveryToStored),
    phases: {
      queue: distribution(queue),
      wait: distribution(wait),
      prepare: distribution(prepare),
      put: distribution(put),
    },
    sources,
    seenAgain,
    drainMs: seen.drainMs,
    drainCapped: seen.capped,
    cpu: seen.cpu,
    pollsInWindow: db.polls.filter((p) => p.startedAt >= seen.t0).length,
    jobStates: db.jobStates,
    deadLetters: db.deadLetters,
    ...(seen.workerRssMb === undefined ? {} : { workerRssMb: seen.workerRssMb }),
    workerStartS: seen.workerStartS,
    logs: seen.logs,
    quiet: seen.quiet,
    perSecond: [],
    ...(seen.pgXacts === undefined ? {} : { pgXacts: seen.pgXacts }),
  };
  exportTimes.sort((a, b) => a - b);
  if (exportTimes.length > 1) {
    const from = m.window?.from ?? exportTimes[0]!;
    result.exportedPerSecOverall =
      ((exportTimes.length - (m.window ? 0 : 1)) * 1000) / (exportTimes.at(-1)! - from);
  }
  if (exportTimes.length) {
    const from = m.window?.from ?? exportTimes[0]!;
    const buckets = Math.ceil((exportTimes.at(-1)! - from + 1) / 1000);
    result.perSecond = Array.from({ length: buckets }, () => 0);
    for (const t of exportTimes) result.perSecond[Math.floor((t - from) / 1000)]! += 1;
  }
  if (m.window) {
    const { from, to } = m.window;
    const inWindow = exportTimes.filter((t) => t <= to).length;
    result.exportedPerSecInWindow = (inWindow * 1000) / (to - from);
    const half = (from + to) / 2;
    const inLastHalf = exportTimes.filter((t) => t > half && t <= to).length;
    result.exportedPerSecLastHalf = (inLastHalf * 1000) / (to - half);
    result.backlogAtEnd = m.placed.length - result.waitingExpected - inWindow;
    const after = exportTimes.filter((t) => t > to);
    if (after.length > 20) result.drainRate = (after.length * 1000) / (after.at(-1)! - to);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Output

const rate = (v: number | undefined): string =>
  v === undefined ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(1);
const pct = (cpuS: number | undefined, windowS: number): string =>
  cpuS === undefined || Number.isNaN(cpuS) ? '?' : `${Math.round((cpuS / windowS) * 100)}`;

function achieved(r: Result): number | undefined {
  const p = r.placement;
  if (!p || p.placed.length < 2) return undefined;
  const sent = p.placed.map((x) => x.sentAt);
  return ((sent.length - 1) * 1000) / (Math.max(...sent) - Math.min(...sent));
}

function notExportedText(r: Result): string {
  const parts = Object.entries(r.unfinished).map(([state, n]) =>
    state === 'none'
      ? `${n} not in the ledger`
      : state === 'received'
        ? `${n} still queued after ${Math.round(r.drainMs / 1000)} s of drain`
        : `${n} ${state}`,
  );
  if (r.waitingOther.length) parts.push(`${r.waitingOther.length} waiting (unexpected)`);
  return parts.length ? parts.join(', ') : '0';
}

function rateTable(rows: Result[]): string {
  const header = [
    'arrival /s (achieved)',
    'orders placed',
    'webhooks 200',
    'exported',
    'waiting: Klarna',
    'not exported',
    'duplicates',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'max ms',
    'exported /s',
    'CPU % worker / its PostgreSQL / sims / bench / other',
    'PG xacts / order',
  ];
  const right = [true, true, true, true, true, false, true, true, true, true, true, true, true, true];
  const body = rows.map((r) => [
    `${r.targetRate} (${rate(achieved(r))})${shared(r)}`,
    thousands(r.placed.length),
    thousands(r.deliveries.ok),
    thousands(r.exported),
    thousands(r.waitingExpected),
    notExportedText(r),
    String(r.duplicates.length),
    msText(r.latency.p50),
    msText(r.latency.p95),
    msText(r.latency.p99),
    msText(r.latency.max),
    rate(r.exportedPerSecInWindow),
    cpuCells(r),
    xactsPerOrder(r),
  ]);
  return markdownTable(header, body, right);
}

function phaseTable(rows: Result[]): string {
  const header = [
    'scenario',
    'delivery began → stored',
    'stored → job queued',
    'queued → job started',
    'job started → PUT',
    'PUT → NetBaron stored',
    'stored → NetBaron (the latency)',
    'order placed → NetBaron',
  ];
  const right = header.map((_, i) => i > 0);
  const body = rows.map((r) => [
    r.label,
    p50p99(r.deliveryToStored),
    p50p99(r.phases.queue),
    p50p99(r.phases.wait),
    p50p99(r.phases.prepare),
    p50p99(r.phases.put),
    p50p99(r.latency),
    p50p99(r.endToEnd),
  ]);
  return markdownTable(header, body, right);
}

function maxTable(rows: Result[]): string {
  const header = [
    'arrival /s (achieved)',
    'orders placed',
    'exported /s while arriving: all / 2nd half',
    'behind at end of arrivals',
    'then drained /s',
    'p50 / p99 ms',
    'duplicates',
    'CPU % worker / its PostgreSQL / sims / bench / other',
    'PG xacts / order',
  ];
  const right = [true, true, true, true, true, true, true, true, true];
  const body = rows.map((r) => {
    if (r.kind === 'backlog') {
      return [
        `backlog of ${thousands(r.placed.length)} (no webhooks)${shared(r)}`,
        thousands(r.placed.length),
        '—',
        `${thousands(r.placed.length - r.waitingExpected)} at the start`,
        rate(r.exportedPerSecOverall),
        p50p99(r.latency),
        String(r.duplicates.length),
        cpuCells(r),
        xactsPerOrder(r),
      ];
    }
    return [
      `${r.targetRate} (${rate(achieved(r))})${shared(r)}`,
      thousands(r.placed.length),
      `${rate(r.exportedPerSecInWindow)} / ${rate(r.exportedPerSecLastHalf)}`,
      thousands(Math.max(0, r.backlogAtEnd ?? 0)),
      rate(r.drainRate),
      p50p99(r.latency),
      String(r.duplicates.length),
      cpuCells(r),
      xactsPerOrder(r),
    ];
  });
  return markdownTable(header, body, right);
}

/** Other work used more than a fifth of a core during the measurement: its numbers are too low. */
const SHARED_SHARE = 0.2;
const shared = (r: Result): string =>
  r.cpu.other !== undefined && r.cpu.other > SHARED_SHARE * r.cpu.windowS ? ' ⚠' : '';

/** PostgreSQL transactions per order placed (for the backlog: per order exported) during the measurement. */
function xactsPerOrder(r: Result): string {
  const n = r.kind === 'backlog' ? r.exported : r.placed.length;
  return r.pgXacts === undefined || n === 0 ? '?' : (r.pgXacts / n).toFixed(1);
}

const cpuCells = (r: Result): string =>
  [r.cpu.worker, r.cpu.pg, r.cpu.sims, r.cpu.bench, r.cpu.other]
    .map((v) => pct(v, r.cpu.windowS))
    .join(' / ');

function checks(rows: Result[]): string[] {
  const failures: string[] = [];
  for (const r of rows) {
    const where = r.label;
    if (r.duplicates.length)
      failures.push(
        `${where}: NetBaron holds ${r.duplicates.length} order(s) more than once: ${r.duplicates.slice(0, 10).join(', ')}`,
      );
    if (r.notPending) failures.push(`${where}: ${r.notPending} NetBaron order(s) not Pending`);
    if (r.placeFailures.length)
      failures.push(
        `${where}: ${r.placeFailures.length} order(s) refused by the store: ${r.placeFailures.slice(0, 5).join('; ')}`,
      );
    if (r.waitingOther.length)
      failures.push(
        `${where}: ${r.waitingOther.length} order(s) waiting that should export: ${r.waitingOther.slice(0, 10).join(', ')}`,
      );
    if (r.deliveries.failures.length)
      failures.push(
        `${where}: ${r.deliveries.failures.length} webhook deliveries failed: ${r.deliveries.failures.slice(0, 5).join('; ')}`,
      );
    if (r.kind !== 'backlog' && r.deliveries.total !== r.placed.length)
      failures.push(`${where}: ${r.deliveries.total} webhook deliveries for ${r.placed.length} orders`);
    if (r.deadLetters) failures.push(`${where}: ${r.deadLetters} job(s) in the dead-letter queue`);
    // Still `received` = queued, safe in the ledger, only slow; anything else has lost its way.
    const astray = Object.entries(r.unfinished).filter(([state]) => state !== 'received');
    if (astray.length)
      failures.push(
        `${where}: ${astray.map(([state, n]) => `${n} order(s) ${state === 'none' ? 'not in the ledger' : `left in state ${state}`}`).join(', ')} at the end`,
      );
  }
  return failures;
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = options();
  const started = performance.now();
  const version = codeVersion();
  log(`Generating the demo (${thousands(opts.products)} products)`);
  const demo = generateDemoScenario({ products: opts.products, orders: 0 });
  const nbNames = new Set(demo.netbaron.payment_methods);
  const noCounterpart = new Set(
    demo.mycashflow.payment_methods.filter((m) => !nbNames.has(m.name)).map((m) => m.id),
  );
  const bench: Bench = {
    sims: await startSimProcess(ROOT),
    demo,
    noCounterpart,
    quietWaitMs: opts.quietWaitS * 1000,
  };
  const catalog = demo.mycashflow.products;
  const rows: Result[] = [];
  const maxRows: Result[] = [];
  try {
    for (const r of opts.rates) {
      const count = Math.round(r * opts.durationS);
      log(`${r} orders/s for ${opts.durationS} s (${count} orders)`);
      const bodies = orderBodies(catalog, SEED, WARM_UP_ORDERS, count);
      rows.push(await measure(bench, 'rate', `${r}/s`, bodies, { rate: r, drainCapMs: opts.drainS * 1000 }));
      log(`  p50 ${msText(rows.at(-1)!.latency.p50)} ms, p99 ${msText(rows.at(-1)!.latency.p99)} ms`);
      log(`  exports per second: ${rows.at(-1)!.perSecond.join(' ')}`);
    }

    // The maximum: arrival rates rising by half until exports stop keeping up or stop rising.
    const auto = opts.maxRates === 'auto';
    const ladder = opts.maxRates === 'auto' ? [100, 150, 225, 340, 500, 750] : opts.maxRates;
    let best = 0;
    let behind = 0;
    for (const r of ladder) {
      const count = Math.round(r * opts.maxDurationS);
      log(`max search: ${r} orders/s for ${opts.maxDurationS} s (${count} orders)`);
      const bodies = orderBodies(catalog, SEED, WARM_UP_ORDERS, count);
      const row = await measure(bench, 'max', `max search ${r}/s`, bodies, {
        rate: r,
        drainCapMs: 20_000,
      });
      maxRows.push(row);
      const got = row.exportedPerSecLastHalf ?? 0;
      log(
        `  exported ${rate(row.exportedPerSecInWindow)}/s while arriving at ${rate(achieved(row))}/s ` +
          `(${rate(got)}/s in the second half); behind by ${row.backlogAtEnd}`,
      );
      log(`  exports per second: ${row.perSecond.join(' ')}`);
      // Up until the exports stop rising, and at most two steps past the point where they fall behind.
      if (got < 0.9 * (achieved(row) ?? r)) behind += 1;
      if (auto && (got < 1.05 * best || behind >= 2)) break;
      best = Math.max(best, got);
    }

    if (opts.backlog > 0) {
      log(`backlog: ${opts.backlog} orders in the store before the worker starts`);
      const bodies = orderBodies(catalog, SEED, 0, opts.backlog);
      maxRows.push(
        await measure(bench, 'backlog', `backlog ${opts.backlog}`, bodies, { drainCapMs: 120_000 }),
      );
      log(`  drained at ${rate(maxRows.at(-1)!.exportedPerSecOverall)}/s`);
      log(`  exports per second: ${maxRows.at(-1)!.perSecond.join(' ')}`);
    }
  } finally {
    await bench.sims.close();
  }

  const fetchers = fromSource('src/jobs/order-worker.ts', /options\.fetchers \?\? (\d+)/);
  const batchSize = fromSource('src/jobs/order-worker.ts', /options\.batchSize \?\? (\d+)/);
  const polling = fromSource('src/jobs/order-worker.ts', /pollingIntervalSeconds: ([\d.]+)/);
  const inParallel =
    fetchers !== '?' && batchSize !== '?' ? String(Number(fetchers) * Number(batchSize)) : '?';
  const all = [...rows, ...maxRows];
  const plateau = Math.max(
    0,
    ...maxRows.filter((r) => r.kind === 'max').map((r) => r.exportedPerSecLastHalf ?? 0),
  );
  const backlog = maxRows.find((r) => r.kind === 'backlog');
  const failures = checks(all);
  const polls = all.filter((r) => r.pollsInWindow > 0).map((r) => `${r.label} (${r.pollsInWindow})`);
  const logLines = { running: new Map<string, number>(), stopping: new Map<string, number>() };
  for (const r of all)
    for (const when of ['running', 'stopping'] as const)
      for (const [k, n] of r.logs[when]) logLines[when].set(k, (logLines[when].get(k) ?? 0) + n);
  const logText = (m: Map<string, number>) =>
    m.size ? [...m].map(([k, n]) => `${n} × “${k}”`).join('; ') : 'none';

  const out = [
    '## Order export benchmark',
    '',
    `Machine: ${os.availableParallelism()} cores (os.availableParallelism()), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}. ` +
      `One worker process (\`netbaron worker\`): up to ${inParallel} orders sent at once (${fetchers} pg-boss fetchers × batches of ${batchSize}, each fetcher polling every ${polling} s, ` +
      `woken by each webhook). Connector: ${version}. Demo store of ${thousands(opts.products)} products; ${opts.durationS} s of arrivals per rate, after ${WARM_UP_ORDERS} warm-up orders.`,
    '',
    '### Latency from webhook receipt to NetBaron',
    '',
    rateTable(rows),
    '',
    'Latency = NetBaron’s `ReceivedAt` of the sales order (the simulator’s clock when it stores the order, just before its 200) − the ledger’s ' +
      '`received_at` (PostgreSQL’s `now()` when the receiver stores the delivered order, before it answers 2xx). Both clocks are this machine’s. ' +
      'Orders paid with Klarna (about 3 %) have no NetBaron payment method by design of the demo and wait; they are not in the latencies. ' +
      '“exported /s” counts the exports that happened while orders were arriving, per second of arrivals. ' +
      'CPU % = CPU seconds ÷ seconds of arrivals (100 = one core busy; the machine has ' +
      `${os.availableParallelism()} × 100); the worker’s PostgreSQL is the embedded server it started (backends that ended included); ` +
      '“other” = the rest of the machine. ⚠ = other work used more than a fifth of a core during the measurement: that row’s numbers are worse than the worker alone would give. ' +
      'PG xacts / order = transactions committed by the worker’s PostgreSQL during the arrivals ÷ orders placed (from `pg_stat_database`, which backends update about once a second: approximate).',
    '',
    '### Where the time goes (p50 / p99 ms)',
    '',
    phaseTable(all.filter((r) => r.kind !== 'max')),
    '',
    'delivery began = the simulator’s delivery log `at` (before it connects to the receiver); stored = the ledger’s `received_at`; job queued / started = ' +
      'pg-boss’s `created_on` / `started_on` of the order’s first export job; PUT = the ledger’s `sending` event (the document is stored and the PUT goes); ' +
      'NetBaron stored = `ReceivedAt`. order placed = when the benchmark sent `POST /__sim/orders` (its clock).',
    '',
    '### Maximum sustained rate of one worker',
    '',
    maxTable(maxRows),
    '',
    `Plateau: **${rate(plateau)} orders/s** exported while orders keep arriving (the highest rate over the second half of a step’s arrivals, when the worker is warm).` +
      (backlog
        ? ` A backlog with no webhooks arriving drains at **${rate(backlog.exportedPerSecOverall)} orders/s**` +
          (inParallel !== '?' && polling !== '?'
            ? ` (the fetchers’ polling allows at most ${inParallel} orders every ${polling} s, ${rate(Number(inParallel) / Number(polling))}/s, when no webhook wakes them).`
            : '.')
        : '') +
      ' “behind at end of arrivals” = orders placed but not yet exported when the last one was placed; “then drained /s” = exports after that, per second' +
      ' (the drain is cut after 20 s of a search step, 120 s for the backlog). CPU % over the arrivals; for the backlog, from the worker’s' +
      ' “ready” to the last export. “other” = the rest of the machine: a high figure means other work shared the cores.',
    '',
    `Exports per second, second by second from the first arrival (for the backlog, from the first export): ${maxRows
      .map((r) => `${r.label}: ${r.perSecond.slice(0, 40).join(' ')}${r.perSecond.length > 40 ? ' …' : ''}`)
      .join('; ')}.`,
    '',
    `The machine before each measurement (other work, in cores busy over 2 s; the benchmark waits up to ${opts.quietWaitS} s for ≤ 0.25): ${all
      .map(
        (r) =>
          `${r.label} ${r.quiet.busy.toFixed(2)}${r.quiet.waitedMs > 2500 ? ` after ${Math.round(r.quiet.waitedMs / 1000)} s` : ''}`,
      )
      .join(', ')}.`,
    '',
    `Worker start (initdb, migrations, subscription, first poll; not measured): ${all.map((r) => r.workerStartS.toFixed(1)).join(', ')} s. ` +
      `Worker peak RSS: ${Math.max(...all.map((r) => r.workerRssMb ?? 0))} MB. ` +
      `Sightings: ${all
        .map(
          (r) =>
            `${r.label} ${Object.entries(r.sources)
              .map(([s, n]) => `${s} ${n}`)
              .join(' + ')}, seen again ${r.seenAgain.webhook + r.seenAgain.poll}`,
        )
        .join('; ')}. ` +
      `Polls of MyCashflow during arrivals: ${polls.length ? polls.join(', ') : 'none'}. ` +
      `Export jobs by state: ${all
        .map(
          (r) =>
            `${r.label} ${Object.entries(r.jobStates)
              .map(([s, n]) => `${s} ${n}`)
              .join(', ')}`,
        )
        .join('; ')}.`,
    '',
    `Worker log lines at warn or above, while running: ${logText(logLines.running)}; ` +
      `after Ctrl-C, while stopping: ${logText(logLines.stopping)}. ` +
      (reruns.length
        ? `Run again because the simulators’ process ended during them (stopped from outside the benchmark): ${reruns.join(', ')}. `
        : '') +
      `Total benchmark time: ${Math.round((performance.now() - started) / 1000)} s.`,
    '',
    failures.length
      ? `### Checks FAILED\n\n${failures.map((f) => `- ${f}`).join('\n')}`
      : 'Checks: no order held twice by NetBaron, every NetBaron order Pending, every placed order exported, waiting for its payment method, or still queued (“not exported”), ' +
        'every webhook delivered once with 200, no dead letters.',
  ];
  console.log(out.join('\n'));
  if (failures.length) process.exitCode = 1;
}

await main();
