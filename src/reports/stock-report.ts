import { readQuantity } from '../catalog/quantity.ts';
import { changedSince, isReturnChange, type StockChangeEntry } from '../catalog/returns.ts';
import { storeDate } from '../mycashflow/timestamps.ts';

/*
 * The stock report for returns ("Returns and NetBaron" in the extension's help page): when a return is
 * processed, MyCashflow puts the goods back into its own stock, and the merchant must add them in
 * NetBaron by hand; otherwise the next import writes NetBaron's older balance over the store's. This
 * file compares the two systems' balances and tells which differences MyCashflow's returns explain.
 * Pure: what both systems hold and what the database says are read elsewhere (`read-stock.ts`).
 */

/** A NetBaron product as the report needs it (a subset of `NbProduct`). */
export interface NetBaronStockEntry {
  code: string;
  /** The balance as NetBaron sent it: decimal text, possibly fractional or negative. */
  quantity?: string;
  deleted: boolean;
}

export interface NetBaronStock {
  products: readonly NetBaronStockEntry[];
  /** Entries NetBaron sent that could not be read. */
  invalid: ReadonlyArray<{ code?: string; reason: string }>;
}

/**
 * A place in the store that carries a product code: a product (with its own stock item when it has no
 * variations) or a variation. `stockItemId` and `quantity` are null where there is no stock item.
 */
export interface StoreStockPlace {
  code: string;
  /** "product 12" or "variation 31 of product 3", for messages. */
  where: string;
  stockItemId: number | null;
  quantity: number | null;
}

export interface StockReportInput {
  netbaron: NetBaronStock;
  store: readonly StoreStockPlace[];
  stockChanges: readonly StockChangeEntry[];
  /** Codes linked by earlier imports; when empty, every code present in both systems is compared. */
  linkedCodes: ReadonlySet<string>;
  /** When the last completed import began reading; null when there was none (every return counts). */
  since: Date | null;
  /**
   * Codes the import holds (returns NetBaron does not have yet): the returned units counted when the
   * hold began, the store's local date it began. Their differences are explained by those returns too.
   */
  holds?: ReadonlyMap<string, { returned: number; since: string }>;
}

/** Returned quantity of one code on one day (the store's local date of the stock change). */
export interface ReturnsOnDay {
  date: string;
  quantity: number;
}

export interface StockDifference {
  code: string;
  /** NetBaron's balance exactly as NetBaron holds it. */
  netbaronBalance: string;
  /** That balance as the whole number an import writes to the store (`readQuantity`): the comparison basis. */
  netbaronQuantity: number;
  storeQuantity: number;
  /** `storeQuantity − netbaronQuantity`: positive when the store has more. */
  difference: number;
  /** The part of `difference` that returns in the store since the last import account for. */
  explainedByReturns: number;
  /** `difference − explainedByReturns`. */
  unexplained: number;
  /** Net stock changes from returns of this code since the last import, by day. */
  returns: ReturnsOnDay[];
  status: 'returns' | 'partly-returns' | 'unexplained';
  /** The import leaves this code's stock alone until NetBaron has the returns (`stock_holds`). */
  held: boolean;
  /** What the merchant should do in NetBaron, in plain words. */
  action: string;
}

export interface NotCompared {
  code: string;
  reason: string;
}

export interface StockReport {
  /** Differences ordered by code. */
  differences: StockDifference[];
  /** How many differences returns explain entirely. */
  explainedByReturns: number;
  /** How many differences returns do not explain, or explain only in part. */
  unexplained: number;
  /** ISO instant from which returns were counted; null when no import has completed. */
  since: string | null;
  /** Which codes were compared: those linked by imports, or (before any link) those in both systems. */
  basis: 'linked-codes' | 'codes-in-both-systems';
  /** Codes compared with equal balances included. */
  compared: number;
  notCompared: NotCompared[];
}

const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** The store's local calendar date of a change ("2026-11-20"), as the merchant sees it in the admin. */
const dayOf = (changedAt: string): string => storeDate(changedAt) ?? changedAt;

