import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EncryptionKeyError, loadEncryptionKey } from '../../../src/security/encryption-key.ts';

const posix = process.platform !== 'win32';

describe('encryption key', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'netbaron-key-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  describe('from the environment', () => {
    const raw = randomBytes(32);

    it.each([
      ['hex', raw.toString('hex')],
      ['upper-case hex', raw.toString('hex').toUpperCase()],
      ['base64', raw.toString('base64')],
      ['base64url', raw.toString('base64url')],
      ['hex with a trailing newline', `${raw.toString('hex')}\n`],
    ])('accepts %s', async (_label, envValue) => {
      const loaded = await loadEncryptionKey({ envValue, sharedDatabase: true });
      expect(loaded.source).toBe('environment');
      expect(loaded.key.equals(raw)).toBe(true);
    });

    it.each([
      ['too short hex', randomBytes(16).toString('hex')],
      ['63 hex chars', raw.toString('hex').slice(1)],
      ['base64 of 31 bytes', randomBytes(31).toString('base64')],
      ['base64 of 33 bytes', randomBytes(33).toString('base64')],
      ['a passphrase', 'my secret passphrase that is long enough!!'],
    ])('rejects %s without echoing it', async (_label, envValue) => {
      const attempt = loadEncryptionKey({ envValue, dataDir: root, sharedDatabase: false });
      await expect(attempt).rejects.toThrow(EncryptionKeyError);
      await expect(attempt).rejects.toThrow('ENCRYPTION_KEY must be 32 bytes as 64 hex characters or base64');
      const message = await attempt.catch((error: Error) => error.message);
      expect(message).not.toContain(envValue.trim());
      // A rejected value must not fall back to a generated key.
      await expect(stat(join(root, 'encryption.key'))).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });

  it('refuses to invent a key when the database is shared', async () => {
    const attempt = loadEncryptionKey({ dataDir: root, sharedDatabase: true });
    await expect(attempt).rejects.toThrow(EncryptionKeyError);
    await expect(attempt).rejects.toThrow(/DATABASE_URL.*ENCRYPTION_KEY|ENCRYPTION_KEY.*DATABASE_URL/);
    await expect(attempt).rejects.toThrow('openssl rand -hex 32');
    await expect(stat(join(root, 'encryption.key'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('creates the directory and an owner-only key file, then reads the same key back', async () => {
    const dataDir = join(root, 'nested', 'data');
    const first = await loadEncryptionKey({ dataDir, sharedDatabase: false });
    expect(first.source).toBe('generated');
    expect(first.key).toHaveLength(32);
    const file = join(dataDir, 'encryption.key');
    expect((await readFile(file, 'utf8')).trim()).toBe(first.key.toString('hex'));
    if (posix) expect((await stat(file)).mode & 0o777).toBe(0o600);

    const second = await loadEncryptionKey({ dataDir, sharedDatabase: false });
    expect(second.source).toBe('file');
    expect(second.permissionsTightened).toBe(false);
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('lets racing first starts agree on one key', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => loadEncryptionKey({ dataDir: root, sharedDatabase: false })),
    );
    const keys = new Set(results.map((r) => r.key.toString('hex')));
    expect(keys.size).toBe(1);
    expect(results.filter((r) => r.source === 'generated')).toHaveLength(1);
  });

  it.skipIf(!posix)('tightens a key file that group or others can read', async () => {
    const key = randomBytes(32);
    const file = join(root, 'encryption.key');
    await writeFile(file, `${key.toString('hex')}\n`);
    await chmod(file, 0o644);
    const loaded = await loadEncryptionKey({ dataDir: root, sharedDatabase: false });
    expect(loaded).toMatchObject({ source: 'file', permissionsTightened: true });
    expect(loaded.key.equals(key)).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('refuses a key file that does not hold a key, without overwriting it', async () => {
    const file = join(root, 'encryption.key');
    await writeFile(file, 'not a key\n', { mode: 0o600 });
    const attempt = loadEncryptionKey({ dataDir: root, sharedDatabase: false });
    await expect(attempt).rejects.toThrow(EncryptionKeyError);
    await expect(attempt).rejects.not.toThrow('not a key');
    expect(await readFile(file, 'utf8')).toBe('not a key\n');
  });
});
