import { z } from 'zod';

/*
 * How values are spelled on NetBaron's wire, in one place. The reference writes flags as TRUE/FALSE
 * (one page lower-case) and leaves the decimal separator unconfirmed (`netbaron-ws.md` §4, §10), so
 * what we send is settable per connection and what we read is tolerant.
 */

export const booleanSpellingSchema = z.enum(['upper', 'lower']);
export const decimalSeparatorSchema = z.enum(['.', ',']);

export const nbWireFormatSchema = z.object({
  /** `upper` sends the documented TRUE/FALSE; `lower` sends true/false for a server that wants it. */
  booleanSpelling: booleanSpellingSchema.default('upper'),
  decimalSeparator: decimalSeparatorSchema.default('.'),
});
export type NbWireFormat = z.output<typeof nbWireFormatSchema>;

export const DEFAULT_WIRE_FORMAT: NbWireFormat = { booleanSpelling: 'upper', decimalSeparator: '.' };

export function formatFlag(value: boolean, format: NbWireFormat): string {
  const text = value ? 'true' : 'false';
  return format.booleanSpelling === 'upper' ? text.toUpperCase() : text;
}

/** A decimal text we produced with a dot (`24.90`, `25.5`, `3`), spelled with the connection's separator. */
export function formatDecimal(dotText: string, format: NbWireFormat): string {
  if (!/^-?\d+(\.\d+)?$/.test(dotText)) throw new Error(`"${dotText}" is not a decimal number`);
  return format.decimalSeparator === '.' ? dotText : dotText.replace('.', format.decimalSeparator);
}

/** A boolean NetBaron sent: true/false in any case, or 1/0; anything else is undefined (not a boolean). */
export function readFlag(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return undefined;
}

/**
 * A decimal NetBaron sent, with a dot or, as Finvoice writes them, a comma (`24,90`): the comma form
 * is read as the dot form. Only a single comma between digits; anything else is left for the schema
 * to refuse (a thousands separator would be ambiguous).
 */
export function readDecimalText(text: string): string {
  const t = text.trim();
  return /^-?\d+,\d+$/.test(t) ? t.replace(',', '.') : text;
}

/** The zod form of `readFlag`, for the schemas of answers. */
export const wireBooleanSchema = z.string().transform((value, ctx) => {
  const flag = readFlag(value);
  if (flag === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a boolean (true/false or 1/0)` });
    return z.NEVER;
  }
  return flag;
});
