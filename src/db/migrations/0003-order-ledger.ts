import { type Kysely, sql } from 'kysely';

/**
 * The order ledger: one row per store order and connection, written when the order is first seen and
 * before anything is sent, so that no order is lost between intake and NetBaron, and none is sent twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('order_ledger')
    .addColumn('connection_id', 'bigint', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('order_id', 'bigint', (c) => c.notNull())
    // received → sending → sent | waiting | outcome-unknown
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('order', 'jsonb', (c) => c.notNull())
    .addColumn('order_created_at', 'timestamptz')
    .addColumn('reason', 'text')
    .addColumn('sent_document', 'text')
    .addColumn('sales_order_number', 'text')
    .addColumn('netbaron_answer', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sending_since', 'timestamptz')
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('order_ledger_pk', ['connection_id', 'order_id'])
    .execute();
  await db.schema
    .createIndex('order_ledger_state')
    .on('order_ledger')
    .columns(['connection_id', 'state'])
    .execute();

  await db.schema
    .createTable('order_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('connection_id', 'bigint', (c) => c.notNull())
    .addColumn('order_id', 'bigint', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();
  await db.schema
    .createIndex('order_events_order')
    .on('order_events')
    .columns(['connection_id', 'order_id', 'id'])
    .execute();

  await db.schema
    .createTable('order_poll_cursors')
    .addColumn('connection_id', 'bigint', (c) =>
      c.primaryKey().references('connections.id').onDelete('cascade'),
    )
    .addColumn('created_from', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['order_poll_cursors', 'order_events', 'order_ledger'])
    await db.schema.dropTable(table).execute();
}
