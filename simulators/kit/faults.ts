import { z } from 'zod';

/**
 * One fault rule. Latency applies to every matching request; the failure (a status or a dropped
 * connection) applies to the next `count` matching requests, or to a `share` of them, or to all when
 * neither is given.
 */
export const faultRuleSchema = z
  .object({
    path: z.string().min(1).default('*'),
    method: z
      .string()
      .transform((m) => m.toUpperCase())
      .optional(),
    latencyMs: z.number().int().min(0).max(600_000).default(0),
    status: z.number().int().min(400).max(599).optional(),
    retryAfter: z.number().int().min(0).optional(),
    drop: z.enum(['before', 'after']).optional(),
    count: z.number().int().min(0).optional(),
    share: z.number().min(0).max(1).optional(),
    /**
     * A rate limit: the failure applies only to matching requests beyond this many in the trailing
     * second (as a store's API limit does), so a client that slows down meets it less.
     */
    maxPerSecond: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((r) => !(r.status !== undefined && r.drop !== undefined), {
    message: 'a rule either answers with a status or drops the connection, not both',
  })
  .refine((r) => !(r.count !== undefined && r.share !== undefined), {
    message: 'give count or share, not both',
  });

export type FaultRule = z.infer<typeof faultRuleSchema>;

export const faultsDocumentSchema = z
  .object({ rules: z.array(faultRuleSchema), seed: z.number().int().optional() })
  .strict();

export type FaultDecision =
  | { kind: 'none'; latencyMs: number }
  | { kind: 'status'; latencyMs: number; status: number; retryAfter?: number }
  | { kind: 'drop'; latencyMs: number; when: 'before' | 'after' };

/** `*` matches any run of characters; everything else is literal. */
function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

interface LiveRule {
  rule: FaultRule;
  pattern: RegExp;
  remaining: number | undefined;
  /** Arrival times (ms) of matching requests in the trailing second, for `maxPerSecond`. */
  recent: number[];
}

/** A small deterministic PRNG (mulberry32) so that a `share` gives the same sequence run after run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private rules: LiveRule[] = [];
  private random: () => number;

  constructor(
    seed = 1,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.random = prng(seed);
  }

  set(rules: FaultRule[], seed?: number): void {
    if (seed !== undefined) this.random = prng(seed);
    this.rules = rules.map((rule) => ({
      rule,
      pattern: globToRegExp(rule.path),
      remaining: rule.count,
      recent: [],
    }));
  }

  list(): Array<FaultRule & { remaining?: number }> {
    return this.rules.map((r) =>
      r.remaining === undefined ? r.rule : { ...r.rule, remaining: r.remaining },
    );
  }

  /** The first rule that matches and still has a failure to give decides; latencies of all matches add up. */
  decide(method: string, path: string): FaultDecision {
    let latencyMs = 0;
    let failure: FaultDecision | undefined;
    for (const live of this.rules) {
      const { rule } = live;
      if (rule.method !== undefined && rule.method !== method) continue;
      if (!live.pattern.test(path)) continue;
      latencyMs += rule.latencyMs;
      if (failure || (rule.status === undefined && rule.drop === undefined)) continue;
      if (rule.maxPerSecond !== undefined) {
        const now = this.now();
        while (live.recent.length > 0 && live.recent[0]! <= now - 1000) live.recent.shift();
        live.recent.push(now);
        if (live.recent.length <= rule.maxPerSecond) continue;
      }
      if (live.remaining !== undefined) {
        if (live.remaining <= 0) continue;
        live.remaining -= 1;
      } else if (rule.share !== undefined && this.random() >= rule.share) {
        continue;
      }
      failure =
        rule.drop !== undefined
          ? { kind: 'drop', latencyMs: 0, when: rule.drop }
          : { kind: 'status', latencyMs: 0, status: rule.status!, retryAfter: rule.retryAfter };
    }
    return failure ? { ...failure, latencyMs } : { kind: 'none', latencyMs };
  }
}
