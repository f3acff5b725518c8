/**
 * Product-import benchmark: `npx tsx bench/import-products.ts [--sizes 1000,10000,100000]
 * [--latencies 0,20] [--workers 1,4] [--concurrency N]`. See bench/README.md for what each column means.
 *
 * For each size, added latency and way of running: a full import into an empty store, a re-import
 * with nothing changed (which must write nothing to MyCashflow), and a re-import after 1 % of the
 * NetBaron products changed. The simulators run in one child process. The import runs either in the
 * service (`--workers N`: N `serve --role worker` processes over one PostgreSQL server, the import
 * queued as a job) or in the CLI (`--workers cli`: `import-products --json` with its own embedded
 * PostgreSQL, start-up included), so that the connector's processes are measured on their own.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { productImportSettingsSchema } from '../src/config/connection-file.ts';
import { startEmbeddedPostgres, type RunningPostgres } from '../src/db/embedded.ts';
import { byMethod, markdownTable, sameCounts, seconds, sum, thousands } from './lib/format.ts';
import { runCli, runImport, stopRunningImports, type ImportRun } from './lib/run-import.ts';
import { buildScenario, changeOnePercent, connectionFile, type BenchScenario } from './lib/scenario.ts';
import { startServiceImporter } from './lib/service-import.ts';
import {
  machineCpuSeconds,
  startSimProcess,
  type RequestCounts,
  type SimProcess,
} from './lib/sim-process.ts';
import { Timeline, type Phases } from './lib/timeline.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const DEFAULT_CONCURRENCY = productImportSettingsSchema.parse({}).concurrency;
/** The whole run should stay bounded: the largest full import's write floor at the default concurrency. */
const BUDGET_SECONDS = 600;
const RAISED_CONCURRENCY = 16;
const REFERENCE = { size: 100_000, latencyMs: 20 };

type ScenarioName = 'full import' | 'no-change re-import' | '1 % changed';
/** How the import runs: the CLI, or the service with that many worker processes. */
type Mode = 'cli' | number;

interface Row {
  size: number;
  listed: number;
  latencyMs: number;
  mode: Mode;
  scenario: ScenarioName;
  run: ImportRun;
  sim: { mycashflow: RequestCounts; netbaron: RequestCounts };
  phases: Phases;
  /** CPU seconds during the import: the simulators' process, and the whole machine (every process). */
  cpu: { sims?: number; machine?: number; bench: number };
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

function parseList(value: string, what: string): number[] {
  const list = value.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isSafeInteger(n) || n < 0))
    throw new Error(`--${what} takes whole numbers separated by commas, not "${value}"`);
  return list;
}

function options() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '1000,10000,100000' },
      latencies: { type: 'string', default: '0,20' },
      workers: { type: 'string', default: '1,4' },
      concurrency: { type: 'string' },
    },
  });
  const modes: Mode[] = values.workers.split(',').map((w) => {
    const t = w.trim();
    if (t === 'cli') return 'cli';
    const n = Number(t);
    if (!Number.isInteger(n) || n < 1 || n > 8)
      throw new Error(`--workers takes "cli" or worker counts from 1 to 8, separated by commas, not "${w}"`);
    return n;
  });
  const sizes = parseList(values.sizes, 'sizes');
  if (sizes.some((s) => s < 100)) throw new Error('--sizes: at least 100 products, so that 1 % is a product');
  const latencies = parseList(values.latencies, 'latencies');
  let concurrency: number | undefined;
  if (values.concurrency !== undefined) {
    concurrency = Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32)
      throw new Error('--concurrency takes a whole number from 1 to 32 (productImport.concurrency)');
  }
  return { sizes, latencies, modes, concurrency };
}

/** MyCashflow writes of a full import: one POST per product, and one stock write when its stock is not 0. */
const fullImportWrites = (s: BenchScenario): number => s.size + s.withStock;

/**
 * One concurrency for every run, so that rows compare. Chosen from the benchmark's reference case
 * (100 000 products × 20 ms, or the largest asked for), whatever sizes this invocation runs.
 */
