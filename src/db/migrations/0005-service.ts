import { type Kysely, sql } from 'kysely';

/**
 * The service: credentials sealed per connection, the schedule's last firing, the admin's password and
 * sessions (in the database, so that several web processes share them), and which job started a run.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('connections')
    .addColumn('secrets', 'text')
    .addColumn('schedule_fired_at', 'timestamptz')
    .execute();
  await db.schema
    .alterTable('import_runs')
    .addColumn('trigger', 'text', (c) => c.notNull().defaultTo('cli'))
    .addColumn('job_id', 'text')
    .execute();
  await db.schema.createIndex('import_runs_job').on('import_runs').column('job_id').execute();
  await db.schema
    .createTable('admin_users')
    .addColumn('username', 'text', (c) => c.primaryKey())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('password_set_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('admin_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().references('admin_users.username').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('admin_sessions').execute();
  await db.schema.dropTable('admin_users').execute();
  await db.schema.dropIndex('import_runs_job').execute();
  await db.schema.alterTable('import_runs').dropColumn('trigger').dropColumn('job_id').execute();
  await db.schema.alterTable('connections').dropColumn('secrets').dropColumn('schedule_fired_at').execute();
}
