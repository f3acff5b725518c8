import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Kysely } from 'kysely';
import type PgBoss from 'pg-boss';
import { parseConnection } from '../../src/config/connection-file.ts';
import { ConnectionStore } from '../../src/connections/connection-store.ts';
import type { Database } from '../../src/db/schema.ts';
import { enqueueImport } from '../../src/jobs/import-jobs.ts';
import { startQueue } from '../../src/jobs/queue.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { freshDatabase, serveEnv, startServe, stopServe } from './cluster.ts';
import type { ImportRun, ImportSummary } from './run-import.ts';
import { peakRssOf, treeCpuSecondsOf } from './sim-process.ts';

/*
 * Imports run the way the service runs them: `serve --role worker` processes over one PostgreSQL
 * server, the import queued as a job (as the admin page or the schedule queues it), its summary read
 * from the run the worker stored.
 */

export interface ServiceImporter {
  workers: number;
  run(): Promise<ImportRun>;
  close(): Promise<void>;
}

/**
 * Linux keeps a process's peak resident set (`VmHWM`) for its whole life; writing 5 to `clear_refs`
 * sets it back to the current size, so each import's peak is its own. Undefined where that fails.
 */
function resetPeak(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Not Linux, or not allowed: the peak then covers the process's life so far.
  }
}

/** CPU seconds of processes and of everything below them, backends that ended included. */
function cpuOfTrees(pids: number[]): number {
  return pids.reduce((n, pid) => {
    const tree = treeCpuSecondsOf(pid);
    return tree ? n + tree.own + tree.below : n;
  }, 0);
}

/** The embedded PostgreSQL server's postmaster; its backends are below it. */
function postmasterOf(dataDir: string): number[] {
  try {
    return [Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0])];
  } catch {
    return [];
  }
}

export async function startServiceImporter(options: {
  serverUrl: string;
  /** The embedded server's data folder (for its CPU) and the workers' DATA_DIR. */
  dataDir: string;
  /** A name unique on the server for this configuration's database. */
  database: string;
  connectionFile: unknown;
  workers: number;
}): Promise<ServiceImporter> {
  const key = randomBytes(32);
  const { url, db } = await freshDatabase(options.serverUrl, options.database);
  const connectionId = (
    await new ConnectionStore(db, key).upsertFromFile(parseConnection(options.connectionFile))
  ).id;
  const env = serveEnv(url, key, options.dataDir);
  const started: ChildProcess[] = [];
  let boss: PgBoss | undefined;
  try {
    for (const s of await Promise.all(
      Array.from({ length: options.workers }, () => startServe('worker', env)),
    ))
      started.push(s.child);
    boss = await startQueue(url, silentLogger);
  } catch (err) {
    await stopServe(started);
    await db.destroy();
    throw err;
  }
  const queue = boss;
  const pids = started.flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
  const postmaster = postmasterOf(options.dataDir);

  return {
    workers: options.workers,
    async run(): Promise<ImportRun> {
      for (const pid of pids) resetPeak(pid);
      // Each worker with what runs below it (tsx's esbuild), and the PostgreSQL server.
      const workersCpu = cpuOfTrees(pids);
      const pgCpu = cpuOfTrees(postmaster);
      const known = new Set(
        (
          await db.selectFrom('import_runs').select('id').where('connection_id', '=', connectionId).execute()
        ).map((r) => r.id),
      );
      const t0 = performance.now();
      const jobId = await enqueueImport(queue, { connectionId, trigger: 'cli' });
      if (!jobId) throw new Error('the import was not queued: one was already queued for this store');
      const row = await finishedRun(db, connectionId, known);
      const outsideMs = performance.now() - t0;
      const own = cpuOfTrees(pids) - workersCpu;
      const below = cpuOfTrees(postmaster) - pgCpu;
      if (!row.summary)
        throw new Error(`the import ended "${row.status}" without a summary: ${row.error ?? ''}`);
      return {
        summary: row.summary as unknown as ImportSummary,
        outsideMs,
        processPeaksMb: pids.map((pid) => peakRssOf(pid) ?? 0),
        cpu: { own, below },
      };
    },
    async close(): Promise<void> {
      await queue.stop({ graceful: false, wait: true });
      await stopServe(started);
      await db.destroy();
    },
  };
}

async function finishedRun(
  db: Kysely<Database>,
  connectionId: string,
  known: Set<string>,
): Promise<{ status: string; summary: unknown; error: string | null }> {
  // Longer than any import here takes (the 100 000 × 20 ms full import: about 5 minutes).
  const deadline = performance.now() + 30 * 60_000;
  while (performance.now() < deadline) {
    const rows = await db
      .selectFrom('import_runs')
      .select(['id', 'status', 'summary', 'error', 'finished_at'])
      .where('connection_id', '=', connectionId)
      .where('dry_run', '=', false)
      .execute();
    const done = rows.find((r) => !known.has(r.id) && r.status !== 'running' && r.finished_at);
    if (done) return done;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no import run finished within 30 minutes of queuing it: are the workers running?');
}