function chooseConcurrency(
  sizes: number[],
  latencies: number[],
  given: number | undefined,
): { concurrency: number; why: string } {
  if (given !== undefined)
    return { concurrency: given, why: `given with --concurrency (the default is ${DEFAULT_CONCURRENCY})` };
  const size = Math.max(REFERENCE.size, ...sizes);
  const latencyMs = Math.max(REFERENCE.latencyMs, ...latencies);
  const writes = fullImportWrites(buildScenario(size));
  const floor = (writes * latencyMs) / 1000 / DEFAULT_CONCURRENCY;
  if (floor <= BUDGET_SECONDS)
    return { concurrency: DEFAULT_CONCURRENCY, why: 'the default of productImport.concurrency' };
  return {
    concurrency: RAISED_CONCURRENCY,
    why:
      `raised from the default ${DEFAULT_CONCURRENCY} for every run: at ${DEFAULT_CONCURRENCY}, the ` +
      `${thousands(size)} × ${latencyMs} ms full import's ${thousands(writes)} MyCashflow writes alone ` +
      `would take ≥ ${Math.round(floor)} s (budget ${BUDGET_SECONDS} s)`,
  };
}

const writesOf = (counts: Record<string, number>): number => sum(counts) - (counts.GET ?? 0);

/** The request floor in seconds (see FLOOR_FORMULA); undefined without added latency. */
function floorSeconds(row: Row, concurrency: number): number | undefined {
  if (row.latencyMs === 0) return undefined;
  const L = row.latencyMs / 1000;
  const { mycashflow, netbaron } = row.run.summary.requests;
  return (writesOf(mycashflow) * L) / concurrency + Math.max(mycashflow.GET ?? 0, sum(netbaron)) * L;
}

const FLOOR_FORMULA =
  'floor = W × L ÷ c + max(R_mcf, R_nb) × L, where W = MyCashflow requests other than GET, L = the added ' +
  'latency per request, c = productImport.concurrency, R_mcf = MyCashflow GETs and R_nb = NetBaron ' +
  'requests (all GETs). Each system is read one page after another, but the two are read at the same ' +
  'time, hence max(). Ratio = wall time from the summary (durationMs) ÷ floor.';

/**
 * The import's own request counts: a worker also polls MyCashflow for orders (at its start and once a
 * minute), which is not the import's (the timeline leaves those requests out by ORDER_ROUTE too).
 */
function importTraffic(counts: RequestCounts): RequestCounts {
  const byMethod = { ...counts.byMethod };
  let total = counts.total;
  for (const [route, n] of Object.entries(counts.byRoute)) {
    if (!ORDER_ROUTE.test(route)) continue;
    const method = route.split(' ')[0]!;
    byMethod[method] = (byMethod[method] ?? 0) - n;
    if (byMethod[method] === 0) delete byMethod[method];
    total -= n;
  }
  return { ...counts, total, byMethod };
}
const ORDER_ROUTE = /\/orders(\/|$)/;

async function measure(
  sims: SimProcess,
  runOne: () => Promise<ImportRun>,
  base: Omit<Row, 'run' | 'sim' | 'scenario' | 'phases' | 'cpu'>,
  scenario: ScenarioName,
): Promise<Row> {
  await Promise.all([sims.mycashflow.clearRequests(), sims.netbaron.clearRequests()]);
  const timeline = new Timeline(sims, (e) => !ORDER_ROUTE.test(e.path));
  const simsCpu = sims.cpuSeconds();
  const machineCpu = machineCpuSeconds();
  const benchCpu = process.cpuUsage();
  timeline.start();
  let run: ImportRun;
  try {
    run = await runOne();
  } finally {
    await timeline.stop();
  }
  const simsCpuAfter = sims.cpuSeconds();
  const machineCpuAfter = machineCpuSeconds();
  const benchUsed = process.cpuUsage(benchCpu);
  const cpu = {
    bench: (benchUsed.user + benchUsed.system) / 1e6,
    ...(simsCpu !== undefined && simsCpuAfter !== undefined ? { sims: simsCpuAfter - simsCpu } : {}),
    ...(machineCpu !== undefined && machineCpuAfter !== undefined
      ? { machine: machineCpuAfter - machineCpu }
      : {}),
  };
  const [mycashflow, netbaron] = (
    await Promise.all([sims.mycashflow.requests(), sims.netbaron.requests()])
  ).map(importTraffic) as [RequestCounts, RequestCounts];
  timeline.add('mycashflow', mycashflow);
  timeline.add('netbaron', netbaron);
  const s = run.summary;
  log(
    `  ${scenario}: ${seconds(s.durationMs)} s (outside ${seconds(run.outsideMs)} s), ` +
      `MyCashflow ${byMethod(s.requests.mycashflow)}, NetBaron ${byMethod(s.requests.netbaron)}, ` +
      `created ${s.created}, updated ${s.updated}, unchanged ${s.unchanged}, peak RSS ${peakText(base.mode, run)} MB`,
  );
  return { ...base, scenario, run, sim: { mycashflow, netbaron }, phases: timeline.phases(), cpu };
}

