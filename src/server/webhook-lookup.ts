import type { ReceiverConnection } from './webhook-receiver.ts';

interface Entry {
  value: ReceiverConnection | undefined;
  at: number;
  loading?: Promise<ReceiverConnection | undefined>;
}

export interface CachedLookup {
  /** The subscription of a slug, from memory when read less than `ttlMs` ago. */
  connectionFor(slug: string): Promise<ReceiverConnection | undefined>;
  /** Read again, at most once per `recheckMs` per slug: a uuid that does not match may be a new subscription. */
  recheck(slug: string): Promise<ReceiverConnection | undefined>;
}

/**
 * Subscriptions by slug, kept briefly in memory so that a flood of forged or repeated deliveries is
 * refused or answered without a database query each. A subscription made in another process is seen
 * within `ttlMs`, or at once through `recheck` when a delivery carries a uuid the memory does not know;
 * rechecks are spaced out so that forged uuids cannot turn into a query each. Concurrent reads of one
 * slug share one query.
 */
export function cachedSubscriptions(
  load: (slug: string) => Promise<ReceiverConnection | undefined>,
  options: { ttlMs?: number; recheckMs?: number; maxSlugs?: number } = {},
): CachedLookup {
  const ttlMs = options.ttlMs ?? 10_000;
  const recheckMs = options.recheckMs ?? 1_000;
  const maxSlugs = options.maxSlugs ?? 1_000;
  const entries = new Map<string, Entry>();

  const read = (slug: string): Promise<ReceiverConnection | undefined> => {
    const current = entries.get(slug);
    if (current?.loading) return current.loading;
    const loading = load(slug).then(
      (value) => {
        if (entries.size >= maxSlugs && !entries.has(slug)) entries.clear();
        entries.set(slug, { value, at: Date.now() });
        return value;
      },
      (err: unknown) => {
        entries.delete(slug);
        throw err;
      },
    );
    entries.set(slug, { value: current?.value, at: current?.at ?? 0, loading });
    return loading;
  };

  return {
    connectionFor: async (slug) => {
      const entry = entries.get(slug);
      if (entry && !entry.loading && Date.now() - entry.at < ttlMs) return entry.value;
      return read(slug);
    },
    recheck: async (slug) => {
      const entry = entries.get(slug);
      if (entry && !entry.loading && Date.now() - entry.at < recheckMs) return entry.value;
      return read(slug);
    },
  };
}
