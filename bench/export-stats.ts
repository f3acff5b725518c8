/** Latency statistics of the order-export benchmark. */

/**
 * Nearest-rank percentile of `values` (ms), where `missing` more samples are known to be larger than
 * every value (orders not exported by the end of the run): a percentile that falls among them is
 * Infinity, printed as "> drain".
 */
export function percentile(sorted: readonly number[], p: number, missing = 0): number | undefined {
  const n = sorted.length + missing;
  if (n === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  return rank <= sorted.length ? sorted[rank - 1] : Infinity;
}

export interface Distribution {
  n: number;
  missing: number;
  p50?: number;
  p95?: number;
  p99?: number;
  max?: number;
  mean?: number;
}

export function distribution(values: readonly number[], missing = 0): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    missing,
    p50: percentile(sorted, 50, missing),
    p95: percentile(sorted, 95, missing),
    p99: percentile(sorted, 99, missing),
    max: missing > 0 ? Infinity : sorted.at(-1),
    mean: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : undefined,
  };
}

/** Milliseconds for a table cell: `12`, `3.4`, `1 234`; `—` when unknown, `> drain` past the run's end. */
export function msText(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '—';
  if (v === Infinity) return '> drain';
  return Math.round(v).toLocaleString('en-US').replace(/,/g, ' ');
}

/** `p50 / p99` of a distribution, in ms. */
export const p50p99 = (d: Distribution): string =>
  d.n + d.missing === 0 ? '—' : `${msText(d.p50)} / ${msText(d.p99)}`;
