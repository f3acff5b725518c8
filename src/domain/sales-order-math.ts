import { addCents, multiplyCents, splitGross, type Cents, type VatBasisPoints } from './money.ts';

export interface PricedRow {
  quantity: number;
  unitPriceVatIncluded: Cents;
  vatRate: VatBasisPoints;
  /** quantity × unit price, VAT included. */
  gross: Cents;
  vatAmount: Cents;
  vatExcludedAmount: Cents;
}

/**
 * NetBaron's row rule (`netbaron-ws.md` §15.7): gross = quantity × unit price; VAT = round(gross × rate ÷
 * (100 + rate)) to the cent; VAT-excluded = gross − VAT. The three always add up exactly.
 */
export function priceRow(quantity: number, unitPriceVatIncluded: Cents, vatRate: VatBasisPoints): PricedRow {
  const gross = multiplyCents(unitPriceVatIncluded, quantity);
  const { vat, net } = splitGross(gross, vatRate);
  return { quantity, unitPriceVatIncluded, vatRate, gross, vatAmount: vat, vatExcludedAmount: net };
}

export interface OrderTotals {
  vatExcluded: Cents;
  vat: Cents;
  vatIncluded: Cents;
}

/** Header totals as sums over the rows, so that they equal the rows to the cent by construction. */
export function totalsOf(
  rows: ReadonlyArray<Pick<PricedRow, 'gross' | 'vatAmount' | 'vatExcludedAmount'>>,
): OrderTotals {
  return {
    vatExcluded: addCents(...rows.map((r) => r.vatExcludedAmount)),
    vat: addCents(...rows.map((r) => r.vatAmount)),
    vatIncluded: addCents(...rows.map((r) => r.gross)),
  };
}
