import { sql } from 'kysely';
import type PgBoss from 'pg-boss';
import type { Env } from '../../config/env.ts';
import { openDatabase, type OpenDatabase } from '../../db/database.ts';
import { startQueue } from '../../jobs/queue.ts';
import type { Logger } from '../../observability/logger.ts';
import { createMetrics, type Metrics } from '../metrics.ts';
import { databaseUrlError, startupWarnings } from '../startup-checks.ts';

export type ServiceEnv = Pick<
  Env,
  | 'DATABASE_URL'
  | 'DATA_DIR'
  | 'PORT'
  | 'HOST'
  | 'PUBLIC_URL'
  | 'ADMIN_PASSWORD'
  | 'ENCRYPTION_KEY'
  | 'METRICS_TOKEN'
  | 'COOKIE_SECURE'
  | 'TRUST_PROXY'
  | 'SMTP_URL'
  | 'MAIL_FROM'
>;

export type ServiceRole = 'all' | 'web' | 'worker';

/**
 * Database connections per process (the job queue's 4 and the `LISTEN` one come on top): a worker
 * holds one per order being sent (16 at once) besides imports and polling; a web process only answers
 * pages and webhooks.
 */
export const POOL_SIZE: Record<ServiceRole, number> = { all: 24, web: 8, worker: 24 };

/** What every role of a service process stands on: the database, the job queue, metrics, the way down. */
export interface ServiceBase {
  env: ServiceEnv;
  logger: Logger;
  database: OpenDatabase;
  boss: PgBoss;
  metrics: Metrics;
  /** The service as MyCashflow reaches it: `PUBLIC_URL`, else the address it listens on once known. */
  publicUrl: string;
  /** Aborted as the service stops: progress streams end, a running import stops between writes. */
  stopping: AbortSignal;
  /** Logged at start, and repeated in the start-up summary. */
  warnings: string[];
  /** Runs at stop, the last one added first: what was started last depends on what came before. */
  onStop(cleanup: () => Promise<void>): void;
  stop(): Promise<void>;
}

/**
 * Opens the base and assembles a process on it; should the assembly fail, whatever it had started and
 * the base go down again before the error goes on.
 */
export async function onServiceBase<T>(
  options: Parameters<typeof openServiceBase>[0],
  assemble: (base: ServiceBase) => Promise<T>,
): Promise<T> {
  const base = await openServiceBase(options);
  try {
    return await assemble(base);
  } catch (err) {
    await base.stop();
    throw err;
  }
}

/**
 * Opens the configured database (or takes the one given, which it then leaves open) and the job queue
 * on it. Should starting the queue fail, the database is closed again.
 */
async function openServiceBase(options: {
  env: ServiceEnv;
  logger: Logger;
  database?: OpenDatabase;
  poolSize: number;
}): Promise<ServiceBase> {
  const { env, logger } = options;
  const database =
    options.database ??
    (await openDatabase({
      databaseUrl: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      poolSize: options.poolSize,
      publish: true,
    }).catch((err: unknown) => {
      throw env.DATABASE_URL ? databaseUrlError(err, env.DATABASE_URL) : err;
    }));
  const cleanups: Array<() => Promise<void>> = [];
  const stopping = new AbortController();
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopping.abort();
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      if (!options.database) await database.close();
    })());
  const warnings = startupWarnings(env);
  for (const warning of warnings) logger.warn(warning);
  try {
    const boss = await startQueue(database.url, logger);
    cleanups.push(() => boss.stop({ graceful: true, timeout: 30_000, wait: true }));
    const metrics = createMetrics(database.db);
    cleanups.push(async () => metrics.close());
    return {
      env,
      logger,
      database,
      boss,
      metrics,
      publicUrl: env.PUBLIC_URL?.replace(/\/+$/, '') ?? '',
      stopping: stopping.signal,
      warnings,
      onStop: (cleanup) => void cleanups.push(cleanup),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** `/readyz`: the database and the job queue answer. */
export async function readiness(base: ServiceBase): Promise<{ ok: boolean; checks: Record<string, string> }> {
  const checks: Record<string, string> = {};
  try {
    await sql`select 1`.execute(base.database.db);
    checks.database = 'ok';
  } catch (err) {
    checks.database = `unavailable: ${(err as Error).message}`;
  }
  try {
    await base.boss.getQueue('export-order');
    checks.queue = 'ok';
  } catch (err) {
    checks.queue = `unavailable: ${(err as Error).message}`;
  }
  return { ok: Object.values(checks).every((c) => c === 'ok'), checks };
}
