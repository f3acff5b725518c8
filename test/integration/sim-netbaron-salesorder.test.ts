import { afterEach, describe, expect, it } from 'vitest';
import { startSimServer, type RunningSim } from '../../simulators/kit/server.ts';
import { createNetBaronSim, type NetBaronSim } from '../../simulators/netbaron/index.ts';
import { nbFetch, REFERENCE_ORDER_XML, type NbAnswer } from '../../simulators/netbaron/testing.ts';

const AUTH = { user: 'demo-org', password: 'orders-secret' };
const RECEIVED = new Date('2025-03-14T09:30:00Z');

let running: RunningSim<NetBaronSim> | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(state: Record<string, unknown> = {}): Promise<RunningSim<NetBaronSim>> {
  running = await startSimServer(
    createNetBaronSim(
      {
        products: [
          { ProductCode: 'TS-100-M', Name: 'T-paita, M', SalesPriceVatIncluded: 24.9, Marketplaces: ['3'] },
          { ProductCode: 'OLD-7', Deleted: true },
        ],
        ...state,
      },
      { now: () => RECEIVED },
    ),
  );
  return running;
}

const put = (sim: RunningSim, body: string | Uint8Array) =>
  nbFetch(`${sim.url}/ws/salesorder`, { ...AUTH, method: 'PUT', body });

function rejected(answer: NbAnswer, code = 'VALIDATION_ERROR'): string {
  expect(answer.status, answer.text).toBe(422);
  expect(answer.contentType).toBe('application/xml; charset=utf-8');
  const error = answer.xml.Error as { Code: string; Message: string };
  expect(error.Code).toBe(code);
  return error.Message;
}

/** The reference order with one text replaced, failing loudly if the text is not there. */
function variant(search: string, replacement: string, xml = REFERENCE_ORDER_XML): string {
  expect(xml).toContain(search);
  return xml.replace(search, replacement);
}

