import type { ProbeCheck } from '../connections/probe/check.ts';
import type { ProbeReport } from '../connections/probe/run-probe.ts';

const MARK: Record<string, string> = {
  matched: 'matched',
  handled: 'differed (handled)',
  attention: 'DIFFERED',
  unchecked: 'not checked',
};

const markOf = (c: ProbeCheck): string =>
  c.status === 'differed' ? (c.handled ? MARK.handled! : MARK.attention!) : MARK[c.status]!;

/** The report as plain text for a terminal: the verdict first, then each check under its system. */
export function formatProbeReport(report: ProbeReport): string {
  const { counts } = report;
  const lines: string[] = [];
  lines.push(`Compatibility of "${report.connection}" with the model the connector assumes`);
  lines.push(
    `${counts.matched} matched, ${counts.handled} differed in ways the connector reads, ${counts.needsAttention} differed in ways that need a change, ${counts.unchecked} not checked.`,
  );
  for (const b of report.blocked) lines.push(`${b.system} could not be probed: ${b.reason}`);
  for (const system of ['MyCashflow', 'NetBaron'] as const) {
    lines.push('', system);
    for (const c of report.checks.filter((check) => check.system === system)) {
      lines.push(`  [${markOf(c)}] ${c.id}: ${c.assumption}`);
      lines.push(`      ${c.observed}`);
    }
  }
  lines.push(
    '',
    report.needsAttention
      ? 'Something needs a change before this connection runs: see the DIFFERED lines (or fix the settings and probe again). `--json` gives the report for a support ticket.'
      : 'Nothing needs a change. The README ("What is assumed, not documented") explains each id.',
  );
  return lines.join('\n');
}
