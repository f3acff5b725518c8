import { afterAll, describe, expect, it } from 'vitest';
import { generateDemoScenario } from '../../simulators/demo/index.ts';
import { startSimulators, type RunningSimulators } from '../../simulators/scenario.ts';
import { importProducts } from '../../src/catalog/import-products.ts';
import { demoConnectionFile } from '../../src/cli/demo-setup.ts';
import { clientsFor } from '../../src/connections/clients.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import { importRunStore } from '../../src/db/import-run-store.ts';

/*
 * MyCashflow enforcing a rate limit (429 with Retry-After beyond 50 requests a second) during an
 * import of a 10 000-product catalog in which 1 500 prices changed. The import starts at 16 writes in flight, far above what the
 * limit lets through, and must finish with every write done while the share of refused requests falls
 * as its concurrency comes down to what the store takes.
 */

describe('MyCashflow answering 429 with Retry-After during a 10 000-product import', () => {
  let sims: RunningSimulators;
  afterAll(() => sims?.close());

  it('completes, and the share of 429s falls as the connector slows down to the limit', async () => {
    sims = await startSimulators({ scenario: generateDemoScenario({ products: 10_000, seed: 3 }) });
    const file = demoConnectionFile(sims);
    const connection = { ...file, productImport: { ...file.productImport, concurrency: 16 } };
    const { db } = await createTestDatabase();
    // First the catalog as it stands, without limits; then 1 500 prices change in NetBaron, and those
    // updates are what the rate-limited import of all 10 000 products has to write.
    const first = await importProducts({
      runs: importRunStore(db),
      connection,
      ...clientsFor(connection, silentLogger),
    });
    expect(first.summary.status).toBe('completed');
    const nbState = (await (await fetch(`${sims.netbaron.url}/__sim/state`)).json()) as {
      products: Array<{
        ProductCode: string;
        SalesPriceVatIncluded?: number;
        Deleted?: boolean;
        Marketplaces?: string[];
      }>;
    };
    let changed = 0;
    for (const p of nbState.products) {
      if (
        changed >= 1_500 ||
        p.Deleted ||
        !p.Marketplaces?.includes('3') ||
        typeof p.SalesPriceVatIncluded !== 'number'
      )
        continue;
      p.SalesPriceVatIncluded = Math.round(p.SalesPriceVatIncluded * 105) / 100;
      changed += 1;
    }
    expect(changed).toBe(1_500);
    await fetch(`${sims.netbaron.url}/__sim/state`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(nbState),
    });
    await fetch(`${sims.mycashflow.url}/__sim/requests`, { method: 'DELETE' });
    await fetch(`${sims.mycashflow.url}/__sim/faults`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        rules: [
          { path: '/api/v1/*', latencyMs: 25 },
          { path: '/api/v1/*', status: 429, retryAfter: 1, maxPerSecond: 50 },
        ],
      }),
    });

    const report = await importProducts({
      runs: importRunStore(db),
      connection,
      ...clientsFor(connection, silentLogger),
      logger: silentLogger,
    });

    expect(report.summary.status).toBe('completed');
    expect(report.summary.failed).toBe(0);
    expect(report.summary.updated).toBeGreaterThanOrEqual(1_400);

    // The store's own log, in the order the requests came (it keeps the newest 5 000; the run makes
    // fewer): the share refused among the first writes, before the connector knew the limit, and among
    // the last ones. Counted by request, not by time, so a busy machine does not change the measure.
    const log = (await (await fetch(`${sims.mycashflow.url}/__sim/requests`)).json()) as {
      total: number;
      requests: Array<{ seq: number; status: number | null }>;
    };
    expect(log.requests.length).toBe(log.total);
    const ordered = [...log.requests].sort((a, b) => a.seq - b.seq);
    const share = (xs: typeof ordered) => xs.filter((r) => r.status === 429).length / xs.length;
    const early = share(ordered.slice(0, 200));
    const late = share(ordered.slice(-Math.floor(ordered.length / 2)));
    const refused = ordered.filter((r) => r.status === 429).length;
    process.stdout.write(
      `rate limit: ${refused} of ${ordered.length} requests refused; first 200: ${(early * 100).toFixed(1)} %, last half: ${(late * 100).toFixed(1)} %\n`,
    );
    // Without the back-off (a mutation that never lowers the concurrency) the share stays about 20 %
    // to the end; adapted (halving, a pause for Retry-After, a careful climb back), the store refuses
    // little more than the probes of the additive increase.
    expect(refused).toBeGreaterThanOrEqual(20);
    expect(late).toBeLessThan(early * 0.8);
    expect(late).toBeLessThan(0.1);

    // And nothing is left to do: a re-import with no change writes nothing.
    const again = await importProducts({
      runs: importRunStore(db),
      connection,
      ...clientsFor(connection, silentLogger),
    });
    expect(again.summary.created + again.summary.updated + again.summary.hidden).toBe(0);
    // Three imports of 10 000 products in this process: about two minutes on an idle 2-core machine, and
    // several on a busy one. The bound only ends a hung run.
  }, 600_000);
});
