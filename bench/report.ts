/**
 * Renders the results in `tmp/bench/*.json` as the Markdown tables of README.md's "Benchmarks":
 * `npm run bench:report` prints them; with `-- --write` each goes between its markers in README.md
 * (`<!-- bench:<table>:start -->` … `<!-- bench:<table>:end -->`). Tables without a result file stay.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ExportRow } from './export-orders.ts';
import type { ImportRow } from './import-products.ts';
import { log, RESULTS_DIR, ROOT, type BenchResult, type Distribution } from './lib/results.ts';
import type { StoresRow } from './multi-store.ts';
import type { FloodRow } from './webhook-flood.ts';

/** A column: its title, its cell, and whether it is aligned left (numbers are right). */
type Column<R> = [title: string, cell: (row: R) => string, align?: 'left'];
function table<R>(rows: R[], columns: Column<R>[]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const head = [line(columns.map(([t]) => t)), line(columns.map(([, , a]) => (a ? '---' : '---:')))];
  return [...head, ...rows.map((r) => line(columns.map(([, cell]) => cell(r))))].join('\n');
}

type Num = number | null | undefined;
const known = (v: Num): v is number => typeof v === 'number' && Number.isFinite(v);
const thousands = (n: number): string => Math.round(n).toLocaleString('en-US').replace(/,/g, ' ');
const fixed = (v: Num, digits: number, none = '—'): string => (known(v) ? v.toFixed(digits) : none);
const secs = (ms: Num, digits = 2): string => fixed(known(ms) ? ms / 1000 : NaN, digits);
/** A percentile that fell among orders never exported is null: later than the run's end. */
const ms = (v: Num): string => (v === null ? '> drain' : known(v) ? thousands(v) : '—');
const rate = (v: Num): string => fixed(v, known(v) && v >= 100 ? 0 : 1);
const p50p99 = (d: Distribution): string => (d.n + d.missing ? `${ms(d.p50)} / ${ms(d.p99)}` : '—');
const joined = <T>(values: T[], format: (v: T) => string, by = ' / '): string =>
  values.map((v) => format(v)).join(by);
const mbs = (list: Num[]): string => joined(list, (mb) => fixed(mb, 0), ' · ');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const byMethod = (c: Record<string, number>): string =>
  joined(
    METHODS.filter((m) => c[m]),
    (m) => `${m} ${thousands(c[m]!)}`,
    ' · ',
  ) || '0';
const latency = (ps: Array<'p50' | 'p95' | 'p99' | 'max'>) =>
  ps.map((p): Column<ExportRow> => [`${p} ms`, (r) => ms(r.latency[p])]);
const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

const writesOf = ({ summary: { requests: q } }: ImportRow) => sum(q.mycashflow) - (q.mycashflow.GET ?? 0);
/** The connector's CPU per MyCashflow write: the whole run's, reading and planning included. */
const cpuPerWrite = (r: ImportRow) => (writesOf(r) ? (r.cpu.connector * 1000) / writesOf(r) : NaN);
const peakOf = (r: ImportRow) => Math.max(...(r.workerPeaksMb ?? [r.summary.peakRssMb]));

