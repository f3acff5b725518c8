import { z } from 'zod';
import { hasAtMostTwoDecimals } from './decimal-text.ts';
import { NON_XML_CHARS } from './xml-writer.ts';

/*
 * The simulator's state document, in NetBaron's own vocabulary (README.md lists every field). Parsing it
 * fills every default, so GET /__sim/state shows the whole state and a PUT of that document reproduces
 * it. Defaults that depend on the clock (DeletedAt, LeftMarketplaces[].At, ReceivedAt) come from the
 * simulator's `now`, which is why the schema is built per simulator.
 */

export const DEFAULT_ORGANISATION = 'demo-org';
export const DEFAULT_PRODUCTS_PASSWORD = 'products-secret';
export const DEFAULT_ORDERS_PASSWORD = 'orders-secret';
export const FIRST_SALES_ORDER_NUMBER = 50001;

const xmlText = () =>
  z
    .string()
    .refine((s) => !NON_XML_CHARS.test(s), { message: 'holds a character that XML 1.0 cannot carry' });
const nonEmptyText = () => xmlText().refine((s) => s.trim() !== '', { message: 'must not be empty' });

/** Marketplace IDs are opaque strings (§15.4); a hand-written scenario may write them as numbers. */
const idSchema = z.union([nonEmptyText(), z.number().int().nonnegative()]).transform((v) => String(v));

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;
const timestampSchema = z
  .string()
  .refine((s) => ISO_TIMESTAMP.test(s) && !Number.isNaN(Date.parse(s)), {
    message: 'must be an ISO 8601 timestamp such as 2025-03-14T12:00:00Z',
  })
  .transform((s) => new Date(s).toISOString());

/**
 * Wire text served verbatim in place of a number: a decimal comma ("24,90"), which a NetBaron speaking
 * Finvoice's dialect may plausibly write and the connector reads, or a malformed value ("abc",
 * "1.024,90") that a real NetBaron would not send but the connector must survive.
 */
const rawNumberText = () => nonEmptyText();

/** A number as held, however unusual, or raw text; null means missing and omits the element. */
const numberField = (fallback: number) => z.union([z.number(), rawNumberText()]).nullable().default(fallback);

/** A price may be missing (null or absent) in NetBaron; the element is then omitted from the listing. */
const priceSchema = z
  .union([
    z.number().refine(hasAtMostTwoDecimals, { message: 'a price has at most two decimals' }),
    rawNumberText(),
  ])
  .nullish()
  .transform((v) => v ?? null);

const moduleSchema = (password: string) =>
  z
    .strictObject({
      // NetBaron allows one password per service using the module, so a list is accepted too.
      password: z.union([nonEmptyText(), z.array(nonEmptyText()).min(1)]).default(password),
      interface: z.number().int().min(1).default(1),
    })
    .prefault({});

const marketplaceSchema = z
  .strictObject({ Id: idSchema, Name: xmlText().optional() })
  .transform((m) => ({ Id: m.Id, Name: m.Name ?? `Marketplace ${m.Id}` }));

function productSchema(now: () => Date) {
  return z
    .strictObject({
      ProductCode: nonEmptyText(),
      EAN: xmlText().default(''),
      Name: xmlText().default(''),
      Description: xmlText().default(''),
      AdditionalInformation: xmlText().default(''),
      VatPercent: numberField(25.5),
      SalesPriceVatIncluded: priceSchema,
      PurchasePrice: priceSchema,
      Weight: numberField(0),
      PackageType: xmlText().default(''),
      Quantity: numberField(0),
      Marketplaces: z.array(idSchema).default(() => []),
      Deleted: z.boolean().default(false),
      DeletedAt: timestampSchema.optional(),
      LeftMarketplaces: z
        .array(z.strictObject({ Id: idSchema, At: timestampSchema.default(() => now().toISOString()) }))
        .default(() => []),
    })
    .transform((p) =>
      p.Deleted && p.DeletedAt === undefined ? { ...p, DeletedAt: now().toISOString() } : p,
    );
}

