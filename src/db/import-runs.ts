import { sql, type Kysely } from 'kysely';
import type { ClearedHold, HeldStock, PlannedAction, Problem } from '../catalog/plan.ts';
import { phaseOf } from '../catalog/plan.ts';
import type {
  ActionOutcome,
  ClaimedAction,
  NewRun,
  PlanAppend,
  PlannedRunEnd,
  RunStatus,
} from '../catalog/import-store.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database>;
const CHUNK = 2000;

export async function loadLinkedCodes(db: Db, connectionId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('product_links')
    .select('code')
    .where('connection_id', '=', connectionId)
    .execute();
  return new Set(rows.map((r) => r.code));
}

/**
 * The run and its plan in one transaction: a plan is stored whole or not at all, and no other session
 * sees the run before its plan is complete. `plan` appends the parts as it makes them.
 */
export async function storePlannedRun(
  db: Db,
  run: Omit<NewRun, keyof PlannedRunEnd>,
  plan: (append: PlanAppend) => Promise<PlannedRunEnd>,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('import_runs')
      .values({
        connection_id: run.connectionId,
        // Until the plan ends: nobody outside this transaction sees the run before then.
        status: 'running',
        dry_run: run.dryRun,
        forced: run.forced,
        settings: JSON.stringify(run.settings),
        counts: '{}',
        guard: '{}',
        linked_codes: '[]',
        removed_codes: '[]',
        trigger: run.trigger ?? 'cli',
        job_id: run.jobId ?? null,
        retry_of: run.retryOf ?? null,
        read_at: run.readAt ?? null,
        scope: run.scope ? JSON.stringify(run.scope) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    let seq = 0;
    const end = await plan(async (actions, problems) => {
      for (let i = 0; i < actions.length; i += CHUNK) {
        const chunk = actions.slice(i, i + CHUNK);
        // Each chunk as one JSON document the server splits: no parameter per value to bind or escape.
        await sql`insert into import_actions (run_id, seq, phase, kind, code, action)
          select ${id}, ${seq}::integer + x.n::integer - 1, p.phase, x.a->>'kind', x.a->>'code', x.a
          from jsonb_array_elements(${JSON.stringify(chunk)}::jsonb) with ordinality as x(a, n)
          join unnest(${chunk.map((a) => phaseOf(a.kind))}::integer[]) with ordinality as p(phase, n) using (n)`.execute(
          trx,
        );
        seq += chunk.length;
      }
      for (let i = 0; i < problems.length; i += CHUNK) {
        await trx
          .insertInto('import_problems')
          .values(
            problems.slice(i, i + CHUNK).map((p) => ({
              run_id: id,
              kind: p.kind,
              code: p.code,
              reason: p.reason,
              places: p.places ? JSON.stringify(p.places) : null,
            })),
          )
          .execute();
      }
    });
    await trx
      .updateTable('import_runs')
      .set({
        status: end.status,
        counts: JSON.stringify(end.counts),
        guard: JSON.stringify(end.guard),
        linked_codes: JSON.stringify(end.linkedCodes),
        removed_codes: JSON.stringify(end.removedCodes),
        ...(end.status === 'running' ? {} : { finished_at: new Date() }),
      })
      .where('id', '=', id)
      .execute();
    return id;
  });
}

export async function plannedActions(db: Db, runId: string): Promise<PlannedAction[]> {
  const rows = await db
    .selectFrom('import_actions')
    .select('action')
    .where('run_id', '=', runId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action as PlannedAction);
}

export async function addProblems(db: Db, runId: string, problems: Problem[]): Promise<void> {
  if (problems.length === 0) return;
  await db
    .insertInto('import_problems')
    .values(
      problems.map((p) => ({
        run_id: runId,
        kind: p.kind,
        code: p.code,
        reason: p.reason,
        places: p.places ? JSON.stringify(p.places) : null,
      })),
    )
    .execute();
}

