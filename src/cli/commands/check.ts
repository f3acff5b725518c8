import type { Command } from 'commander';
import { runPreflight } from '../../catalog/preflight.ts';
import {
  addConnectionOptions,
  connectionSource,
  withConnection,
  type ConnectionOptions,
} from '../with-connection.ts';
import { EXIT } from '../exit-codes.ts';
import { formatProblems } from '../format-import.ts';
import { importRunStore } from '../../db/import-run-store.ts';

export function registerCheckCommand(program: Command): void {
  addConnectionOptions(
    program
      .command('check')
      .description(
        'pre-flight: report duplicate codes on both sides and every problem an import would raise, writing nothing',
      ),
  )
    .option('--json', 'print the report as JSON')
    .action(async (opts: ConnectionOptions & { json?: boolean }, command: Command) => {
      await withConnection(connectionSource(opts, command), async ({ connection, database, mcf, nb }) => {
        const report = await runPreflight({ runs: importRunStore(database.db), connection, mcf, nb });
        const { problems, paymentMethods, guard } = report;
        // Done, but a person is needed: something to fix before an import runs cleanly.
        if (problems.length > 0 || (paymentMethods?.length ?? 0) > 0 || !guard.ok)
          process.exitCode = EXIT.NEEDS_ATTENTION;
        if (opts.json) {
          console.log(JSON.stringify(report, null, 2));
          return;
        }
        console.log(
          problems.length ? `Problems:\n${formatProblems(problems)}` : 'No product problems found.',
        );
        if (paymentMethods === null)
          console.log('\nPayment methods not checked: no Order API password in the connection file.');
        else if (paymentMethods.length === 0)
          console.log('\nEvery store payment method has an exact counterpart in NetBaron.');
        else console.log(`\nPayment methods:\n${paymentMethods.map((f) => `- ${f.reason}`).join('\n')}`);
        const c = report.wouldDo;
        console.log(
          `\nAn import now would create ${c.create}, update ${c.update}, leave ${c.unchanged} unchanged, hide ${c.hide}, delete ${c.delete} products and ${c.deleteVariation} variations.`,
        );
        if (!guard.ok)
          console.log(`It would stop before writing:\n${guard.reasons.map((r) => `- ${r}`).join('\n')}`);
      });
    });
}
