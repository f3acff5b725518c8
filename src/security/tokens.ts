import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Compares secrets without an early exit, so response timing does not reveal how much of a guess was right.
 * Only the length can leak, which for fixed-size random tokens tells an attacker nothing.
 */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  // Empty counts as missing: two unset values (say, no cookie and no stored token) must never match.
  if (a === undefined || b === undefined || a === '' || b === '') return false;
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

/** Session tokens are stored hashed so a leaked database row cannot be replayed as a cookie. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
