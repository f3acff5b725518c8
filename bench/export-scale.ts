/**
 * Order export scaled out: `npx tsx bench/export-scale.ts [--workers 1,4] [--rates 50,200]
 * [--duration 15] [--drain 60]`. One PostgreSQL server, one `serve --role web` process receiving the
 * webhooks and 1 or 4 `serve --role worker` processes sending the orders; the simulators in a process
 * of their own. For each worker count and each arrival rate, the demo's checkouts are placed at that
 * rate for `--duration` seconds; latency per order = NetBaron's `ReceivedAt` − the ledger's
 * `received_at`; sustained = orders in NetBaron ÷ (last `ReceivedAt` − first `received_at`).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateDemoScenario, type McfProduct } from '../simulators/demo/index.ts';
import { demoConnection } from '../src/cli/demo-setup.ts';
import { ConnectionStore } from '../src/connections/connection-store.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { netbaronSalesOrders, orderBodies, placeAtRate } from './export-load.ts';
import { distribution, msText } from './export-stats.ts';
import { freshDatabase, serveEnv, startServe, stopServe } from './lib/cluster.ts';
import { markdownTable } from './lib/format.ts';
import { peakRssOf, startSimProcess } from './lib/sim-process.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '1,4' },
    rates: { type: 'string', default: '50,200' },
    duration: { type: 'string', default: '15' },
    drain: { type: 'string', default: '60' },
  },
});
const WORKERS = values.workers!.split(',').map(Number);
const RATES = values.rates!.split(',').map(Number);
const DURATION = Number(values.duration);
const DRAIN_MS = Number(values.drain) * 1000;
const log = (line: string) => void process.stderr.write(`${line}\n`);

interface Row {
  workers: number;
  rate: number;
  orders: number;
  sent: number;
  waiting: number;
  p50?: number;
  p95?: number;
  p99?: number;
  sustained: number;
  rss: string;
}

const scenario = generateDemoScenario({ products: 1000, orders: 0 });
const catalog = (scenario.mycashflow as unknown as { products: McfProduct[] }).products;
const dir = await mkdtemp(path.join(os.tmpdir(), 'nb-export-scale-'));
const server = await startEmbeddedPostgres({ dataDir: dir, unsafeFast: true, maxConnections: 300 });
const sims = await startSimProcess(ROOT);
const key = randomBytes(32);
const rows: Row[] = [];
let nextOrder = 0;
try {
  for (const workerCount of WORKERS) {
    const name = `export_${workerCount}_${Date.now()}`;
    const { url, db } = await freshDatabase(server.connectionString, name);
    await sims.mycashflow.putState(scenario.mycashflow);
    await sims.netbaron.putState(scenario.netbaron);
    const store = new ConnectionStore(db, key);
    const record = await store.upsertFromFile({
      ...demoConnection(scenario, { mycashflow: sims.mycashflow.url, netbaron: sims.netbaron.url }),
      id: 'bench',
      name: 'Benchmark',
    });
    const env = serveEnv(url, key, dir);
    const workers = await Promise.all(Array.from({ length: workerCount }, () => startServe('worker', env)));
    const web = await startServe('web', env);
    for (let i = 0; i < 100; i += 1) {
      if (await db.selectFrom('webhook_subscriptions').select('uuid').executeTakeFirst()) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const rate of RATES) {
      const count = rate * DURATION;
      const bodies = orderBodies(catalog, 2026, nextOrder, count);
      nextOrder += count;
      const ids = new Set(bodies.map((b) => String(b.id)));
      log(`${workerCount} worker(s), ${rate} orders/s: placing ${count}`);
      await placeAtRate(sims.mycashflow.url, bodies, rate);
      const deadline = Date.now() + DRAIN_MS;
      let settled = 0;
      while (Date.now() < deadline) {
        const states = await db
          .selectFrom('order_ledger')
          .select(['order_id', 'state'])
          .where('connection_id', '=', record.id)
          .execute();
        settled = states.filter(
          (s) => ids.has(s.order_id) && (s.state === 'sent' || s.state === 'waiting'),
        ).length;
        if (settled === count) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const ledger = await db
        .selectFrom('order_ledger')
        .select(['order_id', 'state', 'received_at'])
        .where('connection_id', '=', record.id)
        .execute();
      const mine = ledger.filter((l) => ids.has(l.order_id));
      const received = new Map(mine.map((l) => [l.order_id, l.received_at.getTime()]));
      const inNetBaron = (await netbaronSalesOrders(sims.netbaron.url)).filter((o) =>
        ids.has(o.orderIdentifier),
      );
      const latencies = inNetBaron.map((o) => o.receivedAt - received.get(o.orderIdentifier)!);
      const missing =
        mine.filter((l) => l.state !== 'sent' && l.state !== 'waiting').length + (count - mine.length);
      const d = distribution(latencies, missing);
      const firstIn = Math.min(...mine.map((l) => l.received_at.getTime()));
      const lastOut = Math.max(...inNetBaron.map((o) => o.receivedAt));
      rows.push({
        workers: workerCount,
        rate,
        orders: count,
        sent: inNetBaron.length,
        waiting: mine.filter((l) => l.state === 'waiting').length,
        p50: d.p50,
        p95: d.p95,
        p99: d.p99,
        sustained: inNetBaron.length / ((lastOut - firstIn) / 1000),
        rss: [web, ...workers].map((p) => String(peakRssOf(p.child.pid) ?? '—')).join(' · '),
      });
    }
    await stopServe([web, ...workers].map((p) => p.child));
    await db.destroy();
  }
} finally {
  await sims.close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}

console.log(`\n### Order export, one web process and 1 or 4 worker processes (${os.cpus().length} cores)\n`);
console.log(
  markdownTable(
    [
      'workers',
      'arrivals /s',
      'orders',
      'in NetBaron',
      'waiting (Klarna)',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'sustained /s',
      'peak RSS MB (web · workers)',
    ],
    rows.map((r) => [
      String(r.workers),
      String(r.rate),
      String(r.orders),
      String(r.sent),
      String(r.waiting),
      msText(r.p50),
      msText(r.p95),
      msText(r.p99),
      r.sustained.toFixed(0),
      r.rss,
    ]),
    [true, true, true, true, true, true, true, true, true, false],
  ),
);
