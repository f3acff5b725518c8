import { z } from 'zod';
import type {
  McfProductId,
  McfVariationId,
  McfOrderId,
  McfVersionId,
  McfWebhookUuid,
  ProductCode,
} from '../domain/ids.ts';
import { centsToNumber, vatRateToNumber, type Cents, type VatBasisPoints } from '../domain/money.ts';
import { readAhead } from '../http/read-ahead.ts';
import { RemoteError } from '../http/remote-error.ts';
import { RequestStats, requestWithRetry } from '../http/request-loop.ts';
import { ServerClock } from '../http/server-clock.ts';
import { defaultRetryPolicy, retryPolicySchema, type RetryPolicy } from '../http/retry-policy.ts';
import { silentLogger, type Logger } from '../observability/logger.ts';
import { toMcfError } from './errors.ts';
import {
  itemEnvelopeSchema,
  listEnvelopeSchema,
  orderArrivalSchema,
  orderSchema,
  paymentMethodSchema,
  productSchema,
  shippingMethodSchema,
  stockChangeSchema,
  stockItemSchema,
  variationSchema,
  versionSchema,
  webhookSchema,
  type McfOrder,
  type McfOrderArrival,
  type McfPaymentMethod,
  type McfProduct,
  type McfShippingMethod,
  type McfStockChange,
  type McfStockItem,
  type McfVariation,
  type McfVersion,
  type McfVisibility,
  type McfWebhook,
} from './schemas.ts';

export const mcfClientOptionsSchema = z.object({
  /** The API base, e.g. `https://STORE.mycashflow.fi/api/v1`; a trailing slash is removed (the API refuses one). */
  baseUrl: z
    .string()
    .url()
    .transform((u) => u.replace(/\/+$/, '')),
  email: z.string().min(1, 'the API user e-mail is required'),
  apiKey: z.string().min(1, 'the API key is required'),
  timeoutMs: z.number().int().positive().default(30_000),
  retry: retryPolicySchema.partial().default({}),
  pageSize: z.number().int().min(1).max(1000).default(1000),
});
export type McfClientOptions = z.input<typeof mcfClientOptionsSchema>;

/** A list item that failed validation: reported, never silently dropped, and never fatal to the listing. */
export interface InvalidItem {
  resource: string;
  id?: unknown;
  code?: unknown;
  /** Every product code the item holds that could be read (its own and its variations'). */
  codes: string[];
  reason: string;
}

function readableCodes(obj: Record<string, unknown>): string[] {
  const variations = Array.isArray(obj.variations) ? (obj.variations as unknown[]) : [];
  return [
    obj.product_code ?? obj.code,
    ...variations.map((v) => (v as Record<string, unknown> | null)?.product_code),
  ].filter((c): c is string => typeof c === 'string' && c.trim() !== '');
}

export interface ListOptions {
  expand?: string[];
  query?: Record<string, string | number | undefined>;
  pageSize?: number;
  /** Without it, an invalid item stops the listing with a RemoteError. */
  onInvalidItem?: (item: InvalidItem) => void;
}

export interface McfPage<T> {
  items: T[];
  /** The JSON of each valid item as MyCashflow sent it, in the order of `items` (kept where exactness matters). */
  raw: unknown[];
  page: number;
  pageCount: number;
  itemCount: number;
}

export interface ProductWrite {
  name?: string;
  product_code?: ProductCode | string;
  description?: string;
  information?: string;
  price?: Cents;
  purchase_price?: Cents;
  vat_rate?: VatBasisPoints;
  weight?: number;
  parcel_type?: string;
  visibilities?: McfVisibility[];
}

export interface VariationWrite {
  product_code?: string;
  name?: string;
  price?: Cents;
  purchase_price?: Cents;
}

type Query = Record<string, string | number | undefined>;

