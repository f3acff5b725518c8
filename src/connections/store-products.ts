import type { MyCashflowClient } from '../mycashflow/client.ts';
import { indexCatalog, type CatalogIndex, type CatalogProduct } from './product-search.ts';

/** How long a read catalog answers searches before the store is read again. */
export const STORE_PRODUCTS_TTL_MS = 5 * 60_000;

/** Every product of the store with its variations' codes: only what the picker searches. */
export async function readStoreProducts(mcf: MyCashflowClient): Promise<CatalogProduct[]> {
  const out: CatalogProduct[] = [];
  // An unreadable product is left out of the picker; the import itself reports it with its reason.
  for await (const p of mcf.listProducts({ expand: ['variations'], onInvalidItem: () => undefined })) {
    out.push({
      id: String(p.id),
      code: p.product_code ?? null,
      name: p.name,
      variations: (p.variations ?? []).map((v) => ({ code: v.product_code ?? null, name: v.name ?? '' })),
    });
  }
  return out;
}

/**
 * The store's products per connection, read once and kept for a few minutes. MyCashflow's API
 * documents no filter by product code or name (mycashflow-api.md §5.3 lists ids and timestamps only),
 * and a store may hold 100 000 products: so the catalog is read once with paging, keeping only id,
 * code, name and variation codes (about 70 MB for 100 000 products with long names, measured), and
 * every keystroke of the picker searches memory, never the store. A read in progress is shared; a
 * failed read is not kept, so the next search tries again; a catalog past its time is let go at the
 * next look-up of any connection. `source` names the store (address and user): another is read anew.
 */
export class StoreProductCache {
  private readonly kept = new Map<string, { source: string; at: number; index: Promise<CatalogIndex> }>();

  constructor(
    private readonly ttlMs = STORE_PRODUCTS_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  get(connectionId: string, source: string, read: () => Promise<CatalogProduct[]>): Promise<CatalogIndex> {
    for (const [id, kept] of this.kept) if (this.now() - kept.at >= this.ttlMs) this.kept.delete(id);
    const hit = this.kept.get(connectionId);
    if (hit?.source === source) return hit.index;
    const entry = { source, at: this.now(), index: read().then(indexCatalog) };
    this.kept.set(connectionId, entry);
    entry.index.catch(() => {
      if (this.kept.get(connectionId) === entry) this.kept.delete(connectionId);
    });
    return entry.index;
  }
}
