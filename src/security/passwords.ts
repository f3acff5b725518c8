import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

// Limits on what a stored hash may ask for, so a corrupted or hostile row cannot make verification hog memory.
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 16;

// No 0/O, 1/l/I: people copy these passwords from a screen or read them aloud.
const ALPHABET = 'abcdefghijkmnopqrstuvwxyz23456789';

function derive(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // NFC so the same password typed on different keyboards/OSes produces the same bytes.
    scrypt(password.normalize('NFC'), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function maxmemFor(n: number, r: number): number {
  // scrypt needs about 128·N·r bytes; Node's default ceiling (32 MiB) would refuse larger stored parameters.
  return 128 * n * r * 2 + 1024 * 1024;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, KEY_BYTES, { N, r: R, p: P, maxmem: maxmemFor(N, R) });
  // Parameters travel with the hash so they can be raised later without invalidating existing passwords.
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

let verifications = 0;

/** How many passwords this process has checked against a hash: the sign-in limit's tests count them. */
export const passwordVerifications = (): number => verifications;

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  verifications += 1;
  const parsed = parseStored(stored);
  if (!parsed) return false;
  try {
    const candidate = await derive(password, parsed.salt, parsed.hash.length, {
      N: parsed.n,
      r: parsed.r,
      p: parsed.p,
      maxmem: maxmemFor(parsed.n, parsed.r),
    });
    return timingSafeEqual(candidate, parsed.hash);
  } catch {
    return false;
  }
}

function parseStored(
  stored: string,
): { n: number; r: number; p: number; salt: Buffer; hash: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [, nText, rText, pText, saltText, hashText] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const n = strictInt(nText);
  const r = strictInt(rText);
  const p = strictInt(pText);
  if (n === undefined || r === undefined || p === undefined) return undefined;
  if (n < 2 || n > MAX_N || (n & (n - 1)) !== 0 || r < 1 || r > MAX_R || p < 1 || p > MAX_P) return undefined;
  const salt = strictBase64(saltText);
  const hash = strictBase64(hashText);
  // A short hash would make a match trivially likely; refuse rather than compare.
  if (!salt || !hash || salt.length < 8 || hash.length < 16) return undefined;
  return { n, r, p, salt, hash };
}

function strictInt(text: string): number | undefined {
  return /^[1-9][0-9]{0,8}$/.test(text) ? Number(text) : undefined;
}

function strictBase64(text: string): Buffer | undefined {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? Buffer.from(text, 'base64') : undefined;
}

/** Four groups of five, e.g. `k7mqa-x3ruw-...`: about 100 bits, yet easy to type from a printout. */
export function generatePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let group = '';
    for (let i = 0; i < 5; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}
