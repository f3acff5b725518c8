/**
 * Records by id, plus the same records in ascending id order, so that a list page is a slice and a
 * lookup is a map access. Inserts and deletes keep the order with a binary search and one splice,
 * which for 100 000 records is a memmove of a few hundred kilobytes, not a re-sort.
 */
export class IdTable<T extends { id: number }> {
  private readonly byId = new Map<number, T>();
  private readonly sorted: T[] = [];

  get size(): number {
    return this.byId.size;
  }

  get(id: number): T | undefined {
    return this.byId.get(id);
  }

  /** Ascending by id; callers must not mutate it. */
  list(): readonly T[] {
    return this.sorted;
  }

  maxId(): number {
    return this.sorted.at(-1)?.id ?? 0;
  }

  add(item: T): void {
    if (this.byId.has(item.id)) throw new Error(`duplicate id ${item.id}`);
    this.byId.set(item.id, item);
    const last = this.sorted.at(-1);
    if (!last || last.id < item.id) this.sorted.push(item);
    else this.sorted.splice(this.indexOf(item.id), 0, item);
  }

  delete(id: number): T | undefined {
    const item = this.byId.get(id);
    if (!item) return undefined;
    this.byId.delete(id);
    this.sorted.splice(this.indexOf(id), 1);
    return item;
  }

  /** The position of `id`, or where it would go. */
  private indexOf(id: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]!.id < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
