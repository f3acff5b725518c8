import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ORDER_CREATED } from '../orders/webhook-subscription.ts';
import type { ConnectionRecord } from './connection-store.ts';
import { nextScheduledImport } from '../domain/schedule.ts';

/** What the service itself does for a connection: how orders reach it and when products are next read. */
export interface ConnectionState {
  pausedAt: Date | null;
  webhook: {
    /** Subscribed to `order.created` at MyCashflow, at this address, since this moment. */
    subscribed: { url: string; since: Date } | null;
    /** The newest order that reached the ledger by webhook. */
    lastDelivery: Date | null;
  };
  /** When the last poll of the store's orders finished. */
  lastPoll: Date | null;
  /** When the schedule queues the next product import; null when the schedule is off or paused. */
  nextImport: Date | null;
}

/**
 * Read from what is recorded anyway: the subscription row, the ledger's webhook orders and the poll
 * cursor. The last delivery is the newest order the ledger first received by webhook, so a delivery
 * costs no write beyond the order's own row (a flood of deliveries contends on nothing).
 */
export async function connectionState(
  db: Kysely<Database>,
  record: ConnectionRecord,
  now = new Date(),
): Promise<ConnectionState> {
  const [subscription, delivery, cursor] = await Promise.all([
    db
      .selectFrom('webhook_subscriptions')
      .select(['url', 'created_at'])
      .where('connection_id', '=', record.id)
      .where('topic', '=', ORDER_CREATED)
      .executeTakeFirst(),
    db
      .selectFrom('order_ledger')
      .select(sql<Date | null>`max(received_at)`.as('at'))
      .where('connection_id', '=', record.id)
      .where('source', '=', 'webhook')
      .executeTakeFirst(),
    db
      .selectFrom('order_poll_cursors')
      .select('polled_at')
      .where('connection_id', '=', record.id)
      .executeTakeFirst(),
  ]);
  return {
    pausedAt: record.pausedAt,
    webhook: {
      subscribed: subscription ? { url: subscription.url, since: subscription.created_at } : null,
      lastDelivery: delivery?.at ?? null,
    },
    lastPoll: cursor?.polled_at ?? null,
    nextImport: record.pausedAt
      ? null
      : nextScheduledImport(record.settings.schedule, record.scheduleFiredAt, now),
  };
}
