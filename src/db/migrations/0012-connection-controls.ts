import { type Kysely, sql } from 'kysely';

/**
 * Connection controls and the service's own state. `origin`: `stored` is a connection the service keeps
 * (admin app, `connections add`); `file` is only the history of a connection file used on the command
 * line, which the service neither schedules nor lists. `paused_at`: no import runs and no order is sent
 * while set; orders are still taken in. `archived_at`: removed by a person, its runs and ledger kept
 * readable. `polled_at`: the last poll of the store's orders that finished.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('connections')
    .addColumn('origin', 'text', (c) => c.notNull().defaultTo('stored'))
    .addColumn('paused_at', 'timestamptz')
    .addColumn('archived_at', 'timestamptz')
    .execute();
  // Rows the command line made before this column: no credentials and settings never saved.
  await sql`update connections set origin = 'file' where secrets is null and settings = '{}'::jsonb`.execute(
    db,
  );
  await db.schema.alterTable('order_poll_cursors').addColumn('polled_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('order_poll_cursors').dropColumn('polled_at').execute();
  await db.schema
    .alterTable('connections')
    .dropColumn('origin')
    .dropColumn('paused_at')
    .dropColumn('archived_at')
    .execute();
}
