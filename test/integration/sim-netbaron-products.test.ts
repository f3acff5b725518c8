import { afterEach, describe, expect, it } from 'vitest';
import { startSimServer, type RunningSim } from '../../simulators/kit/server.ts';
import { createNetBaronSim, type NetBaronSim } from '../../simulators/netbaron/index.ts';
import { nbFetch, type NbAnswer } from '../../simulators/netbaron/testing.ts';

const AUTH = { user: 'demo-org', password: 'products-secret' };
const DAY = 24 * 60 * 60 * 1000;

let running: RunningSim<NetBaronSim> | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(state: Record<string, unknown>, now?: () => Date): Promise<RunningSim<NetBaronSim>> {
  running = await startSimServer(createNetBaronSim(state, now ? { now } : {}));
  return running;
}

type ProductXml = Record<string, unknown> & { ProductCode: string; Deleted: string };
interface Listing {
  page: number;
  pageCount: number;
  products: ProductXml[];
}

async function list(sim: RunningSim, query: string): Promise<Listing> {
  const answer = await nbFetch(`${sim.url}/ws/products${query}`, AUTH);
  expect(answer.status, answer.text).toBe(200);
  expect(answer.contentType).toBe('application/xml; charset=utf-8');
  const root = answer.xml.ProductsResponse as {
    Page: string;
    PageCount: string;
    Products: { Product?: ProductXml[] } | '';
  };
  return {
    page: Number(root.Page),
    pageCount: Number(root.PageCount),
    products: root.Products === '' ? [] : (root.Products.Product ?? []),
  };
}

/** The names of each <Product>'s own elements, in document order, read from the raw text by indentation. */
function elementOrder(text: string): string[][] {
  return [...text.matchAll(/<Product>([\s\S]*?)<\/Product>/g)].map((m) =>
    [...(m[1] ?? '').matchAll(/^ {6}<([A-Za-z]+)[/>]/gm)].map((t) => t[1] ?? ''),
  );
}

function expect422(answer: NbAnswer, pattern: RegExp): void {
  expect(answer.status).toBe(422);
  const error = answer.xml.Error as { Code: string; Message: string };
  expect(error.Code).toBe('VALIDATION_ERROR');
  expect(error.Message).toMatch(pattern);
}

const FULL = {
  ProductCode: 'TS-100-M',
  EAN: '6430012345678',
  Name: 'T-paita, M',
  Description: 'Lyhyt kuvaus',
  AdditionalInformation: 'Pitkä kuvaus',
  VatPercent: 25.5,
  SalesPriceVatIncluded: 24.9,
  PurchasePrice: 9.2,
  Weight: 0.25,
  PackageType: 'S',
  Quantity: 17,
  Marketplaces: ['3'],
};

