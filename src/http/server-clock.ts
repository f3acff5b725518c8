/**
 * A remote system's clock as the `Date` headers of its answers tell it. The header is to the second
 * and is written before the answer travels, so each reading is at most the true offset; the largest
 * reading is the closest. A reading more than two seconds below the largest means a clock stepped
 * back, and the estimate starts again from it.
 */
export class ServerClock {
  private offsetMs: number | undefined;

  observe(dateHeader: string | null, receivedAt = Date.now()): void {
    if (!dateHeader) return;
    const at = Date.parse(dateHeader);
    if (Number.isNaN(at)) return;
    const offset = at - receivedAt;
    if (this.offsetMs === undefined || offset > this.offsetMs || offset < this.offsetMs - 2000)
      this.offsetMs = offset;
  }

  /** The remote's time now, never ahead of it; our own clock until an answer had a `Date`. */
  now(localNow = Date.now()): Date {
    return new Date(localNow + (this.offsetMs ?? 0));
  }
}
