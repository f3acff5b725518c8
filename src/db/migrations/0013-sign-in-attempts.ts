import { type Kysely, sql } from 'kysely';

/**
 * Sign-in attempts per address, counted in the database before the password is checked, so that the
 * limit holds however many requests arrive at once and across every web process on one database. A row
 * is one address's current window; the address `*` counts every address together (it only slows checks
 * down, it never refuses). Rows of ended windows are deleted as sign-ins come.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sign_in_attempts')
    .addColumn('address', 'text', (c) => c.primaryKey())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sign_in_attempts').execute();
}
