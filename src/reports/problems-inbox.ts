import { sql, type Kysely } from 'kysely';
import { openHolds } from '../db/import-runs.ts';
import { listRuns, newestWriteRun } from '../db/run-history.ts';
import type { Database } from '../db/schema.ts';
import {
  connectionGroups,
  groupCatalogProblems,
  groupOrderProblems,
  holdGroup,
  ITEMS_SHOWN,
  sortGroups,
  type CatalogFinding,
  type FailedWrite,
  type OrderProblemRow,
  type ProblemGroup,
} from './problem-groups.ts';

type Db = Kysely<Database>;

/** An order not sent this long after it arrived is a problem even while it is still being retried. */
export const UNSENT_AFTER_MINUTES = 15;

/**
 * The orders that need attention: waiting, outcome unknown, or unsent for too long. Without their
 * reason texts (a long outage may leave thousands); those of the orders shown are read afterwards.
 */
export async function orderProblemRows(db: Db, connectionId: string): Promise<OrderProblemRow[]> {
  const rows = await db
    .selectFrom('order_ledger')
    .select(['order_id', 'state', 'cause', 'received_at'])
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
    .execute();
  return rows.map((r) => ({ ...r, reason: null }));
}

async function withReasons(db: Db, connectionId: string, groups: ProblemGroup[]): Promise<void> {
  const ids = groups.flatMap((g) => g.items.map((i) => i.label));
  if (ids.length === 0) return;
  const rows = await db
    .selectFrom('order_ledger')
    .select(['order_id', 'reason'])
    .where('connection_id', '=', connectionId)
    .where('order_id', 'in', ids)
    .execute();
  const reasons = new Map(rows.map((r) => [r.order_id, r.reason]));
  for (const g of groups)
    for (const item of g.items) {
      const reason = reasons.get(item.label);
      if (reason) item.detail = reason;
    }
}

/** The runs the inbox reads: the newest full run (its findings) and the newest that wrote. */
async function inboxRuns(db: Db, connectionId: string) {
  const [[findingsRun], writeRun] = await Promise.all([
    // A run limited to some codes (a retry) finds only their problems: the full run's findings stand.
    listRuns(db, connectionId, 1, 0, { fullOnly: true }),
    newestWriteRun(db, connectionId),
  ]);
  return { findingsRun, writeRun };
}

/** The first findings of each kind, with each kind's total: a run may report 100 000 of one kind. */
async function runFindings(db: Db, runId: string): Promise<CatalogFinding[]> {
  const { rows } = await sql<{ kind: string; code: string; reason: string; total: string }>`
    select kind, code, reason, total from (
      select kind, code, reason, count(*) over (partition by kind) as total,
        row_number() over (partition by kind order by id) as rn
      from import_problems where run_id = ${runId} and kind <> 'write-failed') p
    where rn <= ${ITEMS_SHOWN}
    order by kind, rn`.execute(db);
  return rows.map((r) => ({ ...r, total: Number(r.total) }));
}

/** The run's failed writes, the first of each kind and status, with each one's total. */
export async function failedWrites(
  db: Db,
  runId: string,
  limitPerCause = ITEMS_SHOWN,
): Promise<FailedWrite[]> {
  const { rows } = await sql<{
    code: string;
    kind: string;
    error: string | null;
    status: number | null;
    total: string;
  }>`
    select code, kind, error, status, total from (
      select code, kind, error, (result->'failure'->>'status')::int as status,
        count(*) over (partition by kind, result->'failure'->>'status') as total,
        row_number() over (partition by kind, result->'failure'->>'status' order by seq) as rn
      from import_actions where run_id = ${runId} and status = 'failed') a
    where rn <= ${limitPerCause}
    order by kind, status, rn`.execute(db);
  return rows.map((r) => ({
    code: r.code,
    kind: r.kind,
    error: r.error,
    ...(r.status === null ? {} : { status: r.status }),
    total: Number(r.total),
  }));
}

/**
 * The connection's open problems as groups, one per cause, derived from the current state rather than
 * stored: a group closes itself as soon as its cause is gone (the next import no longer finds the
 * duplicate, the orders are sent).
 */
export async function openProblemGroups(
  db: Db,
  connectionId: string,
  missingSettings: readonly string[],
  credentialsUnreadable = false,
): Promise<ProblemGroup[]> {
  const [{ findingsRun, writeRun }, orderRows, holds] = await Promise.all([
    inboxRuns(db, connectionId),
    orderProblemRows(db, connectionId),
    openHolds(db, connectionId),
  ]);
  const [findings, failed] = await Promise.all([
    findingsRun ? runFindings(db, findingsRun.id) : [],
    writeRun ? failedWrites(db, writeRun.id) : [],
  ]);
  const orderGroups = groupOrderProblems(orderRows, UNSENT_AFTER_MINUTES);
  await withReasons(db, connectionId, orderGroups);
  return sortGroups([
    ...connectionGroups(missingSettings, credentialsUnreadable),
    ...orderGroups,
    // Stock at risk first among the catalog's problems.
    ...holdGroup(holds),
    ...groupCatalogProblems({
      findingsRun,
      findings,
      writeRun,
      failedWrites: failed,
    }),
  ]);
}

/** What the navigation counts: the groups that need a person (notices are not counted). */
export const actionableCount = (groups: readonly ProblemGroup[]): number =>
  groups.filter((g) => g.severity === 'error').length;
