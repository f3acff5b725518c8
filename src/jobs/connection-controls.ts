import type { Kysely } from 'kysely';
import type PgBoss from 'pg-boss';
import { clientsFor } from '../connections/clients.ts';
import type { ConnectionStore } from '../connections/connection-store.ts';
import { ordersWaitingForResume } from '../db/order-ledger.ts';
import type { Database } from '../db/schema.ts';
import { mcfWebhookUuidSchema } from '../domain/ids.ts';
import type { Logger } from '../observability/logger.ts';
import { ORDER_CREATED } from '../orders/webhook-subscription.ts';
import { requeueOrders } from './order-retry.ts';

/*
 * Pause, resume and remove, the same from the admin app and the command line. A pause is a column the
 * senders and the import worker read (`isPaused`, `src/db/connections.ts`); what these add is the follow-up.
 */

/** Ends a pause and queues every order that waited for it, each once (the ledger keeps a repeat a no-op). */
export async function resumeConnection(
  boss: PgBoss,
  db: Kysely<Database>,
  store: ConnectionStore,
  connectionId: string,
  requestedBy: string,
): Promise<{ resumed: boolean; queued: number }> {
  const resumed = await store.resume(connectionId);
  const waiting = await ordersWaitingForResume(db, connectionId);
  const queued = await requeueOrders(boss, db, connectionId, waiting, requestedBy);
  return { resumed, queued };
}

/**
 * Removes a connection, its history kept (`ConnectionStore.remove`). Its webhook subscription is deleted
 * at MyCashflow first, while its credentials can still do it; a store that cannot be reached is no reason
 * to keep a connection a person removes, so that failure is reported, not fatal (MyCashflow's deliveries
 * to the removed address are then refused with 404).
 */
export async function removeConnection(
  db: Kysely<Database>,
  store: ConnectionStore,
  connectionId: string,
  logger: Logger,
): Promise<{ archivedAs: string; unsubscribed: boolean | 'none' }> {
  const subscription = await db
    .selectFrom('webhook_subscriptions')
    .select('uuid')
    .where('connection_id', '=', connectionId)
    .where('topic', '=', ORDER_CREATED)
    .executeTakeFirst();
  let unsubscribed: boolean | 'none' = 'none';
  if (subscription) {
    unsubscribed = false;
    const assembled = await store.assemble(connectionId);
    if (assembled?.ok) {
      try {
        const { mcf } = clientsFor(assembled.connection, logger);
        await mcf.deleteWebhook(mcfWebhookUuidSchema.parse(subscription.uuid));
        unsubscribed = true;
      } catch (err) {
        logger.warn('could not delete the webhook subscription at MyCashflow; delete it there by hand', {
          connection: assembled.record.slug,
          error: (err as Error).message,
        });
      }
    }
  }
  const archivedAs = await store.remove(connectionId);
  return { archivedAs, unsubscribed };
}
