import type { MyCashflowClient } from '../mycashflow/client.ts';
import type { WebhookSubscriptionStore } from './ledger.ts';
import { ORDER_EXPANDS } from './poll-orders.ts';

export const ORDER_CREATED = 'order.created';

/**
 * Subscribes the connector to `order.created` at `url` once, and keeps the answer: its uuid is what
 * every delivery must carry. A stored subscription to the same url is reused; a new url subscribes again.
 */
export async function ensureWebhookSubscription(
  subscriptions: WebhookSubscriptionStore,
  mcf: Pick<MyCashflowClient, 'subscribeWebhook'>,
  connectionId: string,
  url: string,
): Promise<{ uuid: string; created: boolean }> {
  const stored = await subscriptions.storedSubscription(connectionId, ORDER_CREATED);
  if (stored?.url === url) return { uuid: stored.uuid, created: false };
  const subscription = await mcf.subscribeWebhook({ topic: ORDER_CREATED, expands: ORDER_EXPANDS, url });
  await subscriptions.saveSubscription(connectionId, {
    topic: ORDER_CREATED,
    uuid: subscription.uuid,
    url,
    expands: subscription.expands,
  });
  return { uuid: subscription.uuid, created: true };
}

/** Where MyCashflow delivers a connection's orders, under the service's public address: one definition. */
export const WEBHOOK_PATH_PREFIX = '/hooks/mycashflow';

export function webhookUrl(publicUrl: string, slug: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${WEBHOOK_PATH_PREFIX}/${slug}`;
}
