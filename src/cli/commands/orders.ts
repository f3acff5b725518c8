import type { Command } from 'commander';
import { slugOf } from '../../config/connection-file.ts';
import { ensureConnection } from '../../db/connections.ts';
import { ledgerEntry, retryOrder } from '../../db/order-ledger.ts';
import { orderLedgerStore } from '../../db/order-ledger-store.ts';
import { exportOrders } from '../../orders/export-orders.ts';
import { sendOrder } from '../../orders/send-order.ts';
import { StoreLookups } from '../../orders/store-lookups.ts';
import {
  addConnectionOptions,
  connectionSource,
  withConnection,
  type ConnectionOptions,
} from '../with-connection.ts';
import { EXIT } from '../exit-codes.ts';

function orderIdArg(value: string): number {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`"${value}" is not a MyCashflow order id`);
  return id;
}

export function registerOrderCommands(program: Command): void {
  addConnectionOptions(
    program
      .command('export-orders')
      .description('read new orders from MyCashflow (polling) and send every due order to NetBaron'),
  )
    .option('--since <iso-date>', 'read orders created since this moment instead of the stored cursor')
    .option('--json', 'print a summary object')
    .action(async (opts: ConnectionOptions & { since?: string; json?: boolean }, command: Command) => {
      const source = connectionSource(opts, command);
      const since = opts.since === undefined ? undefined : new Date(opts.since);
      if (since && Number.isNaN(since.getTime()))
        throw new Error(`--since "${opts.since}" is not an ISO date`);
      await withConnection(
        source,
        async ({ connection, database, logger, mcf, nb }) => {
          const summary = await exportOrders({
            ledger: orderLedgerStore(database.db),
            connection,
            mcf,
            nb,
            since,
            logger,
          });
          if (opts.json) {
            console.log(JSON.stringify(summary, null, 2));
          } else {
            console.log(
              `Read ${summary.polled.seen} orders created since ${summary.polled.from} (${summary.polled.newlyReceived} new).`,
            );
            console.log(
              `Exported ${summary.exported}, already exported ${summary.alreadyExported}, to retry later ${summary.retryLater}.`,
            );
            for (const w of summary.waiting) console.log(`Waiting: ${w.reason ?? `order ${w.orderId}`}`);
            for (const u of summary.outcomeUnknown)
              console.log(`Outcome unknown: ${u.reason ?? `order ${u.orderId}`}`);
          }
          if (summary.waiting.length || summary.outcomeUnknown.length)
            process.exitCode = EXIT.NEEDS_ATTENTION;
        },
        { writes: true },
      );
    });

  const orders = program.command('orders').description('one order in the ledger');
  addConnectionOptions(
    orders
      .command('show <orderId>')
      .description('what was sent to NetBaron for an order, what NetBaron answered, and its history'),
  )
    .option('--json', 'print as JSON')
    .action(async (id: string, opts: ConnectionOptions & { json?: boolean }, command: Command) => {
      const source = connectionSource(opts, command);
      const orderId = orderIdArg(id);
      await withConnection(source, async ({ connection, database }) => {
        const connectionId = await ensureConnection(database.db, slugOf(connection), connection.name);
        const entry = await ledgerEntry(database.db, { connectionId, orderId });
        if (!entry) throw new Error(`order ${orderId} is not in the ledger of ${slugOf(connection)}`);
        const view = {
          orderId,
          state: entry.state,
          reason: entry.reason,
          salesOrderNumber: entry.sales_order_number,
          netbaronAnswer: entry.netbaron_answer,
          attempts: entry.attempts,
          source: entry.source,
          events: entry.events,
          sentDocument: entry.sent_document,
        };
        if (opts.json) return console.log(JSON.stringify(view, null, 2));
        console.log(
          `Order ${orderId}: ${entry.state}${entry.sales_order_number ? ` (NetBaron ${entry.sales_order_number})` : ''}`,
        );
        if (entry.reason) console.log(`Reason: ${entry.reason}`);
        if (entry.netbaron_answer) console.log(`NetBaron answered: ${entry.netbaron_answer}`);
        console.log('History:');
        for (const e of entry.events)
          console.log(`  ${e.at.toISOString()}  ${e.kind}${e.detail ? `  ${e.detail}` : ''}`);
        if (entry.sent_document) console.log(`Sent document:\n${entry.sent_document}`);
      });
    });
  addConnectionOptions(
    orders
      .command('retry <orderId>')
      .description('send a waiting or unclear order again (after fixing its cause)'),
  )
    .option('--json', 'print as JSON')
    .action(async (id: string, opts: ConnectionOptions & { json?: boolean }, command: Command) => {
      const source = connectionSource(opts, command);
      const orderId = orderIdArg(id);
      await withConnection(
        source,
        async ({ connection, database, logger, mcf, nb }) => {
          const connectionId = await ensureConnection(database.db, slugOf(connection), connection.name);
          const retry = await retryOrder(database.db, { connectionId, orderId }, 'command line');
          if (!retry) throw new Error(`order ${orderId} is not in the ledger of ${slugOf(connection)}`);
          if (retry.outcome === 'already-sent') {
            const number = retry.salesOrderNumber ?? 'unknown';
            if (opts.json)
              console.log(
                JSON.stringify({ orderId, outcome: 'already-sent', salesOrderNumber: number }, null, 2),
              );
            else console.log(`Order ${orderId} was already sent (NetBaron ${number}); nothing to retry.`);
            return;
          }
          const outcome = await sendOrder(
            {
              ledger: orderLedgerStore(database.db),
              connectionId,
              nb,
              lookups: new StoreLookups(mcf),
              settings: connection.orderExport,
              logger,
            },
            orderId,
            { includeWaiting: true },
          );
          if (opts.json) console.log(JSON.stringify({ orderId, ...outcome }, null, 2));
          else
            console.log(
              `Order ${orderId}: ${outcome.outcome}${'reason' in outcome ? ` — ${outcome.reason}` : ''}${'salesOrderNumber' in outcome ? ` (NetBaron ${outcome.salesOrderNumber})` : ''}`,
            );
          if (outcome.outcome !== 'sent' && outcome.outcome !== 'found-already-sent')
            process.exitCode = EXIT.NEEDS_ATTENTION;
        },
        { writes: true },
      );
    });
}
