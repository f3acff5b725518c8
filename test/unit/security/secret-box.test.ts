import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openSecrets, sealSecrets, SecretBoxError } from '../../../src/security/secret-box.ts';

describe('secret box', () => {
  const key = randomBytes(32);
  const secrets = { apiKey: 'mcf-api-key-123', password: 'hunter2 ä€' };

  it('opens what it sealed', () => {
    const sealed = sealSecrets(key, 'conn-1', secrets);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('hunter2');
    expect(openSecrets(key, 'conn-1', sealed)).toEqual(secrets);
  });

  it('uses a different IV, and so a different blob, on every seal', () => {
    const a = sealSecrets(key, 'conn-1', secrets);
    const b = sealSecrets(key, 'conn-1', secrets);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
    expect(a).not.toBe(b);
  });

  it('refuses a blob moved to another connection', () => {
    const sealed = sealSecrets(key, 'conn-1', secrets);
    expect(() => openSecrets(key, 'conn-2', sealed)).toThrow(SecretBoxError);
  });

  it('refuses the wrong key without revealing key or plaintext', () => {
    const sealed = sealSecrets(key, 'conn-1', secrets);
    const other = randomBytes(32);
    let caught: unknown;
    try {
      openSecrets(other, 'conn-1', sealed);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SecretBoxError);
    const message = (caught as Error).message;
    expect(message).toBe(
      'stored credentials cannot be decrypted with this ENCRYPTION_KEY (wrong key, or the data was altered)',
    );
    for (const leak of [key.toString('hex'), other.toString('hex'), 'hunter2', 'mcf-api-key']) {
      expect(message).not.toContain(leak);
    }
  });

  it('refuses altered ciphertext, tag or IV', () => {
    const sealed = sealSecrets(key, 'conn-1', secrets);
    const parts = sealed.split('.');
    for (const index of [1, 2, 3]) {
      const bytes = Buffer.from(parts[index]!, 'base64url');
      bytes[0] = bytes[0]! ^ 0x01;
      const altered = parts.map((p, i) => (i === index ? bytes.toString('base64url') : p)).join('.');
      expect(() => openSecrets(key, 'conn-1', altered)).toThrow(SecretBoxError);
    }
  });

  it('refuses a truncated tag and malformed text', () => {
    const [v, iv, tag, ct] = sealSecrets(key, 'conn-1', secrets).split('.') as [
      string,
      string,
      string,
      string,
    ];
    const shortTag = Buffer.from(tag, 'base64url').subarray(0, 4).toString('base64url');
    expect(() => openSecrets(key, 'conn-1', [v, iv, shortTag, ct].join('.'))).toThrow(SecretBoxError);
    expect(() => openSecrets(key, 'conn-1', ['v2', iv, tag, ct].join('.'))).toThrow(SecretBoxError);
    expect(() => openSecrets(key, 'conn-1', `${v}.${iv}.${tag}`)).toThrow(SecretBoxError);
    expect(() => openSecrets(key, 'conn-1', [v, iv, tag, `${ct}!`].join('.'))).toThrow(SecretBoxError);
  });

  it('refuses an authentic blob that is not an object of strings', () => {
    const notStrings = sealSecrets(key, 'conn-1', { n: 1 } as unknown as Record<string, string>);
    expect(() => openSecrets(key, 'conn-1', notStrings)).toThrow(SecretBoxError);
    const array = sealSecrets(key, 'conn-1', ['x'] as unknown as Record<string, string>);
    expect(() => openSecrets(key, 'conn-1', array)).toThrow(SecretBoxError);
  });

  it('rejects a key of the wrong size', () => {
    expect(() => sealSecrets(randomBytes(16), 'conn-1', secrets)).toThrow(SecretBoxError);
  });
});
