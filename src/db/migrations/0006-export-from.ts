import type { Kysely } from 'kysely';

/** Orders created before this moment are never taken in by polling (a store added to the service). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('order_poll_cursors').addColumn('not_before', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('order_poll_cursors').dropColumn('not_before').execute();
}
