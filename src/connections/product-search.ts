/*
 * Choosing "Products to update" from the store's products: a search by code or name, the check of
 * chosen codes against the store, and near-miss hints for a code the store does not have. Pure: the
 * catalog comes from `store-products.ts`.
 */

/** What the picker needs of a store product: its code, its name and its variations' codes. */
export interface CatalogProduct {
  id: string;
  code: string | null;
  name: string;
  variations: Array<{ code: string | null; name: string }>;
}

/** Something that can be chosen: a product (with all its variations) or one variation. */
export interface ProductChoice {
  code: string;
  name: string;
  /** How many variations a product has; 0 for a variation. */
  variations: number;
  /** For a variation: its product's code. */
  variationOf?: string;
}

interface Entry {
  choice: ProductChoice;
  code: string;
  name: string;
}

/** The catalog prepared once per read: lower-case keys for searching, and every code for look-ups. */
export interface CatalogIndex {
  size: number;
  entries: Entry[];
  byCode: Map<string, ProductChoice>;
}

const fold = (text: string): string => text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();

export function indexCatalog(products: readonly CatalogProduct[]): CatalogIndex {
  const entries: Entry[] = [];
  const byCode = new Map<string, ProductChoice>();
  const add = (choice: ProductChoice) => {
    entries.push({ choice, code: fold(choice.code), name: fold(choice.name) });
    // A duplicated code keeps its first place: the import reports duplicates, the picker need not.
    if (!byCode.has(choice.code)) byCode.set(choice.code, choice);
  };
  for (const p of products) {
    if (p.code) add({ code: p.code, name: p.name, variations: p.variations.length });
    for (const v of p.variations) {
      if (!v.code) continue;
      const name = v.name ? `${p.name}, ${v.name}` : p.name;
      add({ code: v.code, name, variations: 0, ...(p.code ? { variationOf: p.code } : {}) });
    }
  }
  return { size: products.length, entries, byCode };
}

/**
 * Store products whose code or name contains the query, case-insensitively: the exact code first,
 * then codes that start with it, codes that contain it, and names that contain it.
 */
export function searchCatalog(
  index: CatalogIndex,
  query: string,
  limit = 20,
): { total: number; choices: ProductChoice[] } {
  const q = fold(query);
  if (!q) return { total: 0, choices: [] };
  const ranked: Array<{ rank: number; entry: Entry }> = [];
  for (const entry of index.entries) {
    const at = entry.code.indexOf(q);
    const rank = entry.code === q ? 0 : at === 0 ? 1 : at > 0 ? 2 : entry.name.includes(q) ? 3 : Number.NaN;
    if (!Number.isNaN(rank)) ranked.push({ rank, entry });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.entry.code.localeCompare(b.entry.code));
  return { total: ranked.length, choices: ranked.slice(0, limit).map((r) => r.entry.choice) };
}

/** The edit distance of two texts when it is at most `max`; undefined when it is more. */
export function editDistanceWithin(a: string, b: string, max: number): number | undefined {
  if (Math.abs(a.length - b.length) > max) return undefined;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      row.push(value);
      best = Math.min(best, value);
    }
    // Every later row only grows from this one: stop as soon as nothing can come within reach.
    if (best > max) return undefined;
    previous = row;
  }
  const distance = previous[b.length]!;
  return distance <= max ? distance : undefined;
}

/**
 * Store codes the merchant may have meant by a code the store does not have: the same code in another
 * letter case (or spacing), then codes a typing slip away (one edit for short codes, two for longer),
 * then products whose name contains what was typed. At most `limit`, best first.
 */
export function nearMisses(index: CatalogIndex, typed: string, limit = 3): ProductChoice[] {
  const q = fold(typed);
  if (!q) return [];
  const sameCase: ProductChoice[] = [];
  const slips: Array<{ distance: number; choice: ProductChoice }> = [];
  const names: ProductChoice[] = [];
  const maxEdits = q.length <= 4 ? 1 : 2;
  for (const entry of index.entries) {
    if (entry.choice.code === typed.trim()) continue;
    if (entry.code === q) {
      sameCase.push(entry.choice);
      continue;
    }
    const distance = editDistanceWithin(q, entry.code, maxEdits);
    if (distance !== undefined) slips.push({ distance, choice: entry.choice });
    else if (q.length >= 3 && !entry.choice.variationOf && entry.name.includes(q)) names.push(entry.choice);
  }
  slips.sort((a, b) => a.distance - b.distance || a.choice.code.localeCompare(b.choice.code));
  const out: ProductChoice[] = [];
  for (const choice of [...sameCase, ...slips.map((s) => s.choice), ...names]) {
    if (out.length >= limit) break;
    if (!out.some((c) => c.code === choice.code)) out.push(choice);
  }
  return out;
}

export type CodeCheck =
  { code: string; found: ProductChoice } | { code: string; found?: undefined; nearMisses: ProductChoice[] };

/** Each chosen code as the store has it (exactly, as the import matches codes), or near-misses. */
export function checkCodes(index: CatalogIndex, codes: readonly string[]): CodeCheck[] {
  return codes.map((code) => {
    const found = index.byCode.get(code);
    return found ? { code, found } : { code, nearMisses: nearMisses(index, code) };
  });
}
