/**
 * Money as integer cents and VAT rates as integer hundredths of a percent, so that no amount ever
 * passes through floating-point arithmetic. Both remote systems send decimals (JSON numbers on the
 * MyCashflow side, decimal text in NetBaron's XML); each is read from its exact decimal text.
 */

declare const centsBrand: unique symbol;
/** An amount in euro cents (an integer; negative for discounts and refunds). */
export type Cents = number & { readonly [centsBrand]: true };

declare const rateBrand: unique symbol;
/** A VAT rate in hundredths of a percent: 25.5 % is 2550, 14 % is 1400. */
export type VatBasisPoints = number & { readonly [rateBrand]: true };

export class MoneyFormatError extends Error {
  override name = 'MoneyFormatError';
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** The text as a message quotes it: short, since text from a remote system may be of any length. */
function quoted(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** Reads decimal text into an integer scaled by 10^scale; rejects more decimals than the scale allows. */
function parseScaled(text: string, scale: number, what: string): number {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new MoneyFormatError(`${what} ${quoted(text)} is not a decimal number with a dot`);
  const [, sign, whole, frac = ''] = m;
  if (frac.length > scale && !/^0*$/.test(frac.slice(scale))) {
    throw new MoneyFormatError(`${what} ${quoted(text)} has more than ${scale} decimals`);
  }
  const digits = `${whole}${frac.slice(0, scale).padEnd(scale, '0')}`.replace(/^0+(?=\d)/, '');
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) throw new MoneyFormatError(`${what} ${quoted(text)} is too large`);
  return sign === '-' && value !== 0 ? -value : value;
}

/** The shortest text that round-trips a JSON number: exact for any value written with two decimals. */
function numberText(value: number, what: string): string {
  if (!Number.isFinite(value)) throw new MoneyFormatError(`${what} ${value} is not a finite number`);
  const text = String(value);
  if (/e/i.test(text)) {
    // 1e-7 or 1e21: either far below a cent or far beyond any price; refuse rather than guess.
    throw new MoneyFormatError(`${what} ${text} is out of range`);
  }
  return text;
}

export function parseCents(text: string): Cents {
  return parseScaled(text, 2, 'amount') as Cents;
}

export function centsFromNumber(value: number): Cents {
  return parseScaled(numberText(value, 'amount'), 2, 'amount') as Cents;
}

export function cents(value: number): Cents {
  if (!Number.isSafeInteger(value)) throw new MoneyFormatError(`${value} is not a whole number of cents`);
  return value as Cents;
}

export function formatCents(amount: Cents): string {
  const negative = amount < 0;
  const abs = Math.abs(amount);
  const whole = Math.trunc(abs / 100);
  const frac = String(abs % 100).padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

/** For JSON bodies: the number whose shortest text is the exact decimal amount. */
export function centsToNumber(amount: Cents): number {
  return Number(formatCents(amount));
}

export function parseVatRate(text: string): VatBasisPoints {
  const value = parseScaled(text, 2, 'VAT rate');
  if (value < 0 || value >= 10000)
    throw new MoneyFormatError(`VAT rate ${quoted(text)} is not a percentage below 100`);
  return value as VatBasisPoints;
}

export function vatRateFromNumber(value: number): VatBasisPoints {
  return parseVatRate(numberText(value, 'VAT rate'));
}

export function formatVatRate(rate: VatBasisPoints): string {
  const whole = Math.trunc(rate / 100);
  const frac = rate % 100;
  if (frac === 0) return String(whole);
  return `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
}

export function vatRateToNumber(rate: VatBasisPoints): number {
  return Number(formatVatRate(rate));
}

/** Integer division rounded half away from zero, done in BigInt so that no product can lose digits. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (2n * n + d) / (2n * d);
  return negative ? -q : q;
}

export function addCents(...amounts: Cents[]): Cents {
  let total = 0;
  for (const a of amounts) total += a;
  return cents(total);
}

export function multiplyCents(unit: Cents, quantity: number): Cents {
  if (!Number.isSafeInteger(quantity))
    throw new MoneyFormatError(`quantity ${quantity} is not a whole number`);
  return cents(unit * quantity);
}

export interface VatSplit {
  gross: Cents;
  vat: Cents;
  net: Cents;
}

/**
 * Splits a VAT-inclusive amount: VAT = round(gross × rate ÷ (100 + rate)) to the cent, half away from
 * zero; net = gross − VAT. So net + VAT equals gross exactly, as NetBaron's row rule requires.
 */
export function splitGross(gross: Cents, rate: VatBasisPoints): VatSplit {
  const vat = Number(divideRounded(BigInt(gross) * BigInt(rate), BigInt(10000 + rate)));
  return { gross, vat: cents(vat), net: cents(gross - vat) };
}

export interface RoundedCents {
  cents: Cents;
  /** The text had digits below a cent that were not zero: the amount is not what was sent. */
  rounded: boolean;
  /** The decimal text as it arrived. */
  text: string;
}

/** Decimal text of any precision to cents, half away from zero, saying whether rounding changed it. */
export function roundCents(text: string): RoundedCents {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new MoneyFormatError(`amount ${quoted(text)} is not a decimal number with a dot`);
  const [, sign, whole, frac = ''] = m;
  const rest = frac.slice(2);
  const up = rest.length > 0 && rest.charCodeAt(0) >= 53; // '5'…'9': half or more of a cent
  const base = parseScaled(`${whole}.${frac.slice(0, 2) || '0'}`, 2, 'amount');
  const value = base + (up ? 1 : 0);
  if (!Number.isSafeInteger(value)) throw new MoneyFormatError(`amount ${quoted(text)} is too large`);
  return {
    cents: (sign === '-' && value !== 0 ? -value : value) as Cents,
    rounded: !/^0*$/.test(rest),
    text,
  };
}

/** A JSON number's exact decimal text, or decimal text as given: how either may arrive. */
export function decimalText(value: number | string, what: string): string {
  return typeof value === 'number' ? numberText(value, what) : value;
}
