/**
 * Product-import benchmark (bench/README.md). For each size, added latency and way of running: a full
 * import into an empty store, a no-change re-import, and one after 1 % of the NetBaron products changed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ImportSummary } from '../src/catalog/import-products.ts';
import {
  buildScenario,
  changeOnePercent,
  connectionFile,
  serviceImporter,
  watchTimeline,
  writesOf,
} from './lib/import-scenario.ts';
import { cpuMeter } from './lib/proc.ts';
import { runNetbaron, startServer } from './lib/processes.ts';
import { benchResult, log, options } from './lib/results.ts';
import { startSims, type RequestLog, type Sims } from './lib/sims.ts';

const { sizes, latencies, workers, concurrency } = options({
  sizes: ['1000,10000,100000', 100], // so that 1 % is at least one product
  latencies: ['0,20', 0],
  // The CLI, or the service with that many `serve --role worker` processes; issue 15's memory goal
  // has a row for each of a worker and the CLI.
  workers: ['1,4,cli', 1, 'cli'],
  // One concurrency for every run, so that rows compare. At the default of 4, the 100 000 × 20 ms
  // full import's 191 898 writes alone would take ≥ 959 s, over the run's 10-minute budget.
  concurrency: [16, 1],
});
type RunBy = (typeof workers)[number];

/** `import-products --json` with an embedded PostgreSQL of its own, as an operator runs it. */
async function cliImporter(sims: Sims, emptyCatalog: unknown, file: unknown) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'netbaron-bench-'));
  const config = path.join(dir, 'connection.json');
  await writeFile(config, JSON.stringify(file));
  // A check against an empty catalog initialises and migrates the cluster: no measured run pays for initdb.
  await sims.pairs[0]!.netbaron.putState(emptyCatalog);
  await runNetbaron(['check', '--config', config, '--json'], dir);
  return {
    async run() {
      const { stdout, ms, cpu } = await runNetbaron(['import-products', '--config', config, '--json'], dir);
      const summary = JSON.parse(stdout.slice(stdout.indexOf('{'))) as ImportSummary;
      // The CLI's own peak memory is in its summary.
      return { summaries: [summary], outsideMs: ms, cpu, workerPeaksMb: undefined };
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
type Importer = Awaited<ReturnType<typeof cliImporter | typeof serviceImporter>>;

// A worker also polls MyCashflow's orders, at its start and each minute: not the import's requests.
const ORDER_ROUTE = /\/orders(\/|$)/;
function importRequests({ counts }: RequestLog): Record<string, number> {
  const byMethod = { ...counts.byMethod };
  for (const [route, n] of Object.entries(counts.byPath)) {
    const method = route.split(' ')[0]!;
    if (ORDER_ROUTE.test(route) && (byMethod[method] = byMethod[method]! - n) === 0) delete byMethod[method];
  }
  return byMethod;
}
type Counts = Record<'mycashflow' | 'netbaron', Record<string, number>>;
const sameCounts = (a: Counts, b: Counts): boolean =>
  (['mycashflow', 'netbaron'] as const).every((system) =>
    Object.keys({ ...a[system], ...b[system] }).every((k) => (a[system][k] ?? 0) === (b[system][k] ?? 0)),
  );

type Base = { size: number; latencyMs: number; runBy: RunBy; scenario: keyof typeof SCENARIOS };
/** One import, timed from outside and through the simulators' logs, with its CPU. */
async function measure(sims: Sims, importer: Importer, base: Base) {
  const pair = sims.pairs[0]!;
  await Promise.all([pair.mycashflow.clearRequests(), pair.netbaron.clearRequests()]);
  const timeline = watchTimeline(pair, (e) => !ORDER_ROUTE.test(e.path));
  const meter = cpuMeter({ sims: sims.cpu });
  const r = await importer.run();
  /** CPU seconds (NaN, null in JSON, where /proc cannot tell): the connector's processes and its PostgreSQL. */
  const cpu = meter({ connector: r.cpu?.own ?? NaN, postgres: r.cpu?.below ?? NaN });
  const logs = { mycashflow: await pair.mycashflow.requests(), netbaron: await pair.netbaron.requests() };
  const sim = { mycashflow: importRequests(logs.mycashflow), netbaron: importRequests(logs.netbaron) };
  const not2xx = Object.values(logs)
    .flatMap((l) => Object.keys(l.counts.byStatus))
    .filter((s) => s[0] !== '2');
  if (!r.summaries[0]) throw new Error('the import ended without a summary');
  const { status, created, updated, unchanged, failed, requests, durationMs, peakRssMb } = r.summaries[0];
  log(`  ${base.scenario}: ${JSON.stringify({ durationMs, created, updated, unchanged, requests })}`);
  return {
    ...base,
    summary: { status, created, updated, unchanged, failed, requests, durationMs, peakRssMb },
    outsideMs: r.outsideMs,
    workerPeaksMb: r.workerPeaksMb,
    simRequests: sim,
    simLogAgrees: sameCounts(requests, sim),
    simAnswersNot2xx: not2xx,
    phases: await timeline.finish(logs),
    cpu,
    simsPeakRssMb: sims.peakRssMb(),
  };
}
export type ImportRow = Awaited<ReturnType<typeof measure>>;

const result = benchResult<ImportRow>('import', { sizes, latencies, workers, concurrency });
const SCENARIOS = {
  'full import': 'a full import creates each product: a POST, and a stock write if any',
  'no-change re-import': 'a no-change re-import makes 0 writes to MyCashflow (summary and log)',
  '1 % changed': 'the 1 % run writes exactly one request per changed product',
};

function check(row: ImportRow, expected: { created: number; updated: number; writes: number }): void {
  const { status, failed, created, updated, requests } = row.summary;
  const where = `${row.size} × ${row.latencyMs} ms, run by ${row.runBy}, ${row.scenario}`;
  const [writes, logged] = [writesOf(requests.mycashflow), writesOf(row.simRequests.mycashflow)];
  const [not2xx, e, completed] = [row.simAnswersNot2xx, expected, status === 'completed' && !failed];
  result.expect('every import completed, none failed', completed, `${where}: ${status}`);
  result.expect('the simulators answered every request 2xx', !not2xx.length, `${where}: ${not2xx}`);
  result.expect('the summary’s request counts equal the simulators’ logs', row.simLogAgrees, where);
  result.expect(
    SCENARIOS[row.scenario],
    `${[created, updated, writes, logged]}` === `${[e.created, e.updated, e.writes, writes]}`,
    `${where}: created ${created}, updated ${updated}, writes ${writes} (log ${logged})`,
  );
}

// One PostgreSQL server for the service's runs, a database each; the CLI starts its own each time.
const server = workers.some((w) => w !== 'cli') ? await startServer({ unsafeFast: false }) : undefined;
try {
  for (const size of sizes) {
    log(`Size ${size}: generating the catalog`);
    const scenario = buildScenario(size);
    const change = changeOnePercent(scenario.netbaron);
    const sims = await startSims();
    const { mycashflow, netbaron } = sims.pairs[0]!;
    const expected = {
      'full import': { created: size, updated: 0, writes: scenario.fullImportWrites },
      'no-change re-import': { created: 0, updated: 0, writes: 0 },
      '1 % changed': { created: 0, updated: change.changed, writes: change.changed },
    };
    try {
      for (const latencyMs of latencies)
        for (const runBy of workers) {
          log(`Size ${size}, ${latencyMs} ms added latency, run by ${runBy}`);
          await Promise.all([mycashflow.setLatency(0), netbaron.setLatency(0)]);
          await mycashflow.putState(scenario.mycashflow);
          const file = connectionFile(scenario, sims.pairs[0]!, concurrency);
          const importer =
            runBy === 'cli'
              ? await cliImporter(sims, { ...scenario.netbaron, products: [] }, file)
              : await serviceImporter(server!, [file], runBy);
          try {
            await netbaron.putState(scenario.netbaron);
            await Promise.all([mycashflow.setLatency(latencyMs), netbaron.setLatency(latencyMs)]);
            for (const name of Object.keys(SCENARIOS) as Array<keyof typeof SCENARIOS>) {
              if (name === '1 % changed') await netbaron.putState(change.state);
              result.rows.push(await measure(sims, importer, { size, latencyMs, runBy, scenario: name }));
              check(result.rows.at(-1)!, expected[name]);
            }
          } finally {
            await importer.close();
          }
        }
    } finally {
      await sims.close();
    }
  }
} finally {
  await server?.stop();
}
result.write();
