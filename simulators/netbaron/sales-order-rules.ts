import {
  formatCents,
  formatVatRate,
  MoneyFormatError,
  parseCents,
  parseVatRate,
  splitGross,
  type Cents,
  type VatBasisPoints,
} from '../../src/domain/money.ts';
import { NbError, validationError } from './errors.ts';
import type { OrderJson } from './sales-order-document.ts';

/** What the checks need to know about the register. */
export interface OrderContext {
  isKnownArticle(code: string): boolean;
  paymentMethods: readonly string[];
}

interface Row {
  name: string;
  quantity: number;
  unit: Cents;
  rate: VatBasisPoints;
  vat: Cents;
  net: Cents;
  article: string;
}

const fmt = (amount: Cents | number): string => formatCents(amount as Cents);

/**
 * Finvoice writes a decimal comma (`110,00`) and NetBaron's choice is not documented (§10), so either
 * separator is read; the model's own documents use a dot.
 */
const dotted = (value: string): string => (/^\s*-?\d+,\d+\s*$/.test(value) ? value.replace(',', '.') : value);

function money(value: string, where: string): Cents {
  try {
    return parseCents(dotted(value));
  } catch (err) {
    if (!(err instanceof MoneyFormatError)) throw err;
    throw validationError(`${where} "${value}" is not an amount: write at most two decimals, e.g. 24.90.`);
  }
}

function vatRate(value: string, where: string): VatBasisPoints {
  try {
    return parseVatRate(dotted(value));
  } catch (err) {
    if (!(err instanceof MoneyFormatError)) throw err;
    throw validationError(`${where} "${value}" is not a VAT percentage, such as 25.5.`);
  }
}

/** Whole pieces only: fractions would leave the row's VAT-included amount between two cents. */
function quantity(value: string, where: string): number {
  const m = /^\s*(\d+)(?:[.,]0+)?\s*$/.exec(value);
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw validationError(`${where} "${value}" must be a whole number of at least 1.`);
  }
  return n;
}

function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function readRow(row: OrderJson, name: string): Row {
  const v = (element: string): string => row[element] as string;
  const at = (element: string): string => `${name}/${element}`;
  return {
    name,
    quantity: quantity(v('OrderedQuantity'), at('OrderedQuantity')),
    unit: money(v('UnitPriceVatIncludedAmount'), at('UnitPriceVatIncludedAmount')),
    rate: vatRate(v('RowVatRatePercent'), at('RowVatRatePercent')),
    vat: money(v('RowVatAmount'), at('RowVatAmount')),
    net: money(v('RowVatExcludedAmount'), at('RowVatExcludedAmount')),
    article: v('ArticleIdentifier'),
  };
}

/** Each row must add up to the cent, with VAT rounded half away from zero from the row's gross amount. */
function checkRow(r: Row): Cents {
  const gross = (r.unit * r.quantity) as Cents;
  if (!Number.isSafeInteger(gross)) throw validationError(`${r.name}: the row amount is too large.`);
  if (r.net + r.vat !== gross) {
    throw validationError(
      `${r.name}: RowVatExcludedAmount ${fmt(r.net)} + RowVatAmount ${fmt(r.vat)} = ${fmt(r.net + r.vat)}, ` +
        `but OrderedQuantity ${r.quantity} × UnitPriceVatIncludedAmount ${fmt(r.unit)} = ${fmt(gross)}.`,
    );
  }
  const expected = splitGross(gross, r.rate).vat;
  if (r.vat !== expected) {
    throw validationError(
      `${r.name}: RowVatAmount ${fmt(r.vat)} is not the ${formatVatRate(r.rate)} % VAT contained in the row amount ` +
        `${fmt(gross)}; it is ${fmt(expected)} (rounded half away from zero), and RowVatExcludedAmount ${fmt(gross - expected)}.`,
    );
  }
  return gross;
}

function checkTotal(element: string, given: Cents, expected: number, what: string): void {
  if (given !== expected) {
    throw validationError(
      `InvoiceDetails/${element} ${fmt(given)} does not equal ${what} (${fmt(expected)}).`,
    );
  }
}

/**
 * The business checks of a structurally valid order, in the order a client is most helped by: formats,
 * row sums, header totals, row identifiers, article codes, and finally the payment method.
 */
export function checkSalesOrder(order: OrderJson, context: OrderContext): void {
  const details = order.InvoiceDetails as OrderJson;
  const orderDate = details.OrderDate as string;
  if (!isCalendarDate(orderDate)) {
    throw validationError(
      `SalesOrder/InvoiceDetails/OrderDate "${orderDate}" is not a date written YYYY-MM-DD.`,
    );
  }
  const totalExcluded = money(
    details.InvoiceTotalVatExcludedAmount as string,
    'InvoiceDetails/InvoiceTotalVatExcludedAmount',
  );
  const totalVat = money(details.InvoiceTotalVatAmount as string, 'InvoiceDetails/InvoiceTotalVatAmount');
  const totalIncluded = money(
    details.InvoiceTotalVatIncludedAmount as string,
    'InvoiceDetails/InvoiceTotalVatIncludedAmount',
  );

  const rowsJson = order.InvoiceRow as OrderJson[];
  const rows = rowsJson.map((row, i) =>
    readRow(row, `InvoiceRow[${i + 1}] "${row.ExternalRowIdentifier as string}"`),
  );
  let sumNet = 0;
  let sumVat = 0;
  let sumGross = 0;
  for (const r of rows) {
    sumGross += checkRow(r);
    sumNet += r.net;
    sumVat += r.vat;
  }
  checkTotal(
    'InvoiceTotalVatExcludedAmount',
    totalExcluded,
    sumNet,
    'the sum of RowVatExcludedAmount over the rows',
  );
  checkTotal('InvoiceTotalVatAmount', totalVat, sumVat, 'the sum of RowVatAmount over the rows');
  checkTotal(
    'InvoiceTotalVatIncludedAmount',
    totalIncluded,
    sumGross,
    'the sum of the rows\u2019 VAT-included amounts',
  );
  checkTotal(
    'InvoiceTotalVatIncludedAmount',
    totalIncluded,
    totalExcluded + totalVat,
    'InvoiceTotalVatExcludedAmount + InvoiceTotalVatAmount',
  );

  const seen = new Set<string>();
  for (const row of rowsJson) {
    const id = row.ExternalRowIdentifier as string;
    if (seen.has(id))
      throw validationError(`ExternalRowIdentifier "${id}" is used by more than one InvoiceRow.`);
    seen.add(id);
  }
  for (const r of rows) {
    if (!context.isKnownArticle(r.article)) {
      throw validationError(
        `${r.name}: ArticleIdentifier "${r.article}" is neither a product code in the register nor a service article.`,
      );
    }
  }
  const method = (order.PaymentStatusDetails as OrderJson).PaymentMethodText as string;
  if (!context.paymentMethods.includes(method)) {
    throw new NbError(
      422,
      'UNKNOWN_PAYMENT_METHOD',
      `Payment method "${method}" does not exist in NetBaron.`,
    );
  }
}
