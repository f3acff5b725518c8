import { describe, expect, it } from 'vitest';
import { readQuantity } from '../../src/catalog/quantity.ts';

describe('readQuantity', () => {
  it.each([
    ['17', 17],
    ['0', 0],
    ['007', 7],
    ['4.000', 4],
    [' 12 ', 12],
    ['-0', 0],
    ['-0.0', 0],
  ])('%j is the whole quantity %i, unadjusted', (text, quantity) => {
    const reading = readQuantity(text);
    expect(reading).toStrictEqual({ ok: true, quantity });
    // -0 would print as "0" but compare unequal under Object.is.
    if (reading.ok) expect(Object.is(reading.quantity, -0)).toBe(false);
  });

  it.each([
    ['2.5', 2],
    ['0.9', 0],
    ['17.001', 17],
  ])('%j is rounded down to %i', (text, quantity) => {
    expect(readQuantity(text)).toStrictEqual({ ok: true, quantity, adjusted: 'rounded-down' });
  });

  it.each(['-3', '-0.5', '-2.5', '-17'])('%j becomes 0', (text) => {
    expect(readQuantity(text)).toStrictEqual({ ok: true, quantity: 0, adjusted: 'negative-to-zero' });
  });

  it.each(['abc', '1e3', '', '2,5', '+5', '.5', '5.', '0x10', 'Infinity', 'NaN', '1 000'])(
    '%j is not a number',
    (text) => {
      expect(readQuantity(text)).toStrictEqual({
        ok: false,
        reason: `stock balance "${text}" is not a number`,
      });
    },
  );

  it('refuses a balance beyond exact integers rather than rounding it', () => {
    expect(readQuantity('9007199254740993')).toStrictEqual({
      ok: false,
      reason: 'stock balance "9007199254740993" is too large',
    });
    expect(readQuantity('9007199254740991')).toStrictEqual({ ok: true, quantity: 9007199254740991 });
  });
});
