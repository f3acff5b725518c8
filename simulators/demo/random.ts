/**
 * A small seeded PRNG (mulberry32) plus a hash that derives independent streams from (seed, tag, index).
 * Deriving a stream per product and per order, instead of drawing everything from one sequence, is what
 * makes order N the same whatever was generated before it, and a larger demo extend a smaller one.
 */

/** murmur3's finaliser: spreads every input bit over the whole 32-bit word. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds safe integers (any sign, above 2^32 too) into one well-mixed 32-bit seed. */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    if (!Number.isSafeInteger(part)) throw new RangeError(`seed part ${part} is not a safe integer`);
    const low = part % 0x1_0000_0000;
    const high = Math.floor(part / 0x1_0000_0000);
    h = fmix32(Math.imul(h ^ (low >>> 0), 0x01000193) ^ fmix32(high >>> 0));
  }
  return h;
}

/** Distinct tags per purpose, so that the product stream and the order stream of one seed never coincide. */
export const STREAM = {
  slots: 1,
  product: 2,
  order: 3,
  ean: 4,
  sides: 5,
} as const;

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  static derive(seed: number, stream: number, index: number): Rng {
    return new Rng(mixSeed(seed, stream, index));
  }

  /** The next unsigned 32-bit value. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** Picks by integer weights, e.g. `[['Paytrail', 55], ['Lasku', 20]]`. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of choices) total += weight;
    let roll = this.int(0, total - 1);
    for (const [value, weight] of choices) {
      if (roll < weight) return value;
      roll -= weight;
    }
    throw new RangeError('weighted choice needs at least one positive weight');
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String(this.int(0, 9));
    return out;
  }
}
