import { describe, expect, it } from 'vitest';
import {
  centsFromNumber,
  formatCents,
  formatVatRate,
  MoneyFormatError,
  parseCents,
  parseVatRate,
  splitGross,
  vatRateFromNumber,
} from '../../src/domain/money.ts';

describe('money', () => {
  it('reads decimal text exactly', () => {
    expect(parseCents('24.90')).toBe(2490);
    expect(parseCents('24.9')).toBe(2490);
    expect(parseCents('0.07')).toBe(7);
    expect(parseCents('-3.5')).toBe(-350);
    expect(parseCents('1000000')).toBe(100000000);
    expect(parseCents('19.900')).toBe(1990);
  });

  it('refuses commas, extra decimals and garbage', () => {
    expect(() => parseCents('24,90')).toThrow(MoneyFormatError);
    expect(() => parseCents('24.905')).toThrow(/more than 2 decimals/);
    expect(() => parseCents('abc')).toThrow(MoneyFormatError);
    expect(() => parseCents('')).toThrow(MoneyFormatError);
  });

  it('reads JSON numbers through their exact text, not by multiplying floats', () => {
    // 0.1 + 0.2 style traps: 1.15 * 100 is 114.99999999999999 in floating point.
    expect(centsFromNumber(1.15)).toBe(115);
    expect(centsFromNumber(19.9)).toBe(1990);
    expect(centsFromNumber(4.35)).toBe(435);
    expect(() => centsFromNumber(0.1 + 0.2)).toThrow(MoneyFormatError);
    expect(() => centsFromNumber(Number.NaN)).toThrow(MoneyFormatError);
  });

  it('formats cents', () => {
    expect(formatCents(parseCents('5.9'))).toBe('5.90');
    expect(formatCents(parseCents('-0.59'))).toBe('-0.59');
    expect(formatCents(parseCents('0'))).toBe('0.00');
  });

  it('keeps VAT rates with decimals', () => {
    expect(parseVatRate('25.5')).toBe(2550);
    expect(vatRateFromNumber(25.5)).toBe(2550);
    expect(formatVatRate(parseVatRate('25.5'))).toBe('25.5');
    expect(formatVatRate(parseVatRate('14'))).toBe('14');
    expect(formatVatRate(parseVatRate('0'))).toBe('0');
    expect(() => parseVatRate('100')).toThrow(MoneyFormatError);
  });

  it('splits 25.5 % VAT to the cent as in the reference example', () => {
    // netbaron-ws.md §15.7: 2 × 24.90 at 25.5 % → VAT 10.12, net 39.68.
    const row = splitGross(parseCents('49.80'), parseVatRate('25.5'));
    expect(formatCents(row.vat)).toBe('10.12');
    expect(formatCents(row.net)).toBe('39.68');
    const shipping = splitGross(parseCents('5.90'), parseVatRate('25.5'));
    expect([formatCents(shipping.vat), formatCents(shipping.net)]).toEqual(['1.20', '4.70']);
    const fee = splitGross(parseCents('2.90'), parseVatRate('25.5'));
    expect([formatCents(fee.vat), formatCents(fee.net)]).toEqual(['0.59', '2.31']);
  });

  it('rounds half away from zero, also for negative rows', () => {
    // 10.00 at 25.5 %: 10 × 25.5 / 125.5 = 2.0318… → 2.03
    expect(splitGross(parseCents('10.00'), parseVatRate('25.5')).vat).toBe(203);
    expect(splitGross(parseCents('-10.00'), parseVatRate('25.5')).vat).toBe(-203);
    // 0.21 at 10 %: 0.21 × 10 / 110 = 0.0190… → 0.02; net 0.19
    expect(splitGross(parseCents('0.21'), parseVatRate('10'))).toEqual({ gross: 21, vat: 2, net: 19 });
  });

  it('always gives net + VAT = gross', () => {
    for (const rate of ['25.5', '24', '14', '10', '0']) {
      for (let gross = -500; gross <= 5000; gross += 7) {
        const s = splitGross(gross as never, parseVatRate(rate));
        expect(s.net + s.vat).toBe(gross);
      }
    }
  });
});
