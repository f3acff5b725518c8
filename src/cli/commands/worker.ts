import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { readConnectionFile, slugOf } from '../../config/connection-file.ts';
import { readEnv } from '../../config/env.ts';
import { openDatabase } from '../../db/database.ts';
import { ensureConnection } from '../../db/connections.ts';
import { fixedConnections, startOrderWorker } from '../../jobs/order-worker.ts';
import { enqueueExport, startQueue } from '../../jobs/queue.ts';
import { createLogger } from '../../observability/logger.ts';
import { ensureWebhookSubscription, webhookUrl } from '../../orders/webhook-subscription.ts';
import { webhookSubscriptionStore } from '../../db/order-ledger-store.ts';
import { createWebhookReceiver, WEBHOOK_PATH } from '../../server/webhook-receiver.ts';
import { clientsFor } from '../../connections/clients.ts';
import { portOption } from '../options.ts';
import { stopRequested } from '../stop-signal.ts';

interface WorkerOptions {
  config: string;
  port: number;
  host: string;
  publicUrl?: string;
  subscribe: boolean;
}

/**
 * Order export as a long-running process: the webhook receiver, the subscription, the export and
 * polling jobs, for one connection file. (`serve` runs the same pieces for every stored connection.)
 */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('receive order webhooks and export orders continuously (jobs on PostgreSQL), until stopped')
    .requiredOption('--config <file>', 'the connection file')
    .option('--port <port>', 'port of the webhook receiver', portOption, 4030)
    .option('--host <address>', 'address of the webhook receiver', '127.0.0.1')
    .option('--public-url <url>', 'the receiver as MyCashflow reaches it (default: http://host:port)')
    .option('--no-subscribe', 'do not subscribe to order.created (polling only)')
    .action(async (opts: WorkerOptions) => {
      const env = readEnv();
      const connection = await readConnectionFile(opts.config);
      const slug = slugOf(connection);
      const logger = createLogger({
        level: env.LOG_LEVEL,
        format: env.LOG_FORMAT,
        bindings: { connection: slug },
      });
      const database = await openDatabase({
        databaseUrl: env.DATABASE_URL,
        dataDir: env.DATA_DIR,
        poolSize: 24,
        publish: true,
      });
      const connectionId = await ensureConnection(database.db, slug, connection.name);
      const { mcf, nb } = clientsFor(connection, logger);
      const boss = await startQueue(database.url, logger);
      const worker = await startOrderWorker({
        boss,
        db: database.db,
        connections: fixedConnections([{ connectionId, connection, mcf, nb }]),
        logger,
      });

      let uuid: string | undefined;
      const receive = createWebhookReceiver({
        db: database.db,
        logger,
        connectionFor: async (s) => (s === slug && uuid ? { connectionId, uuid } : undefined),
        onReceived: async (id, orderId) => {
          await enqueueExport(boss, { connectionId: id, orderId });
          worker.wake();
        },
      });
      const server = createServer((req, res) => {
        const path = new URL(req.url ?? '/', 'http://receiver').pathname;
        const hook = WEBHOOK_PATH.exec(path);
        if (hook) {
          receive(req, res, hook[1]!).catch((err: unknown) => {
            logger.error('webhook receiver failed', { error: (err as Error).message });
            if (!res.headersSent) res.writeHead(500).end();
          });
          return;
        }
        res
          .writeHead(path === '/healthz' ? 200 : 404, { 'Content-Type': 'text/plain' })
          .end(path === '/healthz' ? 'ok' : 'not found');
      });
      await new Promise<void>((resolve) => server.listen(opts.port, opts.host, resolve));
      const { port } = server.address() as AddressInfo;
      const hookUrl = webhookUrl(opts.publicUrl ?? `http://${opts.host}:${port}`, slug);
      if (opts.subscribe) {
        const subscription = await ensureWebhookSubscription(
          webhookSubscriptionStore(database.db),
          mcf,
          connectionId,
          hookUrl,
        );
        uuid = subscription.uuid;
        logger.info(
          subscription.created ? 'subscribed to order.created' : 'order.created subscription in place',
          { url: hookUrl },
        );
      }
      console.log(`Webhook receiver: ${hookUrl}`);
      await worker.pollNow();
      console.log('Exporting orders. Ctrl-C stops.');

      await stopRequested();
      // Stop taking deliveries, let running sends finish, then close the database.
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await boss.stop({ graceful: true, timeout: 30_000, wait: true });
      await database.close();
    });
}
