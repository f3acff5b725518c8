import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { DemoScenario } from '../../simulators/demo/index.ts';
import { demoConnection } from '../../src/cli/demo-setup.ts';
import { ConnectionStore } from '../../src/connections/connection-store.ts';
import type { Database } from '../../src/db/schema.ts';
import {
  duplicates,
  netbaronOrders,
  orderBodies,
  placeAtRate,
  webhookDeliveries,
  type Placed,
} from './orders.ts';
import { machineCpu, peakRssMb, treesCpu } from './proc.ts';
import { netbaronProcess, startServe, stopAll, type Server } from './processes.ts';
import { sleep } from './results.ts';
import type { SimPair, Sims } from './sims.ts';
import { distribution, type Distribution } from './stats.ts';

/** The `worker` command (one process receiving and sending), or `serve --role web` and N `--role worker`. */
export type RunBy = 'worker' | number;
type Kind = 'rate' | 'max' | 'backlog';
const WARM_UP = 100;
const PHASES = ['delivery', 'queue', 'wait', 'prepare', 'put', 'endToEnd'] as const;
const nowMs = (): number => performance.timeOrigin + performance.now();

/**
 * One order-export measurement: a fresh database, the connector's processes, 100 warm-up orders, a quiet
 * machine, then orders placed at a fixed rate (or, for a backlog, before the connector starts), each
 * `order.created` webhook delivered by the simulator; then the ledger, NetBaron and the deliveries read.
 */
