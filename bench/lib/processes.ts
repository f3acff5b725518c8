import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { createKysely } from '../../src/db/database.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { watch } from './proc.ts';
import { ROOT } from './results.ts';

/** Children still running when a benchmark ends (it failed): Ctrl-C lets them stop their PostgreSQL. */
const live = new Set<ChildProcess>();
process.once('exit', () => live.forEach((child) => child.kill('SIGINT')));

/**
 * `node bin/netbaron.js <args>`: its stdout lines, `until` a line matches, and `exited` (rejected on a
 * non-zero exit, with its last stderr lines). Each stderr line also goes to `onStderr`.
 */
export function netbaronProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  onStderr: (line: string) => void = () => {},
) {
  const child = spawn(process.execPath, ['bin/netbaron.js', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const [lines, tail] = [[] as string[], [] as string[]];
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (tail.push(line) > 40) tail.shift();
    onStderr(line);
  });
  const stdout = createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  const exited = new Promise<void>((resolve, reject) =>
    child.once('close', (code, signal) => {
      live.delete(child);
      if (code === 0) resolve();
      else reject(new Error(`netbaron ${args.join(' ')} exited (${code ?? signal}):\n${tail.join('\n')}`));
    }),
  );
  exited.catch(() => {}); // a stop's signal is no failure; whoever awaits `exited` still sees it
  const until = (ready: RegExp) =>
    new Promise<void>((resolve, reject) => {
      stdout.on('line', (line) => ready.test(line) && resolve());
      exited.then(() => reject(new Error(`netbaron ${args[0]} ended before it was ready`)), reject);
    });
  return { child, lines, exited, until };
}

/** A CLI run to its exit, with its peak memory and CPU polled meanwhile. */
export async function runNetbaron(args: string[], env: NodeJS.ProcessEnv) {
  const started = performance.now();
  const run = netbaronProcess(args, env);
  const watcher = watch(run.child.pid, 200);
  await run.exited.finally(watcher.stop);
  // The last figures before the exit: its PostgreSQL, stopped and reaped by then, is in `below`.
  const [ms, peakRssMb, cpu] = [performance.now() - started, watcher.peakRssMb(), watcher.cpu()];
  return { stdout: run.lines.join('\n'), ms, peakRssMb, cpu };
}

/** A child with an embedded PostgreSQL of its own in `dataDir`, never a shared server. */
export function embeddedEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  return env;
}

/** `serve --role <role> --port 0`, once ready, with the address it listens on. */
export async function startServe(
  role: 'web' | 'worker',
  env: NodeJS.ProcessEnv,
  onStderr?: (line: string) => void,
) {
  const run = netbaronProcess(['serve', '--role', role, '--port', '0'], env, onStderr);
  await run.until(/^Ready in/);
  const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(run.lines.join('\n'))?.[1] ?? '';
  return { child: run.child, pid: run.child.pid!, url };
}

/** Stops children (SIGTERM, or SIGINT: Ctrl-C) and waits for them; a second SIGINT after 60 s ends one at once. */
export async function stopAll(children: ChildProcess[], signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  for (const child of running) child.kill(signal);
  const timer = setTimeout(() => running.forEach((child) => child.kill('SIGINT')), 60_000);
  await Promise.all(running.map((child) => once(child, 'close')));
  clearTimeout(timer);
}

/** One embedded PostgreSQL server that the service's processes share, with a fresh database per configuration. */
export async function startServer(options: { unsafeFast: boolean }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'netbaron-bench-'));
  const server = await startEmbeddedPostgres({ dataDir: dir, maxConnections: 300, ...options });
  let databases = 0;
  return {
    dir,
    /** The server's postmaster; its backends run below it. */
    postmaster: () => Number(readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]),
    async database() {
      const name = `bench_${(databases += 1)}`;
      const admin = new pg.Client({ connectionString: server.connectionString });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      const url = server.connectionString.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
      const db = createKysely(url, 4);
      await migrateToLatest(db);
      return { url, db };
    },
    /** The environment of every service process on one database: one sealing key. */
    env: (databaseUrl: string, key: Buffer): NodeJS.ProcessEnv => ({
      ...process.env,
      DATABASE_URL: databaseUrl,
      ENCRYPTION_KEY: key.toString('hex'),
      ADMIN_PASSWORD: 'bench-admin-password',
      DATA_DIR: dir,
      LOG_LEVEL: 'warn',
    }),
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
export type Server = Awaited<ReturnType<typeof startServer>>;
