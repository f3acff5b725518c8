import { slugOf, type ConnectionFile } from '../config/connection-file.ts';
import type { MyCashflowClient } from '../mycashflow/client.ts';
import type { NetBaronClient } from '../netbaron/client.ts';
import { comparePaymentMethods, type PaymentMethodFinding } from '../orders/payment-preflight.ts';
import { collect } from '../util/collect.ts';
import { evaluateGuards } from './guards.ts';
import { readNetBaronListing, readStoreCatalog } from './import-products.ts';
import type { ImportRunStore } from './import-store.ts';
import type { PlanCounts, Problem } from './plan.ts';
import { planImport } from './planner.ts';

export interface PreflightReport {
  problems: Problem[];
  /** Null when not checked: order export needs the Order API password. */
  paymentMethods: PaymentMethodFinding[] | null;
  wouldDo: PlanCounts;
  guard: { ok: boolean; reasons: string[] };
}

/** Everything an import and order export would trip over, read from both sides, writing nothing. */
export async function runPreflight(options: {
  runs: Pick<ImportRunStore, 'ensureConnection' | 'loadLinkedCodes'>;
  connection: ConnectionFile;
  mcf: MyCashflowClient;
  nb: NetBaronClient;
}): Promise<PreflightReport> {
  const { runs, connection, mcf, nb } = options;
  const connectionId = await runs.ensureConnection(slugOf(connection), connection.name);
  const [listing, store, linked] = await Promise.all([
    readNetBaronListing(nb, connection.netbaron.marketplace, {
      descriptions: connection.productImport.updateDescriptions,
    }),
    readStoreCatalog(mcf),
    runs.loadLinkedCodes(connectionId),
  ]);
  const plan = planImport({
    netbaron: listing,
    store,
    settings: connection.productImport,
    linkedCodes: linked,
  });
  const guard = evaluateGuards(plan, connection.productImport.guards);
  let paymentMethods: PaymentMethodFinding[] | null = null;
  if (connection.netbaron.orderApiPassword) {
    const storeNames = (await collect(mcf.listPaymentMethods(), 10_000)).map((m) => m.name);
    paymentMethods = comparePaymentMethods(storeNames, await nb.listPaymentMethods());
  }
  return {
    problems: plan.problems,
    paymentMethods,
    wouldDo: plan.counts,
    guard: { ok: guard.ok, reasons: guard.reasons },
  };
}
