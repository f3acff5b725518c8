import type { Kysely } from 'kysely';
import type PgBoss from 'pg-boss';
import { slugOf, type ConnectionFile } from '../config/connection-file.ts';
import { isPaused } from '../db/connections.ts';
import { dueOrders, ordersWaitingForResume } from '../db/order-ledger.ts';
import { orderLedgerStore } from '../db/order-ledger-store.ts';
import type { Database } from '../db/schema.ts';
import type { MyCashflowClient } from '../mycashflow/client.ts';
import type { NetBaronClient } from '../netbaron/client.ts';
import type { Logger } from '../observability/logger.ts';
import { pollOrders } from '../orders/poll-orders.ts';
import { sendOrder, type SendContext } from '../orders/send-order.ts';
import { StoreLookups } from '../orders/store-lookups.ts';
import { burstPriority } from './fairness.ts';
import { requeueOrders } from './order-retry.ts';
import { startJobPump } from './job-pump.ts';
import { enqueueExport, exportOrderJobSchema, QUEUES, type ExportOrderJob } from './queue.ts';

export interface WorkerConnection {
  connectionId: string;
  connection: ConnectionFile;
  mcf: MyCashflowClient;
  nb: NetBaronClient;
}

/** Where the worker finds a job's connection: a fixed list (the CLI) or the service's stored connections. */
export interface WorkerConnections {
  get(connectionId: string): Promise<WorkerConnection | undefined>;
  /** Every connection to poll. */
  all(): Promise<WorkerConnection[]>;
}

export function fixedConnections(list: WorkerConnection[]): WorkerConnections {
  return {
    get: async (id) => list.find((c) => c.connectionId === id),
    all: async () => list,
  };
}

export interface OrderWorker {
  /** Wakes this process's export workers at once (a webhook just queued a job). */
  wake(): void;
  /** Polls every connection now and queues every order that is due. */
  pollNow(): Promise<void>;
  /** Takes no more orders and lets the sends in flight finish. */
  stop(): Promise<void>;
}

/**
 * The job handlers of order export. `export-order` sends one order (the ledger makes a repeated job a
 * no-op); an outcome that may pass throws, so that pg-boss retries it with back-off and finally moves it
 * to the dead-letter queue. `poll-orders` reads new orders and re-queues whatever is due, which is also
 * how an order whose job was lost gets sent.
 */
export async function startOrderWorker(options: {
  boss: PgBoss;
  db: Kysely<Database>;
  connections: WorkerConnections;
  logger: Logger;
  /** Orders sent at once by this process, each holding one database connection while it is sent. */
  concurrency?: number;
  pollCron?: string;
}): Promise<OrderWorker> {
  const { boss, db, logger } = options;
  const ledger = orderLedgerStore(db);
  // One context (with its store look-up cache) per connection object: a connection whose settings
  // changed comes back as a new object with new clients, and gets a fresh context.
  const contexts = new WeakMap<WorkerConnection, SendContext>();
  const contextFor = async (connectionId: string): Promise<SendContext | undefined> => {
    const c = await options.connections.get(connectionId);
    if (!c) return undefined;
    let ctx = contexts.get(c);
    if (!ctx) {
      ctx = {
        ledger,
        connectionId: c.connectionId,
        nb: c.nb,
        lookups: new StoreLookups(c.mcf),
        settings: c.connection.orderExport,
        logger: logger.child({ connection: slugOf(c.connection) }),
      };
      contexts.set(c, ctx);
    }
    return ctx;
  };

  const pump = startJobPump<ExportOrderJob>({
    boss,
    queue: QUEUES.exportOrder,
    slots: options.concurrency ?? 16,
    pollMs: 1_000,
    logger,
    handle: async (job) => {
      const data = exportOrderJobSchema.parse(job.data);
      const ctx = await contextFor(data.connectionId);
      if (!ctx) throw new Error(`connection ${data.connectionId} is not served by this worker`);
      const result = await sendOrder(ctx, data.orderId);
      // NetBaron refused in a way that passes (503, 429): the next attempt is a job of its own that
      // starts when the ledger says the order is due (never sooner than NetBaron's Retry-After), rather
      // than pg-boss's retry, whose back-off knows nothing of Retry-After. The poll's sweep queues it
      // again should that job be lost.
      if (result.outcome === 'retry-later') await enqueueExport(boss, data, 0, result.retryAt);
      // Thrown, so that pg-boss retries this order with back-off while the others go on.
      else if (result.outcome === 'outcome-unknown') throw new Error(result.reason);
    },
  });
  const wake = (): void => pump.wake();

  const pollNow = async (): Promise<void> => {
    for (const c of await options.connections.all()) {
      try {
        await pollOrders(ledger, c.connectionId, c.mcf);
      } catch (err) {
        logger.warn('polling MyCashflow for orders failed; the next poll tries again', {
          connection: slugOf(c.connection),
          error: (err as Error).message,
        });
      }
      // A paused connection's orders are still read in (above); they wait until it is resumed. Orders
      // that a send in flight during the resume settled as paused are sent by this sweep.
      if (await isPaused(db, c.connectionId)) continue;
      const held = await ordersWaitingForResume(db, c.connectionId);
      if (held.length) await requeueOrders(boss, db, c.connectionId, held, 'resumed connection');
      const due = await dueOrders(db, c.connectionId, 10_000);
      for (const [position, orderId] of due.entries()) {
        await enqueueExport(boss, { connectionId: c.connectionId, orderId }, burstPriority(position));
      }
    }
    wake();
  };
  await boss.work(QUEUES.pollOrders, async () => pollNow());
  await boss.schedule(QUEUES.pollOrders, options.pollCron ?? '* * * * *', {}, { singletonKey: 'poll' });

  return { wake, pollNow, stop: () => pump.stop() };
}
