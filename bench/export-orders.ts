/**
 * Order-export benchmark: `npx tsx bench/export-orders.ts [--workers worker|1,4] [--rates 10,50,200]
 * [--duration 20] [--max-rates auto|no|100,150,…] [--max-duration 15] [--backlog 400] [--products 1000]
 * [--drain 60] [--quiet-wait 300]`: fixed arrival rates, a search for the highest rate the connector
 * keeps up with, and a backlog found by polling. See bench/README.md.
 */
import { parseArgs } from 'node:util';
import { generateDemoScenario } from '../simulators/demo/index.ts';
import { exportBench, type ExportRow, type RunBy } from './lib/export-run.ts';
import { startServer } from './lib/processes.ts';
import { Checks, log, numbers, writeResult } from './lib/results.ts';
import { startSims } from './lib/sims.ts';

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: 'worker' },
    rates: { type: 'string', default: '10,50,200' },
    duration: { type: 'string', default: '20' },
    'max-rates': { type: 'string', default: 'auto' },
    'max-duration': { type: 'string', default: '15' },
    backlog: { type: 'string', default: '400' },
    products: { type: 'string', default: '1000' },
    drain: { type: 'string', default: '60' },
    'quiet-wait': { type: 'string', default: '300' },
  },
});
const one = (option: keyof typeof values, min: number) => numbers(String(values[option]), option, min)[0]!;
const auto = values['max-rates'] === 'auto';
const params = {
  workers: values.workers.split(',').map((w): RunBy => (w === 'worker' ? w : numbers(w, 'workers', 1)[0]!)),
  rates: numbers(values.rates, 'rates', 1),
  durationS: one('duration', 1),
  // Auto: rising by half, until the exports stop rising or have fallen behind twice.
  maxRates: auto
    ? [100, 150, 225, 340, 500, 750]
    : values['max-rates'] === 'no'
      ? []
      : numbers(values['max-rates'], 'max-rates', 1),
  maxDurationS: one('max-duration', 1),
  backlog: one('backlog', 0),
  products: one('products', 100),
  drainS: one('drain', 1),
  quietWaitS: one('quiet-wait', 0),
};
// Web and worker processes (`--workers 1,4`) are the scaled-out benchmark, with a table of its own.
const scaled = params.workers.some((w) => w !== 'worker');

const started = new Date();
const checks = new Checks();
const rows: ExportRow[] = [];
const [sims, server] = [await startSims(), await startServer({ unsafeFast: scaled })];
const demo = generateDemoScenario({ products: params.products, orders: 0 });
const measure = exportBench(demo, sims, server, params.quietWaitS);

async function run(runBy: RunBy, kind: ExportRow['kind'], rate: number, count: number, capMs: number) {
  const where = `${runBy === 'worker' ? 'worker' : `${runBy} worker(s)`}, ${kind === 'backlog' ? `backlog of ${count}` : `${kind} ${rate}/s`}`;
  log(`${where}: ${count} orders`);
  const row = await measure(runBy, kind, rate, count, capMs);
  log(`  exported ${row.exported}, latency p50 ${row.latency.p50} ms, ${JSON.stringify(row.exportedPerSec)}`);
  const expect = (check: string, failures: unknown[]) =>
    checks.expect(check, failures.length === 0, `${where}: ${failures.join(', ')}`);
  expect('no order held twice by NetBaron', row.duplicates);
  expect('every NetBaron order Pending', row.notPending ? [`${row.notPending} not`] : []);
  expect('the store took every order', row.refused);
  expect('only orders paid by a method NetBaron lacks wait', row.waitingOther);
  const missed = kind !== 'backlog' && row.deliveries !== row.placed ? [`${row.deliveries} deliveries`] : [];
  expect('every webhook delivered once, answered 200', [...row.deliveryFailures, ...missed]);
  expect('no dead letters', row.deadLetters ? [row.deadLetters] : []);
  // Still `received` is queued, safe in the ledger, only slow; any other state has lost its way.
  expect(
    'every order exported, waiting, or still queued',
    Object.entries(row.unfinished).filter(([s]) => s !== 'received'),
  );
  rows.push(row);
  return row;
}
try {
  for (const runBy of params.workers) {
    for (const rate of params.rates)
      await run(runBy, 'rate', rate, rate * params.durationS, params.drainS * 1000);
    let [best, behind] = [0, 0];
    for (const rate of params.maxRates) {
      const row = await run(runBy, 'max', rate, rate * params.maxDurationS, 20_000);
      const got = row.exportedPerSec.lastHalf ?? 0;
      if (got < 0.9 * (row.achievedRate ?? rate)) behind += 1;
      if (auto && (got < 1.05 * best || behind >= 2)) break;
      best = Math.max(best, got);
    }
    if (params.backlog > 0) await run(runBy, 'backlog', 0, params.backlog, 120_000);
  }
} finally {
  await sims.close();
  await server.stop();
}
writeResult(scaled ? 'export-scale' : 'export', started, params, rows, checks);
