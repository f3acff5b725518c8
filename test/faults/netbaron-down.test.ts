import { describe, expect, it } from 'vitest';
import { connectionFileFor, startStoreSims } from '../helpers/service.ts';
import { createCluster } from '../helpers/service-process.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { placeOrder, waitFor } from '../helpers/worker-process.ts';

/*
 * NetBaron unreachable for a stretch while orders keep arriving at a web process and two workers send
 * them: first answering 503, then dropping connections (before the order is taken, and after it was
 * taken, the unclear case). When it is back, every order is in NetBaron exactly once.
 */

const setFaults = (url: string, rules: unknown[]) =>
  fetch(`${url}/__sim/faults`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ rules, seed: 9 }),
  });

describe('NetBaron down, then back', () => {
  it('exports every order that arrived during the outage exactly once', async () => {
    const database = await createTestDatabase();
    const cluster = await createCluster(database);
    const sims = await startStoreSims();
    await cluster.store.upsertFromFile(connectionFileFor(sims, 'alpha'));
    const workers = await Promise.all([cluster.start('worker'), cluster.start('worker')]);
    const web = await cluster.start('web');

    const placed: number[] = [];
    const place = async (n: number) => {
      for (let i = 0; i < n; i += 1) {
        placed.push((await placeOrder(sims)).id);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await place(5);
    // 503 to every sales-order call for a while…
    await setFaults(sims.netbaron.url, [{ path: '/ws/salesorder*', status: 503, retryAfter: 1 }]);
    await place(10);
    // …then connections dropped: half after NetBaron took the order (its answer lost), half before.
    await setFaults(sims.netbaron.url, [
      { path: '/ws/salesorder*', method: 'PUT', drop: 'after', share: 0.5 },
      { path: '/ws/salesorder*', drop: 'before' },
    ]);
    // Orders keep coming until NetBaron has taken at least three whose answers were lost.
    const dropsAfter = async () => {
      const log = (await (await fetch(`${sims.netbaron.url}/__sim/requests`)).json()) as {
        requests: Array<{ fault?: string }>;
      };
      return log.requests.filter((r) => r.fault === 'drop-after').length;
    };
    for (let round = 0; round < 40 && (await dropsAfter()) < 3; round += 1) await place(1);
    // The workers send what was placed in their own time, which a busy machine stretches: wait for the
    // lost answers rather than count them the moment the last order is placed.
    await waitFor(
      'three orders NetBaron took whose answers were lost',
      async () => ((await dropsAfter()) >= 3 ? true : undefined),
      { timeoutMs: 30_000, everyMs: 250 },
    );
    const unclear = (await (await fetch(`${sims.netbaron.url}/__sim/requests`)).json()) as {
      counts: { byStatus: Record<string, number> };
    };
    await setFaults(sims.netbaron.url, []);
    await place(5);

    await waitFor(
      'every order sent',
      async () => {
        const sent = await database.db
          .selectFrom('order_ledger')
          .select('order_id')
          .where('state', '=', 'sent')
          .execute();
        return sent.length === placed.length ? true : undefined;
      },
      { timeoutMs: 90_000, everyMs: 250 },
    );
    // The outage was real: requests were refused and dropped while orders came in.
    expect(Object.keys(unclear.counts.byStatus).some((s) => s === '503')).toBe(true);
    const ids = sims.netbaron.system.salesOrders().map((o) => Number(o.InvoiceDetails.OrderIdentifier));
    expect(ids.length).toBe(placed.length);
    expect(new Set(ids)).toEqual(new Set(placed));
    // The unclear case happened: orders NetBaron took while the answer was lost were found by reading
    // back, not sent again.
    const readBack = await database.db
      .selectFrom('order_ledger')
      .select('order_id')
      .where('netbaron_answer', 'like', 'found on read-back%')
      .execute();
    expect(readBack.length).toBeGreaterThan(0);
    // Stopped first, so that their logs are read to the end: sent by the workers only, each order by one
    // of them.
    for (const p of [web, ...workers]) expect(await p.stop()).toBe(0);
    const sentLines = workers.flatMap((w) => w.logs().filter((l) => l.msg === 'order sent to NetBaron'));
    expect(new Set(sentLines.map((l) => l.orderId)).size).toBe(sentLines.length);
    expect(web.logs().some((l) => l.msg === 'order sent to NetBaron')).toBe(false);
  }, 150_000);
});
