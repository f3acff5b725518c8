import { describe, expect, it } from 'vitest';
import { roundCents } from '../../src/domain/money.ts';
import { jsonMoneySchema, jsonVatRateSchema } from '../../src/domain/money-schemas.ts';
import { orderSchema, productSchema, stockItemSchema } from '../../src/mycashflow/schemas.ts';
import { formatStoreTimestamp, parseStoreTimestamp, storeDate } from '../../src/mycashflow/timestamps.ts';

const stock = { id: 7, code: 'A-1', quantity: 3, reserved: 0, balance: 3 };
const product = { id: 1, product_code: 'A-1', name: 'Kahvikuppi', price: 24.9, vat_rate: 25.5 };

describe('MyCashflow money read as numbers or decimal text', () => {
  it('reads "24.90" and 24.9 alike, exactly', () => {
    expect(jsonMoneySchema.parse('24.90')).toBe(2490);
    expect(jsonMoneySchema.parse(24.9)).toBe(2490);
    expect(jsonMoneySchema.parse('0.10')).toBe(10);
    expect(jsonVatRateSchema.parse('25.5')).toBe(2550);
    expect(jsonVatRateSchema.parse('14')).toBe(1400);
  });

  it('refuses text that is no decimal number, and prices below the cent', () => {
    expect(jsonMoneySchema.safeParse('24,90').success).toBe(false);
    expect(jsonMoneySchema.safeParse('').success).toBe(false);
    expect(jsonMoneySchema.safeParse('24.905').success).toBe(false);
  });

  it('rounds more than two decimals half away from zero and says whether the value changed', () => {
    expect(roundCents('4.1234')).toEqual({ cents: 412, rounded: true, text: '4.1234' });
    expect(roundCents('4.125')).toEqual({ cents: 413, rounded: true, text: '4.125' });
    expect(roundCents('-4.125')).toEqual({ cents: -413, rounded: true, text: '-4.125' });
    expect(roundCents('4.1249')).toMatchObject({ cents: 412, rounded: true });
    expect(roundCents('4.1200')).toMatchObject({ cents: 412, rounded: false });
    expect(roundCents('0.995')).toMatchObject({ cents: 100, rounded: true });
    expect(roundCents('7')).toMatchObject({ cents: 700, rounded: false });
  });

  it('keeps a rounded purchase price as sent beside the rounded cents', () => {
    const read = productSchema.parse({ ...product, purchase_price: '4.1234' });
    expect(read.purchase_price).toBe(412);
    expect(read.purchase_price_rounded_from).toBe('4.1234');
    const plain = productSchema.parse({ ...product, purchase_price: 4.12 });
    expect(plain.purchase_price).toBe(412);
    expect(plain.purchase_price_rounded_from).toBeUndefined();
  });

  it('reads quantities given as text', () => {
    expect(productSchema.parse({ ...product, weight: '0.25' }).weight).toBe(0.25);
    expect(stockItemSchema.parse({ ...stock, quantity: '3', reserved: '0', balance: '3' })).toMatchObject({
      quantity: 3,
      reserved: 0,
      balance: 3,
    });
    expect(stockItemSchema.safeParse({ ...stock, quantity: '3.5' }).success).toBe(false);
  });
});

describe('MyCashflow empty to-one relations', () => {
  it('reads [] as no relation, for the product, its variations and an order address', () => {
    const read = productSchema.parse({
      ...product,
      stock_item: [],
      variations: [{ id: 2, product_id: 1, product_code: 'A-1-S', name: 'S', stock_item: [] }],
    });
    expect(read.stock_item).toBeNull();
    expect(read.variations?.[0]?.stock_item).toBeNull();
    const order = orderSchema.parse({
      id: 5,
      created_at: '2026-11-20T10:00:00+02:00',
      customer_information: {},
      shipping_address: [],
      subtotal: '10.00',
      total: '10.00',
      status: 'open',
    });
    expect(order.shipping_address).toBeNull();
  });

  it('still reads a present relation, and refuses a non-empty list in its place', () => {
    expect(productSchema.parse({ ...product, stock_item: stock }).stock_item?.quantity).toBe(3);
    expect(productSchema.safeParse({ ...product, stock_item: [stock] }).success).toBe(false);
  });
});

describe('MyCashflow timestamps', () => {
  it('sends the store offset without milliseconds', () => {
    expect(formatStoreTimestamp(new Date('2026-11-20T08:00:00.789Z'))).toBe('2026-11-20T10:00:00+02:00');
    expect(formatStoreTimestamp(new Date('2026-07-01T08:00:00Z'))).toBe('2026-07-01T11:00:00+03:00');
  });

  it('reads an offset, Z, or none (then Helsinki time)', () => {
    const instant = '2026-11-20T08:00:00.000Z';
    expect(parseStoreTimestamp('2026-11-20T10:00:00+02:00')?.toISOString()).toBe(instant);
    expect(parseStoreTimestamp('2026-11-20T10:00:00+0200')?.toISOString()).toBe(instant);
    expect(parseStoreTimestamp('2026-11-20T08:00:00Z')?.toISOString()).toBe(instant);
    expect(parseStoreTimestamp('2026-11-20T10:00:00')?.toISOString()).toBe(instant);
    expect(parseStoreTimestamp('2026-11-20 10:00:00')?.toISOString()).toBe(instant);
    expect(parseStoreTimestamp('2026-07-01T11:00:00')?.toISOString()).toBe('2026-07-01T08:00:00.000Z');
    expect(parseStoreTimestamp('yesterday')).toBeUndefined();
  });

  it('dates an instant by the calendar in Helsinki, whatever form came', () => {
    expect(storeDate('2025-03-14T23:30:00Z')).toBe('2025-03-15');
    expect(storeDate('2026-12-03T22:00:00.123Z')).toBe('2026-12-04');
    expect(storeDate('2025-07-01T00:30:00+03:00')).toBe('2025-07-01');
    expect(storeDate('2025-07-01T00:30:00')).toBe('2025-07-01');
    expect(storeDate('not a date')).toBeUndefined();
  });

  it('gives the schemas the instant in UTC whatever form came', () => {
    const order = (created_at: string) =>
      orderSchema.parse({
        id: 5,
        created_at,
        customer_information: {},
        subtotal: 1,
        total: 1,
        status: 'open',
      });
    expect(order('2026-11-20T10:00:00').created_at).toBe('2026-11-20T08:00:00.000Z');
    expect(order('2026-11-20T08:00:00Z').created_at).toBe('2026-11-20T08:00:00.000Z');
    expect(
      orderSchema.safeParse({
        id: 5,
        created_at: 'soon',
        customer_information: {},
        subtotal: 1,
        total: 1,
        status: 'open',
      }).success,
    ).toBe(false);
  });
});
