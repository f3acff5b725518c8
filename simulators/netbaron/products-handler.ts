import type { SimResponse } from '../kit/types.ts';
import { validationError, xmlResponse } from './errors.ts';
import { decimalText, moneyText } from './decimal-text.ts';
import type { ListingEntry, ProductListings } from './product-listing.ts';
import { QueryParams } from './query-params.ts';
import type { NbStateDocument } from './state-schema.ts';
import { leaf, node, renderXmlDocument, type XmlNode } from './xml-writer.ts';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/**
 * Documented listing flags (§5) the connector does not use. Accepted and checked as flags, then ignored:
 * the simulated register holds no alarm limits, pictures or price lists to add.
 */
const UNUSED_FLAGS = [
  'GetAlarmLimits',
  'GetPictureDetails',
  'GetPricelistSalePrices',
  'GetPricelistPurchasePrices',
] as const;

const LISTING_PARAMS = [
  'GetPrices',
  'GetQuantity',
  'GetPackaging',
  'GetDescriptions',
  'Marketplace',
  'Page',
  'PageSize',
  'ListMarketplaces',
  ...UNUSED_FLAGS,
] as const;

interface Flags {
  prices: boolean;
  quantity: boolean;
  packaging: boolean;
  descriptions: boolean;
}

function numberLeaf(
  out: XmlNode[],
  name: string,
  value: number | string | null,
  format: (v: number) => string,
): void {
  // A number missing in NetBaron is left out rather than sent empty, like a switched-off element.
  if (value === null) return;
  out.push(leaf(name, typeof value === 'string' ? value : format(value)));
}

/** Element order follows the example of §15.3; a deleted entry carries only what identifies it. */
function productXml({ product: p, deleted }: ListingEntry, flags: Flags): XmlNode {
  const out: XmlNode[] = [leaf('ProductCode', p.ProductCode), leaf('EAN', p.EAN), leaf('Name', p.Name)];
  if (!deleted && flags.descriptions) {
    out.push(leaf('Description', p.Description), leaf('AdditionalInformation', p.AdditionalInformation));
  }
  numberLeaf(out, 'VatPercent', p.VatPercent, decimalText);
  if (!deleted && flags.prices) {
    numberLeaf(out, 'SalesPriceVatIncluded', p.SalesPriceVatIncluded, moneyText);
    numberLeaf(out, 'PurchasePrice', p.PurchasePrice, moneyText);
  }
  numberLeaf(out, 'Weight', p.Weight, decimalText);
  if (!deleted && flags.packaging) out.push(leaf('PackageType', p.PackageType));
  if (!deleted && flags.quantity) numberLeaf(out, 'Quantity', p.Quantity, decimalText);
  out.push(leaf('Deleted', deleted ? 'true' : 'false'));
  // The marketplaces the product belongs to now: none once it is deleted in NetBaron.
  const current = p.Deleted ? [] : p.Marketplaces;
  out.push(
    node(
      'Marketplaces',
      current.map((id) => leaf('Marketplace', id)),
    ),
  );
  return node('Product', out);
}

function marketplacesResponse(state: NbStateDocument): SimResponse {
  const items = state.marketplaces.map((m) => node('Marketplace', [leaf('Id', m.Id), leaf('Name', m.Name)]));
  return xmlResponse(200, renderXmlDocument(node('MarketplacesResponse', [node('Marketplaces', items)])));
}

/** GET /ws/products (§15.3) and GET /ws/products?ListMarketplaces=true (§15.4). */
export function getProducts(
  state: NbStateDocument,
  listings: ProductListings,
  query: URLSearchParams,
  now: Date,
): SimResponse {
  const params = new QueryParams(query, LISTING_PARAMS);
  if (params.flag('ListMarketplaces')) {
    const others = params.names().filter((n) => n !== 'ListMarketplaces');
    if (others.length > 0) {
      throw validationError(`ListMarketplaces=true takes no other parameters (got ${others.join(', ')}).`);
    }
    return marketplacesResponse(state);
  }
  for (const name of UNUSED_FLAGS) params.flag(name);
  const flags: Flags = {
    prices: params.flag('GetPrices'),
    quantity: params.flag('GetQuantity'),
    packaging: params.flag('GetPackaging'),
    descriptions: params.flag('GetDescriptions'),
  };
  const marketplace = params.text('Marketplace');
  if (marketplace !== undefined && !state.marketplaces.some((m) => m.Id === marketplace)) {
    throw validationError(
      `Marketplace "${marketplace}" does not exist; GET /ws/products?ListMarketplaces=true lists the marketplaces.`,
    );
  }
  const page = params.integer('Page', 1, 1, Number.MAX_SAFE_INTEGER);
  const pageSize = params.integer('PageSize', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);

  const entries = listings.list(marketplace, now.getTime());
  const pageCount = Math.ceil(entries.length / pageSize);
  const start = (page - 1) * pageSize;
  const slice = start < entries.length ? entries.slice(start, start + pageSize) : [];
  const body = renderXmlDocument(
    node('ProductsResponse', [
      leaf('Page', String(page)),
      leaf('PageCount', String(pageCount)),
      node(
        'Products',
        slice.map((e) => productXml(e, flags)),
      ),
    ]),
  );
  return xmlResponse(200, body);
}
