import { XMLParser } from 'fast-xml-parser';

/*
 * Helpers for tests that talk to the simulator over HTTP. Responses are read with fast-xml-parser, not
 * with the simulator's own reader, so a test also checks that another parser sees the same document.
 */

export interface NbCall {
  user?: string;
  password?: string;
  method?: string;
  body?: string | Uint8Array;
}

export interface NbAnswer {
  status: number;
  contentType: string | null;
  text: string;
  /** The parsed body, values trimmed; repeated elements are always arrays (see `LIST_PATHS`). */
  xml: Record<string, unknown>;
  headers: Headers;
}

/** Elements that repeat, so a list of one is still a list. */
const LIST_PATHS = new Set([
  'ProductsResponse.Products.Product',
  'ProductsResponse.Products.Product.Marketplaces.Marketplace',
  'MarketplacesResponse.Marketplaces.Marketplace',
  'SalesOrdersResponse.SalesOrders.SalesOrder',
  'PaymentMethodsResponse.PaymentMethods.PaymentMethod',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  // Numeric character references are decoded too, in case the writer ever emits them.
  htmlEntities: true,
  isArray: (_name, jpath) => LIST_PATHS.has(String(jpath)),
});

export function parseXmlText(text: string): Record<string, unknown> {
  return parser.parse(text) as Record<string, unknown>;
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

export async function nbFetch(url: string, call: NbCall = {}): Promise<NbAnswer> {
  const headers: Record<string, string> = { Accept: 'application/xml' };
  if (call.user !== undefined || call.password !== undefined) {
    headers.Authorization = basicAuth(call.user ?? '', call.password ?? '');
  }
  if (call.body !== undefined) headers['Content-Type'] = 'application/xml; charset=utf-8';
  const res = await fetch(url, { method: call.method ?? 'GET', headers, body: call.body });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    text,
    xml: text.startsWith('<?xml') ? parseXmlText(text) : {},
    headers: res.headers,
  };
}

/** The example of §15.7 with the seller block of §15.7.1 placed first. */
export const REFERENCE_ORDER_XML = `<?xml version="1.0" encoding="UTF-8"?>
<SalesOrder>
  <SellerPartyDetails>
    <SellerPartyIdentifier>1234567-8</SellerPartyIdentifier>
    <SellerOrganisationName>Esimerkki Oy</SellerOrganisationName>
    <SellerPostalAddressDetails>
      <SellerStreetName>Kauppakatu 1</SellerStreetName>
      <SellerTownName>Tampere</SellerTownName>
      <SellerPostCodeIdentifier>33100</SellerPostCodeIdentifier>
      <CountryCode>FI</CountryCode>
    </SellerPostalAddressDetails>
    <SellerCommunicationDetails>
      <SellerPhoneNumberIdentifier>+35831234567</SellerPhoneNumberIdentifier>
      <SellerEmailaddressIdentifier>kauppa@example.fi</SellerEmailaddressIdentifier>
    </SellerCommunicationDetails>
  </SellerPartyDetails>
  <BuyerPartyDetails>
    <BuyerOrganisationName>Maija Meikäläinen</BuyerOrganisationName>
    <BuyerPostalAddressDetails>
      <BuyerStreetName>Esimerkkikatu 1</BuyerStreetName>
      <BuyerTownName>Helsinki</BuyerTownName>
      <BuyerPostCodeIdentifier>00100</BuyerPostCodeIdentifier>
      <CountryCode>FI</CountryCode>
    </BuyerPostalAddressDetails>
  </BuyerPartyDetails>
  <BuyerContactPersonName>Maija Meikäläinen</BuyerContactPersonName>
  <BuyerCommunicationDetails>
    <BuyerPhoneNumberIdentifier>+358401234567</BuyerPhoneNumberIdentifier>
    <BuyerEmailaddressIdentifier>maija@example.com</BuyerEmailaddressIdentifier>
  </BuyerCommunicationDetails>
  <DeliveryPartyDetails>
    <DeliveryOrganisationName>Maija Meikäläinen</DeliveryOrganisationName>
    <DeliveryPostalAddressDetails>
      <DeliveryStreetName>Kotitie 2</DeliveryStreetName>
      <DeliveryTownName>Espoo</DeliveryTownName>
      <DeliveryPostCodeIdentifier>02100</DeliveryPostCodeIdentifier>
      <CountryCode>FI</CountryCode>
    </DeliveryPostalAddressDetails>
  </DeliveryPartyDetails>
  <InvoiceDetails>
    <OrderIdentifier>10023</OrderIdentifier>
    <OrderDate>2025-03-14</OrderDate>
    <InvoiceTotalVatExcludedAmount>46.69</InvoiceTotalVatExcludedAmount>
    <InvoiceTotalVatAmount>11.91</InvoiceTotalVatAmount>
    <InvoiceTotalVatIncludedAmount>58.60</InvoiceTotalVatIncludedAmount>
  </InvoiceDetails>
  <PaymentStatusDetails>
    <PaymentMethodText>Lasku</PaymentMethodText>
  </PaymentStatusDetails>
  <InvoiceRow>
    <ArticleIdentifier>TS-100-M</ArticleIdentifier>
    <ArticleName>T-paita, M</ArticleName>
    <OrderedQuantity>2</OrderedQuantity>
    <UnitPriceVatIncludedAmount>24.90</UnitPriceVatIncludedAmount>
    <RowVatRatePercent>25.5</RowVatRatePercent>
    <RowVatAmount>10.12</RowVatAmount>
    <RowVatExcludedAmount>39.68</RowVatExcludedAmount>
    <ExternalRowIdentifier>55501</ExternalRowIdentifier>
  </InvoiceRow>
  <InvoiceRow>
    <ArticleIdentifier>TOIMITUS</ArticleIdentifier>
    <ArticleName>Posti Paketti</ArticleName>
    <OrderedQuantity>1</OrderedQuantity>
    <UnitPriceVatIncludedAmount>5.90</UnitPriceVatIncludedAmount>
    <RowVatRatePercent>25.5</RowVatRatePercent>
    <RowVatAmount>1.20</RowVatAmount>
    <RowVatExcludedAmount>4.70</RowVatExcludedAmount>
    <ExternalRowIdentifier>shipping</ExternalRowIdentifier>
  </InvoiceRow>
  <InvoiceRow>
    <ArticleIdentifier>MAKSUKULU</ArticleIdentifier>
    <ArticleName>Lasku</ArticleName>
    <OrderedQuantity>1</OrderedQuantity>
    <UnitPriceVatIncludedAmount>2.90</UnitPriceVatIncludedAmount>
    <RowVatRatePercent>25.5</RowVatRatePercent>
    <RowVatAmount>0.59</RowVatAmount>
    <RowVatExcludedAmount>2.31</RowVatExcludedAmount>
    <ExternalRowIdentifier>payment</ExternalRowIdentifier>
  </InvoiceRow>
</SalesOrder>
`;
