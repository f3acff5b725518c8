/*
 * The order ledger as the order use cases need it. The use cases own these interfaces; the database
 * implements them (`src/db/order-ledger-store.ts`), and the unit tests implement them in memory, so the
 * rules of sending exactly once are read and tested without PostgreSQL.
 */

export type LedgerState = 'received' | 'sending' | 'sent' | 'waiting' | 'outcome-unknown';

export interface LedgerKey {
  connectionId: string;
  orderId: number;
}

/** An order as a webhook delivered it, before it is in the ledger. */
export interface ReceivedOrder extends LedgerKey {
  order: unknown;
  createdAt: string | undefined;
}

export interface ClaimedOrder {
  order: unknown;
  previousState: LedgerState;
  attempts: number;
  /** Whether a person paused the connection, read with the claim: a pause reaches every process at once. */
  paused: boolean;
}

/** How an attempt ended. `cause`: the encoded `OrderCause` (`order-cause.ts`), which the inbox groups by. */
export type Settled =
  | { state: 'sent'; salesOrderNumber: string; answer: string }
  | { state: 'waiting'; reason: string; cause: string }
  | { state: 'outcome-unknown'; reason: string; cause: string }
  | { state: 'received'; reason: string; cause: string; retryAt: Date };

/** The id under which a connection's history is kept, added the first time a slug is seen. */
export interface ConnectionIds {
  ensureConnection(slug: string, name: string): Promise<string>;
}

/** What one send does while it holds the order's lock. */
export interface LockedLedger {
  /** Ends the attempt: the last step of a send, which may release the order's lock with it. */
  settle(key: LedgerKey, outcome: Settled): Promise<void>;
  /** The exact document about to be sent, kept before the PUT so that an operator can see what left. */
  recordSentDocument(key: LedgerKey, xml: string, note?: string): Promise<void>;
}

export interface OrderLedger extends ConnectionIds {
  /**
   * Takes the order's lock and the order for sending, together, and runs `fn` holding the lock: 'busy' at
   * once when another sender holds it, 'not-claimed' when the order is not to be sent now. An order whose
   * earlier attempt ended unclear comes back with that previous state, so that NetBaron is read before
   * anything is sent again; a received order whose next attempt is still ahead is not taken; a waiting
   * one only with `includeWaiting` (a person's retry).
   */
  withClaimedOrder<T>(
    key: LedgerKey,
    options: { includeWaiting: boolean },
    fn: (claimed: ClaimedOrder, ledger: LockedLedger) => Promise<T>,
  ): Promise<T | 'busy' | 'not-claimed'>;
  /** Records an order the first time it is seen; false when the ledger already had it. */
  receiveOrder(
    key: LedgerKey,
    order: unknown,
    createdAt: string | undefined,
    source: 'webhook' | 'poll',
  ): Promise<boolean>;
  /**
   * `receiveOrder` for many orders at once (a webhook flood's batch); per order in the order given,
   * whether it was new.
   */
  receiveOrders(orders: readonly ReceivedOrder[], source: 'webhook' | 'poll'): Promise<boolean[]>;
  /** The polling cursor, and the moment before which no order is taken in (a store added later). */
  pollBounds(connectionId: string): Promise<{ cursor?: Date; notBefore?: Date }>;
  savePollCursor(connectionId: string, createdFrom: Date): Promise<void>;
  /** Orders to send now: received and due, left unclear, or left `sending`. */
  dueOrders(connectionId: string, limit: number): Promise<number[]>;
  ordersInState(
    connectionId: string,
    state: LedgerState,
  ): Promise<Array<{ orderId: number; reason: string | null }>>;
  /** How many of these orders the ledger holds as sent. */
  sentAmong(connectionId: string, orderIds: number[]): Promise<number>;
}

/** The stored `order.created` subscription of a connection. */
export interface WebhookSubscriptionStore {
  storedSubscription(connectionId: string, topic: string): Promise<{ uuid: string; url: string } | undefined>;
  saveSubscription(
    connectionId: string,
    subscription: { topic: string; uuid: string; url: string; expands: string[] },
  ): Promise<void>;
}
