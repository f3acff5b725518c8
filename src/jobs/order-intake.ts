import { CompiledQuery, type Kysely } from 'kysely';
import type PgBoss from 'pg-boss';
import { receiveOrders } from '../db/order-ledger.ts';
import type { Database } from '../db/schema.ts';
import type { IntakeOptions } from '../orders/webhook-intake.ts';
import { enqueueExports } from './queue.ts';
import { notifyWake } from './wake.ts';

/** pg-boss's statements on one of our transactions (its `db` option). */
export const bossOn = (db: Kysely<Database>): PgBoss.Db => ({
  executeSql: (text, values) => db.executeQuery(CompiledQuery.raw(text, values)),
});

/**
 * The webhook intake's store: a batch's orders in the ledger, their export jobs and the wake-up of every
 * worker process (a NOTIFY, delivered at commit), in one transaction. Either the orders are stored and
 * queued, or the deliveries are answered with an error and MyCashflow delivers them again.
 */
export function ledgerAndQueue(
  db: Kysely<Database>,
  boss: PgBoss,
  priority: (connectionId: string) => number,
): IntakeOptions['store'] {
  return (deliveries, exports) =>
    db.transaction().execute(async (tx) => {
      const isNew = await receiveOrders(tx, deliveries, 'webhook');
      await enqueueExports(
        boss,
        exports.map((o) => ({ ...o, priority: priority(o.connectionId) })),
        bossOn(tx),
      );
      await notifyWake(tx);
      return isNew;
    });
}
