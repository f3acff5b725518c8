/**
 * Concurrency that backs off and recovers: halved (at most once a second) when the store pushes back
 * with 429 or 5xx, raised by one after a run of successes, between 1 and the configured maximum.
 * Additive increase, multiplicative decrease, as TCP does, so a shared store settles at what it can take.
 */
export class AdaptiveLimit {
  private current: number;
  private successes = 0;
  private lastDecrease = 0;
  decreases = 0;

  constructor(
    private readonly max: number,
    private readonly now: () => number = Date.now,
  ) {
    this.current = max;
  }

  get value(): number {
    return this.current;
  }

  pushback(): void {
    const t = this.now();
    if (t - this.lastDecrease < 1000) return;
    this.lastDecrease = t;
    this.current = Math.max(1, Math.floor(this.current / 2));
    this.successes = 0;
    this.decreases += 1;
  }

  success(): void {
    if (this.current >= this.max) return;
    this.successes += 1;
    // Before the store ever pushed back, climb fast; after, carefully, as TCP's congestion avoidance
    // does: the level that was refused once is probably near what the store takes.
    if (this.successes >= this.current * (this.decreases > 0 ? 16 : 4)) {
      this.current += 1;
      this.successes = 0;
    }
  }
}
