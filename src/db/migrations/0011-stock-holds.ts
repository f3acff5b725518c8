import { type Kysely, sql } from 'kysely';

/**
 * Returns never overwritten unseen: a code whose store stock carries returns NetBaron does not yet have
 * is held (the import writes none of its stock) until NetBaron's balance equals the store's or a person
 * chooses to overwrite it. A hold outlives the import that found it, so it is stored; `counted_until`
 * is the instant up to which its returns were counted (the next import adds only later ones). A run
 * remembers when it began reading, the boundary from which the next import counts returns.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stock_holds')
    .addColumn('connection_id', 'bigint', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('returned', 'integer', (c) => c.notNull())
    .addColumn('store_quantity', 'integer', (c) => c.notNull())
    .addColumn('netbaron_quantity', 'integer', (c) => c.notNull())
    .addColumn('held_since', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('counted_until', 'timestamptz', (c) => c.notNull())
    .addColumn('last_run_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('stock_holds_pk', ['connection_id', 'code'])
    .execute();
  await db.schema.alterTable('import_runs').addColumn('read_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('import_runs').dropColumn('read_at').execute();
  await db.schema.dropTable('stock_holds').execute();
}
