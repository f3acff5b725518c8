import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../simulators/scenario.ts';
import { openDatabase, type OpenDatabase } from '../../src/db/database.ts';
import { enqueueImport } from '../../src/jobs/import-jobs.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startService, type RunningService } from '../../src/server/service.ts';
import { startRestartablePostgres, type RestartablePostgres } from '../helpers/restartable-postgres.ts';
import { smallScenario } from '../helpers/scenarios.ts';
import { ADMIN_PASSWORD, connectionFileFor, startStoreSims } from '../helpers/service.ts';
import { ledgerRows, placeOrder, setFaults, waitFor } from '../helpers/worker-process.ts';

/*
 * The issue's scenario: "the database restarted in the middle of a run: the service recovers without
 * manual steps". The service runs in this process on a PostgreSQL cluster of the test's own; an import
 * is writing to the store (slowed by the simulators' latency) and orders keep arriving by webhook when
 * the cluster is stopped (a fast shutdown: every session is cut) and, a few seconds later, started
 * again on the same port and folder. Nobody touches the service meanwhile. It must say it is not ready
 * while the database is away and ready after, finish the import as an undisturbed one would without
 * writing any store object twice, export every order exactly once, and not crash on the way.
 */

/** Products known to both systems with other prices and stock: about 80 more writes for the import. */
const EXTRA = 40;
const LATENCY_MS = 200;
const OUTAGE_MS = 5_000;
/** Everything is due this long after the restart at the latest: a bound that ends a stuck run, set for a busy machine. */
const RECOVERY_MS = 120_000;
const ORDER_EVERY_MS = 300;
const SLUG = 'alpha';

const code = (i: number) => `GEN-${String(i).padStart(3, '0')}`;

function restartScenario(): Scenario {
  const base = smallScenario();
  const mcf = base.mycashflow as { products: unknown[] };
  const nb = base.netbaron as { products: unknown[] };
  for (let i = 1; i <= EXTRA; i += 1) {
    mcf.products.push({
      id: 1000 + i,
      product_code: code(i),
      name: `Lisätuote ${i}`,
      price: 10,
      purchase_price: 4,
      vat_rate: 25.5,
      stock_item: { quantity: 1, reserved: 0 },
    });
    nb.products.push({
      ProductCode: code(i),
      Name: `Lisätuote ${i}`,
      VatPercent: 25.5,
      SalesPriceVatIncluded: Math.round((10.5 + (i % 7) / 10) * 100) / 100,
      PurchasePrice: 4,
      Quantity: 5 + i,
      Marketplaces: ['3'],
    });
  }
  return base;
}

interface SimRequest {
  method: string;
  path: string;
}

async function mcfRequests(url: string): Promise<SimRequest[]> {
  const res = await fetch(`${url}/__sim/requests`);
  return ((await res.json()) as { requests: SimRequest[] }).requests;
}

/** The connector's writes of store objects (the webhook subscription is not one). */
const productWrites = (requests: SimRequest[]) =>
  requests.filter((r) => r.method !== 'GET' && !r.path.startsWith('/api/v1/webhooks'));

async function readyz(url: string): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    return { status: 0, body: (err as Error).message };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The service's log lines above debug, the newest last: for a failure's message. */
const tail = (logs: string[], n = 40) =>
  logs
    .filter((l) => !l.includes('"level":"debug"'))
    .slice(-n)
    .join('\n');

