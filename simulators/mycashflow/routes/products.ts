import { z } from 'zod';
import { centsFromNumber, vatRateFromNumber } from '../../../src/domain/money.ts';
import { badRequest, notFound } from '../api-error.ts';
import { itemResponse, listResponse, noContent } from '../envelope.ts';
import {
  nullableString,
  PRODUCT_EXTRA_KEYS,
  priceField,
  productExtrasShape,
  vatRateField,
  visibilityField,
  weightField,
} from '../fields.ts';
import { type ListSpec, listPage, parseExpand } from '../list-query.ts';
import type { ProductRec } from '../model.ts';
import { renderProduct } from '../render.ts';
import { parseBody, pathId, type RouteContext, type RouteDef } from '../route-context.ts';
import type { McfStore } from '../store.ts';

export const PRODUCT_EXPANDS = [
  'translations',
  'visibilities',
  'category_links',
  'image_links',
  'variations',
  'variations.stock_item',
  'stock_item',
  'brand',
] as const;

const READ_ONLY = ['id', 'created_at', 'updated_at', 'stock_item', 'variations'];

const writableShape = {
  product_code: nullableString.optional(),
  name: z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .min(1, 'must not be empty'),
  description: z.string().optional(),
  information: z.string().optional(),
  price: priceField.optional(),
  purchase_price: priceField.optional(),
  vat_rate: vatRateField.optional(),
  weight: weightField.optional(),
  parcel_type: nullableString.optional(),
  ...productExtrasShape,
  visibilities: z.array(visibilityField).optional(),
};

const createSchema = z.strictObject(writableShape);
const patchSchema = z.strictObject({ ...writableShape, name: writableShape.name.optional() });
type ProductWrite = z.output<typeof patchSchema>;

function productSpec(store: McfStore): ListSpec<ProductRec> {
  return {
    resource: '/products',
    sortFields: { id: (p) => p.id, created_at: (p) => p.createdAt, updated_at: (p) => p.updatedAt },
    rangeFields: { created_at: (p) => p.createdAt, updated_at: (p) => p.updatedAt },
    equality: { id: { kind: 'ids', lookup: (id) => store.products.get(id) } },
    expands: PRODUCT_EXPANDS,
  };
}

/** `/products/{id}`, or `/products/product_code={code}` as McfStockChangeTracker calls it (§10.1). */
function findProduct(ctx: RouteContext): ProductRec {
  const raw = ctx.params[0] ?? '';
  if (raw.startsWith('product_code=')) {
    const code = raw.slice('product_code='.length);
    const product = ctx.store.codeOwners(code).find((owner) => owner.kind === 'product');
    if (!product || product.kind !== 'product')
      throw notFound(`no product with product_code ${JSON.stringify(code)}`);
    return product;
  }
  const id = pathId(raw);
  const product = id === undefined ? undefined : ctx.store.products.get(id);
  if (!product) throw notFound(`product ${raw} not found`);
  return product;
}

/** Checks every version id before anything is written, so a bad one leaves the product untouched. */
function visibilityMap(
  ctx: RouteContext,
  base: ReadonlyMap<number, boolean>,
  given: ProductWrite['visibilities'],
): ReadonlyMap<number, boolean> {
  if (!given) return base;
  const map = new Map(base);
  given.forEach((vis, i) => {
    if (!ctx.store.versions.get(vis.version_id)) {
      throw badRequest(`visibilities[${i}].version_id: store version ${vis.version_id} does not exist`);
    }
    map.set(vis.version_id, vis.is_visible);
  });
  return map;
}

/** A brand is named by id, as a version is: one the store does not have is refused before any write. */
function checkBrand(ctx: RouteContext, body: ProductWrite): void {
  const id = body.brand_id;
  if (typeof id === 'number' && !ctx.store.brands.get(id)) {
    throw badRequest(`brand_id: brand ${id} does not exist`);
  }
}

function applyWrite(product: ProductRec, body: ProductWrite): void {
  if (body.name !== undefined) product.name = body.name;
  if (body.description !== undefined) product.description = body.description;
  if (body.information !== undefined) product.information = body.information;
  if (body.price !== undefined) product.price = centsFromNumber(body.price);
  if (body.purchase_price !== undefined) product.purchasePrice = centsFromNumber(body.purchase_price);
  if (body.vat_rate !== undefined) product.vatRate = vatRateFromNumber(body.vat_rate);
  if (body.weight !== undefined) product.weight = body.weight;
  if (body.parcel_type !== undefined) product.parcelType = body.parcel_type;
  for (const key of PRODUCT_EXTRA_KEYS) {
    const value = (body as Record<string, unknown>)[key];
    if (value !== undefined) product.extras = { ...product.extras, [key]: value };
  }
}

const responseExpand = (ctx: RouteContext): Set<string> =>
  parseExpand(ctx.query.get('expand'), PRODUCT_EXPANDS, '/products');

export const productRoutes: RouteDef[] = [
  {
    path: '/products',
    methods: {
      GET: (ctx) => {
        const page = listPage(ctx.store.products.list(), productSpec(ctx.store), ctx.list);
        return listResponse(
          page.items.map((p) => renderProduct(ctx.store, p, page.expand)),
          page.meta,
        );
      },
      POST: (ctx) => {
        const expand = responseExpand(ctx);
        const body = parseBody(ctx, createSchema, READ_ONLY);
        const { store } = ctx;
        store.assertCodeFree(body.product_code ?? null);
        // A new product is invisible in every version until a visibility is written (§10.4).
        const hidden = new Map(store.versions.list().map((v) => [v.id, false]));
        const visibilities = visibilityMap(ctx, hidden, body.visibilities);
        checkBrand(ctx, body);
        const now = ctx.now();
        const product: ProductRec = {
          kind: 'product',
          id: store.nextId('product'),
          productCode: body.product_code ?? null,
          name: body.name,
          description: '',
          information: '',
          price: centsFromNumber(0),
          purchasePrice: centsFromNumber(0),
          vatRate: vatRateFromNumber(25.5),
          weight: 0,
          parcelType: null,
          visibilities,
          stockItemId: null,
          variationIds: [],
          extras: undefined,
          createdAt: now,
          updatedAt: now,
        };
        applyWrite(product, body);
        product.stockItemId = store.newStockItem({ productId: product.id, variationId: null }, now).id;
        store.addProduct(product);
        return itemResponse(renderProduct(store, product, expand));
      },
    },
  },
  {
    path: '/products/:id',
    methods: {
      GET: (ctx) => itemResponse(renderProduct(ctx.store, findProduct(ctx), responseExpand(ctx))),
      PATCH: (ctx) => {
        const expand = responseExpand(ctx);
        const product = findProduct(ctx);
        const body = parseBody(ctx, patchSchema, READ_ONLY);
        const code = body.product_code;
        // Only a change of code can conflict, so a legacy duplicate stays editable (§23.4).
        const codeChanges = code !== undefined && code !== product.productCode;
        if (codeChanges) ctx.store.assertCodeFree(code, product);
        const visibilities = visibilityMap(ctx, product.visibilities, body.visibilities);
        checkBrand(ctx, body);
        applyWrite(product, body);
        product.visibilities = visibilities;
        if (codeChanges) ctx.store.setCode(product, code);
        product.updatedAt = ctx.now();
        return itemResponse(renderProduct(ctx.store, product, expand));
      },
      DELETE: (ctx) => {
        ctx.store.deleteProduct(findProduct(ctx));
        return noContent();
      },
    },
  },
];
