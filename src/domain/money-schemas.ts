import { z } from 'zod';
import {
  centsFromNumber,
  parseCents,
  parseVatRate,
  vatRateFromNumber,
  type Cents,
  type VatBasisPoints,
} from './money.ts';

/** A JSON number holding euros with at most two decimals, read into exact cents. */
export const jsonMoneySchema = z.number().transform((value, ctx): Cents => {
  try {
    return centsFromNumber(value);
  } catch (err) {
    ctx.addIssue((err as Error).message);
    return z.NEVER;
  }
});

/** A JSON number holding a VAT percentage (`25.5`), read into basis points. */
export const jsonVatRateSchema = z.number().transform((value, ctx): VatBasisPoints => {
  try {
    return vatRateFromNumber(value);
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
