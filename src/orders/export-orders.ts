import type { ConnectionFile } from '../config/connection-file.ts';
import { slugOf } from '../config/connection-file.ts';
import type { MyCashflowClient } from '../mycashflow/client.ts';
import type { NetBaronClient } from '../netbaron/client.ts';
import { silentLogger, type Logger } from '../observability/logger.ts';
import type { OrderLedger } from './ledger.ts';
import { pollOrders } from './poll-orders.ts';
import { sendOrder, type SendOutcome } from './send-order.ts';
import { StoreLookups } from './store-lookups.ts';

export interface ExportSummary {
  polled: { seen: number; newlyReceived: number; from: string };
  exported: number;
  /** Orders this pass found already sent: seen again by polling, or found in NetBaron on read-back. */
  alreadyExported: number;
  retryLater: number;
  waiting: Array<{ orderId: number; reason: string | null }>;
  outcomeUnknown: Array<{ orderId: number; reason: string | null }>;
  requests: { mycashflow: Record<string, number>; netbaron: Record<string, number> };
}

/** One pass of order export: intake by polling, then every due order sent, one at a time per order. */
export async function exportOrders(options: {
  ledger: OrderLedger;
  connection: ConnectionFile;
  mcf: MyCashflowClient;
  nb: NetBaronClient;
  since?: Date;
  logger?: Logger;
}): Promise<ExportSummary> {
  const { ledger, connection, mcf, nb } = options;
  const connectionId = await ledger.ensureConnection(slugOf(connection), connection.name);
  const polled = await pollOrders(ledger, connectionId, mcf, { since: options.since });
  const sentBefore = await ledger.sentAmong(connectionId, polled.seenAgain);
  const lookups = new StoreLookups(mcf);
  const ctx = {
    ledger,
    connectionId,
    nb,
    lookups,
    settings: connection.orderExport,
    logger: options.logger ?? silentLogger,
  };
  const outcomes: SendOutcome[] = [];
  const attempted = new Set<number>();
  for (;;) {
    const due = (await ledger.dueOrders(connectionId, 500)).filter((id) => !attempted.has(id));
    if (due.length === 0) break;
    for (const orderId of due) {
      attempted.add(orderId);
      outcomes.push(await sendOrder(ctx, orderId));
    }
  }
  const waiting = await ledger.ordersInState(connectionId, 'waiting');
  const unknown = await ledger.ordersInState(connectionId, 'outcome-unknown');
  const count = (kind: SendOutcome['outcome']) => outcomes.filter((o) => o.outcome === kind).length;
  return {
    polled: { seen: polled.seen, newlyReceived: polled.newlyReceived, from: polled.from },
    exported: count('sent'),
    alreadyExported: count('found-already-sent') + sentBefore,
    retryLater: count('retry-later'),
    waiting: waiting,
    outcomeUnknown: unknown,
    requests: { mycashflow: { ...mcf.stats.byMethod }, netbaron: { ...nb.stats.byMethod } },
  };
}
