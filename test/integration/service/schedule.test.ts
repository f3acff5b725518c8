import { beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionRecord } from '../../../src/connections/connection-store.ts';
import {
  addConnection,
  connectionFileFor,
  startStoreSims,
  startTestService,
  type TestService,
} from '../../helpers/service.ts';
import { waitFor } from '../../helpers/worker-process.ts';

let t: TestService;
let hourly: ConnectionRecord;
let daily: ConnectionRecord;

beforeAll(async () => {
  // Only the test's ticks: the service's own minute tick could otherwise take a due schedule first.
  t = await startTestService({ manualTicks: true });
  const sims = await startStoreSims();
  hourly = await addConnection(t, {
    ...connectionFileFor(sims, 'hourly'),
    schedule: { frequency: 'hourly', at: '03:00', timeZone: 'Europe/Helsinki' },
  });
  daily = await addConnection(t, {
    ...connectionFileFor(sims, 'daily'),
    schedule: { frequency: 'daily', at: '03:00', timeZone: 'Europe/Helsinki' },
  });
});

const setFiredAt = (id: string, at: Date) =>
  t.service.database.db
    .updateTable('connections')
    .set({ schedule_fired_at: at })
    .where('id', '=', id)
    .execute();

describe('automatic product updates', () => {
  it('does not fire a schedule just switched on', async () => {
    expect(await t.service.scheduler!.tick()).toBe(0);
  });

  it('queues one import for a schedule that is due, runs it, and not again until the next time', async () => {
    await setFiredAt(hourly.id, new Date(Date.now() - 2 * 3600_000));
    // The daily one fired after today's 03:00 already: not due.
    await setFiredAt(daily.id, new Date());
    expect(await t.service.scheduler!.tick()).toBe(1);
    const run = await waitFor(
      'the scheduled run',
      async () => {
        const row = await t.service.database.db
          .selectFrom('import_runs')
          .select(['connection_id', 'trigger', 'status'])
          .where('trigger', '=', 'schedule')
          .executeTakeFirst();
        return row && row.status !== 'running' ? row : undefined;
      },
      { timeoutMs: 15_000 },
    );
    expect(run).toEqual({ connection_id: hourly.id, trigger: 'schedule', status: 'completed' });
    expect(await t.service.scheduler!.tick()).toBe(0);
  });

  it('fires once when two ticks race for the same due schedule', async () => {
    await setFiredAt(hourly.id, new Date(Date.now() - 2 * 3600_000));
    const queued = await Promise.all([t.service.scheduler!.tick(), t.service.scheduler!.tick()]);
    expect(queued.reduce((a, b) => a + b, 0)).toBe(1);
  });
});
