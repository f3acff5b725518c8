import { generateDemoScenario, type NbProduct, type NbState } from '../../simulators/demo/index.ts';
import type { LoggedRequest } from '../../simulators/kit/request-log.ts';
import type { ImportSummary } from '../../src/catalog/import-products.ts';
import { enqueueImport } from '../../src/jobs/import-jobs.ts';
import { startQueue } from '../../src/jobs/queue.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { cpuMeter, peakRssMb, resetPeakRss, treesCpu } from './proc.ts';
import { startService, stopAll, type Server } from './processes.ts';
import { sleep } from './results.ts';
import type { RequestLog, SimPair } from './sims.ts';

/** The marketplace the demo's web shop imports from. */
const MARKETPLACE = '3';
const isLive = (p: NbProduct): boolean => !p.Deleted && p.Marketplaces.includes(MARKETPLACE);

/**
 * The demo's NetBaron side cut so that the marketplace holds exactly `size` live products, and the
 * demo's store with no products and no orders, so that every code is new to it. The demo gives about
 * 1.3 NetBaron codes per catalog product (clothing comes in sizes): `size` catalog products suffice.
 */
export function buildScenario(size: number) {
  const demo = generateDemoScenario({ products: size, orders: 0 });
  const products: NbProduct[] = [];
  for (let i = 0, live = 0; live < size; i++) {
    const p = demo.netbaron.products[i];
    if (!p) throw new Error(`the demo of ${size} products has only ${live} live NetBaron products`);
    products.push(p);
    if (isLive(p)) live += 1;
  }
  return {
    /** MyCashflow writes of a full import: a POST per product, and a stock write per product with stock. */
    fullImportWrites: size + products.filter((p) => isLive(p) && p.Quantity !== 0).length,
    mycashflow: { ...demo.mycashflow, products: [], orders: [] },
    netbaron: { ...demo.netbaron, products },
  };
}
type ImportScenario = ReturnType<typeof buildScenario>;

/**
 * 1 % of the live products changed, spread evenly over the listing: every other one gets a price 10 %
 * higher (well under the price guard's 30 %), the others 5 more in stock. Each change is one write.
 */
export function changeOnePercent(state: NbState): { state: NbState; changed: number } {
  const live = state.products.flatMap((p, i) => (isLive(p) ? [i] : []));
  const n = Math.max(1, Math.round(live.length / 100));
  const products = [...state.products];
  for (let k = 0; k < n; k++) {
    const i = live[Math.floor((k * live.length) / n)]!;
    const p = { ...products[i]! };
    const cents = Math.round(p.SalesPriceVatIncluded * 100);
    if (k % 2 === 0) p.SalesPriceVatIncluded = Math.max(cents + 1, Math.round(cents * 1.1)) / 100;
    else p.Quantity += 5;
    products[i] = p;
  }
  return { state: { ...state, products }, changed: n };
}

/** The connection file of a benchmark store on a pair of simulators. */
export function connectionFile(scenario: ImportScenario, sims: SimPair, concurrency: number, id = 'bench') {
  const user = scenario.mycashflow.api_users[0]!;
  const { organisation, modules } = scenario.netbaron;
  return {
    id,
    name: id,
    mycashflow: { baseUrl: `${sims.mycashflow.url}/api/v1`, user: user.email, apiKey: user.api_key },
    netbaron: {
      baseUrl: sims.netbaron.url,
      organisation,
      productApiPassword: modules.products.password,
      productsInterface: modules.products.interface,
      marketplace: MARKETPLACE,
    },
    productImport: { mode: 'import-new', updateDescriptions: true, whenRemoving: 'hide', concurrency },
  };
}

/**
 * The service running imports: N `serve --role worker` processes on a fresh database of the shared
 * server, holding the stores' connections. A store's import runs in one worker at a time.
 */
