import { describe, expect, it } from 'vitest';
import { cents, vatRateFromNumber } from '../../src/domain/money.ts';
import { computeTaxSummary } from '../../simulators/mycashflow/tax-summary.ts';

const r = vatRateFromNumber;

describe('MyCashflow simulator tax_summary', () => {
  it('splits each rate once, rounding VAT half away from zero', () => {
    // 0.02 × 25.5 / 125.5 = 0.004063… → 0.00; 2.51 × 25.5 / 125.5 = 0.51 exactly.
    const summary = computeTaxSummary({
      lines: [
        { gross: cents(251), rate: r(25.5) },
        { gross: cents(2), rate: r(25.5) },
      ],
      discount: cents(0),
      shippingCosts: cents(0),
      shippingRate: r(25.5),
      paymentCosts: cents(0),
      paymentRate: r(25.5),
    });
    expect(summary.subtotal).toEqual([{ rate: 2550, total: 253, tax: 51, net: 202 }]);
    expect(summary.total).toEqual(summary.subtotal);
    expect(summary.discount).toEqual([]);
  });

  it('spreads a discount over the rates in whole cents that add up exactly', () => {
    const summary = computeTaxSummary({
      lines: [
        { gross: cents(100), rate: r(25.5) },
        { gross: cents(100), rate: r(14) },
        { gross: cents(100), rate: r(10) },
      ],
      discount: cents(100),
      shippingCosts: cents(0),
      shippingRate: r(25.5),
      paymentCosts: cents(0),
      paymentRate: r(25.5),
    });
    expect(summary.discount.map((row) => row.total)).toEqual([34, 33, 33]);
    expect(summary.total.reduce((sum, row) => sum + row.total, 0)).toBe(200);
    for (const row of [...summary.subtotal, ...summary.discount, ...summary.total])
      expect(row.tax + row.net).toBe(row.total);
  });

  it('puts a discount on the highest rate when nothing positive weighs it, and keeps return rows negative', () => {
    const summary = computeTaxSummary({
      lines: [{ gross: cents(-1234), rate: r(24) }],
      discount: cents(500),
      shippingCosts: cents(590),
      shippingRate: r(25.5),
      paymentCosts: cents(0),
      paymentRate: r(25.5),
    });
    // −12.34 × 24 / 124 = −2.388… → −2.39
    expect(summary.subtotal).toEqual([{ rate: 2400, total: -1234, tax: -239, net: -995 }]);
    expect(summary.discount).toEqual([{ rate: 2400, total: 500, tax: 97, net: 403 }]);
    expect(summary.total).toEqual([
      { rate: 2550, total: 590, tax: 120, net: 470 },
      { rate: 2400, total: -1734, tax: -336, net: -1398 },
    ]);
  });
});
