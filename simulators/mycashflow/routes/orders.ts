import { notFound } from '../api-error.ts';
import { itemResponse, listResponse } from '../envelope.ts';
import { ORDER_EXPANDS } from '../fields.ts';
import { type ListSpec, listPage, parseExpand } from '../list-query.ts';
import type { OrderRec } from '../model.ts';
import { renderOrder } from '../render.ts';
import { pathId, type RouteDef } from '../route-context.ts';

const orderSpec: ListSpec<OrderRec> = {
  resource: '/orders',
  sortFields: { id: (o) => o.id, created_at: (o) => o.createdAt, updated_at: (o) => o.updatedAt },
  rangeFields: {
    created_at: (o) => o.createdAt,
    updated_at: (o) => o.updatedAt,
    archived_at: (o) => o.archivedAt,
  },
  equality: {
    status: {
      kind: 'values',
      allowed: ['open', 'completed', 'cancelled'],
      test: (o, wanted) => wanted.has(o.status),
    },
  },
  expands: ORDER_EXPANDS,
};

// Orders are read-only here: POST /orders and the processing actions of §13.2 are outside the model.
export const orderRoutes: RouteDef[] = [
  {
    path: '/orders',
    methods: {
      GET: (ctx) => {
        const page = listPage(ctx.store.orders.list(), orderSpec, ctx.list);
        return listResponse(
          page.items.map((o) => renderOrder(o, page.expand)),
          page.meta,
        );
      },
    },
  },
  {
    path: '/orders/:id',
    methods: {
      GET: (ctx) => {
        const expand = parseExpand(ctx.query.get('expand'), ORDER_EXPANDS, '/orders');
        const id = pathId(ctx.params[0]);
        const order = id === undefined ? undefined : ctx.store.orders.get(id);
        if (!order) throw notFound(`order ${ctx.params[0]} not found`);
        return itemResponse(renderOrder(order, expand));
      },
    },
  },
];