describe('NetBaron simulator: GET /ws/products flags', () => {
  it('sends every element in the reference order when all flags are on', async () => {
    const sim = await start({ products: [FULL] });
    const answer = await nbFetch(
      `${sim.url}/ws/products?Marketplace=3&GetPrices=true&GetQuantity=true&GetPackaging=true&GetDescriptions=true`,
      AUTH,
    );
    expect(elementOrder(answer.text)).toEqual([
      [
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
        'Marketplaces',
      ],
    ]);
    const product = (answer.xml.ProductsResponse as { Products: { Product: ProductXml[] } }).Products
      .Product[0];
    expect(product).toEqual({
      ProductCode: 'TS-100-M',
      EAN: '6430012345678',
      Name: 'T-paita, M',
      Description: 'Lyhyt kuvaus',
      AdditionalInformation: 'Pitkä kuvaus',
      VatPercent: '25.5',
      SalesPriceVatIncluded: '24.90',
      PurchasePrice: '9.20',
      Weight: '0.25',
      PackageType: 'S',
      Quantity: '17',
      Deleted: 'false',
      Marketplaces: { Marketplace: ['3'] },
    });
  });

  it('omits the elements of a flag that is off or left out, rather than sending them empty', async () => {
    const sim = await start({ products: [FULL] });
    const base = ['ProductCode', 'EAN', 'Name', 'VatPercent', 'Weight', 'Deleted', 'Marketplaces'];
    expect(elementOrder((await nbFetch(`${sim.url}/ws/products`, AUTH)).text)).toEqual([base]);
    expect(
      elementOrder(
        (
          await nbFetch(
            `${sim.url}/ws/products?GetPrices=false&GetQuantity=false&GetPackaging=false&GetDescriptions=false`,
            AUTH,
          )
        ).text,
      ),
    ).toEqual([base]);
    const only = async (flag: string): Promise<string[]> =>
      elementOrder((await nbFetch(`${sim.url}/ws/products?${flag}=true`, AUTH)).text)[0] ?? [];
    expect(await only('GetPrices')).toEqual([
      'ProductCode',
      'EAN',
      'Name',
      'VatPercent',
      'SalesPriceVatIncluded',
      'PurchasePrice',
      'Weight',
      'Deleted',
      'Marketplaces',
    ]);
    expect(await only('GetQuantity')).toEqual([
      'ProductCode',
      'EAN',
      'Name',
      'VatPercent',
      'Weight',
      'Quantity',
      'Deleted',
      'Marketplaces',
    ]);
    expect(await only('GetPackaging')).toEqual([
      'ProductCode',
      'EAN',
      'Name',
      'VatPercent',
      'Weight',
      'PackageType',
      'Deleted',
      'Marketplaces',
    ]);
    expect(await only('GetDescriptions')).toEqual([
      'ProductCode',
      'EAN',
      'Name',
      'Description',
      'AdditionalInformation',
      'VatPercent',
      'Weight',
      'Deleted',
      'Marketplaces',
    ]);
  });

  it('refuses a flag value other than true or false, an unknown parameter and bad paging with 422', async () => {
    const sim = await start({ products: [FULL] });
    const get = (query: string) => nbFetch(`${sim.url}/ws/products?${query}`, AUTH);
    expect422(await get('GetPrices=yes'), /GetPrices must be TRUE or FALSE/);
    expect422(await get('GetQuantity=TRUEE'), /GetQuantity/);
    expect422(await get('GetPackaging=1'), /GetPackaging/);
    expect422(await get('GetAlarmLimits=maybe'), /GetAlarmLimits must be TRUE or FALSE/);
    expect422(await get('GetDescriptions='), /GetDescriptions/);
    expect422(await get('Getprices=true'), /Unknown parameter "Getprices"/);
    expect422(await get('GetPrices=true&GetPrices=false'), /more than once/);
    expect422(await get('Page=0'), /Page/);
    expect422(await get('Page=-1'), /Page/);
    expect422(await get('PageSize=1001'), /PageSize must be a whole number from 1 to 1000/);
    expect422(await get('PageSize=0'), /PageSize/);
    expect422(await get('PageSize=ten'), /PageSize/);
    expect422(await get('PageSize=1.5'), /PageSize/);
    expect422(await get('Marketplace=9'), /Marketplace "9" does not exist/);
    expect422(await get('ListMarketplaces=true&Page=2'), /ListMarketplaces=true takes no other parameters/);
    expect((await get('PageSize=1000&Page=1')).status).toBe(200);
  });

  it('reads flags in any case: the documented TRUE/FALSE, lower case and mixed case alike', async () => {
    const sim = await start({ products: [FULL] });
    const products = async (query: string) => {
      const answer = await nbFetch(`${sim.url}/ws/products?${query}`, AUTH);
      expect(answer.status, answer.text).toBe(200);
      return elementOrder(answer.text)[0] ?? [];
    };
    for (const spelling of ['TRUE', 'true', 'True']) {
      expect(await products(`GetPrices=${spelling}`)).toContain('SalesPriceVatIncluded');
    }
    for (const spelling of ['FALSE', 'false', 'False']) {
      expect(await products(`GetPrices=${spelling}`)).not.toContain('SalesPriceVatIncluded');
    }
    const marketplaces = await nbFetch(`${sim.url}/ws/products?ListMarketplaces=TRUE`, AUTH);
    expect(marketplaces.status, marketplaces.text).toBe(200);
    expect(marketplaces.text).toContain('<MarketplacesResponse>');
  });

  it('accepts the documented flags the connector does not use, and ignores them', async () => {
    const sim = await start({ products: [FULL] });
    const unused =
      'GetAlarmLimits=TRUE&GetPictureDetails=true&GetPricelistSalePrices=TRUE&GetPricelistPurchasePrices=FALSE';
    const plain = await nbFetch(`${sim.url}/ws/products?GetPrices=TRUE`, AUTH);
    const withUnused = await nbFetch(`${sim.url}/ws/products?GetPrices=TRUE&${unused}`, AUTH);
    expect(withUnused.status, withUnused.text).toBe(200);
    expect(withUnused.text).toBe(plain.text);
  });
});

