import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { MyCashflowClient } from '../mycashflow/client.ts';
import { ORDER_EXPANDS } from './poll-orders.ts';

export const ORDER_CREATED = 'order.created';

/**
 * Subscribes the connector to `order.created` at `url` once, and keeps the answer: its uuid is what
 * every delivery must carry. A stored subscription to the same url is reused; a new url subscribes again.
 */
export async function ensureWebhookSubscription(
  db: Kysely<Database>,
  mcf: MyCashflowClient,
  connectionId: string,
  url: string,
): Promise<{ uuid: string; created: boolean }> {
  const stored = await db
    .selectFrom('webhook_subscriptions')
    .select(['uuid', 'url'])
    .where('connection_id', '=', connectionId)
    .where('topic', '=', ORDER_CREATED)
    .executeTakeFirst();
  if (stored?.url === url) return { uuid: stored.uuid, created: false };
  const subscription = await mcf.subscribeWebhook({ topic: ORDER_CREATED, expands: ORDER_EXPANDS, url });
  await db
    .insertInto('webhook_subscriptions')
    .values({
      connection_id: connectionId,
      topic: ORDER_CREATED,
      uuid: subscription.uuid,
      url,
      expands: JSON.stringify(subscription.expands),
    })
    .onConflict((oc) =>
      oc
        .columns(['connection_id', 'topic'])
        .doUpdateSet({ uuid: subscription.uuid, url, expands: JSON.stringify(subscription.expands) }),
    )
    .execute();
  return { uuid: subscription.uuid, created: true };
}

/**
 * The connection a webhook path names and its subscription's uuid, in one query and without opening
 * any credential: it runs for every delivery.
 */
export async function subscriptionBySlug(
  db: Kysely<Database>,
  slug: string,
): Promise<{ connectionId: string; uuid: string } | undefined> {
  const row = await db
    .selectFrom('connections')
    .innerJoin('webhook_subscriptions', 'webhook_subscriptions.connection_id', 'connections.id')
    .select(['connections.id', 'webhook_subscriptions.uuid'])
    .where('connections.slug', '=', slug)
    .where('webhook_subscriptions.topic', '=', ORDER_CREATED)
    .executeTakeFirst();
  return row && { connectionId: row.id, uuid: row.uuid };
}

/** Where MyCashflow delivers a connection's orders, under the service's public address: one definition. */
export const WEBHOOK_PATH_PREFIX = '/hooks/mycashflow';

export function webhookUrl(publicUrl: string, slug: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${WEBHOOK_PATH_PREFIX}/${slug}`;
}