describe('NetBaron simulator: PUT /ws/salesorder', () => {
  it('accepts the reference order with its seller block, answers Pending and stores it as received', async () => {
    const sim = await start();
    const answer = await put(sim, REFERENCE_ORDER_XML);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.contentType).toBe('application/xml; charset=utf-8');
    expect(answer.xml.SalesOrderResponse).toEqual({
      SalesOrderNumber: '50001',
      OrderIdentifier: '10023',
      Status: 'Pending',
    });

    const [stored] = sim.system.salesOrders();
    expect(Object.keys(stored ?? {})).toEqual([
      'SellerPartyDetails',
      'BuyerPartyDetails',
      'BuyerContactPersonName',
      'BuyerCommunicationDetails',
      'DeliveryPartyDetails',
      'InvoiceDetails',
      'PaymentStatusDetails',
      'InvoiceRow',
      'SalesOrderNumber',
      'Status',
      'ReceivedAt',
    ]);
    expect(stored).toMatchObject({
      SellerPartyDetails: {
        SellerPartyIdentifier: '1234567-8',
        SellerOrganisationName: 'Esimerkki Oy',
        SellerPostalAddressDetails: {
          SellerStreetName: 'Kauppakatu 1',
          SellerTownName: 'Tampere',
          SellerPostCodeIdentifier: '33100',
          CountryCode: 'FI',
        },
        SellerCommunicationDetails: {
          SellerPhoneNumberIdentifier: '+35831234567',
          SellerEmailaddressIdentifier: 'kauppa@example.fi',
        },
      },
      BuyerPartyDetails: { BuyerOrganisationName: 'Maija Meikäläinen' },
      InvoiceDetails: {
        OrderIdentifier: '10023',
        OrderDate: '2025-03-14',
        InvoiceTotalVatIncludedAmount: '58.60',
      },
      PaymentStatusDetails: { PaymentMethodText: 'Lasku' },
      SalesOrderNumber: '50001',
      Status: 'Pending',
      ReceivedAt: RECEIVED.toISOString(),
    });
    expect(stored?.InvoiceRow).toHaveLength(3);
    expect((stored?.InvoiceRow as Array<Record<string, string>>)[0]).toEqual({
      ArticleIdentifier: 'TS-100-M',
      ArticleName: 'T-paita, M',
      OrderedQuantity: '2',
      UnitPriceVatIncludedAmount: '24.90',
      RowVatRatePercent: '25.5',
      RowVatAmount: '10.12',
      RowVatExcludedAmount: '39.68',
      ExternalRowIdentifier: '55501',
    });
    // The control API shows the same order.
    const state = (await (await fetch(`${sim.url}/__sim/state`)).json()) as { sales_orders: unknown[] };
    expect(state.sales_orders).toEqual(sim.system.salesOrders());
  });

  it('reads an order back by OrderIdentifier, and answers an unknown one with an empty list and 200', async () => {
    const sim = await start();
    await put(sim, REFERENCE_ORDER_XML);
    const found = await nbFetch(`${sim.url}/ws/salesorder?OrderIdentifier=10023`, AUTH);
    expect(found.status).toBe(200);
    expect(found.xml.SalesOrdersResponse).toEqual({
      SalesOrders: {
        SalesOrder: [
          {
            SalesOrderNumber: '50001',
            OrderIdentifier: '10023',
            Status: 'Pending',
            OrderDate: '2025-03-14',
            InvoiceTotalVatIncludedAmount: '58.60',
          },
        ],
      },
    });
    const missing = await nbFetch(`${sim.url}/ws/salesorder?OrderIdentifier=99999`, AUTH);
    expect(missing.status).toBe(200);
    expect(missing.text).toContain('<SalesOrders/>');
    expect(missing.xml.SalesOrdersResponse).toEqual({ SalesOrders: '' });
  });

  it('stores a repeated PUT with the same OrderIdentifier as a second order', async () => {
    const sim = await start();
    expect((await put(sim, REFERENCE_ORDER_XML)).xml.SalesOrderResponse).toMatchObject({
      SalesOrderNumber: '50001',
    });
    expect((await put(sim, REFERENCE_ORDER_XML)).xml.SalesOrderResponse).toMatchObject({
      SalesOrderNumber: '50002',
    });
    const found = await nbFetch(`${sim.url}/ws/salesorder?OrderIdentifier=10023`, AUTH);
    const orders = (
      found.xml.SalesOrdersResponse as { SalesOrders: { SalesOrder: Array<{ SalesOrderNumber: string }> } }
    ).SalesOrders.SalesOrder;
    expect(orders.map((o) => o.SalesOrderNumber)).toEqual(['50001', '50002']);
  });

  it('numbers new orders above any order already in the state', async () => {
    const sim = await start({
      sales_orders: [
        { InvoiceDetails: { OrderIdentifier: '9000', OrderDate: '2025-01-02' }, SalesOrderNumber: 50230 },
      ],
    });
    expect((await put(sim, REFERENCE_ORDER_XML)).xml.SalesOrderResponse).toMatchObject({
      SalesOrderNumber: '50231',
    });
    const old = await nbFetch(`${sim.url}/ws/salesorder?OrderIdentifier=9000`, AUTH);
    expect(old.xml.SalesOrdersResponse).toMatchObject({
      SalesOrders: {
        SalesOrder: [
          {
            SalesOrderNumber: '50230',
            Status: 'Pending',
            OrderDate: '2025-01-02',
            InvoiceTotalVatIncludedAmount: '',
          },
        ],
      },
    });
  });

  it('accepts optional blocks: a Business ID, no phone, no seller block, a discount row with negative amounts', async () => {
    const sim = await start();
    let xml = variant(
      /<SellerPartyDetails>[\s\S]*<\/SellerPartyDetails>\n/.exec(REFERENCE_ORDER_XML)?.[0] ?? '',
      '',
    );
    xml = variant(
      '<BuyerPartyDetails>\n',
      '<BuyerPartyDetails>\n    <BuyerPartyIdentifier>7654321-0</BuyerPartyIdentifier>\n',
      xml,
    );
    xml = variant('    <BuyerPhoneNumberIdentifier>+358401234567</BuyerPhoneNumberIdentifier>\n', '', xml);
    xml = variant(
      '</SalesOrder>',
      `  <InvoiceRow>
    <ArticleIdentifier>ALENNUS</ArticleIdentifier>
    <ArticleName>Alennus</ArticleName>
    <OrderedQuantity>1</OrderedQuantity>
    <UnitPriceVatIncludedAmount>-5.00</UnitPriceVatIncludedAmount>
    <RowVatRatePercent>25.5</RowVatRatePercent>
    <RowVatAmount>-1.02</RowVatAmount>
    <RowVatExcludedAmount>-3.98</RowVatExcludedAmount>
    <ExternalRowIdentifier>discount</ExternalRowIdentifier>
  </InvoiceRow>
</SalesOrder>`,
      xml,
    );
    xml = variant('<InvoiceTotalVatExcludedAmount>46.69<', '<InvoiceTotalVatExcludedAmount>42.71<', xml);
    xml = variant('<InvoiceTotalVatAmount>11.91<', '<InvoiceTotalVatAmount>10.89<', xml);
    xml = variant('<InvoiceTotalVatIncludedAmount>58.60<', '<InvoiceTotalVatIncludedAmount>53.60<', xml);
    const answer = await put(sim, xml);
    expect(answer.status, answer.text).toBe(200);
    const [stored] = sim.system.salesOrders();
    expect(stored).not.toHaveProperty('SellerPartyDetails');
    expect(stored?.BuyerPartyDetails).toMatchObject({ BuyerPartyIdentifier: '7654321-0' });
    expect(stored?.BuyerCommunicationDetails).toEqual({ BuyerEmailaddressIdentifier: 'maija@example.com' });
    expect((stored?.InvoiceRow as unknown[])[3]).toMatchObject({
      UnitPriceVatIncludedAmount: '-5.00',
      RowVatAmount: '-1.02',
    });
  });

  it('accepts a product code that has been deleted in NetBaron and a one-row order', async () => {
    const sim = await start();
    const rows = /<InvoiceRow>[\s\S]*<\/InvoiceRow>\n/.exec(REFERENCE_ORDER_XML)?.[0] ?? '';
    const oneRow = `  <InvoiceRow>
    <ArticleIdentifier>OLD-7</ArticleIdentifier>
    <ArticleName>Poistunut tuote</ArticleName>
    <OrderedQuantity>3</OrderedQuantity>
    <UnitPriceVatIncludedAmount>3.33</UnitPriceVatIncludedAmount>
    <RowVatRatePercent>14</RowVatRatePercent>
    <RowVatAmount>1.23</RowVatAmount>
    <RowVatExcludedAmount>8.76</RowVatExcludedAmount>
    <ExternalRowIdentifier>1</ExternalRowIdentifier>
  </InvoiceRow>
`;
    let xml = variant(rows, oneRow);
    xml = variant('<InvoiceTotalVatExcludedAmount>46.69<', '<InvoiceTotalVatExcludedAmount>8.76<', xml);
    xml = variant('<InvoiceTotalVatAmount>11.91<', '<InvoiceTotalVatAmount>1.23<', xml);
    xml = variant('<InvoiceTotalVatIncludedAmount>58.60<', '<InvoiceTotalVatIncludedAmount>9.99<', xml);
    const answer = await put(sim, xml);
    expect(answer.status, answer.text).toBe(200);
    expect(sim.system.salesOrders()[0]?.InvoiceRow).toHaveLength(1);
  });
});

