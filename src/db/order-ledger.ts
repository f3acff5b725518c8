import { sql, type Kysely } from 'kysely';
import { NO_SEARCH, whereSearchFinds, type OrderSearch } from './order-list.ts';
import { PAUSED_CAUSE } from '../orders/order-cause.ts';
import type { ClaimedOrder, LedgerKey, LedgerState, ReceivedOrder, Settled } from '../orders/ledger.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database>;

async function event(db: Db, key: LedgerKey, kind: string, detail?: string): Promise<void> {
  await db
    .insertInto('order_events')
    .values({ connection_id: key.connectionId, order_id: String(key.orderId), kind, detail: detail ?? null })
    .execute();
}

/**
 * Records an order the first time it is seen, by webhook or by polling; a second sighting changes
 * nothing but the history. The row exists before any attempt to send, so the order cannot be lost.
 */
export async function receiveOrder(
  db: Db,
  key: LedgerKey,
  order: unknown,
  createdAt: string | undefined,
  source: 'webhook' | 'poll',
): Promise<boolean> {
  const inserted = await db
    .insertInto('order_ledger')
    .values({
      connection_id: key.connectionId,
      order_id: String(key.orderId),
      state: 'received',
      source,
      order: JSON.stringify(order),
      order_created_at: createdAt ?? null,
    })
    .onConflict((oc) => oc.columns(['connection_id', 'order_id']).doNothing())
    .returning('order_id')
    .executeTakeFirst();
  await event(db, key, inserted ? 'received' : 'seen-again', source);
  return inserted !== undefined;
}

/**
 * `receiveOrder` for many orders in one transaction of two statements: the webhook intake gathers the
 * deliveries that arrive together, so that a flood costs a few round trips instead of one transaction
 * each. Returns, per order in the order given, whether it was new; a second copy of an order within one
 * call is a repeat like any other. Given a transaction, it runs in it (the intake queues the exports in
 * the same one).
 */
export async function receiveOrders(
  db: Db,
  orders: readonly ReceivedOrder[],
  source: 'webhook' | 'poll',
): Promise<boolean[]> {
  if (orders.length === 0) return [];
  const keyOf = (o: LedgerKey) => `${o.connectionId}:${o.orderId}`;
  const firsts = new Map<string, ReceivedOrder>();
  for (const o of orders) if (!firsts.has(keyOf(o))) firsts.set(keyOf(o), o);
  const inTransaction = <T>(fn: (tx: Db) => Promise<T>) =>
    db.isTransaction ? fn(db) : db.transaction().execute(fn);
  return inTransaction(async (tx) => {
    const inserted = await tx
      .insertInto('order_ledger')
      .values(
        [...firsts.values()].map((o) => ({
          connection_id: o.connectionId,
          order_id: String(o.orderId),
          state: 'received' as const,
          source,
          order: JSON.stringify(o.order),
          order_created_at: o.createdAt ?? null,
        })),
      )
      .onConflict((oc) => oc.columns(['connection_id', 'order_id']).doNothing())
      .returning(['connection_id', 'order_id'])
      .execute();
    const fresh = new Set(inserted.map((r) => `${r.connection_id}:${r.order_id}`));
    const isNew = orders.map((o) => {
      const key = keyOf(o);
      if (!fresh.has(key) || firsts.get(key) !== o) return false;
      return true;
    });
    await tx
      .insertInto('order_events')
      .values(
        orders.map((o, i) => ({
          connection_id: o.connectionId,
          order_id: String(o.orderId),
          kind: isNew[i] ? 'received' : 'seen-again',
          detail: source,
        })),
      )
      .execute();
    return isNew;
  });
}

const lockKeyOf = (key: LedgerKey) => sql`hashtextextended(${`order:${key.connectionId}:${key.orderId}`}, 0)`;

/**
 * Takes the order's session-level advisory lock and claims the order for sending, in one statement, then
 * runs `fn` holding the lock. 'busy' when another live process holds the lock; 'not-claimed' when the
 * order is not to be sent now (see `claimForSending`). A process that dies loses its session and with it
 * the lock, so an order left in `sending` is free for the next sender straight away, with no time-out to
 * wait for. `fn` gets the locking connection and a `release` flag: a settle may drop the lock in its own
 * statement (`settle(…, { unlock })`), and the lock is released here only when it did not.
 */
