import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/db/embedded.ts';
import { restartablePort } from './ports.ts';

/*
 * A PostgreSQL cluster of a test's own that the test can stop and start again, as an operator's
 * restart would: same data folder, same port (chosen once, up front, below the range the system hands
 * out, so that no other test file's server takes it while the cluster is down), so the connection
 * string the service holds stays valid across the restart.
 */

export interface RestartablePostgres {
  /** The connection string (credentials included); the same before and after a restart. */
  readonly url: string;
  readonly port: number;
  /** The folder of the cluster (`<dataDir>/pg`) and its password file. */
  readonly dataDir: string;
  readonly running: boolean;
  /** A fast shutdown (SIGINT): open sessions are ended at once, the server exits cleanly. */
  stop(): Promise<void>;
  /** Starts the stopped cluster again, on the same port and folder. */
  start(): Promise<void>;
  /** Stops the cluster if it runs and removes its folder. */
  destroy(): Promise<void>;
}

export async function startRestartablePostgres(
  options: { onLog?: (line: string) => void } = {},
): Promise<RestartablePostgres> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'connector-restart-pg-'));
  const port = await restartablePort();
  // `startEmbeddedPostgres` runs the server as a `postgres` system user when this process is root.
  const boot = () => startEmbeddedPostgres({ dataDir, port, unsafeFast: true, onLog: options.onLog });
  let server: RunningPostgres | undefined;
  try {
    server = await boot();
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const url = server.connectionString;
  return {
    url,
    port,
    dataDir,
    get running() {
      return server !== undefined;
    },
    stop: async () => {
      const current = server;
      server = undefined;
      await current?.stop();
    },
    start: async () => {
      if (server) return;
      server = await boot();
      if (server.connectionString !== url) throw new Error('the restarted cluster has another address');
    },
    destroy: async () => {
      const current = server;
      server = undefined;
      await current?.stop().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
