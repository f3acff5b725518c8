/*
 * Fairness between stores on one queue. pg-boss hands out jobs by priority (higher first), then age.
 * A store whose orders arrive in a burst (a sale, a backlog swept up after an outage) gets ever lower
 * priorities for its later orders, so a quiet store's order, at priority 0, is sent before the rest of
 * the burst instead of after it. Nothing waits longer than the burst itself takes.
 */

/** Ten orders of one burst per step down. */
const STEP = 10;

/** The priority of the `position`-th order (from 0) of one store queued in one go. */
export const burstPriority = (position: number): number => -Math.floor(position / STEP);

/** Arrivals per store over a sliding window, in this process: the webhook's side of the same rule. */
export class ArrivalWindow {
  private readonly arrivals = new Map<string, number[]>();

  constructor(
    private readonly windowMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an arrival for the store and gives its priority. */
  priorityFor(connectionId: string): number {
    const now = this.now();
    const since = now - this.windowMs;
    const list = this.arrivals.get(connectionId) ?? [];
    // Arrivals are in time order: the expired ones are at the front.
    let expired = 0;
    while (expired < list.length && list[expired]! <= since) expired += 1;
    if (expired > 0) list.splice(0, expired);
    const priority = burstPriority(list.length);
    list.push(now);
    // Bounded: a store's list never holds more than the window's arrivals, and idle stores are forgotten.
    if (list.length > 100_000) list.splice(0, list.length - 100_000);
    this.arrivals.set(connectionId, list);
    if (this.arrivals.size > 10_000) {
      for (const [id, times] of this.arrivals) if (times.every((t) => t <= since)) this.arrivals.delete(id);
    }
    return priority;
  }
}