function importTables({ params: { concurrency: c }, rows }: BenchResult<{ concurrency: number }, ImportRow>) {
  const first: Column<ImportRow>[] = [
    ['size', (r) => thousands(r.size)],
    ['latency', (r) => `${r.latencyMs} ms`],
    ['run by', (r) => (r.runBy === 'cli' ? 'CLI' : `${r.runBy} worker${r.runBy === 1 ? '' : 's'}`), 'left'],
    ['scenario', (r) => r.scenario, 'left'],
  ];
  const writes = writesOf;
  // Each system is read one page after another, the two at once: the longer chain counts.
  // What is read back of the store after the writes (`refreshAfterRun`) follows them, one page at a time.
  const reads = ({ summary: { requests: q }, phases: p }: ImportRow) => {
    const back = p.readBackRequests ?? 0;
    return Math.max((q.mycashflow.GET ?? 0) - back, sum(q.netbaron)) + back;
  };
  const floor = (r: ImportRow) => (r.latencyMs ? ((writes(r) / c + reads(r)) * r.latencyMs) / 1000 : NaN);
  const writeFloor = (r: ImportRow) => (r.latencyMs && writes(r) ? (writes(r) * r.latencyMs) / c : NaN);
  const writing = (r: ImportRow) => (writes(r) ? (r.phases.writingMs ?? NaN) : NaN);
  const rest = ({ summary, phases: p }: ImportRow) =>
    summary.durationMs -
    (p.readingMs ?? 0) -
    (p.planningMs ?? 0) -
    (p.writingMs ?? 0) -
    (p.readingBackMs ?? 0);
  const counts = ({ summary: s }: ImportRow) => joined([s.created, s.updated, s.unchanged], thousands);
  const reading = ({ phases: p }: ImportRow) =>
    `${secs(p.readingMs)} (${joined([p.readingMcfMs, p.readingNbMs], secs)})`;
  const cpu = ({ cpu: u }: ImportRow) =>
    joined([u.connector, u.postgres, u.sims, u.other], (s) => fixed(s, 1, '?'));
  return {
    import: table(rows, [
      ...first,
      ['created / updated / unchanged', counts],
      ['wall s', (r) => secs(r.summary.durationMs)],
      ['outside s', (r) => secs(r.outsideMs)],
      ['MyCashflow requests', (r) => byMethod(r.summary.requests.mycashflow), 'left'],
      ['NetBaron requests', (r) => byMethod(r.summary.requests.netbaron), 'left'],
      ['sim log agrees', (r) => (r.simLogAgrees ? 'yes' : '**no**'), 'left'],
      ['peak RSS MB', (r) => (r.workerPeaksMb ?? [r.summary.peakRssMb]).join(' · ')],
      ['floor s', (r) => fixed(floor(r), 2)],
      ['ratio', (r) => fixed(r.summary.durationMs / 1000 / floor(r), 2)],
    ]),
    'import-phases': table(rows, [
      ...first,
      ['MyCashflow writes', (r) => thousands(writes(r))],
      ['reading s (MCF / NB)', reading],
      ['planning s', (r) => secs(r.phases.planningMs)],
      ['writing s', (r) => secs(r.phases.writingMs)],
      [
        'reading back s (requests)',
        (r) =>
          r.phases.readBackRequests ? `${secs(r.phases.readingBackMs)} (${r.phases.readBackRequests})` : '—',
      ],
      ['rest s', (r) => secs(rest(r))],
      ['writes/s', (r) => (known(writes(r) / writing(r)) ? thousands((writes(r) * 1000) / writing(r)) : '—')],
      ['ms per write × c', (r) => fixed((writing(r) * c) / writes(r), 1)],
      ['write floor s', (r) => secs(writeFloor(r))],
      ['writing ÷ write floor', (r) => fixed(writing(r) / writeFloor(r), 2)],
      ['CPU s: connector / its PostgreSQL / sims / other processes', cpu],
      ['connector CPU ms per write', (r) => fixed(cpuPerWrite(r), 2)],
    ]),
  };
}

/** A figure of issue 15's goals: what was measured, the goal, and whether it is met. */
type Goal = [goal: string, measured: Num, target: string, met: (v: number) => boolean, digits?: number];

