import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError } from '../util/config-error.ts';

const KEY_BYTES = 32;
const KEY_FILE = 'encryption.key';
const INVALID_ENV = 'ENCRYPTION_KEY must be 32 bytes as 64 hex characters or base64';

export class EncryptionKeyError extends ConfigError {
  override name = 'EncryptionKeyError';
}

export interface LoadedEncryptionKey {
  key: Buffer;
  source: 'environment' | 'generated' | 'file';
  /** True when the key file was readable by group/other and has just been restricted to its owner. */
  permissionsTightened: boolean;
}

export async function loadEncryptionKey(options: {
  envValue?: string;
  dataDir?: string;
  sharedDatabase: boolean;
  /** Runs when no key file exists, before a new key is made: may warn, or refuse by throwing. */
  beforeNewKey?: (path: string) => Promise<void>;
}): Promise<LoadedEncryptionKey> {
  // Blank counts as unset, matching how the rest of the environment is read.
  if (options.envValue !== undefined && options.envValue.trim() !== '') {
    return { key: parseEnvKey(options.envValue), source: 'environment', permissionsTightened: false };
  }
  if (options.sharedDatabase) {
    // A key generated per process would make each process unable to read what the others encrypted.
    throw new EncryptionKeyError(
      'ENCRYPTION_KEY must be set when DATABASE_URL is used: every process sharing the database must use the ' +
        'same key to read stored credentials. Generate one with `openssl rand -hex 32` and give it to all of them.',
    );
  }
  if (options.dataDir === undefined || options.dataDir === '') {
    throw new EncryptionKeyError('no ENCRYPTION_KEY and no data directory to keep a generated key in');
  }
  return loadOrCreateKeyFile(join(options.dataDir, KEY_FILE), options.dataDir, options.beforeNewKey);
}

/** Parses a key given as 64 hex characters or as base64/base64url of 32 bytes. The value is never echoed. */
export function parseEnvKey(value: string): Buffer {
  const text = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  // Buffer.from skips characters it does not understand, so check the alphabet first or typos pass unnoticed.
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text) || /^[A-Za-z0-9_-]+$/.test(text)) {
    const key = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  throw new EncryptionKeyError(INVALID_ENV);
}

async function loadOrCreateKeyFile(
  path: string,
  dataDir: string,
  beforeNewKey?: (path: string) => Promise<void>,
): Promise<LoadedEncryptionKey> {
  const existing = await readKeyFile(path);
  if (existing) return { ...existing, source: 'file' };
  await beforeNewKey?.(path);

  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(KEY_BYTES);
  let handle: FileHandle;
  try {
    // 'wx' fails if another process created the file first, so two first starts cannot end up with two keys.
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const theirs = await readKeyFile(path, { waitForWriter: true });
    if (!theirs) throw malformedFile(path);
    return { ...theirs, source: 'file' };
  }
  try {
    await handle.writeFile(`${key.toString('hex')}\n`, 'utf8');
    // Losing the key loses every stored credential, so make sure it reached the disk before anything uses it.
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { key, source: 'generated', permissionsTightened: false };
}

async function readKeyFile(
  path: string,
  { waitForWriter = false } = {},
): Promise<{ key: Buffer; permissionsTightened: boolean } | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // A process that just won the 'wx' race may not have written yet; give it a moment before judging the file.
  for (let attempt = 0; waitForWriter && text.trim() === '' && attempt < 50; attempt++) {
    await sleep(20);
    text = await readFile(path, 'utf8');
  }
  const hex = text.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw malformedFile(path);

  let permissionsTightened = false;
  // POSIX modes mean little on Windows, where chmod cannot express "owner only".
  if (process.platform !== 'win32') {
    const { mode } = await stat(path);
    if ((mode & 0o077) !== 0) {
      await chmod(path, 0o600);
      permissionsTightened = true;
    }
  }
  return { key: Buffer.from(hex, 'hex'), permissionsTightened };
}

function malformedFile(path: string): EncryptionKeyError {
  // Deleting the file would orphan any credentials encrypted with it, so do not suggest that casually.
  return new EncryptionKeyError(
    `${path} does not contain a 64-hex-character key; restore it from a backup, or set ENCRYPTION_KEY`,
  );
}
