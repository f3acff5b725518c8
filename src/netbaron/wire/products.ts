import { z } from 'zod';
import {
  nbMarketplaceIdSchema,
  productCodeSchema,
  type NbMarketplaceId,
  type ProductCode,
} from '../../domain/ids.ts';
import type { Cents, VatBasisPoints } from '../../domain/money.ts';
import { decimalMoneySchema, decimalVatRateSchema } from '../../domain/money-schemas.ts';
import { children, parseXmlDocument } from './xml.ts';

/*
 * The Products module's wire format (`netbaron-ws.md` §15.3–§15.5). The only file that knows its
 * parameter and element names: when NetBaron's own schema arrives, this file changes, nothing else.
 */

export interface ProductQuery {
  marketplace?: NbMarketplaceId;
  prices?: boolean;
  quantity?: boolean;
  packaging?: boolean;
  descriptions?: boolean;
  page: number;
  pageSize: number;
}

export function productsQuery(q: ProductQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (q.marketplace !== undefined) params.set('Marketplace', q.marketplace);
  params.set('GetPrices', String(q.prices ?? false));
  params.set('GetQuantity', String(q.quantity ?? false));
  params.set('GetPackaging', String(q.packaging ?? false));
  params.set('GetDescriptions', String(q.descriptions ?? false));
  params.set('Page', String(q.page));
  params.set('PageSize', String(q.pageSize));
  return params;
}

export const marketplacesQuery = (): URLSearchParams => new URLSearchParams({ ListMarketplaces: 'true' });

/** A product of the register as the connector uses it; money and VAT exact, quantity as exact text. */
export interface NbProduct {
  code: ProductCode;
  ean: string;
  name: string;
  description?: string;
  additionalInformation?: string;
  vatRate?: VatBasisPoints;
  priceVatIncluded?: Cents;
  purchasePrice?: Cents;
  /** Kilograms, as decimal text. */
  weight?: string;
  packageType?: string;
  /** Stock balance as NetBaron sent it; may be fractional or negative, which the planner handles. */
  quantity?: string;
  deleted: boolean;
  marketplaces: NbMarketplaceId[];
}

const decimalText = z.string().regex(/^-?\d+(\.\d+)?$/, 'is not a decimal number with a dot');
const optionalText = z.string().optional();
const booleanText = z.enum(['true', 'false']).transform((v) => v === 'true');
// Marketplaces are always sent (possibly empty); a missing element reads as an empty list all the same.
const marketplaceList = z
  .unknown()
  .optional()
  .transform((v) => {
    const list = children(v).Marketplace;
    return Array.isArray(list) ? list : [];
  })
  .pipe(z.array(nbMarketplaceIdSchema));

const deletedProductSchema = z.object({
  ProductCode: productCodeSchema,
  Deleted: z.literal('true').transform(() => true as const),
});

const liveProductSchema = z.object({
  ProductCode: productCodeSchema,
  EAN: z.string().default(''),
  // An empty name matters only for a new product: the planner refuses that one and still updates existing items.
  Name: z.string().default(''),
  Description: optionalText,
  AdditionalInformation: optionalText,
  VatPercent: decimalVatRateSchema,
  SalesPriceVatIncluded: decimalMoneySchema.optional(),
  PurchasePrice: decimalMoneySchema.optional(),
  Weight: decimalText.optional(),
  PackageType: optionalText,
  Quantity: decimalText.optional(),
  Deleted: booleanText.default(false),
  Marketplaces: marketplaceList,
});

/** Reads one `<Product>`. A deleted entry needs only its code: NetBaron's other elements are ignored (§15.5). */
export function readProduct(
  raw: unknown,
): { ok: true; product: NbProduct } | { ok: false; code?: string; reason: string } {
  const obj = children(raw);
  const code = typeof obj.ProductCode === 'string' ? obj.ProductCode : undefined;
  if (obj.Deleted === 'true') {
    const parsed = deletedProductSchema.safeParse(obj);
    if (!parsed.success) return { ok: false, code, reason: issues(parsed.error) };
    const marketplaces = marketplaceList.safeParse(obj.Marketplaces);
    return {
      ok: true,
      product: {
        code: parsed.data.ProductCode,
        ean: typeof obj.EAN === 'string' ? obj.EAN : '',
        name: typeof obj.Name === 'string' ? obj.Name : '',
        deleted: true,
        marketplaces: marketplaces.success ? marketplaces.data : [],
      },
    };
  }
  const parsed = liveProductSchema.safeParse(obj);
  if (!parsed.success) return { ok: false, code, reason: issues(parsed.error) };
  const p = parsed.data;
  return {
    ok: true,
    product: {
      code: p.ProductCode,
      ean: p.EAN,
      name: p.Name,
      description: p.Description,
      additionalInformation: p.AdditionalInformation,
      vatRate: p.VatPercent,
      priceVatIncluded: p.SalesPriceVatIncluded,
      purchasePrice: p.PurchasePrice,
      weight: p.Weight,
      packageType: p.PackageType,
      quantity: p.Quantity,
      deleted: p.Deleted,
      marketplaces: p.Marketplaces,
    },
  };
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('/') || 'Product'} ${i.message}`).join('; ');
}

const pageSchema = z.object({
  Page: z.string().regex(/^\d+$/).transform(Number),
  PageCount: z.string().regex(/^\d+$/).transform(Number),
  Products: z.unknown(),
});

export function parseProductsPage(xml: string): { page: number; pageCount: number; rawProducts: unknown[] } {
  const doc = parseXmlDocument(xml, ['Product', 'Marketplace']);
  const parsed = pageSchema.parse(doc.ProductsResponse);
  const list = children(parsed.Products).Product;
  return { page: parsed.Page, pageCount: parsed.PageCount, rawProducts: Array.isArray(list) ? list : [] };
}

export interface NbMarketplace {
  id: NbMarketplaceId;
  name: string;
}

const marketplaceSchema = z.object({ Id: nbMarketplaceIdSchema, Name: z.string() });

export function parseMarketplaces(xml: string): NbMarketplace[] {
  const doc = parseXmlDocument(xml, ['Marketplace']);
  const list = children(children(doc.MarketplacesResponse).Marketplaces).Marketplace;
  return z
    .array(marketplaceSchema)
    .default([])
    .parse(list)
    .map((m) => ({ id: m.Id, name: m.Name }));
}
