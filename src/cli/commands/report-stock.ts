import type { Command } from 'commander';
import { readImportHistory } from '../../reports/import-history.ts';
import { readStockReport, type StockReportWithWarnings } from '../../reports/read-stock.ts';
import type { StockDifference } from '../../reports/stock-report.ts';
import {
  addConnectionOptions,
  connectionSource,
  withConnection,
  type ConnectionOptions,
} from '../with-connection.ts';
import { EXIT } from '../exit-codes.ts';

const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

function table(rows: readonly StockDifference[]): string {
  const header = ['Code', 'NetBaron', 'Store', 'Difference', 'By returns'];
  const cells = rows.map((d) => [
    d.code,
    d.netbaronBalance,
    String(d.storeQuantity),
    signed(d.difference),
    signed(d.explainedByReturns),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) =>
    `  ${c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ')}`.trimEnd();
  const out = [line(header)];
  rows.forEach((d, i) => {
    out.push(line(cells[i]!));
    // The action under its row: the report is read as a to-do list for NetBaron.
    out.push(`    → ${d.action}`);
  });
  return out.join('\n');
}

export function formatStockReport(report: StockReportWithWarnings): string {
  const lines: string[] = [];
  const what =
    report.basis === 'linked-codes'
      ? `${report.compared} linked codes compared`
      : `${report.compared} codes present in both systems compared (no import has linked any yet)`;
  const since = report.since
    ? `returns counted since the last completed import (${report.since})`
    : 'no import has completed, so every return in the store counts';
  lines.push(`${what}; ${since}.`);
  if (report.differences.length === 0) {
    lines.push('NetBaron and the store have the same stock for every compared code.');
  } else {
    lines.push(
      `${report.differences.length} differences: ${report.explainedByReturns} explained by returns, ${report.unexplained} not (or only in part).`,
    );
  }
  const explained = report.differences.filter((d) => d.status === 'returns');
  const unexplained = report.differences.filter((d) => d.status !== 'returns');
  if (explained.length) lines.push('', 'Explained by returns in MyCashflow:', table(explained));
  if (unexplained.length) lines.push('', 'Not explained by returns:', table(unexplained));
  if (report.notCompared.length) {
    lines.push('', 'Not compared:', ...report.notCompared.map((n) => `  - ${n.reason}`));
  }
  if (report.warnings.length) {
    lines.push('', 'Warnings (the report may be incomplete):', ...report.warnings.map((w) => `  - ${w}`));
  }
  return lines.join('\n');
}

export function registerReportCommand(program: Command): void {
  const report = program.command('report').description('reports that compare the store with NetBaron');
  addConnectionOptions(
    report
      .command('stock')
      .description(
        'compare the stock of every linked code in NetBaron and the store, and tell which differences returns in MyCashflow explain',
      ),
  )
    .option('--json', 'print the report as JSON')
    .action(async (opts: ConnectionOptions & { json?: boolean }, command: Command) => {
      await withConnection(connectionSource(opts, command), async ({ connection, database, mcf, nb }) => {
        const result = await readStockReport({
          history: (slug) => readImportHistory(database.db, slug),
          connection,
          mcf,
          nb,
        });
        console.log(opts.json ? JSON.stringify(result, null, 2) : formatStockReport(result));
        // Every difference is a to-do in NetBaron, and warnings mean the report may miss some.
        if (result.differences.length || result.warnings.length) process.exitCode = EXIT.NEEDS_ATTENTION;
      });
    });
}
