import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runNetbaron, type CliResult } from './import-cli.ts';
import type { TestService } from './service.ts';

/**
 * `netbaron …` as a child process beside an in-process test service: its database and its encryption
 * key (from the service's data folder), as an operator's shell on the same machine has them.
 */
export async function storedCli(t: TestService & { database: { url: string } }) {
  const key = (await readFile(path.join(t.dataDir, 'encryption.key'), 'utf8')).trim();
  return (args: string[]): Promise<CliResult> =>
    runNetbaron(args, {
      ...process.env,
      DATABASE_URL: t.database.url,
      DATA_DIR: t.dataDir,
      ENCRYPTION_KEY: key,
      LOG_LEVEL: 'warn',
    });
}
