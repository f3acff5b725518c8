import { describe, expect, it } from 'vitest';
import { cents, parseCents, parseVatRate, type Cents } from '../../src/domain/money.ts';
import {
  businessIdCheckDigit,
  ean13CheckDigit,
  isValidBusinessId,
  isValidEan13,
} from '../../simulators/demo/check-digits.ts';
import { percentOf, retailPrice } from '../../simulators/demo/pricing.ts';
import { mixSeed, Rng } from '../../simulators/demo/random.ts';
import { taxSummary } from '../../simulators/demo/tax-summary.ts';

const c = (text: string): Cents => parseCents(text);

describe('check digits', () => {
  it('computes EAN-13 check digits of published barcodes', () => {
    expect(ean13CheckDigit('400638133393')).toBe(1);
    expect(isValidEan13('4006381333931')).toBe(true);
    expect(isValidEan13('4006381333932')).toBe(false);
    expect(isValidEan13('640123456789')).toBe(false);
  });

  it('computes Finnish Business ID check digits and knows the stems without one', () => {
    expect(businessIdCheckDigit('0112038')).toBe(9);
    expect(isValidBusinessId('0112038-9')).toBe(true);
    expect(isValidBusinessId('0112038-8')).toBe(false);
    // Weights 7, 9, 10, 5, 8, 4, 2: 1000001 sums to 9 → 11 − 9 = 2; 0000008 to 16 → remainder 5 → 6.
    expect(businessIdCheckDigit('1000001')).toBe(2);
    expect(businessIdCheckDigit('0000008')).toBe(6);
    // 0000030 sums to 12, remainder 1: no Business ID is issued with that stem.
    expect(businessIdCheckDigit('0000030')).toBeNull();
  });
});

describe('seeded randomness', () => {
  it('repeats a sequence for a seed and differs between seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c2 = new Rng(43);
    const seqA = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 8 }, () => c2.nextUint32())).not.toEqual(seqA);
  });

  it('derives distinct streams from large and negative seeds alike', () => {
    expect(mixSeed(1, 2, 3)).not.toBe(mixSeed(1, 3, 2));
    expect(mixSeed(2 ** 40)).not.toBe(mixSeed(0));
    expect(mixSeed(-5)).not.toBe(mixSeed(5));
    expect(() => mixSeed(1.5)).toThrow(RangeError);
  });

  it('keeps int() within its bounds', () => {
    const rng = new Rng(7);
    for (let i = 0; i < 2000; i++) {
      const v = rng.int(3, 5);
      expect(v >= 3 && v <= 5).toBe(true);
    }
  });
});

describe('prices', () => {
  it('produces retail endings within the bounds', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 2000; i++) {
      const price = retailPrice(rng, 1, 899);
      expect(price).toBeGreaterThanOrEqual(100);
      expect(Number.isSafeInteger(price)).toBe(true);
      expect([0, 45, 50, 90, 95]).toContain(price % 100);
    }
  });

  it('takes a percentage in whole cents, rounding down', () => {
    expect(percentOf(c('19.99'), 10)).toBe(199);
    expect(percentOf(c('0.09'), 50)).toBe(4);
  });
});

describe('taxSummary', () => {
  it('splits a mixed 25.5 / 14 / 10 % order with shipping, an invoice fee and a discount', () => {
    const summary = taxSummary({
      lines: [
        { gross: c('49.80'), rate: parseVatRate('25.5') },
        { gross: c('7.90'), rate: parseVatRate('14') },
        { gross: c('24.90'), rate: parseVatRate('10') },
        { gross: c('4.50'), rate: parseVatRate('14') },
      ],
      shippingCosts: c('5.90'),
      paymentCosts: c('2.90'),
      discount: c('5.00'),
      costRate: parseVatRate('25.5'),
    });
    expect(summary.subtotal).toEqual([
      // 49.80 × 25.5 / 125.5 = 10.119… → 10.12
      { tax_rate: 25.5, total: 49.8, total_tax: 10.12, total_without_tax: 39.68 },
      // 12.40 × 14 / 114 = 1.5228… → 1.52
      { tax_rate: 14, total: 12.4, total_tax: 1.52, total_without_tax: 10.88 },
      // 24.90 × 10 / 110 = 2.2636… → 2.26
      { tax_rate: 10, total: 24.9, total_tax: 2.26, total_without_tax: 22.64 },
    ]);
    // 5.00 over 49.80 / 12.40 / 24.90 (of 87.10): 2.858… / 0.711… / 1.429… → 2.85 + 0.71 + 1.42 = 4.98,
    // the two cents left go to the largest remainders (25.5 %: .858, 10 %: .429).
    expect(summary.discount).toEqual([
      { tax_rate: 25.5, total: 2.86, total_tax: 0.58, total_without_tax: 2.28 },
      { tax_rate: 14, total: 0.71, total_tax: 0.09, total_without_tax: 0.62 },
      { tax_rate: 10, total: 1.43, total_tax: 0.13, total_without_tax: 1.3 },
    ]);
    expect(summary.shipping_costs).toEqual([
      { tax_rate: 25.5, total: 5.9, total_tax: 1.2, total_without_tax: 4.7 },
    ]);
    expect(summary.payment_costs).toEqual([
      { tax_rate: 25.5, total: 2.9, total_tax: 0.59, total_without_tax: 2.31 },
    ]);
    expect(summary.total).toEqual([
      // 49.80 + 5.90 + 2.90 − 2.86; tax 10.12 + 1.20 + 0.59 − 0.58
      { tax_rate: 25.5, total: 55.74, total_tax: 11.33, total_without_tax: 44.41 },
      { tax_rate: 14, total: 11.69, total_tax: 1.43, total_without_tax: 10.26 },
      { tax_rate: 10, total: 23.47, total_tax: 2.13, total_without_tax: 21.34 },
    ]);
  });

  it('leaves empty lists for costs and discount that are zero', () => {
    const summary = taxSummary({
      lines: [{ gross: c('19.90'), rate: parseVatRate('14') }],
      shippingCosts: cents(0),
      paymentCosts: cents(0),
      discount: cents(0),
      costRate: parseVatRate('25.5'),
    });
    expect(summary.discount).toEqual([]);
    expect(summary.shipping_costs).toEqual([]);
    expect(summary.payment_costs).toEqual([]);
    expect(summary.total).toEqual(summary.subtotal);
  });
});
