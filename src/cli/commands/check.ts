import type { Command } from 'commander';
import { evaluateGuards } from '../../catalog/guards.ts';
import { readNetBaronListing, readStoreCatalog } from '../../catalog/import-products.ts';
import { planImport } from '../../catalog/planner.ts';
import { slugOf } from '../../config/connection-file.ts';
import { ensureConnection, loadLinkedCodes } from '../../db/import-runs.ts';
import { comparePaymentMethods, type PaymentMethodFinding } from '../../orders/payment-preflight.ts';
import { collect } from '../../util/collect.ts';
import { withConnection } from '../with-connection.ts';
import { formatProblems } from '../format-import.ts';

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description(
      'pre-flight: report duplicate codes on both sides and every problem an import would raise, writing nothing',
    )
    .requiredOption('--config <file>', 'the connection file')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { config: string; json?: boolean }) => {
      await withConnection(opts.config, async ({ connection, database, mcf, nb }) => {
        const connectionId = await ensureConnection(database.db, slugOf(connection), connection.name);
        const [listing, store, linked] = await Promise.all([
          readNetBaronListing(nb, connection.netbaron.marketplace),
          readStoreCatalog(mcf),
          loadLinkedCodes(database.db, connectionId),
        ]);
        const plan = planImport({
          netbaron: listing,
          store,
          settings: connection.productImport,
          linkedCodes: linked,
        });
        const guard = evaluateGuards(plan, connection.productImport.guards);
        // Payment methods matter only for order export, which needs the Order API password.
        let paymentMethods: PaymentMethodFinding[] | undefined;
        if (connection.netbaron.orderApiPassword) {
          const storeNames = (await collect(mcf.listPaymentMethods(), 10_000)).map((m) => m.name);
          paymentMethods = comparePaymentMethods(storeNames, await nb.listPaymentMethods());
        }
        const report = {
          problems: plan.problems,
          paymentMethods: paymentMethods ?? null,
          wouldDo: plan.counts,
          guard: { ok: guard.ok, reasons: guard.reasons },
        };
        if (opts.json) {
          console.log(JSON.stringify(report, null, 2));
          return;
        }
        console.log(
          plan.problems.length ? `Problems:\n${formatProblems(plan.problems)}` : 'No product problems found.',
        );
        if (paymentMethods === undefined)
          console.log('\nPayment methods not checked: no Order API password in the connection file.');
        else if (paymentMethods.length === 0)
          console.log('\nEvery store payment method has an exact counterpart in NetBaron.');
        else console.log(`\nPayment methods:\n${paymentMethods.map((f) => `- ${f.reason}`).join('\n')}`);
        const c = plan.counts;
        console.log(
          `\nAn import now would create ${c.create}, update ${c.update}, leave ${c.unchanged} unchanged, hide ${c.hide}, delete ${c.delete} products and ${c.deleteVariation} variations.`,
        );
        if (!guard.ok)
          console.log(`It would stop before writing:\n${guard.reasons.map((r) => `- ${r}`).join('\n')}`);
      });
    });
}
