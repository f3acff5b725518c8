import { sql, type Kysely } from 'kysely';
import { isIP } from 'node:net';
import type { Env } from '../config/env.ts';
import { ConfigError } from '../util/config-error.ts';
import type { Database } from '../db/schema.ts';
import { EncryptionKeyError } from '../security/encryption-key.ts';

/*
 * What the service checks as it starts, beyond the environment's own validation: settings that work
 * but leave a door open (said as warnings), and a start that would lose stored credentials (refused).
 */

/** Whether the service listens on this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** `/metrics` without a token is for this machine only; elsewhere it answers only with METRICS_TOKEN. */
export const metricsNeedToken = (env: Pick<Env, 'HOST' | 'METRICS_TOKEN'>): boolean =>
  !env.METRICS_TOKEN && !isLoopbackHost(env.HOST);

/** Warnings about the environment, each saying what to set. */
export function startupWarnings(
  env: Pick<Env, 'HOST' | 'METRICS_TOKEN' | 'TRUST_PROXY' | 'PUBLIC_URL' | 'COOKIE_SECURE'>,
): string[] {
  const warnings: string[] = [];
  if (metricsNeedToken(env))
    warnings.push(
      `/metrics is refused: HOST=${env.HOST} listens beyond this machine and METRICS_TOKEN is not set. ` +
        'Set METRICS_TOKEN (16 characters or more, such as the output of `openssl rand -hex 24`) and give it to Prometheus as its bearer token.',
    );
  if (env.TRUST_PROXY > 0 && env.COOKIE_SECURE === 'auto' && !env.PUBLIC_URL?.startsWith('https:'))
    warnings.push(
      'TRUST_PROXY is set but PUBLIC_URL is not an https address: sign-in cookies are sent without Secure, even when the proxy serves https. ' +
        'Set PUBLIC_URL to the https address the service is reached at (or COOKIE_SECURE=true).',
    );
  return warnings;
}

/**
 * Before a new encryption key is made beside a database that was used before: stored credentials the
 * new key could not open stop the start (the old key is wanted, not a new one); a database with no
 * credentials yet only earns a warning, since a lost key file costs nothing there.
 */
export async function checkBeforeNewKey(
  db: Kysely<Database>,
  keyPath: string,
  warn: (message: string) => void,
): Promise<void> {
  const [sealed, admins] = await Promise.all([
    db
      .selectFrom('connections')
      .select(sql<string>`count(*)`.as('n'))
      .where('secrets', 'is not', null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('admin_users')
      .select(sql<string>`count(*)`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  if (Number(sealed.n) > 0)
    throw new EncryptionKeyError(
      `${keyPath} is missing, but ${sealed.n} stored connection(s) hold credentials sealed with it: a new key could not open them. ` +
        'Restore the file from a backup (or set ENCRYPTION_KEY to the key), then start again. ' +
        'If the key is lost for good, write a new one with `openssl rand -hex 32 > ' +
        keyPath +
        "` (mode 0600) and type each connection's credentials again on its settings page.",
    );
  if (Number(admins.n) > 0)
    warn(
      `${keyPath} was missing beside a database used before: a new key is made now. If this data folder had a key, ` +
        'restore it from a backup before saving credentials, or they are sealed with the new one.',
    );
}

/** A listen failure in the words of the variables that cause it. */
export function listenError(err: NodeJS.ErrnoException, env: Pick<Env, 'HOST' | 'PORT'>): Error {
  const what: Record<string, string> = {
    EADDRINUSE: `PORT=${env.PORT} is in use by another process: stop it or set PORT to a free port`,
    EACCES: `PORT=${env.PORT} needs privileges on this machine: set PORT to 1024 or more`,
    EADDRNOTAVAIL: `HOST=${env.HOST} is not an address of this machine: set HOST to 127.0.0.1, 0.0.0.0 or one of its addresses`,
    ENOTFOUND: `HOST=${env.HOST} is not a known address: set HOST to 127.0.0.1, 0.0.0.0 or one of this machine's addresses`,
  };
  return new ConfigError(
    `cannot listen on HOST=${env.HOST} PORT=${env.PORT}: ${what[err.code ?? ''] ?? err.message}`,
  );
}

/** A database server that cannot be reached, named by its variable and host; never with its password. */
export function databaseUrlError(err: unknown, databaseUrl: string): Error {
  let where = 'the server';
  let password = '';
  try {
    const url = new URL(databaseUrl);
    where = `${url.hostname}:${url.port || 5432}${url.pathname}`;
    password = decodeURIComponent(url.password);
  } catch {
    // Validated at start; a URL that still does not parse is named without its text.
  }
  const e = err as NodeJS.ErrnoException;
  const text = e.message || e.code || 'no answer';
  const reason = password ? text.split(password).join('[redacted]') : text;
  return new ConfigError(
    `DATABASE_URL: cannot use the database at ${where} (${reason}); check DATABASE_URL (host, port, user, password, database) and that the server runs`,
  );
}
