import type { ConnectionFile } from '../config/connection-file.ts';
import { readConnectionFile } from '../config/connection-file.ts';
import { readEnv } from '../config/env.ts';
import { openDatabase, type OpenDatabase } from '../db/database.ts';
import type { MyCashflowClient } from '../mycashflow/client.ts';
import type { NetBaronClient } from '../netbaron/client.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import { clientsFor } from '../connections/clients.ts';

export interface CommandContext {
  connection: ConnectionFile;
  database: OpenDatabase;
  logger: Logger;
  mcf: MyCashflowClient;
  nb: NetBaronClient;
}

/** What every per-connection command does first and last: read the file, open the database, close it. */
export async function withConnection<T>(config: string, fn: (ctx: CommandContext) => Promise<T>): Promise<T> {
  const env = readEnv();
  const connection = await readConnectionFile(config);
  const logger = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
  try {
    return await fn({ connection, database, logger, ...clientsFor(connection, logger) });
  } finally {
    await database.close();
  }
}
