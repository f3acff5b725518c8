import { type Kysely, sql } from 'kysely';

/**
 * What a person can do with a run: retry only its failed codes (a retry run remembers the run it mends
 * and the codes it was limited to), and cancel a run from the admin page while any process runs it (a
 * request keyed by the job, since a run's row exists only once its plan is stored).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('import_runs')
    .addColumn('retry_of', 'bigint')
    .addColumn('scope', 'jsonb')
    .execute();
  await db.schema
    .createTable('import_cancel_requests')
    .addColumn('job_id', 'text', (c) => c.primaryKey())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('import_cancel_requests').execute();
  await db.schema.alterTable('import_runs').dropColumn('retry_of').dropColumn('scope').execute();
}
