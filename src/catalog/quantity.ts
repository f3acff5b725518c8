/**
 * NetBaron's stock balance as a whole number for MyCashflow, whose `quantity` is an integer. A
 * fractional balance is rounded down and a negative one becomes 0 (`netbaron-ws.md` §15.11); both are
 * reported, never silently changed.
 */
export type QuantityReading =
  | { ok: true; quantity: number; adjusted?: 'rounded-down' | 'negative-to-zero' }
  | { ok: false; reason: string };

export function readQuantity(text: string): QuantityReading {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return { ok: false, reason: `stock balance "${text}" is not a number` };
  const [, sign, whole, frac = ''] = m;
  const value = Number(whole);
  if (!Number.isSafeInteger(value)) return { ok: false, reason: `stock balance "${text}" is too large` };
  const fractional = /[1-9]/.test(frac);
  if (sign === '-' && (value > 0 || fractional))
    return { ok: true, quantity: 0, adjusted: 'negative-to-zero' };
  if (fractional) return { ok: true, quantity: value, adjusted: 'rounded-down' };
  return { ok: true, quantity: value };
}
