import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { randomToken, sameToken, sha256Hex } from '../../../src/security/tokens.ts';

describe('tokens', () => {
  it('makes base64url tokens of the requested strength, different each time', () => {
    const a = randomToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(randomToken()).not.toBe(a);
    expect(Buffer.from(randomToken(16), 'base64url')).toHaveLength(16);
  });

  it('compares tokens', () => {
    const t = randomToken();
    expect(sameToken(t, `${t}`)).toBe(true);
    expect(sameToken(t, randomToken())).toBe(false);
    expect(sameToken(t, t.slice(0, -1))).toBe(false);
    expect(sameToken(t, `${t}x`)).toBe(false);
    expect(sameToken(undefined, t)).toBe(false);
    expect(sameToken(t, undefined)).toBe(false);
    expect(sameToken(undefined, undefined)).toBe(false);
    expect(sameToken('', '')).toBe(false);
  });

  it('hashes with SHA-256 as hex', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('ä')).toBe(createHash('sha256').update(Buffer.from('ä', 'utf8')).digest('hex'));
  });
});