export interface NbInvoiceDetails {
  OrderIdentifier: string;
  OrderDate?: string;
  InvoiceTotalVatIncludedAmount?: string;
  [element: string]: unknown;
}

/** A stored sales order: the received document as JSON, element names kept, plus NetBaron's own fields. */
export interface NbSalesOrder {
  InvoiceDetails: NbInvoiceDetails;
  SalesOrderNumber: string;
  Status: string;
  ReceivedAt: string;
  [element: string]: unknown;
}

function salesOrderSchema(now: () => Date) {
  return z
    .record(z.string(), z.unknown())
    .superRefine((order, ctx) => {
      const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
      const details = order.InvoiceDetails;
      if (typeof details !== 'object' || details === null || Array.isArray(details)) {
        issue(['InvoiceDetails'], 'must be an object holding at least OrderIdentifier');
        return;
      }
      const d = details as Record<string, unknown>;
      if (typeof d.OrderIdentifier !== 'string' || d.OrderIdentifier === '') {
        issue(['InvoiceDetails', 'OrderIdentifier'], 'must be a non-empty string');
      }
      for (const key of ['OrderDate', 'InvoiceTotalVatIncludedAmount']) {
        if (d[key] !== undefined && typeof d[key] !== 'string')
          issue(['InvoiceDetails', key], 'must be a string');
      }
      const n = order.SalesOrderNumber;
      if (
        n !== undefined &&
        !(typeof n === 'string' && /^[1-9]\d*$/.test(n)) &&
        !(Number.isSafeInteger(n) && (n as number) > 0)
      ) {
        issue(['SalesOrderNumber'], 'must be a positive whole number');
      }
      if (order.Status !== undefined && (typeof order.Status !== 'string' || order.Status === '')) {
        issue(['Status'], 'must be a non-empty string');
      }
      if (order.ReceivedAt !== undefined && !timestampSchema.safeParse(order.ReceivedAt).success) {
        issue(['ReceivedAt'], 'must be an ISO 8601 timestamp');
      }
    })
    .transform((order) => {
      const stored: Record<string, unknown> = { ...order };
      if (stored.SalesOrderNumber !== undefined) stored.SalesOrderNumber = String(stored.SalesOrderNumber);
      stored.Status = order.Status ?? 'Pending';
      stored.ReceivedAt =
        order.ReceivedAt === undefined
          ? now().toISOString()
          : new Date(order.ReceivedAt as string).toISOString();
      // SalesOrderNumber may still be missing here; the document-level transform numbers it.
      return stored as NbSalesOrder;
    });
}

