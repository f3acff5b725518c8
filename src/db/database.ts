import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import path from 'node:path';
import { findPublishedCluster, nameProcess } from './cluster-owner.ts';
import { EmbeddedPostgresError, startEmbeddedPostgres, type RunningPostgres } from './embedded.ts';
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
  /**
   * A long-running process (`serve`, `worker`): publish the embedded cluster it starts so that CLI
   * commands attach to it, and refuse to start beside another service instead of attaching.
   */
  publish?: boolean;
  onLog?: (line: string) => void;
}

export interface OpenDatabase {
  db: Kysely<Database>;
  /** `embedded`: the data folder's own cluster (started here, or attached to a running service's). */
  mode: 'embedded' | 'shared';
  /** The embedded cluster of a running service, which `close()` leaves running. */
  attached?: { pid: number };
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
  const published = options.databaseUrl ? undefined : await findPublishedCluster(options.dataDir);
  if (published && options.publish)
    throw new EmbeddedPostgresError(
      `A service already runs on the data folder ${path.resolve(options.dataDir)}: ${await nameProcess(published.pid)}. ` +
        'Stop it first, or give this one another DATA_DIR.',
    );
  let embedded: RunningPostgres | undefined;
  if (!options.databaseUrl && !published)
    embedded = await startEmbeddedPostgres({
      dataDir: options.dataDir,
      publish: options.publish,
      onLog: options.onLog,
    });
  const url = options.databaseUrl ?? published?.connectionString ?? embedded!.connectionString;
  const db = createKysely(url, options.poolSize);
  try {
    // Attached too: the service may be older than this command's code, and migrations take turns.
    const appliedMigrations = await migrateToLatest(db);
    return {
      db,
      mode: options.databaseUrl ? 'shared' : 'embedded',
      ...(published ? { attached: { pid: published.pid } } : {}),
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
