import { randomUUID } from 'node:crypto';
import { isRemoteError } from '../../http/remote-error.ts';
import { MyCashflowClient } from '../../mycashflow/client.ts';
import {
  itemEnvelopeSchema,
  listEnvelopeSchema,
  orderSchema,
  paymentMethodSchema,
  productSchema,
  shippingMethodSchema,
  stockItemSchema,
  versionSchema,
  webhookSchema,
} from '../../mycashflow/schemas.ts';
import { formatStoreTimestamp } from '../../mycashflow/timestamps.ts';
import { STORE_CATALOG_EXPANDS } from '../../catalog/store-catalog.ts';
import { ORDER_EXPANDS } from '../../orders/poll-orders.ts';
import { failingPart } from '../test-connection.ts';
import type { AssumptionId } from './assumptions.ts';
import { differed, examples, matched, unchecked, type CheckOutcome } from './check.ts';
import { observeJson, noVariants, type JsonVariants } from './json-variants.ts';
import { CheckList, firstIssue } from './record.ts';
import type { z } from 'zod';

export const MCF_CHECKS: readonly AssumptionId[] = [
  'mcf.auth',
  'mcf.auth-refused',
  'mcf.trailing-slash',
  'mcf.envelope',
  'mcf.next-url',
  'mcf.page-size-cap',
  'mcf.error-body',
  'mcf.products-read',
  'mcf.numbers-as-text',
  'mcf.empty-relations',
  'mcf.purchase-price-decimals',
  'mcf.timestamps',
  'mcf.timestamp-filter',
  'mcf.order-read',
  'mcf.order-totals',
  'mcf.stock',
  'mcf.payment-methods',
  'mcf.versions',
  'mcf.webhooks',
  'mcf.writes',
  'mcf.webhook-delivery',
  'mcf.rate-limit',
];

export interface McfProbeInput {
  mcf: MyCashflowClient;
  /** The store's API address as configured, to compare `meta.next` with. */
  baseUrl: string;
  /** Pages of products read (of 50 each). */
  productPages?: number;
  now?: Date;
}

export interface McfProbeResult {
  checks: CheckList;
  /** Why nothing more could be checked (the credentials, the address), in the settings page's words. */
  blocked?: string;
}

const describe = (path: string, query: Record<string, string | number> = {}): string => {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
  return `GET /api/v1${path}${params.size ? `?${params.toString()}` : ''}`;
};

/** An item a schema refused, as `what id (code): reason`. */
function unreadableText(item: unknown, what: string, error: z.ZodError): string {
  const obj = (item ?? {}) as Record<string, unknown>;
  const code = typeof obj.product_code === 'string' ? ` (${obj.product_code})` : '';
  return `${what} ${String(obj.id ?? '?')}${code}: ${firstIssue(error)}`;
}

/** Items of a list answer that a schema refuses. */
function unreadable(items: readonly unknown[], schema: z.ZodType, what: string): string[] {
  return items.flatMap((item) => {
    const parsed = schema.safeParse(item);
    return parsed.success ? [] : [unreadableText(item, what, parsed.error)];
  });
}

/**
 * Whole lists read with the client's schemas: matched (with `summary` of the item counts), or the items
 * that could not be read, or the answer that was not a list at all.
 */
function listVerdict(
  lists: ReadonlyArray<{ raw: unknown; schema: z.ZodType; what: string }>,
  summary: (counts: number[]) => string,
  requests: string[],
): CheckOutcome {
  const counts: number[] = [];
  const bad: string[] = [];
  for (const { raw, schema, what } of lists) {
    const envelope = listEnvelopeSchema.safeParse(raw);
    if (!envelope.success)
      return differed(`not {data, meta}: ${firstIssue(envelope.error)}`, false, requests);
    counts.push(envelope.data.data.length);
    bad.push(...unreadable(envelope.data.data, schema, what));
  }
  return bad.length
    ? differed(`unreadable: ${examples(bad)}`, false, requests)
    : matched(summary(counts), requests);
}

