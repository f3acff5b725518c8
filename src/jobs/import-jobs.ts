import { sql, type Kysely } from 'kysely';
import type PgBoss from 'pg-boss';
import { z } from 'zod';
import {
  CANCELLED_BY_PERSON,
  ImportStopped,
  importProducts,
  type ImportSummary,
} from '../catalog/import-products.ts';
import { clientsFor } from '../connections/clients.ts';
import { isPaused } from '../db/connections.ts';
import type { ConnectionRegistry } from '../connections/registry.ts';
import {
  actionTallies,
  cancelRequested,
  failedCodes,
  loadHolds,
  recordFailedStart,
  requestCancel,
} from '../db/import-runs.ts';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../observability/logger.ts';
import { QUEUES } from './queue.ts';

/** What an import job tells the metrics: the run's end and, when it ran, its counts. */
export interface ImportMetrics {
  importRun(connection: string, status: string, summary?: ImportSummary): void;
}
import { importRunStore } from '../db/import-run-store.ts';
import { importLockFree } from '../db/import-lock.ts';

export const importJobSchema = z
  .object({
    connectionId: z.string().min(1),
    dryRun: z.boolean().default(false),
    force: z.boolean().default(false),
    trigger: z.enum(['manual', 'schedule', 'cli', 'retry', 'overwrite-held']).default('manual'),
    /** "Retry failed": the run whose failed writes to retry, optionally only those of one kind and status. */
    retryOf: z.string().regex(/^\d+$/).optional(),
    retryKind: z.string().optional(),
    retryStatus: z.number().int().optional(),
    /** "Overwrite with NetBaron's balance": these held codes, or every held code. */
    overwriteHeld: z.union([z.literal('all'), z.array(z.string().min(1)).min(1).max(10_000)]).optional(),
    /** "Resume" of a run a person cancelled. */
    resumeRunId: z.string().regex(/^\d+$/).optional(),
  })
  .strict();
export type ImportJob = z.infer<typeof importJobSchema>;

/**
 * Queues "Fetch all products" for a connection. The queue keeps one waiting and one running import per
 * connection (`stately`): null means one is already waiting.
 */
export async function enqueueImport(
  boss: PgBoss,
  job: z.input<typeof importJobSchema>,
): Promise<string | null> {
  const data = importJobSchema.parse(job);
  return boss.send(QUEUES.importProducts, data, { singletonKey: `import:${data.connectionId}` });
}

class StoppingError extends Error {
  override name = 'StoppingError';
}

/** How often a running import looks for a person's "Cancel" (which may come through any process). */
const CANCEL_CHECK_MS = 1000;

/**
 * One stop signal for a job's import: the process stopping (the run is handed on) or a person's cancel
 * (the run ends `cancelled`, resumable from its page), told apart by the signal's reason.
 */
function stopSignalFor(db: Kysely<Database>, jobId: string, processStopping?: AbortSignal) {
  const controller = new AbortController();
  const onStop = () => controller.abort('stopping');
  processStopping?.addEventListener('abort', onStop, { once: true });
  if (processStopping?.aborted) onStop();
  const timer = setInterval(() => {
    void cancelRequested(db, jobId)
      .then((yes) => {
        if (yes && !controller.signal.aborted) controller.abort(CANCELLED_BY_PERSON);
      })
      .catch(() => undefined);
  }, CANCEL_CHECK_MS);
  return {
    signal: controller.signal,
    dispose: () => {
      clearInterval(timer);
      processStopping?.removeEventListener('abort', onStop);
    },
  };
}

