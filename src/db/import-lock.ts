import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Two imports of one connection must never interleave: a session-level advisory lock, held on one
 * pooled connection for the whole run, makes a second process wait its turn or refuse.
 */
const importLockKey = (slug: string) => sql`hashtextextended(${`product-import:${slug}`}, 0)`;

/** Whether no process holds the import lock of this connection now (so a run marked running is orphaned). */
export async function importLockFree(db: Kysely<Database>, slug: string): Promise<boolean> {
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{
      locked: boolean;
    }>`select pg_try_advisory_lock(${importLockKey(slug)}) as locked`.execute(conn);
    if (rows[0]?.locked) await sql`select pg_advisory_unlock(${importLockKey(slug)})`.execute(conn);
    return Boolean(rows[0]?.locked);
  });
}

export async function withImportLock<T>(
  db: Kysely<Database>,
  slug: string,
  fn: () => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    const key = importLockKey(slug);
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${key}) as locked`.execute(
      conn,
    );
    if (!rows[0]?.locked)
      throw new Error(
        `another product import of connection "${slug}" is running; try again when it has finished`,
      );
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock(${key})`.execute(conn);
    }
  });
}
