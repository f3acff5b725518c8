import type { ProductImportSettings } from '../config/connection-file.ts';
import { parseCents } from '../domain/money.ts';
import type { Plan } from './plan.ts';

export interface GuardVerdict {
  ok: boolean;
  /** Why the run stops, one sentence per guard that fired. */
  reasons: string[];
  removalShare: number;
  priceChangeShare: number;
  bigPriceChanges: number;
}

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;

/**
 * Blast-radius guards, judged on the plan before anything is written: too much of the catalog hidden
 * or deleted at once, or too many prices moving too far, usually means a wrong marketplace or a
 * NetBaron-side mistake rather than real business.
 */
export function evaluateGuards(plan: Plan, settings: ProductImportSettings['guards']): GuardVerdict {
  const reasons: string[] = [];
  // A product removed because its last variation went is not a store item of its own: its variations,
  // already counted, were the items (`storeItemCount` counts a product with variations by its variations).
  const emptied = new Set<number>();
  for (const action of plan.actions) if (action.kind === 'delete-variation') emptied.add(action.productId);
  let emptiedProducts = 0;
  for (const action of plan.actions) {
    if ((action.kind === 'hide-product' || action.kind === 'delete-product') && emptied.has(action.productId))
      emptiedProducts += 1;
  }
  const removals = plan.counts.hide + plan.counts.delete + plan.counts.deleteVariation - emptiedProducts;
  const removalShare = plan.storeItemCount === 0 ? 0 : removals / plan.storeItemCount;
  if (removalShare > settings.maxRemovalShare) {
    reasons.push(
      `The run would hide or delete ${removals} of the store's ${plan.storeItemCount} products and variations (${pct(removalShare)}), more than the allowed ${pct(settings.maxRemovalShare)}.`,
    );
  }

  let bigPriceChanges = 0;
  for (const action of plan.actions) {
    if (action.kind !== 'update-product' && action.kind !== 'update-variation') continue;
    const change = action.changes.find((c) => c.field === 'price');
    if (!change?.from) continue;
    const from = parseCents(change.from);
    const to = parseCents(change.to);
    if (from === 0 ? to !== 0 : (Math.abs(to - from) * 100) / from > settings.priceChangePercent)
      bigPriceChanges += 1;
  }
  const matched = plan.counts.update + plan.counts.unchanged;
  const priceChangeShare = matched === 0 ? 0 : bigPriceChanges / matched;
  if (priceChangeShare > settings.maxPriceChangeShare) {
    reasons.push(
      `The run would change ${bigPriceChanges} of ${matched} matched prices by more than ${settings.priceChangePercent} % (${pct(priceChangeShare)}), more than the allowed ${pct(settings.maxPriceChangeShare)}.`,
    );
  }
  return { ok: reasons.length === 0, reasons, removalShare, priceChangeShare, bigPriceChanges };
}
