import { existsSync, rmSync } from 'node:fs';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { z } from 'zod';

/*
 * Who runs a data folder's embedded cluster, and how another process of ours reaches it. A long-running
 * process (`serve`, `worker`) publishes its cluster in `<data>/pg-service.json` (owner-only, like the
 * password beside it), so that a CLI command started beside it attaches instead of being refused by
 * PostgreSQL's lock file. Short-lived commands never publish: a service must not attach to a cluster
 * that a one-off command is about to stop.
 */

export const PUBLISH_FILE = 'pg-service.json';

const publishedSchema = z.object({
  port: z.number().int().min(1).max(65535),
  pid: z.number().int().positive(),
  startedAt: z.string(),
});
export type PublishedCluster = z.infer<typeof publishedSchema>;

export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** "netbaron serve", "netbaron connections list": what a process of ours runs, for a message; Linux only. */
export async function describeProcess(pid: number): Promise<string | undefined> {
  try {
    const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
    const bin = args.findIndex((a) => /(^|\/)netbaron(\.js)?$/.test(a));
    if (bin < 0) return undefined;
    const words = [];
    for (const a of args.slice(bin + 1)) {
      if (a.startsWith('-') || words.length === 2) break;
      words.push(a);
    }
    return ['netbaron', ...words].join(' ');
  } catch {
    return undefined;
  }
}

/** "process 1234 (netbaron serve)". */
export async function nameProcess(pid: number): Promise<string> {
  const what = await describeProcess(pid);
  return `process ${pid}${what ? ` (${what})` : ''}`;
}

/** Whether something accepts TCP connections on 127.0.0.1:port within a short time. */
export function listening(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export const connectionString = (password: string, port: number): string =>
  `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

export async function publishCluster(dataDir: string, port: number): Promise<() => void> {
  const file = path.join(dataDir, PUBLISH_FILE);
  const record: PublishedCluster = { port, pid: process.pid, startedAt: new Date().toISOString() };
  await writeFile(file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  // Synchronous, so that it also runs from the process's 'exit' hook.
  return () => {
    try {
      rmSync(file, { force: true });
    } catch {
      // A folder removed under us: nothing left to unpublish.
    }
  };
}

export interface LiveCluster extends PublishedCluster {
  connectionString: string;
}

/**
 * The data folder's published cluster if its owner is alive and it answers `SELECT 1`. A file whose
 * owner is gone (killed, crashed) is removed; one whose owner lives but whose cluster does not answer
 * (starting, stopping) is left and ignored.
 */
export async function findPublishedCluster(dataDir: string): Promise<LiveCluster | undefined> {
  const file = path.join(dataDir, PUBLISH_FILE);
  if (!existsSync(file)) return undefined;
  let published: PublishedCluster;
  try {
    published = publishedSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    await rm(file, { force: true });
    return undefined;
  }
  if (!alive(published.pid)) {
    await rm(file, { force: true });
    return undefined;
  }
  const passwordFile = path.join(dataDir, 'pg-password');
  if (!existsSync(passwordFile)) return undefined;
  const url = connectionString((await readFile(passwordFile, 'utf8')).trim(), published.port);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return { ...published, connectionString: url };
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}
