import type { Kysely } from 'kysely';
import type { LockedLedger, OrderLedger, WebhookSubscriptionStore } from '../orders/ledger.ts';
import { ensureConnection } from './connections.ts';
import {
  dueOrders,
  ordersInState,
  pollBounds,
  receiveOrder,
  receiveOrders,
  recordSentDocument,
  savePollCursor,
  sentAmong,
  settle,
  withClaimedOrder,
  type HeldLock,
} from './order-ledger.ts';
import type { Database } from './schema.ts';
import { saveSubscription, storedSubscription } from './webhook-subscriptions.ts';

type Db = Kysely<Database>;

/** A send's steps run on the connection that holds the order's lock, never on a second one. */
const lockedLedger = (conn: Db, lock: HeldLock): LockedLedger => ({
  settle: (key, outcome) => settle(conn, key, outcome, lock),
  recordSentDocument: (key, xml, note) => recordSentDocument(conn, key, xml, note),
});

/** The order use cases' ledger (`src/orders/ledger.ts`) on PostgreSQL. */
export function orderLedgerStore(db: Db): OrderLedger {
  return {
    ensureConnection: (slug, name) => ensureConnection(db, slug, name),
    withClaimedOrder: (key, options, fn) =>
      withClaimedOrder(db, key, options, (claimed, conn, lock) => fn(claimed, lockedLedger(conn, lock))),
    receiveOrder: (key, order, createdAt, source) => receiveOrder(db, key, order, createdAt, source),
    receiveOrders: (orders, source) => receiveOrders(db, orders, source),
    pollBounds: (connectionId) => pollBounds(db, connectionId),
    savePollCursor: (connectionId, createdFrom) => savePollCursor(db, connectionId, createdFrom),
    dueOrders: (connectionId, limit) => dueOrders(db, connectionId, limit),
    ordersInState: async (connectionId, state) =>
      (await ordersInState(db, connectionId, state)).map((r) => ({
        orderId: Number(r.order_id),
        reason: r.reason,
      })),
    sentAmong: (connectionId, orderIds) => sentAmong(db, connectionId, orderIds),
  };
}

export function webhookSubscriptionStore(db: Db): WebhookSubscriptionStore {
  return {
    storedSubscription: (connectionId, topic) => storedSubscription(db, connectionId, topic),
    saveSubscription: (connectionId, subscription) => saveSubscription(db, connectionId, subscription),
  };
}
