import { z } from 'zod';
import {
  nbMarketplaceIdSchema,
  productCodeSchema,
  type NbMarketplaceId,
  type ProductCode,
} from '../../domain/ids.ts';
import type { Cents, VatBasisPoints } from '../../domain/money.ts';
import { decimalMoneySchema, decimalVatRateSchema } from '../../domain/money-schemas.ts';
import {
  DEFAULT_WIRE_FORMAT,
  formatFlag,
  readDecimalText,
  readFlag,
  wireBooleanSchema,
  type NbWireFormat,
} from './format.ts';
import { children, parseXmlDocument, shorten } from './xml.ts';

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

export function productsQuery(q: ProductQuery, format: NbWireFormat = DEFAULT_WIRE_FORMAT): URLSearchParams {
  const params = new URLSearchParams();
  if (q.marketplace !== undefined) params.set('Marketplace', q.marketplace);
  params.set('GetPrices', formatFlag(q.prices ?? false, format));
  params.set('GetQuantity', formatFlag(q.quantity ?? false, format));
  params.set('GetPackaging', formatFlag(q.packaging ?? false, format));
  params.set('GetDescriptions', formatFlag(q.descriptions ?? false, format));
  params.set('Page', String(q.page));
  params.set('PageSize', String(q.pageSize));
  return params;
}

export const marketplacesQuery = (format: NbWireFormat = DEFAULT_WIRE_FORMAT): URLSearchParams =>
  new URLSearchParams({ ListMarketplaces: formatFlag(true, format) });

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

const decimalText = z.string().regex(/^-?\d+(\.\d+)?$/, 'is not a decimal number');

/** A decimal element read with a dot or a comma (`readDecimalText`). */
const commaTolerant = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' ? readDecimalText(v) : v), schema);
const optionalText = z.string().optional();
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
  Deleted: wireBooleanSchema.refine((v) => v, 'is not true'),
});

const liveProductSchema = z.object({
  ProductCode: productCodeSchema,
  EAN: z.string().default(''),
  // An empty name matters only for a new product: the planner refuses that one and still updates existing items.
  Name: z.string().default(''),
  Description: optionalText,
  AdditionalInformation: optionalText,
  VatPercent: commaTolerant(decimalVatRateSchema),
  SalesPriceVatIncluded: commaTolerant(decimalMoneySchema).optional(),
  PurchasePrice: commaTolerant(decimalMoneySchema).optional(),
  Weight: commaTolerant(decimalText).optional(),
  PackageType: optionalText,
  Quantity: commaTolerant(decimalText).optional(),
  Deleted: wireBooleanSchema.default(false),
  Marketplaces: marketplaceList,
});

/**
 * Characters XML 1.0 cannot carry (a well-formed document never holds them), and U+FFFD, which the
 * UTF-8 decoder puts in place of bytes that were not UTF-8. Either means the text is not what NetBaron
 * holds: a code would match nothing (or the wrong thing), and PostgreSQL refuses a NUL outright.
 */
const DAMAGED_CHAR =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point here
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const LIVE_TEXT = [
  'ProductCode',
  'EAN',
  'Name',
  'Description',
  'AdditionalInformation',
  'VatPercent',
  'SalesPriceVatIncluded',
  'PurchasePrice',
  'Weight',
  'PackageType',
  'Quantity',
  'Deleted',
] as const;
const DELETED_TEXT = ['ProductCode', 'EAN', 'Name'] as const;

function damagedText(obj: Record<string, unknown>, fields: ReadonlyArray<string>): string | undefined {
  const found: string[] = [];
  for (const field of fields) {
    const value = obj[field];
    const m = typeof value === 'string' ? DAMAGED_CHAR.exec(value) : null;
    if (!m) continue;
    const u = `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    found.push(
      m[0] === '\uFFFD'
        ? `${field} holds bytes that are not valid UTF-8 (read as ${u})`
        : `${field} holds the character ${u}, which XML does not allow`,
    );
  }
  return found.length > 0 ? found.join('; ') : undefined;
}

/** The code to name in a report: only one that is itself sound, never damaged or over-long text. */
function reportableCode(value: unknown): string | undefined {
  return productCodeSchema.safeParse(value).success && !DAMAGED_CHAR.test(value as string)
    ? (value as string)
    : undefined;
}

/** Reads one `<Product>`. A deleted entry needs only its code: NetBaron's other elements are ignored (§15.5). */
export function readProduct(
  raw: unknown,
): { ok: true; product: NbProduct } | { ok: false; code?: string; reason: string } {
  const obj = children(raw);
  const code = reportableCode(obj.ProductCode);
  const deleted = typeof obj.Deleted === 'string' && readFlag(obj.Deleted) === true;
  const damaged = damagedText(obj, deleted ? DELETED_TEXT : LIVE_TEXT);
  if (damaged) return { ok: false, code, reason: damaged };
  if (deleted) {
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
  return error.issues.map((i) => shorten(`${i.path.join('/') || 'Product'} ${i.message}`)).join('; ');
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