function errorText(err: unknown): string {
  return isRemoteError(err) ? err.message : (err as Error).message;
}

/**
 * Read-only calls to a MyCashflow store, each compared with the model this project assumes. Every call
 * is a GET: the probe is safe on a live store at any hour.
 */
export async function probeMyCashflow(input: McfProbeInput): Promise<McfProbeResult> {
  const { mcf } = input;
  const list = new CheckList();
  const variants = noVariants();

  // 1. Access: nothing else can be checked without it.
  let versionsRaw: unknown;
  try {
    versionsRaw = await mcf.getRaw('/versions');
  } catch (err) {
    list.rest(MCF_CHECKS, 'not checked: the store could not be read with these settings');
    return { checks: list, blocked: failingPart('MyCashflow', err) };
  }
  list.add(
    'mcf.auth',
    matched('the API user and key were accepted and the answer was JSON', [describe('/versions')]),
  );
  await checkRefusedCredentials(input, list);
  await checkTrailingSlash(mcf, list);

  list.add(
    'mcf.versions',
    listVerdict(
      [{ raw: versionsRaw, schema: versionSchema, what: 'version' }],
      ([n]) => `${n} version(s) read`,
      [describe('/versions')],
    ),
  );

  const products = await checkProducts(input, list, variants);
  await checkPageSizeCap(mcf, list);
  await checkErrorBody(mcf, list);
  const orderSeen = await checkOrder(mcf, list, variants);
  await checkTimestampFilter(input, list);
  await checkStock(mcf, products, list);
  await checkMethods(mcf, list);
  await checkWebhooks(mcf, list);
  recordVariants(variants, products.length > 0 || orderSeen, list);

  list.rest(['mcf.writes'], 'not checked: it needs a write, which the probe never makes');
  list.rest(
    ['mcf.webhook-delivery'],
    'not checked: it needs an order placed in the store; the service shows each delivery it receives',
  );
  // The client retries a 429 (after its Retry-After) or a 5xx by itself: say what happened, not more.
  const retried = mcf.stats.retries;
  list.rest(
    ['mcf.rate-limit'],
    retried === 0
      ? 'not checked: the store did not ask to slow down during the probe'
      : `not checked: ${retried} request(s) were answered with 429 or a server error and tried again`,
  );
  list.rest(MCF_CHECKS, 'not checked: an earlier answer could not be read');
  return { checks: list };
}

async function checkRefusedCredentials(input: McfProbeInput, list: CheckList): Promise<void> {
  // A made-up user and key: one refused request, the same as a typo in the settings.
  const stranger = new MyCashflowClient({
    baseUrl: input.baseUrl,
    email: 'probe@example.invalid',
    apiKey: randomUUID(),
    retry: { maxAttempts: 1 },
  });
  const request = [`${describe('/versions')} (with a made-up API user and key)`];
  try {
    await stranger.getRaw('/versions');
    list.add('mcf.auth-refused', differed('a made-up API user and key were accepted', true, request));
  } catch (err) {
    if (isRemoteError(err) && err.kind === 'authentication')
      list.add('mcf.auth-refused', matched('refused with 401', request));
    else
      list.add(
        'mcf.auth-refused',
        differed(
          `refused otherwise: ${errorText(err)} (the settings test still names the failing part)`,
          true,
          request,
        ),
      );
  }
}

async function checkTrailingSlash(mcf: MyCashflowClient, list: CheckList): Promise<void> {
  const request = ['GET /api/v1/versions/'];
  try {
    await mcf.getRaw('/versions/');
    list.add(
      'mcf.trailing-slash',
      differed('answered 200; the connector never sends a trailing slash', true, request),
    );
  } catch (err) {
    if (isRemoteError(err) && err.status === 404)
      list.add('mcf.trailing-slash', matched('answered 404', request));
    else
      list.add(
        'mcf.trailing-slash',
        differed(`${errorText(err)}; the connector never sends a trailing slash`, true, request),
      );
  }
}

interface ReadProduct {
  productCode?: string;
  hasStockItem: boolean;
}

