import { randomUUID } from 'node:crypto';
import { nbMarketplaceId } from '../../domain/ids.ts';
import { isRemoteError } from '../../http/remote-error.ts';
import type { NetBaronClient } from '../../netbaron/client.ts';
import {
  marketplacesQuery,
  parseMarketplaces,
  parseProductsPage,
  productsQuery,
  readProduct,
} from '../../netbaron/wire/products.ts';
import { readFlag, type NbWireFormat } from '../../netbaron/wire/format.ts';
import { failingPart } from '../test-connection.ts';
import type { AssumptionId } from './assumptions.ts';
import { differed, examples, matched, unchecked } from './check.ts';
import { CheckList } from './record.ts';

export const NB_CHECKS: readonly AssumptionId[] = [
  'nb.auth',
  'nb.flag-spelling',
  'nb.marketplace',
  'nb.products-read',
  'nb.flags-read',
  'nb.paging',
  'nb.duplicate-codes',
  'nb.payment-methods',
  'nb.order-lookup',
  'nb.writes',
];

export interface NbProbeInput {
  nb: NetBaronClient;
  /** The connection's marketplace id; undefined before one is chosen. */
  marketplace?: string;
  hasProductsPassword: boolean;
  hasOrdersPassword: boolean;
  /** Pages of products read (of 100 each). */
  productPages?: number;
}

export interface NbProbeResult {
  checks: CheckList;
  blocked?: string;
}

const PAGE_SIZE = 100;
const DECIMAL_FIELDS = [
  'VatPercent',
  'SalesPriceVatIncluded',
  'PurchasePrice',
  'Weight',
  'Quantity',
] as const;

const describe = (module: string, query: URLSearchParams): string => `GET /ws/${module}?${query.toString()}`;
const errorText = (err: unknown): string => (isRemoteError(err) ? err.message : (err as Error).message);

/** Read-only calls to NetBaron's Products and Sales Order modules, compared with the model. Only GETs. */
export async function probeNetBaron(input: NbProbeInput): Promise<NbProbeResult> {
  const list = new CheckList();
  const { nb } = input;
  let blocked: string | undefined;
  if (!input.hasProductsPassword) blocked = 'Product API: no password in the settings';
  else {
    const query = marketplacesQuery(nb.wireFormat);
    try {
      const marketplaces = parseMarketplaces(await nb.getRaw('products', query));
      list.add(
        'nb.auth',
        matched(`${marketplaces.length} marketplace(s) listed`, [describe('products', query)]),
      );
      list.add('nb.flag-spelling', matched(`ListMarketplaces=${query.get('ListMarketplaces')} was accepted`));
      const chosen = input.marketplace;
      if (chosen === undefined)
        list.add('nb.marketplace', unchecked('no marketplace chosen in the settings yet'));
      else if (marketplaces.some((m) => m.id === chosen))
        list.add('nb.marketplace', matched(`marketplace ${chosen} is listed`));
      else
        list.add(
          'nb.marketplace',
          differed(
            `marketplace ${chosen} is not among ${marketplaces.map((m) => m.id).join(', ') || 'none'}; an import would find no products`,
            false,
          ),
        );
      if (chosen !== undefined) await checkProducts(input, chosen, list);
    } catch (err) {
      if (isRemoteError(err) && err.kind === 'validation') await checkOtherSpelling(nb, err, list);
      else blocked = `Product API: ${failingPart('NetBaron', err)}`;
    }
  }
  if (input.hasOrdersPassword) await checkSalesOrderModule(nb, list);
  else
    list.rest(
      ['nb.payment-methods', 'nb.order-lookup'],
      'not checked: no Order API password in the settings',
    );
  list.rest(['nb.writes'], 'not checked: it needs a sales order sent, which the probe never does');
  list.rest(
    NB_CHECKS,
    blocked
      ? 'not checked: the Product API could not be read'
      : 'not checked: an earlier answer could not be read',
  );
  return { checks: list, ...(blocked ? { blocked } : {}) };
}

/** A flag refused as spelled: does the other spelling pass? Then the setting is what must change. */
async function checkOtherSpelling(nb: NetBaronClient, err: unknown, list: CheckList): Promise<void> {
  const other: NbWireFormat = {
    ...nb.wireFormat,
    booleanSpelling: nb.wireFormat.booleanSpelling === 'upper' ? 'lower' : 'upper',
  };
  const spelled = other.booleanSpelling === 'upper' ? 'TRUE' : 'true';
  try {
    await nb.getRaw('products', marketplacesQuery(other));
    list.add(
      'nb.flag-spelling',
      differed(
        `NetBaron refused the flags as sent and accepted ${spelled}: set the connection's flag spelling to "${other.booleanSpelling}"`,
        false,
      ),
    );
  } catch {
    list.add(
      'nb.flag-spelling',
      differed(`ListMarketplaces was refused in either spelling: ${errorText(err)}`, false),
    );
  }
}

