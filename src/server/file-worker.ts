import { slugOf, type ConnectionFile } from '../config/connection-file.ts';
import { clientsFor } from '../connections/clients.ts';
import type { OpenDatabase } from '../db/database.ts';
import { ensureConnection } from '../db/connections.ts';
import { fixedConnections, type OrderWorker, type WorkerConnection } from '../jobs/order-worker.ts';
import type { Logger } from '../observability/logger.ts';
import { subscriptionBySlug } from '../db/webhook-subscriptions.ts';
import { webhookUrl } from '../orders/webhook-subscription.ts';
import { createAdminApp } from './app.ts';
import { opsRoutes } from './routes/ops.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { listenHttp } from './roles/http-listener.ts';
import { onServiceBase, POOL_SIZE, type ServiceBase, type ServiceEnv } from './roles/service-base.ts';
import { settleStartUp } from './roles/start-up.ts';
import { httpBasics } from './roles/web-role.ts';
import { startWorkerRole } from './roles/worker-role.ts';

export interface FileWorkerOptions {
  env: ServiceEnv;
  logger: Logger;
  /** The connection, credentials included, as its file says: nothing of it is stored but its id and history. */
  connection: ConnectionFile;
  /** Subscribe to `order.created`; without it orders come by polling only and every delivery is refused. */
  subscribe: boolean;
  /** An open database to use (tests); otherwise the configured one is opened, and closed at stop. */
  database?: OpenDatabase;
}

export interface RunningFileWorker {
  url: string;
  /** Where MyCashflow delivers the connection's orders. */
  hookUrl: string;
  database: OpenDatabase;
  orderWorker: OrderWorker;
  /** The subscription and the first poll are done, or gave up. */
  startUpSettled: Promise<void>;
  warnings: string[];
  stop(): Promise<void>;
}

/** The file's connection as the order worker takes it, under a row of its own (`origin = 'file'`). */
async function servedConnection(
  base: ServiceBase,
  connection: ConnectionFile,
): Promise<WorkerConnection & { slug: string }> {
  const slug = slugOf(connection);
  const connectionId = await ensureConnection(base.database.db, slug, connection.name);
  return {
    connectionId,
    slug,
    connection,
    ...clientsFor(connection, base.logger.child({ connection: slug })),
  };
}

/**
 * `serve --role worker --config <file>`: the worker role for one connection file instead of the stored
 * connections. No web process serves a file's connection, so this one also receives its webhooks; there
 * is nothing stored to unseal or sign in to, so it needs neither the encryption key nor the admin app.
 */
export async function startFileWorker(options: FileWorkerOptions): Promise<RunningFileWorker> {
  return onServiceBase({ ...options, poolSize: POOL_SIZE.worker }, async (base) => {
    const served = await servedConnection(base, options.connection);
    const { orderWorker } = await startWorkerRole(base, { connections: fixedConnections([served]) });
    const context = {
      ...httpBasics(base),
      // No other process runs this connection's jobs: waking this one's workers is enough.
      wakeOrderWorkers: () => orderWorker.wake(),
      webhookFor: async (slug: string) =>
        options.subscribe && slug === served.slug ? subscriptionBySlug(base.database.db, slug) : undefined,
    };
    const app = createAdminApp(context, [...opsRoutes(context), ...webhookRoutes(context)]);
    const url = await listenHttp(base, app.handle);
    const startUpSettled = settleStartUp(base, {
      subscribers: async () => (options.subscribe ? [served] : []),
      orderWorker,
    });
    return {
      url,
      hookUrl: webhookUrl(base.publicUrl, served.slug),
      database: base.database,
      orderWorker,
      startUpSettled,
      warnings: base.warnings,
      stop: base.stop,
    };
  });
}
