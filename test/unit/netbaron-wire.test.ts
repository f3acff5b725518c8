import { describe, expect, it } from 'vitest';
import { parseXmlDocument } from '../../src/netbaron/wire/xml.ts';
import { parseProductsPage, readProduct } from '../../src/netbaron/wire/products.ts';
import {
  parsePaymentMethods,
  parseSalesOrdersResponse,
  writeSalesOrder,
} from '../../src/netbaron/wire/salesorder.ts';
import { exampleOrder } from '../helpers/orders.ts';

describe('sales order XML', () => {
  it('writes the reference example with its amounts to the cent, seller block first', () => {
    const xml = writeSalesOrder(exampleOrder());
    expect(
      xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<SalesOrder>\n  <SellerPartyDetails>'),
    ).toBe(true);
    const doc = parseXmlDocument(xml, ['InvoiceRow']).SalesOrder as {
      InvoiceDetails: Record<string, string>;
      InvoiceRow: Array<Record<string, string>>;
    };
    expect(doc.InvoiceDetails).toMatchObject({
      InvoiceTotalVatExcludedAmount: '46.69',
      InvoiceTotalVatAmount: '11.91',
      InvoiceTotalVatIncludedAmount: '58.60',
    });
    expect(doc.InvoiceRow.map((r) => [r.RowVatRatePercent, r.RowVatAmount, r.RowVatExcludedAmount])).toEqual([
      ['25.5', '10.12', '39.68'],
      ['25.5', '1.20', '4.70'],
      ['25.5', '0.59', '2.31'],
    ]);
  });

  it('escapes markup and keeps non-ASCII text', () => {
    const xml = writeSalesOrder(exampleOrder({ buyerContactPersonName: 'Åsa & <Öhman> "€"' }));
    expect(xml).toContain(
      '<BuyerContactPersonName>Åsa &amp; &lt;Öhman&gt; &quot;€&quot;</BuyerContactPersonName>',
    );
    expect((parseXmlDocument(xml, []).SalesOrder as Record<string, unknown>).BuyerContactPersonName).toBe(
      'Åsa & <Öhman> "€"',
    );
  });

  it('omits optional elements that have no value', () => {
    const xml = writeSalesOrder(exampleOrder({ seller: undefined, buyerPhone: undefined }));
    expect(xml).not.toContain('SellerPartyDetails');
    expect(xml).not.toContain('BuyerPhoneNumberIdentifier');
  });

  it('reads an empty order list as an explicit empty answer, and payment names exactly', () => {
    expect(
      parseSalesOrdersResponse(
        '<?xml version="1.0"?><SalesOrdersResponse><SalesOrders/></SalesOrdersResponse>',
      ),
    ).toEqual([]);
    expect(() => parseSalesOrdersResponse('<Other/>')).toThrow();
    const methods =
      '<PaymentMethodsResponse><PaymentMethods><PaymentMethod><Name>Lasku </Name></PaymentMethod></PaymentMethods></PaymentMethodsResponse>';
    expect(parsePaymentMethods(methods)).toEqual(['Lasku ']);
  });
});

describe('products XML', () => {
  const page = (products: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><ProductsResponse><Page>2</Page><PageCount>4</PageCount><Products>${products}</Products></ProductsResponse>`;

  it('reads a deleted entry from its code alone', () => {
    const parsed = parseProductsPage(
      page('<Product><ProductCode>OLD-7</ProductCode><Deleted>true</Deleted><Marketplaces/></Product>'),
    );
    expect(parsed).toMatchObject({ page: 2, pageCount: 4 });
    expect(readProduct(parsed.rawProducts[0])).toEqual({
      ok: true,
      product: { code: 'OLD-7', ean: '', name: '', deleted: true, marketplaces: [] },
    });
  });

  it('reads a product with an empty name, for the planner to judge (an existing item still updates)', () => {
    const parsed = parseProductsPage(
      page('<Product><ProductCode>N-1</ProductCode><Name></Name><VatPercent>24</VatPercent></Product>'),
    );
    expect(readProduct(parsed.rawProducts[0])).toMatchObject({
      ok: true,
      product: { code: 'N-1', name: '' },
    });
  });

  it('keeps codes and quantities as exact text and rejects a decimal comma', () => {
    const good = parseProductsPage(
      page(
        '<Product><ProductCode>00123</ProductCode><EAN>6430000000012</EAN><Name>A</Name><VatPercent>25.5</VatPercent><SalesPriceVatIncluded>24.90</SalesPriceVatIncluded><Quantity>2.5</Quantity><Deleted>false</Deleted><Marketplaces><Marketplace>3</Marketplace></Marketplaces></Product>',
      ),
    );
    expect(readProduct(good.rawProducts[0])).toMatchObject({
      ok: true,
      product: { code: '00123', priceVatIncluded: 2490, quantity: '2.5', marketplaces: ['3'] },
    });
    const bad = parseProductsPage(
      page(
        '<Product><ProductCode>X</ProductCode><Name>A</Name><VatPercent>25.5</VatPercent><SalesPriceVatIncluded>24,90</SalesPriceVatIncluded></Product>',
      ),
    );
    expect(readProduct(bad.rawProducts[0])).toMatchObject({
      ok: false,
      code: 'X',
      reason: expect.stringMatching(/SalesPriceVatIncluded/),
    });
  });
});
