import { type Kysely, sql } from 'kysely';

/**
 * Notifications: which problem groups were open at the last look (so that a group opening is noticed
 * once, and again after it closed), when each connection's digest last went out, and the outbox of
 * messages with their delivery state. A message's id is its delivery id: the same on every attempt.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notification_groups')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('connection_id', 'bigint', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .execute();
  // One open row per group: a second process that saw the same opening cannot record it again.
  await sql`create unique index notification_groups_open on notification_groups (connection_id, key)
    where closed_at is null`.execute(db);

  await db.schema
    .createTable('notification_state')
    .addColumn('connection_id', 'bigint', (c) =>
      c.primaryKey().references('connections.id').onDelete('cascade'),
    )
    // The connection's local day whose digest moment has passed (sent, or nothing was open).
    .addColumn('digest_on', 'text')
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('connection_id', 'bigint', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    // The exact JSON sent (the webhook's body; the e-mail is written from it).
    .addColumn('body', 'text', (c) => c.notNull())
    // What one message stands for (`digest:<day>`, `opened:<group rows>`): never two of one.
    .addColumn('dedupe_key', 'text')
    // pending → delivered | failed
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('delivered_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('notifications_dedupe')
    .on('notifications')
    .columns(['connection_id', 'channel', 'dedupe_key'])
    .unique()
    .execute();
  await sql`create index notifications_due on notifications (next_attempt_at) where state = 'pending'`.execute(
    db,
  );
  await db.schema
    .createIndex('notifications_recent')
    .on('notifications')
    .columns(['connection_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notifications').execute();
  await db.schema.dropTable('notification_state').execute();
  await db.schema.dropTable('notification_groups').execute();
}
