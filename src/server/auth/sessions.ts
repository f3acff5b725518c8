import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { randomToken, sha256Hex } from '../../security/tokens.ts';

export interface Session {
  username: string;
  csrfToken: string;
  expiresAt: Date;
}

export const SESSION_COOKIE = 'nb_session';
/** Double-submit token of the sign-in form, before any session exists. */
export const SIGN_IN_CSRF_COOKIE = 'nb_signin_csrf';

/**
 * Sessions in the database (so several web processes share them), stored by the hash of the cookie's
 * value: reading the table does not give anyone a session.
 */
export class SessionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly ttlHours = 12,
  ) {}

  async create(username: string): Promise<{ token: string; session: Session }> {
    const token = randomToken();
    const session = {
      username,
      csrfToken: randomToken(),
      expiresAt: new Date(Date.now() + this.ttlHours * 3600_000),
    };
    await this.db
      .insertInto('admin_sessions')
      .values({
        id_hash: sha256Hex(token),
        username,
        csrf_token: session.csrfToken,
        expires_at: session.expiresAt,
      })
      .execute();
    // Expired sessions are swept when a new one begins: sign-ins are rare, so this costs nothing.
    await this.db.deleteFrom('admin_sessions').where('expires_at', '<', new Date()).execute();
    return { token, session };
  }

  async find(token: string | undefined): Promise<Session | undefined> {
    if (!token || token.length > 200) return undefined;
    const row = await this.db
      .selectFrom('admin_sessions')
      .select(['username', 'csrf_token', 'expires_at'])
      .where('id_hash', '=', sha256Hex(token))
      .where('expires_at', '>', new Date())
      .executeTakeFirst();
    return row && { username: row.username, csrfToken: row.csrf_token, expiresAt: row.expires_at };
  }

  async destroy(token: string | undefined): Promise<void> {
    if (!token) return;
    await this.db.deleteFrom('admin_sessions').where('id_hash', '=', sha256Hex(token)).execute();
  }

  /** Signs every session out (a new password). */
  async destroyAll(username: string): Promise<void> {
    await this.db.deleteFrom('admin_sessions').where('username', '=', username).execute();
  }
}

export function cookie(
  name: string,
  value: string,
  options: { secure: boolean; maxAgeSeconds?: number },
): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (options.secure) parts.push('Secure');
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  return parts.join('; ');
}