describe('NetBaron simulator: paging', () => {
  const products = Array.from({ length: 25 }, (_, i) => ({
    // Written out of order on purpose: the listing sorts by code.
    ProductCode: `P-${String((i * 7) % 25).padStart(3, '0')}`,
    Name: `Tuote ${i}`,
    Marketplaces: ['3'],
  }));
  const sortedCodes = products.map((p) => p.ProductCode).sort();

  it('pages through three pages and more in ascending ProductCode, the same every time', async () => {
    const sim = await start({ products });
    const seen: string[] = [];
    for (let page = 1; page <= 3; page += 1) {
      const listing = await list(sim, `?Marketplace=3&PageSize=10&Page=${page}`);
      expect(listing.page).toBe(page);
      expect(listing.pageCount).toBe(3);
      expect(listing.products).toHaveLength(page < 3 ? 10 : 5);
      seen.push(...listing.products.map((p) => p.ProductCode));
    }
    expect(seen).toEqual(sortedCodes);
    const again = await list(sim, '?Marketplace=3&PageSize=10&Page=2');
    expect(again.products.map((p) => p.ProductCode)).toEqual(sortedCodes.slice(10, 20));
  });

  it('answers a page past the end with an empty <Products/>, and an empty result with PageCount 0', async () => {
    const sim = await start({
      products,
      marketplaces: [
        { Id: '3', Name: 'Verkkokauppa' },
        { Id: '5', Name: 'B2B' },
      ],
    });
    const past = await nbFetch(`${sim.url}/ws/products?Marketplace=3&PageSize=10&Page=4`, AUTH);
    expect(past.text).toContain('<Page>4</Page>');
    expect(past.text).toContain('<PageCount>3</PageCount>');
    expect(past.text).toContain('<Products/>');
    const empty = await nbFetch(`${sim.url}/ws/products?Marketplace=5`, AUTH);
    expect(empty.status).toBe(200);
    expect(empty.text).toContain('<Page>1</Page>');
    expect(empty.text).toContain('<PageCount>0</PageCount>');
    expect(empty.text).toContain('<Products/>');
  });

  it('uses 100 products per page by default', async () => {
    const many = Array.from({ length: 250 }, (_, i) => ({ ProductCode: `X${String(i).padStart(4, '0')}` }));
    const sim = await start({ products: many });
    const first = await list(sim, '');
    expect(first.pageCount).toBe(3);
    expect(first.products).toHaveLength(100);
    expect((await list(sim, '?Page=3')).products).toHaveLength(50);
  });

  it('orders codes by plain code units, not by locale', async () => {
    const sim = await start({
      products: ['b', 'a', 'B', 'Ä', 'A', '10', '9', 'a-1'].map((ProductCode) => ({ ProductCode })),
    });
    const codes = (await list(sim, '')).products.map((p) => p.ProductCode);
    expect(codes).toEqual(['10', '9', 'A', 'B', 'a', 'a-1', 'b', 'Ä']);
  });

  it("holds and lists the same code twice, as a real register can, in the state document's order", async () => {
    const sim = await start({
      products: [
        { ProductCode: 'TWICE', Name: 'Ensimmäinen', SalesPriceVatIncluded: 10, Marketplaces: ['3'] },
        { ProductCode: 'ALONE', Marketplaces: ['3'] },
        { ProductCode: 'TWICE', Name: 'Toinen', SalesPriceVatIncluded: 12, Marketplaces: ['3'] },
      ],
    });
    const listed = (await list(sim, '?Marketplace=3&GetPrices=true')).products;
    expect(listed.map((p) => [p.ProductCode, p.Name])).toEqual([
      ['ALONE', ''],
      ['TWICE', 'Ensimmäinen'],
      ['TWICE', 'Toinen'],
    ]);
    expect(sim.system.products().filter((p) => p.ProductCode === 'TWICE')).toHaveLength(2);
  });
});

