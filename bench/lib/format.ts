/** Small formatting helpers for the Markdown table. */

export const seconds = (ms: number | undefined, digits = 1): string =>
  ms === undefined ? '—' : (ms / 1000).toFixed(digits);

export const thousands = (n: number): string => n.toLocaleString('en-US').replace(/,/g, ' ');

/** `GET 3 · POST 1 000 · PUT 912`, methods in a fixed order, zero counts left out; `0` when none. */
export function byMethod(counts: Record<string, number>): string {
  const order = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  const keys = Object.keys(counts).sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  const parts = keys.filter((k) => (counts[k] ?? 0) > 0).map((k) => `${k} ${thousands(counts[k]!)}`);
  return parts.length ? parts.join(' · ') : '0';
}

export const sum = (counts: Record<string, number>): number =>
  Object.values(counts).reduce((a, b) => a + b, 0);

export function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}

export function markdownTable(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(rightAligned.map((r) => (r ? '---:' : '---'))), ...rows.map(line)].join('\n');
}
