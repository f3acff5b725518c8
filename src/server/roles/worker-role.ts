import { reapOrphanedImports, resumeUnfinishedImports, startImportWorker } from '../../jobs/import-jobs.ts';
import { startNotificationTick } from '../../jobs/notification-tick.ts';
import { startOrderWorker, type OrderWorker, type WorkerConnections } from '../../jobs/order-worker.ts';
import { startScheduler } from '../../jobs/scheduler.ts';
import { listenForWake } from '../../jobs/wake.ts';
import type { ServiceBase } from './service-base.ts';
import { storedWorkerConnections, type StoredConnections } from './stored-connections.ts';

export interface WorkerRole {
  orderWorker: OrderWorker;
  /** Runs the schedule's check now (it also runs every minute); absent for a connection file. */
  scheduler?: { tick(): Promise<number> };
}

/**
 * The jobs of a process that runs them: order export and polling for the connections given, and, when
 * they are the stored ones, product imports, schedules and notifications too (a connection file has
 * none of those: its imports run from the command line).
 */
export async function startWorkerRole(
  base: ServiceBase,
  options: ({ stored: StoredConnections } | { connections: WorkerConnections; stored?: never }) & {
    pollCron?: string;
  },
): Promise<WorkerRole> {
  const { boss, database, logger } = base;
  const orderWorker = await startOrderWorker({
    boss,
    db: database.db,
    connections: options.stored ? storedWorkerConnections(options.stored.registry) : options.connections,
    logger,
    pollCron: options.pollCron,
  });
  base.onStop(() => orderWorker.stop());
  // Back from a database outage: poll at once. Webhooks that arrived meanwhile were refused and
  // exports that failed wait for their retry; the poll queues every due order now, not at the next minute.
  const registry = options.stored?.registry;
  const listener = listenForWake({
    connectionString: database.url,
    logger,
    onWake: () => orderWorker.wake(),
    onReconnect: () => void orderWorker.pollNow().catch(() => undefined),
    // While every change is heard, the stored connections' clients are kept without a read per order.
    onConnectionChanged: (id) => registry?.forget(id),
    onListening: () => registry?.trustUntilChanged(),
    onLost: () => registry?.checkEveryTime(),
  });
  base.onStop(() => listener.close());
  if (!options.stored) return { orderWorker };
  await startImportJobs(base, options.stored);
  const scheduler = await startScheduler({ boss, store: options.stored.store, logger });
  await startNotificationTick(boss, options.stored.notifier);
  return { orderWorker, scheduler };
}

/** Product imports, and the hand-over of those whose process died or stopped. */
async function startImportJobs(base: ServiceBase, stored: StoredConnections): Promise<void> {
  const { boss, database, logger, metrics } = base;
  const { registry } = stored;
  await startImportWorker({ boss, db: database.db, registry, logger, metrics, signal: base.stopping });
  await reapOrphanedImports(boss, database.db, logger);
  await resumeUnfinishedImports(boss, database.db, logger);
  // Jobs carry no heartbeat: every worker looks for imports whose process died, every few seconds.
  const reaper = setInterval(() => {
    reapOrphanedImports(boss, database.db, logger).catch(() => undefined);
  }, 5_000);
  reaper.unref();
  base.onStop(async () => clearInterval(reaper));
}