/** The performance goals, each with the run it is read from; "not measured" when that run is missing. */
function goalsTable(results: Map<string, BenchResult<never, never>>): string {
  const imports = (results.get('import')?.rows ?? []) as ImportRow[];
  const exports = (results.get('export')?.rows ?? []) as ExportRow[];
  const c = (results.get('import')?.params as { concurrency?: number } | undefined)?.concurrency ?? 16;
  const pick = (size: number, latency: number, scenario: ImportRow['scenario']) =>
    imports.filter((r) => r.size === size && r.latencyMs === latency && r.scenario === scenario);
  const most = (values: number[]) => (values.length ? Math.max(...values) : NaN);
  const reads = ({ summary: { requests: q } }: ImportRow) => Math.max(q.mycashflow.GET ?? 0, sum(q.netbaron));
  const writeRatio = (r: ImportRow) => ((r.phases.writingMs ?? NaN) * c) / (writesOf(r) * r.latencyMs);
  const wholeRatio = (r: ImportRow) => r.summary.durationMs / ((writesOf(r) / c + reads(r)) * r.latencyMs);
  const [full100k, same100k] = [pick(100_000, 0, 'full import'), pick(100_000, 0, 'no-change re-import')];
  const peak100k = most([...full100k, ...same100k].map(peakOf));
  const peak10k = most(
    [...pick(10_000, 0, 'full import'), ...pick(10_000, 0, 'no-change re-import')].map(peakOf),
  );
  const at20 = [...pick(10_000, 20, 'full import'), ...pick(100_000, 20, 'full import')];
  const perWrite = pick(100_000, 0, 'full import').length
    ? pick(100_000, 0, 'full import')
    : pick(10_000, 0, 'full import');
  const at50 = exports.find((r) => r.kind === 'rate' && r.rate === 50);
  const lostOrTwice = exports.reduce(
    // Orders, not states: every order still unsent for a reason other than its queue is counted.
    (n, r) =>
      n +
      r.duplicates.length +
      sum(Object.fromEntries(Object.entries(r.unfinished).filter(([s]) => s !== 'received'))),
    0,
  );
  const goals: Goal[] = [
    [
      'peak RSS MB, 100 000: full import and re-import, worker and CLI',
      peak100k,
      '≤ 250',
      (v) => v <= 250,
      0,
    ],
    ['peak RSS, 10 000 ÷ 100 000', peak10k / peak100k, '≥ 0.80', (v) => v >= 0.8],
    [
      'writing ÷ write floor, full import at 20 ms (worst)',
      most(at20.map(writeRatio)),
      '≤ 1.05',
      (v) => v <= 1.05,
    ],
    [
      'whole import ÷ request floor, full import at 20 ms (worst)',
      most(at20.map(wholeRatio)),
      '≤ 1.10',
      (v) => v <= 1.1,
    ],
    [
      'MyCashflow requests, no-change re-import of 100 000 at 0 ms',
      most(same100k.map((r) => sum(r.summary.requests.mycashflow))),
      '≤ 5',
      (v) => v <= 5,
      0,
    ],
    [
      'seconds, no-change re-import of 100 000 at 0 ms',
      most(same100k.map((r) => r.summary.durationMs / 1000)),
      '≤ 5',
      (v) => v <= 5,
      1,
    ],
    [
      `connector CPU ms per write, full import of ${thousands(perWrite[0]?.size ?? 100_000)} at 0 ms`,
      most(perWrite.map(cpuPerWrite)),
      '≤ 0.40',
      (v) => v <= 0.4,
    ],
    [
      'PostgreSQL transactions per order at 50 orders/s',
      at50 ? at50.pgXacts / at50.placed : NaN,
      '≤ 6',
      (v) => v <= 6,
      1,
    ],
    [
      'orders/s one worker sustains (2nd half of the best rate)',
      most(exports.map((r) => r.exportedPerSec.lastHalf ?? NaN).filter(known)),
      '≥ 350',
      (v) => v >= 350,
      0,
    ],
    ['p99 ms at 50 orders/s', at50?.latency.p99, '≤ 50', (v) => v <= 50, 0],
    [
      'orders lost or sent twice, every export run',
      exports.length ? lostOrTwice : NaN,
      '0',
      (v) => v === 0,
      0,
    ],
  ];
  return table(goals, [
    ['goal', ([g]) => g, 'left'],
    ['measured', ([, v, , , d]) => fixed(v, d ?? 2, 'not measured')],
    ['target', ([, , t]) => t],
    ['verdict', ([, v, , met]) => (known(v) ? (met(v) ? 'met' : '**not met**') : '—'), 'left'],
  ]);
}

