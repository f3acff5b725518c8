import type { Command } from 'commander';
import { generateDemoScenario } from '../../../simulators/demo/index.ts';
import { startSimulators } from '../../../simulators/scenario.ts';
import { readEnv } from '../../config/env.ts';
import { openDatabase } from '../../db/database.ts';
import { orderLedgerStore } from '../../db/order-ledger-store.ts';
import { exportOrders } from '../../orders/export-orders.ts';
import { clientsFor } from '../../connections/clients.ts';
import { importProducts } from '../../catalog/import-products.ts';
import { demoConnectionFile, resetDemoConnection } from '../demo-setup.ts';
import { createLogger } from '../../observability/logger.ts';
import { positiveIntOption } from '../options.ts';
import { createProgressBar } from '../progress-bar.ts';
import { stopRequested } from '../stop-signal.ts';
import { importRunStore } from '../../db/import-run-store.ts';

interface DemoOptions {
  products: number;
  seed: number;
  keepRunning?: boolean;
}

const writeCount = (byMethod: Record<string, number>): number =>
  Object.entries(byMethod).reduce((n, [method, count]) => (method === 'GET' ? n : n + count), 0);

/**
 * The command-line tour (the earlier `npm start`): the embedded database, both simulators seeded with a demo
 * catalog, and a full read of both sides through the real clients, summarised.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'start the embedded database and the simulators with demo data, and read both sides through the clients',
    )
    .option('--products <n>', 'size of the demo catalog', positiveIntOption, 2000)
    .option('--seed <n>', 'seed of the demo generator', positiveIntOption, 1)
    .option('--keep-running', 'leave the simulators running afterwards, until Ctrl-C')
    .action(async (opts: DemoOptions) => {
      const started = performance.now();
      const env = readEnv();
      const logger = createLogger({ level: env.LOG_LEVEL, format: env.LOG_FORMAT });
      const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
      console.log(
        `Database: ${database.mode === 'embedded' ? `embedded PostgreSQL in ${env.DATA_DIR}` : 'shared server (DATABASE_URL)'}` +
          `, ${database.appliedMigrations.length} migration(s) applied now`,
      );
      const scenario = generateDemoScenario({ products: opts.products, seed: opts.seed });
      const sims = await startSimulators({ scenario });
      try {
        const connection = demoConnectionFile(sims);
        const { mcf, nb } = clientsFor(connection, logger);
        // The simulators start afresh each time, so the demo connection's history must too.
        await resetDemoConnection(database.db);

        const bar = createProgressBar();
        const first = await importProducts({
          runs: importRunStore(database.db),
          connection,
          mcf,
          nb,
          logger,
          onStage: (t) => bar.stage(t),
          onProgress: (p) => bar.update(p),
        });
        bar.done();
        const writesBefore = writeCount(mcf.stats.byMethod);
        const second = await importProducts({
          runs: importRunStore(database.db),
          connection,
          mcf,
          nb,
          logger,
        });
        const orders = await exportOrders({
          ledger: orderLedgerStore(database.db),
          connection,
          mcf,
          nb,
          since: new Date('2000-01-01'),
          logger,
        });
        const s = first.summary;
        const problemKinds = new Map<string, number>();
        for (const p of s.problems) problemKinds.set(p.kind, (problemKinds.get(p.kind) ?? 0) + 1);

        const rows: Array<[string, string]> = [
          ['Product import', `run ${s.runId}: ${s.status} in ${(s.durationMs / 1000).toFixed(1)} s`],
          ['Created / updated / unchanged', `${s.created} / ${s.updated} / ${s.unchanged}`],
          ['Hidden / variations deleted', `${s.hidden} / ${s.variationsDeleted}`],
          ['Problems', [...problemKinds].map(([k, n]) => `${n} ${k}`).join(', ') || 'none'],
          [
            'Requests to MyCashflow',
            Object.entries(s.requests.mycashflow)
              .map(([m, n]) => `${m} ${n}`)
              .join(', '),
          ],
          [
            'Re-import with no change',
            `${second.summary.status}, ${writeCount(mcf.stats.byMethod) - writesBefore} writes to MyCashflow`,
          ],
          [
            'Order export',
            `${orders.exported} of ${orders.polled.seen} orders sent to NetBaron, ${orders.waiting.length} waiting` +
              (orders.waiting[0] ? ` (e.g. ${orders.waiting[0].reason})` : ''),
          ],
          ['Elapsed', `${((performance.now() - started) / 1000).toFixed(1)} s`],
        ];
        const width = Math.max(...rows.map(([k]) => k.length));
        console.log('');
        for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
        console.log(
          '\nSee every problem with: npx netbaron check --config <connection file> (README: Product import).',
        );
        if (opts.keepRunning) {
          console.log(
            `\nSimulators: MyCashflow ${sims.mycashflow.url}/api/v1, NetBaron ${sims.netbaron.url}/ws. Ctrl-C stops.`,
          );
          await stopRequested();
        }
      } finally {
        await sims.close();
        await database.close();
      }
    });
}
