import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export const PAUSED_CAUSE = 'paused';

/**
 * Whether a person paused the connection. Read at each send and each import start rather than cached, so
 * a pause takes effect in every process at once.
 */
export async function isPaused(db: Kysely<Database>, connectionId: string): Promise<boolean> {
  const row = await db
    .selectFrom('connections')
    .select('paused_at')
    .where('id', '=', connectionId)
    .executeTakeFirst();
  return Boolean(row?.paused_at);
}

/** The orders that wait only because the connection was paused. */
export async function ordersWaitingForResume(db: Kysely<Database>, connectionId: string): Promise<number[]> {
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
