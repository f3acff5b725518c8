import pg from 'pg';
import PgBoss from 'pg-boss';
import { z } from 'zod';
import type { Logger } from '../observability/logger.ts';

/*
 * Durable jobs on the same PostgreSQL as everything else (pg-boss). Jobs carry ids only; the ledger
 * and the run tables stay the truth, so a job that runs twice finds the work done and does nothing.
 */

export const QUEUES = {
  exportOrder: 'export-order',
  exportOrderDead: 'export-order-dead',
  pollOrders: 'poll-orders',
  importProducts: 'import-products',
  scheduleTick: 'schedule-tick',
} as const;

export const exportOrderJobSchema = z
  .object({ connectionId: z.string().min(1), orderId: z.number().int().positive() })
  .strict();
export type ExportOrderJob = z.infer<typeof exportOrderJobSchema>;

/**
 * At most one queued job per order (`short` policy): repeated webhooks add nothing. Running jobs are not
 * limited by the queue: the order's lock in the database turns a second sender away, so a job stuck
 * `active` after a crash never blocks the queue.
 */
export const exportOrderKey = (job: ExportOrderJob): string => `${job.connectionId}:${job.orderId}`;

async function ensureQueue(boss: PgBoss, name: string, options: Omit<PgBoss.Queue, 'name'>): Promise<void> {
  if (await boss.getQueue(name)) {
    // An installation made by an earlier version gets this version's retry and expiry settings.
    await boss.updateQueue(name, { name, ...options });
    return;
  }
  try {
    await boss.createQueue(name, { name, ...options });
  } catch (err) {
    // Another process created it a moment ago.
    if (!(await boss.getQueue(name))) throw err;
  }
}

export async function startQueue(connectionString: string, logger: Logger): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString,
    schema: 'pgboss',
    max: 4,
    application_name: 'netbaron-connector-jobs',
  });
  boss.on('error', (err) => logger.error('job queue error', { error: err.message }));
  // Processes starting together would each install the queue's schema and create its queues, and
  // deadlock on each other's tables: one at a time, under a lock of the database itself.
  const setupLock = new pg.Client({ connectionString, application_name: 'netbaron-connector-setup' });
  await setupLock.connect();
  try {
    await setupLock.query(`select pg_advisory_lock(hashtext('netbaron-connector:queue-setup'))`);
    await startAndEnsureQueues(boss);
  } finally {
    await setupLock.end().catch(() => undefined);
  }
  return boss;
}

async function startAndEnsureQueues(boss: PgBoss): Promise<void> {
  await boss.start();
  await ensureQueue(boss, QUEUES.exportOrderDead, { policy: 'standard', retentionMinutes: 60 * 24 * 14 });
  await ensureQueue(boss, QUEUES.exportOrder, {
    policy: 'short',
    // Back-off from 5 s doubling, about a day in all before the dead-letter queue; the ledger keeps the state.
    retryLimit: 14,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 120,
    deadLetter: QUEUES.exportOrderDead,
  });
  await ensureQueue(boss, QUEUES.pollOrders, { policy: 'singleton', retryLimit: 0, expireInSeconds: 300 });
  // One waiting and one running import per connection (singleton key); a worker that dies mid-run is
  // noticed at expiry and the retry resumes the stored run.
  await ensureQueue(boss, QUEUES.importProducts, {
    policy: 'stately',
    // Retries come only from a worker stopping or dying mid-run (the handler records every other
    // failure as a failed run); each retry resumes the stored run.
    retryLimit: 10,
    retryDelay: 2,
    expireInSeconds: 4 * 3600,
  });
  await ensureQueue(boss, QUEUES.scheduleTick, { policy: 'singleton', retryLimit: 0, expireInSeconds: 120 });
}

/** `priority`: higher goes first; the later orders of one store's burst get lower ones (`fairness.ts`). */
export async function enqueueExport(boss: PgBoss, job: ExportOrderJob, priority = 0): Promise<void> {
  await boss.send(QUEUES.exportOrder, job, { singletonKey: exportOrderKey(job), priority });
}
