import type PgBoss from 'pg-boss';
import type { Logger } from '../observability/logger.ts';

export interface JobPump {
  /** Fetches now: a job was just queued (a webhook, a NOTIFY from another process). */
  wake(): void;
  /** Fetches no more, lets the jobs in hand finish (up to `graceMs`), and records their completion. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Keeps up to `slots` jobs of one queue running, fetching only what fits: one fetch per wake-up
 * however many wake-ups come while it runs, and another as soon as a slot frees while the queue held more
 * than fitted. Completions are recorded together, every `completeEveryMs`: a job completed late is
 * harmless (the ledger makes a repeat a no-op), a statement per job is not. A job whose handler throws is
 * failed alone, so that pg-boss retries it with back-off. pg-boss's own `work` would fetch once per
 * fetcher on every wake-up, most of them finding nothing.
 */
export function startJobPump<T extends object>(options: {
  boss: PgBoss;
  queue: string;
  slots: number;
  /** Fetches this often when nothing wakes it: jobs due later, a lost notification. */
  pollMs: number;
  completeEveryMs?: number;
  logger: Logger;
  handle(job: PgBoss.Job<T>): Promise<void>;
}): JobPump {
  const { boss, queue, slots, logger } = options;
  let running = 0;
  let fetching = false;
  let again = false;
  let stopped = false;
  /** The last fetch filled every free slot: the queue may hold more, fetched as slots free. */
  let full = false;
  const inFlight = new Set<Promise<void>>();
  const completed: string[] = [];
  let flushTimer: NodeJS.Timeout | undefined;

  const flush = async (): Promise<void> => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = undefined;
    const ids = completed.splice(0);
    if (ids.length === 0) return;
    await boss.complete(queue, ids).catch((err: unknown) => {
      // Left active, the jobs expire and run again, finding their orders sent.
      logger.warn('could not record finished jobs', {
        queue,
        jobs: ids.length,
        error: (err as Error).message,
      });
    });
  };

  const run = (job: PgBoss.Job<T>): void => {
    running += 1;
    const done = (async () => {
      try {
        await options.handle(job);
        completed.push(job.id);
        flushTimer ??= setTimeout(() => void flush(), options.completeEveryMs ?? 1_000);
      } catch (err) {
        await boss.fail(queue, job.id, { message: (err as Error).message }).catch(() => undefined);
      }
    })().finally(() => {
      running -= 1;
      inFlight.delete(done);
      if (full) wake();
    });
    inFlight.add(done);
  };

  const fetchWhileRoom = async (): Promise<void> => {
    fetching = true;
    try {
      do {
        again = false;
        const room = slots - running;
        if (room <= 0) break;
        const jobs = await boss.fetch<T>(queue, { batchSize: room });
        full = jobs.length === room;
        for (const job of jobs) run(job);
        if (full) again = true;
      } while (again && !stopped);
    } catch (err) {
      logger.warn('could not fetch jobs; the next wake-up tries again', {
        queue,
        error: (err as Error).message,
      });
    } finally {
      fetching = false;
    }
  };

  const wake = (): void => {
    if (stopped) return;
    if (fetching) again = true;
    else void fetchWhileRoom();
  };

  const poll = setInterval(wake, options.pollMs);
  poll.unref();
  wake();

  return {
    wake,
    async stop(graceMs = 30_000) {
      stopped = true;
      clearInterval(poll);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
      await flush();
    },
  };
}