export async function withClaimedOrder<T>(
  db: Db,
  key: LedgerKey,
  options: { includeWaiting: boolean },
  fn: (claimed: ClaimedOrder, conn: Db, lock: HeldLock) => Promise<T>,
): Promise<T | 'busy' | 'not-claimed'> {
  // The send runs on the locking connection itself: one pooled connection per send, never two, so that
  // parallel sends cannot exhaust the pool while each waits for a second connection.
  return db.connection().execute(async (conn) => {
    const lock: HeldLock = { key: lockKeyOf(key), held: true };
    const rows = await sql<ClaimRow & { locked: boolean }>`
      with lk as materialized (select pg_try_advisory_lock(${lock.key}) as locked),
      ${claimCte(key, options, sql`and (select locked from lk)`)}
      select lk.locked, c.order, c.previous_state, c.attempts, ${pausedColumn(key)}
      from lk left join claimed c on true`.execute(conn);
    const row = rows.rows[0]!;
    if (!row.locked) return 'busy';
    try {
      const claimed = claimedOf(row);
      return claimed ? await fn(claimed, conn, lock) : 'not-claimed';
    } finally {
      if (lock.held) await sql`select pg_advisory_unlock(${lock.key})`.execute(conn);
    }
  });
}

/** An order's advisory lock held by a send; `held` turns false once a settle's statement released it. */
export interface HeldLock {
  key: ReturnType<typeof lockKeyOf>;
  held: boolean;
}

interface ClaimRow {
  order: unknown;
  previous_state: LedgerState | null;
  attempts: number | null;
  paused: boolean;
}

/**
 * The claim as a `claimed` CTE (and its `prev`): a received order is taken only when due, one whose
 * earlier attempt ended unclear always, a waiting one only when asked. A received order whose next attempt
 * is still ahead (NetBaron's Retry-After, the back-off) is not taken: an early job (a repeated webhook, a
 * retry) must not send sooner than that. A person's retry clears the wait first.
 */
const claimCte = (key: LedgerKey, options: { includeWaiting: boolean }, onlyIf = sql``) => sql`
  prev as (
    select state, next_attempt_at from order_ledger
    where connection_id = ${key.connectionId} and order_id = ${key.orderId} ${onlyIf}
    for update of order_ledger skip locked),
  claimed as (
    update order_ledger l set state = 'sending', sending_since = now(), attempts = l.attempts + 1, updated_at = now()
    from prev
    where l.connection_id = ${key.connectionId} and l.order_id = ${key.orderId}
      and ((prev.state = 'received' and (prev.next_attempt_at is null or prev.next_attempt_at <= now()))
        or prev.state in ('outcome-unknown', 'sending')
        or (${options.includeWaiting} and prev.state = 'waiting'))
    returning l.order, prev.state as previous_state, l.attempts)`;

/** Whether a person paused the connection, read in the claim's statement: a pause reaches every process at once. */
const pausedColumn = (key: LedgerKey) =>
  sql`coalesce((select paused_at is not null from connections where id = ${key.connectionId}), false) as paused`;

const claimedOf = (row: ClaimRow): ClaimedOrder | undefined =>
  row.previous_state
    ? { order: row.order, previousState: row.previous_state, attempts: row.attempts!, paused: row.paused }
    : undefined;

/**
 * The claim of `withClaimedOrder` on its own, for a caller that keeps others away by other means (a test,
 * a single sender). An order whose earlier attempt ended unclear (`outcome-unknown`, or `sending` left
 * behind by a process that died) comes back with that previous state, so that the caller reads NetBaron
 * before sending again.
 */
export async function claimForSending(
  db: Db,
  key: LedgerKey,
  options: { includeWaiting: boolean },
): Promise<ClaimedOrder | undefined> {
  const rows = await sql<ClaimRow>`
    with ${claimCte(key, options)}
    select c.order, c.previous_state, c.attempts, ${pausedColumn(key)} from claimed c`.execute(db);
  const row = rows.rows[0];
  return row && claimedOf(row);
}

/**
 * Settles an attempt in one statement: the ledger's row, its event, and, given the send's lock, the lock's
 * release. The release may come a moment before the row's commit: a sender that takes the lock then finds
 * the row still locked and skips it, as it skips an order being sent.
 */
