import { describe, expect, it } from 'vitest';
import { placeOrder, waitFor } from '../../helpers/worker-process.ts';
import { AdminClient, connectionFileFor, startStoreSims } from '../../helpers/service.ts';
import { createCluster } from '../../helpers/service-process.ts';
import { createTestDatabase } from '../../helpers/test-database.ts';

/*
 * One web process and two worker processes over one PostgreSQL server: webhooks arrive at the web
 * process, jobs run in the workers, spread between them, and no order or import is handled twice.
 */
describe('scale-out: serve --role web and two --role worker over one database', () => {
  it('spreads orders over both workers, sends each exactly once, and runs both stores’ imports', async () => {
    const database = await createTestDatabase();
    const cluster = await createCluster(database);
    const [simsA, simsB] = await Promise.all([startStoreSims(), startStoreSims()]);
    await cluster.store.upsertFromFile(connectionFileFor(simsA, 'alpha'));
    await cluster.store.upsertFromFile(connectionFileFor(simsB, 'beta'));
    const workers = await Promise.all([cluster.start('worker'), cluster.start('worker')]);
    const web = await cluster.start('web');

    // The web process subscribed both stores to itself (start('web') waits for that).
    expect(await database.db.selectFrom('webhook_subscriptions').select('uuid').execute()).toHaveLength(2);
    const admin = new AdminClient(web.url);
    await admin.signIn();
    await admin.get('/connections/alpha');
    expect((await admin.post('/connections/alpha/imports')).status).toBe(303);
    expect((await admin.post('/connections/beta/imports')).status).toBe(303);

    const placed: Record<string, number[]> = { alpha: [], beta: [] };
    for (let i = 0; i < 15; i += 1) {
      const [a, b] = await Promise.all([placeOrder(simsA), placeOrder(simsB)]);
      placed.alpha!.push(a.id);
      placed.beta!.push(b.id);
    }
    // A worker logs a send or an import after recording it, and its log reaches this process through a
    // pipe: wait for the log lines asserted below too, not only for the database.
    const logged = (msg: string) => workers.flatMap((w) => w.logs().filter((l) => l.msg === msg)).length;
    await waitFor(
      'all 30 orders sent and both imports done, and the workers’ log lines about them',
      async () => {
        const sent = await database.db
          .selectFrom('order_ledger')
          .select('order_id')
          .where('state', '=', 'sent')
          .execute();
        const runs = await database.db.selectFrom('import_runs').select('status').execute();
        return sent.length === 30 &&
          runs.length === 2 &&
          runs.every((r) => r.status === 'completed') &&
          logged('order sent to NetBaron') >= 30 &&
          logged('product import finished') >= 2
          ? true
          : undefined;
      },
      { timeoutMs: 60_000, everyMs: 100 },
    );

    // Each NetBaron has its store's orders, once each.
    for (const [sims, slug] of [
      [simsA, 'alpha'],
      [simsB, 'beta'],
    ] as const) {
      const ids = sims.netbaron.system.salesOrders().map((o) => Number(o.InvoiceDetails.OrderIdentifier));
      expect(ids.sort((x, y) => x - y)).toEqual([...placed[slug]!].sort((x, y) => x - y));
    }
    // The sends were spread over both workers, each order sent by exactly one of them; none by the web.
    const sentBy = workers.map((w) => w.logs().filter((l) => l.msg === 'order sent to NetBaron'));
    const total = sentBy.reduce((n, lines) => n + lines.length, 0);
    expect(total).toBe(30);
    expect(sentBy.every((lines) => lines.length > 0)).toBe(true);
    expect(web.logs().some((l) => l.msg === 'order sent to NetBaron')).toBe(false);
    const imports = workers.flatMap((w) => w.logs().filter((l) => l.msg === 'product import finished'));
    expect(imports).toHaveLength(2);
    // Every line of a worker names its role and process.
    expect(workers[0]!.logs().every((l) => l.role === 'worker' && l.pid === workers[0]!.pid)).toBe(true);

    // The worker's port answers operations only.
    expect((await fetch(`${workers[0]!.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${workers[0]!.url}/sign-in`)).status).toBe(404);

    expect(await Promise.all([web.stop(), ...workers.map((w) => w.stop())])).toEqual([0, 0, 0]);
  }, 150_000);

  it('refuses --role web without a shared database', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, ['bin/netbaron.js', 'serve', '--role', 'web', '--port', '0'], {
      cwd: new URL('../../..', import.meta.url).pathname,
      env: { ...process.env, DATABASE_URL: '' },
      encoding: 'utf8',
      // A process's start takes seconds on a busy machine; the bound only ends a hung one.
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('needs a shared database: set DATABASE_URL');
  });
});
