import type { Command } from 'commander';
import { importProducts } from '../../catalog/import-products.ts';
import {
  addConnectionOptions,
  connectionSource,
  withConnection,
  type ConnectionOptions,
} from '../with-connection.ts';
import { EXIT } from '../exit-codes.ts';
import { formatPlan, formatProblems, formatSummary } from '../format-import.ts';
import { createProgressBar } from '../progress-bar.ts';
import { stopRequested } from '../stop-signal.ts';
import { importRunStore } from '../../db/import-run-store.ts';

interface ImportCliOptions extends ConnectionOptions {
  dryRun?: boolean;
  json?: boolean;
  force?: boolean;
  overwriteHeld?: boolean;
}

export function registerImportProductsCommand(program: Command): void {
  addConnectionOptions(
    program
      .command('import-products')
      .description('"Fetch all products": import the marketplace products of NetBaron into the store'),
  )
    .option('--dry-run', 'plan and show the field-level changes; write nothing to MyCashflow')
    .option('--json', 'print a summary object instead of text')
    .option('--force', 'write even when a guard would stop the run')
    .option(
      '--overwrite-held',
      "write NetBaron's balance over held codes too (stock the store got back from returns NetBaron does not have)",
    )
    .action(async (opts: ImportCliOptions, command: Command) => {
      const source = connectionSource(opts, command);
      const stop = new AbortController();
      void stopRequested().then(() => stop.abort());
      const bar = createProgressBar();
      await withConnection(
        source,
        async ({ connection, database, logger, mcf, nb }) => {
          const report = await importProducts({
            runs: importRunStore(database.db),
            connection,
            mcf,
            nb,
            dryRun: opts.dryRun,
            force: opts.force,
            ...(opts.overwriteHeld ? { overwriteHeld: 'all' as const } : {}),
            logger,
            signal: stop.signal,
            onStage: (text) => bar.stage(text),
            onProgress: (p) => bar.update(p),
          });
          bar.done();
          const { summary } = report;
          if (opts.json) {
            console.log(JSON.stringify(summary, null, 2));
          } else {
            if (report.actions && opts.dryRun)
              console.log(report.actions.length ? formatPlan(report.actions) : 'Nothing to write.');
            if (summary.problems.length) console.log(`\nProblems:\n${formatProblems(summary.problems)}`);
            console.log(`\n${formatSummary(summary)}`);
          }
          // Done, but a person is needed: a guard stopped it, it was interrupted, writes failed, codes are held.
          if (
            ['blocked', 'interrupted', 'cancelled', 'completed-with-failures'].includes(summary.status) ||
            summary.held.length > 0
          )
            process.exitCode = EXIT.NEEDS_ATTENTION;
        },
        { writes: !opts.dryRun },
      ).finally(() => bar.done());
    });
}
