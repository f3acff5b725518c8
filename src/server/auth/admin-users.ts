import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { generatePassword, hashPassword, verifyPassword } from '../../security/passwords.ts';

export const ADMIN_USER = 'admin';

/**
 * Makes sure the admin can sign in. With ADMIN_PASSWORD the stored password follows the environment;
 * without it, the first start generates one and returns it once, to be shown to the person starting
 * the service (it is stored only as a hash).
 */
export async function ensureAdminPassword(
  db: Kysely<Database>,
  fromEnvironment: string | undefined,
): Promise<{ generated?: string }> {
  const row = await db
    .selectFrom('admin_users')
    .select('password_hash')
    .where('username', '=', ADMIN_USER)
    .executeTakeFirst();
  if (fromEnvironment) {
    if (row && (await verifyPassword(fromEnvironment, row.password_hash))) return {};
    await setAdminPassword(db, fromEnvironment);
    return {};
  }
  if (row) return {};
  const generated = generatePassword();
  await setAdminPassword(db, generated);
  return { generated };
}

export async function setAdminPassword(db: Kysely<Database>, password: string): Promise<void> {
  const hash = await hashPassword(password);
  await db
    .insertInto('admin_users')
    .values({ username: ADMIN_USER, password_hash: hash })
    .onConflict((oc) =>
      oc.column('username').doUpdateSet({ password_hash: hash, password_set_at: new Date() }),
    )
    .execute();
  await db.deleteFrom('admin_sessions').where('username', '=', ADMIN_USER).execute();
}

export async function checkAdminPassword(db: Kysely<Database>, password: string): Promise<boolean> {
  const row = await db
    .selectFrom('admin_users')
    .select('password_hash')
    .where('username', '=', ADMIN_USER)
    .executeTakeFirst();
  // Without a stored user, a hash is still computed so that timing says nothing.
  return verifyPassword(password, row?.password_hash ?? 'scrypt$16384$8$1$AAAA$AAAA');
}
