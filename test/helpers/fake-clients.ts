import type { z } from 'zod';
import type { ImportNetBaronApi, ImportStoreApi } from '../../src/catalog/import-products.ts';
import type { StockChangeReads } from '../../src/catalog/returns.ts';
import {
  parseConnection,
  type ConnectionFile,
  type productImportSettingsSchema,
} from '../../src/config/connection-file.ts';
import type { McfProductId, McfVariationId, ProductCode } from '../../src/domain/ids.ts';
import { RemoteError, type RemoteErrorKind, type RemoteSystem } from '../../src/http/remote-error.ts';
import { RequestStats } from '../../src/http/request-loop.ts';
import {
  issueText,
  toWireProduct,
  type InvalidItem,
  type ListOptions,
  type McfPage,
  type ProductWrite,
  type VariationWrite,
} from '../../src/mycashflow/client.ts';
import {
  productSchema,
  stockChangeSchema,
  stockItemSchema,
  variationSchema,
  versionSchema,
  type McfProduct,
  type McfStockChange,
  type McfVersion,
} from '../../src/mycashflow/schemas.ts';
import { parseStoreTimestamp } from '../../src/mycashflow/timestamps.ts';
import type { InvalidNbProduct, NbProductPage, ProductListOptions } from '../../src/netbaron/client.ts';
import type { NbProduct } from '../../src/netbaron/wire/products.ts';
import type { NetBaronStockReads, StoreStockReads } from '../../src/reports/read-stock.ts';

/*
 * MyCashflow and NetBaron in memory, for the use cases' unit tests: reads come as pages through async
 * iterators, as the real clients give them, and every write is recorded and applied, so that a second
 * run sees what the first one wrote. The store keeps its products as the API sends them (JSON) and reads
 * them through the client's own schemas, so an item the schema refuses is reported through
 * `onInvalidItem` just as the real client reports it. The real clients and the simulators are tested
 * against each other in test/integration.
 */

/** The connection the fakes stand for: its slug is `shop`, its NetBaron marketplace `3`. */
export function fakeConnection(
  productImport: z.input<typeof productImportSettingsSchema> = {},
): ConnectionFile {
  return parseConnection({
    id: 'shop',
    name: 'Kauppa',
    mycashflow: { baseUrl: 'https://kauppa.example/api/v1', user: 'api@kauppa.example', apiKey: 'k' },
    netbaron: {
      baseUrl: 'https://nb.example',
      organisation: 'org',
      productApiPassword: 'p',
      marketplace: '3',
    },
    productImport,
  });
}

export function remoteError(
  system: RemoteSystem,
  request: string,
  kind: RemoteErrorKind,
  disposition: 'retryable' | 'fatal' | 'outcome-unknown' = 'retryable',
  status?: number,
): RemoteError {
  return new RemoteError(`${system === 'mycashflow' ? 'MyCashflow' : 'NetBaron'}: ${kind} (${request})`, {
    system,
    kind,
    disposition,
    request,
    attempts: 1,
    ...(status === undefined ? {} : { status }),
  });
}

/** A stock item as MyCashflow sends it. */
export interface RawStockItem {
  id: number;
  product_id?: number | null;
  variation_id?: number | null;
  code?: string | null;
  quantity: number;
  reserved: number;
  balance: number;
}

/** A product or variation as MyCashflow sends it: any field may be of the wrong shape in a test. */
export interface RawItem {
  id: number;
  product_id?: number;
  product_code?: string | null;
  name?: unknown;
  description?: string | null;
  information?: string | null;
  price?: unknown;
  purchase_price?: unknown;
  vat_rate?: unknown;
  weight?: unknown;
  parcel_type?: string | null;
  visibilities?: Array<{ version_id: number; is_visible: boolean }>;
  stock_item?: RawStockItem | null;
  variations?: RawItem[];
}

export const STORE_VERSIONS = [1, 2];

/**
 * A store product without variations as MyCashflow sends it: `19.90` with 25.5 % VAT, purchase price
 * `8.00`, 5 in stock, visible in every version; its stock item's id is `1000 + id`.
 */
