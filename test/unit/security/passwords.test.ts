import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, verifyPassword } from '../../../src/security/passwords.ts';

describe('passwords', () => {
  it('hashes with scrypt in the documented format and verifies', async () => {
    const stored = await hashPassword('correct horse');
    const match = /^scrypt\$16384\$8\$1\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
    expect(match).not.toBeNull();
    expect(Buffer.from(match![1]!, 'base64')).toHaveLength(16);
    expect(Buffer.from(match![2]!, 'base64')).toHaveLength(32);
    expect(stored).not.toContain('correct horse');
    await expect(verifyPassword('correct horse', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse ', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('treats the same text in different Unicode forms as the same password', async () => {
    const stored = await hashPassword('p\u00e4ss');
    await expect(verifyPassword('pa\u0308ss', stored)).resolves.toBe(true);
  });

  it('returns false, never throws, for malformed stored text', async () => {
    const stored = await hashPassword('pw');
    const [, n, r, p, salt, hash] = stored.split('$') as string[];
    const malformed = [
      '',
      'plain-text-password',
      `bcrypt$${n}$${r}$${p}$${salt}$${hash}`,
      `scrypt$${n}$${r}$${p}$${salt}`,
      `scrypt$abc$${r}$${p}$${salt}$${hash}`,
      `scrypt$1000$${r}$${p}$${salt}$${hash}`, // N not a power of two
      `scrypt$${2 ** 24}$${r}$${p}$${salt}$${hash}`, // would need gigabytes
      `scrypt$${n}$${r}$${p}$${salt}$!!!`,
      `scrypt$${n}$${r}$${p}$${salt}$${Buffer.alloc(4).toString('base64')}`,
      `scrypt$${n}$${r}$${p}$${salt}$${hash}$extra`,
    ];
    for (const text of malformed) await expect(verifyPassword('pw', text)).resolves.toBe(false);
  });

  it('generates readable passwords without look-alike characters', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const password = generatePassword();
      expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
      expect(password).not.toMatch(/[0O1lI]/);
      seen.add(password);
    }
    expect(seen.size).toBe(200);
  });
});