/** A schema's complaints as one line, naming each field by its path. */
export function issueText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`).join('; ');
}

/** A write as the API takes it: money and VAT rates as numbers, unset fields left out. */
export function toWireProduct(write: ProductWrite | VariationWrite): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(write)) {
    if (value === undefined) continue;
    if (key === 'price' || key === 'purchase_price') out[key] = centsToNumber(value as Cents);
    else if (key === 'vat_rate') out[key] = vatRateToNumber(value as VatBasisPoints);
    else out[key] = value;
  }
  return out;
}

/**
 * MyCashflow REST API v1. Every call goes through `request`: Basic auth, `Accept: application/json`,
 * the retry policy, classification into RemoteError, and redaction of the API key.
 */
export class MyCashflowClient {
  readonly stats = new RequestStats();
  /** The store's clock, from its answers: where a reading of changes starts next (`store-mirror.ts`). */
  readonly clock = new ServerClock();
  private readonly options: z.output<typeof mcfClientOptionsSchema>;
  private readonly policy: RetryPolicy;
  private readonly authorization: string;

  constructor(
    options: McfClientOptions,
    private readonly logger: Logger = silentLogger,
  ) {
    this.options = mcfClientOptionsSchema.parse(options);
    this.policy = { ...defaultRetryPolicy, ...this.options.retry };
    this.authorization = `Basic ${Buffer.from(`${this.options.email}:${this.options.apiKey}`).toString('base64')}`;
  }

  private async request(method: string, path: string, query: Query = {}, body?: unknown): Promise<unknown> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const search = params.size > 0 ? `?${params.toString()}` : '';
    const describe = `${method} /api/v1${path}${search}`;
    const secrets = [this.options.apiKey, this.authorization.slice(6)];
    const answer = await requestWithRetry({
      system: 'mycashflow',
      request: {
        method,
        url: `${this.options.baseUrl}${path}${search}`,
        headers: {
          Authorization: this.authorization,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: this.options.timeoutMs,
      },
      describe,
      policy: this.policy,
      stats: this.stats,
      logger: this.logger,
      toError: (outcome, attempts) =>
        toMcfError(outcome, attempts, { method, describe, idempotent: method !== 'POST', secrets }),
    });
    this.clock.observe(answer.headers.get('date'));
    if (answer.status === 204 || answer.body.trim() === '') return undefined;
    try {
      return JSON.parse(answer.body);
    } catch {
      throw new RemoteError(`MyCashflow answered ${describe} with a body that is not JSON.`, {
        system: 'mycashflow',
        kind: 'invalid-response',
        disposition: 'fatal',
        request: describe,
        status: answer.status,
        attempts: 1,
      });
    }
  }

  private invalid(describe: string, reason: string): RemoteError {
    return new RemoteError(`MyCashflow's answer to ${describe} did not have the expected shape: ${reason}`, {
      system: 'mycashflow',
      kind: 'invalid-response',
      disposition: 'fatal',
      request: describe,
      attempts: 1,
    });
  }

  private async one<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    query: Query = {},
    body?: unknown,
  ): Promise<T> {
    const raw = await this.request(method, path, query, body);
    const envelope = itemEnvelopeSchema.safeParse(raw);
    if (!envelope.success) throw this.invalid(`${method} ${path}`, issueText(envelope.error));
    const item = schema.safeParse(envelope.data.data);
    if (!item.success) throw this.invalid(`${method} ${path}`, issueText(item.error));
    return item.data;
  }

  /**
   * Pages of a list, validated item by item; the next page is requested while the caller works on the
   * current one (`readAhead`).
   */
  async *pages<T>(
    path: string,
    resource: string,
    schema: z.ZodType<T>,
    options: ListOptions = {},
  ): AsyncGenerator<McfPage<T>> {
    const pageSize = options.pageSize ?? this.options.pageSize;
    const query: Query = { ...options.query, page_size: pageSize };
    if (options.expand?.length) query.expand = options.expand.join(',');
    const pages = readAhead(
      (page) => this.request('GET', path, { ...query, page }),
      (body) => this.envelopeOf(path, body),
      (envelope) => envelope.meta.page_count,
    );
    for await (const { page } of pages)
      yield this.pageOf(path, resource, schema, page, options.onInvalidItem);
  }

  /**
   * One page and nothing after it (no reading ahead): a count from `meta.item_count`, or the newest
   * item with a descending sort.
   */
  async firstPage<T>(
    path: string,
    resource: string,
    schema: z.ZodType<T>,
    query: Query,
  ): Promise<McfPage<T>> {
    const body = await this.request('GET', path, { ...query, page: 1 });
    return this.pageOf(path, resource, schema, this.envelopeOf(path, body));
  }

  private envelopeOf(path: string, body: unknown): z.output<typeof listEnvelopeSchema> {
    const envelope = listEnvelopeSchema.safeParse(body);
    if (!envelope.success) throw this.invalid(`GET ${path}`, issueText(envelope.error));
    return envelope.data;
  }

  /** A page's items, each validated; one that is not valid is reported, or stops the listing. */
  private pageOf<T>(
    path: string,
    resource: string,
    schema: z.ZodType<T>,
    { meta, data }: z.output<typeof listEnvelopeSchema>,
    onInvalidItem?: (item: InvalidItem) => void,
  ): McfPage<T> {
    const items: T[] = [];
    const raw: unknown[] = [];
    for (const rawItem of data) {
      const parsed = schema.safeParse(rawItem);
      if (parsed.success) {
        items.push(parsed.data);
        raw.push(rawItem);
        continue;
      }
      const obj = (rawItem ?? {}) as Record<string, unknown>;
      const bad: InvalidItem = {
        resource,
        id: obj.id,
        code: obj.product_code ?? obj.code,
        codes: readableCodes(obj),
        reason: issueText(parsed.error),
      };
      if (!onInvalidItem) throw this.invalid(`GET ${path}`, `${resource} ${String(bad.id)}: ${bad.reason}`);
      onInvalidItem(bad);
    }
    return { items, raw, page: meta.page, pageCount: meta.page_count, itemCount: meta.item_count };
  }

  async *list<T>(
    path: string,
    resource: string,
    schema: z.ZodType<T>,
    options: ListOptions = {},
  ): AsyncGenerator<T> {
    for await (const page of this.pages(path, resource, schema, options)) yield* page.items;
  }

  /**
   * A GET answered as sent, before any schema reads it: the compatibility probe compares which variant
   * of the model the store writes. Only GET, so nothing that uses it can change the store.
   */
  getRaw(path: string, query: Query = {}): Promise<unknown> {
    return this.request('GET', path, query);
  }

  listProducts(options: ListOptions = {}): AsyncGenerator<McfProduct> {
    return this.list('/products', 'product', productSchema, options);
  }
  productPages(options: ListOptions = {}): AsyncGenerator<McfPage<McfProduct>> {
    return this.pages('/products', 'product', productSchema, options);
  }
  getProduct(id: McfProductId, expand: string[] = []): Promise<McfProduct> {
    return this.one(
      'GET',
      `/products/${id}`,
      productSchema,
      expand.length ? { expand: expand.join(',') } : {},
    );
  }
  createProduct(product: ProductWrite): Promise<McfProduct> {
    return this.one('POST', '/products', productSchema, {}, toWireProduct(product));
  }
  updateProduct(id: McfProductId, patch: ProductWrite): Promise<McfProduct> {
    return this.one('PATCH', `/products/${id}`, productSchema, {}, toWireProduct(patch));
  }
  async deleteProduct(id: McfProductId): Promise<void> {
    await this.request('DELETE', `/products/${id}`);
  }

  listVariations(options: ListOptions = {}): AsyncGenerator<McfVariation> {
    return this.list('/variations', 'variation', variationSchema, options);
  }
  getVariation(id: McfVariationId): Promise<McfVariation> {
    return this.one('GET', `/variations/${id}`, variationSchema);
  }
  updateVariation(id: McfVariationId, patch: VariationWrite): Promise<McfVariation> {
    return this.one('PATCH', `/variations/${id}`, variationSchema, {}, toWireProduct(patch));
  }
  async deleteVariation(id: McfVariationId): Promise<void> {
    await this.request('DELETE', `/variations/${id}`);
  }

  getStock(code: ProductCode): Promise<McfStockItem> {
    return this.one('GET', `/stock/${encodeURIComponent(code)}`, stockItemSchema);
  }
  /** Sets the absolute quantity in stock (never a delta); MyCashflow derives `balance = quantity − reserved`. */
  setStockQuantity(code: ProductCode, quantity: number): Promise<McfStockItem> {
    if (!Number.isSafeInteger(quantity))
      throw new RangeError(`stock quantity ${quantity} is not a whole number`);
    return this.one('PATCH', `/stock/${encodeURIComponent(code)}`, stockItemSchema, {}, { quantity });
  }
  /** How many products the store has, in one request. */
  async countProducts(): Promise<number> {
    return (await this.firstPage('/products', 'product', z.unknown(), { page_size: 1 })).itemCount;
  }
  /** The newest entry of the stock's audit trail, if any, in one request. */
  async latestStockChange(): Promise<McfStockChange | undefined> {
    const page = await this.firstPage('/stock-changes', 'stock change', stockChangeSchema, {
      page_size: 1,
      sort: 'id-desc',
    });
    return page.items[0];
  }
  listStockChanges(options: ListOptions = {}): AsyncGenerator<McfStockChange> {
    return this.list('/stock-changes', 'stock change', stockChangeSchema, options);
  }

  listOrders(options: ListOptions = {}): AsyncGenerator<McfOrder> {
    return this.list('/orders', 'order', orderSchema, options);
  }
  /** For intake: each order's id and time, with its JSON as sent in `raw` for the ledger. */
  orderPages(options: ListOptions = {}): AsyncGenerator<McfPage<McfOrderArrival>> {
    return this.pages('/orders', 'order', orderArrivalSchema, options);
  }
  getOrder(id: McfOrderId, expand: string[] = []): Promise<McfOrder> {
    return this.one('GET', `/orders/${id}`, orderSchema, expand.length ? { expand: expand.join(',') } : {});
  }

  listPaymentMethods(options: ListOptions = {}): AsyncGenerator<McfPaymentMethod> {
    return this.list('/payment-methods', 'payment method', paymentMethodSchema, options);
  }
  listShippingMethods(options: ListOptions = {}): AsyncGenerator<McfShippingMethod> {
    return this.list('/shipping-methods', 'shipping method', shippingMethodSchema, options);
  }
  listVersions(options: ListOptions = {}): AsyncGenerator<McfVersion> {
    return this.list('/versions', 'version', versionSchema, options);
  }
  getVersion(id: McfVersionId): Promise<McfVersion> {
    return this.one('GET', `/versions/${id}`, versionSchema);
  }

  subscribeWebhook(input: { topic: string; expands: string[]; url: string }): Promise<McfWebhook> {
    return this.one('POST', '/webhooks', webhookSchema, {}, input);
  }
  listWebhooks(options: ListOptions = {}): AsyncGenerator<McfWebhook> {
    return this.list('/webhooks', 'webhook', webhookSchema, options);
  }
  async deleteWebhook(uuid: McfWebhookUuid): Promise<void> {
    await this.request('DELETE', `/webhooks/${encodeURIComponent(uuid)}`);
  }
}