async function checkProducts(
  input: McfProbeInput,
  list: CheckList,
  variants: JsonVariants,
): Promise<ReadProduct[]> {
  const { mcf } = input;
  const maxPages = input.productPages ?? 3;
  const requests: string[] = [];
  const read: ReadProduct[] = [];
  const bad: string[] = [];
  let nextUrl: { next?: string; pageCount: number } | undefined;
  for (let page = 1; page <= maxPages; page += 1) {
    const query = { page, page_size: 50, expand: STORE_CATALOG_EXPANDS.join(',') };
    requests.push(describe('/products', query));
    let raw: unknown;
    try {
      raw = await mcf.getRaw('/products', query);
    } catch (err) {
      list.add(
        'mcf.products-read',
        differed(`the list could not be read: ${errorText(err)}`, false, requests),
      );
      return read;
    }
    const envelope = listEnvelopeSchema.safeParse(raw);
    if (!envelope.success) {
      list.add('mcf.envelope', differed(`not {data, meta}: ${firstIssue(envelope.error)}`, false, requests));
      return read;
    }
    const { data, meta } = envelope.data;
    nextUrl ??= { next: meta.next, pageCount: meta.page_count };
    observeJson(data, 'products', variants);
    for (const item of data) {
      const parsed = productSchema.safeParse(item);
      if (!parsed.success) {
        bad.push(unreadableText(item, 'product', parsed.error));
        continue;
      }
      const p = parsed.data;
      if (p.variations?.length)
        for (const v of p.variations)
          read.push({ productCode: v.product_code ?? undefined, hasStockItem: Boolean(v.stock_item) });
      else read.push({ productCode: p.product_code ?? undefined, hasStockItem: Boolean(p.stock_item) });
    }
    if (page >= meta.page_count) break;
  }
  list.add(
    'mcf.envelope',
    matched(`{data, meta} with page, page_size, page_count and item_count`, requests.slice(0, 1)),
  );
  checkNextUrl(input.baseUrl, nextUrl, list);
  list.add(
    'mcf.products-read',
    bad.length
      ? differed(`${bad.length} product(s) the import could not read: ${examples(bad)}`, false, requests)
      : read.length
        ? matched(`${read.length} product(s) and variation(s) read`, requests)
        : unchecked('the store has no products yet', requests),
  );
  return read;
}

function checkNextUrl(
  baseUrl: string,
  first: { next?: string; pageCount: number } | undefined,
  list: CheckList,
): void {
  if (!first || first.pageCount <= 1) {
    list.add('mcf.next-url', unchecked('only one page of products, so no next page to point at'));
    return;
  }
  if (!first.next) {
    list.add('mcf.next-url', differed('meta.next was absent; the connector pages by page_count', true));
    return;
  }
  let url: URL | undefined;
  try {
    url = new URL(first.next);
  } catch {
    url = undefined;
  }
  const scheme = new URL(baseUrl).protocol;
  list.add(
    'mcf.next-url',
    url && url.protocol === scheme
      ? matched(`a full ${scheme.slice(0, -1)} URL`)
      : differed(
          `meta.next was ${JSON.stringify(first.next.slice(0, 80))}; the connector pages by page_count`,
          true,
        ),
  );
}

async function checkPageSizeCap(mcf: MyCashflowClient, list: CheckList): Promise<void> {
  // The shortest list there is, so that asking for 1001 items costs the store nothing.
  const request = [describe('/payment-methods', { page_size: 1001 })];
  try {
    const envelope = listEnvelopeSchema.safeParse(await mcf.getRaw('/payment-methods', { page_size: 1001 }));
    if (!envelope.success) {
      list.add(
        'mcf.page-size-cap',
        differed(`not {data, meta}: ${firstIssue(envelope.error)}`, true, request),
      );
      return;
    }
    const size = envelope.data.meta.page_size;
    list.add(
      'mcf.page-size-cap',
      size <= 1000
        ? matched(`capped: meta.page_size = ${size}`, request)
        : differed(
            `accepted as asked (meta.page_size = ${size}); the connector never asks above 1000`,
            true,
            request,
          ),
    );
  } catch (err) {
    list.add(
      'mcf.page-size-cap',
      differed(`refused: ${errorText(err)}; the connector never asks above 1000`, true, request),
    );
  }
}

