import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { ConnectionStore } from '../../src/connections/connection-store.ts';
import type { TestDatabase } from './test-database.ts';
import { ADMIN_PASSWORD } from './service.ts';
import { waitFor } from './wait.ts';

/*
 * The service as an operator scales it out: `serve --role web` and `serve --role worker` processes
 * against one PostgreSQL server (the test file's database), sharing one ENCRYPTION_KEY.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface ServiceProcess {
  role: 'web' | 'worker' | 'all';
  pid: number;
  url: string;
  logs(): LogLine[];
  stdout(): string;
  /** SIGTERM, and the exit code of the graceful stop. */
  stop(): Promise<number | null>;
  /** SIGKILL: nothing more runs in it. */
  kill(): Promise<void>;
  readonly exited: Promise<number | null>;
}

export interface Cluster {
  key: Buffer;
  store: ConnectionStore;
  /** Resolves when the process is ready; a web process, once it has subscribed every stored store. */
  start(role: 'web' | 'worker' | 'all', extraEnv?: Record<string, string>): Promise<ServiceProcess>;
}

function parseLogs(text: string): LogLine[] {
  const out: LogLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line) as LogLine);
    } catch {
      // A partial line at the end.
    }
  }
  return out;
}

/** Service processes on this test file's database; all still running when the file ends are killed. */
export async function createCluster(database: TestDatabase): Promise<Cluster> {
  const key = randomBytes(32);
  const dir = await mkdtemp(path.join(tmpdir(), 'nb-cluster-'));
  const live = new Set<ServiceProcess>();
  afterAll(async () => {
    await Promise.all([...live].map((p) => p.kill()));
    await rm(dir, { recursive: true, force: true });
  });
  const start: Cluster['start'] = async (role, extraEnv = {}) => {
    const child = spawn(process.execPath, ['bin/netbaron.js', 'serve', '--role', role, '--port', '0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        ENCRYPTION_KEY: key.toString('hex'),
        ADMIN_PASSWORD,
        DATA_DIR: dir,
        LOG_LEVEL: 'info',
        PUBLIC_URL: '',
        ...extraEnv,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    // 'close', not 'exit': ended, and its output read to the end (a log read after a stop is complete).
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // A start takes seconds on a busy machine: the bound only ends one that hangs, and kills it.
    const until = (what: string, done: () => Promise<boolean>) =>
      waitFor(what, async () => ((await done()) ? true : undefined), { timeoutMs: 60_000 }).catch(
        (err: unknown) => {
          child.kill('SIGKILL');
          throw new Error(`${(err as Error).message}\n${stdout}\n${stderr}`);
        },
      );
    await until(`serve --role ${role} to start`, async () => {
      if (child.exitCode !== null) throw new Error(`serve --role ${role} exited with ${child.exitCode}`);
      return stdout.includes('Ready in');
    });
    const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)![1]!;
    if (role === 'web') {
      // A web process subscribes every stored store to itself in the background: wait for that, so a
      // test's orders are delivered to it.
      const stores = (await database.db.selectFrom('connections').select('id').execute()).length;
      await until(
        `serve --role web to subscribe its ${stores} store(s)`,
        async () =>
          (await database.db.selectFrom('webhook_subscriptions').select('uuid').execute()).length >= stores,
      );
    }
    const proc: ServiceProcess = {
      role,
      pid: child.pid!,
      url,
      logs: () => parseLogs(stderr),
      stdout: () => stdout,
      stop: async () => {
        child.kill('SIGTERM');
        const code = await exited;
        live.delete(proc);
        return code;
      },
      kill: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
        live.delete(proc);
      },
      exited,
    };
    live.add(proc);
    return proc;
  };
  return { key, store: new ConnectionStore(database.db, key), start };
}