export async function startImportWorker(options: {
  boss: PgBoss;
  db: Kysely<Database>;
  registry: ConnectionRegistry;
  logger: Logger;
  metrics: ImportMetrics;
  /** Imports of different connections run side by side in this process, up to this many. */
  concurrency?: number;
  /** When the service stops: a running import stops between writes and is left to resume. */
  signal?: AbortSignal;
}): Promise<void> {
  const { boss, db, registry, metrics } = options;
  const slots = options.concurrency ?? 2;
  for (let i = 0; i < slots; i += 1) {
    await boss.work(QUEUES.importProducts, { pollingIntervalSeconds: 1, batchSize: 1 }, async ([job]) => {
      if (!job) return;
      const data = importJobSchema.parse(job.data);
      const slug = (await registry.store.byId(data.connectionId).catch(() => undefined))?.slug;
      const logger = options.logger.child({ connection: slug ?? data.connectionId, jobId: job.id });
      try {
        const runtime = await registry.get(data.connectionId);
        if (!runtime) return { skipped: 'the connection no longer exists' };
        // Queued before a pause (or by a process that missed it): a paused connection runs no import.
        if (await isPaused(db, data.connectionId)) {
          logger.info('product import skipped: the connection is paused');
          return { skipped: 'The connection is paused: no import runs until it is resumed' };
        }
        // Clients of its own: a run's request counts are the run's alone.
        const { mcf, nb } = clientsFor(runtime.connection, logger);
        const only = data.retryOf
          ? {
              retryOf: data.retryOf,
              codes: await failedCodes(db, data.retryOf, {
                kind: data.retryKind,
                status: data.retryStatus,
              }),
            }
          : data.overwriteHeld
            ? // Only the held codes: the choice is about them, not a whole import.
              {
                codes:
                  data.overwriteHeld === 'all'
                    ? [...(await loadHolds(db, data.connectionId)).keys()]
                    : data.overwriteHeld,
              }
            : undefined;
        const stop = stopSignalFor(db, job.id, options.signal);
        const report = await importProducts({
          runs: importRunStore(db),
          connection: runtime.connection,
          mcf,
          nb,
          dryRun: data.dryRun,
          force: data.force,
          trigger: data.trigger,
          jobId: job.id,
          logger,
          signal: stop.signal,
          ...(only ? { only } : {}),
          ...(data.overwriteHeld ? { overwriteHeld: data.overwriteHeld } : {}),
          ...(data.resumeRunId ? { resumeRunId: data.resumeRunId } : {}),
        }).finally(stop.dispose);
        if (report.summary.status === 'interrupted' && options.signal?.aborted) {
          // This process is stopping: failing the job hands it to another worker, which resumes the run.
          throw new StoppingError('this worker stopped during the import; another worker resumes it');
        }
        metrics.importRun(runtime.slug, report.summary.status, report.summary);
        logger.info('product import finished', {
          runId: report.summary.runId,
          status: report.summary.status,
        });
        return { runId: report.summary.runId, status: report.summary.status };
      } catch (err) {
        if (err instanceof StoppingError) throw err;
        if (err instanceof ImportStopped) {
          if (!err.cancelled)
            throw new StoppingError('this worker stopped while reading; another worker starts again');
          logger.info('product import cancelled before it wrote anything');
          await recordFailedStart(db, { ...data, jobId: job.id }, err.message, 'cancelled');
          return { cancelled: true };
        }
        const message = (err as Error).message;
        logger.error('product import failed', { error: message });
        await recordFailedStart(db, { ...data, jobId: job.id }, message);
        // The same label as a finished run: the store's slug (the id only if the store is gone).
        metrics.importRun(slug ?? data.connectionId, 'failed');
        return { failed: message };
      }
    });
  }
}

/**
 * An import job left `active` by a worker that died (SIGKILL, a lost machine) would block its
 * connection's imports until it expires hours later. A job active for a while whose connection's import
 * lock nobody holds has no process behind it: it is failed now, so that pg-boss retries it at once and
 * the retry resumes the stored run.
 */
export async function reapOrphanedImports(
  boss: PgBoss,
  db: Kysely<Database>,
  logger: Logger,
): Promise<number> {
  const { rows } = await sql<{ id: string; slug: string }>`
    select j.id, c.slug
    from pgboss.job j
    join connections c on c.id::text = j.data->>'connectionId'
    where j.name = ${QUEUES.importProducts} and j.state = 'active'
      and j.started_on < now() - interval '5 seconds'`.execute(db);
  let reaped = 0;
  for (const row of rows) {
    if (!(await importLockFree(db, row.slug))) continue;
    await boss.fail(QUEUES.importProducts, row.id, { message: 'the process running this import stopped' });
    logger.warn('an import whose process stopped is handed to another worker', {
      connection: row.slug,
      jobId: row.id,
    });
    reaped += 1;
  }
  return reaped;
}

/**
 * Imports that a stopped or crashed process left unfinished are queued again at start: the run
 * resumes where it stopped (actions in flight are verified first), without waiting for a person.
 */
export async function resumeUnfinishedImports(
  boss: PgBoss,
  db: Kysely<Database>,
  logger: Logger,
): Promise<number> {
  const unfinished = await db
    .selectFrom('import_runs')
    .innerJoin('connections', 'connections.id', 'import_runs.connection_id')
    .select(['import_runs.connection_id', 'import_runs.trigger', 'connections.slug'])
    .distinctOn('import_runs.connection_id')
    // Only the service's own connections: a connection file's CLI run is resumed by running it again.
    .where('connections.origin', '=', 'stored')
    .where('connections.archived_at', 'is', null)
    .where('import_runs.status', 'in', ['running', 'interrupted'])
    .where('import_runs.dry_run', '=', false)
    .where('import_runs.created_at', '>', new Date(Date.now() - 24 * 3600_000))
    .orderBy('import_runs.connection_id')
    .orderBy('import_runs.id', 'desc')
    .execute();
  let queued = 0;
  for (const run of unfinished) {
    const trigger = importJobSchema.shape.trigger.safeParse(run.trigger);
    const jobId = await enqueueImport(boss, {
      connectionId: run.connection_id,
      trigger: trigger.success ? trigger.data : 'manual',
    });
    if (jobId) {
      queued += 1;
      logger.info('an unfinished product import is queued to resume', {
        connection: run.slug,
        jobId,
      });
    }
  }
  return queued;
}

export interface ImportJobStatus {
  state: 'queued' | 'running' | 'done' | 'failed';
  /** What the run is doing, in the merchant's words. */
  stage: string;
  done: number;
  total: number;
  failed: number;
  /** Whole percent of the actions done (0 until there is a plan). */
  percent: number;
  /** Seconds left at the pace so far; absent until there is a pace. */
  etaSeconds?: number;
  /** Whether "Cancel" can still stop it. */
  cancellable: boolean;
  runId?: string;
  runStatus?: string;
}

