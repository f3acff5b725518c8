import type { NbProduct, NbStateDocument } from './state-schema.ts';

/** One row of a listing: the product, and whether it is shown as a `Deleted=true` entry (§15.5). */
export interface ListingEntry {
  product: NbProduct;
  deleted: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

interface Candidate extends ListingEntry {
  /** When the entry stops being listed (ms since the epoch); Infinity for a live product. */
  until: number;
}

/**
 * Who appears in a listing (README.md, "Deleted entries"):
 * - without a marketplace: every product not deleted, and deleted ones until the retention after DeletedAt;
 * - for marketplace M: products in M; a deleted product that was in M until the retention after
 *   DeletedAt; a product that left M (LeftMarketplaces) until the retention after it left.
 */
function candidates(state: NbStateDocument, marketplace: string | undefined): Candidate[] {
  const retention = state.deleted_retention_days * DAY_MS;
  const out: Candidate[] = [];
  for (const product of state.products) {
    const deletedUntil = product.Deleted ? Date.parse(product.DeletedAt ?? '') + retention : Infinity;
    if (marketplace === undefined) {
      out.push({ product, deleted: product.Deleted, until: deletedUntil });
      continue;
    }
    if (product.Marketplaces.includes(marketplace)) {
      out.push({ product, deleted: product.Deleted, until: deletedUntil });
      continue;
    }
    let leftAt = -Infinity;
    for (const left of product.LeftMarketplaces) {
      if (left.Id === marketplace) leftAt = Math.max(leftAt, Date.parse(left.At));
    }
    if (leftAt > -Infinity) out.push({ product, deleted: true, until: leftAt + retention });
  }
  return out;
}

interface Cached {
  computedAt: number;
  validUntil: number;
  entries: ListingEntry[];
}

/**
 * Listings are cached per marketplace, so paging through 100 000 products does not rescan the register
 * for every page. Entries only ever drop out as time passes, so a listing stays right until the earliest
 * `until` among its entries; a clock that moves backwards (a test's `now`) recomputes.
 */
export class ProductListings {
  private cache = new Map<string, Cached>();

  constructor(private readonly state: NbStateDocument) {}

  list(marketplace: string | undefined, now: number): ListingEntry[] {
    const key = marketplace ?? '';
    const hit = this.cache.get(key);
    if (hit && hit.computedAt <= now && now < hit.validUntil) return hit.entries;
    const entries: ListingEntry[] = [];
    let validUntil = Infinity;
    for (const c of candidates(this.state, marketplace)) {
      if (now >= c.until) continue;
      entries.push({ product: c.product, deleted: c.deleted });
      validUntil = Math.min(validUntil, c.until);
    }
    this.cache.set(key, { computedAt: now, validUntil, entries });
    return entries;
  }
}