describe('the database restarting in the middle of a run', () => {
  // Anything the service leaves unhandled would end a real process: collected, and must stay empty.
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);

  let pg: RestartablePostgres | undefined;
  let database: OpenDatabase | undefined;
  let service: RunningService | undefined;
  let serviceDir: string | undefined;
  let placing = false;
  const logs: string[] = [];
  afterAll(async () => {
    placing = false;
    await service?.stop().catch(() => undefined);
    await database?.close().catch(() => undefined);
    await pg?.destroy();
    if (serviceDir) await rm(serviceDir, { recursive: true, force: true });
    process.off('unhandledRejection', onUnhandled);
  }, 60_000);

  it('recovers by itself: ready again, the import completed once, every order exported once', async () => {
    pg = await startRestartablePostgres();
    database = await openDatabase({ databaseUrl: pg.url, dataDir: pg.dataDir, poolSize: 24 });
    expect(database.appliedMigrations.length).toBeGreaterThan(0);
    serviceDir = await mkdtemp(path.join(tmpdir(), 'nb-restart-service-'));
    service = await startService({
      env: {
        DATA_DIR: serviceDir,
        PORT: 0,
        HOST: '127.0.0.1',
        ADMIN_PASSWORD,
        COOKIE_SECURE: 'auto',
        TRUST_PROXY: 0,
      },
      logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
      database,
    });
    const { url } = service;
    const db = database.db;

    const sims = await startStoreSims(restartScenario());
    const record = await service.store.upsertFromFile(connectionFileFor(sims, SLUG));
    await service.context.subscribeWebhooks(record.id);
    expect((await readyz(url)).status).toBe(200);

    // Orders arrive all along, each delivered by webhook: before, during and after the outage.
    const placed: number[] = [];
    placing = true;
    const placer = (async () => {
      while (placing) {
        placed.push((await placeOrder(sims)).id);
        await sleep(ORDER_EVERY_MS);
      }
    })();

    await setFaults(sims, 'mycashflow', [{ path: '/api/*', latencyMs: LATENCY_MS }]);
    await setFaults(sims, 'netbaron', [{ latencyMs: LATENCY_MS }]);
    expect(await enqueueImport(service.boss, { connectionId: record.id })).toBeTruthy();

    // The outage begins once the import is writing.
    await waitFor(
      'the import writing to the store',
      async () => (productWrites(await mcfRequests(sims.mycashflow.url)).length >= 8 ? true : undefined),
      { timeoutMs: 30_000, everyMs: 50 },
    );
    const { id: runId } = await db
      .selectFrom('import_runs')
      .select('id')
      .where('connection_id', '=', record.id)
      .executeTakeFirstOrThrow();
    const ordersBefore = placed.length;

    const outageStarted = performance.now();
    await pg.stop();
    const down = await waitFor(
      '/readyz to answer 503',
      async () => {
        const r = await readyz(url);
        return r.status === 503 ? r : undefined;
      },
      { timeoutMs: 30_000, everyMs: 100 },
    );
    expect(JSON.parse(down.body)).toMatchObject({
      ok: false,
      checks: {
        database: expect.stringMatching(/^unavailable/),
        queue: expect.stringMatching(/^unavailable/),
      },
    });
    await sleep(Math.max(0, OUTAGE_MS - (performance.now() - outageStarted)));
    expect((await readyz(url)).status).toBe(503);
    const ordersDuring = placed.length - ordersBefore;
    const writesDuringOutage = productWrites(await mcfRequests(sims.mycashflow.url)).length;
    await pg.start();
    const restarted = performance.now();
    const outageMs = restarted - outageStarted;

    await waitFor(
      '/readyz to answer 200 again',
      async () => ((await readyz(url)).status === 200 ? true : undefined),
      { timeoutMs: RECOVERY_MS, everyMs: 100 },
    );
    const readyAfterMs = performance.now() - restarted;

    // A few more orders once it is ready again (counted, not timed), then the store goes quiet.
    const placedWhenReady = placed.length;
    await waitFor(
      'three more orders after the restart',
      async () => (placed.length >= placedWhenReady + 3 ? true : undefined),
      { timeoutMs: 30_000, everyMs: 50 },
    );
    placing = false;
    await placer;
    const ordersAfter = placed.length - ordersBefore - ordersDuring;
    expect(ordersDuring).toBeGreaterThan(0);
    expect(ordersAfter).toBeGreaterThan(0);

    // Both are due within RECOVERY_MS of the restart, with nothing done by hand.
    const deadline = restarted + RECOVERY_MS;
    const left = () => Math.max(1_000, deadline - performance.now());
    const importDone = waitFor(
      'the import to complete',
      async () => {
        const row = await db
          .selectFrom('import_runs')
          .select(['id', 'status'])
          .where('id', '=', runId)
          .executeTakeFirstOrThrow();
        return row.status === 'completed' ? performance.now() - restarted : undefined;
      },
      { timeoutMs: left(), everyMs: 250 },
    ).catch(async (err: unknown) => {
      const runs = await db.selectFrom('import_runs').select(['id', 'status', 'error', 'job_id']).execute();
      const jobs =
        await sql`select id, state, retry_count, started_on from pgboss.job where name = 'import-products'`.execute(
          db,
        );
      throw new Error(
        `${(err as Error).message}; runs: ${JSON.stringify(runs)}; jobs: ${JSON.stringify(jobs.rows)}\n${tail(logs)}`,
      );
    });
    const ordersDone = waitFor(
      `all ${placed.length} orders sent`,
      async () => {
        const rows = await ledgerRows(db, SLUG);
        const sent = new Set(rows.filter((r) => r.state === 'sent').map((r) => r.orderId));
        return placed.every((id) => sent.has(id)) ? performance.now() - restarted : undefined;
      },
      { timeoutMs: left(), everyMs: 250 },
    ).catch(async (err: unknown) => {
      const rows = await ledgerRows(db, SLUG);
      const missing = placed.filter((id) => !rows.some((r) => r.orderId === id && r.state === 'sent'));
      throw new Error(
        `${(err as Error).message}; not sent: ${JSON.stringify(missing)}; ledger: ${JSON.stringify(rows.filter((r) => r.state !== 'sent'))}\n${tail(logs)}`,
      );
    });
    const [importDoneMs, ordersDoneMs] = await Promise.all([importDone, ordersDone]);

    // The import: the one run, resumed by the service itself and completed; nothing failed or left over.
    const runs = await db
      .selectFrom('import_runs')
      .select(['id', 'status', 'dry_run'])
      .where('connection_id', '=', record.id)
      .execute();
    expect(runs).toEqual([{ id: runId, status: 'completed', dry_run: false }]);
    expect(logs.some((l) => l.includes('"msg":"resuming an interrupted import"'))).toBe(true);
    const actions = await db
      .selectFrom('import_actions')
      .select(['code', 'kind', 'status'])
      .where('run_id', '=', runId)
      .execute();
    expect(actions.filter((a) => a.status !== 'done')).toEqual([]);

    // The store as an undisturbed import leaves it: every product of the marketplace once, at NetBaron's
    // price; nothing of another marketplace.
    const state = (await (await fetch(`${sims.mycashflow.url}/__sim/state`)).json()) as {
      products: Array<{
        product_code: string;
        price: number;
        variations: Array<{ product_code: string; price: number }>;
      }>;
    };
    const storePrices = new Map<string, number[]>();
    for (const p of state.products)
      for (const item of [p, ...p.variations])
        storePrices.set(item.product_code, [...(storePrices.get(item.product_code) ?? []), item.price]);
    const listed = sims.netbaron.system.products().filter((p) => !p.Deleted && p.Marketplaces.includes('3'));
    expect(listed.length).toBe(EXTRA + 5);
    expect(listed.map((p) => [p.ProductCode, storePrices.get(p.ProductCode)])).toEqual(
      listed.map((p) => [p.ProductCode, [Number(p.SalesPriceVatIncluded)]]),
    );
    expect(storePrices.has('B2B-ONLY')).toBe(false);

    // No store object written twice, across the interrupted and the resumed part of the run; the
    // resumed part did write.
    const writes = productWrites(await mcfRequests(sims.mycashflow.url)).map((r) => `${r.method} ${r.path}`);
    expect(writes.filter((w, i) => writes.indexOf(w) !== i)).toEqual([]);
    expect(writes.length).toBeGreaterThanOrEqual(EXTRA * 2);
    expect(writes.length).toBeGreaterThan(writesDuringOutage);

    // Every order in NetBaron exactly once, and sent in the ledger.
    const counts = new Map<number, number>();
    for (const o of sims.netbaron.system.salesOrders()) {
      const id = Number(o.InvoiceDetails.OrderIdentifier);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect([...counts.entries()].sort(([a], [b]) => a - b)).toEqual(placed.map((id) => [id, 1]));
    const ledger = await ledgerRows(db, SLUG);
    expect(ledger.map((r) => [r.orderId, r.state])).toEqual(placed.map((id) => [id, 'sent']));

    // The process went through it all without an unhandled rejection, and is ready.
    expect(unhandled).toEqual([]);
    expect((await readyz(url)).status).toBe(200);
    process.stdout.write(
      `database-restart: outage ${(outageMs / 1000).toFixed(1)} s; ready ${(readyAfterMs / 1000).toFixed(1)} s after the restart; ` +
        `import completed ${(importDoneMs / 1000).toFixed(1)} s after it (${actions.length} actions, ${writesDuringOutage} of ${writes.length} writes by the end of the outage); ` +
        `${placed.length} orders (${ordersBefore} before, ${ordersDuring} during, ${ordersAfter} after) all sent ${(ordersDoneMs / 1000).toFixed(1)} s after it\n`,
    );
  }, 300_000);
});