export function mcfItem(
  id: number,
  code: string | null,
  fields: Partial<Omit<RawItem, 'id' | 'product_code' | 'stock_item'>> & { quantity?: number } = {},
): RawItem {
  const { quantity = 5, ...rest } = fields;
  return {
    id,
    product_code: code,
    name: `Store ${code ?? id}`,
    price: 19.9,
    purchase_price: 8,
    vat_rate: 25.5,
    visibilities: STORE_VERSIONS.map((version_id) => ({ version_id, is_visible: true })),
    stock_item: { id: 1000 + id, product_id: id, code, quantity, reserved: 0, balance: quantity },
    ...rest,
  };
}

/** A request as the store's log shows it: `PATCH /stock/A`, with the JSON it carried. */
export interface RecordedRequest {
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
}

function pagesOf<T>(items: readonly T[], pageSize: number): T[][] {
  const pages: T[][] = [];
  for (let i = 0; i < items.length; i += pageSize) pages.push(items.slice(i, i + pageSize));
  // An empty listing is one empty page, as the API answers it.
  return pages.length ? pages : [[]];
}

/**
 * MyCashflow in memory. `faults.readPage` fails the product listing at that page (from 1) as the real
 * client does once its retries are spent; `faults.write` may refuse any write by its `METHOD path`.
 */