export async function settle(db: Db, key: LedgerKey, outcome: Settled, lock?: HeldLock): Promise<void> {
  const sent = outcome.state === 'sent';
  await sql`
    with updated as (
      update order_ledger set
        state = ${outcome.state},
        reason = ${sent ? null : outcome.reason},
        cause = ${sent ? null : outcome.cause},
        sending_since = null,
        updated_at = now(),
        next_attempt_at = ${outcome.state === 'received' ? outcome.retryAt : null},
        sales_order_number = ${sent ? sql`${outcome.salesOrderNumber}` : sql`sales_order_number`},
        netbaron_answer = ${sent ? sql`${outcome.answer}` : sql`netbaron_answer`},
        sent_at = ${sent ? sql`now()` : sql`sent_at`}
      where connection_id = ${key.connectionId} and order_id = ${String(key.orderId)} and state = 'sending'
      returning 1),
    logged as (
      insert into order_events (connection_id, order_id, kind, detail)
      values (${key.connectionId}, ${String(key.orderId)}, ${outcome.state}, ${sent ? outcome.salesOrderNumber : outcome.reason}))
    select ${lock?.held ? sql`pg_advisory_unlock(${lock.key})` : sql`true`}`.execute(db);
  if (lock) lock.held = false;
}

/**
 * The exact document about to be sent, kept before the PUT so that an operator can see what left, with
 * its events, in one statement.
 */
export async function recordSentDocument(db: Db, key: LedgerKey, xml: string, note?: string): Promise<void> {
  const order = String(key.orderId);
  const events = [...(note ? [['text-cleaned', note]] : []), ['sending', null]].map(
    ([kind, detail]) => sql`(${key.connectionId}, ${order}, ${kind}, ${detail})`,
  );
  await sql`
    with documented as (
      update order_ledger set sent_document = ${xml}
      where connection_id = ${key.connectionId} and order_id = ${order})
    insert into order_events (connection_id, order_id, kind, detail) values ${sql.join(events)}`.execute(db);
}

/**
 * Orders to send now: received and due, left unclear, or left `sending` (by a process that died, or by
 * one still sending: the order's lock turns a job for that one away at once).
 */
export async function dueOrders(db: Db, connectionId: string, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('order_ledger')
    .select('order_id')
    .where('connection_id', '=', connectionId)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('state', '=', 'received'),
          eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', new Date())]),
        ]),
        eb('state', 'in', ['outcome-unknown', 'sending']),
      ]),
    )
    .orderBy('order_id')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.order_id));
}

export async function ordersInState(db: Db, connectionId: string, state: LedgerState) {
  return db
    .selectFrom('order_ledger')
    .select(['order_id', 'reason', 'attempts', 'updated_at'])
    .where('connection_id', '=', connectionId)
    .where('state', '=', state)
    .orderBy('order_id')
    .execute();
}

export async function ledgerEntry(db: Db, key: LedgerKey) {
  const row = await db
    .selectFrom('order_ledger')
    .selectAll()
    .where('connection_id', '=', key.connectionId)
    .where('order_id', '=', String(key.orderId))
    .executeTakeFirst();
  if (!row) return undefined;
  const events = await db
    .selectFrom('order_events')
    .select(['at', 'kind', 'detail'])
    .where('connection_id', '=', key.connectionId)
    .where('order_id', '=', String(key.orderId))
    .orderBy('id')
    .execute();
  return { ...row, events };
}

export type RetryResult =
  | { outcome: 'due-again'; previousState: Exclude<LedgerState, 'sent'> }
  | { outcome: 'already-sent'; salesOrderNumber: string | null };

/**
 * Makes an order due again after a person fixed its cause (the CLI's `orders retry`, the admin page's
 * "Retry this order"): a waiting order goes back to `received` and any back-off wait is dropped, so the
 * next sender takes it at once. An unclear order (`outcome-unknown`, `sending`) keeps its state, so that
 * whoever sends it next still asks NetBaron first whether it already has it. A sent order is left alone.
 * Undefined when the order is not in the connection's ledger.
 */
