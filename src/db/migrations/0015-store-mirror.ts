import { type Kysely, sql } from 'kysely';

/**
 * The store's catalog as the last reading left it, so that an import reads only what changed since
 * (`src/catalog/store-mirror.ts`). `store_mirror` holds the cursors and why the mirror is in doubt;
 * products are kept as the planner reads them, stock by stock item (what `/stock-changes` names), and
 * the return entries of the stock changes read, from which the import counts returns.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('store_mirror')
    .addColumn('connection_id', 'bigint', (c) =>
      c.primaryKey().references('connections.id').onDelete('cascade'),
    )
    .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('store_address', 'text')
    .addColumn('full_read_at', 'timestamptz')
    .addColumn('products_from', 'timestamptz')
    .addColumn('stock_change_id', 'bigint')
    .addColumn('stock_change_at', 'timestamptz')
    .addColumn('stock_read_at', 'timestamptz')
    .addColumn('returns_from', 'timestamptz')
    .addColumn('doubt', 'text')
    .addColumn('product_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unreadable', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await db.schema
    .createTable('store_mirror_products')
    .addColumn('connection_id', 'bigint', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('product_id', 'bigint', (c) => c.notNull())
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('doc', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('store_mirror_products_pk', ['connection_id', 'product_id'])
    .execute();
  await db.schema
    .createTable('store_mirror_stock')
    .addColumn('connection_id', 'bigint', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('stock_item_id', 'bigint', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('store_mirror_stock_pk', ['connection_id', 'stock_item_id'])
    .execute();
  await db.schema
    .createTable('store_mirror_returns')
    .addColumn('connection_id', 'bigint', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('change_id', 'bigint', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('entry', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('store_mirror_returns_pk', ['connection_id', 'change_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['store_mirror_returns', 'store_mirror_stock', 'store_mirror_products', 'store_mirror'])
    await db.schema.dropTable(table).execute();
}
