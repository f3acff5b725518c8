import { sql, type Kysely } from 'kysely';
import type { ProblemKind } from '../catalog/plan.ts';
import type { Database } from '../db/schema.ts';

export interface InboxProblem {
  /** Stable identity of the problem while its cause lasts. */
  key: string;
  severity: 'error' | 'warning';
  title: string;
  detail: string;
  since: Date | null;
  /** Where to look or act, relative to the connection's pages. */
  link?: string;
}

const TITLES: Record<ProblemKind, (code: string) => string> = {
  'duplicate-code-in-store': (c) => `Product code ${c} is used more than once in the store`,
  'duplicate-code-in-netbaron': (c) => `Product code ${c} is used more than once in NetBaron`,
  'invalid-netbaron-data': (c) => `NetBaron product ${c} could not be read`,
  'invalid-store-data': (c) => `Store product ${c} could not be read`,
  'missing-price': (c) => `NetBaron product ${c} has no price`,
  'missing-name': (c) => `NetBaron product ${c} has no name`,
  'unknown-vat-rate': (c) => `NetBaron product ${c} has a VAT rate the store does not accept`,
  'negative-quantity': (c) => `NetBaron product ${c} has a negative stock balance`,
  'fractional-quantity': (c) => `NetBaron product ${c} has a fractional stock balance`,
  'invalid-quantity': (c) => `NetBaron product ${c} has an unreadable stock balance`,
  'variation-missing-in-store': (c) => `Variation ${c} is missing in the store`,
  'selected-product-not-found': (c) => `Selected product ${c} is not in the store`,
  'stock-on-variations': (c) => `Product ${c} keeps its stock on its variations`,
  'write-failed': (c) => `Product ${c} could not be written to the store`,
};

/** Notices that need no action: shown as warnings, not errors. */
const WARNINGS = new Set<string>(['negative-quantity', 'fractional-quantity', 'stock-on-variations']);

/** An order not sent this long after it arrived is a problem even while it is still being retried. */
const UNSENT_AFTER_MINUTES = 15;

/**
 * The connection's open problems, derived from the current state rather than stored: the last import's
 * findings, the orders that wait, the settings still missing. A problem therefore closes itself as soon
 * as its cause is gone: the next import no longer finds the duplicate, the order is sent.
 */
export async function openProblems(
  db: Kysely<Database>,
  connectionId: string,
  missingSettings: string[],
  credentialsUnreadable = false,
): Promise<InboxProblem[]> {
  const problems: InboxProblem[] = [];
  if (credentialsUnreadable) {
    problems.push({
      key: 'credentials-key',
      severity: 'error',
      title: 'The saved passwords cannot be opened',
      detail:
        "They were sealed with another encryption key than this service's (ENCRYPTION_KEY or DATA_DIR/encryption.key was changed or lost). Enter the API key and the NetBaron passwords again in the settings.",
      since: null,
      link: '/settings',
    });
  }
  if (missingSettings.length > 0) {
    problems.push({
      key: 'settings',
      severity: 'error',
      title: 'The connection is not complete',
      detail: `Set ${missingSettings.join(', ')} in the settings. Until then nothing is imported or exported.`,
      since: null,
      link: '/settings',
    });
  }

  const lastRun = await db
    .selectFrom('import_runs')
    .select(['id', 'status', 'error', 'guard', 'created_at', 'dry_run'])
    .where('connection_id', '=', connectionId)
    .where('status', '!=', 'abandoned')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (lastRun) {
    const runLink = `/runs/${lastRun.id}`;
    if (lastRun.status === 'failed' || lastRun.status === 'interrupted') {
      problems.push({
        key: `run-${lastRun.status}`,
        severity: 'error',
        title:
          lastRun.status === 'failed'
            ? 'The last product import failed'
            : 'The last product import did not finish',
        detail: `${lastRun.error ?? 'No reason was recorded.'} The next import resumes or starts again.`,
        since: lastRun.created_at,
        link: runLink,
      });
    }
    if (lastRun.status === 'blocked') {
      const reasons = (lastRun.guard as { reasons?: string[] } | null)?.reasons ?? [];
      problems.push({
        key: 'run-blocked',
        severity: 'error',
        title: 'The last product import stopped before writing anything',
        detail: `${reasons.join(' ')} Check the plan; if it is right, run the import with "Write anyway".`,
        since: lastRun.created_at,
        link: runLink,
      });
    }
    const found = await db
      .selectFrom('import_problems')
      .select(['kind', 'code', 'reason'])
      .where('run_id', '=', lastRun.id)
      .orderBy('id')
      .limit(500)
      .execute();
    for (const p of found) {
      problems.push({
        key: `product:${p.kind}:${p.code}`,
        severity: WARNINGS.has(p.kind) ? 'warning' : 'error',
        title: TITLES[p.kind as ProblemKind]?.(p.code) ?? `Product ${p.code}`,
        detail: p.reason,
        since: lastRun.created_at,
        link: runLink,
      });
    }
  }

  const orders = await db
    .selectFrom('order_ledger')
    .select(['order_id', 'state', 'reason', 'received_at', 'updated_at'])
    .where('connection_id', '=', connectionId)
    .where((eb) =>
      eb.or([
        eb('state', 'in', ['waiting', 'outcome-unknown']),
        eb.and([
          eb('state', 'in', ['received', 'sending']),
          eb('received_at', '<', sql<Date>`now() - make_interval(mins => ${UNSENT_AFTER_MINUTES})`),
        ]),
      ]),
    )
    .orderBy('order_id')
    .limit(500)
    .execute();
  for (const o of orders) {
    const id = o.order_id;
    const title =
      o.state === 'waiting'
        ? `Order ${id} is waiting`
        : o.state === 'outcome-unknown'
          ? `Order ${id}: not known whether NetBaron received it`
          : `Order ${id} has not been sent yet`;
    problems.push({
      key: `order:${id}`,
      severity: 'error',
      title,
      detail:
        o.reason ??
        `It arrived ${UNSENT_AFTER_MINUTES}+ minutes ago and is still being retried: NetBaron or MyCashflow may be unreachable (the order's history says which).`,
      since: o.received_at,
      link: `/orders/${id}`,
    });
  }
  return problems;
}
