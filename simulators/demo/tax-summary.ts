import { centsToNumber, vatRateToNumber, type Cents, type VatBasisPoints } from '../../src/domain/money.ts';
import { computeTaxSummary } from '../mycashflow/tax-summary.ts';
import type { TaxRow } from '../mycashflow/model.ts';
import type { McfTaxRow, McfTaxSummary } from './state-types.ts';

/*
 * The demo writes the same `tax_summary` that the MyCashflow simulator computes for an order without
 * one, by calling the simulator's own rule: one rule, so the two cannot drift apart. Conventions are
 * documented there (discount positive and subtracted, split over the rates in proportion, highest
 * rate first, zero costs give empty lists).
 */

export interface TaxedLine {
  gross: Cents;
  rate: VatBasisPoints;
}

export interface TaxInput {
  lines: readonly TaxedLine[];
  shippingCosts: Cents;
  paymentCosts: Cents;
  discount: Cents;
  costRate: VatBasisPoints;
}

function toJson(row: TaxRow): McfTaxRow {
  return {
    tax_rate: vatRateToNumber(row.rate),
    total: centsToNumber(row.total),
    total_tax: centsToNumber(row.tax),
    total_without_tax: centsToNumber(row.net),
  };
}

export function taxSummary(input: TaxInput): McfTaxSummary {
  const s = computeTaxSummary({
    lines: input.lines,
    discount: input.discount,
    shippingCosts: input.shippingCosts,
    shippingRate: input.costRate,
    paymentCosts: input.paymentCosts,
    paymentRate: input.costRate,
  });
  return {
    subtotal: s.subtotal.map(toJson),
    discount: s.discount.map(toJson),
    shipping_costs: s.shipping_costs.map(toJson),
    payment_costs: s.payment_costs.map(toJson),
    total: s.total.map(toJson),
  };
}
