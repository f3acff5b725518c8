import { addCents, cents, type Cents, splitGross, type VatBasisPoints } from '../../src/domain/money.ts';
import type { TaxRow, TaxSummary } from './model.ts';

export interface TaxInput {
  lines: ReadonlyArray<{ gross: Cents; rate: VatBasisPoints }>;
  discount: Cents;
  shippingCosts: Cents;
  shippingRate: VatBasisPoints;
  paymentCosts: Cents;
  paymentRate: VatBasisPoints;
}

/** Gross amounts per rate, highest rate first so the general rate leads. */
function byRate(entries: Iterable<[VatBasisPoints, Cents]>): TaxRow[] {
  const sums = new Map<VatBasisPoints, Cents>();
  for (const [rate, gross] of entries) sums.set(rate, addCents(sums.get(rate) ?? cents(0), gross));
  return [...sums]
    .sort(([a], [b]) => b - a)
    .map(([rate, gross]) => {
      const split = splitGross(gross, rate);
      return { rate, total: split.gross, tax: split.vat, net: split.net };
    });
}

/**
 * Spreads a gross discount over the subtotal's rates in proportion to each rate's gross, by the
 * largest-remainder method in integers, so the parts add up to the discount exactly. With no positive
 * subtotal to weigh by, the whole discount goes to the highest rate present (25.5 % when none).
 */
function allocateDiscount(
  discount: Cents,
  subtotal: TaxRow[],
  fallbackRate: VatBasisPoints,
): Array<[VatBasisPoints, Cents]> {
  if (discount === 0) return [];
  const weights = subtotal.filter((row) => row.total > 0);
  const weightSum = weights.reduce((sum, row) => sum + BigInt(row.total), 0n);
  if (weights.length === 0 || weightSum === 0n) return [[subtotal[0]?.rate ?? fallbackRate, discount]];
  const amount = BigInt(discount);
  const sign = amount < 0n ? -1n : 1n;
  const abs = amount * sign;
  const parts = weights.map((row) => {
    const exact = abs * BigInt(row.total);
    return { rate: row.rate, share: exact / weightSum, remainder: exact % weightSum };
  });
  let left = abs - parts.reduce((sum, p) => sum + p.share, 0n);
  for (const part of [...parts].sort((a, b) =>
    b.remainder > a.remainder ? 1 : b.remainder < a.remainder ? -1 : 0,
  )) {
    if (left === 0n) break;
    part.share += 1n;
    left -= 1n;
  }
  return parts.map((p) => [p.rate, cents(Number(p.share * sign))]);
}

/**
 * tax_summary with VAT = round(gross × rate ÷ (100 + rate)) per rate and component. The total row of a
 * rate is the column-wise sum of its components (discount subtracted), so every column adds up exactly.
 */
export function computeTaxSummary(input: TaxInput): TaxSummary {
  const subtotal = byRate(input.lines.map((l) => [l.rate, l.gross]));
  const discount = byRate(allocateDiscount(input.discount, subtotal, input.shippingRate));
  const shipping = input.shippingCosts === 0 ? [] : byRate([[input.shippingRate, input.shippingCosts]]);
  const payment = input.paymentCosts === 0 ? [] : byRate([[input.paymentRate, input.paymentCosts]]);
  return {
    subtotal,
    discount,
    shipping_costs: shipping,
    payment_costs: payment,
    total: totalRows(subtotal, discount, shipping, payment),
  };
}

function totalRows(subtotal: TaxRow[], discount: TaxRow[], shipping: TaxRow[], payment: TaxRow[]): TaxRow[] {
  const rows = new Map<VatBasisPoints, TaxRow>();
  const add = (list: TaxRow[], sign: 1 | -1): void => {
    for (const row of list) {
      const acc = rows.get(row.rate) ?? { rate: row.rate, total: cents(0), tax: cents(0), net: cents(0) };
      acc.total = cents(acc.total + sign * row.total);
      acc.tax = cents(acc.tax + sign * row.tax);
      acc.net = cents(acc.net + sign * row.net);
      rows.set(row.rate, acc);
    }
  };
  add(subtotal, 1);
  add(discount, -1);
  add(shipping, 1);
  add(payment, 1);
  return [...rows.values()].sort((a, b) => b.rate - a.rate);
}
