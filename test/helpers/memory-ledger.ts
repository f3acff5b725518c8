import type {
  ClaimedOrder,
  LedgerKey,
  LedgerState,
  LockedLedger,
  OrderLedger,
  Settled,
} from '../../src/orders/ledger.ts';

export interface MemoryRow {
  state: LedgerState;
  order: unknown;
  attempts: number;
  nextAttemptAt?: Date;
  reason?: string;
  cause?: string;
  salesOrderNumber?: string;
  document?: string;
  note?: string;
}

/**
 * The order ledger in memory, with the database's rules (`src/db/order-ledger.ts`): a claim takes a
 * received order only when due, an unclear one always, a waiting one only when asked; a settle applies
 * only to an order being sent; a second holder of an order's lock is turned away.
 */
export function memoryLedger() {
  const rows = new Map<string, MemoryRow>();
  const locks = new Set<string>();
  const paused = new Set<string>();
  const connections = new Map<string, string>();
  const cursors = new Map<string, { cursor?: Date; notBefore?: Date }>();
  const keyOf = (k: LedgerKey) => `${k.connectionId}:${k.orderId}`;

  const claim = (key: LedgerKey, options: { includeWaiting: boolean }): ClaimedOrder | undefined => {
    const row = rows.get(keyOf(key));
    if (!row) return undefined;
    const due = !row.nextAttemptAt || row.nextAttemptAt <= new Date();
    const takes =
      (row.state === 'received' && due) ||
      row.state === 'outcome-unknown' ||
      row.state === 'sending' ||
      (options.includeWaiting && row.state === 'waiting');
    if (!takes) return undefined;
    const previousState = row.state;
    row.state = 'sending';
    row.attempts += 1;
    return { order: row.order, previousState, attempts: row.attempts, paused: paused.has(key.connectionId) };
  };

  const locked = {
    async settle(key, outcome: Settled) {
      const row = rows.get(keyOf(key));
      if (row?.state !== 'sending') return;
      row.state = outcome.state;
      if (outcome.state === 'sent') {
        row.salesOrderNumber = outcome.salesOrderNumber;
        delete row.reason;
        delete row.cause;
      } else {
        row.reason = outcome.reason;
        row.cause = outcome.cause;
      }
      if (outcome.state === 'received') row.nextAttemptAt = outcome.retryAt;
      else delete row.nextAttemptAt;
    },
    async recordSentDocument(key, xml, note) {
      const row = rows.get(keyOf(key))!;
      row.document = xml;
      if (note) row.note = note;
    },
  } satisfies LockedLedger;

  const ledger = {
    async ensureConnection(slug) {
      return connections.get(slug) ?? connections.set(slug, `c-${connections.size + 1}`).get(slug)!;
    },
    async withClaimedOrder<T>(
      key: LedgerKey,
      options: { includeWaiting: boolean },
      fn: (claimed: ClaimedOrder, l: LockedLedger) => Promise<T>,
    ): Promise<T | 'busy' | 'not-claimed'> {
      const k = keyOf(key);
      if (locks.has(k)) return 'busy';
      locks.add(k);
      try {
        const claimed = claim(key, options);
        return claimed ? await fn(claimed, locked) : 'not-claimed';
      } finally {
        locks.delete(k);
      }
    },
    async receiveOrder(key, order, _createdAt, _source) {
      if (rows.has(keyOf(key))) return false;
      rows.set(keyOf(key), { state: 'received', order, attempts: 0 });
      return true;
    },
    async receiveOrders(orders, source) {
      const isNew: boolean[] = [];
      for (const o of orders) isNew.push(await ledger.receiveOrder(o, o.order, o.createdAt, source));
      return isNew;
    },
    async pollBounds(connectionId) {
      return cursors.get(connectionId) ?? {};
    },
    async savePollCursor(connectionId, createdFrom) {
      cursors.set(connectionId, { ...cursors.get(connectionId), cursor: createdFrom });
    },
    async dueOrders(connectionId, limit) {
      const now = new Date();
      return [...rows.entries()]
        .filter(([k, r]) => {
          if (!k.startsWith(`${connectionId}:`)) return false;
          const due = r.state === 'received' && (!r.nextAttemptAt || r.nextAttemptAt <= now);
          return due || r.state === 'outcome-unknown' || r.state === 'sending';
        })
        .map(([k]) => Number(k.split(':')[1]))
        .sort((a, b) => a - b)
        .slice(0, limit);
    },
    async ordersInState(connectionId, state) {
      return [...rows.entries()]
        .filter(([k, r]) => k.startsWith(`${connectionId}:`) && r.state === state)
        .map(([k, r]) => ({ orderId: Number(k.split(':')[1]), reason: r.reason ?? null }));
    },
    async sentAmong(connectionId, orderIds) {
      return orderIds.filter((id) => rows.get(`${connectionId}:${id}`)?.state === 'sent').length;
    },
  } satisfies OrderLedger;

  return {
    ledger,
    row: (connectionId: string, orderId: number) => rows.get(`${connectionId}:${orderId}`),
    pause: (connectionId: string) => paused.add(connectionId),
    /** Holds an order's lock as another sender would, until the returned function is called. */
    holdLock: (key: LedgerKey) => {
      locks.add(keyOf(key));
      return () => locks.delete(keyOf(key));
    },
  };
}
