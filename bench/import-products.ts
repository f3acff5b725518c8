/**
 * Product-import benchmark: `npx tsx bench/import-products.ts [--sizes 1000,10000,100000]
 * [--latencies 0,20] [--workers 1,4|cli] [--concurrency 16]`. For each size, added latency and way of
 * running: a full import into an empty store, a re-import with nothing changed (which must write
 * nothing to MyCashflow), and one after 1 % of the NetBaron products changed. See bench/README.md.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ImportSummary } from '../src/catalog/import-products.ts';
import {
  buildScenario,
  changeOnePercent,
  connectionFile,
  serviceImporter,
  writesOf,
} from './lib/import-scenario.ts';
import { machineCpu } from './lib/proc.ts';
import { embeddedEnv, runNetbaron, startServer, type Server } from './lib/processes.ts';
import { Checks, log, numbers, writeResult } from './lib/results.ts';
import { startSims, type RequestLog, type Sims } from './lib/sims.ts';
import { watchTimeline } from './lib/timeline.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,100000' },
    latencies: { type: 'string', default: '0,20' },
    workers: { type: 'string', default: '1,4' },
    // One concurrency for every run, so that rows compare. At the default of 4, the 100 000 × 20 ms
    // full import's 191 898 writes alone would take ≥ 959 s, over the run's 10-minute budget.
    concurrency: { type: 'string', default: '16' },
  },
});
/** The CLI, or the service with that many `serve --role worker` processes. */
type RunBy = 'cli' | number;
const params = {
  sizes: numbers(values.sizes, 'sizes', 100), // so that 1 % is at least one product
  latencies: numbers(values.latencies, 'latencies'),
  workers: values.workers.split(',').map((w): RunBy => (w === 'cli' ? w : numbers(w, 'workers', 1)[0]!)),
  concurrency: numbers(values.concurrency, 'concurrency', 1)[0]!,
};
type Run = {
  summary: ImportSummary;
  /** Workers: queuing the job to seeing its run finished. CLI: spawning it to its exit. */
  outsideMs: number;
  /** Each worker's peak resident set during this import (the CLI's own is in its summary). */
  workerPeaksMb?: number[];
  /** CPU seconds of the connector's processes and of its PostgreSQL. */
  cpu?: { own: number; below: number };
};

/** The service's workers, or the CLI: each import's summary, its time, memory and CPU. */
async function serviceImports(server: Server, file: unknown, workers: number) {
  const service = await serviceImporter(server, [file], workers);
  return {
    async run(): Promise<Run> {
      const { summaries, ...r } = await service.run();
      if (!summaries[0]) throw new Error('the import ended without a summary');
      return { summary: summaries[0], ...r };
    },
    close: service.close,
  };
}

