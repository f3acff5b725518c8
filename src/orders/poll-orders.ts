import type { MyCashflowClient } from '../mycashflow/client.ts';
import { formatStoreTimestamp } from '../mycashflow/timestamps.ts';
import type { OrderLedger } from './ledger.ts';

/** What the mapping needs from an order; the same expands the webhook subscription asks for. */
export const ORDER_EXPANDS = ['products', 'tax_summary', 'payments'];

export interface PollResult {
  seen: number;
  newlyReceived: number;
  from: string;
  /** Orders the ledger already had. */
  seenAgain: number[];
}

/**
 * Reads orders created since the stored cursor, minus an overlap window (an order's `created_at` may be
 * earlier than orders already seen when it commits late), into the ledger. An order seen again changes
 * nothing, so the overlap costs only reads. The cursor moves to the newest `created_at` seen.
 */
export async function pollOrders(
  ledger: Pick<OrderLedger, 'pollBounds' | 'receiveOrder' | 'savePollCursor'>,
  connectionId: string,
  mcf: Pick<MyCashflowClient, 'orderPages'>,
  options: { since?: Date; overlapMinutes?: number; firstPollHours?: number } = {},
): Promise<PollResult> {
  const bounds = await ledger.pollBounds(connectionId);
  const cursor =
    options.since ?? bounds.cursor ?? new Date(Date.now() - (options.firstPollHours ?? 24) * 3_600_000);
  // An explicit --since reaches as far back as asked; otherwise nothing older than the store's start.
  const notBefore = options.since ? undefined : bounds.notBefore;
  const from = new Date(cursor.getTime() - (options.since ? 0 : (options.overlapMinutes ?? 10) * 60_000));
  let newest = cursor;
  let seen = 0;
  let newlyReceived = 0;
  const seenAgain: number[] = [];
  for await (const page of mcf.orderPages({
    expand: ORDER_EXPANDS,
    query: { 'created_at-from': formatStoreTimestamp(from), sort: 'id-asc' },
  })) {
    for (const [i, order] of page.items.entries()) {
      if (notBefore && new Date(order.created_at) < notBefore) continue;
      seen += 1;
      const key = { connectionId, orderId: order.id };
      if (await ledger.receiveOrder(key, page.raw[i], order.created_at, 'poll')) newlyReceived += 1;
      else seenAgain.push(order.id);
      const created = new Date(order.created_at);
      if (created > newest) newest = created;
    }
  }
  await ledger.savePollCursor(connectionId, newest);
  return { seen, newlyReceived, from: from.toISOString(), seenAgain };
}