/** Everything the benchmark asserts of a row; each failure is one line. */
function checkRow(row: Row, scenario: BenchScenario, changed: number): string[] {
  const where = `${thousands(row.size)} × ${row.latencyMs} ms, ${modeText(row.mode)}, ${row.scenario}`;
  const s = row.run.summary;
  const failures: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) failures.push(`${where}: ${what}`);
  };
  expect(s.status === 'completed', `status "${s.status}", expected "completed"`);
  expect(s.failed === 0, `${s.failed} action(s) failed`);
  for (const system of ['mycashflow', 'netbaron'] as const) {
    expect(
      sameCounts(s.requests[system], row.sim[system].byMethod),
      `${system} requests: summary ${byMethod(s.requests[system])}, simulator log ${byMethod(row.sim[system].byMethod)}`,
    );
    const notOk = Object.entries(row.sim[system].byStatus).filter(([status]) => !/^2\d\d$/.test(status));
    expect(notOk.length === 0, `${system} answered ${notOk.map(([k, n]) => `${n} × ${k}`).join(', ')}`);
  }
  const writes = writesOf(s.requests.mycashflow);
  const simWrites = writesOf(row.sim.mycashflow.byMethod);
  if (row.scenario === 'full import') {
    expect(s.created === scenario.size, `created ${s.created}, expected ${scenario.size}`);
    expect(
      writes === fullImportWrites(scenario),
      `${writes} MyCashflow writes, expected ${fullImportWrites(scenario)} (a POST per product and a stock write per product with stock)`,
    );
  } else if (row.scenario === 'no-change re-import') {
    expect(
      writes === 0 && simWrites === 0,
      `${writes} MyCashflow write(s) in the summary and ${simWrites} in the simulator log, expected 0 (${byMethod(row.sim.mycashflow.byMethod)})`,
    );
    expect(
      s.created === 0 && s.updated === 0,
      `created ${s.created}, updated ${s.updated}, expected 0 and 0`,
    );
    expect(s.unchanged === scenario.size, `unchanged ${s.unchanged}, expected ${scenario.size}`);
  } else {
    expect(s.created === 0, `created ${s.created}, expected 0`);
    expect(s.updated === changed, `updated ${s.updated}, expected ${changed}`);
    expect(writes === changed, `${writes} MyCashflow writes, expected ${changed} (one per changed product)`);
  }
  return failures;
}

const modeText = (mode: Mode): string => (mode === 'cli' ? 'CLI' : `${mode} worker${mode === 1 ? '' : 's'}`);

/** Peak resident memory: the CLI's (its summary), or each worker process's during the import. */
const peakText = (mode: Mode, run: ImportRun): string =>
  mode === 'cli' || !run.processPeaksMb
    ? String(run.summary.peakRssMb)
    : run.processPeaksMb.map((mb) => String(mb)).join(' · ');

interface Importer {
  runOne(): Promise<ImportRun>;
  close(): Promise<void>;
}