function returnsByStockItem(changes: readonly StockChangeEntry[], since: Date | null) {
  const out = new Map<number, Map<string, number>>();
  for (const c of changes) {
    if (!isReturnChange(c.sourceType) || !changedSince(c.changedAt, since)) continue;
    const days = out.get(c.stockItemId) ?? new Map<string, number>();
    const day = dayOf(c.changedAt);
    days.set(day, (days.get(day) ?? 0) + c.quantityChange);
    out.set(c.stockItemId, days);
  }
  return out;
}

/** The part of `difference` that `returned` accounts for: same direction, never more than either. */
function explainedPart(difference: number, returned: number): number {
  if (difference > 0 && returned > 0) return Math.min(difference, returned);
  if (difference < 0 && returned < 0) return Math.max(difference, returned);
  return 0;
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

function describeReturns(days: readonly ReturnsOnDay[]): string {
  const total = days.reduce((n, d) => n + d.quantity, 0);
  if (days.length === 1) return `${total} returned on ${days[0]!.date}`;
  return `${total} returned (${days.map((d) => `${d.quantity} on ${d.date}`).join(', ')})`;
}

function actionFor(
  d: Omit<StockDifference, 'action' | 'status'>,
  sinceKnown: boolean,
  adjusted: boolean,
): string {
  const { code } = d;
  const parts: string[] = d.held
    ? [`held: the import leaves the store's ${d.storeQuantity} as it is until NetBaron has the returns`]
    : [];
  const returned = d.returns.reduce((n, r) => n + r.quantity, 0);
  if (d.explainedByReturns > 0) {
    const why =
      returned > d.explainedByReturns
        ? `${describeReturns(d.returns)}, of which ${d.explainedByReturns} ${plural(d.explainedByReturns, 'is', 'are')} not in NetBaron yet`
        : describeReturns(d.returns);
    parts.push(`add ${d.explainedByReturns} to ${code} in NetBaron: ${why}`);
  } else if (d.explainedByReturns < 0) {
    // A negative return change: a return undone in the store, which took the goods out of stock again.
    const reversed = d.returns.map((r) => `${r.quantity} on ${r.date}`).join(', ');
    parts.push(
      `take ${-d.explainedByReturns} off ${code} in NetBaron: returns were reversed in the store (${reversed})`,
    );
  }
  if (d.unexplained !== 0) {
    const amount = Math.abs(d.unexplained);
    const more = d.unexplained > 0 ? 'more' : 'fewer';
    const noReturn = sinceKnown ? 'no return since the last import explains' : 'no return explains';
    const subject =
      d.explainedByReturns === 0
        ? `the store has ${amount} ${more} than NetBaron and ${noReturn} ${plural(amount, 'it', 'them')}`
        : `the store has ${amount} ${more} still, which ${noReturn}`;
    const next = d.held
      ? "while it is held, the import does not change the store's stock"
      : `the next import sets the store to ${d.netbaronQuantity}, so if the store's ${d.storeQuantity} is right, correct NetBaron first`;
    parts.push(`${parts.length ? 'then check' : 'check'} ${code}: ${subject}; ${next}`);
  }
  let action = parts.join('; ');
  if (adjusted) {
    action += ` (NetBaron's balance is ${d.netbaronBalance}; the import counts it as ${d.netbaronQuantity})`;
  }
  return action;
}

/**
 * Compares, code by code, NetBaron's balance (as the whole number an import would write) with the
 * store's `quantity`, and splits each difference into the part returns in the store account for and
 * the rest. Only differences are listed; codes that cannot be compared are listed with the reason.
 */
export function buildStockReport(input: StockReportInput): StockReport {
  const nbByCode = new Map<string, NetBaronStockEntry[]>();
  for (const p of input.netbaron.products) {
    const list = nbByCode.get(p.code) ?? [];
    list.push(p);
    nbByCode.set(p.code, list);
  }
  const nbInvalid = new Map<string, string>();
  for (const bad of input.netbaron.invalid) if (bad.code) nbInvalid.set(bad.code, bad.reason);
  const storeByCode = new Map<string, StoreStockPlace[]>();
  for (const place of input.store) {
    const list = storeByCode.get(place.code) ?? [];
    list.push(place);
    storeByCode.set(place.code, list);
  }

  const basis = input.linkedCodes.size > 0 ? 'linked-codes' : 'codes-in-both-systems';
  const candidates =
    basis === 'linked-codes'
      ? [...input.linkedCodes]
      : [...new Set([...nbByCode.keys(), ...nbInvalid.keys()])].filter((code) => storeByCode.has(code));

  const returns = returnsByStockItem(input.stockChanges, input.since);
  const differences: StockDifference[] = [];
  const notCompared: NotCompared[] = [];
  let compared = 0;

  for (const code of candidates) {
    const skip = (reason: string) => notCompared.push({ code, reason });
    const nbEntries = nbByCode.get(code) ?? [];
    const places = storeByCode.get(code) ?? [];
    if (nbEntries.length === 0) {
      const invalid = nbInvalid.get(code);
      skip(
        invalid
          ? `NetBaron's data for ${code} could not be read (${invalid})`
          : `${code} is not in NetBaron's listing of the marketplace`,
      );
      continue;
    }
    if (nbEntries.length > 1) {
      skip(`${code} appears ${nbEntries.length} times in NetBaron's listing`);
      continue;
    }
    const nb = nbEntries[0]!;
    if (nb.deleted) {
      skip(`${code} is deleted in NetBaron or no longer in the marketplace`);
      continue;
    }
    if (places.length === 0) {
      skip(`${code} is not in the store`);
      continue;
    }
    if (places.length > 1) {
      skip(`${code} is used ${places.length} times in the store (${places.map((p) => p.where).join('; ')})`);
      continue;
    }
    const place = places[0]!;
    if (place.stockItemId === null || place.quantity === null) {
      skip(
        `${code} is ${place.where} in the store, which has no stock item of its own (stock is kept per variation)`,
      );
      continue;
    }
    if (nb.quantity === undefined) {
      skip(`NetBaron sent no stock balance for ${code}`);
      continue;
    }
    const reading = readQuantity(nb.quantity);
    if (!reading.ok) {
      skip(`${code}: ${reading.reason} in NetBaron`);
      continue;
    }
    compared += 1;
    const difference = place.quantity - reading.quantity;
    if (difference === 0) continue;
    const hold = input.holds?.get(code);
    const byDay = new Map(returns.get(place.stockItemId) ?? new Map<string, number>());
    // The returns a hold counted happened before the last import: they are not among the changes read.
    if (hold && hold.returned > 0) byDay.set(hold.since, (byDay.get(hold.since) ?? 0) + hold.returned);
    const days = [...byDay]
      .filter(([, quantity]) => quantity !== 0)
      .map(([date, quantity]) => ({ date, quantity }))
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const returned = days.reduce((n, d) => n + d.quantity, 0);
    const explained = explainedPart(difference, returned);
    const base = {
      code,
      netbaronBalance: nb.quantity,
      netbaronQuantity: reading.quantity,
      storeQuantity: place.quantity,
      difference,
      explainedByReturns: explained,
      unexplained: difference - explained,
      returns: days,
      held: hold !== undefined,
    };
    differences.push({
      ...base,
      status: explained === 0 ? 'unexplained' : explained === difference ? 'returns' : 'partly-returns',
      action: actionFor(base, input.since !== null, reading.adjusted !== undefined),
    });
  }

  differences.sort(byCode);
  notCompared.sort(byCode);
  const explainedCount = differences.filter((d) => d.status === 'returns').length;
  return {
    differences,
    explainedByReturns: explainedCount,
    unexplained: differences.length - explainedCount,
    since: input.since ? input.since.toISOString() : null,
    basis,
    compared,
    notCompared,
  };
}
