import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Credentials at rest: AES-256-GCM over the JSON of a connection's secrets, with the connection's id as
 * additional authenticated data so a blob copied onto another row is refused instead of silently used.
 */

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

const UNREADABLE =
  'stored credentials cannot be decrypted with this ENCRYPTION_KEY (wrong key, or the data was altered)';

const secretsSchema = z.record(z.string(), z.string());

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

export function sealSecrets(key: Buffer, aad: string, secrets: Record<string, string>): string {
  assertKey(key);
  // A fresh IV per seal: GCM loses both confidentiality and integrity if an IV is ever reused under one key.
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [
    VERSION,
    iv.toString('base64url'),
    tag.toString('base64url'),
    ciphertext.toString('base64url'),
  ].join('.');
}

export function openSecrets(key: Buffer, aad: string, sealed: string): Record<string, string> {
  assertKey(key);
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError(UNREADABLE);
  const [, ivText, tagText, ciphertextText] = parts as [string, string, string, string];
  const iv = fromBase64Url(ivText);
  const tag = fromBase64Url(tagText);
  const ciphertext = fromBase64Url(ciphertextText);
  // GCM would accept a truncated tag, which makes forgery cheaper; insist on the full length we write.
  if (!iv || !tag || !ciphertext || iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new SecretBoxError(UNREADABLE);
  }

  let plaintext: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    // The underlying error says nothing useful to an operator and must not be chained into logs.
    throw new SecretBoxError(UNREADABLE);
  }

  let json: unknown;
  try {
    json = JSON.parse(plaintext);
  } catch {
    json = undefined;
  }
  const parsed = secretsSchema.safeParse(json);
  // Authentic but the wrong shape means another writer used our key; never quote the plaintext.
  if (!parsed.success)
    throw new SecretBoxError('stored credentials decrypted but are not a set of named secrets');
  return parsed.data;
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new SecretBoxError(`encryption key must be ${KEY_BYTES} bytes`);
}

function fromBase64Url(text: string): Buffer | undefined {
  // Buffer.from silently skips invalid characters, which would hide tampering behind a later, vaguer failure.
  return /^[A-Za-z0-9_-]*$/.test(text) ? Buffer.from(text, 'base64url') : undefined;
}