export function fakeMyCashflow(
  seed: {
    products?: RawItem[];
    versions?: number[];
    /** Stock changes as MyCashflow sends them (`changed_at` in the store's time). */
    stockChanges?: Array<Record<string, unknown>>;
    pageSize?: number;
  } = {},
) {
  const products: RawItem[] = structuredClone(seed.products ?? []);
  const stockChanges = structuredClone(seed.stockChanges ?? []);
  const versions = seed.versions ?? STORE_VERSIONS;
  const pageSize = seed.pageSize ?? 2;
  const requests: RecordedRequest[] = [];
  const asked = { stockChangesFrom: [] as Array<string | undefined> };
  const faults: {
    readPage?: number;
    write?: (request: string) => RemoteError | undefined;
  } = {};
  let nextStockItem = 5000;

  const notFound = (request: string) => remoteError('mycashflow', request, 'not-found', 'fatal', 404);

  /** The product or variation that carries a code. */
  const placeOf = (code: string) =>
    products.flatMap((p) => [p, ...(p.variations ?? [])]).find((item) => item.product_code === code);
  const productOf = (id: number) => products.find((p) => p.id === id);
  const variationOf = (id: number) => products.flatMap((p) => p.variations ?? []).find((v) => v.id === id);

  const read = (request: string) => {
    api.stats.count('GET');
    return request;
  };
  const write = (method: RecordedRequest['method'], path: string, body?: unknown) => {
    api.stats.count(method);
    const refused = faults.write?.(`${method} ${path}`);
    if (refused) throw refused;
    requests.push({ method, path, ...(body === undefined ? {} : { body }) });
  };

  function invalidItem(resource: string, raw: RawItem, reason: string): InvalidItem {
    const codes = [raw.product_code, ...(raw.variations ?? []).map((v) => v.product_code)].filter(
      (c): c is string => typeof c === 'string' && c.trim() !== '',
    );
    return { resource, id: raw.id, code: raw.product_code, codes, reason };
  }

  const api = {
    stats: new RequestStats(),

    async *listVersions(_options: ListOptions = {}): AsyncGenerator<McfVersion> {
      read('GET /versions');
      for (const id of versions) yield versionSchema.parse({ id, name: `Version ${id}`, language: 'fi' });
    },

    async *productPages(options: ListOptions = {}): AsyncGenerator<McfPage<McfProduct>> {
      const pages = pagesOf(products, options.pageSize ?? pageSize);
      for (const [i, page] of pages.entries()) {
        const request = read(`GET /products?page=${i + 1}`);
        if (faults.readPage === i + 1)
          throw remoteError('mycashflow', request, 'unavailable', 'retryable', 503);
        const items: McfProduct[] = [];
        const raw: unknown[] = [];
        for (const item of structuredClone(page)) {
          const parsed = productSchema.safeParse(item);
          if (parsed.success) {
            items.push(parsed.data);
            raw.push(item);
            continue;
          }
          const bad = invalidItem('product', item, issueText(parsed.error));
          if (!options.onInvalidItem) throw remoteError('mycashflow', request, 'invalid-response', 'fatal');
          options.onInvalidItem(bad);
        }
        yield { items, raw, page: i + 1, pageCount: pages.length, itemCount: products.length };
      }
    },

    async *listStockChanges(options: ListOptions = {}): AsyncGenerator<McfStockChange> {
      const from = options.query?.['changed_at-from'];
      asked.stockChangesFrom.push(from === undefined ? undefined : String(from));
      read('GET /stock-changes');
      // The API filters by `changed_at-from` itself, to the second and inclusive.
      const since = from === undefined ? undefined : parseStoreTimestamp(String(from));
      for (const raw of stockChanges) {
        const parsed = stockChangeSchema.safeParse(raw);
        if (!parsed.success) {
          if (!options.onInvalidItem)
            throw remoteError('mycashflow', 'GET /stock-changes', 'invalid-response', 'fatal');
          options.onInvalidItem({
            resource: 'stock change',
            id: raw.id,
            codes: [],
            reason: issueText(parsed.error),
          });
          continue;
        }
        if (since && Date.parse(parsed.data.changed_at) < since.getTime()) continue;
        yield parsed.data;
      }
    },

    async getStock(code: ProductCode) {
      const request = read(`GET /stock/${code}`);
      const place = placeOf(code);
      if (!place?.stock_item) throw notFound(request);
      return stockItemSchema.parse(place.stock_item);
    },

    async setStockQuantity(code: ProductCode, quantity: number) {
      const path = `/stock/${code}`;
      const place = placeOf(code);
      if (!place?.stock_item) {
        api.stats.count('PATCH');
        throw notFound(`PATCH ${path}`);
      }
      write('PATCH', path, { quantity });
      const item = place.stock_item;
      Object.assign(item, { quantity, balance: quantity - item.reserved });
      return stockItemSchema.parse(item);
    },

    async getProduct(id: McfProductId, _expand: string[] = []) {
      const request = read(`GET /products/${id}`);
      const product = productOf(id);
      if (!product) throw notFound(request);
      return productSchema.parse(structuredClone(product));
    },

    async createProduct(product: ProductWrite) {
      const body = toWireProduct(product);
      write('POST', '/products', body);
      const id = Math.max(0, ...products.map((p) => p.id)) + 1;
      const code = product.product_code ?? null;
      const created: RawItem = {
        ...body,
        id,
        product_code: code,
        // A new product starts with an empty stock item of its own.
        stock_item: { id: nextStockItem++, product_id: id, code, quantity: 0, reserved: 0, balance: 0 },
        variations: [],
      };
      products.push(created);
      return productSchema.parse(structuredClone(created));
    },

    async updateProduct(id: McfProductId, patch: ProductWrite) {
      const path = `/products/${id}`;
      const product = productOf(id);
      if (!product) {
        api.stats.count('PATCH');
        throw notFound(`PATCH ${path}`);
      }
      const body = toWireProduct(patch);
      write('PATCH', path, body);
      const { visibilities, ...fields } = body as Partial<RawItem>;
      Object.assign(product, fields);
      for (const v of visibilities ?? []) {
        const own = (product.visibilities ??= []).find((o) => o.version_id === v.version_id);
        if (own) own.is_visible = v.is_visible;
        else product.visibilities.push({ ...v });
      }
      return productSchema.parse(structuredClone(product));
    },

    async deleteProduct(id: McfProductId) {
      const path = `/products/${id}`;
      if (!productOf(id)) {
        api.stats.count('DELETE');
        throw notFound(`DELETE ${path}`);
      }
      write('DELETE', path);
      products.splice(products.indexOf(productOf(id)!), 1);
    },

    async getVariation(id: McfVariationId) {
      const request = read(`GET /variations/${id}`);
      const variation = variationOf(id);
      if (!variation) throw notFound(request);
      return variationSchema.parse(structuredClone(variation));
    },

    async updateVariation(id: McfVariationId, patch: VariationWrite) {
      const path = `/variations/${id}`;
      const variation = variationOf(id);
      if (!variation) {
        api.stats.count('PATCH');
        throw notFound(`PATCH ${path}`);
      }
      const body = toWireProduct(patch);
      write('PATCH', path, body);
      Object.assign(variation, body);
      return variationSchema.parse(structuredClone(variation));
    },

    async deleteVariation(id: McfVariationId) {
      const path = `/variations/${id}`;
      const owner = products.find((p) => p.variations?.some((v) => v.id === id));
      if (!owner) {
        api.stats.count('DELETE');
        throw notFound(`DELETE ${path}`);
      }
      write('DELETE', path);
      owner.variations = owner.variations!.filter((v) => v.id !== id);
    },
  } satisfies ImportStoreApi & StoreStockReads & StockChangeReads;

  return {
    api,
    /** A client of its own for the next run, as each run gets (`clientsFor`): its request counts start at 0. */
    newClient: () => void (api.stats = new RequestStats()),
    faults,
    asked,
    /** The writes so far, as `METHOD path` lines in the order they were made. */
    writes: () => requests.map((r) => `${r.method} ${r.path}`),
    requests,
    clearWrites: () => void requests.splice(0),
    /** The store's product or variation with this code, as the API would send it now. */
    item: (code: string) => structuredClone(placeOf(code)),
    products: () => structuredClone(products),
    /** A change of the store's stock from outside the import (a return processed, a hand edit). */
    changeStock(code: string, change: number, sourceType: string, at: Date = new Date()) {
      const item = placeOf(code)?.stock_item;
      if (!item) throw new Error(`no stock item for ${code}`);
      item.quantity += change;
      item.balance = item.quantity - item.reserved;
      stockChanges.push({
        id: stockChanges.length + 1,
        changed_at: at.toISOString(),
        source_type: sourceType,
        stock_item_id: item.id,
        quantity: item.quantity,
        quantity_change: change,
      });
    },
  };
}

