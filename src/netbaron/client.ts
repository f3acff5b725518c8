import { z } from 'zod';
import type { NbMarketplaceId } from '../domain/ids.ts';
import { readAhead } from '../http/read-ahead.ts';
import { redactSecrets } from '../http/redact.ts';
import { RemoteError } from '../http/remote-error.ts';
import { RequestStats, requestWithRetry } from '../http/request-loop.ts';
import { defaultRetryPolicy, retryPolicySchema, type RetryPolicy } from '../http/retry-policy.ts';
import { silentLogger, type Logger } from '../observability/logger.ts';
import { toNbError, type NbModule } from './errors.ts';
import {
  marketplacesQuery,
  parseMarketplaces,
  parseProductsPage,
  productsQuery,
  readProduct,
  type NbMarketplace,
  type NbProduct,
} from './wire/products.ts';
import {
  findOrderQuery,
  parsePaymentMethods,
  parseSalesOrderResponse,
  parseSalesOrdersResponse,
  paymentMethodsQuery,
  writeSalesOrder,
  type NbSalesOrder,
  type NbSalesOrderReceipt,
  type NbSalesOrderSummary,
} from './wire/salesorder.ts';
import { nbWireFormatSchema, type NbWireFormat } from './wire/format.ts';
import { shorten } from './wire/xml.ts';

const moduleAccessSchema = z.object({
  password: z.string().min(1),
  /** The parallel-interface number: 1 (or absent) is `/ws/products`, 2 is `/ws/products2`. */
  interface: z.number().int().min(1).default(1),
});

export const nbClientOptionsSchema = z.object({
  /** The server, e.g. `https://nb.example.fi`; module paths are added to it. */
  baseUrl: z
    .string()
    .url()
    .transform((u) => u.replace(/\/+$/, '')),
  organisation: z.string().min(1, 'the organisation is required'),
  products: moduleAccessSchema.optional(),
  salesorder: moduleAccessSchema.optional(),
  timeoutMs: z.number().int().positive().default(30_000),
  retry: retryPolicySchema.partial().default({}),
  pageSize: z.number().int().min(1).max(1000).default(1000),
  /** How flags and decimals are spelled in what is sent (`wire/format.ts`). */
  format: nbWireFormatSchema.default({ booleanSpelling: 'upper', decimalSeparator: '.' }),
});
export type NbClientOptions = z.input<typeof nbClientOptionsSchema>;

export interface InvalidNbProduct {
  code?: string;
  reason: string;
}

export interface ProductListOptions {
  marketplace?: NbMarketplaceId;
  prices?: boolean;
  quantity?: boolean;
  packaging?: boolean;
  descriptions?: boolean;
  pageSize?: number;
  /** Without it, an invalid product stops the listing with a RemoteError. */
  onInvalidItem?: (item: InvalidNbProduct) => void;
}

export interface NbProductPage {
  items: NbProduct[];
  page: number;
  pageCount: number;
}

/**
 * NetBaron Web Services, Products and Sales Order modules. Each module has its own password and
 * parallel-interface number; every call goes through `request`, which owns auth, the retry policy,
 * classification and redaction. A PUT is never retried by the client (see `errors.ts`).
 */
export class NetBaronClient {
  readonly stats = new RequestStats();
  private readonly options: z.output<typeof nbClientOptionsSchema>;
  private readonly policy: RetryPolicy;

  constructor(
    options: NbClientOptions,
    private readonly logger: Logger = silentLogger,
  ) {
    this.options = nbClientOptionsSchema.parse(options);
    this.policy = { ...defaultRetryPolicy, ...this.options.retry };
  }

  private modulePath(module: NbModule): string {
    const access = this.options[module];
    const suffix = access && access.interface > 1 ? String(access.interface) : '';
    return `/ws/${module}${suffix}`;
  }

  private async request(
    module: NbModule,
    method: 'GET' | 'PUT',
    query: URLSearchParams,
    body?: string,
  ): Promise<string> {
    const access = this.options[module];
    const modulePath = this.modulePath(module);
    const search = query.size > 0 ? `?${query.toString()}` : '';
    const describe = `${method} ${modulePath}${search}`;
    if (!access) {
      throw new RemoteError(`No password is configured for NetBaron's ${module} module (${describe}).`, {
        system: 'netbaron',
        kind: 'authentication',
        disposition: 'fatal',
        request: describe,
        attempts: 0,
      });
    }
    const token = Buffer.from(`${this.options.organisation}:${access.password}`).toString('base64');
    const secrets = [access.password, token];
    const answer = await requestWithRetry({
      system: 'netbaron',
      request: {
        method,
        url: `${this.options.baseUrl}${modulePath}${search}`,
        headers: {
          Authorization: `Basic ${token}`,
          Accept: 'application/xml',
          ...(body === undefined ? {} : { 'Content-Type': 'application/xml; charset=utf-8' }),
        },
        body,
        timeoutMs: this.options.timeoutMs,
      },
      describe,
      policy: method === 'GET' ? this.policy : { ...this.policy, maxAttempts: 1 },
      stats: this.stats,
      logger: this.logger,
      toError: (outcome, attempts) =>
        toNbError(outcome, attempts, { module, modulePath, method, describe, secrets }),
    });
    return answer.body;
  }

