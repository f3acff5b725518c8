/**
 * The connector's `worker` command in a child process of its own, with a fresh data folder (embedded
 * PostgreSQL started by the worker), and the reading of that database once the worker has stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { peakRssOf, treeCpuSecondsOf } from './lib/sim-process.ts';

export interface WorkerProcess {
  /** The receiver's URL as the worker subscribed it. */
  hookUrl: string;
  /** Milliseconds from spawning to "Exporting orders." (initdb, migrations, subscription, first poll). */
  startMs: number;
  /** CPU seconds of the worker's Node process (own) and of its descendants: PostgreSQL, tsx's esbuild. */
  cpu(): { own: number; below: number } | undefined;
  peakRssMb(): number | undefined;
  /** Log lines at warn or above, counted by message: while running, and once the stop was asked for. */
  logCounts(): { running: Map<string, number>; stopping: Map<string, number> };
  /** Ctrl-C (graceful stop: receiver closed, running jobs finished, database stopped), then waits. */
  stop(): Promise<void>;
}

function childEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL; // the embedded PostgreSQL of this data folder, never a shared server
  return env;
}

export async function startWorker(root: string, configFile: string, dataDir: string): Promise<WorkerProcess> {
  const started = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    ['bin/netbaron.js', 'worker', '--config', configFile, '--port', '0'],
    { cwd: root, env: childEnv(dataDir), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  const running = new Map<string, number>();
  const stopping = new Map<string, number>();
  let stopAsked = false;
  const tail: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
    let msg = line.slice(0, 200);
    try {
      const record = JSON.parse(line) as { msg?: string; error?: string };
      msg = record.error ? `${record.msg}: ${record.error.slice(0, 160)}` : (record.msg ?? msg);
    } catch {
      // not a log record: counted as it is
    }
    const counts = stopAsked ? stopping : running;
    counts.set(msg, (counts.get(msg) ?? 0) + 1);
  });

  // The peak RSS is read from /proc while the process lives.
  let peak: number | undefined;
  let lastCpu: { own: number; below: number } | undefined;
  const poll = setInterval(() => {
    const now = peakRssOf(child.pid);
    if (now !== undefined) peak = Math.max(peak ?? 0, now);
    lastCpu = treeCpuSecondsOf(child.pid) ?? lastCpu;
  }, 500);

  const hookUrl = await new Promise<string>((resolve, reject) => {
    let url: string | undefined;
    const timer = setTimeout(() => reject(new Error('the worker did not start within 180 s')), 180_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^Webhook receiver: (\S+)/.exec(line);
      if (m) url = m[1];
      if (line.startsWith('Exporting orders.')) {
        clearTimeout(timer);
        if (url) resolve(url);
        else reject(new Error('the worker did not print its receiver URL'));
      }
    });
    void exited.then(([code, signal]) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited early (${String(code ?? signal)}):\n${tail.join('\n')}`));
    });
  });

  return {
    hookUrl,
    startMs: performance.now() - started,
    cpu: () => treeCpuSecondsOf(child.pid) ?? lastCpu,
    peakRssMb: () => {
      const now = peakRssOf(child.pid);
      return now === undefined ? peak : Math.max(peak ?? 0, now);
    },
    logCounts: () => ({ running, stopping }),
    stop: async () => {
      stopAsked = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGINT'), 60_000); // a second Ctrl-C ends it at once
      await exited;
      clearTimeout(timer);
      clearInterval(poll);
    },
  };
}

/**
 * Transactions the running worker's PostgreSQL has finished so far (`pg_stat_database`), through a
 * connection of our own: the port from the cluster's `postmaster.pid`, the password the connector keeps
 * beside the cluster. Undefined when it cannot be read.
 */
export async function databaseTransactions(dataDir: string): Promise<number | undefined> {
  try {
    const port = Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3]);
    const password = readFileSync(path.join(dataDir, 'pg-password'), 'utf8').trim();
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      password,
      database: 'postgres',
    });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        `select (xact_commit + xact_rollback)::text as n from pg_stat_database where datname = 'postgres'`,
      );
      return rows[0] ? Number(rows[0].n) : undefined;
    } finally {
      await client.end();
    }
  } catch {
    return undefined;
  }
}

/** One order of the worker's ledger, with its first export job and the moment its PUT began. */
export interface LedgerRow {
  orderId: number;
  state: string;
  source: string;
  attempts: number;
  receivedAt: number;
  sentAt?: number;
  /** The `sending` event: the sales order document was stored and the PUT is about to go. */
  sendingAt?: number;
  /** The earliest export job of this order (pg-boss). */
  jobCreatedAt?: number;
  jobStartedAt?: number;
  jobs: number;
  /** Sightings after the first (`seen-again` events), by source. */
  seenAgain: { webhook: number; poll: number };
}

export interface WorkerDatabase {
  ledger: Map<number, LedgerRow>;
  /** Runs of the polling job (pg-boss `poll-orders`), start and end in ms. */
  polls: Array<{ startedAt: number; completedAt?: number }>;
  /** Export jobs by pg-boss state (completed, failed, retry, …), and dead letters. */
  jobStates: Record<string, number>;
  deadLetters: number;
}

const ms = (v: Date | string | null | undefined): number | undefined =>
  v === null || v === undefined ? undefined : new Date(v).getTime();

/**
 * Starts the stopped worker's embedded cluster once more, on a port of its own, and reads the ledger,
 * the order events and the job tables. Every timestamp there is PostgreSQL's `now()` at the statement's
 * transaction start, on this machine's clock.
 */
export async function readWorkerDatabase(dataDir: string): Promise<WorkerDatabase> {
  const server = await startEmbeddedPostgres({ dataDir });
  const client = new pg.Client({ connectionString: server.connectionString });
  try {
    await client.connect();
    const ledger = new Map<number, LedgerRow>();
    const rows = await client.query<{
      order_id: string;
      state: string;
      source: string;
      attempts: number;
      received_at: Date;
      sent_at: Date | null;
    }>('select order_id::text, state, source, attempts, received_at, sent_at from order_ledger');
    for (const r of rows.rows) {
      const orderId = Number(r.order_id);
      ledger.set(orderId, {
        orderId,
        state: r.state,
        source: r.source,
        attempts: r.attempts,
        receivedAt: ms(r.received_at)!,
        ...(r.sent_at ? { sentAt: ms(r.sent_at)! } : {}),
        jobs: 0,
        seenAgain: { webhook: 0, poll: 0 },
      });
    }
    const events = await client.query<{ order_id: string; kind: string; detail: string | null; at: Date }>(
      `select order_id::text, kind, detail, at from order_events
       where kind in ('sending', 'seen-again') order by id`,
    );
    for (const e of events.rows) {
      const row = ledger.get(Number(e.order_id));
      if (!row) continue;
      if (e.kind === 'sending') row.sendingAt ??= ms(e.at);
      else if (e.detail === 'poll') row.seenAgain.poll += 1;
      else row.seenAgain.webhook += 1;
    }
    // pg-boss 10 keeps finished jobs in `job` until they are archived (hours later), then in `archive`.
    const jobs = await client.query<{
      order_id: string;
      state: string;
      created_on: Date;
      started_on: Date | null;
    }>(
      `select data->>'orderId' as order_id, state::text, created_on, started_on from pgboss.job where name = 'export-order'
       union all
       select data->>'orderId', state::text, created_on, started_on from pgboss.archive where name = 'export-order'`,
    );
    const jobStates: Record<string, number> = {};
    for (const j of jobs.rows) {
      jobStates[j.state] = (jobStates[j.state] ?? 0) + 1;
      const row = ledger.get(Number(j.order_id));
      if (!row) continue;
      row.jobs += 1;
      const created = ms(j.created_on)!;
      if (row.jobCreatedAt === undefined || created < row.jobCreatedAt) {
        row.jobCreatedAt = created;
        row.jobStartedAt = ms(j.started_on);
      }
    }
    const dead = await client.query<{ n: string }>(
      `select (select count(*) from pgboss.job where name = 'export-order-dead')
            + (select count(*) from pgboss.archive where name = 'export-order-dead') as n`,
    );
    const polls = await client.query<{ started_on: Date | null; completed_on: Date | null }>(
      `select started_on, completed_on from pgboss.job where name = 'poll-orders' and started_on is not null
       union all
       select started_on, completed_on from pgboss.archive where name = 'poll-orders' and started_on is not null`,
    );
    return {
      ledger,
      polls: polls.rows
        .map((p) => ({
          startedAt: ms(p.started_on)!,
          ...(p.completed_on ? { completedAt: ms(p.completed_on)! } : {}),
        }))
        .sort((a, b) => a.startedAt - b.startedAt),
      jobStates,
      deadLetters: Number(dead.rows[0]?.n ?? 0),
    };
  } finally {
    await client.end().catch(() => undefined);
    await server.stop();
  }
}
