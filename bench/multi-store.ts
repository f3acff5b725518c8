/**
 * Many stores at once: `npx tsx bench/multi-store.ts [--stores 50] [--products 2000] [--workers 1,4]
 * [--latency 20]`. For each worker count: a fresh database, every store's connection, that many
 * `serve --role worker` processes, and a full import of every store queued at the same moment.
 */
import { parseArgs } from 'node:util';
import { buildScenario, connectionFile, serviceImporter, writesOf } from './lib/import-scenario.ts';
import { startServer } from './lib/processes.ts';
import { Checks, log, numbers, writeResult } from './lib/results.ts';
import { startSims } from './lib/sims.ts';

const { values } = parseArgs({
  options: {
    stores: { type: 'string', default: '50' },
    products: { type: 'string', default: '2000' },
    workers: { type: 'string', default: '1,4' },
    latency: { type: 'string', default: '20' },
  },
});
const params = {
  stores: numbers(values.stores, 'stores', 1)[0]!,
  products: numbers(values.products, 'products', 100)[0]!,
  workers: numbers(values.workers, 'workers', 1),
  latencyMs: numbers(values.latency, 'latency')[0]!,
};

export interface StoresRow {
  workers: number;
  completed: number;
  /** Seconds from queuing the imports to the first, the median and the last store's run finished. */
  firstS: number;
  medianS: number;
  lastS: number;
  /** Requests other than GET that the stores received. */
  writes: number;
  peakRssMb: number[];
}

const started = new Date();
const checks = new Checks();
const rows: StoresRow[] = [];
const scenario = buildScenario(params.products);
const sims = await startSims(params.stores);
const server = await startServer({ unsafeFast: true });
try {
  for (const workers of params.workers) {
    for (const pair of sims.pairs) {
      await Promise.all([
        pair.mycashflow.putState(scenario.mycashflow),
        pair.netbaron.putState(scenario.netbaron),
      ]);
      for (const sim of [pair.mycashflow, pair.netbaron])
        await Promise.all([sim.setLatency(params.latencyMs), sim.clearRequests()]);
    }
    // Each store's import at the default concurrency of 4: the store's API is what it protects.
    const files = sims.pairs.map((pair, i) => connectionFile(scenario, pair, 4, `store-${i}`));
    const service = await serviceImporter(server, files, workers);
    const { summaries, finishedS, workerPeaksMb } = await service.run();
    await service.close();
    finishedS.sort((a, b) => a - b);
    let writes = 0;
    for (const pair of sims.pairs) writes += writesOf((await pair.mycashflow.requests()).counts.byMethod);
    const row: StoresRow = {
      workers,
      completed: summaries.filter((s) => s?.status === 'completed').length,
      firstS: finishedS[0]!,
      medianS: finishedS[Math.floor(finishedS.length / 2)]!,
      lastS: finishedS.at(-1)!,
      writes,
      peakRssMb: workerPeaksMb,
    };
    log(`${workers} worker(s): ${row.completed} of ${params.stores} completed in ${row.lastS.toFixed(1)} s`);
    const where = `${workers} worker(s)`;
    checks.expect(
      'every store’s import completed',
      row.completed === params.stores,
      `${where}: ${row.completed}`,
    );
    const expected = params.stores * scenario.fullImportWrites;
    checks.expect(
      'each store written once: a POST per product, a stock write each with stock',
      writes === expected,
      `${where}: ${writes} writes, expected ${expected}`,
    );
    rows.push(row);
  }
} finally {
  await sims.close();
  await server.stop();
}
writeResult('stores', started, params, rows, checks);