async function checkErrorBody(mcf: MyCashflowClient, list: CheckList): Promise<void> {
  const request = ['GET /api/v1/products/0'];
  try {
    await mcf.getRaw('/products/0');
    list.add('mcf.error-body', unchecked('product 0 exists, so no error was answered', request));
  } catch (err) {
    if (isRemoteError(err) && err.status !== undefined && err.remoteCode !== undefined)
      list.add(
        'mcf.error-body',
        matched(`${err.status} with {code, error: "${err.remoteCode}", message}`, request),
      );
    else
      list.add(
        'mcf.error-body',
        differed(
          `${errorText(err)}: no {code, error, message} body; the connector classifies errors by status alone`,
          true,
          request,
        ),
      );
  }
}

/** Reads the newest order; true when one came back (readable or not), so its variants were seen. */
async function checkOrder(mcf: MyCashflowClient, list: CheckList, variants: JsonVariants): Promise<boolean> {
  const query = { page: 1, page_size: 1, sort: 'id-desc', expand: ORDER_EXPANDS.join(',') };
  const request = [describe('/orders', query)];
  let raw: unknown;
  try {
    raw = await mcf.getRaw('/orders', query);
  } catch (err) {
    list.add(
      'mcf.order-read',
      differed(`the newest order could not be read: ${errorText(err)}`, false, request),
    );
    return false;
  }
  const envelope = listEnvelopeSchema.safeParse(raw);
  const item = envelope.success ? envelope.data.data[0] : undefined;
  if (item === undefined) {
    const why = envelope.success
      ? 'the store has no orders yet'
      : `not {data, meta}: ${firstIssue(envelope.error)}`;
    list.add('mcf.order-read', unchecked(why, request));
    list.add('mcf.order-totals', unchecked(why, request));
    return false;
  }
  observeJson(item, 'orders[0]', variants);
  const order = orderSchema.safeParse(item);
  if (!order.success) {
    list.add(
      'mcf.order-read',
      differed(`the newest order could not be read: ${firstIssue(order.error)}`, false, request),
    );
    list.add('mcf.order-totals', unchecked('the order could not be read', request));
    return true;
  }
  const o = order.data;
  const status =
    o.status === o.status.toLowerCase() ? `status "${o.status}"` : `status "${o.status}" (not lower case)`;
  list.add(
    'mcf.order-read',
    matched(`order ${o.id} read with ${o.products?.length ?? 0} line(s), ${status}`, request),
  );
  const expected = o.subtotal + (o.shipping_costs ?? 0) + (o.payment_costs ?? 0) - (o.discount ?? 0);
  list.add(
    'mcf.order-totals',
    expected === o.total
      ? matched(`order ${o.id}: the total adds up`, request)
      : differed(
          `order ${o.id}: subtotal + shipping + payment − discount is ${(expected / 100).toFixed(2)}, the total ${(o.total / 100).toFixed(2)}; orders sent to NetBaron would not match the store's totals`,
          false,
          request,
        ),
  );
  return true;
}

async function checkTimestampFilter(input: McfProbeInput, list: CheckList): Promise<void> {
  const from = formatStoreTimestamp(new Date((input.now ?? new Date()).getTime() - 86_400_000));
  const query = { 'created_at-from': from, page_size: 1 };
  const request = [describe('/orders', query)];
  try {
    const envelope = listEnvelopeSchema.safeParse(await input.mcf.getRaw('/orders', query));
    list.add(
      'mcf.timestamp-filter',
      envelope.success
        ? matched(`accepted ${from}`, request)
        : differed(`not {data, meta}: ${firstIssue(envelope.error)}`, false, request),
    );
  } catch (err) {
    list.add(
      'mcf.timestamp-filter',
      differed(`refused ${from}: ${errorText(err)}; polling for orders would fail`, false, request),
    );
  }
}

