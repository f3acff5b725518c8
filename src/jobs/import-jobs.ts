import { sql, type Kysely } from 'kysely';
import type PgBoss from 'pg-boss';
import { z } from 'zod';
import { importLockFree, importProducts } from '../catalog/import-products.ts';
import { clientsFor } from '../connections/clients.ts';
import type { ConnectionRegistry } from '../connections/registry.ts';
import { actionTallies, recordFailedStart } from '../db/import-runs.ts';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { QUEUES } from './queue.ts';

export const importJobSchema = z
  .object({
    connectionId: z.string().min(1),
    dryRun: z.boolean().default(false),
    force: z.boolean().default(false),
    trigger: z.enum(['manual', 'schedule', 'cli']).default('manual'),
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

export async function startImportWorker(options: {
  boss: PgBoss;
  db: Kysely<Database>;
  registry: ConnectionRegistry;
  logger: Logger;
  metrics: Metrics;
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
      const logger = options.logger.child({ connection: data.connectionId, jobId: job.id });
      try {
        const runtime = await registry.get(data.connectionId);
        if (!runtime) return { skipped: 'the connection no longer exists' };
        // Clients of its own: a run's request counts are the run's alone.
        const { mcf, nb } = clientsFor(runtime.connection, logger);
        const report = await importProducts({
          db,
          connection: runtime.connection,
          mcf,
          nb,
          dryRun: data.dryRun,
          force: data.force,
          trigger: data.trigger,
          jobId: job.id,
          logger,
          signal: options.signal,
        });
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
        const message = (err as Error).message;
        logger.error('product import failed', { error: message });
        await recordFailedStart(db, { ...data, jobId: job.id }, message);
        // The same label as a finished run: the store's slug (the id only if the store is gone).
        const slug = (await registry.store.byId(data.connectionId).catch(() => undefined))?.slug;
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
    .select(['connection_id', 'trigger'])
    .distinctOn('connection_id')
    .where('status', 'in', ['running', 'interrupted'])
    .where('dry_run', '=', false)
    .where('created_at', '>', new Date(Date.now() - 24 * 3600_000))
    .orderBy('connection_id')
    .orderBy('id', 'desc')
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
        connection: run.connection_id,
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
  runId?: string;
  runStatus?: string;
}

const FINISHED: Record<string, string> = {
  completed: 'Import completed',
  'dry-run': 'Preview ready: nothing was written',
  blocked: 'Stopped before writing: the plan needs a look',
  interrupted: 'Interrupted; the next import resumes it',
  failed: 'The import failed',
  abandoned: 'Abandoned',
};

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
    if (run.status === 'running')
      return {
        state: 'running',
        stage: 'Writing to the store',
        done,
        total,
        failed,
        runId: run.id,
        runStatus: run.status,
      };
    return {
      state: run.status === 'failed' ? 'failed' : 'done',
      stage:
        run.status === 'failed' && run.error
          ? `The import failed: ${run.error}`
          : (FINISHED[run.status] ?? run.status),
      done: run.status === 'dry-run' || run.status === 'blocked' ? 0 : done,
      total: run.status === 'dry-run' || run.status === 'blocked' ? 0 : total,
      failed,
      runId: run.id,
      runStatus: run.status,
    };
  }
  const job = await boss.getJobById<ImportJob>(QUEUES.importProducts, jobId, { includeArchive: true });
  if (!job || job.data.connectionId !== connectionId) return undefined;
  if (job.state === 'created' || job.state === 'retry')
    return { state: 'queued', stage: 'Waiting for a worker to start', done: 0, total: 0, failed: 0 };
  if (job.state === 'active')
    return {
      state: 'running',
      stage: 'Reading NetBaron and the store, then planning',
      done: 0,
      total: 0,
      failed: 0,
    };
  const output = job.output as { skipped?: string } | null;
  return {
    state: 'failed',
    stage: output?.skipped ?? `The import job ended (${job.state})`,
    done: 0,
    total: 0,
    failed: 0,
  };
}
