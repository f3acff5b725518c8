import { runPreflight } from '../../catalog/preflight.ts';
import type { ConnectionRecord } from '../../connections/connection-store.ts';
import { ConnectionNotReady, type RuntimeConnection } from '../../connections/registry.ts';
import { isRemoteError } from '../../http/remote-error.ts';
import { requeueOrders } from '../../jobs/order-retry.ts';
import { ordersOfGroup } from '../../reports/problem-groups.ts';
import { orderProblemRows } from '../../reports/problems-inbox.ts';
import { readImportHistory } from '../../reports/import-history.ts';
import { readStockReport } from '../../reports/read-stock.ts';
import type { AppContext } from '../app-context.ts';
import { formText, HttpError } from '../http/request.ts';
import { redirect, sendHtml, type RequestContext, type Route } from '../http/router.ts';
import { checkPage } from '../views/pages/check.ts';
import { problemsPage } from '../views/pages/problems.ts';
import type { Reading } from '../views/pages/reading.ts';
import type { Html } from '../../util/html.ts';
import { csrfField } from '../views/layout.ts';
import { stockPage } from '../views/pages/stock.ts';
import { connectionBase, connectionOf, connectionPage } from './common.ts';
import { importRunStore } from '../../db/import-run-store.ts';

/**
 * Reads a report from both systems when the merchant asked for it (`?run=1`). A connection not ready yet
 * and a remote failure are shown on the page, worded for the merchant (remote messages carry no
 * credentials); anything else is a fault of the service and goes to the error page.
 */
async function readOnRequest<T>(
  app: AppContext,
  ctx: RequestContext,
  record: ConnectionRecord,
  read: (runtime: RuntimeConnection) => Promise<T>,
): Promise<Reading<T>> {
  if (ctx.url.searchParams.get('run') !== '1') return { state: 'not-run' };
  const started = Date.now();
  try {
    const runtime = await app.registry.get(record.id);
    if (!runtime) throw new HttpError(404, 'There is no such connection.');
    const value = await read(runtime);
    return { state: 'done', value, durationMs: Date.now() - started };
  } catch (err) {
    if (err instanceof ConnectionNotReady || isRemoteError(err)) {
      ctx.logger.warn('report could not be read', { connection: record.slug, error: err.message });
      return { state: 'failed', message: err.message };
    }
    throw err;
  }
}

/** A page that reads a report from both systems on request, and renders it. */
function readingRoute<T>(
  app: AppContext,
  tab: 'check' | 'stock',
  title: string,
  read: (runtime: RuntimeConnection) => Promise<T>,
  render: (base: string, reading: Reading<T>, ctx: RequestContext) => Html,
): Route {
  return {
    method: 'GET',
    path: `/connections/:slug/${tab}`,
    access: 'admin',
    handler: async (ctx) => {
      const cp = await connectionPage(app, ctx);
      const reading = await readOnRequest(app, ctx, cp.record, read);
      sendHtml(ctx.res, 200, cp.page(title, tab, render(connectionBase(cp.record), reading, ctx)));
    },
  };
}

/** What the last bulk retry did, from the redirect's query: the count of orders actually queued. */
function retriedNotice(params: URLSearchParams): string | undefined {
  const raw = params.get('retried');
  if (raw === null || !/^\d{1,9}$/.test(raw)) return undefined;
  const n = Number(raw);
  if (n === 0) return 'No order needed retrying: they had been sent or retried meanwhile.';
  return n === 1
    ? '1 order was queued again. It leaves this list once NetBaron has it.'
    : `${n} orders were queued again. They leave this list once NetBaron has them.`;
}

export function reportRoutes(app: AppContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/connections/:slug/problems',
      access: 'admin',
      handler: async (ctx) => {
        const cp = await connectionPage(app, ctx);
        const body = problemsPage({
          base: connectionBase(cp.record),
          groups: cp.problems,
          csrf: csrfField(ctx.session),
          notice: retriedNotice(ctx.url.searchParams),
        });
        sendHtml(ctx.res, 200, cp.page('Problems', 'problems', body));
      },
    },
    {
      method: 'POST',
      path: '/connections/:slug/problems/retry-orders',
      access: 'admin',
      // The bulk action of an order group: the group is worked out again now, so the button retries the
      // orders that still have that cause, not those the page showed a while ago.
      handler: async (ctx) => {
        const record = await connectionOf(app, ctx);
        const key = formText(ctx.form, 'group');
        const orderIds = ordersOfGroup(await orderProblemRows(app.db, record.id), key);
        const queued = await requeueOrders(
          app.boss,
          app.db,
          record.id,
          orderIds,
          'admin page (problem group)',
        );
        app.wakeOrderWorkers?.();
        ctx.logger.info('orders of a problem group queued again', {
          connection: record.slug,
          group: key,
          queued,
        });
        redirect(ctx.res, `${connectionBase(record)}/problems?retried=${queued}`);
      },
    },
    readingRoute(
      app,
      'check',
      'Pre-flight check',
      (rt) =>
        runPreflight({ runs: importRunStore(app.db), connection: rt.connection, mcf: rt.mcf, nb: rt.nb }),
      (base, reading) => checkPage({ base, reading }),
    ),
    readingRoute(
      app,
      'stock',
      'Stock report',
      (rt) =>
        readStockReport({
          history: (slug) => readImportHistory(app.db, slug),
          connection: rt.connection,
          mcf: rt.mcf,
          nb: rt.nb,
        }),
      (base, reading, ctx) => stockPage({ base, reading, csrf: csrfField(ctx.session) }),
    ),
  ];
}
