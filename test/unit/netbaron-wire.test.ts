import { describe, expect, it } from 'vitest';
import { parseXmlDocument, unescapeXml } from '../../src/netbaron/wire/xml.ts';
import { parseProductsPage, readProduct } from '../../src/netbaron/wire/products.ts';
import {
  parsePaymentMethods,
  parseSalesOrdersResponse,
  readPaymentMethodText,
  readSalesOrder,
  writeSalesOrder,
  type NbSalesOrder,
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

describe('sales order XML read back', () => {
  /** The order as the writer takes it (the example's rows also carry their gross, which is not written). */
  const plain = (o: NbSalesOrder): NbSalesOrder => ({
    ...o,
    rows: o.rows.map((r) => {
      const { gross: _gross, ...written } = r as typeof r & { gross?: number };
      return written;
    }),
  });

  it('reads what the writer wrote: every party, row and total, money exact in cents', () => {
    const order = plain(exampleOrder());
    const read = readSalesOrder(writeSalesOrder(order));
    expect(read).toEqual(order);
    expect(read.totals).toEqual({ vatExcluded: 4669, vat: 1191, vatIncluded: 5860 });
    expect(read.rows[0]).toMatchObject({ quantity: 2, unitPriceVatIncluded: 2490, vatRate: 2550 });
  });

  it('gives back the same document when written again, with optional parts absent', () => {
    for (const order of [
      exampleOrder({ seller: undefined, buyerPhone: undefined }),
      exampleOrder({ seller: { organisationName: 'Pikku & "Puoti"' } }),
      exampleOrder({ buyer: { identifier: 'FI12345678', ...exampleOrder().buyer } }),
      exampleOrder({ buyerContactPersonName: 'Åsa <Öhman> €', paymentMethodText: ' Lasku ', rows: [] }),
    ]) {
      const xml = writeSalesOrder(order);
      expect(writeSalesOrder(readSalesOrder(xml))).toBe(xml);
    }
    expect(readSalesOrder(writeSalesOrder(exampleOrder({ rows: [] }))).rows).toEqual([]);
  });

  it('keeps codes as text and reads negative amounts (a discount row)', () => {
    const xml = writeSalesOrder(exampleOrder())
      .replace(
        '<ArticleIdentifier>TS-100-M</ArticleIdentifier>',
        '<ArticleIdentifier>00123</ArticleIdentifier>',
      )
      .replace(
        '<UnitPriceVatIncludedAmount>2.90</UnitPriceVatIncludedAmount>',
        '<UnitPriceVatIncludedAmount>-2.90</UnitPriceVatIncludedAmount>',
      );
    const read = readSalesOrder(xml);
    expect(read.rows[0]!.articleIdentifier).toBe('00123');
    expect(read.rows[2]!.unitPriceVatIncluded).toBe(-290);
  });

  it('reads the payment method alone, as written, markup and all', () => {
    for (const name of ['Lasku', ' Kortti & "Mobile" <Pay> ', 'Äänimaksu €', ''])
      expect(readPaymentMethodText(writeSalesOrder(exampleOrder({ paymentMethodText: name })))).toBe(name);
    expect(readPaymentMethodText('<SalesOrder/>')).toBeUndefined();
    expect(unescapeXml('&#228;&#xE4;&amp;lt;&#x110000;')).toBe('ää&lt;&#x110000;');
  });

  it('refuses what is not a sales order, or money that is not exact', () => {
    expect(() => readSalesOrder('<SalesOrdersResponse/>')).toThrow(/SalesOrder element missing/);
    expect(() => readSalesOrder('<SalesOrder><oops></SalesOrder>')).toThrow(/malformed XML/);
    const xml = writeSalesOrder(exampleOrder());
    // A comma is what the decimalSeparator ',' setting sends, so it reads back; two separators do not.
    expect(() =>
      readSalesOrder(
        xml.replace('<RowVatAmount>10.12</RowVatAmount>', '<RowVatAmount>10,1,2</RowVatAmount>'),
      ),
    ).toThrow();
    expect(() =>
      readSalesOrder(
        xml.replace('<RowVatAmount>10.12</RowVatAmount>', '<RowVatAmount>10.123</RowVatAmount>'),
      ),
    ).toThrow();
    expect(() =>
      readSalesOrder(
        xml.replace('<OrderedQuantity>2</OrderedQuantity>', '<OrderedQuantity>2.5</OrderedQuantity>'),
      ),
    ).toThrow(/whole number/);
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

  it('keeps codes and quantities as exact text, reads a decimal comma, and rejects a thousands separator', () => {
    const good = parseProductsPage(
      page(
        '<Product><ProductCode>00123</ProductCode><EAN>6430000000012</EAN><Name>A</Name><VatPercent>25.5</VatPercent><SalesPriceVatIncluded>24.90</SalesPriceVatIncluded><Quantity>2.5</Quantity><Deleted>false</Deleted><Marketplaces><Marketplace>3</Marketplace></Marketplaces></Product>',
      ),
    );
    expect(readProduct(good.rawProducts[0])).toMatchObject({
      ok: true,
      product: { code: '00123', priceVatIncluded: 2490, quantity: '2.5', marketplaces: ['3'] },
    });
    const comma = parseProductsPage(
      page(
        '<Product><ProductCode>C</ProductCode><Name>A</Name><VatPercent>25,5</VatPercent><SalesPriceVatIncluded>24,90</SalesPriceVatIncluded></Product>',
      ),
    );
    expect(readProduct(comma.rawProducts[0])).toMatchObject({
      ok: true,
      product: { code: 'C', priceVatIncluded: 2490, vatRate: 2550 },
    });
    const bad = parseProductsPage(
      page(
        '<Product><ProductCode>X</ProductCode><Name>A</Name><VatPercent>25.5</VatPercent><SalesPriceVatIncluded>1.024,90</SalesPriceVatIncluded></Product>',
      ),
    );
    expect(readProduct(bad.rawProducts[0])).toMatchObject({
      ok: false,
      code: 'X',
      reason: expect.stringMatching(/SalesPriceVatIncluded/),
    });
  });
});
