import { createRequire } from 'node:module';
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
  notificationTick: 'notification-tick',
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

/*
 * pg-boss 10 records the outcome of each fetched batch without awaiting it (`this.complete(…)` and
 * `this.fail(…)` in its worker loop, timgit/pg-boss#577). A batch that ends while the database is away
 * (a restart) then leaves a rejected promise nobody handles, and Node ends the process. Later pg-boss
 * versions await both and report the failure as an 'error' event; until then the same is done here, once
 * per process: the rejection still reaches a caller that awaits (our own `boss.fail`), and is also reported
 * through the queue's 'error' event. The job stays active; its expiry, the import reaper or the next poll
 * of orders takes it up again.
 */
const SETTLES_GUARDED = Symbol.for('netbaron-connector:pg-boss-settles-guarded');

function guardUnawaitedSettles(): void {
  let manager: { prototype: Record<string | symbol, unknown> };
  try {
    manager = createRequire(import.meta.url)('pg-boss/src/manager.js') as typeof manager;
  } catch {
    return; // Another layout: a pg-boss version that awaits its settles itself.
  }
  const proto = manager.prototype;
  if (proto[SETTLES_GUARDED]) return;
  proto[SETTLES_GUARDED] = true;
  for (const method of ['complete', 'fail'] as const) {
    const original = proto[method] as (this: NodeJS.EventEmitter, ...args: unknown[]) => Promise<unknown>;
    // A method of its own name: pg-boss publishes its manager's methods on each instance by `name`.
    proto[method] = {
      [method](this: NodeJS.EventEmitter, ...args: unknown[]): Promise<unknown> {
        const settled = original.apply(this, args);
        settled.catch((err: unknown) => {
          try {
            this.emit('error', err);
          } catch {
            // No listener: the failure is the caller's to see, if it awaits.
          }
        });
        return settled;
      },
    }[method];
  }
}

export async function startQueue(connectionString: string, logger: Logger): Promise<PgBoss> {
  guardUnawaitedSettles();
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
  // Losing the server while connected is an 'error' event; without a listener it would end the process.
  setupLock.on('error', () => undefined);
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
  // Sends within the tick, each attempt a few seconds at most; the next minute's tick retries.
  await ensureQueue(boss, QUEUES.notificationTick, {
    policy: 'singleton',
    retryLimit: 0,
    expireInSeconds: 300,
  });
}

/** `priority`: higher goes first; the later orders of one store's burst get lower ones (`fairness.ts`). */
export async function enqueueExport(
  boss: PgBoss,
  job: ExportOrderJob,
  priority = 0,
  startAfter?: Date,
): Promise<void> {
  await boss.send(QUEUES.exportOrder, job, {
    singletonKey: exportOrderKey(job),
    priority,
    ...(startAfter ? { startAfter } : {}),
  });
}

/** `enqueueExport` for many orders in one statement; an order already waiting in the queue is left as it is. */
export async function enqueueExports(
  boss: PgBoss,
  jobs: ReadonlyArray<ExportOrderJob & { priority?: number }>,
  db?: PgBoss.Db,
): Promise<void> {
  if (jobs.length === 0) return;
  await boss.insert(
    jobs.map(({ priority, ...job }) => ({
      name: QUEUES.exportOrder,
      data: { connectionId: job.connectionId, orderId: job.orderId },
      singletonKey: exportOrderKey(job),
      priority: priority ?? 0,
    })),
    db ? { db } : {},
  );
}
