import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import type PgBoss from 'pg-boss';
import type { Env } from '../config/env.ts';
import { ConnectionStore } from '../connections/connection-store.ts';
import { ConnectionRegistry } from '../connections/registry.ts';
import { openDatabase, type OpenDatabase } from '../db/database.ts';
import { reapOrphanedImports, resumeUnfinishedImports, startImportWorker } from '../jobs/import-jobs.ts';
import { startOrderWorker, type OrderWorker, type WorkerConnections } from '../jobs/order-worker.ts';
import { startQueue } from '../jobs/queue.ts';
import { ArrivalWindow } from '../jobs/fairness.ts';
import { listenForWake, notifyWake } from '../jobs/wake.ts';
import { ConfigError } from '../util/config-error.ts';
import { startNotificationTick } from '../jobs/notification-tick.ts';
import { startScheduler } from '../jobs/scheduler.ts';
import { createMailer } from '../notifications/mailer.ts';
import { Notifier } from '../notifications/notifier.ts';
import type { Logger } from '../observability/logger.ts';
import { createMetrics } from './metrics.ts';
import { ensureWebhookSubscription, webhookUrl } from '../orders/webhook-subscription.ts';
import { webhookSubscriptionStore } from '../db/order-ledger-store.ts';
import { subscriptionBySlug } from '../db/webhook-subscriptions.ts';
import { loadEncryptionKey } from '../security/encryption-key.ts';
import { SignInLimit } from './auth/sign-in-limit.ts';
import { createAdminApp, type AdminApp } from './app.ts';
import type { AppContext } from './app-context.ts';
import { ensureAdminPassword } from './auth/admin-users.ts';
import { forgetInitialPassword, keepInitialPassword } from './auth/initial-password.ts';
import { SessionStore } from './auth/sessions.ts';
import {
  checkBeforeNewKey,
  databaseUrlError,
  listenError,
  metricsNeedToken,
  startupWarnings,
} from './startup-checks.ts';

export type ServiceEnv = Pick<
  Env,
  | 'DATABASE_URL'
  | 'DATA_DIR'
  | 'PORT'
  | 'HOST'
  | 'PUBLIC_URL'
  | 'ADMIN_PASSWORD'
  | 'ENCRYPTION_KEY'
  | 'METRICS_TOKEN'
  | 'COOKIE_SECURE'
  | 'TRUST_PROXY'
  | 'SMTP_URL'
  | 'MAIL_FROM'
>;

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

export type ServiceRole = 'all' | 'web' | 'worker';

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

/** The order worker's view of the stored connections: a connection that is not ready is skipped. */
function storedConnections(registry: ConnectionRegistry): WorkerConnections {
  const toWorker = (r: Awaited<ReturnType<ConnectionRegistry['get']>>) =>
    r && { connectionId: r.id, connection: r.connection, mcf: r.mcf, nb: r.nb };
  return {
    get: async (id) => toWorker(await registry.get(id)),
    all: async () => (await registry.ready()).map((r) => toWorker(r)!),
  };
}

