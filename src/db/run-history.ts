import { sql, type Kysely } from 'kysely';
import type { PlannedAction } from '../catalog/plan.ts';
import type { ActionStatus } from '../catalog/import-store.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database>;

/** The admin page's reading of import runs; every query is scoped to one connection. */
/**
 * Runs of a connection, newest first. `writesOnly`: runs that wrote or meant to (no preview, none a newer
 * plan replaced); `fullOnly`: runs that planned the whole catalog (not a retry of some codes), previews
 * included, none replaced.
 */
export async function listRuns(
  db: Db,
  connectionId: string,
  limit: number,
  offset = 0,
  options: { writesOnly?: boolean; fullOnly?: boolean } = {},
) {
  let query = db
    .selectFrom('import_runs')
    .select([
      'id',
      'status',
      'dry_run',
      'forced',
      'trigger',
      'counts',
      'summary',
      'guard',
      'error',
      'created_at',
      'finished_at',
    ])
    .where('connection_id', '=', connectionId);
  if (options.writesOnly || options.fullOnly) query = query.where('status', '!=', 'abandoned');
  if (options.writesOnly) query = query.where('dry_run', '=', false);
  if (options.fullOnly) query = query.where('scope', 'is', null);
  return query.orderBy('id', 'desc').limit(limit).offset(offset).execute();
}

/** The newest run that wrote or meant to (no preview), whose failures are the ones still to mend. */
export async function newestWriteRun(db: Db, connectionId: string) {
  const [run] = await listRuns(db, connectionId, 1, 0, { writesOnly: true });
  return run;
}

export async function findRun(db: Db, connectionId: string, runId: string) {
  if (!/^\d{1,18}$/.test(runId)) return undefined;
  return db
    .selectFrom('import_runs')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('id', '=', runId)
    .executeTakeFirst();
}

/** The run page's filter of a run's actions. */
export interface ActionFilter {
  kind?: string;
  status?: ActionStatus;
  code?: string;
}

/** A run's actions narrowed by the filter: the page and its count read the same set. */
function actionsMatching(db: Db, runId: string, filter: ActionFilter) {
  let query = db.selectFrom('import_actions').where('run_id', '=', runId);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.code) query = query.where('code', '=', filter.code);
  return query;
}

export async function runActions(
  db: Db,
  runId: string,
  options: ActionFilter & { limit: number; offset: number },
): Promise<Array<{ seq: number; status: string; error: string | null; action: PlannedAction }>> {
  const rows = await actionsMatching(db, runId, options)
    .select(['seq', 'status', 'error', 'action'])
    .orderBy('seq')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  return rows.map((r) => ({
    seq: r.seq,
    status: r.status,
    error: r.error,
    action: r.action as PlannedAction,
  }));
}

/** How many actions of a run match a filter, for the run page's pages. */
export async function countActions(db: Db, runId: string, filter: ActionFilter): Promise<number> {
  const row = await actionsMatching(db, runId, filter)
    .select(sql<string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many actions of each kind a run planned, for the run page's filter. */
export async function actionKindCounts(db: Db, runId: string): Promise<Array<{ kind: string; n: number }>> {
  const rows = await db
    .selectFrom('import_actions')
    .select(['kind', sql<string>`count(*)`.as('n')])
    .where('run_id', '=', runId)
    .groupBy('kind')
    .orderBy('kind')
    .execute();
  return rows.map((k) => ({ kind: k.kind, n: Number(k.n) }));
}

/** The import job of a connection that is waiting or running now, if any (for the overview's progress). */
export async function activeImportRun(db: Db, connectionId: string) {
  return db
    .selectFrom('import_runs')
    .select(['id', 'job_id'])
    .where('connection_id', '=', connectionId)
    .where('status', '=', 'running')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** The retries of a run's failed writes, oldest first, with their outcome. */
export async function retriesOf(db: Db, connectionId: string, runId: string) {
  return db
    .selectFrom('import_runs')
    .select(['id', 'status', 'summary', 'created_at'])
    .where('connection_id', '=', connectionId)
    .where('retry_of', '=', runId)
    .orderBy('id')
    .execute();
}

/**
 * A preview recent enough to confirm "Fetch all products" with: made within `maxAgeMinutes`, after the
 * settings last changed, and with no import run since (whose writes would make its counts stale).
 */
export async function freshPreview(
  db: Db,
  connectionId: string,
  options: { maxAgeMinutes: number; settingsChangedAt: Date },
) {
  const latest = await db
    .selectFrom('import_runs')
    .select(['id', 'dry_run', 'status', 'created_at'])
    .where('connection_id', '=', connectionId)
    .where('status', '!=', 'abandoned')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!latest || !latest.dry_run || latest.status !== 'dry-run') return undefined;
  if (latest.created_at < options.settingsChangedAt) return undefined;
  if (Date.now() - latest.created_at.getTime() > options.maxAgeMinutes * 60_000) return undefined;
  return latest;
}