/**
 * The newest unfinished run of the connection, when it is recent enough to be worth resuming. A run a
 * person cancelled is resumed only when asked for by its id (its page's "Resume").
 */
export async function findResumableRun(
  db: Db,
  connectionId: string,
  maxAgeHours: number,
  cancelledRunId?: string,
) {
  return db
    .selectFrom('import_runs')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where((eb) =>
      cancelledRunId
        ? eb.and([eb('status', '=', 'cancelled'), eb('id', '=', cancelledRunId)])
        : eb('status', 'in', ['running', 'interrupted']),
    )
    .where('created_at', '>', sql<Date>`now() - make_interval(hours => ${maxAgeHours})`)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** Whether a run of the connection is unfinished (running or stopped by a failure), so not to be overtaken. */
export async function hasUnfinishedRun(db: Db, connectionId: string, maxAgeHours: number): Promise<boolean> {
  return (await findResumableRun(db, connectionId, maxAgeHours)) !== undefined;
}

/** The codes of a run's failed writes, optionally of one kind of write and one store status. */
export async function failedCodes(
  db: Db,
  runId: string,
  only: { kind?: string; status?: number } = {},
): Promise<string[]> {
  let query = db
    .selectFrom('import_actions')
    .select('code')
    .distinct()
    .where('run_id', '=', runId)
    .where('status', '=', 'failed');
  if (only.kind) query = query.where('kind', '=', only.kind);
  if (only.status !== undefined)
    query = query.where(sql<string>`result->'failure'->>'status'`, '=', String(only.status));
  return (await query.orderBy('code').execute()).map((r) => r.code);
}

/** A blocked plan a person threw away: it no longer asks for attention. */
export async function discardBlockedRun(db: Db, connectionId: string, runId: string): Promise<boolean> {
  const result = await db
    .updateTable('import_runs')
    .set({ status: 'discarded' })
    .where('connection_id', '=', connectionId)
    .where('id', '=', runId)
    .where('status', '=', 'blocked')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A person asked to stop the import this job carries; whichever process runs it sees this. */
export async function requestCancel(db: Db, jobId: string): Promise<void> {
  await db
    .insertInto('import_cancel_requests')
    .values({ job_id: jobId })
    .onConflict((oc) => oc.column('job_id').doNothing())
    .execute();
}

export async function cancelRequested(db: Db, jobId: string): Promise<boolean> {
  const row = await db
    .selectFrom('import_cancel_requests')
    .select('job_id')
    .where('job_id', '=', jobId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * A resumed run is followed through the job that resumed it, and is running again from now: whoever
 * follows the job must not read the stop it was resumed from as its end.
 */
export async function attachJob(db: Db, runId: string, jobId: string | undefined): Promise<void> {
  await db
    .updateTable('import_runs')
    .set({ ...(jobId ? { job_id: jobId } : {}), status: 'running', finished_at: null })
    .where('id', '=', runId)
    .execute();
}

export async function abandonStaleRuns(db: Db, connectionId: string): Promise<void> {
  await db
    .updateTable('import_runs')
    .set({ status: 'abandoned', finished_at: new Date() })
    .where('connection_id', '=', connectionId)
    .where('status', 'in', ['running', 'interrupted'])
    .execute();
}

/**
 * Actions left in progress by a process that died may or may not have reached the store: from now on
 * they are verified against the store before anything is written again.
 */
export async function markInFlightForVerification(db: Db, runId: string): Promise<number> {
  const result = await db
    .updateTable('import_actions')
    .set({ status: 'pending', verify: true })
    .where('run_id', '=', runId)
    .where('status', '=', 'in-progress')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Takes the next pending actions of a phase, in plan order, and marks them in progress (the checkpoint). */
export async function claimActions(
  db: Db,
  runId: string,
  phase: number,
  limit: number,
): Promise<ClaimedAction[]> {
  const rows = await sql<{ id: string; action: PlannedAction; verify: boolean; attempts: number }>`
    update import_actions set status = 'in-progress', attempts = attempts + 1, updated_at = now()
    where id in (
      select id from import_actions
      where run_id = ${runId} and phase = ${phase} and status = 'pending'
      order by seq limit ${limit}
      for update skip locked)
    returning id, action, verify, attempts`.execute(db);
  return rows.rows.sort((a, b) => Number(a.id) - Number(b.id));
}

export async function recordOutcomes(db: Db, outcomes: ActionOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await sql`
    update import_actions a set
      status = u.status, verify = u.verify, result = u.result, error = u.error, updated_at = now(),
      attempts = a.attempts - case when u.untried then 1 else 0 end
    from unnest(
      ${outcomes.map((o) => o.id)}::bigint[],
      ${outcomes.map((o) => o.status)}::text[],
      ${outcomes.map((o) => o.verify ?? false)}::boolean[],
      ${outcomes.map((o) => (o.result === undefined ? null : JSON.stringify(o.result)))}::jsonb[],
      ${outcomes.map((o) => o.error ?? null)}::text[],
      ${outcomes.map((o) => o.untried ?? false)}::boolean[]
    ) as u(id, status, verify, result, error, untried)
    where a.id = u.id`.execute(db);
}

export async function actionTallies(
  db: Db,
  runId: string,
): Promise<Array<{ kind: string; status: string; n: number }>> {
  const rows = await db
    .selectFrom('import_actions')
    .select(['kind', 'status', sql<string>`count(*)`.as('n')])
    .where('run_id', '=', runId)
    .groupBy(['kind', 'status'])
    .execute();
  return rows.map((r) => ({ kind: r.kind, status: r.status, n: Number(r.n) }));
}

export async function updatedCodeCount(db: Db, runId: string): Promise<number> {
  const row = await db
    .selectFrom('import_actions')
    .select(sql<string>`count(distinct code)`.as('n'))
    .where('run_id', '=', runId)
    .where('status', '=', 'done')
    .where('kind', 'in', ['update-product', 'update-variation', 'set-stock'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A run's problems as the planner reported them, in the order they were recorded. */
export async function runProblems(db: Db, runId: string): Promise<Problem[]> {
  const rows = await db
    .selectFrom('import_problems')
    .select(['kind', 'code', 'reason', 'places'])
    .where('run_id', '=', runId)
    .orderBy('id')
    .execute();
  return rows.map((p) => ({
    kind: p.kind as Problem['kind'],
    code: p.code,
    reason: p.reason,
    ...(p.places ? { places: p.places } : {}),
  }));
}

export async function finishRun(
  db: Db,
  runId: string,
  status: RunStatus,
  summary: unknown,
  error?: string,
): Promise<void> {
  await db
    .updateTable('import_runs')
    .set({
      status,
      summary: JSON.stringify(summary),
      error: error ?? null,
      finished_at: status === 'interrupted' ? null : new Date(),
    })
    .where('id', '=', runId)
    .execute();
}

/** After a completed run: codes matched or created are linked, codes removed from the store are not. */
export async function saveLinks(
  db: Db,
  connectionId: string,
  runId: string,
  linked: string[],
  removed: string[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < linked.length; i += CHUNK) {
      await trx
        .insertInto('product_links')
        .values(
          linked
            .slice(i, i + CHUNK)
            .map((code) => ({ connection_id: connectionId, code, last_run_id: runId })),
        )
        .onConflict((oc) => oc.columns(['connection_id', 'code']).doUpdateSet({ last_run_id: runId }))
        .execute();
    }
    for (let i = 0; i < removed.length; i += CHUNK) {
      await trx
        .deleteFrom('product_links')
        .where('connection_id', '=', connectionId)
        .where('code', 'in', removed.slice(i, i + CHUNK))
        .execute();
    }
  });
}

/**
 * A run that could not even be planned (credentials, an unreachable side) is stored too, so that it is
 * seen; once per job, however often the job is tried.
 */
export async function recordFailedStart(
  db: Db,
  start: { connectionId: string; dryRun: boolean; force: boolean; trigger: string; jobId: string },
  error: string,
  status: Extract<RunStatus, 'failed' | 'cancelled'> = 'failed',
): Promise<void> {
  const existing = await db
    .selectFrom('import_runs')
    .select('id')
    .where('job_id', '=', start.jobId)
    .executeTakeFirst();
  if (existing) return;
  await db
    .insertInto('import_runs')
    .values({
      connection_id: start.connectionId,
      status,
      dry_run: start.dryRun,
      forced: start.force,
      settings: '{}',
      counts: '{}',
      guard: '{}',
      error,
      trigger: start.trigger,
      job_id: start.jobId,
      finished_at: new Date(),
    })
    .execute();
}

/**
 * From when the next import counts the store's returns: when the last completed full import began
 * reading (a partial run, such as a retry, read only some codes). Null before any completed import.
 */
export async function returnsBoundary(db: Db, connectionId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('import_runs')
    .select(sql<Date>`coalesce(read_at, created_at)`.as('at'))
    .where('connection_id', '=', connectionId)
    .where('status', 'in', ['completed', 'completed-with-failures'])
    .where('dry_run', '=', false)
    .where('scope', 'is', null)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.at ?? null;
}

/** The connection's held codes, with the returns counted for each so far. */
export async function loadHolds(
  db: Db,
  connectionId: string,
): Promise<Map<string, { returned: number; countedUntil: Date }>> {
  const rows = await db
    .selectFrom('stock_holds')
    .select(['code', 'returned', 'counted_until'])
    .where('connection_id', '=', connectionId)
    .execute();
  return new Map(rows.map((r) => [r.code, { returned: r.returned, countedUntil: r.counted_until }]));
}

export async function saveHolds(
  db: Db,
  connectionId: string,
  runId: string,
  readAt: Date,
  held: readonly HeldStock[],
  cleared: readonly ClearedHold[],
): Promise<void> {
  if (held.length === 0 && cleared.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < held.length; i += CHUNK) {
      await trx
        .insertInto('stock_holds')
        .values(
          held.slice(i, i + CHUNK).map((h) => ({
            connection_id: connectionId,
            code: h.code,
            returned: h.returned,
            store_quantity: h.storeQuantity,
            netbaron_quantity: h.netbaronQuantity,
            counted_until: readAt,
            last_run_id: runId,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['connection_id', 'code']).doUpdateSet((eb) => ({
            returned: eb.ref('excluded.returned'),
            store_quantity: eb.ref('excluded.store_quantity'),
            netbaron_quantity: eb.ref('excluded.netbaron_quantity'),
            counted_until: eb.ref('excluded.counted_until'),
            last_run_id: eb.ref('excluded.last_run_id'),
          })),
        )
        .execute();
    }
    const codes = cleared.map((c) => c.code);
    for (let i = 0; i < codes.length; i += CHUNK) {
      await trx
        .deleteFrom('stock_holds')
        .where('connection_id', '=', connectionId)
        .where('code', 'in', codes.slice(i, i + CHUNK))
        .execute();
    }
  });
}

/** The holds a run found (or kept), as its summary reports them. */
export async function heldByRun(db: Db, connectionId: string, runId: string): Promise<HeldStock[]> {
  const rows = await db
    .selectFrom('stock_holds')
    .select(['code', 'store_quantity', 'netbaron_quantity', 'returned'])
    .where('connection_id', '=', connectionId)
    .where('last_run_id', '=', runId)
    .orderBy('code')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    storeQuantity: r.store_quantity,
    netbaronQuantity: r.netbaron_quantity,
    returned: r.returned,
  }));
}

/** Every open hold of the connection, oldest first: the inbox and the stock report show them. */
export async function openHolds(db: Db, connectionId: string) {
  return db
    .selectFrom('stock_holds')
    .select(['code', 'returned', 'store_quantity', 'netbaron_quantity', 'held_since', 'last_run_id'])
    .where('connection_id', '=', connectionId)
    .orderBy('held_since')
    .orderBy('code')
    .execute();
}
