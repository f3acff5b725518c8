import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/*
 * The password generated at the first start, kept in the data folder until someone signs in with it or
 * `admin-password` replaces it: a person who missed it in the start-up output can still read it (as
 * the service's own user: the file is owner-only, like the database password beside it).
 */

export const initialPasswordFile = (dataDir: string): string =>
  path.join(path.resolve(dataDir), 'initial-admin-password');

export async function keepInitialPassword(dataDir: string, password: string): Promise<string> {
  const file = initialPasswordFile(dataDir);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return file;
}

/** After a sign-in or a new password: the file's password is known to a person, or no longer valid. */
export async function forgetInitialPassword(dataDir: string): Promise<void> {
  await rm(initialPasswordFile(dataDir), { force: true });
}

export const initialPasswordKept = (dataDir: string): boolean => existsSync(initialPasswordFile(dataDir));

/** The generated password framed, so that it stands out after the start-up logs. */
export function framePassword(password: string, file: string): string {
  const lines = [
    `Admin password: ${password}`,
    '',
    'Generated at this first start. Sign in with it and keep it in a safe place;',
    `until then it is also in ${file} (readable by this user only),`,
    'which is deleted at the first sign-in. `npx netbaron admin-password` sets a new one.',
  ];
  const width = Math.max(...lines.map((l) => l.length));
  const rule = `+${'-'.repeat(width + 4)}+`;
  return [rule, ...lines.map((l) => `|  ${l.padEnd(width)}  |`), rule].join('\n');
}
