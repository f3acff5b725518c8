import { z } from 'zod';
import { badRequest, notFound } from '../api-error.ts';
import { itemResponse, listResponse } from '../envelope.ts';
import { type ListSpec, listPage } from '../list-query.ts';
import type { StockChangeRec, StockItemRec } from '../model.ts';
import { renderStockChange, renderStockItem } from '../render.ts';
import { parseBody, type RouteContext, type RouteDef } from '../route-context.ts';
import type { McfStore } from '../store.ts';

const READ_ONLY = [
  'id',
  'reserved',
  'balance',
  'code',
  'product_id',
  'variation_id',
  'created_at',
  'updated_at',
];

const patchSchema = z.strictObject({
  quantity: z.number({ error: 'must be an integer' }).int('must be an integer').optional(),
  enabled: z.boolean().optional(),
});

function stockSpec(store: McfStore): ListSpec<StockItemRec> {
  return {
    resource: '/stock',
    sortFields: { id: (s) => s.id, created_at: (s) => s.createdAt, updated_at: (s) => s.updatedAt },
    rangeFields: { created_at: (s) => s.createdAt, updated_at: (s) => s.updatedAt },
    equality: { id: { kind: 'ids', lookup: (id) => store.stockItems.get(id) } },
    expands: [],
  };
}

function changeSpec(store: McfStore): ListSpec<StockChangeRec> {
  return {
    resource: '/stock-changes',
    sortFields: { id: (c) => c.id, changed_at: (c) => c.changedAt },
    rangeFields: { changed_at: (c) => c.changedAt },
    equality: { stock_item_id: { kind: 'ids-many', lookup: (id) => store.stockChangesOf(id) } },
    expands: [],
  };
}

/** The code arrives URL-encoded in the path; the router has decoded it already. */
function findByCode(ctx: RouteContext): StockItemRec {
  const code = ctx.params[0] ?? '';
  const item = ctx.store.stockItemByCode(code);
  if (!item) throw notFound(`no stock item with product code ${JSON.stringify(code)}`);
  return item;
}

export const stockRoutes: RouteDef[] = [
  {
    path: '/stock',
    methods: {
      GET: (ctx) => {
        const page = listPage(ctx.store.stockItems.list(), stockSpec(ctx.store), ctx.list);
        return listResponse(
          page.items.map((s) => renderStockItem(ctx.store, s)),
          page.meta,
        );
      },
    },
  },
  {
    path: '/stock/:code',
    methods: {
      GET: (ctx) => itemResponse(renderStockItem(ctx.store, findByCode(ctx))),
      PATCH: (ctx) => {
        const item = findByCode(ctx);
        const body = parseBody(ctx, patchSchema, READ_ONLY);
        if (body.quantity === undefined && body.enabled === undefined) {
          throw badRequest('the body must set quantity (an absolute amount) or enabled');
        }
        const now = ctx.now();
        if (body.enabled !== undefined) {
          item.enabled = body.enabled;
          item.updatedAt = now;
        }
        if (body.quantity !== undefined) {
          ctx.store.setStockQuantity(item, body.quantity, { userId: ctx.user.id, at: now });
        }
        return itemResponse(renderStockItem(ctx.store, item));
      },
    },
  },
  {
    path: '/stock-changes',
    methods: {
      GET: (ctx) => {
        const page = listPage(ctx.store.stockChanges.list(), changeSpec(ctx.store), ctx.list);
        return listResponse(page.items.map(renderStockChange), page.meta);
      },
    },
  },
];
