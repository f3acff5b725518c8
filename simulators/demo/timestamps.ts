/** Order times in Finnish winter time, written as the store writes them: `2026-11-01T09:07:13+02:00`. */

const OFFSET_MS = 2 * 60 * 60 * 1000;

export const DEFAULT_BASE_DATE = '2026-11-01T09:00:00+02:00';

export function parseBaseDate(text: string): number {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(ms)) {
    throw new RangeError(`base date "${text}" is not an ISO-8601 date-time`);
  }
  return ms;
}

export function formatHelsinkiWinter(epochMs: number): string {
  return `${new Date(epochMs + OFFSET_MS).toISOString().slice(0, 19)}+02:00`;
}