/** Sets up one way of running imports against a fresh, empty store whose links are not yet known. */
async function prepare(
  mode: Mode,
  sims: SimProcess,
  scenario: BenchScenario,
  concurrency: number,
  server: { postgres: RunningPostgres; dir: string } | undefined,
  name: string,
): Promise<Importer> {
  const urls = { mycashflow: sims.mycashflow.url, netbaron: sims.netbaron.url };
  const file = connectionFile(scenario, urls, concurrency);
  if (mode !== 'cli') {
    const importer = await startServiceImporter({
      serverUrl: server!.postgres.connectionString,
      dataDir: server!.dir,
      database: name,
      connectionFile: file,
      workers: mode,
    });
    return { runOne: () => importer.run(), close: () => importer.close() };
  }
  // The data dir itself (its parent must be traversable by the `postgres` user when run as root).
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'netbaron-bench-'));
  const configFile = path.join(dataDir, 'connection.json');
  await writeFile(configFile, JSON.stringify(file, null, 2));
  // Warm-up against an empty catalog: initialises and migrates the embedded cluster, so that no
  // measured run pays for initdb.
  await sims.netbaron.putState({ ...scenario.netbaron, products: [] });
  try {
    await runCli(ROOT, ['check', '--config', configFile, '--json'], dataDir);
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    runOne: () => runImport(ROOT, configFile, dataDir),
    close: () => rm(dataDir, { recursive: true, force: true }),
  };
}

async function runSize(
  size: number,
  latencies: number[],
  modes: Mode[],
  concurrency: number,
  server: { postgres: RunningPostgres; dir: string } | undefined,
  failures: string[],
  simPeaks: Map<number, number | undefined>,
): Promise<Row[]> {
  log(`Size ${thousands(size)}: generating the catalog`);
  const scenario = buildScenario(size);
  const sims = await startSimProcess(ROOT);
  const rows: Row[] = [];
  try {
    for (const latencyMs of latencies) {
      for (const mode of modes) {
        log(`Size ${thousands(size)}, ${latencyMs} ms added latency, ${modeText(mode)}`);
        await Promise.all([sims.mycashflow.setLatency(0), sims.netbaron.setLatency(0)]);
        await sims.mycashflow.putState(scenario.mycashflow);
        const name = `bench_import_${size}_${latencyMs}_${mode}_${Date.now()}`;
        const importer = await prepare(mode, sims, scenario, concurrency, server, name);
        try {
          await sims.netbaron.putState(scenario.netbaron);
          await Promise.all([sims.mycashflow.setLatency(latencyMs), sims.netbaron.setLatency(latencyMs)]);
          const base = { size, listed: scenario.listed, latencyMs, mode };
          const here: Row[] = [];
          here.push(await measure(sims, importer.runOne, base, 'full import'));
          here.push(await measure(sims, importer.runOne, base, 'no-change re-import'));
          const change = changeOnePercent(scenario.netbaron);
          await sims.netbaron.putState(change.state);
          here.push(await measure(sims, importer.runOne, base, '1 % changed'));
          // Back to the generated catalog for the next run.
          await sims.netbaron.putState(scenario.netbaron);
          for (const row of here) failures.push(...checkRow(row, scenario, change.prices + change.stocks));
          rows.push(...here);
        } finally {
          await importer.close();
        }
      }
    }
  } finally {
    simPeaks.set(size, sims.peakRssMb());
    await sims.close();
  }
  return rows;
}

function mainTable(rows: Row[], concurrency: number): string {
  const header = [
    'size',
    'latency',
    'run by',
    'scenario',
    'created / updated / unchanged',
    'wall s',
    'outside s',
    'MyCashflow requests',
    'NetBaron requests',
    'sim log agrees',
    'peak RSS MB',
    'floor s',
    'ratio',
  ];
  const right = [true, true, false, false, true, true, true, false, false, false, true, true, true];
  const body = rows.map((r) => {
    const s = r.run.summary;
    const floor = floorSeconds(r, concurrency);
    const agrees =
      sameCounts(s.requests.mycashflow, r.sim.mycashflow.byMethod) &&
      sameCounts(s.requests.netbaron, r.sim.netbaron.byMethod);
    return [
      thousands(r.size),
      `${r.latencyMs} ms`,
      modeText(r.mode),
      r.scenario,
      `${thousands(s.created)} / ${thousands(s.updated)} / ${thousands(s.unchanged)}`,
      seconds(s.durationMs, 2),
      seconds(r.run.outsideMs, 2),
      byMethod(s.requests.mycashflow),
      byMethod(s.requests.netbaron),
      agrees ? 'yes' : '**no**',
      peakText(r.mode, r.run),
      floor === undefined ? '—' : floor.toFixed(2),
      floor === undefined || floor === 0 ? '—' : (s.durationMs / 1000 / floor).toFixed(2),
    ];
  });
  return markdownTable(header, body, right);
}

