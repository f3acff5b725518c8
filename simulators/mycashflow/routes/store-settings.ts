import { notFound } from '../api-error.ts';
import { itemResponse, listResponse } from '../envelope.ts';
import type { IdTable } from '../id-table.ts';
import { type ListSpec, listPage, parseExpand } from '../list-query.ts';
import type { MethodRec, VersionRec } from '../model.ts';
import { renderMethod, renderVersion } from '../render.ts';
import { pathId, type RouteContext, type RouteDef } from '../route-context.ts';
import type { McfStore } from '../store.ts';

/* Payment methods, shipping methods and store versions: read-only in the API (§14–§16). */

function methodSpec(resource: string): ListSpec<MethodRec> {
  return {
    resource,
    sortFields: { id: (m) => m.id, created_at: (m) => m.createdAt, updated_at: (m) => m.updatedAt },
    rangeFields: { created_at: (m) => m.createdAt, updated_at: (m) => m.updatedAt },
    expands: [],
  };
}

const versionSpec: ListSpec<VersionRec> = {
  resource: '/versions',
  sortFields: { id: (v) => v.id },
  rangeFields: {},
  expands: [],
};

function readOnlyRoutes<T extends { id: number }>(options: {
  resource: string;
  noun: string;
  table: (store: McfStore) => IdTable<T>;
  spec: ListSpec<T>;
  render: (item: T) => Record<string, unknown>;
}): RouteDef[] {
  const { resource, noun, table, spec, render } = options;
  return [
    {
      path: resource,
      methods: {
        GET: (ctx) => {
          const page = listPage(table(ctx.store).list(), spec, ctx.list);
          return listResponse(page.items.map(render), page.meta);
        },
      },
    },
    {
      path: `${resource}/:id`,
      methods: {
        GET: (ctx: RouteContext) => {
          parseExpand(ctx.query.get('expand'), spec.expands, resource);
          const id = pathId(ctx.params[0]);
          const item = id === undefined ? undefined : table(ctx.store).get(id);
          if (!item) throw notFound(`${noun} ${ctx.params[0]} not found`);
          return itemResponse(render(item));
        },
      },
    },
  ];
}

export const storeSettingRoutes: RouteDef[] = [
  ...readOnlyRoutes({
    resource: '/payment-methods',
    noun: 'payment method',
    table: (s) => s.paymentMethods,
    spec: methodSpec('/payment-methods'),
    render: renderMethod,
  }),
  ...readOnlyRoutes({
    resource: '/shipping-methods',
    noun: 'shipping method',
    table: (s) => s.shippingMethods,
    spec: methodSpec('/shipping-methods'),
    render: renderMethod,
  }),
  ...readOnlyRoutes({
    resource: '/versions',
    noun: 'store version',
    table: (s) => s.versions,
    spec: versionSpec,
    render: renderVersion,
  }),
];