/** `import-products --json` with an embedded PostgreSQL of its own, as an operator runs it. */
async function cliImporter(sims: Sims, emptyCatalog: unknown, file: unknown) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'netbaron-bench-'));
  const config = path.join(dir, 'connection.json');
  await writeFile(config, JSON.stringify(file));
  // A check against an empty catalog initialises and migrates the cluster: no measured run pays for initdb.
  await sims.pairs[0]!.netbaron.putState(emptyCatalog);
  await runNetbaron(['check', '--config', config, '--json'], embeddedEnv(dir));
  return {
    async run(): Promise<Run> {
      const { stdout, ms, cpu } = await runNetbaron(
        ['import-products', '--config', config, '--json'],
        embeddedEnv(dir),
      );
      return { summary: JSON.parse(stdout.slice(stdout.indexOf('{'))) as ImportSummary, outsideMs: ms, cpu };
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

// A worker also polls MyCashflow's orders, at its start and each minute: not the import's requests.
const ORDER_ROUTE = /\/orders(\/|$)/;
function importRequests(log: RequestLog): Record<string, number> {
  const byMethod = { ...log.counts.byMethod };
  for (const [route, n] of Object.entries(log.counts.byPath)) {
    const method = route.split(' ')[0]!;
    if (ORDER_ROUTE.test(route) && (byMethod[method] = byMethod[method]! - n) === 0) delete byMethod[method];
  }
  return byMethod;
}
const sameCounts = (a: Record<string, number>, b: Record<string, number>): boolean =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].every((k) => (a[k] ?? 0) === (b[k] ?? 0));

/** One import, timed from outside and through the simulators' logs, with its CPU. */
async function measure(
  sims: Sims,
  run: () => Promise<Run>,
  base: { size: number; latencyMs: number; runBy: RunBy; scenario: keyof typeof SCENARIOS },
) {
  const pair = sims.pairs[0]!;
  await Promise.all([pair.mycashflow.clearRequests(), pair.netbaron.clearRequests()]);
  const timeline = watchTimeline(pair, (e) => !ORDER_ROUTE.test(e.path));
  const before = { sims: sims.cpu(), machine: machineCpu() ?? NaN, bench: process.cpuUsage() };
  const r = await run();
  const bench = process.cpuUsage(before.bench);
  const [simsCpu, machine] = [sims.cpu() - before.sims, (machineCpu() ?? NaN) - before.machine];
  const logs = { mycashflow: await pair.mycashflow.requests(), netbaron: await pair.netbaron.requests() };
  const simRequests = {
    mycashflow: importRequests(logs.mycashflow),
    netbaron: importRequests(logs.netbaron),
  };
  const { status, created, updated, unchanged, failed, requests, durationMs, peakRssMb } = r.summary;
  const connector = r.cpu ? r.cpu.own + r.cpu.below : NaN;
  log(
    `  ${base.scenario}: ${durationMs} ms, ${created} / ${updated} / ${unchanged}, ${JSON.stringify(requests)}`,
  );
  return {
    ...base,
    summary: { status, created, updated, unchanged, failed, requests, durationMs, peakRssMb },
    outsideMs: r.outsideMs,
    workerPeaksMb: r.workerPeaksMb,
    simRequests,
    simLogAgrees:
      sameCounts(requests.mycashflow, simRequests.mycashflow) &&
      sameCounts(requests.netbaron, simRequests.netbaron),
    simAnswersNot2xx: Object.values(logs).flatMap((l) =>
      Object.keys(l.counts.byStatus).filter((s) => s[0] !== '2'),
    ),
    phases: await timeline.finish(logs),
    /** CPU seconds (NaN, null in JSON, where /proc cannot tell); other = the rest of the machine. */
    cpu: {
      connector: r.cpu?.own ?? NaN,
      postgres: r.cpu?.below ?? NaN,
      sims: simsCpu,
      other: Math.max(0, machine - simsCpu - connector - (bench.user + bench.system) / 1e6),
    },
    simsPeakRssMb: sims.peakRssMb(),
  };
}
export type ImportRow = Awaited<ReturnType<typeof measure>>;

const started = new Date();
const checks = new Checks();
const rows: ImportRow[] = [];
const SCENARIOS = {
  'full import': 'a full import creates each product: a POST, and a stock write if any',
  'no-change re-import': 'a no-change re-import makes 0 writes to MyCashflow (summary and log)',
  '1 % changed': 'the 1 % run writes exactly one request per changed product',
};

function check(row: ImportRow, expected: { created: number; updated: number; writes: number }): void {
  const { status, failed, created, updated, requests } = row.summary;
  const where = `${row.size} × ${row.latencyMs} ms, run by ${row.runBy}, ${row.scenario}`;
  const [writes, logged] = [writesOf(requests.mycashflow), writesOf(row.simRequests.mycashflow)];
  const not2xx = row.simAnswersNot2xx;
  checks.expect(
    'every import completed, none failed',
    status === 'completed' && !failed,
    `${where}: ${status}`,
  );
  checks.expect('the simulators answered every request 2xx', !not2xx.length, `${where}: ${not2xx}`);
  checks.expect('the summary’s request counts equal the simulators’ logs', row.simLogAgrees, where);
  checks.expect(
    SCENARIOS[row.scenario],
    created === expected.created &&
      updated === expected.updated &&
      writes === expected.writes &&
      logged === writes,
    `${where}: created ${created}, updated ${updated}, writes ${writes} (log ${logged})`,
  );
}

// One PostgreSQL server for the service's runs, a database each; the CLI starts its own each time.
const server = params.workers.some((w) => w !== 'cli') ? await startServer({ unsafeFast: false }) : undefined;
try {
  for (const size of params.sizes) {
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
      for (const latencyMs of params.latencies)
        for (const runBy of params.workers) {
          log(`Size ${size}, ${latencyMs} ms added latency, run by ${runBy}`);
          await Promise.all([mycashflow.setLatency(0), netbaron.setLatency(0)]);
          await mycashflow.putState(scenario.mycashflow);
          const file = connectionFile(scenario, sims.pairs[0]!, params.concurrency);
          const importer =
            runBy === 'cli'
              ? await cliImporter(sims, { ...scenario.netbaron, products: [] }, file)
              : await serviceImports(server!, file, runBy);
          try {
            await netbaron.putState(scenario.netbaron);
            await Promise.all([mycashflow.setLatency(latencyMs), netbaron.setLatency(latencyMs)]);
            for (const name of Object.keys(SCENARIOS) as Array<keyof typeof SCENARIOS>) {
              if (name === '1 % changed') await netbaron.putState(change.state);
              rows.push(await measure(sims, importer.run, { size, latencyMs, runBy, scenario: name }));
              check(rows.at(-1)!, expected[name]);
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
writeResult('import', started, params, rows, checks);