/** Machine CPU over the run that was neither the connector's tree, nor the simulators, nor this script. */
function otherCpu(r: Row): number | undefined {
  const { machine, sims, bench } = r.cpu;
  const tree = r.run.cpu;
  if (machine === undefined || sims === undefined || tree === undefined) return undefined;
  return Math.max(0, machine - sims - bench - tree.own - tree.below);
}

/** Where the time goes, from the simulators' request logs (see lib/timeline.ts) and /proc. */
function phaseTable(rows: Row[], concurrency: number): string {
  const header = [
    'size',
    'latency',
    'run by',
    'scenario',
    'MyCashflow writes',
    'reading s (MCF / NB)',
    'planning s',
    'writing s',
    'rest s',
    'writes/s',
    'ms per write × c',
    'write floor s',
    'writing ÷ write floor',
    'CPU s: connector / its PostgreSQL / sims / other processes',
  ];
  const right = [true, true, false, false, true, true, true, true, true, true, true, true, true, true];
  const body = rows.map((r) => {
    const s = r.run.summary;
    const writes = writesOf(s.requests.mycashflow);
    const { readingMs, readingMcfMs, readingNbMs, planningMs, writingMs } = r.phases;
    const rest = s.durationMs - (readingMs ?? 0) - (planningMs ?? 0) - (writingMs ?? 0);
    const writeFloor = (writes * r.latencyMs) / concurrency;
    const timed = writes > 0 && writingMs !== undefined && writingMs > 0;
    const cpu = (v: number | undefined) => (v === undefined ? '?' : v.toFixed(1));
    return [
      thousands(r.size),
      `${r.latencyMs} ms`,
      modeText(r.mode),
      r.scenario,
      thousands(writes),
      `${seconds(readingMs, 2)} (${seconds(readingMcfMs, 2)} / ${seconds(readingNbMs, 2)})`,
      seconds(planningMs, 2),
      seconds(writingMs, 2),
      seconds(rest, 2),
      timed ? thousands(Math.round((writes * 1000) / writingMs)) : '—',
      timed ? ((writingMs * concurrency) / writes).toFixed(1) : '—',
      r.latencyMs === 0 || writes === 0 ? '—' : seconds(writeFloor, 2),
      r.latencyMs === 0 || !timed ? '—' : (writingMs / writeFloor).toFixed(2),
      `${cpu(r.run.cpu?.own)} / ${cpu(r.run.cpu?.below)} / ${cpu(r.cpu.sims)} / ${cpu(otherCpu(r))}`,
    ];
  });
  return markdownTable(header, body, right);
}

