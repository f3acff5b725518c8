import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type PgBoss from 'pg-boss';
import { generateDemoScenario, type NbProduct, type NbState } from '../../simulators/demo/index.ts';
import type { ImportSummary } from '../../src/catalog/import-products.ts';
import { parseConnection } from '../../src/config/connection-file.ts';
import { ConnectionStore } from '../../src/connections/connection-store.ts';
import type { Database } from '../../src/db/schema.ts';
import { enqueueImport } from '../../src/jobs/import-jobs.ts';
import { startQueue } from '../../src/jobs/queue.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { peakRssMb, resetPeakRss, treesCpu } from './proc.ts';
import { startServe, stopAll, type Server } from './processes.ts';
import { sleep } from './results.ts';
import type { SimPair } from './sims.ts';

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
    size,
    /** Entries of the marketplace listing, deleted ones included (they need no action in an empty store). */
    listed: products.filter((p) => p.Marketplaces.includes(MARKETPLACE)).length,
    /** MyCashflow writes of a full import: a POST per product, and a stock write per product with stock. */
    fullImportWrites: size + products.filter((p) => isLive(p) && p.Quantity !== 0).length,
    mycashflow: { ...demo.mycashflow, products: [], orders: [] },
    netbaron: { ...demo.netbaron, products },
  };
}
export type ImportScenario = ReturnType<typeof buildScenario>;

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

/** Queues an import of each store (as the admin page or the schedule does); resolves with the runs finished. */
async function queueImports(db: Kysely<Database>, boss: PgBoss, connectionIds: string[]) {
  const runs = () =>
    db
      .selectFrom('import_runs')
      .select(['id', 'status', 'summary', 'error', 'finished_at'])
      .where('connection_id', 'in', connectionIds)
      .where('dry_run', '=', false)
      .execute();
  const before = new Set((await runs()).map((r) => r.id));
  for (const connectionId of connectionIds)
    if (!(await enqueueImport(boss, { connectionId, trigger: 'cli' })))
      throw new Error('an import was not queued: one was already queued for its store');
  for (;;) {
    const done = (await runs()).filter((r) => !before.has(r.id) && r.status !== 'running' && r.finished_at);
    if (done.length === connectionIds.length) return done;
    await sleep(100);
  }
}

/**
 * The service running imports: N `serve --role worker` processes on a fresh database of the shared
 * server, holding the stores' connections. A store's import runs in one worker at a time.
 */
export async function serviceImporter(server: Server, files: unknown[], workers: number) {
  const key = randomBytes(32);
  const { url, db } = await server.database();
  const ids: string[] = [];
  for (const file of files)
    ids.push((await new ConnectionStore(db, key).upsertFromFile(parseConnection(file))).id);
  const procs = await Promise.all(
    Array.from({ length: workers }, () => startServe('worker', server.env(url, key))),
  );
  const boss = await startQueue(url, silentLogger);
  const pids = procs.map((p) => p.pid);
  // Every worker with what runs below it, and the PostgreSQL server.
  const cpu = () => ({ own: treesCpu(pids), below: treesCpu([server.postmaster()]) });
  return {
    /** Every store's import queued at once, until each run is stored as finished. */
    async run() {
      pids.forEach(resetPeakRss);
      const [before, queuedAt] = [cpu(), Date.now()];
      const runs = await queueImports(db, boss, ids);
      const [after, outsideMs] = [cpu(), Date.now() - queuedAt];
      return {
        summaries: runs.map((r) => r.summary as ImportSummary | null),
        /** Seconds from queuing the imports to each run stored as finished. */
        finishedS: runs.map((r) => (r.finished_at!.getTime() - queuedAt) / 1000),
        outsideMs,
        workerPeaksMb: pids.map((pid) => peakRssMb(pid) ?? NaN),
        cpu: { own: after.own - before.own, below: after.below - before.below },
      };
    },
    async close() {
      await boss.stop({ graceful: false, wait: true });
      await stopAll(procs.map((p) => p.child));
      await db.destroy();
    },
  };
}

/** Requests other than GET: the writes. */
export const writesOf = (byMethod: Record<string, number>): number =>
  Object.entries(byMethod).reduce((n, [method, c]) => (method === 'GET' ? n : n + c), 0);