describe('NetBaron simulator: marketplaces', () => {
  const state = {
    marketplaces: [
      { Id: '3', Name: 'Verkkokauppa' },
      { Id: '5', Name: 'B2B-kauppa' },
    ],
    products: [
      { ProductCode: 'BOTH', Marketplaces: ['3', '5'] },
      { ProductCode: 'NONE' },
      { ProductCode: 'ONLY-3', Marketplaces: ['3'] },
      { ProductCode: 'ONLY-5', Marketplaces: ['5'] },
    ],
  };

  it('lists only the products of the requested marketplace, and every product without one', async () => {
    const sim = await start(state);
    const codes = async (query: string) => (await list(sim, query)).products.map((p) => p.ProductCode);
    expect(await codes('?Marketplace=3')).toEqual(['BOTH', 'ONLY-3']);
    expect(await codes('?Marketplace=5')).toEqual(['BOTH', 'ONLY-5']);
    expect(await codes('')).toEqual(['BOTH', 'NONE', 'ONLY-3', 'ONLY-5']);
    const both = (await list(sim, '?Marketplace=5')).products[0];
    expect(both?.Marketplaces).toEqual({ Marketplace: ['3', '5'] });
  });

  it('lists the marketplaces with ListMarketplaces=true', async () => {
    const sim = await start(state);
    const answer = await nbFetch(`${sim.url}/ws/products?ListMarketplaces=true`, AUTH);
    expect(answer.status).toBe(200);
    expect(answer.xml.MarketplacesResponse).toEqual({
      Marketplaces: {
        Marketplace: [
          { Id: '3', Name: 'Verkkokauppa' },
          { Id: '5', Name: 'B2B-kauppa' },
        ],
      },
    });
  });

  it('has one marketplace by default', async () => {
    const sim = await start({});
    const answer = await nbFetch(`${sim.url}/ws/products?ListMarketplaces=true`, AUTH);
    expect(answer.xml.MarketplacesResponse).toEqual({
      Marketplaces: { Marketplace: [{ Id: '3', Name: 'Verkkokauppa' }] },
    });
    // ListMarketplaces=false is the same as leaving it out: the products are listed.
    expect((await list(sim, '?ListMarketplaces=false')).pageCount).toBe(0);
  });
});

describe('NetBaron simulator: deleted products and marketplace exits', () => {
  const t0 = new Date('2025-03-01T12:00:00Z');
  const state = {
    marketplaces: [
      { Id: '3', Name: 'Verkkokauppa' },
      { Id: '5', Name: 'B2B-kauppa' },
    ],
    products: [
      { ...FULL, ProductCode: 'GONE', Marketplaces: ['3'], Deleted: true, DeletedAt: t0.toISOString() },
      {
        ...FULL,
        ProductCode: 'MOVED',
        Marketplaces: ['5'],
        LeftMarketplaces: [{ Id: '3', At: t0.toISOString() }],
      },
      { ...FULL, ProductCode: 'STAYS', Marketplaces: ['3'] },
    ],
  };
  const ALL_FLAGS = '&GetPrices=true&GetQuantity=true&GetPackaging=true&GetDescriptions=true';

  it('shows a deleted product and a product that left the marketplace as Deleted=true within the retention', async () => {
    let now = new Date(t0.getTime() + 29 * DAY);
    const sim = await start(state, () => now);
    const answer = await nbFetch(`${sim.url}/ws/products?Marketplace=3${ALL_FLAGS}`, AUTH);
    const products = (answer.xml.ProductsResponse as { Products: { Product: ProductXml[] } }).Products
      .Product;
    expect(products.map((p) => [p.ProductCode, p.Deleted])).toEqual([
      ['GONE', 'true'],
      ['MOVED', 'true'],
      ['STAYS', 'false'],
    ]);
    const deletedShape = ['ProductCode', 'EAN', 'Name', 'VatPercent', 'Weight', 'Deleted', 'Marketplaces'];
    const order = elementOrder(answer.text);
    expect(order[0]).toEqual(deletedShape);
    expect(order[1]).toEqual(deletedShape);
    // A deleted product belongs to no marketplace; one that moved shows where it is now.
    expect(products[0]?.Marketplaces).toBe('');
    expect(products[1]?.Marketplaces).toEqual({ Marketplace: ['5'] });
    // In its new marketplace the moved product is live.
    const five = await list(sim, `?Marketplace=5`);
    expect(five.products.map((p) => [p.ProductCode, p.Deleted])).toEqual([['MOVED', 'false']]);
    // Without a marketplace: the deleted product shows as deleted, the moved one as live.
    const all = await list(sim, '');
    expect(all.products.map((p) => [p.ProductCode, p.Deleted])).toEqual([
      ['GONE', 'true'],
      ['MOVED', 'false'],
      ['STAYS', 'false'],
    ]);

    now = new Date(t0.getTime() + 30 * DAY + 1);
    expect((await list(sim, `?Marketplace=3`)).products.map((p) => p.ProductCode)).toEqual(['STAYS']);
    expect((await list(sim, '')).products.map((p) => p.ProductCode)).toEqual(['MOVED', 'STAYS']);

    // The clock going back brings them back: the listing follows `now`, not a cache.
    now = new Date(t0.getTime() + DAY);
    expect((await list(sim, `?Marketplace=3`)).products.map((p) => p.ProductCode)).toEqual([
      'GONE',
      'MOVED',
      'STAYS',
    ]);
  });

  it('follows a configured retention', async () => {
    let now = new Date(t0.getTime() + 23 * 60 * 60 * 1000);
    const sim = await start({ ...state, deleted_retention_days: 1 }, () => now);
    expect((await list(sim, '?Marketplace=3')).products).toHaveLength(3);
    now = new Date(t0.getTime() + DAY);
    expect((await list(sim, '?Marketplace=3')).products.map((p) => p.ProductCode)).toEqual(['STAYS']);
  });

  it('dates a deletion without DeletedAt at the time the state was loaded', async () => {
    let now = t0;
    const sim = await start(
      { products: [{ ProductCode: 'OLD-7', Deleted: true, Marketplaces: ['3'] }] },
      () => now,
    );
    expect(sim.system.products()[0]?.DeletedAt).toBe(t0.toISOString());
    now = new Date(t0.getTime() + 10 * DAY);
    expect((await list(sim, '?Marketplace=3')).products.map((p) => p.Deleted)).toEqual(['true']);
    now = new Date(t0.getTime() + 31 * DAY);
    expect((await list(sim, '?Marketplace=3')).products).toEqual([]);
  });
});

