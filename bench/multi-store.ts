/**
 * Many stores at once: `npx tsx bench/multi-store.ts [--stores 50] [--products 2000] [--workers 1,4]
 * [--latency 20]`. For each worker count: a fresh database on one PostgreSQL server, the stores'
 * connections stored, that many `serve --role worker` processes, and a full import of every store
 * queued at the same moment. Prints the total time, the spread of finish times across stores, the
 * writes made, and each worker process's peak memory.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { parseConnection } from '../src/config/connection-file.ts';
import { ConnectionStore } from '../src/connections/connection-store.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { enqueueImport } from '../src/jobs/import-jobs.ts';
import { startQueue } from '../src/jobs/queue.ts';
import { silentLogger } from '../src/observability/logger.ts';
import { freshDatabase, serveEnv, startServe, stopServe } from './lib/cluster.ts';
import { markdownTable, seconds, thousands } from './lib/format.ts';
import { buildScenario, connectionFile } from './lib/scenario.ts';
import { peakRssOf } from './lib/sim-process.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    stores: { type: 'string', default: '50' },
    products: { type: 'string', default: '2000' },
    workers: { type: 'string', default: '1,4' },
    latency: { type: 'string', default: '20' },
  },
});
const STORES = Number(values.stores);
const PRODUCTS = Number(values.products);
const WORKER_COUNTS = values.workers!.split(',').map(Number);
const LATENCY = Number(values.latency);

interface Pair {
  mycashflow: string;
  netbaron: string;
}

async function startSims(pairs: number): Promise<{ pairs: Pair[]; pid: number; close(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/multi-sim-runner.ts', String(pairs)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const found: Pair[] = [];
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^pair (\d+) (\S+) (\S+)$/.exec(line);
      if (m) found[Number(m[1])] = { mycashflow: m[2]!, netbaron: m[3]! };
      if (line === 'ready') resolve();
    });
    child.once('exit', (code) => reject(new Error(`the simulators exited (code ${String(code)})`)));
  });
  return {
    pairs: found,
    pid: child.pid!,
    close: async () => {
      child.stdin!.end();
      await once(child, 'exit');
    },
  };
}

async function put(url: string, pathName: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}${pathName}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`PUT ${pathName}: ${res.status} ${await res.text()}`);
}

async function writesOf(url: string): Promise<number> {
  const log = (await (await fetch(`${url}/__sim/requests`)).json()) as {
    counts: { byMethod: Record<string, number> };
  };
  return Object.entries(log.counts.byMethod).reduce((n, [m, c]) => (m === 'GET' ? n : n + c), 0);
}

interface Result {
  workers: number;
  firstS: number;
  medianS: number;
  lastS: number;
  writes: number;
  completed: number;
  peakRssMb: number[];
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'nb-multi-store-'));
const server = await startEmbeddedPostgres({ dataDir: dir, unsafeFast: true, maxConnections: 300 });
const sims = await startSims(STORES);
const scenario = buildScenario(PRODUCTS);
const key = randomBytes(32);
const results: Result[] = [];
try {
  for (const workerCount of WORKER_COUNTS) {
    // A fresh database and fresh stores for each worker count.
    const name = `bench_${workerCount}_${Date.now()}`;
    const { url, db } = await freshDatabase(server.connectionString, name);
    const store = new ConnectionStore(db, key);
    const ids: string[] = [];
    for (let i = 0; i < STORES; i += 1) {
      const pair = sims.pairs[i]!;
      await Promise.all([
        put(pair.mycashflow, '/__sim/state', scenario.mycashflow),
        put(pair.netbaron, '/__sim/state', scenario.netbaron),
      ]);
      for (const u of [pair.mycashflow, pair.netbaron]) {
        await put(u, '/__sim/faults', { rules: LATENCY > 0 ? [{ path: '*', latencyMs: LATENCY }] : [] });
        await fetch(`${u}/__sim/requests`, { method: 'DELETE' });
      }
      const file = parseConnection({
        ...(connectionFile(scenario, pair, 4) as Record<string, unknown>),
        id: `store-${i}`,
        name: `Store ${i}`,
      });
      ids.push((await store.upsertFromFile(file)).id);
    }
    const env = serveEnv(url, key, dir);
    const workers = await Promise.all(Array.from({ length: workerCount }, () => startServe('worker', env)));
    const boss = await startQueue(url, silentLogger);
    const started = Date.now();
    for (const id of ids) await enqueueImport(boss, { connectionId: id, trigger: 'cli' });
    let runs: Array<{ status: string; finished_at: Date | null }>;
    for (;;) {
      runs = await db
        .selectFrom('import_runs')
        .select(['status', 'finished_at'])
        .where('dry_run', '=', false)
        .execute();
      if (runs.filter((r) => r.status !== 'running' && r.finished_at).length >= STORES) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const offsets = runs
      .flatMap((r) =>
        r.status !== 'running' && r.finished_at ? [(r.finished_at.getTime() - started) / 1000] : [],
      )
      .sort((a, b) => a - b);
    let writes = 0;
    for (const pair of sims.pairs.slice(0, STORES)) writes += await writesOf(pair.mycashflow);
    const result: Result = {
      workers: workerCount,
      firstS: offsets[0]!,
      medianS: offsets[Math.floor(offsets.length / 2)]!,
      lastS: offsets.at(-1)!,
      writes,
      completed: runs.filter((r) => r.status === 'completed').length,
      peakRssMb: workers.map((w) => peakRssOf(w.child.pid) ?? 0),
    };
    results.push(result);
    process.stderr.write(
      `${workerCount} worker(s): ${result.completed}/${STORES} completed in ${result.lastS.toFixed(1)} s\n`,
    );
    await boss.stop({ graceful: false, wait: true });
    await stopServe(workers.map((w) => w.child));
    await db.destroy();
  }
} finally {
  await sims.close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}

const cores = os.cpus().length;
console.log(
  `\n### ${STORES} stores × ${thousands(PRODUCTS)} products, full imports queued at once (${LATENCY} ms latency, ${cores} cores)\n`,
);
console.log(
  markdownTable(
    [
      'workers',
      'completed',
      'total s',
      'first store s',
      'median s',
      'last store s',
      'spread s',
      'writes to MyCashflow',
      'peak RSS per worker MB',
    ],
    results.map((r) => [
      String(r.workers),
      `${r.completed} / ${STORES}`,
      seconds(r.lastS * 1000),
      seconds(r.firstS * 1000),
      seconds(r.medianS * 1000),
      seconds(r.lastS * 1000),
      seconds((r.lastS - r.firstS) * 1000),
      thousands(r.writes),
      r.peakRssMb.map((m) => String(m)).join(' · '),
    ]),
    [true, true, true, true, true, true, true, true, false],
  ),
);
const one = results.find((r) => r.workers === 1);
const four = results.find((r) => r.workers === 4);
if (one && four)
  console.log(`\nFour workers finish the set ${(one.lastS / four.lastS).toFixed(2)} × faster than one.`);
