import type { Kysely } from 'kysely';
import type PgBoss from 'pg-boss';
import { retryOrder } from '../db/order-ledger.ts';
import type { LedgerKey } from '../orders/ledger.ts';
import type { Database } from '../db/schema.ts';
import { burstPriority } from './fairness.ts';
import { enqueueExport } from './queue.ts';

/**
 * A person's retry of many orders at once (every waiting order, or one problem group's): each is made
 * due again in the ledger and queued as one burst. Returns how many were actually queued: an order sent
 * meanwhile (by another retry) is not counted, so the page's "N orders were queued again" is true.
 */
export async function requeueOrders(
  boss: PgBoss,
  db: Kysely<Database>,
  connectionId: string,
  orderIds: readonly number[],
  requestedBy: string,
): Promise<number> {
  let queued = 0;
  for (const orderId of orderIds) {
    const key: LedgerKey = { connectionId, orderId };
    const result = await retryOrder(db, key, requestedBy);
    if (result?.outcome !== 'due-again') continue;
    await enqueueExport(boss, key, burstPriority(queued));
    queued += 1;
  }
  return queued;
}
