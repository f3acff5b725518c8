import { centsFromNumber, formatCents } from '../../src/domain/money.ts';

/**
 * The plain decimal text of a JSON number: the shortest text that reads back as the same number, with
 * a dot and never in exponent notation (`1e-7` becomes `0.0000001`), because the wire has no exponents.
 */
export function decimalText(value: number): string {
  const text = String(value);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const [, sign = '', whole = '', frac = '', exp = '0'] = m;
  const digits = whole + frac;
  const point = whole.length + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Money on the wire always has two decimals (`24.90`); the state only admits amounts that have at most two. */
export function moneyText(value: number): string {
  return formatCents(centsFromNumber(value));
}

export function hasAtMostTwoDecimals(value: number): boolean {
  try {
    centsFromNumber(value);
    return true;
  } catch {
    return false;
  }
}
