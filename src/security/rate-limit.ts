/**
 * Slows password guessing: a per-key limit stops hammering one account (or one address), a global limit
 * stops spreading guesses across many keys. Only failures count, so a legitimate user is never locked out by
 * their own successful sign-ins.
 */

export interface SignInLimiterOptions {
  perKey?: number;
  global?: number;
  windowMs?: number;
  /** Bound on tracked keys, so an attacker cycling through usernames cannot grow memory without end. */
  maxKeys?: number;
  now?: () => number;
}

export type SignInCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class SignInLimiter {
  readonly perKey: number;
  readonly global: number;
  readonly windowMs: number;
  readonly maxKeys: number;
  private readonly now: () => number;

  // Oldest first. Map order doubles as recency order (a key is re-inserted on each failure), so pruning
  // and eviction only ever look at the front.
  private readonly failuresByKey = new Map<string, number[]>();
  // Only the most recent `global` failures matter to the decision, so the queue never holds more.
  private readonly globalFailures: number[] = [];

  constructor(options: SignInLimiterOptions = {}) {
    this.perKey = options.perKey ?? 5;
    this.global = options.global ?? 100;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
    for (const [name, value] of Object.entries({
      perKey: this.perKey,
      global: this.global,
      maxKeys: this.maxKeys,
    })) {
      // A zero limit would index before the start of the failure lists and silently allow everything.
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(`SignInLimiter ${name} must be a positive integer`);
      }
    }
    if (!(this.windowMs > 0)) throw new RangeError('SignInLimiter windowMs must be positive');
  }

  check(key: string): SignInCheck {
    const now = this.now();
    this.prune(now);
    let unblockAt = 0;
    const own = this.failuresByKey.get(key);
    if (own && own.length >= this.perKey) {
      unblockAt = Math.max(unblockAt, own[own.length - this.perKey]! + this.windowMs);
    }
    if (this.globalFailures.length >= this.global) {
      unblockAt = Math.max(
        unblockAt,
        this.globalFailures[this.globalFailures.length - this.global]! + this.windowMs,
      );
    }
    if (unblockAt <= now) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((unblockAt - now) / 1000)) };
  }

  recordFailure(key: string): void {
    const now = this.now();
    this.prune(now);
    const own = this.failuresByKey.get(key) ?? [];
    this.failuresByKey.delete(key);
    own.push(now);
    if (own.length > this.perKey) own.splice(0, own.length - this.perKey);
    this.failuresByKey.set(key, own);
    while (this.failuresByKey.size > this.maxKeys) {
      const oldest = this.failuresByKey.keys().next();
      if (oldest.done) break;
      this.failuresByKey.delete(oldest.value);
    }
    this.globalFailures.push(now);
    if (this.globalFailures.length > this.global)
      this.globalFailures.splice(0, this.globalFailures.length - this.global);
  }

  recordSuccess(key: string): void {
    this.prune(this.now());
    this.failuresByKey.delete(key);
  }

  /** Number of keys currently tracked; exposed so the memory bound can be checked. */
  get trackedKeys(): number {
    return this.failuresByKey.size;
  }

  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    for (const [key, times] of this.failuresByKey) {
      // Keys sit in order of their latest failure, so the first one still inside the window ends the sweep.
      if (times[times.length - 1]! > cutoff) break;
      this.failuresByKey.delete(key);
    }
    let expired = 0;
    while (expired < this.globalFailures.length && this.globalFailures[expired]! <= cutoff) expired++;
    if (expired > 0) this.globalFailures.splice(0, expired);
  }
}
