import type { Kysely } from 'kysely';

/**
 * Why an order waits, as a short code beside the merchant's reason text: the problems inbox groups
 * orders by it (`src/orders/order-cause.ts`). Rows from before keep a null cause and are grouped by
 * their reason text.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('order_ledger').addColumn('cause', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('order_ledger').dropColumn('cause').execute();
}