export async function serviceImporter(server: Server, files: unknown[], workers: number) {
  const database = await server.database();
  const { ids, procs, pids } = await startService(server, database, files, { workers });
  const boss = await startQueue(database.url, silentLogger);
  const runs = () =>
    database.db
      .selectFrom('import_runs')
      .select(['id', 'status', 'summary', 'finished_at'])
      .where('connection_id', 'in', ids)
      .where('dry_run', '=', false)
      .execute();
  // Every worker with what runs below it, and the PostgreSQL server.
  const parts = { own: () => treesCpu(pids), below: () => treesCpu([server.postmaster()]) };
  return {
    /** Every store's import queued at once (as the admin page or the schedule does), until each run is stored as finished. */
    async run() {
      pids.forEach(resetPeakRss);
      const earlier = new Set((await runs()).map((r) => r.id));
      const [cpu, queuedAt] = [cpuMeter(parts), Date.now()];
      for (const connectionId of ids)
        if (!(await enqueueImport(boss, { connectionId, trigger: 'cli' })))
          throw new Error('an import was not queued: one was already queued for its store');
      let done: Awaited<ReturnType<typeof runs>> = [];
      while (done.length < ids.length) {
        await sleep(100);
        done = (await runs()).filter((r) => !earlier.has(r.id) && r.status !== 'running' && r.finished_at);
      }
      const outsideMs = Date.now() - queuedAt;
      return {
        summaries: done.map((r) => r.summary as ImportSummary | null),
        /** Seconds from queuing the imports to each run stored as finished. */
        finishedS: done.map((r) => (r.finished_at!.getTime() - queuedAt) / 1000),
        outsideMs,
        workerPeaksMb: pids.map((pid) => peakRssMb(pid) ?? NaN),
        cpu: cpu(),
      };
    },
    async close() {
      await boss.stop({ graceful: false, wait: true });
      await stopAll(procs);
      await database.db.destroy();
    },
  };
}

/** Requests other than GET: the writes. */
export const writesOf = (byMethod: Record<string, number>): number =>
  Object.entries(byMethod).reduce((n, [method, c]) => (method === 'GET' ? n : n + c), 0);

/** An entry is logged when answered (`at`), `durationMs` after the request came. */
const arrival = (e: LoggedRequest): number => Date.parse(e.at) - e.durationMs;
const answer = (e: LoggedRequest): number => Date.parse(e.at);
const span = (list: LoggedRequest[]): number | undefined =>
  list.length ? Math.max(...list.map(answer)) - Math.min(...list.map(arrival)) : undefined;
type Logs = { mycashflow: RequestLog; netbaron: RequestLog };

/**
 * The phases of an import from both simulators' request logs, on their clock, in ms. The logs keep their
 * newest 5 000 entries only, so they are polled until the first MyCashflow write shows (every read and
 * that write are then held); the final logs, given to `finish`, hold the last write.
 */
export function watchTimeline(sims: SimPair, keep: (e: LoggedRequest) => boolean) {
  const seen = { mycashflow: new Map<number, LoggedRequest>(), netbaron: new Map<number, LoggedRequest>() };
  const add = (logs: Logs) => {
    for (const system of ['mycashflow', 'netbaron'] as const)
      for (const e of logs[system].requests) if (keep(e)) seen[system].set(e.seq, e);
  };
  const list = (system: keyof typeof seen, writes: boolean) =>
    [...seen[system].values()].filter((e) => (e.method !== 'GET') === writes);
  let stopped = false;
  const polling = (async () => {
    while (!stopped && list('mycashflow', true).length === 0) {
      add({ mycashflow: await sims.mycashflow.requests(), netbaron: await sims.netbaron.requests() });
      await sleep(100);
    }
  })();
  return {
    async finish(logs: Logs) {
      stopped = true;
      await polling;
      add(logs);
      const writes = list('mycashflow', true);
      const lastWrite = writes.length ? Math.max(...writes.map(answer)) : Infinity;
      // What the import reads back of the store after its writes (`refreshAfterRun`) is a phase of its own.
      const readBack = list('mycashflow', false).filter((e) => arrival(e) > lastWrite);
      const mcf = list('mycashflow', false).filter((e) => arrival(e) <= lastWrite);
      const nb = list('netbaron', false);
      const reads = [...mcf, ...nb];
      return {
        /** The first read's arrival to the last read's answer: both systems (read at once), and each. */
        readingMs: span(reads),
        readingMcfMs: span(mcf),
        readingNbMs: span(nb),
        /** The last read's answer to the first write's arrival: the plan made and stored. */
        planningMs:
          writes.length && reads.length
            ? Math.min(...writes.map(arrival)) - Math.max(...reads.map(answer))
            : undefined,
        /** The first write's arrival to the last write's answer. */
        writingMs: span(writes),
        /** The last write's answer to the last read's answer after it, and how many reads that was. */
        readingBackMs: readBack.length ? Math.max(...readBack.map(answer)) - lastWrite : undefined,
        readBackRequests: readBack.length,
      };
    },
  };
}