export async function retryOrder(
  db: Db,
  key: LedgerKey,
  requestedBy: string,
): Promise<RetryResult | undefined> {
  const { rows } = await sql<{ previous_state: Exclude<LedgerState, 'sent'> }>`
    with prev as (
      select state, sent_document from order_ledger
      where connection_id = ${key.connectionId} and order_id = ${key.orderId}
      for update)
    update order_ledger l
    -- A waiting order whose document was ever put together may have reached NetBaron (or be there
    -- more than once): it is read back before anything is sent again.
    set state = case
        when prev.state = 'waiting' and prev.sent_document is not null then 'outcome-unknown'
        when prev.state = 'waiting' then 'received'
        else prev.state end,
      -- The cause was the one fixed: a retried order that stays unsent is judged by what happens next.
      cause = case when prev.state = 'waiting' then null else l.cause end,
      next_attempt_at = null, updated_at = now()
    from prev
    where l.connection_id = ${key.connectionId} and l.order_id = ${key.orderId} and prev.state <> 'sent'
    returning prev.state as previous_state`.execute(db);
  const previousState = rows[0]?.previous_state;
  if (previousState) {
    await event(db, key, 'retry', `${requestedBy} (was ${previousState})`);
    return { outcome: 'due-again', previousState };
  }
  const sent = await db
    .selectFrom('order_ledger')
    .select('sales_order_number')
    .where('connection_id', '=', key.connectionId)
    .where('order_id', '=', String(key.orderId))
    .executeTakeFirst();
  return sent && { outcome: 'already-sent', salesOrderNumber: sent.sales_order_number };
}

export const LEDGER_STATES: readonly LedgerState[] = [
  'received',
  'sending',
  'sent',
  'waiting',
  'outcome-unknown',
];

/**
 * How many of the connection's orders (of those the search finds, when one is given) are in each state;
 * zero for a state none is in.
 */
export async function ledgerStateCounts(
  db: Db,
  connectionId: string,
  search: OrderSearch = NO_SEARCH,
): Promise<Record<LedgerState, number>> {
  const rows = await whereSearchFinds(
    db
      .selectFrom('order_ledger')
      .select(['state', sql<string>`count(*)`.as('n')])
      .where('connection_id', '=', connectionId),
    search,
  )
    .groupBy('state')
    .execute();
  const counts = Object.fromEntries(LEDGER_STATES.map((s) => [s, 0])) as Record<LedgerState, number>;
  for (const r of rows) counts[r.state] = Number(r.n);
  return counts;
}

/** The cursor, and the moment before which no order is taken in (a store added to the service). */
export async function pollBounds(db: Db, connectionId: string): Promise<{ cursor?: Date; notBefore?: Date }> {
  const row = await db
    .selectFrom('order_poll_cursors')
    .select(['created_from', 'not_before'])
    .where('connection_id', '=', connectionId)
    .executeTakeFirst();
  return { cursor: row?.created_from, notBefore: row?.not_before ?? undefined };
}

/** Polling starts (again) from this moment, taking in orders created since, and none older. */
export async function exportOrdersFrom(db: Db, connectionId: string, from: Date): Promise<void> {
  await db
    .insertInto('order_poll_cursors')
    .values({ connection_id: connectionId, created_from: from, not_before: from })
    .onConflict((oc) =>
      oc
        .column('connection_id')
        .doUpdateSet({ created_from: from, not_before: from, updated_at: new Date() }),
    )
    .execute();
}

export async function savePollCursor(db: Db, connectionId: string, createdFrom: Date): Promise<void> {
  await db
    .insertInto('order_poll_cursors')
    .values({ connection_id: connectionId, created_from: createdFrom, polled_at: new Date() })
    .onConflict((oc) =>
      oc
        .column('connection_id')
        .doUpdateSet({ created_from: createdFrom, updated_at: new Date(), polled_at: new Date() }),
    )
    .execute();
}

export async function sentAmong(db: Db, connectionId: string, orderIds: number[]): Promise<number> {
  if (orderIds.length === 0) return 0;
  const row = await db
    .selectFrom('order_ledger')
    .select(sql<string>`count(*)`.as('n'))
    .where('connection_id', '=', connectionId)
    .where('state', '=', 'sent')
    .where('order_id', 'in', orderIds.map(String))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The orders that wait only because the connection was paused. */
export async function ordersWaitingForResume(db: Db, connectionId: string): Promise<number[]> {
  const rows = await db
    .selectFrom('order_ledger')
    .select('order_id')
    .where('connection_id', '=', connectionId)
    .where('state', '=', 'waiting')
    .where('cause', '=', PAUSED_CAUSE)
    .orderBy('order_id')
    .execute();
  return rows.map((r) => Number(r.order_id));
}
