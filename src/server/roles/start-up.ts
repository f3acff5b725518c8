import type { OrderWorker } from '../../jobs/order-worker.ts';
import type { MyCashflowClient } from '../../mycashflow/client.ts';
import { ensureWebhookSubscription, webhookUrl } from '../../orders/webhook-subscription.ts';
import type { ServiceBase } from './service-base.ts';
import { webhookSubscriptionStore } from '../../db/order-ledger-store.ts';

/** A connection whose orders MyCashflow is to deliver to this service. */
export interface OrderSubscriber {
  connectionId: string;
  slug: string;
  mcf: MyCashflowClient;
}

/** Subscribes a connection to `order.created` at the service's public address (once per address). */
export async function subscribeToOrders(base: ServiceBase, subscriber: OrderSubscriber): Promise<void> {
  const url = webhookUrl(base.publicUrl, subscriber.slug);
  const result = await ensureWebhookSubscription(
    webhookSubscriptionStore(base.database.db),
    subscriber.mcf,
    subscriber.connectionId,
    url,
  );
  if (result.created) base.logger.info('subscribed to order.created', { connection: subscriber.slug, url });
}

/**
 * Subscriptions and a first poll, in the background: a store that is down must not stop the start.
 * Settles when they are done or gave up, so that their log lines are out before the summary's last word.
 */
export function settleStartUp(
  base: ServiceBase,
  options: { subscribers: () => Promise<OrderSubscriber[]>; orderWorker?: OrderWorker },
): Promise<void> {
  return (async () => {
    for (const subscriber of await options.subscribers().catch(() => [])) {
      await subscribeToOrders(base, subscriber).catch((err: unknown) =>
        base.logger.warn('could not subscribe to order webhooks; polling still exports orders', {
          connection: subscriber.slug,
          error: (err as Error).message,
        }),
      );
    }
    await options.orderWorker?.pollNow().catch(() => undefined);
  })().catch(() => undefined);
}
