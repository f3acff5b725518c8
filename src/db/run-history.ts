import { sql, type Kysely } from 'kysely';
import type { PlannedAction } from '../catalog/plan.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database>;

/** The admin page's reading of import runs; every query is scoped to one connection. */
export async function listRuns(db: Db, connectionId: string, limit: number, offset = 0) {
  return db
    .selectFrom('import_runs')
    .select([
      'id',
      'status',
      'dry_run',
      'forced',
      'trigger',
      'counts',
      'summary',
      'error',
      'created_at',
      'finished_at',
    ])
    .where('connection_id', '=', connectionId)
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
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

export async function runActions(
  db: Db,
  runId: string,
  options: { kind?: string; limit: number; offset: number },
): Promise<Array<{ seq: number; status: string; error: string | null; action: PlannedAction }>> {
  let query = db
    .selectFrom('import_actions')
    .select(['seq', 'status', 'error', 'action'])
    .where('run_id', '=', runId);
  if (options.kind) query = query.where('kind', '=', options.kind);
  const rows = await query.orderBy('seq').limit(options.limit).offset(options.offset).execute();
  return rows.map((r) => ({
    seq: r.seq,
    status: r.status,
    error: r.error,
    action: r.action as PlannedAction,
  }));
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
