import type PgBoss from 'pg-boss';
import type { ConnectionStore } from '../connections/connection-store.ts';
import { scheduleDue } from '../domain/schedule.ts';
import type { Logger } from '../observability/logger.ts';
import { enqueueImport } from './import-jobs.ts';
import { QUEUES } from './queue.ts';

/**
 * Automatic product updates. pg-boss fires one tick a minute across all processes; the tick queues an
 * import for each connection whose schedule is due. The claim on `schedule_fired_at` makes a tick that
 * runs twice (two processes, a retry) queue one import, not two.
 */
export async function startScheduler(options: {
  boss: PgBoss;
  store: ConnectionStore;
  logger: Logger;
  now?: () => Date;
}): Promise<{ tick(): Promise<number> }> {
  const { boss, store, logger } = options;
  const tick = async (): Promise<number> => {
    const now = options.now?.() ?? new Date();
    let queued = 0;
    for (const c of await store.list()) {
      // A paused connection's schedule does not fire, nor catch up when resumed: the next due time runs.
      if (c.pausedAt || !scheduleDue(c.settings.schedule, c.scheduleFiredAt, now)) continue;
      if (!(await store.claimScheduledRun(c.id, c.scheduleFiredAt, now))) continue;
      const jobId = await enqueueImport(boss, { connectionId: c.id, trigger: 'schedule' });
      logger.info(
        jobId ? 'scheduled product import queued' : 'scheduled import skipped: one is already waiting',
        {
          connection: c.slug,
          jobId,
        },
      );
      if (jobId) queued += 1;
    }
    return queued;
  };
  await boss.work(QUEUES.scheduleTick, async () => {
    await tick();
  });
  await boss.schedule(QUEUES.scheduleTick, '* * * * *', {}, { singletonKey: 'tick' });
  return { tick };
}
