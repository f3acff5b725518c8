import { z } from 'zod';
import { badRequest, notFound } from '../api-error.ts';
import { itemResponse, listResponse } from '../envelope.ts';
import { type ListSpec, listPage } from '../list-query.ts';
import { nullableString } from '../fields.ts';
import type { StockChangeRec, StockItemRec, StockSettings } from '../model.ts';
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
  barcode: nullableString.optional(),
  location: nullableString.optional(),
  balance_alert: z.boolean().optional(),
  balance_limit: z.number({ error: 'must be an integer' }).int('must be an integer').optional(),
  backorder_enabled: z.boolean().optional(),
  backorder_estimate: nullableString.optional(),
});

type StockPatch = z.output<typeof patchSchema>;

/** The settings a PATCH may carry besides the amount, body field → record field. */
const SETTINGS = [
  ['barcode', 'barcode'],
  ['location', 'location'],
  ['balance_alert', 'balanceAlert'],
  ['balance_limit', 'balanceLimit'],
  ['backorder_enabled', 'backorderEnabled'],
  ['backorder_estimate', 'backorderEstimate'],
] as const satisfies ReadonlyArray<readonly [keyof StockPatch, keyof StockSettings]>;

function applySettings(item: StockItemRec, body: StockPatch): boolean {
  let changed = false;
  for (const [field, key] of SETTINGS) {
    const value = body[field];
    if (value === undefined) continue;
    (item as unknown as Record<string, unknown>)[key] = value;
    changed = true;
  }
  return changed;
}

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
        // Read-only fields (reserved, balance, …) are ignored: a public C# client always sends reserved.
        const body = parseBody(ctx, patchSchema, READ_ONLY, 'ignore');
        if (Object.keys(body).length === 0) {
          throw badRequest(
            'the body must set quantity (an absolute amount), enabled or a stock setting (barcode, location, balance_alert, balance_limit, backorder_enabled, backorder_estimate)',
          );
        }
        const now = ctx.now();
        if (body.enabled !== undefined) item.enabled = body.enabled;
        if (applySettings(item, body) || body.enabled !== undefined) item.updatedAt = now;
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
