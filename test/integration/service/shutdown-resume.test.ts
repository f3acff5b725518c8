import { describe, expect, it } from 'vitest';
import { enqueueImport } from '../../../src/jobs/import-jobs.ts';
import { addConnection, connectionFileFor, startStoreSims, startTestService } from '../../helpers/service.ts';
import { waitFor } from '../../helpers/worker-process.ts';

/*
 * A graceful stop in the middle of an import: the run stops between writes and is marked interrupted,
 * the service exits; the next start queues it again by itself and it resumes where it stopped. Each
 * planned write reaches the store exactly once across both processes.
 */
describe('stopping the service during an import', () => {
  it('leaves the run interrupted, and the next start resumes it without writing anything twice', async () => {
    const first = await startTestService();
    const sims = await startStoreSims();
    const record = await addConnection(first, connectionFileFor(sims, 'alpha'));
    // Slow writes, one at a time: the stop lands in the middle of the run.
    await fetch(`${sims.mycashflow.url}/__sim/faults`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rules: [{ latencyMs: 250 }] }),
    });
    await first.service.database.db
      .updateTable('connections')
      .set({
        settings: JSON.stringify({
          ...record.settings,
          productImport: { ...record.settings.productImport, concurrency: 1 },
        }),
        updated_at: new Date(),
      })
      .where('id', '=', record.id)
      .execute();
    await enqueueImport(first.service.boss, { connectionId: record.id });
    const db = first.service.database.db;
    // Outcomes are recorded in batches, so the store's own log tells when writing has begun.
    await waitFor(
      'the first write',
      async () => {
        const log = (await (await fetch(`${sims.mycashflow.url}/__sim/requests`)).json()) as {
          counts: { byMethod: Record<string, number> };
        };
        return (log.counts.byMethod.PATCH ?? 0) + (log.counts.byMethod.PUT ?? 0) >= 1 ? true : undefined;
      },
      { timeoutMs: 15_000, everyMs: 50 },
    );
    const { id: runId } = await db.selectFrom('import_runs').select('id').executeTakeFirstOrThrow();
    await first.service.stop();
    const stopped = await db
      .selectFrom('import_runs')
      .select('status')
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    expect(stopped.status).toBe('interrupted');
    const tally = async () =>
      db.selectFrom('import_actions').select(['status']).where('run_id', '=', runId).execute();
    const doneBefore = (await tally()).filter((a) => a.status === 'done').length;
    const total = (await tally()).length;
    expect(doneBefore).toBeGreaterThan(0);
    expect(doneBefore).toBeLessThan(total);

    await fetch(`${sims.mycashflow.url}/__sim/faults`, { method: 'DELETE' });
    const second = await startTestService({ database: first.database, dataDir: first.dataDir });
    const finished = await waitFor(
      'the resumed run',
      async () => {
        const row = await second.service.database.db
          .selectFrom('import_runs')
          .select(['status'])
          .where('id', '=', runId)
          .executeTakeFirstOrThrow();
        return row.status === 'completed' ? row : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(finished.status).toBe('completed');
    // Across both processes, no object of the store was written twice: each write's path appears once.
    const log = (await (await fetch(`${sims.mycashflow.url}/__sim/requests`)).json()) as {
      requests: Array<{ method: string; path: string }>;
    };
    const writes = log.requests
      .filter((r) => r.method !== 'GET' && r.path !== '/api/v1/webhooks')
      .map((r) => `${r.method} ${r.path}`);
    expect(writes.length).toBeGreaterThanOrEqual(total);
    expect(new Set(writes).size).toBe(writes.length);
    const state = (await (await fetch(`${sims.mycashflow.url}/__sim/state`)).json()) as {
      products: Array<{ product_code: string; price: number }>;
    };
    expect(state.products.find((p) => p.product_code === 'KIRJA-1')?.price).toBe(26.9);
    expect(state.products.some((p) => p.product_code === 'UUSI-1')).toBe(true);
  }, 60_000);
});