async function main(): Promise<void> {
  const { sizes, latencies, modes, concurrency: given } = options();
  const { concurrency, why } = chooseConcurrency(sizes, latencies, given);
  log(`productImport.concurrency ${concurrency}: ${why}`);
  const failures: string[] = [];
  const simPeaks = new Map<number, number | undefined>();
  const rows: Row[] = [];
  const started = performance.now();
  // One PostgreSQL server for the service's runs (each configuration gets a database of its own); the
  // CLI starts its own embedded server each time, as an operator's CLI does.
  let server: { postgres: RunningPostgres; dir: string } | undefined;
  if (modes.some((m) => m !== 'cli')) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'netbaron-bench-server-'));
    server = { dir, postgres: await startEmbeddedPostgres({ dataDir: dir, maxConnections: 300 }) };
  }
  try {
    for (const size of sizes)
      rows.push(...(await runSize(size, latencies, modes, concurrency, server, failures, simPeaks)));
  } finally {
    if (server) {
      await server.postgres.stop();
      await rm(server.dir, { recursive: true, force: true });
    }
  }

  const listed = [...new Map(rows.map((r) => [r.size, r.listed])).entries()]
    .map(([size, n]) => `${thousands(size)} → ${thousands(n)}`)
    .join(', ');
  const rssGaps = rows.filter(
    (r) =>
      r.run.polledPeakRssMb !== undefined &&
      Math.abs(r.run.polledPeakRssMb - r.run.summary.peakRssMb) > 0.15 * r.run.summary.peakRssMb,
  );
  const out = [
    '## Product import benchmark',
    '',
    `Machine: ${os.availableParallelism()} cores (os.availableParallelism()), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}. ` +
      `productImport.concurrency = ${concurrency} for every run (${why}).`,
    '',
    mainTable(rows, concurrency),
    '',
    `${FLOOR_FORMULA} With 0 ms of added latency there is no floor (—).`,
    '',
    'Run by N workers = N `serve --role worker` processes over one PostgreSQL server (started before, ' +
      'not timed), the import queued as a job; run by CLI = `import-products --json` with its own embedded PostgreSQL. ' +
      'Wall s = the summary’s durationMs (reading both sides, planning, storing the plan, writing, recording); ' +
      'outside s = for workers, queuing the job to seeing its run finished in the database (pg-boss pick-up included); ' +
      'for the CLI, spawning it to its exit (Node and tsx start-up, embedded PostgreSQL start and stop included). ' +
      'Peak RSS = for workers, each worker process’s peak resident set during the import (Linux VmHWM, reset before ' +
      'each import); for the CLI, the summary’s peakRssMb. PostgreSQL runs in processes of its own, not counted. ' +
      'The order polls a worker makes (GET /orders at its start and every minute) are not the import’s and are ' +
      'left out of the request counts. ' +
      `NetBaron listing entries per size (deleted ones included): ${listed}.`,
    '',
    '### Where the time goes',
    '',
    phaseTable(rows, concurrency),
    '',
    'From the simulators’ request logs, on their clock: reading = the first read’s arrival to the last read’s answer ' +
      '(both systems); planning = the last read’s answer to the first MyCashflow write’s arrival (the plan made and ' +
      'stored in PostgreSQL); writing = the first write’s arrival to the last write’s answer; rest = wall s − the three ' +
      '(start: connection row and lock; end: outcomes, links and the run recorded). ms per write × c = the time one of ' +
      'the c slots spends per write: L plus what the simulator and the executor cost. Write floor = W × L ÷ c. ' +
      'CPU s (user + system, from /proc, Linux only): the connector (every worker process; for the CLI, its process) ' +
      'and its PostgreSQL (the server’s processes; for the CLI, its embedded server and tsx’s esbuild, last seen by a ' +
      '200 ms poll, start-up included); the simulators’ process; and other processes: the rest of ' +
      'the machine over the run (every other process, this script left out: a high figure means the run shared the ' +
      `${os.availableParallelism()} cores with other work and is slower than it would be alone).`,
    '',
    `Simulators' process peak RSS: ${[...simPeaks].map(([s, mb]) => `${thousands(s)} → ${mb ?? '?'} MB`).join(', ')}. ` +
      `Total benchmark time: ${Math.round((performance.now() - started) / 1000)} s.`,
  ];
  const cores = os.availableParallelism();
  const shared = rows.filter((r) => {
    const other = otherCpu(r);
    return other !== undefined && other > 0.15 * cores * (r.run.outsideMs / 1000);
  });
  if (shared.length)
    out.push(
      '',
      `Other processes used more than 15 % of the machine's CPU during: ${shared
        .map(
          (r) =>
            `${thousands(r.size)} × ${r.latencyMs} ms ${r.scenario} (${otherCpu(r)!.toFixed(1)} CPU s in ${seconds(r.run.outsideMs)} s)`,
        )
        .join('; ')}. Those rows are slower than they would be on a quiet machine.`,
    );
  if (rssGaps.length)
    out.push(
      '',
      `Peak RSS polled from /proc differs by more than 15 % from peakRssMb in: ${rssGaps
        .map(
          (r) =>
            `${thousands(r.size)} × ${r.latencyMs} ms ${r.scenario} (${r.run.polledPeakRssMb} vs ${r.run.summary.peakRssMb} MB)`,
        )
        .join('; ')}.`,
    );
  out.push(
    '',
    failures.length
      ? `### Checks FAILED\n\n${failures.map((f) => `- ${f}`).join('\n')}`
      : 'Checks: every run completed; every no-change re-import made 0 write requests to MyCashflow (summary and simulator log); ' +
          'the 1 % run wrote exactly one request per changed product; the summary’s request counts equal the simulators’ logs.',
  );
  console.log(out.join('\n'));
  if (failures.length) process.exitCode = 1;
}

try {
  await main();
} catch (err) {
  stopRunningImports();
  throw err;
}
