import { describe, expect, it } from 'vitest';
import { formatCents } from '../../src/domain/money.ts';
import { orderSchema, versionSchema } from '../../src/mycashflow/schemas.ts';
import { mapOrder, type MappingInput } from '../../src/orders/map-order.ts';
import { apiOrder, exampleExportSettings, taxRow as T } from '../helpers/orders.ts';

const settings = exampleExportSettings();
const version = versionSchema.parse({
  id: 2,
  name: 'Sverige',
  language: 'sv',
  contact: { company: 'Esimerkki AB', email: 'butik@example.se', business_id: null },
});

function input(overrides: Partial<MappingInput> = {}, order: Record<string, unknown> = {}): MappingInput {
  return {
    order: orderSchema.parse(apiOrder(order)),
    paymentMethodName: 'Lasku',
    shippingMethodName: 'Posti Paketti',
    version,
    settings,
    ...overrides,
  };
}

describe('mapping a MyCashflow order to a NetBaron sales order', () => {
  it('gives the reference example: rows and totals to the cent at 25.5 %', () => {
    const result = mapOrder(input());
    if (!result.ok) return expect.fail(result.reason);
    const so = result.salesOrder;
    expect(
      so.rows.map((r) => [
        r.articleIdentifier,
        r.articleName,
        r.quantity,
        formatCents(r.unitPriceVatIncluded),
        formatCents(r.vatAmount),
        formatCents(r.vatExcludedAmount),
        r.externalRowIdentifier,
      ]),
    ).toEqual([
      ['TS-100-M', 'T-paita, M', 2, '24.90', '10.12', '39.68', '55501'],
      ['TOIMITUS', 'Posti Paketti', 1, '5.90', '1.20', '4.70', 'shipping'],
      ['MAKSUKULU', 'Lasku', 1, '2.90', '0.59', '2.31', 'payment'],
    ]);
    expect([so.totals.vatExcluded, so.totals.vat, so.totals.vatIncluded].map((c) => formatCents(c))).toEqual([
      '46.69',
      '11.91',
      '58.60',
    ]);
    expect(so).toMatchObject({
      orderIdentifier: '10023',
      orderDate: '2025-03-14',
      paymentMethodText: 'Lasku',
      buyerEmail: 'maija@example.com',
    });
    expect(so.buyer).toEqual({
      identifier: undefined,
      organisationName: 'Maija Meikäläinen',
      address: { street: 'Esimerkkikatu 1', town: 'Helsinki', postCode: '00100', countryCode: 'FI' },
    });
    expect(so.delivery.address.town).toBe('Espoo');
  });

  it('takes seller details from the store, or from the version field by field', () => {
    const fromStore = mapOrder(input());
    expect(fromStore.ok && fromStore.salesOrder.seller).toMatchObject({
      organisationName: 'Esimerkki Oy',
      email: 'kauppa@example.fi',
      identifier: '1234567-8',
    });
    const fromVersion = mapOrder(input({ settings: { ...settings, useVersionContactDetails: true } }));
    expect(fromVersion.ok && fromVersion.salesOrder.seller).toMatchObject({
      organisationName: 'Esimerkki AB',
      email: 'butik@example.se',
      identifier: '1234567-8',
      phone: '+35831234567',
      address: { town: 'Tampere' },
    });
  });

  it('sends the business ID of a company buyer and the billing address when there is no other', () => {
    const result = mapOrder(
      input(
        {},
        {
          different_shipping_address: false,
          customer_information: {
            ...apiOrder().customer_information,
            company: 'Yritys Oy',
            vat_code: '7654321-0',
          },
        },
      ),
    );
    expect(result.ok && result.salesOrder.buyer).toMatchObject({
      identifier: '7654321-0',
      organisationName: 'Yritys Oy',
    });
    expect(result.ok && result.salesOrder.delivery).toMatchObject({
      organisationName: 'Yritys Oy',
      address: { town: 'Helsinki' },
    });
    expect(result.ok && result.salesOrder.buyerContactPersonName).toBe('Maija Meikäläinen');
  });

  it('sends a discount over several VAT rates as negative rows that still add up', () => {
    const order = apiOrder({
      subtotal: 32.8,
      shipping_costs: 0,
      payment_costs: 0,
      discount: 5,
      total: 27.8,
      products: [
        { id: 1, product_code: 'KAHVI-1', product_name: 'Kahvi', quantity: 1, unit_price: 7.9, vat_rate: 14 },
        {
          id: 2,
          product_code: 'KIRJA-1',
          product_name: 'Kirja',
          quantity: 1,
          unit_price: 24.9,
          vat_rate: 10,
        },
      ],
      tax_summary: {
        subtotal: [T(14, 7.9, 0.97, 6.93), T(10, 24.9, 2.26, 22.64)],
        discount: [T(14, 1.2, 0.15, 1.05), T(10, 3.8, 0.35, 3.45)],
        shipping_costs: [],
        payment_costs: [],
        total: [T(14, 6.7, 0.82, 5.88), T(10, 21.1, 1.91, 19.19)],
      },
    });
    const result = mapOrder(input({}, order));
    if (!result.ok) return expect.fail(result.reason);
    const discount = result.salesOrder.rows.filter((r) => r.articleIdentifier === 'ALENNUS');
    expect(
      discount.map((r) => [
        r.externalRowIdentifier,
        formatCents(r.unitPriceVatIncluded),
        formatCents(r.vatAmount),
        formatCents(r.vatExcludedAmount),
      ]),
    ).toEqual([
      ['discount-14', '-1.20', '-0.15', '-1.05'],
      ['discount-10', '-3.80', '-0.35', '-3.45'],
    ]);
    expect(formatCents(result.salesOrder.totals.vatIncluded)).toBe('27.80');
    for (const r of result.salesOrder.rows)
      expect(r.vatAmount + r.vatExcludedAmount).toBe(r.unitPriceVatIncluded * r.quantity);
  });

  it('makes an order wait, with a reason, when its rows do not add up to the store total', () => {
    const result = mapOrder(input({}, { total: 58.61 }));
    expect(result).toEqual({
      ok: false,
      reason: expect.stringMatching(/rows add up to 58\.60 but the order's total in MyCashflow is 58\.61/),
    });
  });

  it('makes an order wait when its payment method or a product code is unknown', () => {
    expect(mapOrder(input({ paymentMethodName: undefined }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/payment method 2/),
    });
    const noCode = apiOrder();
    noCode.products = [{ ...noCode.products[0]!, product_code: null as unknown as string }];
    expect(mapOrder(input({}, noCode))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no product code/),
    });
  });
});