  /** Each module's password and its Basic encoding, which an answer echoing the request could carry. */
  private secrets(): string[] {
    return (['products', 'salesorder'] as const).flatMap((module) => {
      const access = this.options[module];
      if (!access) return [];
      const pair = `${this.options.organisation}:${access.password}`;
      return [access.password, pair, Buffer.from(pair).toString('base64')];
    });
  }

  private invalid(describe: string, reason: string): RemoteError {
    const text = shorten(redactSecrets(reason, this.secrets()), 500);
    return new RemoteError(`NetBaron's answer to ${describe} could not be read: ${text}`, {
      system: 'netbaron',
      kind: 'invalid-response',
      disposition: 'fatal',
      request: describe,
      attempts: 1,
    });
  }

  private read<T>(describe: string, parse: () => T): T {
    try {
      return parse();
    } catch (err) {
      throw this.invalid(
        describe,
        err instanceof z.ZodError ? z.prettifyError(err) : err instanceof Error ? err.message : String(err),
      );
    }
  }

  /** How this connection spells flags and decimals in what it sends. */
  get wireFormat(): NbWireFormat {
    return this.options.format;
  }

  /**
   * A GET answered as sent (the XML text), for the compatibility probe to compare with the model.
   * Only GET, so nothing that uses it can change the register.
   */
  getRaw(module: NbModule, query: URLSearchParams): Promise<string> {
    return this.request(module, 'GET', query);
  }

  async listMarketplaces(): Promise<NbMarketplace[]> {
    const xml = await this.request('products', 'GET', marketplacesQuery(this.options.format));
    return this.read('ListMarketplaces', () => parseMarketplaces(xml));
  }

  /** Pages of products, validated product by product; the next page is fetched while this one is used. */
  async *productPages(options: ProductListOptions = {}): AsyncGenerator<NbProductPage> {
    const pageSize = options.pageSize ?? this.options.pageSize;
    const fetchPage = (page: number) =>
      this.request(
        'products',
        'GET',
        productsQuery(
          {
            marketplace: options.marketplace,
            prices: options.prices,
            quantity: options.quantity,
            packaging: options.packaging,
            descriptions: options.descriptions,
            page,
            pageSize,
          },
          this.options.format,
        ),
      );
    const pages = readAhead(
      fetchPage,
      (xml, page) => this.read(`GET products page ${page}`, () => parseProductsPage(xml)),
      (parsed) => parsed.pageCount,
    );
    for await (const { page: parsed, number: page } of pages) {
      const items: NbProduct[] = [];
      for (const raw of parsed.rawProducts) {
        const result = readProduct(raw);
        if (result.ok) {
          items.push(result.product);
          continue;
        }
        if (!options.onInvalidItem) {
          throw this.invalid(
            `GET products page ${page}`,
            `product ${result.code ?? '(no code)'}: ${result.reason}`,
          );
        }
        options.onInvalidItem({ code: result.code, reason: result.reason });
      }
      yield { items, page: parsed.page, pageCount: parsed.pageCount };
    }
  }

  async *listProducts(options: ProductListOptions = {}): AsyncGenerator<NbProduct> {
    for await (const page of this.productPages(options)) yield* page.items;
  }

  /**
   * Sends one order. Never retried here: an `outcome-unknown` RemoteError means the caller must read the
   * order back with `findSalesOrders` and send again only if it is provably absent.
   */
  async putSalesOrder(
    order: NbSalesOrder,
    /** The document already written for this order (the one recorded as sent), so it is written once. */
    document: string = this.salesOrderDocument(order),
  ): Promise<NbSalesOrderReceipt> {
    const xml = await this.request('salesorder', 'PUT', new URLSearchParams(), document);
    return this.read('PUT salesorder', () => parseSalesOrderResponse(xml));
  }

  /** The exact document `putSalesOrder` sends for the order, in this connection's wire format. */
  salesOrderDocument(order: NbSalesOrder): string {
    return writeSalesOrder(order, this.options.format);
  }

  async findSalesOrders(orderIdentifier: string): Promise<NbSalesOrderSummary[]> {
    const xml = await this.request('salesorder', 'GET', findOrderQuery(orderIdentifier));
    return this.read('GET salesorder by OrderIdentifier', () => parseSalesOrdersResponse(xml));
  }

  async listPaymentMethods(): Promise<string[]> {
    const xml = await this.request('salesorder', 'GET', paymentMethodsQuery(this.options.format));
    return this.read('ListPaymentMethods', () => parsePaymentMethods(xml));
  }
}