/** Plain code-unit order, so paging is a slice and the same on every platform and locale. */
export function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function makeNbStateSchema(now: () => Date = () => new Date()) {
  return z
    .strictObject({
      organisation: nonEmptyText().default(DEFAULT_ORGANISATION),
      modules: z
        .strictObject({
          products: moduleSchema(DEFAULT_PRODUCTS_PASSWORD),
          salesorder: moduleSchema(DEFAULT_ORDERS_PASSWORD),
        })
        .prefault({}),
      allowed_ips: z
        .strictObject({
          products: z.array(nonEmptyText()).optional(),
          salesorder: z.array(nonEmptyText()).optional(),
        })
        .prefault({}),
      marketplaces: z.array(marketplaceSchema).default(() => [{ Id: '3', Name: 'Verkkokauppa' }]),
      payment_methods: z.array(nonEmptyText()).default(() => ['Paytrail', 'Lasku']),
      service_articles: z.array(nonEmptyText()).default(() => ['TOIMITUS', 'MAKSUKULU', 'ALENNUS']),
      deleted_retention_days: z.number().int().min(0).default(30),
      products: z.array(productSchema(now)).default(() => []),
      sales_orders: z.array(salesOrderSchema(now)).default(() => []),
    })
    .superRefine((doc, ctx) => {
      const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
      const marketplaceIds = new Set<string>();
      doc.marketplaces.forEach((m, i) => {
        if (marketplaceIds.has(m.Id))
          issue(['marketplaces', i, 'Id'], `marketplace Id "${m.Id}" is listed twice`);
        marketplaceIds.add(m.Id);
      });
      // The same ProductCode twice is allowed: a real register can hold it (MyCashflow's NetBaron
      // extension warns about exactly that), and the connector must meet it here to be tested against it.
      doc.products.forEach((p, i) => {
        p.Marketplaces.forEach((id, k) => {
          if (!marketplaceIds.has(id))
            issue(['products', i, 'Marketplaces', k], `marketplace "${id}" is not in marketplaces`);
        });
        p.LeftMarketplaces.forEach((left, k) => {
          if (!marketplaceIds.has(left.Id)) {
            issue(
              ['products', i, 'LeftMarketplaces', k, 'Id'],
              `marketplace "${left.Id}" is not in marketplaces`,
            );
          }
        });
      });
      const numbers = new Set<string>();
      doc.sales_orders.forEach((o, i) => {
        if (o.SalesOrderNumber === undefined) return;
        if (numbers.has(o.SalesOrderNumber)) {
          issue(
            ['sales_orders', i, 'SalesOrderNumber'],
            `SalesOrderNumber ${o.SalesOrderNumber} is used twice`,
          );
        }
        numbers.add(o.SalesOrderNumber);
      });
    })
    .transform((doc) => {
      // A stable sort: entries that share a code keep the document's order, in listings too.
      const products = [...doc.products].sort((a, b) => compareCodes(a.ProductCode, b.ProductCode));
      let next = nextSalesOrderNumber(doc.sales_orders);
      const sales_orders = doc.sales_orders.map((o) => {
        if (o.SalesOrderNumber !== undefined) return o;
        const numbered = { ...o, SalesOrderNumber: String(next) };
        next += 1;
        return numbered;
      });
      return { ...doc, products, sales_orders };
    });
}

/** One above the highest number in use, and never below the first number of the series. */
export function nextSalesOrderNumber(orders: ReadonlyArray<{ SalesOrderNumber?: string }>): number {
  let next = FIRST_SALES_ORDER_NUMBER;
  for (const o of orders) {
    const n = Number(o.SalesOrderNumber);
    if (Number.isSafeInteger(n) && n >= next) next = n + 1;
  }
  return next;
}

export const nbStateSchema = makeNbStateSchema();

/** The full state document, every default filled: what GET /__sim/state returns. */
export type NbStateDocument = z.output<typeof nbStateSchema>;
/** What a scenario may write: any field may be left out. */
export type NbStateInput = z.input<typeof nbStateSchema>;
export type NbProduct = NbStateDocument['products'][number];
export type NbMarketplace = NbStateDocument['marketplaces'][number];
export type NbModuleName = keyof NbStateDocument['modules'];

function describePath(path: PropertyKey[], raw: unknown): string {
  let text = '';
  let cursor: unknown = raw;
  path.forEach((key, depth) => {
    text += typeof key === 'number' ? `[${key}]` : `${text === '' ? '' : '.'}${String(key)}`;
    cursor =
      typeof cursor === 'object' && cursor !== null
        ? (cursor as Record<PropertyKey, unknown>)[key]
        : undefined;
    // Naming the product code next to its index saves counting through a long scenario file.
    if (depth === 1 && path[0] === 'products' && typeof key === 'number') {
      const code = (cursor as { ProductCode?: unknown } | undefined)?.ProductCode;
      if (typeof code === 'string') text += ` (ProductCode "${code}")`;
    }
  });
  return text === '' ? 'state document' : text;
}

const MAX_ISSUES_SHOWN = 10;

/** Validates a state document; the Error names each offending field, and the kit answers it with 400. */
export function parseNbState(doc: unknown, now: () => Date): NbStateDocument {
  const parsed = makeNbStateSchema(now).safeParse(doc ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const lines = issues.slice(0, MAX_ISSUES_SHOWN).map((i) => `${describePath(i.path, doc)}: ${i.message}`);
  if (issues.length > MAX_ISSUES_SHOWN) lines.push(`… and ${issues.length - MAX_ISSUES_SHOWN} more`);
  throw new Error(`invalid NetBaron state: ${lines.join('; ')}`);
}
