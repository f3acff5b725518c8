import type { Command } from 'commander';
import type { ConnectionFile } from '../config/connection-file.ts';
import { readConnectionFile } from '../config/connection-file.ts';
import { readEnv } from '../config/env.ts';
import { openDatabase, type OpenDatabase } from '../db/database.ts';
import type { MyCashflowClient } from '../mycashflow/client.ts';
import type { NetBaronClient } from '../netbaron/client.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import { clientsFor } from '../connections/clients.ts';
import { openConnectionStore } from './connection-store-cli.ts';

export interface CommandContext {
  connection: ConnectionFile;
  database: OpenDatabase;
  logger: Logger;
  mcf: MyCashflowClient;
  nb: NetBaronClient;
}

/** Where a per-connection command finds its connection: a connection file, or one the service stores. */
export type ConnectionSource = { config: string } | { connection: string };

export interface ConnectionOptions {
  config?: string;
  connection?: string;
}

/** `--config <file>` and `--connection <id>`, of which a per-connection command takes exactly one. */
export function addConnectionOptions(command: Command): Command {
  return command
    .option('--config <file>', 'a connection file')
    .option('--connection <id>', 'a connection the service stores (see `netbaron connections list`)');
}

/** The one source the options name; anything else is a usage error (exit 64). */
export function connectionSource(opts: ConnectionOptions, command: Command): ConnectionSource {
  if (opts.config !== undefined && opts.connection !== undefined)
    command.error('error: give either --config <file> or --connection <id>, not both', { exitCode: 64 });
  if (opts.config !== undefined) return { config: opts.config };
  if (opts.connection !== undefined) return { connection: opts.connection };
  return command.error(
    'error: name the connection: --connection <id> (a stored one, see `netbaron connections list`) or --config <file>',
    { exitCode: 64 },
  );
}

/**
 * What every per-connection command does first and last: find the connection, open the database, close
 * it. A stored connection's credentials are unsealed with the service's key, as the service does. A
 * command that writes (`writes`) refuses a paused connection: a pause stops imports and order sending
 * from every side, this one included.
 */
export async function withConnection<T>(
  source: ConnectionSource,
  fn: (ctx: CommandContext) => Promise<T>,
  options: { writes?: boolean } = {},
): Promise<T> {
  const env = readEnv();
  const logger = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  if ('config' in source) {
    const connection = await readConnectionFile(source.config);
    const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
    try {
      return await fn({ connection, database, logger, ...clientsFor(connection, logger) });
    } finally {
      await database.close();
    }
  }
  const { store, database } = await openConnectionStore(env);
  try {
    const id = source.connection;
    const assembled = await store.assembleBySlug(id);
    if (!assembled)
      throw new Error(
        `there is no stored connection "${id}"; \`netbaron connections list\` shows the stored ones`,
      );
    if (!assembled.ok)
      throw new Error(
        `connection "${id}" is not ready: set ${assembled.missing.join(', ')} in its settings (admin page)`,
      );
    if (options.writes && assembled.record.pausedAt)
      throw new Error(
        `connection "${id}" is paused, so nothing is imported or sent; resume it with \`netbaron connections resume ${id}\` first`,
      );
    const { connection } = assembled;
    return await fn({ connection, database, logger, ...clientsFor(connection, logger) });
  } finally {
    await database.close();
  }
}
