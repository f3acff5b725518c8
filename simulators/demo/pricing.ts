import {
  addCents,
  cents,
  multiplyCents,
  splitGross,
  type Cents,
  type VatBasisPoints,
} from '../../src/domain/money.ts';
import type { Rng } from './random.ts';

/** Integer cents, so no amount ever passes through a float. */

/** `percent` % of an amount, rounded down to the cent; exact for any safe product. */
export function percentOf(amount: Cents, percent: number): Cents {
  const scaled = multiplyCents(amount, percent);
  return cents((scaled - (scaled % 100)) / 100);
}

function euros(whole: number, centsPart: number): Cents {
  return addCents(multiplyCents(cents(100), whole), cents(centsPart));
}

type Weighted<T> = readonly (readonly [T, number])[];

const SMALL_ENDINGS: Weighted<number> = [
  [90, 40],
  [50, 25],
  [95, 20],
  [45, 15],
];
const MID_STYLES: Weighted<'nine' | 'round' | 'plain'> = [
  ['nine', 70],
  ['round', 15],
  ['plain', 15],
];
const MID_ENDINGS: Weighted<number> = [
  [90, 70],
  [50, 15],
  [95, 15],
];
const LARGE_LAST_DIGITS: Weighted<number> = [
  [9, 70],
  [5, 20],
  [4, 10],
];
const LARGE_ENDINGS: Weighted<number> = [
  [0, 70],
  [90, 30],
];

/**
 * A shelf price between the bounds with a retail ending: small items at 4.50 or 2.95, mid-range at
 * 19.90, 24.95 or 25.00, big ones at 129.00 or 249.90. Cheap prices are drawn more often than dear ones.
 */
export function retailPrice(rng: Rng, minEuros: number, maxEuros: number): Cents {
  const u = rng.float();
  const whole = minEuros + Math.floor((maxEuros - minEuros + 1) * u * u);
  if (whole < 10) return euros(Math.max(1, whole), rng.weighted(SMALL_ENDINGS));
  if (whole < 100) {
    const style = rng.weighted(MID_STYLES);
    if (style === 'round') return euros(Math.max(10, whole - (whole % 5)), 0);
    const shelf = style === 'nine' ? whole - (whole % 5) + 4 : whole;
    return euros(shelf, rng.weighted(MID_ENDINGS));
  }
  return euros(whole - (whole % 10) + rng.weighted(LARGE_LAST_DIGITS), rng.weighted(LARGE_ENDINGS));
}

/** A purchase price (net of VAT) that is `margin` % of the selling price's net part, never zero. */
export function purchasePrice(price: Cents, rate: VatBasisPoints, percent: number): Cents {
  const net = splitGross(price, rate).net;
  const purchase = percentOf(net, percent);
  return purchase > 0 ? purchase : cents(1);
}

/** The earlier shelf price of a product NetBaron has since re-priced: a step away, still a retail price. */
export function earlierPrice(rng: Rng, price: Cents): Cents {
  const step = price >= 10000 ? rng.pick([-1000, 1000, -2000]) : rng.pick([-100, 100, 200, -50, 500]);
  const earlier = addCents(price, cents(step));
  return earlier > 0 ? earlier : addCents(price, cents(100));
}

/** Weight in kilograms with at most three decimals, built from its text so no float rounding shows. */
export function gramsToKilograms(grams: number): number {
  const whole = Math.trunc(grams / 1000);
  const rest = grams % 1000;
  return Number(`${whole}.${String(rest).padStart(3, '0')}`);
}
