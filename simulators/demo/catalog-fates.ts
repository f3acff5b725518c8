import { Rng, STREAM } from './random.ts';

/**
 * How one catalog product stands between the two systems, which is what gives an import real work:
 * - `synced`: in NetBaron's web marketplace and in the store, with equal prices and stock;
 * - `drifted`: as synced, but the store's price, purchase price or stock is out of date;
 * - `new`: in NetBaron's web marketplace only, for the import to create;
 * - `deleted`: deleted in NetBaron and already gone from the store;
 * - `deletedInStore`: deleted in NetBaron but still in the store, for the import to hide or delete;
 * - `b2bOnly`: in NetBaron's B2B marketplace only, which a web-store import must not touch;
 * - `storeOnly`: in the store but unknown to NetBaron: an old item the merchant has hidden in every
 *   version, so no order names a code NetBaron would refuse.
 */
export type Fate = 'synced' | 'drifted' | 'new' | 'deleted' | 'deletedInStore' | 'b2bOnly' | 'storeOnly';

/** Exact shares per hundred products, so that every demo of 100 products or more shows each case. */
const FATES_PER_HUNDRED: readonly (readonly [Fate, number])[] = [
  ['synced', 63],
  ['drifted', 7],
  ['new', 25],
  ['deleted', 1],
  ['deletedInStore', 1],
  ['b2bOnly', 1],
  ['storeOnly', 2],
];

const BLOCK: readonly Fate[] = FATES_PER_HUNDRED.flatMap(([fate, count]) => Array<Fate>(count).fill(fate));

/** Fates of consecutive products, shuffled within each block of one hundred. */
export class FateTable {
  private block = -1;
  private fates: Fate[] = [];

  constructor(private readonly seed: number) {}

  fateOf(index: number): Fate {
    const block = Math.floor(index / BLOCK.length);
    if (block !== this.block) {
      this.fates = Rng.derive(this.seed, STREAM.slots, block).shuffle([...BLOCK]);
      this.block = block;
    }
    return this.fates[index % BLOCK.length] as Fate;
  }
}
