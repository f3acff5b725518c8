import type { Kysely } from 'kysely';
import { ORDER_CREATED } from '../orders/webhook-subscription.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database>;

export async function storedSubscription(
  db: Db,
  connectionId: string,
  topic: string,
): Promise<{ uuid: string; url: string } | undefined> {
  return db
    .selectFrom('webhook_subscriptions')
    .select(['uuid', 'url'])
    .where('connection_id', '=', connectionId)
    .where('topic', '=', topic)
    .executeTakeFirst();
}

export async function saveSubscription(
  db: Db,
  connectionId: string,
  subscription: { topic: string; uuid: string; url: string; expands: string[] },
): Promise<void> {
  const { topic, uuid, url } = subscription;
  const expands = JSON.stringify(subscription.expands);
  await db
    .insertInto('webhook_subscriptions')
    .values({ connection_id: connectionId, topic, uuid, url, expands })
    .onConflict((oc) => oc.columns(['connection_id', 'topic']).doUpdateSet({ uuid, url, expands }))
    .execute();
}

/**
 * The connection a webhook path names and its subscription's uuid, in one query and without opening
 * any credential: it runs for every delivery.
 */
export async function subscriptionBySlug(
  db: Db,
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
