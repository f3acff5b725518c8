/**
 * Many stores at once (bench/README.md). For each worker count: a fresh database, every store's connection,
 * that many `serve --role worker` processes, and a full import of every store queued at the same moment.
 */
import { buildScenario, connectionFile, serviceImporter, writesOf } from './lib/import-scenario.ts';
import { startServer } from './lib/processes.ts';
import { benchResult, log, options } from './lib/results.ts';
import { startSims } from './lib/sims.ts';

const params = options({ stores: [50, 1], products: [2000, 100], workers: ['1,4', 1], latency: [20, 0] });
const scenario = buildScenario(params.products);
const sims = await startSims(params.stores);
const server = await startServer({ unsafeFast: true });

async function measure(workers: number) {
  for (const pair of sims.pairs) {
    const { mycashflow, netbaron } = pair;
    await Promise.all([mycashflow.putState(scenario.mycashflow), netbaron.putState(scenario.netbaron)]);
    for (const sim of [mycashflow, netbaron])
      await Promise.all([sim.setLatency(params.latency), sim.clearRequests()]);
  }
  // Each store's import at the default concurrency of 4: the store's API is what it protects.
  const files = sims.pairs.map((pair, i) => connectionFile(scenario, pair, 4, `store-${i}`));
  const service = await serviceImporter(server, files, workers);
  const { summaries, finishedS, workerPeaksMb } = await service.run();
  await service.close();
  finishedS.sort((a, b) => a - b);
  let writes = 0; // requests other than GET that the stores received
  for (const pair of sims.pairs) writes += writesOf((await pair.mycashflow.requests()).counts.byMethod);
  return {
    workers,
    completed: summaries.filter((s) => s?.status === 'completed').length,
    /** Seconds from queuing the imports to the first, the median and the last store's run finished. */
    firstS: finishedS[0]!,
    medianS: finishedS[Math.floor(finishedS.length / 2)]!,
    lastS: finishedS.at(-1)!,
    writes,
    peakRssMb: workerPeaksMb,
  };
}
export type StoresRow = Awaited<ReturnType<typeof measure>>;

const result = benchResult<StoresRow>('stores', params);
try {
  for (const workers of params.workers) {
    const row = await measure(workers);
    log(`${workers} worker(s): ${row.completed} of ${params.stores} completed in ${row.lastS.toFixed(1)} s`);
    const [where, expected] = [`${workers} worker(s)`, params.stores * scenario.fullImportWrites];
    const completed = row.completed === params.stores;
    result.expect('every store’s import completed', completed, `${where}: ${row.completed}`);
    result.expect(
      'each store written once: a POST per product, a stock write each with stock',
      row.writes === expected,
      `${where}: ${row.writes} writes, expected ${expected}`,
    );
    result.rows.push(row);
  }
} finally {
  await sims.close();
  await server.stop();
}
result.write();
