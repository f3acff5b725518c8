import { isSearching, orderListPage } from '../../db/order-list.ts';
import { ledgerEntry, ledgerStateCounts, ordersInState, retryOrder } from '../../db/order-ledger.ts';
import type { LedgerKey } from '../../orders/ledger.ts';
import { requeueOrders } from '../../jobs/order-retry.ts';
import { enqueueExport } from '../../jobs/queue.ts';
import type { AppContext } from '../app-context.ts';
import { HttpError } from '../http/request.ts';
import { redirect, sendHtml, type RequestContext, type Route } from '../http/router.ts';
import { csrfField } from '../views/layout.ts';
import { orderListQuery, requeuedOf, stateOf } from '../forms/order-list-query.ts';
import { orderPage } from '../views/pages/order.ts';
import { listedCount, ordersPage, ORDERS_PER_PAGE, pageCount } from '../views/pages/orders.ts';
import { connectionBase, connectionOf, connectionPage } from './common.ts';

/** The order a `:orderId` names: digits only, so that a malformed id is a 404 rather than a database error. */
function orderIdParam(ctx: RequestContext): number {
  const raw = ctx.params.orderId ?? '';
  const id = /^\d{1,15}$/.test(raw) ? Number(raw) : 0;
  if (id <= 0) throw new HttpError(404, 'There is no such order.');
  return id;
}

export function orderRoutes(app: AppContext): Route[] {
  return [
    {
      method: 'POST',
      path: '/connections/:slug/orders/retry-waiting',
      access: 'admin',
      // After a cause shared by many orders is fixed (the Order API password, a payment method).
      handler: async (ctx) => {
        const record = await connectionOf(app, ctx);
        const waiting = await ordersInState(app.db, record.id, 'waiting');
        const queued = await requeueOrders(
          app.boss,
          app.db,
          record.id,
          waiting.map((w) => Number(w.order_id)),
          'admin page (all waiting)',
        );
        app.wakeOrderWorkers?.();
        ctx.logger.info('every waiting order queued again', { connection: record.slug, orders: queued });
        redirect(ctx.res, `${connectionBase(record)}/orders?requeued=${queued}`);
      },
    },
    {
      method: 'GET',
      path: '/connections/:slug/orders',
      access: 'admin',
      handler: async (ctx) => {
        const cp = await connectionPage(app, ctx);
        const query = orderListQuery(ctx.url.searchParams);
        const connectionId = cp.record.id;
        // One count with the search gives the state links and the pager; the bulk retry needs every
        // waiting order, found or not.
        const [counts, everything] = await Promise.all([
          ledgerStateCounts(app.db, connectionId, query),
          isSearching(query) ? ledgerStateCounts(app.db, connectionId) : undefined,
        ]);
        const inRange = query.page <= pageCount(listedCount(counts, query.filter));
        const rows = inRange
          ? await orderListPage(app.db, connectionId, {
              search: query,
              state: stateOf(query.filter),
              offset: (query.page - 1) * ORDERS_PER_PAGE,
              limit: ORDERS_PER_PAGE,
            })
          : [];
        const body = ordersPage({
          base: connectionBase(cp.record),
          query,
          counts,
          waiting: (everything ?? counts).waiting,
          rows,
          csrf: csrfField(ctx.session),
          requeued: requeuedOf(ctx.url.searchParams),
        });
        sendHtml(ctx.res, 200, cp.page('Orders', 'orders', body));
      },
    },
    {
      method: 'GET',
      path: '/connections/:slug/orders/:orderId',
      access: 'admin',
      handler: async (ctx) => {
        const cp = await connectionPage(app, ctx);
        const key: LedgerKey = { connectionId: cp.record.id, orderId: orderIdParam(ctx) };
        const order = await ledgerEntry(app.db, key);
        if (!order) throw new HttpError(404, `Order ${key.orderId} is not in this connection's ledger.`);
        const body = orderPage({
          base: connectionBase(cp.record),
          order,
          csrf: csrfField(ctx.session),
          retried: ctx.url.searchParams.get('retried') === '1',
          now: new Date(),
        });
        sendHtml(ctx.res, 200, cp.page(`Order ${key.orderId}`, 'orders', body));
      },
    },
    {
      method: 'POST',
      path: '/connections/:slug/orders/:orderId/retry',
      access: 'admin',
      handler: async (ctx) => {
        const record = await connectionOf(app, ctx);
        const key: LedgerKey = { connectionId: record.id, orderId: orderIdParam(ctx) };
        const result = await retryOrder(app.db, key, 'admin page');
        if (!result) throw new HttpError(404, `Order ${key.orderId} is not in this connection's ledger.`);
        // The page then says what is true when it is shown: sent (already, or by now), or on its way.
        const orderUrl = `${connectionBase(record)}/orders/${key.orderId}?retried=1`;
        // A sent order stays as it is.
        if (result.outcome === 'already-sent') return redirect(ctx.res, orderUrl);
        await enqueueExport(app.boss, key);
        app.wakeOrderWorkers?.();
        ctx.logger.info('order retry queued', {
          connection: record.slug,
          orderId: key.orderId,
          previousState: result.previousState,
        });
        redirect(ctx.res, orderUrl);
      },
    },
  ];
}