/**
 * NetBaron's product register in memory: live and deleted products of the marketplace, and entries it
 * sends that cannot be read (reported through `onInvalidItem`, or failing the listing without one).
 * `faults.readPage` fails the listing at that page (from 1).
 */
export function fakeNetBaron(
  seed: { products?: NbProduct[]; invalid?: InvalidNbProduct[]; pageSize?: number } = {},
) {
  const state = {
    products: structuredClone(seed.products ?? []),
    invalid: structuredClone(seed.invalid ?? []),
  };
  const pageSize = seed.pageSize ?? 2;
  const asked: ProductListOptions[] = [];
  const faults: { readPage?: number } = {};

  async function* productPages(options: ProductListOptions = {}): AsyncGenerator<NbProductPage> {
    asked.push(options);
    const entries: Array<NbProduct | InvalidNbProduct> = [...state.invalid, ...state.products];
    const pages = pagesOf(entries, options.pageSize ?? pageSize);
    for (const [i, page] of pages.entries()) {
      api.stats.count('GET');
      const request = `GET /ws/products?Page=${i + 1}`;
      if (faults.readPage === i + 1) throw remoteError('netbaron', request, 'unavailable', 'retryable', 503);
      const items: NbProduct[] = [];
      for (const entry of structuredClone(page)) {
        if ('deleted' in entry) {
          items.push(entry);
          continue;
        }
        if (!options.onInvalidItem) throw remoteError('netbaron', request, 'invalid-response', 'fatal');
        options.onInvalidItem(entry);
      }
      yield { items, page: i + 1, pageCount: pages.length };
    }
  }

  const api = {
    stats: new RequestStats(),
    productPages,
    async *listProducts(options: ProductListOptions = {}) {
      for await (const page of productPages(options)) yield* page.items;
    },
  } satisfies ImportNetBaronApi & NetBaronStockReads;

  return {
    api,
    newClient: () => void (api.stats = new RequestStats()),
    faults,
    asked,
    /** NetBaron's register from now on (the merchant changed it). */
    set(products: NbProduct[], invalid: InvalidNbProduct[] = []) {
      state.products = structuredClone(products);
      state.invalid = structuredClone(invalid);
    },
  };
}
