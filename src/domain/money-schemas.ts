import { z } from 'zod';
import {
  decimalText,
  parseCents,
  roundCents,
  type RoundedCents,
  parseVatRate,
  type Cents,
  type VatBasisPoints,
} from './money.ts';

/*
 * MyCashflow's numbers may arrive as JSON numbers or as decimal text ("24.90", "25.5"), as public
 * clients of the API show; either is read from its exact decimal text, never through float arithmetic.
 */
const jsonDecimal = z.union([z.number(), z.string()]);

/** Euros with at most two decimals (trailing zeros aside), as a JSON number or decimal text, into cents. */
export const jsonMoneySchema = jsonDecimal.transform((value, ctx): Cents => {
  try {
    return parseCents(decimalText(value, 'amount'));
  } catch (err) {
    ctx.addIssue((err as Error).message);
    return z.NEVER;
  }
});

/** Euros of any precision (a purchase price of 4.1234), rounded to the cent half away from zero. */
export const jsonRoundedMoneySchema = jsonDecimal.transform((value, ctx): RoundedCents => {
  try {
    return roundCents(decimalText(value, 'amount'));
  } catch (err) {
    ctx.addIssue((err as Error).message);
    return z.NEVER;
  }
});

/** A VAT percentage (`25.5` or `"25.5"`), read into basis points. */
export const jsonVatRateSchema = jsonDecimal.transform((value, ctx): VatBasisPoints => {
  try {
    return parseVatRate(decimalText(value, 'VAT rate'));
  } catch (err) {
    ctx.addIssue((err as Error).message);
    return z.NEVER;
  }
});

/** Decimal text with a dot (`24.90`), as NetBaron writes money. */
export const decimalMoneySchema = z.string().transform((value, ctx): Cents => {
  try {
    return parseCents(value);
  } catch (err) {
    ctx.addIssue((err as Error).message);
    return z.NEVER;
  }
});

export const decimalVatRateSchema = z.string().transform((value, ctx): VatBasisPoints => {
  try {
    return parseVatRate(value);
  } catch (err) {
    ctx.addIssue((err as Error).message);
    return z.NEVER;
  }
});
