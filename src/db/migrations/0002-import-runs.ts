import { type Kysely, sql } from 'kysely';

/**
 * Product import runs. The plan is stored action by action before anything is written, so that an
 * interrupted run resumes from its checkpoint; product links remember which codes were imported, so
 * that a code that later vanishes from NetBaron's listing is noticed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('import_runs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('connection_id', 'bigint', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('dry_run', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('forced', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('settings', 'jsonb', (c) => c.notNull())
    .addColumn('counts', 'jsonb', (c) => c.notNull())
    .addColumn('guard', 'jsonb', (c) => c.notNull())
    .addColumn('linked_codes', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('removed_codes', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('summary', 'jsonb')
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('import_runs_connection')
    .on('import_runs')
    .columns(['connection_id', 'id'])
    .execute();

  await db.schema
    .createTable('import_actions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('run_id', 'bigint', (c) => c.notNull().references('import_runs.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('phase', 'smallint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('action', 'jsonb', (c) => c.notNull())
    // pending → in-progress → done | failed; an in-progress action found by a later process is
    // `uncertain`: it is verified against the store before anything is written again.
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('verify', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('result', 'jsonb')
    .addColumn('error', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('import_actions_queue')
    .on('import_actions')
    .columns(['run_id', 'phase', 'status', 'seq'])
    .execute();

  await db.schema
    .createTable('import_problems')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('run_id', 'bigint', (c) => c.notNull().references('import_runs.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('places', 'jsonb')
    .execute();
  await db.schema.createIndex('import_problems_run').on('import_problems').column('run_id').execute();

  await db.schema
    .createTable('product_links')
    .addColumn('connection_id', 'bigint', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('linked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_run_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('product_links_pk', ['connection_id', 'code'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['product_links', 'import_problems', 'import_actions', 'import_runs']) {
    await db.schema.dropTable(table).execute();
  }
}
