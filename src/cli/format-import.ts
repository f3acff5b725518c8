import type { ImportSummary } from '../catalog/import-products.ts';
import { heldSentence } from '../catalog/holds.ts';
import type { PlannedAction, Problem } from '../catalog/plan.ts';

const LABEL: Record<PlannedAction['kind'], string> = {
  'create-product': 'create',
  'update-product': 'update',
  'update-variation': 'update variation',
  'set-stock': 'stock',
  'hide-product': 'hide',
  'delete-product': 'delete',
  'delete-variation': 'delete variation',
};

/** The plan, one action a line with its field-level diff underneath. */
export function formatPlan(actions: PlannedAction[]): string {
  const lines: string[] = [];
  for (const a of actions) {
    lines.push(`${LABEL[a.kind].padEnd(16)} ${a.code}  (${a.reason})`);
    for (const c of a.changes) lines.push(`${''.padEnd(18)}${c.field}: ${c.from ?? '∅'} → ${c.to}`);
  }
  return lines.join('\n');
}

export function formatProblems(problems: Problem[]): string {
  return problems.map((p) => `- [${p.kind}] ${p.reason}`).join('\n');
}

export function formatSummary(s: ImportSummary): string {
  const verb = s.status === 'dry-run' || s.status === 'blocked' ? 'would be ' : '';
  const rows: Array<[string, string | number]> = [
    ['Run', `${s.runId} (${s.status}${s.resumed ? ', resumed' : ''})`],
    [`Created`, s.created],
    [`Updated`, s.updated],
    ['Unchanged', s.unchanged],
    ['Hidden', s.hidden],
    ['Deleted', s.deleted],
    ['Variations deleted', s.variationsDeleted],
    ['Failed', s.failed],
    ['Problems', s.problems.length],
    [
      'Requests to MyCashflow',
      Object.entries(s.requests.mycashflow)
        .map(([m, n]) => `${m} ${n}`)
        .join(', ') || 'none',
    ],
    [
      'Requests to NetBaron',
      Object.entries(s.requests.netbaron)
        .map(([m, n]) => `${m} ${n}`)
        .join(', ') || 'none',
    ],
    ['Time', `${(s.durationMs / 1000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const out = [
    verb ? `Counts are what ${verb}done:` : '',
    ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`),
  ].filter(Boolean);
  if (!s.guard.ok && s.guard.forced)
    out.push('', 'Written with --force despite:', ...s.guard.reasons.map((r) => `- ${r}`));
  else if (!s.guard.ok)
    out.push(
      '',
      'Stopped before writing:',
      ...s.guard.reasons.map((r) => `- ${r}`),
      'Run again with --force to write anyway.',
    );
  if (s.held.length > 0)
    out.push(
      '',
      `Held (stock not written: the store's returns are not yet in NetBaron):`,
      ...s.held.map(
        (h) =>
          `- ${heldSentence(h)} The store has ${h.storeQuantity}, NetBaron ${h.netbaronQuantity}: add them in NetBaron, or run with --overwrite-held to write NetBaron's balance.`,
      ),
    );
  if (s.status === 'completed-with-failures')
    out.push(
      '',
      `${s.failed} ${s.failed === 1 ? 'write' : 'writes'} failed (see Problems). Run the import again to retry them, or use "Retry failed" on the run's page in the admin app.`,
    );
  if (s.interruptedBecause)
    out.push('', `Interrupted: ${s.interruptedBecause}. Run the same command again to resume.`);
  return out.join('\n');
}