/**
 * The whole service in one process: database, job workers, schedules, webhook receiver and admin app.
 * Stopping takes it down in the reverse order: no new requests, then the jobs in flight finish (or are
 * released for another process), then the database closes.
 */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { env, logger } = options;
  const role = options.role ?? 'all';
  if (role !== 'all' && !env.DATABASE_URL && !options.database)
    throw new ConfigError(
      `--role ${role} runs beside other processes, so it needs a shared database: set DATABASE_URL (and ENCRYPTION_KEY)`,
    );
  const runsJobs = role !== 'web';
  const servesAdmin = role !== 'worker';
  const ownsDatabase = !options.database;
  const database =
    options.database ??
    (await openDatabase({
      databaseUrl: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      // A worker holds one connection per order being sent (16 at once) besides imports and polling;
      // a web process only answers pages and webhooks. (Plus 4 for the job queue, 1 for LISTEN.)
      poolSize: role === 'web' ? 8 : 24,
      publish: true,
    }).catch((err: unknown) => {
      throw env.DATABASE_URL ? databaseUrlError(err, env.DATABASE_URL) : err;
    }));
  const warnings = startupWarnings(env);
  for (const warning of warnings) logger.warn(warning);
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const { key, source, permissionsTightened } = await loadEncryptionKey({
      envValue: env.ENCRYPTION_KEY,
      dataDir: env.DATA_DIR,
      sharedDatabase: database.mode === 'shared' && !options.database,
      beforeNewKey: (path) =>
        checkBeforeNewKey(database.db, path, (message) => {
          warnings.push(message);
          logger.error(message);
        }),
    });
    if (permissionsTightened)
      logger.warn('the encryption key file was readable by others; its mode is now 0600');
    const { generated } = await ensureAdminPassword(database.db, env.ADMIN_PASSWORD);
    const initialPasswordFile = generated ? await keepInitialPassword(env.DATA_DIR, generated) : undefined;
    if (env.ADMIN_PASSWORD) await forgetInitialPassword(env.DATA_DIR);

    const stopping = new AbortController();
    const boss = await startQueue(database.url, logger);
    cleanups.push(() => boss.stop({ graceful: true, timeout: 30_000, wait: true }));
    const metrics = createMetrics(database.db);
    cleanups.push(async () => metrics.close());
    const store = new ConnectionStore(database.db, key);
    const registry = new ConnectionRegistry(store, logger);

    let publicUrl = env.PUBLIC_URL?.replace(/\/+$/, '') ?? '';
    const mailer =
      env.SMTP_URL && env.MAIL_FROM ? createMailer({ url: env.SMTP_URL, from: env.MAIL_FROM }) : undefined;
    const notifier = new Notifier({
      db: database.db,
      store,
      mailer,
      logger,
      publicUrl: () => publicUrl,
      clock: options.clock,
    });

    let orderWorker: OrderWorker | undefined;
    let scheduler: { tick(): Promise<number> } | undefined;
    if (runsJobs) {
      const worker = await startOrderWorker({
        boss,
        db: database.db,
        connections: storedConnections(registry),
        logger,
        pollCron: options.pollCron,
      });
      orderWorker = worker;
      // Back from a database outage: poll at once. Webhooks that arrived meanwhile were refused and
      // exports that failed wait for their retry; the poll queues every due order now, not at the next minute.
      const listener = listenForWake(
        database.url,
        () => worker.wake(),
        logger,
        () => void worker.pollNow().catch(() => undefined),
      );
      cleanups.push(() => listener.close());
      await startImportWorker({ boss, db: database.db, registry, logger, metrics, signal: stopping.signal });
      await reapOrphanedImports(boss, database.db, logger);
      await resumeUnfinishedImports(boss, database.db, logger);
      // Jobs carry no heartbeat: every worker looks for imports whose process died, every few seconds.
      const reaper = setInterval(() => {
        reapOrphanedImports(boss, database.db, logger).catch(() => undefined);
      }, 5_000);
      reaper.unref();
      cleanups.push(async () => clearInterval(reaper));
      scheduler = await startScheduler({ boss, store, logger });
      await startNotificationTick(boss, notifier);
    }
    const arrivals = new ArrivalWindow();
    const limiter = new SignInLimit({ db: database.db, logger });
    cleanups.push(async () => limiter.stop());

    const subscribeWebhooks = async (connectionId: string): Promise<void> => {
      const runtime = await registry.get(connectionId).catch(() => undefined);
      if (!runtime) return;
      const url = webhookUrl(publicUrl, runtime.slug);
      const result = await ensureWebhookSubscription(
        webhookSubscriptionStore(database.db),
        runtime.mcf,
        connectionId,
        url,
      );
      if (result.created) logger.info('subscribed to order.created', { connection: runtime.slug, url });
    };
    const context: AppContext = {
      db: database.db,
      store,
      registry,
      boss,
      sessions: new SessionStore(database.db),
      limiter,
      logger,
      metrics,
      cookieSecure:
        env.COOKIE_SECURE === 'true' || (env.COOKIE_SECURE === 'auto' && publicUrl.startsWith('https:')),
      get publicUrl() {
        return publicUrl;
      },
      trustedProxies: env.TRUST_PROXY,
      metricsToken: env.METRICS_TOKEN,
      metricsNeedToken: metricsNeedToken(env),
      // This process's workers at once, and every other worker process through the database.
      wakeOrderWorkers: () => {
        orderWorker?.wake();
        notifyWake(database.db).catch(() => undefined);
      },
      exportPriority: (connectionId) => arrivals.priorityFor(connectionId),
      subscribeWebhooks,
      webhookFor: (slug) => subscriptionBySlug(database.db, slug),
      notifier,
      stopping: stopping.signal,
      readiness: async () => {
        const checks: Record<string, string> = {};
        try {
          await sql`select 1`.execute(database.db);
          checks.database = 'ok';
        } catch (err) {
          checks.database = `unavailable: ${(err as Error).message}`;
        }
        try {
          await boss.getQueue('export-order');
          checks.queue = 'ok';
        } catch (err) {
          checks.queue = `unavailable: ${(err as Error).message}`;
        }
        return { ok: Object.values(checks).every((c) => c === 'ok'), checks };
      },
      afterSignIn: () => forgetInitialPassword(env.DATA_DIR),
    };

    const app = createAdminApp(context, { operationsOnly: !servesAdmin });
    const server: Server = createServer(app.handle);
    server.keepAliveTimeout = 5_000;
    // A client must send its headers within 10 s and its whole request within 30 s (Node waits 300 s),
    // so that connections trickling a byte at a time cannot pile up; the webhook receiver is stricter.
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, env)));
      // Node's backlog of 511 drops the rest of a burst of connections, which then wait out TCP's
      // 1–3 s retransmit: a store's flood of deliveries would queue behind it, and so would /healthz.
      server.listen({ port: env.PORT, host: env.HOST, backlog: 4096 }, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const host = env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST;
    const url = `http://${host}:${port}`;
    if (!publicUrl) publicUrl = url;
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          stopping.abort();
          server.close(() => resolve());
          server.closeIdleConnections();
          // Progress streams end on `stopping`; anything else still open gets a moment, then is cut.
          setTimeout(() => server.closeAllConnections(), 2_000).unref();
        }),
    );

    // Subscriptions and a first poll in the background: a store that is down must not stop the start.
    const settled = (async () => {
      if (servesAdmin)
        for (const runtime of await registry.ready().catch(() => [])) {
          await subscribeWebhooks(runtime.id).catch((err: unknown) =>
            logger.warn('could not subscribe to order webhooks; polling still exports orders', {
              connection: runtime.slug,
              error: (err as Error).message,
            }),
          );
        }
      await orderWorker?.pollNow().catch(() => undefined);
    })().catch(() => undefined);

    let stopped: Promise<void> | undefined;
    return {
      url,
      get publicUrl() {
        return publicUrl;
      },
      app,
      context,
      database,
      boss,
      store,
      orderWorker,
      scheduler,
      notifier,
      role,
      generatedPassword: generated,
      initialPasswordFile,
      startUpSettled: settled,
      encryptionKeySource: source,
      warnings,
      stop: () =>
        (stopped ??= (async () => {
          // HTTP first (no new work), then jobs, then the database.
          for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
          if (ownsDatabase) await database.close();
        })()),
    };
  } catch (err) {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    if (ownsDatabase) await database.close();
    throw err;
  }
}
