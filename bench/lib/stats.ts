/**
 * Percentiles in ms, nearest rank. `missing` samples are known to be larger than every value (orders
 * not exported by the end of a run): a percentile that falls among them is null, shown as "> drain"
 * (JSON has no Infinity). No samples at all leave the fields out.
 */
export interface Distribution {
  n: number;
  missing: number;
  p50?: number | null;
  p95?: number | null;
  p99?: number | null;
  max?: number | null;
}

export function distribution(values: readonly number[], missing = 0): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const total = sorted.length + missing;
  const at = (p: number) => sorted[Math.max(1, Math.ceil((p / 100) * total)) - 1] ?? null;
  if (total === 0) return { n: 0, missing: 0 };
  return { n: sorted.length, missing, p50: at(50), p95: at(95), p99: at(99), max: at(100) };
}
