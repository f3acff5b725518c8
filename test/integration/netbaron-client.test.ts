import { beforeEach, describe, expect, it } from 'vitest';
import { nbMarketplaceId } from '../../src/domain/ids.ts';
import { formatCents, parseVatRate } from '../../src/domain/money.ts';
import { collect } from '../../src/util/collect.ts';
import { exampleOrder } from '../helpers/orders.ts';
import { smallScenario } from '../helpers/scenarios.ts';
import {
  clearRequests,
  nbClient,
  NB_ORDERS_PASSWORD,
  NB_PRODUCTS_PASSWORD,
  requestCounts,
  useSimulators,
} from '../helpers/sims.ts';

const sims = await useSimulators(smallScenario());
const putState = (state: unknown) =>
  fetch(`${sims.netbaron.url}/__sim/state`, { method: 'PUT', body: JSON.stringify(state) });

describe('NetBaron client against the simulator', () => {
  beforeEach(async () => {
    await putState(smallScenario().netbaron);
    await clearRequests(sims.netbaron.url);
  });

  it('lists marketplaces', async () => {
    expect(await nbClient(sims).listMarketplaces()).toEqual([
      { id: '3', name: 'Verkkokauppa' },
      { id: '5', name: 'B2B-kauppa' },
    ]);
  });

  it('pages through a marketplace across three or more pages, in code order, with exact values', async () => {
    const client = nbClient(sims, { pageSize: 2 });
    const products = await collect(
      client.listProducts({
        marketplace: nbMarketplaceId('3'),
        prices: true,
        quantity: true,
        packaging: true,
        descriptions: true,
      }),
      100,
    );
    expect(products.map((p) => p.code)).toEqual(['KAHVI-1', 'KIRJA-1', 'TS-100-M', 'TS-100-S', 'UUSI-1']);
    const kirja = products[1]!;
    expect(formatCents(kirja.priceVatIncluded!)).toBe('26.90');
    expect(kirja.vatRate).toBe(parseVatRate('10'));
    expect(kirja.additionalInformation).toBe('Pitkä kuvaus äöå €');
    expect(products[4]!.name).toBe('Uusi tuote & "lainaus" <3');
    expect((await requestCounts(sims.netbaron.url)).counts.byPath['GET /ws/products']).toBe(3);
  });

  it('omits what the flags switch off', async () => {
    const [first] = await collect(nbClient(sims).listProducts({ marketplace: nbMarketplaceId('3') }), 100);
    expect(first).toMatchObject({
      code: 'KAHVI-1',
      priceVatIncluded: undefined,
      quantity: undefined,
      packageType: undefined,
    });
  });

  it('reports a malformed product with its code and reason and keeps the others', async () => {
    const state = smallScenario().netbaron;
    const products = state.products as Array<Record<string, unknown>>;
    products[0]!.VatPercent = 'abc';
    const put = await putState(state);
    if (!put.ok) return expect.fail(`the simulator refused bad data in its state: ${await put.text()}`);
    const bad: unknown[] = [];
    const got = await collect(
      nbClient(sims).listProducts({
        marketplace: nbMarketplaceId('3'),
        prices: true,
        onInvalidItem: (i) => bad.push(i),
      }),
      100,
    );
    expect(got.map((p) => p.code)).not.toContain('KAHVI-1');
    expect(got).toHaveLength(4);
    expect(bad).toEqual([{ code: 'KAHVI-1', reason: expect.stringMatching(/VatPercent/) }]);
  });

  it('sends an order with 25.5 % rows exact to the cent; NetBaron stores it with the seller block', async () => {
    const client = nbClient(sims);
    const order = exampleOrder();
    expect(order.totals).toEqual({ vatExcluded: 4669, vat: 1191, vatIncluded: 5860 });
    const receipt = await client.putSalesOrder(order);
    expect(receipt).toMatchObject({ orderIdentifier: '10023', status: 'Pending' });
    const found = await client.findSalesOrders('10023');
    expect(found).toEqual([
      expect.objectContaining({ salesOrderNumber: receipt.salesOrderNumber, totalVatIncluded: '58.60' }),
    ]);
    const state = (await (await fetch(`${sims.netbaron.url}/__sim/state`)).json()) as {
      sales_orders: Array<Record<string, unknown>>;
    };
    expect(state.sales_orders[0]).toMatchObject({
      SellerPartyDetails: { SellerOrganisationName: 'Esimerkki Oy', SellerPartyIdentifier: '1234567-8' },
      BuyerPartyDetails: { BuyerOrganisationName: 'Maija Meikäläinen' },
      Status: 'Pending',
    });
  });

  it('round-trips non-ASCII and markup characters through XML', async () => {
    const client = nbClient(sims);
    const name = 'Åsa Öhman & Co <"Pähkinä"> €';
    await client.putSalesOrder(exampleOrder({ orderIdentifier: '10024', buyerContactPersonName: name }));
    const state = (await (await fetch(`${sims.netbaron.url}/__sim/state`)).json()) as {
      sales_orders: Array<Record<string, unknown>>;
    };
    expect(
      state.sales_orders.find(
        (o) => (o.InvoiceDetails as Record<string, unknown>).OrderIdentifier === '10024',
      )?.BuyerContactPersonName,
    ).toBe(name);
  });

  it('is refused with 422 when a row is one cent off, and nothing is stored', async () => {
    const order = exampleOrder();
    const row = order.rows[0]!;
    const off = {
      ...order,
      rows: [{ ...row, vatAmount: (row.vatAmount + 1) as typeof row.vatAmount }, ...order.rows.slice(1)],
    };
    const err = await nbClient(sims)
      .putSalesOrder(off)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 422, kind: 'validation', disposition: 'fatal' });
    expect(await nbClient(sims).findSalesOrders('10023')).toEqual([]);
  });

  it('names an unknown payment method exactly', async () => {
    const err = await nbClient(sims)
      .putSalesOrder(exampleOrder({ paymentMethodText: 'Klarna' }))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      status: 422,
      kind: 'unknown-payment-method',
      remoteCode: 'UNKNOWN_PAYMENT_METHOD',
    });
    expect((err as Error).message).toContain('Payment method "Klarna" does not exist in NetBaron.');
    expect(await nbClient(sims).listPaymentMethods()).toEqual(['Paytrail', 'Lasku']);
  });

  it('refuses wrong credentials, and each module password on the other module', async () => {
    const wrongOrg = await nbClient(sims, { organisation: 'toinen' })
      .listMarketplaces()
      .catch((e: unknown) => e);
    expect(wrongOrg).toMatchObject({ kind: 'authentication', status: 401, disposition: 'fatal' });
    const swapped = nbClient(sims, {
      products: { password: NB_ORDERS_PASSWORD },
      salesorder: { password: NB_PRODUCTS_PASSWORD },
    });
    const onProducts = await swapped.listMarketplaces().catch((e: unknown) => e);
    expect(onProducts).toMatchObject({ kind: 'authentication', status: 401 });
    expect((onProducts as Error).message).toMatch(/Product API password/);
    const onOrders = await swapped.listPaymentMethods().catch((e: unknown) => e);
    expect(onOrders).toMatchObject({ kind: 'authentication', status: 401 });
    expect((onOrders as Error).message).toMatch(/Order API password/);
  });

  it('fails authentication when the parallel-interface suffix is missing, and works with it', async () => {
    const state = smallScenario().netbaron;
    state.modules = {
      products: { password: NB_PRODUCTS_PASSWORD, interface: 2 },
      salesorder: { password: NB_ORDERS_PASSWORD, interface: 1 },
    };
    await putState(state);
    const missing = await nbClient(sims)
      .listMarketplaces()
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({
      kind: 'authentication',
      status: 401,
      request: expect.stringMatching(/^GET \/ws\/products\?/),
    });
    expect((missing as Error).message).toMatch(/interface number/);
    const withSuffix = nbClient(sims, { products: { password: NB_PRODUCTS_PASSWORD, interface: 2 } });
    expect((await withSuffix.listMarketplaces()).length).toBe(2);
    expect((await requestCounts(sims.netbaron.url)).counts.byPath['GET /ws/products2']).toBe(1);
  });

  it('is refused with 403 from an address outside the module allow-list', async () => {
    const state = smallScenario().netbaron;
    state.allowed_ips = { salesorder: ['192.0.2.10'] };
    await putState(state);
    const err = await nbClient(sims)
      .listPaymentMethods()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'ip-not-allowed', status: 403, remoteCode: 'IP_NOT_ALLOWED' });
    expect(await nbClient(sims).listMarketplaces()).toHaveLength(2);
    state.allowed_ips = { salesorder: ['127.0.0.1'] };
    await putState(state);
    expect(await nbClient(sims).listPaymentMethods()).toEqual(['Paytrail', 'Lasku']);
  });
});