function exportTables({ rows }: BenchResult<unknown, ExportRow>) {
  const backlog = (r: ExportRow) => r.kind === 'backlog';
  // Other work used more than a fifth of a core during the measurement: the row's figures are worse.
  const shared = (r: ExportRow) => (r.cpu.other > 0.2 * r.cpu.windowS ? ' ⚠' : '');
  const arrival = (r: ExportRow) =>
    backlog(r)
      ? `backlog of ${thousands(r.placed)} (no webhooks)${shared(r)}`
      : `${r.rate} (${rate(r.achievedRate)})${shared(r)}`;
  const cpu = ({ cpu: u }: ExportRow) =>
    joined([u.connector, u.postgres, u.sims, u.bench, u.other], (s) => fixed((s * 100) / u.windowS, 0, '?'));
  const notExported = ({ unfinished, waitingOther, drainMs }: ExportRow) =>
    [
      ...Object.entries(unfinished).map(([state, n]) =>
        state === 'received'
          ? `${n} still queued after ${secs(drainMs, 0)} s of drain`
          : `${n} ${state === 'none' ? 'not in the ledger' : state}`,
      ),
      ...(waitingOther.length ? [`${waitingOther.length} waiting (unexpected)`] : []),
    ].join(', ') || '0';
  const whileArriving = ({ exportedPerSec: e }: ExportRow) =>
    e.inWindow === undefined ? '—' : joined([e.inWindow, e.lastHalf], rate);
  const behind = (r: ExportRow) =>
    backlog(r) ? `${thousands(r.placed - r.waitingByDesign)} at the start` : thousands(r.behindAtEnd ?? 0);
  const phase = (t: string, d: (r: ExportRow) => Distribution): Column<ExportRow> => [t, (r) => p50p99(d(r))];
  const tail: Column<ExportRow>[] = [
    ['CPU % worker / its PostgreSQL / sims / bench / other', cpu],
    ['PG xacts / order', (r) => fixed(r.pgXacts / (backlog(r) ? r.exported : r.placed), 1)],
  ];
  const atRates = rows.filter((r) => r.kind === 'rate');
  const [maxima, phased] = [rows.filter((r) => r.kind !== 'rate'), rows.filter((r) => r.kind !== 'max')];
  return {
    export: table(atRates, [
      ['arrival /s (achieved)', arrival],
      ['orders placed', (r) => thousands(r.placed)],
      ['webhooks 200', (r) => thousands(r.deliveries - r.deliveryFailures.length)],
      ['exported', (r) => thousands(r.exported)],
      ['waiting: Klarna', (r) => thousands(r.waitingByDesign)],
      ['not exported', notExported, 'left'],
      ['duplicates', (r) => String(r.duplicates.length)],
      ...latency(['p50', 'p95', 'p99', 'max']),
      ['exported /s', (r) => rate(r.exportedPerSec.inWindow)],
      ...tail,
    ]),
    'export-max': table(maxima, [
      ['arrival /s (achieved)', arrival],
      ['orders placed', (r) => thousands(r.placed)],
      ['exported /s while arriving: all / 2nd half', whileArriving],
      ['behind at end of arrivals', behind],
      ['then drained /s', ({ exportedPerSec: e }) => rate(e.overall ?? e.drain)],
      phase('p50 / p99 ms', (r) => r.latency),
      ['duplicates', (r) => String(r.duplicates.length)],
      ...tail,
    ]),
    'export-phases': table(phased, [
      ['scenario', (r) => (backlog(r) ? `backlog of ${r.placed}` : `${r.rate}/s`), 'left'],
      phase('delivery began → stored', (r) => r.phases.delivery),
      phase('stored → job queued', (r) => r.phases.queue),
      phase('queued → job started', (r) => r.phases.wait),
      phase('job started → PUT', (r) => r.phases.prepare),
      phase('PUT → NetBaron stored', (r) => r.phases.put),
      phase('stored → NetBaron (the latency)', (r) => r.latency),
      phase('order placed → NetBaron', (r) => r.phases.endToEnd),
    ]),
  };
}

const exportScaleTables = ({ rows }: BenchResult<unknown, ExportRow>) => ({
  'export-scale': table(rows, [
    ['workers', (r) => String(r.runBy)],
    ['arrivals /s', (r) => String(r.rate)],
    ['orders', (r) => String(r.placed)],
    ['in NetBaron', (r) => String(r.exported)],
    ['waiting (Klarna)', (r) => String(r.waitingByDesign)],
    ...latency(['p50', 'p95', 'p99']),
    ['sustained /s', (r) => fixed(r.exportedPerSec.sustained, 0)],
    ['peak RSS MB (web · workers)', (r) => mbs(r.peakRssMb), 'left'],
  ]),
});

const storesTables = ({ params, rows }: BenchResult<{ stores: number }, StoresRow>) => ({
  stores: table(rows, [
    ['workers', (r) => String(r.workers)],
    ['completed', (r) => `${r.completed} / ${params.stores}`],
    ['total s', (r) => fixed(r.lastS, 1)],
    ['first store s', (r) => fixed(r.firstS, 1)],
    ['median s', (r) => fixed(r.medianS, 1)],
    ['last store s', (r) => fixed(r.lastS, 1)],
    ['spread s', (r) => fixed(r.lastS - r.firstS, 1)],
    ['writes to MyCashflow', (r) => thousands(r.writes)],
    ['peak RSS per worker MB', (r) => mbs(r.peakRssMb), 'left'],
  ]),
});

