import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

type Db = Kysely<Database>;

/**
 * The id of the connection with this slug, for the history of a connection file's runs. A new one is
 * added as a file-only row (`origin = 'file'`), which the service neither lists nor schedules; an
 * existing one, stored by the service or not, is left as it is and its history used.
 */
export async function ensureConnection(db: Db, slug: string, name: string): Promise<string> {
  const inserted = await db
    .insertInto('connections')
    .values({ slug, name, origin: 'file' })
    .onConflict((oc) => oc.column('slug').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return inserted.id;
  const row = await db
    .selectFrom('connections')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Whether a person paused the connection. Read at each send and each import start rather than cached, so
 * a pause takes effect in every process at once.
 */
export async function isPaused(db: Db, connectionId: string): Promise<boolean> {
  const row = await db
    .selectFrom('connections')
    .select('paused_at')
    .where('id', '=', connectionId)
    .executeTakeFirst();
  return Boolean(row?.paused_at);
}
