import { z } from 'zod';
import { centsFromNumber } from '../../../src/domain/money.ts';
import { notFound } from '../api-error.ts';
import { itemResponse, listResponse, noContent } from '../envelope.ts';
import { idField, nullableString, priceField, variationFeaturesField, weightField } from '../fields.ts';
import { type ListSpec, listPage, parseExpand } from '../list-query.ts';
import type { VariationRec } from '../model.ts';
import { renderVariation } from '../render.ts';
import { parseBody, pathId, type RouteContext, type RouteDef } from '../route-context.ts';
import type { McfStore } from '../store.ts';

const VARIATION_EXPANDS = ['stock_item', 'translations'] as const;
const READ_ONLY = ['id', 'product_id', 'created_at', 'updated_at', 'stock_item'];

const patchSchema = z.strictObject({
  product_code: nullableString.optional(),
  name: z.string().optional(),
  price: priceField.optional(),
  purchase_price: priceField.optional(),
  weight: weightField.nullable().optional(),
  image_id: idField.nullable().optional(),
  sort: z.number().int().optional(),
  features: variationFeaturesField.optional(),
});

function variationSpec(store: McfStore): ListSpec<VariationRec> {
  return {
    resource: '/variations',
    sortFields: { id: (v) => v.id, created_at: (v) => v.createdAt, updated_at: (v) => v.updatedAt },
    rangeFields: { created_at: (v) => v.createdAt, updated_at: (v) => v.updatedAt },
    equality: {
      id: { kind: 'ids', lookup: (id) => store.variations.get(id) },
      product_id: {
        kind: 'ids-many',
        lookup: (id) =>
          (store.products.get(id)?.variationIds ?? []).flatMap((v) => store.variations.get(v) ?? []),
      },
    },
    expands: VARIATION_EXPANDS,
  };
}

function findVariation(ctx: RouteContext): VariationRec {
  const id = pathId(ctx.params[0]);
  const variation = id === undefined ? undefined : ctx.store.variations.get(id);
  if (!variation) throw notFound(`variation ${ctx.params[0]} not found`);
  return variation;
}

const responseExpand = (ctx: RouteContext): Set<string> =>
  parseExpand(ctx.query.get('expand'), VARIATION_EXPANDS, '/variations');

export const variationRoutes: RouteDef[] = [
  {
    // No POST: variations are created in the admin with their codes (§23.6), so the API answers 405.
    path: '/variations',
    methods: {
      GET: (ctx) => {
        const page = listPage(ctx.store.variations.list(), variationSpec(ctx.store), ctx.list);
        return listResponse(
          page.items.map((v) => renderVariation(ctx.store, v, page.expand)),
          page.meta,
        );
      },
    },
  },
  {
    path: '/variations/:id',
    methods: {
      GET: (ctx) => itemResponse(renderVariation(ctx.store, findVariation(ctx), responseExpand(ctx))),
      PATCH: (ctx) => {
        const expand = responseExpand(ctx);
        const variation = findVariation(ctx);
        // A client that sends the variation back as it read it (stock_item, id, …) is not refused.
        const body = parseBody(ctx, patchSchema, READ_ONLY, 'ignore');
        const code = body.product_code;
        const codeChanges = code !== undefined && code !== variation.productCode;
        if (codeChanges) ctx.store.assertCodeFree(code, variation);
        if (body.name !== undefined) variation.name = body.name;
        if (body.price !== undefined) variation.price = centsFromNumber(body.price);
        if (body.purchase_price !== undefined) variation.purchasePrice = centsFromNumber(body.purchase_price);
        if (body.weight !== undefined) variation.weight = body.weight;
        if (body.image_id !== undefined) variation.imageId = body.image_id;
        if (body.sort !== undefined) variation.sort = body.sort;
        if (body.features !== undefined) variation.features = body.features;
        if (codeChanges) ctx.store.setCode(variation, code);
        variation.updatedAt = ctx.now();
        return itemResponse(renderVariation(ctx.store, variation, expand));
      },
      DELETE: (ctx) => {
        ctx.store.deleteVariation(findVariation(ctx), ctx.now());
        return noContent();
      },
    },
  },
];
