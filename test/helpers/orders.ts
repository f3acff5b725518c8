import { orderExportSettingsSchema } from '../../src/config/connection-file.ts';
import { parseCents, parseVatRate } from '../../src/domain/money.ts';
import { priceRow, totalsOf } from '../../src/domain/sales-order-math.ts';
import type { NbSalesOrder } from '../../src/netbaron/wire/salesorder.ts';

/** The reference's example order (`netbaron-ws.md` §15.7), rebuilt from the store's numbers. */
export function exampleOrder(overrides: Partial<NbSalesOrder> = {}): NbSalesOrder {
  const shirt = priceRow(2, parseCents('24.90'), parseVatRate('25.5'));
  const shipping = priceRow(1, parseCents('5.90'), parseVatRate('25.5'));
  const fee = priceRow(1, parseCents('2.90'), parseVatRate('25.5'));
  const rows = [
    { articleIdentifier: 'TS-100-M', articleName: 'T-paita, M', externalRowIdentifier: '55501', ...shirt },
    {
      articleIdentifier: 'TOIMITUS',
      articleName: 'Posti Paketti',
      externalRowIdentifier: 'shipping',
      ...shipping,
    },
    { articleIdentifier: 'MAKSUKULU', articleName: 'Lasku', externalRowIdentifier: 'payment', ...fee },
  ];
  return {
    seller: {
      identifier: '1234567-8',
      organisationName: 'Esimerkki Oy',
      address: { street: 'Kauppakatu 1', town: 'Tampere', postCode: '33100', countryCode: 'FI' },
      phone: '+35831234567',
      email: 'kauppa@example.fi',
    },
    buyer: {
      organisationName: 'Maija Meikäläinen',
      address: { street: 'Esimerkkikatu 1', town: 'Helsinki', postCode: '00100', countryCode: 'FI' },
    },
    buyerContactPersonName: 'Maija Meikäläinen',
    buyerPhone: '+358401234567',
    buyerEmail: 'maija@example.com',
    delivery: {
      organisationName: 'Maija Meikäläinen',
      address: { street: 'Kotitie 2', town: 'Espoo', postCode: '02100', countryCode: 'FI' },
    },
    orderIdentifier: '10023',
    orderDate: '2025-03-14',
    paymentMethodText: 'Lasku',
    rows,
    totals: totalsOf(rows),
    ...overrides,
  };
}

/** A row of an order's tax summary as the API serves it. */
export const taxRow = (tax_rate: number, total: number, total_tax: number, total_without_tax: number) => ({
  tax_rate,
  total,
  total_tax,
  total_without_tax,
});

/** The reference's example order (`netbaron-ws.md` §15.7) as MyCashflow's API would serve it. */
export function apiOrder(overrides: Record<string, unknown> = {}) {
  return {
    id: 10023,
    created_at: '2025-03-14T10:15:00+02:00',
    version_id: 2,
    payment_method_id: 2,
    shipping_method_id: 1,
    customer_information: {
      company: null,
      vat_code: null,
      first_name: 'Maija',
      last_name: 'Meikäläinen',
      street_address: 'Esimerkkikatu 1',
      postal_code: '00100',
      city: 'Helsinki',
      country: 'FI',
      phone: '+358401234567',
      email: 'maija@example.com',
    },
    shipping_address: {
      first_name: 'Maija',
      last_name: 'Meikäläinen',
      street_address: 'Kotitie 2',
      postal_code: '02100',
      city: 'Espoo',
      country: 'FI',
    },
    different_shipping_address: true,
    subtotal: 49.8,
    shipping_costs: 5.9,
    payment_costs: 2.9,
    discount: 0,
    total: 58.6,
    status: 'open',
    products: [
      {
        id: 55501,
        product_code: 'TS-100-M',
        product_name: 'T-paita',
        model_name: 'M',
        quantity: 2,
        unit_price: 24.9,
        vat_rate: 25.5,
      },
    ],
    tax_summary: {
      subtotal: [taxRow(25.5, 49.8, 10.12, 39.68)],
      discount: [],
      shipping_costs: [taxRow(25.5, 5.9, 1.2, 4.7)],
      payment_costs: [taxRow(25.5, 2.9, 0.59, 2.31)],
      total: [taxRow(25.5, 58.6, 11.91, 46.69)],
    },
    ...overrides,
  };
}

/** The order-export settings of the examples: a Finnish store's contact details, defaults otherwise. */
export function exampleExportSettings() {
  return orderExportSettingsSchema.parse({
    storeContact: {
      company: 'Esimerkki Oy',
      business_id: '1234567-8',
      street_address: 'Kauppakatu 1',
      postal_code: '33100',
      city: 'Tampere',
      country: 'FI',
      email: 'kauppa@example.fi',
      phone: '+35831234567',
    },
  });
}
