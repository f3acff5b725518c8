/**
 * Renders the results in `tmp/bench/*.json` as the Markdown tables of README.md's "Benchmarks":
 * `npm run bench:report` prints them; with `-- --write` each goes between its markers in README.md
 * (`<!-- bench:<table>:start -->` … `<!-- bench:<table>:end -->`). Tables without a result file stay.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ImportRow } from './import-products.ts';
import type { ExportRow } from './lib/export-run.ts';
import { log, RESULTS_DIR, ROOT, type BenchResult } from './lib/results.ts';
import type { Distribution } from './lib/stats.ts';
import type { StoresRow } from './multi-store.ts';
import type { FloodRow } from './webhook-flood.ts';

type Column<R> = [title: string, cell: (row: R) => string, align?: 'left'];
function table<R>(rows: R[], columns: Column<R>[]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const body = rows.map((r) => line(columns.map(([, cell]) => cell(r))));
  return [line(columns.map(([t]) => t)), line(columns.map(([, , a]) => (a ? '---' : '---:'))), ...body].join(
    '\n',
  );
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
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const byMethod = (counts: Record<string, number>): string =>
  METHODS.filter((m) => counts[m])
    .map((m) => `${m} ${thousands(counts[m]!)}`)
    .join(' · ') || '0';
const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

function importTables({ params, rows }: BenchResult<{ concurrency: number }, ImportRow>) {
  const c = params.concurrency;
  const first: Column<ImportRow>[] = [
    ['size', (r) => thousands(r.size)],
    ['latency', (r) => `${r.latencyMs} ms`],
    ['run by', (r) => (r.runBy === 'cli' ? 'CLI' : `${r.runBy} worker${r.runBy === 1 ? '' : 's'}`), 'left'],
    ['scenario', (r) => r.scenario, 'left'],
  ];
  const writes = (r: ImportRow) =>
    sum(r.summary.requests.mycashflow) - (r.summary.requests.mycashflow.GET ?? 0);
  // Each system is read one page after another, the two at once: the longer chain counts.
  const reads = ({ summary: { requests: q } }: ImportRow) => Math.max(q.mycashflow.GET ?? 0, sum(q.netbaron));
  const floor = (r: ImportRow) => (r.latencyMs ? ((writes(r) / c + reads(r)) * r.latencyMs) / 1000 : NaN);
  const writeFloor = (r: ImportRow) => (r.latencyMs && writes(r) ? (writes(r) * r.latencyMs) / c : NaN);
  const writing = (r: ImportRow) => (writes(r) ? (r.phases.writingMs ?? NaN) : NaN);
  const rest = ({ summary, phases: p }: ImportRow) =>
    summary.durationMs - (p.readingMs ?? 0) - (p.planningMs ?? 0) - (p.writingMs ?? 0);
  return {
    import: table(rows, [
      ...first,
      [
        'created / updated / unchanged',
        ({ summary: s }) => [s.created, s.updated, s.unchanged].map(thousands).join(' / '),
      ],
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
      [
        'reading s (MCF / NB)',
        ({ phases: p }) => `${secs(p.readingMs)} (${secs(p.readingMcfMs)} / ${secs(p.readingNbMs)})`,
      ],
      ['planning s', (r) => secs(r.phases.planningMs)],
      ['writing s', (r) => secs(r.phases.writingMs)],
      ['rest s', (r) => secs(rest(r))],
      ['writes/s', (r) => (known(writes(r) / writing(r)) ? thousands((writes(r) * 1000) / writing(r)) : '—')],
      ['ms per write × c', (r) => fixed((writing(r) * c) / writes(r), 1)],
      ['write floor s', (r) => secs(writeFloor(r))],
      ['writing ÷ write floor', (r) => fixed(writing(r) / writeFloor(r), 2)],
      [
        'CPU s: connector / its PostgreSQL / sims / other processes',
        ({ cpu }) =>
          [cpu.connector, cpu.postgres, cpu.sims, cpu.other].map((s) => fixed(s, 1, '?')).join(' / '),
      ],
    ]),
  };
}

function exportTables({ rows }: BenchResult<unknown, ExportRow>) {
  // Other work used more than a fifth of a core during the measurement: the row's figures are worse.
  const shared = (r: ExportRow) => (r.cpu.other > 0.2 * r.cpu.windowS ? ' ⚠' : '');
  const arrival = (r: ExportRow) => `${r.rate} (${rate(r.achievedRate)})${shared(r)}`;
  const cpu: Column<ExportRow> = [
    'CPU % worker / its PostgreSQL / sims / bench / other',
    ({ cpu: u }) =>
      [u.connector, u.postgres, u.sims, u.bench, u.other]
        .map((s) => fixed((s * 100) / u.windowS, 0, '?'))
        .join(' / '),
  ];
  const xacts: Column<ExportRow> = [
    'PG xacts / order',
    (r) => fixed(r.pgXacts / (r.kind === 'backlog' ? r.exported : r.placed), 1),
  ];
  const notExported = (r: ExportRow) =>
    [
      ...Object.entries(r.unfinished).map(([state, n]) =>
        state === 'received'
          ? `${n} still queued after ${secs(r.drainMs, 0)} s of drain`
          : `${n} ${state === 'none' ? 'not in the ledger' : state}`,
      ),
      ...(r.waitingOther.length ? [`${r.waitingOther.length} waiting (unexpected)`] : []),
    ].join(', ') || '0';
  const backlog = (r: ExportRow) => r.kind === 'backlog';
  return {
    export: table(
      rows.filter((r) => r.kind === 'rate'),
      [
        ['arrival /s (achieved)', arrival],
        ['orders placed', (r) => thousands(r.placed)],
        ['webhooks 200', (r) => thousands(r.deliveries - r.deliveryFailures.length)],
        ['exported', (r) => thousands(r.exported)],
        ['waiting: Klarna', (r) => thousands(r.waitingByDesign)],
        ['not exported', notExported, 'left'],
        ['duplicates', (r) => String(r.duplicates.length)],
        ...(['p50', 'p95', 'p99', 'max'] as const).map((p): Column<ExportRow> => [
          `${p} ms`,
          (r) => ms(r.latency[p]),
        ]),
        ['exported /s', (r) => rate(r.exportedPerSec.inWindow)],
        cpu,
        xacts,
      ],
    ),
    'export-max': table(
      rows.filter((r) => r.kind !== 'rate'),
      [
        [
          'arrival /s (achieved)',
          (r) => (backlog(r) ? `backlog of ${thousands(r.placed)} (no webhooks)${shared(r)}` : arrival(r)),
        ],
        ['orders placed', (r) => thousands(r.placed)],
        [
          'exported /s while arriving: all / 2nd half',
          ({ exportedPerSec: e }) =>
            e.inWindow === undefined ? '—' : `${rate(e.inWindow)} / ${rate(e.lastHalf)}`,
        ],
        [
          'behind at end of arrivals',
          (r) =>
            backlog(r)
              ? `${thousands(r.placed - r.waitingByDesign)} at the start`
              : thousands(r.behindAtEnd ?? 0),
        ],
        ['then drained /s', ({ exportedPerSec: e }) => rate(e.overall ?? e.drain)],
        ['p50 / p99 ms', (r) => p50p99(r.latency)],
        ['duplicates', (r) => String(r.duplicates.length)],
        cpu,
        xacts,
      ],
    ),
    'export-phases': table(
      rows.filter((r) => r.kind !== 'max'),
      [
        ['scenario', (r) => (backlog(r) ? `backlog of ${r.placed}` : `${r.rate}/s`), 'left'],
        ['delivery began → stored', (r) => p50p99(r.phases.delivery)],
        ['stored → job queued', (r) => p50p99(r.phases.queue)],
        ['queued → job started', (r) => p50p99(r.phases.wait)],
        ['job started → PUT', (r) => p50p99(r.phases.prepare)],
        ['PUT → NetBaron stored', (r) => p50p99(r.phases.put)],
        ['stored → NetBaron (the latency)', (r) => p50p99(r.latency)],
        ['order placed → NetBaron', (r) => p50p99(r.phases.endToEnd)],
      ],
    ),
  };
}

const exportScaleTables = ({ rows }: BenchResult<unknown, ExportRow>) => ({
  'export-scale': table(rows, [
    ['workers', (r) => String(r.runBy)],
    ['arrivals /s', (r) => String(r.rate)],
    ['orders', (r) => String(r.placed)],
    ['in NetBaron', (r) => String(r.exported)],
    ['waiting (Klarna)', (r) => String(r.waitingByDesign)],
    ...(['p50', 'p95', 'p99'] as const).map((p): Column<ExportRow> => [`${p} ms`, (r) => ms(r.latency[p])]),
    ['sustained /s', (r) => fixed(r.exportedPerSec.sustained, 0)],
    ['peak RSS MB (web · workers)', (r) => r.peakRssMb.map((mb) => fixed(mb, 0)).join(' · '), 'left'],
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
    ['peak RSS per worker MB', (r) => r.peakRssMb.map((mb) => fixed(mb, 0)).join(' · '), 'left'],
  ]),
});

function webhooksTables({
  params: { real, replays, forged },
  rows,
}: BenchResult<Record<string, number>, FloodRow>) {
  const r = rows[0]!;
  const lines = [
    ['`/healthz` answer p50', `${ms(r.healthz.p50)} ms`, ''],
    ['`/healthz` answer p95', `${ms(r.healthz.p95)} ms`, '< 100 ms'],
    ['real deliveries answered p50', `${ms(r.real.p50)} ms`, ''],
    ['real deliveries answered p95', `${ms(r.real.p95)} ms`, '< 1 000 ms'],
    ['real deliveries answered max', `${ms(r.real.max)} ms`, '< 1 000 ms'],
    ['real deliveries not 2xx within 10 s', r.realLate, 0],
    ['answers 2xx (real + replays)', r.answers2xx, real! + replays!],
    ['answers 4xx (forged)', r.answers4xx, forged],
    ['answers 5xx or none', r.answers5xxOrNone, 0],
    ['orders stored / export jobs queued', `${r.ordersStored} / ${r.jobsQueued}`, `${real} / ${real}`],
    ['forged orders stored, orders queued twice', `${r.forgedStored}, ${r.queuedTwice}`, '0, 0'],
    ['whole flood', `${ms(r.wallMs)} ms`, ''],
  ].map((cells) => cells.map(String));
  return {
    webhooks: table(lines, [
      ['', (l) => l[0]!, 'left'],
      ['measured', (l) => l[1]!],
      ['goal', (l) => l[2]!],
    ]),
  };
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
for (const [name, render] of Object.entries(RENDERERS)) {
  const file = path.join(RESULTS_DIR, `${name}.json`);
  if (!existsSync(file)) continue;
  const result = JSON.parse(readFileSync(file, 'utf8')) as BenchResult<never, never>;
  const m = result.machine;
  const changes = m.uncommitted.length ? ` with uncommitted changes in ${m.uncommitted.join(', ')}` : '';
  const failed = result.checks.filter((c) => !c.ok).map((c) => `${c.check} (${c.failures.join('; ')})`);
  const notes = [`_Commit ${m.commit}${changes} · ${m.cores} cores · ${m.memoryGiB} GiB · Node ${m.node}_`];
  if (failed.length) notes.push(`**Checks failed:** ${failed.join('; ')}`);
  for (const [table, text] of Object.entries(render(result)))
    tables.set(table, [text, '', ...notes].join('\n'));
}

if (!parseArgs({ options: { write: { type: 'boolean' } } }).values.write)
  for (const [name, text] of tables) console.log(`<!-- bench:${name} -->\n${text}\n`);
else {
  const readme = path.join(ROOT, 'README.md');
  let text = readFileSync(readme, 'utf8');
  for (const [name, table] of tables) {
    const [start, end] = [`<!-- bench:${name}:start -->`, `<!-- bench:${name}:end -->`];
    const [from, to] = [text.indexOf(start), text.indexOf(end)];
    if (from < 0 || to < from) log(`README.md has no ${start} … ${end}: ${name} not written`);
    else {
      text = `${text.slice(0, from + start.length)}\n${table}\n${text.slice(to)}`;
      log(`README.md: ${name} written`);
    }
  }
  writeFileSync(readme, text);
}
