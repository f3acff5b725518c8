import type PgBoss from 'pg-boss';
import { ConfigError } from '../util/config-error.ts';
import type { ConnectionStore } from '../connections/connection-store.ts';
import type { OpenDatabase } from '../db/database.ts';
import type { OrderWorker } from '../jobs/order-worker.ts';
import type { Notifier } from '../notifications/notifier.ts';
import type { Logger } from '../observability/logger.ts';
import { createAdminApp, type AdminApp } from './app.ts';
import type { AppContext } from './app-context.ts';
import { adminRoutes } from './routes/index.ts';
import { opsRoutes } from './routes/ops.ts';
import { listenHttp } from './roles/http-listener.ts';
import { onServiceBase, POOL_SIZE, type ServiceEnv, type ServiceRole } from './roles/service-base.ts';
import { settleStartUp } from './roles/start-up.ts';
import { openStoredConnections, readySubscribers } from './roles/stored-connections.ts';
import { webContext } from './roles/web-role.ts';
import { startWorkerRole } from './roles/worker-role.ts';

export type { ServiceEnv, ServiceRole } from './roles/service-base.ts';

export interface ServiceOptions {
  env: ServiceEnv;
  logger: Logger;
  /** An open database to use (tests); otherwise the service opens the configured one and closes it. */
  database?: OpenDatabase;
  /** Cron of order polling; every minute by default. */
  pollCron?: string;
  /**
   * `all` (one process does everything), `web` (admin app and webhook receiver; queues jobs) or
   * `worker` (runs jobs and schedules; answers only health and metrics). The split needs a shared
   * database, and any number of each may run against it.
   */
  role?: ServiceRole;
  /** The clock of notifications (tests move it to reach a digest's hour); the real time by default. */
  clock?: () => Date;
}

export interface RunningService {
  url: string;
  publicUrl: string;
  app: AdminApp;
  context: AppContext;
  database: OpenDatabase;
  boss: PgBoss;
  store: ConnectionStore;
  /** Absent in a web process. */
  orderWorker?: OrderWorker;
  /** Runs the schedule's check now (it also runs every minute); absent in a web process. */
  scheduler?: { tick(): Promise<number> };
  /** Notifications; its `tick` runs every minute in a process that runs jobs. */
  notifier: Notifier;
  role: ServiceRole;
  /** The admin password generated at this first start, to be shown once; undefined otherwise. */
  generatedPassword?: string;
  /** Where that password is kept until the first sign-in (`auth/initial-password.ts`). */
  initialPasswordFile?: string;
  /** The start's background work (subscriptions, a first poll) is done, or gave up: its log lines are out. */
  startUpSettled: Promise<void>;
  encryptionKeySource: string;
  /** What the start found to warn about (also logged), for the start-up summary. */
  warnings: string[];
  stop(): Promise<void>;
}

/**
 * The service over the stored connections, as one process (`all`) or one role of several: database
 * and queue, the stored connections, the jobs (`worker`), the admin app and webhooks (`web`), the port.
 * Stopping takes it down in the reverse order: no new requests, then the jobs in flight finish (or are
 * released for another process), then the database closes.
 */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const role = options.role ?? 'all';
  if (role !== 'all' && !options.env.DATABASE_URL && !options.database)
    throw new ConfigError(
      `--role ${role} runs beside other processes, so it needs a shared database: set DATABASE_URL (and ENCRYPTION_KEY)`,
    );
  return onServiceBase({ ...options, poolSize: POOL_SIZE[role] }, async (base) => {
    const stored = await openStoredConnections(base, {
      databaseGiven: !!options.database,
      clock: options.clock,
    });
    const worker =
      role === 'web' ? undefined : await startWorkerRole(base, { stored, pollCron: options.pollCron });
    const context = webContext(base, stored, worker?.orderWorker);
    // A worker process answers health and metrics only: its port is for the operator's monitoring.
    const app = createAdminApp(context, role === 'worker' ? opsRoutes(context) : adminRoutes(context));
    const url = await listenHttp(base, app.handle);
    const startUpSettled = settleStartUp(base, {
      // The web side subscribes: deliveries go where the admin app and the receiver are.
      subscribers: async () => (role === 'worker' ? [] : readySubscribers(stored.registry)),
      orderWorker: worker?.orderWorker,
    });
    return {
      ...stored,
      ...worker,
      url,
      get publicUrl() {
        return base.publicUrl;
      },
      app,
      context,
      database: base.database,
      boss: base.boss,
      role,
      startUpSettled,
      warnings: base.warnings,
      stop: base.stop,
    };
  });
}
