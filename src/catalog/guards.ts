import type { ProductImportSettings } from '../config/connection-file.ts';
import { parseCents } from '../domain/money.ts';
import type { Plan, PlanCounts, PlannedAction } from './plan.ts';

export interface GuardVerdict {
  ok: boolean;
  /** Why the run stops, one sentence per guard that fired. */
  reasons: string[];
  removalShare: number;
  priceChangeShare: number;
  bigPriceChanges: number;
}

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;

/** What the guards judge a plan by, summed as a plan is made (`planInChunks`) or taken from a whole one. */
export interface GuardFigures {
  counts: PlanCounts;
  storeItemCount: number;
  /**
   * Products removed because their last variation went: not store items of their own, since their
   * variations, already counted, were the items (`storeItemCount` counts a product by its variations).
   */
  emptiedProducts: number;
  /** Updates that move a price further than `priceChangePercent`. */
  bigPriceChanges: number;
}

/** The updates among `actions` that move a price further than `priceChangePercent`. */
export function bigPriceChangesIn(
  actions: Iterable<PlannedAction>,
  settings: Pick<ProductImportSettings['guards'], 'priceChangePercent'>,
): number {
  let n = 0;
  for (const action of actions) {
    if (action.kind !== 'update-product' && action.kind !== 'update-variation') continue;
    const change = action.changes.find((c) => c.field === 'price');
    if (!change?.from) continue;
    const from = parseCents(change.from);
    const to = parseCents(change.to);
    if (from === 0 ? to !== 0 : (Math.abs(to - from) * 100) / from > settings.priceChangePercent) n += 1;
  }
  return n;
}

/** The guards' figures of a whole plan. */
export function guardFiguresOf(plan: Plan, settings: ProductImportSettings['guards']): GuardFigures {
  const emptied = new Set<number>();
  for (const action of plan.actions) if (action.kind === 'delete-variation') emptied.add(action.productId);
  let emptiedProducts = 0;
  for (const action of plan.actions) {
    if ((action.kind === 'hide-product' || action.kind === 'delete-product') && emptied.has(action.productId))
      emptiedProducts += 1;
  }
  return {
    counts: plan.counts,
    storeItemCount: plan.storeItemCount,
    emptiedProducts,
    bigPriceChanges: bigPriceChangesIn(plan.actions, settings),
  };
}

/**
 * Blast-radius guards, judged on the plan before anything is written: too much of the catalog hidden
 * or deleted at once, or too many prices moving too far, usually means a wrong marketplace or a
 * NetBaron-side mistake rather than real business.
 */
export function evaluateGuards(plan: Plan, settings: ProductImportSettings['guards']): GuardVerdict {
  return judgeGuards(guardFiguresOf(plan, settings), settings);
}

export function judgeGuards(figures: GuardFigures, settings: ProductImportSettings['guards']): GuardVerdict {
  const { counts, storeItemCount, emptiedProducts, bigPriceChanges } = figures;
  const reasons: string[] = [];
  const removals = counts.hide + counts.delete + counts.deleteVariation - emptiedProducts;
  const removalShare = storeItemCount === 0 ? 0 : removals / storeItemCount;
  if (removalShare > settings.maxRemovalShare) {
    reasons.push(
      `The run would hide or delete ${removals} of the store's ${storeItemCount} products and variations (${pct(removalShare)}), more than the allowed ${pct(settings.maxRemovalShare)}.`,
    );
  }
  const matched = counts.update + counts.unchanged;
  const priceChangeShare = matched === 0 ? 0 : bigPriceChanges / matched;
  if (priceChangeShare > settings.maxPriceChangeShare) {
    reasons.push(
      `The run would change ${bigPriceChanges} of ${matched} matched prices by more than ${settings.priceChangePercent} % (${pct(priceChangeShare)}), more than the allowed ${pct(settings.maxPriceChangeShare)}.`,
    );
  }
  return { ok: reasons.length === 0, reasons, removalShare, priceChangeShare, bigPriceChanges };
}
