import type PgBoss from 'pg-boss';
import type { Notifier } from '../notifications/notifier.ts';
import { QUEUES } from './queue.ts';

/**
 * Notifications are worked out once a minute, across all processes (pg-boss's schedule sends one tick,
 * a `singleton` queue runs one at a time); a tick that runs twice anyway decides once under each
 * connection's lock. Retries of messages ride on the same tick.
 */
export async function startNotificationTick(boss: PgBoss, notifier: Notifier): Promise<void> {
  await boss.work(QUEUES.notificationTick, async () => {
    await notifier.tick();
  });
  await boss.schedule(QUEUES.notificationTick, '* * * * *', {}, { singletonKey: 'tick' });
}