const FINISHED: Record<string, string> = {
  completed: 'Import completed',
  'dry-run': 'Preview ready: nothing was written',
  blocked: 'Stopped before writing: the plan needs a look',
  interrupted: 'Interrupted; the next import resumes it',
  cancelled: 'Cancelled: nothing was left half-written, and the run can be resumed from its page',
  discarded: 'Discarded',
  failed: 'The import failed',
  abandoned: 'Abandoned',
};

const idle = { done: 0, total: 0, failed: 0, percent: 0 };

/** When the writes of a run began and how many have ended since, for its pace. */
async function paceOf(db: Kysely<Database>, runId: string) {
  const row = await db
    .selectFrom('import_actions')
    .select([
      sql<Date | null>`min(updated_at) filter (where status in ('done', 'failed'))`.as('first'),
      sql<string>`count(*) filter (where status in ('done', 'failed'))`.as('ended'),
    ])
    .where('run_id', '=', runId)
    .executeTakeFirstOrThrow();
  return { first: row.first, ended: Number(row.ended) };
}

/** Where an import job stands, read from the database only (any process may be running it). */
export async function importJobStatus(
  boss: PgBoss,
  db: Kysely<Database>,
  connectionId: string,
  jobId: string,
): Promise<ImportJobStatus | undefined> {
  const run = await db
    .selectFrom('import_runs')
    .select(['id', 'status', 'error'])
    .where('job_id', '=', jobId)
    .where('connection_id', '=', connectionId)
    .executeTakeFirst();
  if (run) {
    const tallies = await actionTallies(db, run.id);
    const total = tallies.reduce((n, t) => n + t.n, 0);
    const failed = tallies.filter((t) => t.status === 'failed').reduce((n, t) => n + t.n, 0);
    const done = tallies.filter((t) => t.status === 'done').reduce((n, t) => n + t.n, 0) + failed;
    const percent = total > 0 ? Math.floor((done * 100) / total) : 0;
    if (run.status === 'running') {
      const pace = await paceOf(db, run.id);
      const elapsed = pace.first ? (Date.now() - pace.first.getTime()) / 1000 : 0;
      const etaSeconds =
        pace.ended > 0 && elapsed > 0 ? Math.round(((total - done) * elapsed) / pace.ended) : undefined;
      const stopping = await cancelRequested(db, jobId);
      return {
        state: 'running',
        stage: stopping ? 'Cancelling: stopping after the writes in progress' : 'Writing to the store',
        done,
        total,
        failed,
        percent,
        ...(etaSeconds === undefined || stopping ? {} : { etaSeconds }),
        cancellable: !stopping,
        runId: run.id,
        runStatus: run.status,
      };
    }
    const planOnly = run.status === 'dry-run' || run.status === 'blocked';
    return {
      state: run.status === 'failed' ? 'failed' : 'done',
      stage:
        run.status === 'failed' && run.error
          ? `The import failed: ${run.error}`
          : run.status === 'completed-with-failures'
            ? `Import completed with ${failed} ${failed === 1 ? 'failure' : 'failures'}`
            : (FINISHED[run.status] ?? run.status),
      done: planOnly ? 0 : done,
      total: planOnly ? 0 : total,
      failed,
      percent: planOnly ? 100 : percent,
      cancellable: false,
      runId: run.id,
      runStatus: run.status,
    };
  }
  const job = await boss.getJobById<ImportJob>(QUEUES.importProducts, jobId, { includeArchive: true });
  if (!job || job.data.connectionId !== connectionId) return undefined;
  if (job.state === 'created' || job.state === 'retry')
    return { state: 'queued', stage: 'Waiting for a worker to start', ...idle, cancellable: true };
  if (job.state === 'active') {
    const stopping = await cancelRequested(db, jobId);
    return {
      state: 'running',
      stage: stopping
        ? 'Cancelling: stopping once the reading ends, before anything is written'
        : 'Reading NetBaron and the store, then planning',
      ...idle,
      cancellable: !stopping,
    };
  }
  if (job.state === 'cancelled')
    return {
      state: 'done',
      stage: 'Cancelled before it started: nothing was written',
      ...idle,
      cancellable: false,
    };
  const output = job.output as { skipped?: string } | null;
  return {
    state: 'failed',
    stage: output?.skipped ?? `The import job ended (${job.state})`,
    ...idle,
    cancellable: false,
  };
}

/**
 * A person's "Cancel": a job still waiting is withdrawn; a running one is asked to stop, which its
 * process does between two writes (nothing half-written), leaving the run resumable.
 */
export async function cancelImport(boss: PgBoss, db: Kysely<Database>, jobId: string): Promise<void> {
  await requestCancel(db, jobId);
  const job = await boss.getJobById<ImportJob>(QUEUES.importProducts, jobId);
  if (job && (job.state === 'created' || job.state === 'retry'))
    await boss.cancel(QUEUES.importProducts, jobId);
}