describe('NetBaron simulator: PUT /ws/salesorder refusals', () => {
  it('answers an unknown payment method with 422 UNKNOWN_PAYMENT_METHOD and the exact message', async () => {
    const sim = await start();
    const klarna = await put(sim, variant('<PaymentMethodText>Lasku<', '<PaymentMethodText>Klarna<'));
    expect(rejected(klarna, 'UNKNOWN_PAYMENT_METHOD')).toBe(
      'Payment method "Klarna" does not exist in NetBaron.',
    );
    expect(klarna.text).toContain(
      '<Message>Payment method &quot;Klarna&quot; does not exist in NetBaron.</Message>',
    );
    // Matching is exact: case and spacing count.
    rejected(
      await put(sim, variant('<PaymentMethodText>Lasku<', '<PaymentMethodText>lasku<')),
      'UNKNOWN_PAYMENT_METHOD',
    );
    rejected(
      await put(sim, variant('<PaymentMethodText>Lasku<', '<PaymentMethodText>Lasku <')),
      'UNKNOWN_PAYMENT_METHOD',
    );
    expect(sim.system.salesOrders()).toEqual([]);
  });

  it('refuses a row that is one cent off, naming the row and the amounts', async () => {
    const sim = await start();
    const message = rejected(
      await put(sim, variant('<RowVatExcludedAmount>39.68<', '<RowVatExcludedAmount>39.67<')),
    );
    expect(message).toContain('"55501"');
    expect(message).toContain('RowVatExcludedAmount 39.67 + RowVatAmount 10.12 = 49.79');
    expect(message).toContain('OrderedQuantity 2 × UnitPriceVatIncludedAmount 24.90 = 49.80');
  });

  it('refuses VAT that is not rounded from the row amount, even when the row adds up', async () => {
    const sim = await start();
    let xml = variant('<RowVatAmount>10.12<', '<RowVatAmount>10.11<');
    xml = variant('<RowVatExcludedAmount>39.68<', '<RowVatExcludedAmount>39.69<', xml);
    xml = variant('<InvoiceTotalVatExcludedAmount>46.69<', '<InvoiceTotalVatExcludedAmount>46.70<', xml);
    xml = variant('<InvoiceTotalVatAmount>11.91<', '<InvoiceTotalVatAmount>11.90<', xml);
    const message = rejected(await put(sim, xml));
    expect(message).toContain('"55501"');
    expect(message).toMatch(/RowVatAmount 10\.11 .* 10\.12/);
  });

  it('refuses header totals that are one cent off the rows', async () => {
    const sim = await start();
    expect(
      rejected(await put(sim, variant('<InvoiceTotalVatAmount>11.91<', '<InvoiceTotalVatAmount>11.92<'))),
    ).toMatch(/InvoiceTotalVatAmount 11\.92 .*11\.91/);
    expect(
      rejected(
        await put(
          sim,
          variant('<InvoiceTotalVatIncludedAmount>58.60<', '<InvoiceTotalVatIncludedAmount>58.61<'),
        ),
      ),
    ).toMatch(/InvoiceTotalVatIncludedAmount 58\.61 .*58\.60/);
    expect(
      rejected(
        await put(
          sim,
          variant('<InvoiceTotalVatExcludedAmount>46.69<', '<InvoiceTotalVatExcludedAmount>46.68<'),
        ),
      ),
    ).toMatch(/InvoiceTotalVatExcludedAmount 46\.68/);
  });

  it("accepts a decimal comma (Finvoice's convention; NetBaron's is not documented)", async () => {
    const sim = await start();
    let xml = REFERENCE_ORDER_XML;
    for (const [from, to] of [
      ['<RowVatAmount>10.12<', '<RowVatAmount>10,12<'],
      ['<UnitPriceVatIncludedAmount>24.90<', '<UnitPriceVatIncludedAmount>24,90<'],
      ['<RowVatRatePercent>25.5<', '<RowVatRatePercent>25,5<'],
    ] as const) {
      xml = variant(from, to, xml);
    }
    const answer = await put(sim, xml);
    expect(answer.status, answer.text).toBe(200);
    expect(rejected(await put(sim, variant('<RowVatAmount>10.12<', '<RowVatAmount>10,1,2<')))).toMatch(
      /RowVatAmount "10,1,2"/,
    );
  });

  it('refuses more than two decimals and a bad date', async () => {
    const sim = await start();
    expect(
      rejected(
        await put(sim, variant('<UnitPriceVatIncludedAmount>24.90<', '<UnitPriceVatIncludedAmount>24.899<')),
      ),
    ).toMatch(/"24\.899"/);
    expect(rejected(await put(sim, variant('<OrderedQuantity>2<', '<OrderedQuantity>1.5<')))).toMatch(
      /OrderedQuantity "1\.5"/,
    );
    expect(rejected(await put(sim, variant('<OrderDate>2025-03-14<', '<OrderDate>2025-02-30<')))).toMatch(
      /OrderDate "2025-02-30"/,
    );
    expect(rejected(await put(sim, variant('<OrderDate>2025-03-14<', '<OrderDate>14.3.2025<')))).toMatch(
      /OrderDate/,
    );
  });

  it('refuses an ArticleIdentifier that is neither a product nor a service article, naming it', async () => {
    const sim = await start();
    const message = rejected(
      await put(sim, variant('<ArticleIdentifier>TS-100-M<', '<ArticleIdentifier>NOPE-1<')),
    );
    expect(message).toContain('"NOPE-1"');
    // Codes are matched exactly.
    expect(
      rejected(await put(sim, variant('<ArticleIdentifier>TOIMITUS<', '<ArticleIdentifier>toimitus<'))),
    ).toContain('"toimitus"');
  });

  it('refuses a missing required element or a duplicate row identifier, naming it', async () => {
    const sim = await start();
    expect(rejected(await put(sim, variant('    <OrderIdentifier>10023</OrderIdentifier>\n', '')))).toContain(
      'SalesOrder/InvoiceDetails/OrderIdentifier',
    );
    expect(
      rejected(
        await put(
          sim,
          variant('    <BuyerEmailaddressIdentifier>maija@example.com</BuyerEmailaddressIdentifier>\n', ''),
        ),
      ),
    ).toContain('BuyerEmailaddressIdentifier');
    expect(
      rejected(
        await put(sim, variant('<BuyerContactPersonName>Maija Meikäläinen<', '<BuyerContactPersonName><')),
      ),
    ).toMatch(/BuyerContactPersonName is empty/);
    expect(
      rejected(await put(sim, variant('    <ExternalRowIdentifier>shipping</ExternalRowIdentifier>\n', ''))),
    ).toMatch(/InvoiceRow\[2\]\/ExternalRowIdentifier/);
    expect(
      rejected(await put(sim, variant('<ExternalRowIdentifier>shipping<', '<ExternalRowIdentifier>55501<'))),
    ).toMatch(/ExternalRowIdentifier "55501" is used by more than one/);
    const noRows = REFERENCE_ORDER_XML.replace(/ {2}<InvoiceRow>[\s\S]*<\/InvoiceRow>\n/, '');
    expect(rejected(await put(sim, noRows))).toMatch(/SalesOrder\/InvoiceRow \(at least one\)/);
    expect(
      rejected(await put(sim, variant('<PaymentStatusDetails>', '<PaymentStatusDetails><Extra>1</Extra>'))),
    ).toMatch(/Unexpected element Extra in SalesOrder\/PaymentStatusDetails/);
    expect(
      rejected(
        await put(sim, variant('<InvoiceDetails>', '<InvoiceDetails><OrderDate>2025-03-14</OrderDate>')),
      ),
    ).toMatch(/OrderDate is given more than once/);
    expect(sim.system.salesOrders()).toEqual([]);
  });

  it('accepts attributes such as AmountCurrencyIdentifier="EUR" and ignores them', async () => {
    const sim = await start();
    let xml = variant('<RowVatAmount>10.12<', '<RowVatAmount AmountCurrencyIdentifier="EUR">10.12<');
    xml = variant(
      '<UnitPriceVatIncludedAmount>',
      `<UnitPriceVatIncludedAmount AmountCurrencyIdentifier='EUR' x="a&amp;b">`,
      xml,
    );
    const answer = await put(sim, xml);
    expect(answer.status, answer.text).toBe(200);
    expect(
      rejected(await put(sim, variant('<RowVatAmount>10.12<', '<RowVatAmount a="1" a="2">10.12<'))),
    ).toMatch(/attribute a twice/);
    expect(rejected(await put(sim, variant('<RowVatAmount>10.12<', '<RowVatAmount a=1>10.12<')))).toMatch(
      /in quotes/,
    );
  });

  it('refuses malformed XML, a wrong root, invalid UTF-8, namespaces and a DOCTYPE', async () => {
    const sim = await start();
    expect(rejected(await put(sim, REFERENCE_ORDER_XML.slice(0, 400)))).toMatch(/not well-formed|not closed/);
    expect(rejected(await put(sim, variant('</BuyerTownName>', '</BuyerTown>')))).toMatch(
      /expected <\/BuyerTownName>/,
    );
    expect(rejected(await put(sim, variant('Esimerkki Oy', 'Esimerkki & Co')))).toMatch(/&amp;/);
    expect(rejected(await put(sim, ''))).toMatch(/root element/);
    expect(rejected(await put(sim, '<?xml version="1.0"?><Order/>'))).toMatch(
      /root element must be SalesOrder/,
    );
    const latin1 = Buffer.from(variant('Meikäläinen', 'Meik\u0000'), 'utf8');
    latin1[latin1.indexOf(0)] = 0xe4; // a lone ISO-8859-1 "ä" byte
    expect(rejected(await put(sim, latin1))).toMatch(/not valid UTF-8/);
    expect(rejected(await put(sim, variant('<SalesOrder>', '<SalesOrder xmlns="urn:x">')))).toMatch(
      /namespace/,
    );
    expect(
      rejected(
        await put(
          sim,
          variant(
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE SalesOrder>',
          ),
        ),
      ),
    ).toMatch(/DOCTYPE/);
    expect(rejected(await put(sim, variant('encoding="UTF-8"', 'encoding="ISO-8859-1"')))).toMatch(
      /ISO-8859-1/,
    );
    expect(rejected(await put(sim, `${REFERENCE_ORDER_XML}<SalesOrder/>`))).toMatch(/after the root element/);
    expect(sim.system.salesOrders()).toEqual([]);
  });

  it('refuses a seller block that is not first', async () => {
    const sim = await start();
    const seller = /<SellerPartyDetails>[\s\S]*<\/SellerPartyDetails>\n/.exec(REFERENCE_ORDER_XML)?.[0] ?? '';
    const moved = variant('</SalesOrder>', `${seller}</SalesOrder>`, variant(seller, ''));
    expect(rejected(await put(sim, moved))).toMatch(/SellerPartyDetails must be the first element/);
  });
});

