import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/util/config-error.ts';
import { ConnectionStore } from '../../../src/connections/connection-store.ts';
import { createKysely } from '../../../src/db/database.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { EncryptionKeyError } from '../../../src/security/encryption-key.ts';
import { startService, type ServiceEnv } from '../../../src/server/service.ts';
import { ADMIN_PASSWORD, connectionFileFor, startStoreSims } from '../../helpers/service.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-database.ts';

/*
 * What the service says and refuses as it starts: /metrics closed beyond this machine without a token,
 * cookies without Secure behind a proxy, a missing key file beside a used database, and the variables
 * named when the address or the database is wrong. Each start is the real service on a real database.
 */

const testDb = await createTestDatabase();
const folders: string[] = [];
afterAll(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'nb-startup-'));
  folders.push(dir);
  return dir;
}

async function start(env: Partial<ServiceEnv>, database: TestDatabase = testDb, dir?: string) {
  const logs: string[] = [];
  const db = createKysely(database.url, 8);
  try {
    const service = await startService({
      env: {
        DATA_DIR: dir ?? (await dataDir()),
        PORT: 0,
        HOST: '127.0.0.1',
        ADMIN_PASSWORD,
        COOKIE_SECURE: 'auto',
        TRUST_PROXY: 0,
        ...env,
      },
      logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
      database: { db, mode: 'shared', url: database.url, appliedMigrations: [], close: () => db.destroy() },
    });
    return { service, logs, stop: () => service.stop().then(() => db.destroy()) };
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

const warningsIn = (logs: string[]): string[] =>
  logs
    .map((l) => JSON.parse(l) as { level: string; msg: string })
    .filter((l) => l.level !== 'info' && l.level !== 'debug')
    .map((l) => l.msg);

describe('start-up checks', () => {
  it('closes /metrics beyond this machine without a token and warns of cookies without Secure behind a proxy', async () => {
    const { service, logs, stop } = await start({ HOST: '0.0.0.0', TRUST_PROXY: 1 });
    try {
      const metrics = await fetch(`${service.url}/metrics`);
      expect(metrics.status).toBe(403);
      expect(await metrics.text()).toMatch(/set METRICS_TOKEN and send it as a bearer token/);
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
      const warnings = warningsIn(logs);
      expect(warnings.some((w) => /\/metrics is refused: HOST=0\.0\.0\.0 .*Set METRICS_TOKEN/.test(w))).toBe(
        true,
      );
      expect(
        warnings.some((w) =>
          /TRUST_PROXY is set but PUBLIC_URL is not an https address: .*without Secure/.test(w),
        ),
      ).toBe(true);
      expect(service.warnings).toHaveLength(2);
    } finally {
      await stop();
    }
  });

  it('serves /metrics with METRICS_TOKEN only to its bearer, and warns of a new key beside a used database', async () => {
    const token = randomBytes(16).toString('hex');
    const { service, logs, stop } = await start({
      HOST: '0.0.0.0',
      METRICS_TOKEN: token,
      PUBLIC_URL: 'https://connector.example.fi',
    });
    try {
      expect((await fetch(`${service.url}/metrics`)).status).toBe(401);
      const answer = await fetch(`${service.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
      expect(answer.status).toBe(200);
      expect(await answer.text()).toContain('# HELP');
      // The first start made the admin user in this database: this data folder's key is new beside it.
      const warnings = warningsIn(logs);
      expect(
        warnings.some((w) =>
          /encryption\.key was missing beside a database used before: a new key is made now/.test(w),
        ),
      ).toBe(true);
      expect(warnings.some((w) => /metrics|TRUST_PROXY/.test(w))).toBe(false);
      expect(logs.join('\n')).not.toContain(token);
    } finally {
      await stop();
    }
  });

  it('on this machine only, /metrics needs no token and nothing is warned of', async () => {
    const fresh = await createTestDatabase();
    const { service, logs, stop } = await start({}, fresh);
    try {
      expect((await fetch(`${service.url}/metrics`)).status).toBe(200);
      expect(warningsIn(logs)).toEqual([]);
      expect(service.warnings).toEqual([]);
    } finally {
      await stop();
    }
  });

  it('refuses to make a new key when stored credentials were sealed with the missing one', async () => {
    const sims = await startStoreSims();
    const sealed = await createTestDatabase();
    await new ConnectionStore(sealed.db, randomBytes(32)).upsertFromFile(connectionFileFor(sims, 'alpha'));
    const dir = await dataDir();
    const refusal = start({}, sealed, dir);
    await expect(refusal).rejects.toThrow(EncryptionKeyError);
    await expect(refusal).rejects.toThrow(
      /encryption\.key is missing, but 1 stored connection\(s\) hold credentials sealed with it: .*Restore the file from a backup/,
    );
  });

  it('names HOST, PORT and DATABASE_URL when they cannot be used, without the password', async () => {
    await expect(start({ HOST: '192.0.2.1' })).rejects.toThrow(
      /cannot listen on HOST=192\.0\.2\.1 PORT=0: HOST=192\.0\.2\.1 is not an address of this machine/,
    );
    const password = 'pw-Never-Shown-42';
    let message = '';
    try {
      await startService({
        env: {
          DATABASE_URL: `postgres://connector:${password}@127.0.0.1:1/netbaron`,
          DATA_DIR: await dataDir(),
          PORT: 0,
          HOST: '127.0.0.1',
          COOKIE_SECURE: 'auto',
          TRUST_PROXY: 0,
        },
        logger: createLogger({ write: () => undefined }),
      });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toMatch(
      /^DATABASE_URL: cannot use the database at 127\.0\.0\.1:1\/netbaron \(.+\); check DATABASE_URL/,
    );
    expect(message).not.toContain(password);
  });
});
