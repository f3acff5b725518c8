import type { HeldStock } from './plan.ts';

/** A hold in the merchant's words: "2 returned units of VS-1000 are not yet in NetBaron." */
export function heldSentence(h: Pick<HeldStock, 'code' | 'returned'>): string {
  if (h.returned <= 0) return `Returns of ${h.code} are not yet in NetBaron.`;
  return h.returned === 1
    ? `1 returned unit of ${h.code} is not yet in NetBaron.`
    : `${h.returned} returned units of ${h.code} are not yet in NetBaron.`;
}