describe('NetBaron simulator: text through the order XML', () => {
  it('decodes escaped and non-ASCII text and stores it exactly', async () => {
    const sim = await start();
    let xml = variant(
      '<BuyerOrganisationName>Maija Meikäläinen<',
      '<BuyerOrganisationName>Åke &amp; Öhman &lt;Oy&gt; &quot;x&quot; &apos;y&apos;<',
    );
    xml = variant('<ArticleName>T-paita, M<', '<ArticleName>Kahvi € &#228;&#xF6;<![CDATA[ <raw> & ]]><', xml);
    xml = variant('<DeliveryTownName>Espoo<', '<DeliveryTownName>Jyväskylä<', xml);
    const answer = await put(sim, xml);
    expect(answer.status, answer.text).toBe(200);
    const [stored] = sim.system.salesOrders();
    expect((stored?.BuyerPartyDetails as Record<string, unknown>).BuyerOrganisationName).toBe(
      'Åke & Öhman <Oy> "x" \'y\'',
    );
    expect((stored?.InvoiceRow as Array<Record<string, string>>)[0]?.ArticleName).toBe('Kahvi € äö <raw> & ');
    expect(stored?.DeliveryPartyDetails).toMatchObject({
      DeliveryPostalAddressDetails: { DeliveryTownName: 'Jyväskylä' },
    });
  });
});

