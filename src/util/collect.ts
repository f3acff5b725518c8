/** Collects an async iterable with a mandatory cap, so that no caller loads an unbounded list by accident. */
export async function collect<T>(items: AsyncIterable<T>, max: number): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    if (out.length >= max) throw new RangeError(`more than ${max} items; page through them instead`);
    out.push(item);
  }
  return out;
}
