import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CliResult } from './import-cli.ts';
import type { TestService } from './service.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join('bin', 'netbaron.js');

/**
 * `netbaron …` as a child process beside an in-process test service: its database and its encryption
 * key (from the service's data folder), as an operator's shell on the same machine has them.
 */
export async function storedCli(t: TestService & { database: { url: string } }) {
  const key = (await readFile(path.join(t.dataDir, 'encryption.key'), 'utf8')).trim();
  return async (args: string[]): Promise<CliResult> => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: t.database.url,
        DATA_DIR: t.dataDir,
        ENCRYPTION_KEY: key,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (exitCode) => resolve(exitCode));
    });
    return { code, stdout, stderr };
  };
}