describe('NetBaron simulator: GET /ws/salesorder', () => {
  it('lists payment methods', async () => {
    const sim = await start({ payment_methods: ['Paytrail', 'Lasku', 'Käteinen & kortti'] });
    const answer = await nbFetch(`${sim.url}/ws/salesorder?ListPaymentMethods=true`, AUTH);
    expect(answer.status).toBe(200);
    expect(answer.xml.PaymentMethodsResponse).toEqual({
      PaymentMethods: {
        PaymentMethod: [{ Name: 'Paytrail' }, { Name: 'Lasku' }, { Name: 'Käteinen & kortti' }],
      },
    });
  });

  it('refuses a GET without a selection, with both, or with a bad flag', async () => {
    const sim = await start();
    const get = (query: string) => nbFetch(`${sim.url}/ws/salesorder${query}`, AUTH);
    expect(rejected(await get(''))).toMatch(/OrderIdentifier/);
    expect(rejected(await get('?ListPaymentMethods=false'))).toMatch(/OrderIdentifier/);
    expect(rejected(await get('?OrderIdentifier='))).toMatch(/OrderIdentifier/);
    expect(rejected(await get('?OrderIdentifier=1&ListPaymentMethods=true'))).toMatch(/not both/);
    expect(rejected(await get('?ListPaymentMethods=yes'))).toMatch(/TRUE or FALSE/);
    expect(rejected(await get('?OrderIdentifierIds=1'))).toMatch(/Unknown parameter/);
  });
});
