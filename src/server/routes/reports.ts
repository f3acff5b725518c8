import { runPreflight } from '../../catalog/preflight.ts';
import type { ConnectionRecord } from '../../connections/connection-store.ts';
import { ConnectionNotReady, type RuntimeConnection } from '../../connections/registry.ts';
import { isRemoteError } from '../../http/remote-error.ts';
import { readStockReport } from '../../reports/read-stock.ts';
import type { AppContext } from '../app-context.ts';
import { HttpError } from '../http/request.ts';
import { sendHtml, type RequestContext, type Route } from '../http/router.ts';
import { checkPage } from '../views/pages/check.ts';
import { problemsPage } from '../views/pages/problems.ts';
import type { Reading } from '../views/pages/reading.ts';
import type { Html } from '../views/html.ts';
import { stockPage } from '../views/pages/stock.ts';
import { connectionBase, connectionPage } from './common.ts';

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
  render: (base: string, reading: Reading<T>) => Html,
): Route {
  return {
    method: 'GET',
    path: `/connections/:slug/${tab}`,
    access: 'admin',
    handler: async (ctx) => {
      const cp = await connectionPage(app, ctx);
      const reading = await readOnRequest(app, ctx, cp.record, read);
      sendHtml(ctx.res, 200, cp.page(title, tab, render(connectionBase(cp.record), reading)));
    },
  };
}

export function reportRoutes(app: AppContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/connections/:slug/problems',
      access: 'admin',
      handler: async (ctx) => {
        const cp = await connectionPage(app, ctx);
        const body = problemsPage({ base: connectionBase(cp.record), problems: cp.problems });
        sendHtml(ctx.res, 200, cp.page('Problems', 'problems', body));
      },
    },
    readingRoute(
      app,
      'check',
      'Pre-flight check',
      (rt) => runPreflight({ db: app.db, connection: rt.connection, mcf: rt.mcf, nb: rt.nb }),
      (base, reading) => checkPage({ base, reading }),
    ),
    readingRoute(
      app,
      'stock',
      'Stock report',
      (rt) => readStockReport({ db: app.db, connection: rt.connection, mcf: rt.mcf, nb: rt.nb }),
      (base, reading) => stockPage({ base, reading }),
    ),
  ];
}
