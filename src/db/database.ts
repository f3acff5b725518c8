import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded.ts';
import { migrateToLatest } from './migrate.ts';
import type { Database } from './schema.ts';

// Return bigint columns (bigserial ids) as strings and NUMERIC as strings: both stay exact.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => v);

export interface DatabaseOptions {
  /** A shared server; when set, nothing is started. */
  databaseUrl?: string;
  /** Folder of the embedded cluster when no URL is given. */
  dataDir: string;
  poolSize?: number;
  onLog?: (line: string) => void;
}

export interface OpenDatabase {
  db: Kysely<Database>;
  /** `embedded` when this process started the server and will stop it. */
  mode: 'embedded' | 'shared';
  /** The connection string, credentials included: for the job queue's own pool, never for a log line. */
  url: string;
  appliedMigrations: string[];
  close(): Promise<void>;
}

export function createKysely(connectionString: string, poolSize = 10): Kysely<Database> {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle client losing its server (a restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // Nor one that is checked out: a connection held between queries (an advisory lock's, a transaction's)
  // has no listener of the pool's, and pg emits the loss as an 'error' event. The query running on it, if
  // any, fails with the error anyway, the next one on it fails too, and the pool drops it when released.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Opens the configured database, starting the embedded server when needed, and migrates it. */
export async function openDatabase(options: DatabaseOptions): Promise<OpenDatabase> {
  const embedded = options.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: options.dataDir, onLog: options.onLog });
  const url = options.databaseUrl ?? embedded!.connectionString;
  const db = createKysely(url, options.poolSize);
  try {
    const appliedMigrations = await migrateToLatest(db);
    return {
      db,
      mode: embedded ? 'embedded' : 'shared',
      url,
      appliedMigrations,
      close: async () => {
        await db.destroy();
        await embedded?.stop();
      },
    };
  } catch (err) {
    await db.destroy();
    await embedded?.stop();
    throw err;
  }
}