async function checkStock(
  mcf: MyCashflowClient,
  products: readonly ReadProduct[],
  list: CheckList,
): Promise<void> {
  const code = products.find((p) => p.hasStockItem && p.productCode)?.productCode;
  if (!code) {
    list.add('mcf.stock', unchecked('no product read has a stock item'));
    return;
  }
  const path = `/stock/${encodeURIComponent(code)}`;
  const request = [describe(path)];
  try {
    const envelope = itemEnvelopeSchema.safeParse(await mcf.getRaw(path));
    const item = envelope.success ? stockItemSchema.safeParse(envelope.data.data) : undefined;
    list.add(
      'mcf.stock',
      item?.success
        ? matched(`stock of ${code}: quantity ${item.data.quantity ?? '?'}`, request)
        : differed(
            `stock of ${code} could not be read: ${envelope.success ? firstIssue(item!.error!) : firstIssue(envelope.error)}`,
            false,
            request,
          ),
    );
  } catch (err) {
    list.add('mcf.stock', differed(`stock of ${code}: ${errorText(err)}`, false, request));
  }
}

async function checkMethods(mcf: MyCashflowClient, list: CheckList): Promise<void> {
  const request = [describe('/payment-methods'), describe('/shipping-methods')];
  try {
    const [payment, shipping] = await Promise.all([
      mcf.getRaw('/payment-methods', { page_size: 1000 }),
      mcf.getRaw('/shipping-methods', { page_size: 1000 }),
    ]);
    list.add(
      'mcf.payment-methods',
      listVerdict(
        [
          { raw: payment, schema: paymentMethodSchema, what: 'payment method' },
          { raw: shipping, schema: shippingMethodSchema, what: 'shipping method' },
        ],
        ([p, sh]) => `${p} payment and ${sh} shipping method(s)`,
        request,
      ),
    );
  } catch (err) {
    list.add('mcf.payment-methods', differed(errorText(err), false, request));
  }
}

async function checkWebhooks(mcf: MyCashflowClient, list: CheckList): Promise<void> {
  const request = [describe('/webhooks')];
  try {
    const raw = await mcf.getRaw('/webhooks');
    list.add(
      'mcf.webhooks',
      listVerdict(
        [{ raw, schema: webhookSchema, what: 'webhook' }],
        ([n]) => `${n} subscription(s)`,
        request,
      ),
    );
  } catch (err) {
    list.add('mcf.webhooks', differed(errorText(err), false, request));
  }
}

function recordVariants(v: JsonVariants, anythingRead: boolean, list: CheckList): void {
  if (!anythingRead) {
    list.rest(
      ['mcf.numbers-as-text', 'mcf.empty-relations', 'mcf.purchase-price-decimals', 'mcf.timestamps'],
      'not checked: neither a product nor an order could be read',
    );
    return;
  }
  list.add(
    'mcf.numbers-as-text',
    v.numbersAsText.length
      ? differed(`decimal text: ${examples(v.numbersAsText)}; read exactly`, true)
      : matched('JSON numbers'),
  );
  list.add(
    'mcf.empty-relations',
    v.emptyRelationsAsArray.length
      ? differed(`[] for: ${examples(v.emptyRelationsAsArray)}; read as none`, true)
      : matched('no to-one relation came as []'),
  );
  list.add(
    'mcf.purchase-price-decimals',
    v.longPurchasePrices.length
      ? differed(
          `${examples(v.longPurchasePrices)}; rounded to the cent, and the import reports rounded-purchase-price`,
          true,
        )
      : matched('at most two decimals'),
  );
  const t = v.timestamps;
  const other = [...t.zulu, ...t.withoutOffset];
  list.add(
    'mcf.timestamps',
    other.length
      ? differed(`${examples(other)}; read as ${t.zulu.length ? 'UTC' : 'Helsinki time'}`, true)
      : t.withOffset.length
        ? matched(`with an offset: ${examples(t.withOffset, 1)}`)
        : unchecked('no timestamp was read'),
  );
}