describe('NetBaron simulator: data as it is', () => {
  it('serves bad data unchanged: a missing price, fractional or negative stock, an unusual VAT rate, text for a number', async () => {
    const sim = await start({
      products: [
        {
          ProductCode: 'NO-PRICE',
          SalesPriceVatIncluded: null,
          PurchasePrice: 3.5,
          Quantity: 2.5,
          VatPercent: 24,
        },
        { ProductCode: 'NO-PRICE-2', Quantity: -3, VatPercent: 12.345, Weight: 1e-7 },
        { ProductCode: 'NO-STOCK', SalesPriceVatIncluded: 10, Quantity: null, VatPercent: 0 },
        {
          ProductCode: 'RAW',
          SalesPriceVatIncluded: '24,90',
          VatPercent: 'abc',
          Weight: '1e3',
          Quantity: '<5>',
        },
      ],
    });
    const answer = await nbFetch(`${sim.url}/ws/products?GetPrices=true&GetQuantity=true`, AUTH);
    const products = (answer.xml.ProductsResponse as { Products: { Product: ProductXml[] } }).Products
      .Product;
    expect(products[0]).toMatchObject({
      ProductCode: 'NO-PRICE',
      PurchasePrice: '3.50',
      Quantity: '2.5',
      VatPercent: '24',
    });
    expect(products[0]).not.toHaveProperty('SalesPriceVatIncluded');
    expect(products[1]).toMatchObject({ Quantity: '-3', VatPercent: '12.345', Weight: '0.0000001' });
    expect(products[1]).not.toHaveProperty('SalesPriceVatIncluded');
    expect(products[1]).not.toHaveProperty('PurchasePrice');
    expect(products[2]).toMatchObject({ SalesPriceVatIncluded: '10.00', VatPercent: '0' });
    expect(products[2]).not.toHaveProperty('Quantity');
    // Text in place of a number is served verbatim, so a client can be tested on a malformed product.
    expect(products[3]).toMatchObject({
      SalesPriceVatIncluded: '24,90',
      VatPercent: 'abc',
      Weight: '1e3',
      Quantity: '<5>',
    });
    expect(answer.text).toContain('<Quantity>&lt;5&gt;</Quantity>');
  });

  it('escapes & < > " and keeps ä, ö, å and € intact through the XML', async () => {
    const name = 'Tom & Jerry <3 "special" \'edition\'';
    const description = 'Pitkä kuvaus äöå € ÄÖÅ';
    const sim = await start({
      products: [{ ProductCode: 'KÄSI-€1', Name: name, Description: description, PackageType: 'a>b' }],
    });
    const answer = await nbFetch(`${sim.url}/ws/products?GetDescriptions=true&GetPackaging=true`, AUTH);
    expect(answer.text).toContain(
      '<Name>Tom &amp; Jerry &lt;3 &quot;special&quot; &apos;edition&apos;</Name>',
    );
    expect(answer.text).toContain(`<Description>${description}</Description>`);
    expect(answer.text).toContain('<PackageType>a&gt;b</PackageType>');
    const product = (answer.xml.ProductsResponse as { Products: { Product: ProductXml[] } }).Products
      .Product[0];
    expect(product).toMatchObject({
      ProductCode: 'KÄSI-€1',
      Name: name,
      Description: description,
      PackageType: 'a>b',
    });
    expect(Buffer.from(answer.text, 'utf8').includes(Buffer.from('äöå €', 'utf8'))).toBe(true);
  });
});
