import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { parseConnection } from '../../src/config/connection-file.ts';
import { ConnectionStore } from '../../src/connections/connection-store.ts';
import { createKysely } from '../../src/db/database.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { watchCpu } from './proc.ts';
import { nowMs, ROOT, sleep } from './results.ts';

/** Children still running when a benchmark ends (it failed): Ctrl-C lets them stop their PostgreSQL. */
const live = new Set<ChildProcess>();
process.once('exit', () => live.forEach((child) => child.kill('SIGINT')));

/**
 * `node bin/netbaron.js <args>`: its stdout and stderr lines (warnings and errors), `until` a stdout line
 * matches, and `exited` (rejected on a non-zero exit, with its last stderr lines).
 */
export function netbaronProcess(args: string[], env: NodeJS.ProcessEnv) {
  // PROF_DIR=<folder>: each connector process writes a CPU profile there (NODE_OPTIONS cannot ask it).
  const profile = process.env.PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.PROF_DIR] : [];
  const child = spawn(process.execPath, [...profile, 'bin/netbaron.js', ...args], { cwd: ROOT, env });
  live.add(child);
  const [stdout, stderr] = [[] as string[], [] as string[]];
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const lines = createInterface({ input: child.stdout }).on('line', (line) => stdout.push(line));
  const exited = new Promise<void>((resolve, reject) =>
    child.once('close', (code, signal) => {
      live.delete(child);
      const failure = `netbaron ${args.join(' ')} exited (${code ?? signal}):\n${stderr.slice(-40).join('\n')}`;
      if (code === 0) resolve();
      else reject(new Error(failure));
    }),
  );
  exited.catch(() => {}); // a stop's signal is no failure; whoever awaits `exited` still sees it
  const until = (ready: RegExp) =>
    new Promise<void>((resolve, reject) => {
      lines.on('line', (line) => ready.test(line) && resolve());
      exited.then(() => reject(new Error(`netbaron ${args[0]} ended before it was ready`)), reject);
    });
  return { child, stdout, stderr, exited, until };
}
export type NetbaronProcess = ReturnType<typeof netbaronProcess>;

/** A CLI run to its exit with an embedded PostgreSQL of its own in `dataDir`, its CPU polled meanwhile. */
export async function runNetbaron(args: string[], dataDir: string) {
  const started = nowMs();
  const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: undefined };
  const run = netbaronProcess(args, env);
  const lastCpu = watchCpu(run.child.pid, 200);
  await run.exited.finally(lastCpu);
  // The last figures before the exit: its PostgreSQL, stopped and reaped by then, is in `below`.
  return { stdout: run.stdout.join('\n'), ms: nowMs() - started, cpu: lastCpu() };
}

/** Stops children (SIGTERM, or SIGINT: Ctrl-C) and waits for them; a second SIGINT after 60 s ends one at once. */
export async function stopAll(procs: Array<{ child: ChildProcess }>, signal: NodeJS.Signals = 'SIGTERM') {
  const running = procs.map((p) => p.child).filter((c) => c.exitCode === null && c.signalCode === null);
  for (const child of running) child.kill(signal);
  const timer = setTimeout(() => running.forEach((child) => child.kill('SIGINT')), 60_000);
  await Promise.all(running.map((child) => once(child, 'close')));
  clearTimeout(timer);
}

/** One embedded PostgreSQL server that the service's processes share, with a fresh database per configuration. */
export async function startServer(options: { unsafeFast: boolean }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'netbaron-bench-'));
  const server = await startEmbeddedPostgres({ dataDir: dir, maxConnections: 300, ...options });
  const admin = createKysely(server.connectionString, 1);
  let databases = 0;
  return {
    dir,
    /** The server's postmaster; its backends run below it. */
    postmaster: () => Number(readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]),
    async database() {
      const name = `bench_${(databases += 1)}`;
      await sql`create database ${sql.raw(name)}`.execute(admin);
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
      await admin.destroy();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
export type Server = Awaited<ReturnType<typeof startServer>>;
export type BenchDatabase = Awaited<ReturnType<Server['database']>>;

/**
 * The service on one database of the server: the stores' connections stored, then `serve --role web`
 * (`web`: once it has subscribed the stores' webhooks to itself) and `workers` × `serve --role worker`.
 */
export async function startService(
  server: Server,
  { url, db }: BenchDatabase,
  files: unknown[],
  { workers, web = false }: { workers: number; web?: boolean },
) {
  const key = randomBytes(32);
  const ids: string[] = [];
  for (const file of files)
    ids.push((await new ConnectionStore(db, key).upsertFromFile(parseConnection(file))).id);
  const serve = async (role: 'web' | 'worker') => {
    const proc = netbaronProcess(['serve', '--role', role, '--port', '0'], server.env(url, key));
    await proc.until(/^Ready in/);
    return { ...proc, url: /(http:\/\/127\.0\.0\.1:\d+)/.exec(proc.stdout.join('\n'))?.[1] ?? '' };
  };
  const procs = web ? [await serve('web')] : [];
  procs.push(...(await Promise.all(Array.from({ length: workers }, () => serve('worker')))));
  const subscribed = () => db.selectFrom('webhook_subscriptions').selectAll().executeTakeFirst();
  for (let i = 0; web && files.length && i < 100 && !(await subscribed()); i++) await sleep(100);
  return { ids, procs, pids: procs.map((p) => p.child.pid!) };
}
