import { describe, expect, it } from 'vitest';
import { comparePaymentMethods } from '../../src/orders/payment-preflight.ts';

describe('payment method pre-flight', () => {
  it('finds names with no exact counterpart and near-misses by case or spacing', () => {
    const findings = comparePaymentMethods(
      ['Paytrail', 'Lasku', 'Klarna', 'mobilepay', 'Nouto  kassalla'],
      ['Paytrail', 'Lasku', 'MobilePay', 'Nouto kassalla'],
    );
    expect(findings.map((f) => [f.store, f.nearMiss])).toEqual([
      ['Klarna', undefined],
      ['mobilepay', 'MobilePay'],
      ['Nouto  kassalla', 'Nouto kassalla'],
    ]);
    expect(findings[0]!.reason).toMatch(/no counterpart in NetBaron/);
    expect(findings[1]!.reason).toMatch(/must match exactly/);
  });

  it('finds nothing when every name matches exactly', () => {
    expect(comparePaymentMethods(['Lasku'], ['Lasku', 'Paytrail'])).toEqual([]);
  });
});