export function exportBench(demo: DemoScenario, sims: Sims, server: Server, quietWaitS: number) {
  const { mycashflow, netbaron } = sims.pairs[0]!;
  const catalog = demo.mycashflow.products;
  const clearLogs = () =>
    Promise.all([mycashflow.call('DELETE', '/__sim/webhook-deliveries'), netbaron.clearRequests()]);

  /** Up to `quietWaitS` for a machine nearly idle over 2 s (other work would share the cores); busy cores. */
  async function waitForQuiet(): Promise<number> {
    for (const until = nowMs() + quietWaitS * 1000; ;) {
      const before = machineCpu() ?? 0;
      await sleep(2000);
      const busy = ((machineCpu() ?? 0) - before) / 2;
      if (busy <= 0.25 || nowMs() > until) return busy;
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

  async function startConnector(runBy: RunBy, url: string, db: Kysely<Database>, onWarning: () => void) {
    const key = randomBytes(32);
    const env = server.env(url, key);
    const connection = {
      ...demoConnection(demo, { mycashflow: mycashflow.url, netbaron: netbaron.url }),
      id: 'bench',
    };
    if (runBy === 'worker') {
      const config = path.join(server.dir, `${url.split('/').at(-1)}.json`);
      await writeFile(config, JSON.stringify(connection));
      const worker = netbaronProcess(['worker', '--config', config, '--port', '0'], env, onWarning);
      await worker.until(/^Exporting orders\./);
      return [worker.child];
    }
    await new ConnectionStore(db, key).upsertFromFile(connection);
    const web = await startServe('web', env, onWarning);
    const workers = await Promise.all(
      Array.from({ length: runBy }, () => startServe('worker', env, onWarning)),
    );
    // The web process subscribes the store's webhooks to itself once it is up.
    const subscribed = () => db.selectFrom('webhook_subscriptions').selectAll().executeTakeFirst();
    for (let i = 0; i < 100 && !(await subscribed()); i++) await sleep(100);
    return [web, ...workers].map((p) => p.child);
  }

  return async function measure(runBy: RunBy, kind: Kind, rate: number, count: number, capMs: number) {
    const { url, db } = await server.database();
    await mycashflow.putState({ ...demo.mycashflow, orders: [], webhooks: [] });
    await netbaron.putState({ ...demo.netbaron, sales_orders: [] });
    await clearLogs();
    let [children, warnings, startS] = [[] as ChildProcess[], 0, 0];
    const start = async () => {
      const started = nowMs();
      children = await startConnector(runBy, url, db, () => (warnings += 1));
      startS = (nowMs() - started) / 1000;
    };
    try {
      const bodies = orderBodies(catalog, kind === 'backlog' ? 0 : WARM_UP, count);
      let placed: Placed[] = [];
      // A backlog is placed while no connector runs (no subscription, no webhook): its first poll finds it.
      if (kind === 'backlog') placed = await placeAtRate(mycashflow, bodies, 500);
      else {
        await start();
        await placeAtRate(mycashflow, orderBodies(catalog, 0, WARM_UP), 50);
        await drain(WARM_UP, 30_000);
        await clearLogs();
      }
      const quietBusy = await waitForQuiet();
      if (kind === 'backlog') await start(); // CPU from its ready on: its start would swamp the rest
      const pids = children.map((c) => c.pid!);
      const xacts = sql<{ n: string }>`select xact_commit + xact_rollback as n from pg_stat_database
        where datname = current_database()`;
      const snapshot = async () => ({
        at: nowMs(),
        machine: machineCpu() ?? NaN,
        connector: treesCpu(pids),
        postgres: treesCpu([server.postmaster()]),
        sims: sims.cpu(),
        bench: process.cpuUsage(),
        xacts: Number((await xacts.execute(db)).rows[0]?.n),
      });
      const from = await snapshot();
      let drainMs = kind === 'backlog' ? await drain(placed.length, capMs) : 0;
      if (kind !== 'backlog') placed = await placeAtRate(mycashflow, bodies, rate);
      const to = await snapshot();
      if (kind !== 'backlog') drainMs = await drain(placed.length, capMs);
      const peakRss = pids.map((pid) => peakRssMb(pid) ?? NaN);
      // A graceful stop lets the sends in flight finish: everything is read after it.
      await stopAll(children, 'SIGINT');
      const bench = (to.bench.user - from.bench.user + to.bench.system - from.bench.system) / 1e6;
      const used = (k: 'connector' | 'postgres' | 'sims' | 'machine') => to[k] - from[k];
      return {
        runBy,
        kind,
        rate,
        drainMs,
        quietBusy,
        startS,
        warnings,
        pgXacts: to.xacts - from.xacts,
        /** CPU seconds over the measured window: the arrivals, or a backlog's drain. */
        cpu: {
          windowS: (to.at - from.at) / 1000,
          connector: used('connector'),
          postgres: used('postgres'),
          sims: used('sims'),
          bench,
          other: Math.max(0, used('machine') - used('connector') - used('postgres') - used('sims') - bench),
        },
        /** Each process's peak resident set: the worker, or the web process and then the workers. */
        peakRssMb: peakRss,
        ...(await analyse(demo, kind, placed, db, sims.pairs[0]!)),
      };
    } finally {
      await stopAll(children, 'SIGINT');
      await db.destroy();
    }
  };
}
export type ExportRow = Awaited<ReturnType<ReturnType<typeof exportBench>>>;

// pg-boss keeps finished jobs in `job` until it archives them (hours later), then in `archive`.
const DEAD_LETTERS = sql<{ n: string }>`select count(*) as n from (
  select id from pgboss.job where name = 'export-order-dead' union all
  select id from pgboss.archive where name = 'export-order-dead') d`;
/** The ledger with each order's `sending` event (its document stored, the PUT goes) and first export job. */
const LEDGER = sql<
  { id: string; state: string; source: string; received: Date } & Record<Stamp, Date | null>
>`
  with jobs as (select distinct on (data->>'orderId') data->>'orderId' as id, created_on, started_on
    from (select data, created_on, started_on from pgboss.job where name = 'export-order' union all
          select data, created_on, started_on from pgboss.archive where name = 'export-order') j
    order by data->>'orderId', created_on),
  sending as (select order_id, min(at) as at from order_events where kind = 'sending' group by order_id)
  select l.order_id as id, l.state, l.source, l.received_at as received, s.at as sending,
    jobs.created_on as queued, jobs.started_on as started
  from order_ledger l left join sending s using (order_id) left join jobs on jobs.id = l.order_id::text`;
type Stamp = 'sending' | 'queued' | 'started';

/** What became of the orders: from the ledger, NetBaron and the simulator's webhook deliveries. */
async function analyse(
  demo: DemoScenario,
  kind: Kind,
  placed: Placed[],
  db: Kysely<Database>,
  sims: SimPair,
) {
  const deliveries = await webhookDeliveries(sims.mycashflow);
  const inNetbaron = await netbaronOrders(sims.netbaron);
  const ledger = new Map((await LEDGER.execute(db)).rows.map((r) => [Number(r.id), r]));
  const nb = new Map(inNetbaron.map((o) => [Number(o.id), o]));
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
    const [row, o] = [ledger.get(p.id), nb.get(p.id)];
    if (row) stored.push(row.received.getTime());
    if (row?.source === 'webhook') since('delivery', delivered.get(p.id), row.received);
    if (o) {
      exports.push(o.receivedAt);
      if (kind !== 'backlog') since('endToEnd', p.sentAt, o.receivedAt);
      since('latency', row?.received, o.receivedAt);
      since('queue', row?.received, row?.queued);
      since('wait', row?.queued, row?.started);
      since('prepare', row?.started, row?.sending);
      since('put', row?.sending, o.receivedAt);
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
  const [from, to, half] = [
    Math.min(...sent),
    Math.max(...sent),
    (Math.min(...sent) + Math.max(...sent)) / 2,
  ];
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
    duplicates: duplicates(inNetbaron),
    notPending: inNetbaron.filter((o) => o.status !== 'Pending').length,
    deadLetters: Number(dead?.n ?? 0),
    /** The receiver storing the order (before its 2xx) → NetBaron storing it. */
    latency: dist('latency'),
    /** Where the time goes: delivery began → stored → job queued → started → PUT → NetBaron; placed → NetBaron. */
    phases: Object.fromEntries(PHASES.map((k) => [k, dist(k)])) as Record<
      (typeof PHASES)[number],
      Distribution
    >,
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
