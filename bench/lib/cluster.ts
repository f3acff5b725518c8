import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { createKysely } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { Database } from '../../src/db/schema.ts';

/*
 * What the scaled-out benchmarks share: a fresh, migrated database per configuration on one server,
 * and `serve --role …` processes started on it.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');

export async function freshDatabase(
  serverUrl: string,
  name: string,
): Promise<{ url: string; db: Kysely<Database> }> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = serverUrl.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  const db = createKysely(url, 4);
  await migrateToLatest(db);
  return { url, db };
}

/** The environment of every service process of one configuration: one database, one sealing key. */
export function serveEnv(databaseUrl: string, key: Buffer, dataDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    ENCRYPTION_KEY: key.toString('hex'),
    ADMIN_PASSWORD: 'bench-admin-password',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
}

/** `serve --role <role> --port 0`, resolved when it prints that it is ready, with its address. */
export function startServe(
  role: 'web' | 'worker',
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['bin/netbaron.js', 'serve', '--role', role, '--port', '0'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    let url = '';
    createInterface({ input: child.stdout! }).on('line', (line) => {
      url ||= /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1] ?? '';
      if (line.startsWith('Ready in')) resolve({ child, url });
    });
    child.once('exit', (code) =>
      reject(new Error(`serve --role ${role} exited at start (code ${String(code)})`)),
    );
  });
}

/** SIGTERM to each `serve` process, resolved when all have exited. */
export async function stopServe(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }),
  );
}