async function checkProducts(input: NbProbeInput, marketplace: string, list: CheckList): Promise<void> {
  const { nb } = input;
  const maxPages = input.productPages ?? 3;
  const requests: string[] = [];
  const bad: string[] = [];
  const commas: string[] = [];
  const flags = new Set<string>();
  const badFlags: string[] = [];
  const codes: string[] = [];
  const paging: string[] = [];
  for (let page = 1; page <= maxPages; page += 1) {
    const query = productsQuery(
      {
        marketplace: nbMarketplaceId(marketplace),
        prices: true,
        quantity: true,
        packaging: true,
        descriptions: true,
        page,
        pageSize: PAGE_SIZE,
      },
      nb.wireFormat,
    );
    requests.push(describe('products', query));
    let parsed: ReturnType<typeof parseProductsPage>;
    try {
      parsed = parseProductsPage(await nb.getRaw('products', query));
    } catch (err) {
      list.add(
        'nb.products-read',
        differed(`page ${page} could not be read: ${errorText(err)}`, false, requests),
      );
      return;
    }
    if (parsed.page !== page) paging.push(`asked for page ${page}, Page said ${parsed.page}`);
    if (parsed.rawProducts.length > PAGE_SIZE)
      paging.push(`page ${page} held ${parsed.rawProducts.length} products for PageSize ${PAGE_SIZE}`);
    for (const raw of parsed.rawProducts) {
      const obj = (raw ?? {}) as Record<string, unknown>;
      for (const field of DECIMAL_FIELDS) {
        const value = obj[field];
        if (typeof value === 'string' && /^\s*-?\d+,\d+\s*$/.test(value))
          commas.push(`${String(obj.ProductCode)} ${field} = ${value}`);
      }
      if (typeof obj.Deleted === 'string') {
        flags.add(obj.Deleted.trim());
        if (readFlag(obj.Deleted) === undefined)
          badFlags.push(`${String(obj.ProductCode)}: Deleted = ${obj.Deleted}`);
      }
      const result = readProduct(raw);
      if (result.ok) codes.push(result.product.code);
      else bad.push(`${result.code ?? '(no code)'}: ${result.reason}`);
    }
    if (page >= parsed.pageCount) break;
  }
  list.add(
    'nb.products-read',
    bad.length
      ? differed(`${bad.length} product(s) the import could not read: ${examples(bad)}`, false, requests)
      : !codes.length
        ? unchecked(`marketplace ${marketplace} lists no products`, requests)
        : commas.length
          ? differed(`decimals written with a comma: ${examples(commas)}; read as with a dot`, true, requests)
          : matched(`${codes.length} product(s) read`, requests),
  );
  list.add(
    'nb.flags-read',
    badFlags.length
      ? differed(`not a boolean: ${examples(badFlags)}`, false)
      : flags.size
        ? matched(`Deleted written as ${[...flags].join(', ')}`)
        : unchecked('no product carried Deleted'),
  );
  const outOfOrder = codes.findIndex((code, i) => i > 0 && codes[i - 1]! > code);
  if (outOfOrder > 0) paging.push(`${codes[outOfOrder - 1]} came before ${codes[outOfOrder]}`);
  list.add(
    'nb.paging',
    paging.length
      ? differed(`${examples(paging)}; the import reads the whole listing before it plans`, true)
      : codes.length
        ? matched('pages as asked, codes in ascending order')
        : unchecked('no products to page through'),
  );
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const code of codes) (seen.has(code) ? twice : seen).add(code);
  list.add(
    'nb.duplicate-codes',
    twice.size
      ? differed(
          `listed twice: ${examples([...twice])}; the import holds these back and reports both entries`,
          true,
        )
      : codes.length
        ? matched(`no code listed twice among the first ${codes.length}`)
        : unchecked('no products read'),
  );
}

async function checkSalesOrderModule(nb: NetBaronClient, list: CheckList): Promise<void> {
  try {
    const methods = await nb.listPaymentMethods();
    list.add('nb.payment-methods', matched(`${methods.length} payment method(s): ${examples(methods, 5)}`));
  } catch (err) {
    list.add('nb.payment-methods', differed(`Order API: ${failingPart('NetBaron', err)}`, false));
    list.rest(['nb.order-lookup'], 'not checked: the Order API could not be read');
    return;
  }
  // An identifier no shop would use, so the look-up can only come back empty.
  const identifier = `probe-${randomUUID()}`;
  try {
    const found = await nb.findSalesOrders(identifier);
    list.add(
      'nb.order-lookup',
      found.length === 0
        ? matched('an empty list')
        : differed(`${found.length} order(s) for an identifier that cannot exist`, false),
    );
  } catch (err) {
    list.add(
      'nb.order-lookup',
      differed(
        `${errorText(err)}; after a lost answer the connector could not tell whether an order arrived`,
        false,
      ),
    );
  }
}