function webhooksTables({ params: p, rows }: BenchResult<Record<string, number>, FloodRow>) {
  const r = rows[0]!;
  const lines: Array<[string, unknown, unknown]> = [
    ['`/healthz` answer p50', `${ms(r.healthz.p50)} ms`, ''],
    ['`/healthz` answer p95', `${ms(r.healthz.p95)} ms`, '< 100 ms'],
    ['real deliveries answered p50', `${ms(r.real.p50)} ms`, ''],
    ['real deliveries answered p95', `${ms(r.real.p95)} ms`, '< 1 000 ms'],
    ['real deliveries answered max', `${ms(r.real.max)} ms`, '< 1 000 ms'],
    ['real deliveries not 2xx within 10 s', r.realLate, 0],
    ['answers 2xx (real + replays)', r.answers2xx, p.real! + p.replays!],
    ['answers 4xx (forged)', r.answers4xx, p.forged],
    ['answers 5xx or none', r.answers5xxOrNone, 0],
    ['orders stored / export jobs queued', `${r.ordersStored} / ${r.jobsQueued}`, `${p.real} / ${p.real}`],
    ['forged orders stored, orders queued twice', `${r.forgedStored}, ${r.queuedTwice}`, '0, 0'],
    ['whole flood', `${ms(r.wallMs)} ms`, ''],
  ];
  const columns: Column<[string, unknown, unknown]>[] = [
    ['', (l) => l[0], 'left'],
    ['measured', (l) => String(l[1])],
    ['goal', (l) => String(l[2])],
  ];
  return { webhooks: table(lines, columns) };
}

const RENDERERS = {
  import: importTables,
  export: exportTables,
  'export-scale': exportScaleTables,
  stores: storesTables,
  webhooks: webhooksTables,
} as Record<string, (result: BenchResult<never, never>) => Record<string, string>>;

/** Each table of every result file there is, with the machine it was measured on and its failed checks. */
const tables = new Map<string, string>();
const results = new Map<string, BenchResult<never, never>>();
for (const [name, render] of Object.entries(RENDERERS)) {
  const file = path.join(RESULTS_DIR, `${name}.json`);
  if (!existsSync(file)) continue;
  const result = JSON.parse(readFileSync(file, 'utf8')) as BenchResult<never, never>;
  results.set(name, result);
  const m = result.machine;
  const changes = m.uncommitted.length ? ` with uncommitted changes in ${m.uncommitted.join(', ')}` : '';
  const failed = result.checks.filter((c) => !c.ok).map((c) => `${c.check} (${c.failures.join('; ')})`);
  const notes = [`_Commit ${m.commit}${changes} · ${m.cores} cores · ${m.memoryGiB} GiB · Node ${m.node}_`];
  if (failed.length) notes.push(`**Checks failed:** ${failed.join('; ')}`);
  for (const [table, text] of Object.entries(render(result)))
    tables.set(table, [text, '', ...notes].join('\n'));
}

const commits = [...new Set([...results.values()].map((r) => r.machine.commit))].join(', ');
if (results.size) tables.set('goals', `${goalsTable(results)}\n\n_From the results of commit ${commits}_`);

if (!parseArgs({ options: { write: { type: 'boolean' } } }).values.write)
  for (const [name, text] of tables) console.log(`<!-- bench:${name} -->\n${text}\n`);
else {
  const readme = path.join(ROOT, 'README.md');
  let text = readFileSync(readme, 'utf8');
  for (const [name, table] of tables) {
    const markers = new RegExp(`(<!-- bench:${name}:start -->)[^]*?(<!-- bench:${name}:end -->)`);
    const found = markers.test(text);
    text = text.replace(markers, (_, start: string, end: string) => `${start}\n${table}\n${end}`);
    log(`README.md: ${name} ${found ? 'written' : 'not written: no <!-- bench:… --> start and end markers'}`);
  }
  writeFileSync(readme, text);
}
