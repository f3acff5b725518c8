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
