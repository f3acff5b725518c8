/**
 * Timestamps are kept as epoch milliseconds truncated to whole seconds (the API shows seconds) and
 * written the way the API writes them: ISO-8601 in the store's zone, Europe/Helsinki, with its offset.
 */

import { zoneOffsetMinutes } from '../../src/domain/zoned-time.ts';

const ZONE = 'Europe/Helsinki';
const HOUR_MS = 3_600_000;

// Finland changes its offset only on whole UTC hours, so one answer per UTC hour is exact.
const offsetByHour = new Map<number, number>();

/** Minutes east of UTC that Helsinki observes at the instant `ms`. */
export function helsinkiOffsetMinutes(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  const cached = offsetByHour.get(hour);
  if (cached !== undefined) return cached;
  const offset = zoneOffsetMinutes(hour * HOUR_MS, ZONE);
  if (offsetByHour.size > 100_000) offsetByHour.clear();
  offsetByHour.set(hour, offset);
  return offset;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** `2024-05-02T13:26:54+03:00` */
export function formatInstant(ms: number): string {
  const offset = helsinkiOffsetMinutes(ms);
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

export function truncateToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:(Z|z)|([+-])(\d{2}):?(\d{2})| (\d{2}):?(\d{2}))?$/;

/**
 * Reads an ISO-8601 date or date-time. With an offset it is that instant; without one it is Helsinki
 * wall-clock time, as MyCashFlowSharp sends it. A query string's unencoded `+02:00` arrives as
 * ` 02:00` (URL decoding turns `+` into a space), so a space before the offset means `+`.
 * Returns undefined when the text is not such a timestamp.
 */
export function parseTimestamp(text: string): number | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zulu, sign, oh, om, spaceH, spaceM] = m;
  const fields = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)] as const;
  const wall = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5]);
  const check = new Date(wall);
  if (
    check.getUTCFullYear() !== fields[0] ||
    check.getUTCMonth() !== fields[1] - 1 ||
    check.getUTCDate() !== fields[2] ||
    fields[3] > 23 ||
    fields[4] > 59 ||
    fields[5] > 59
  ) {
    return undefined;
  }
  const millis = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  let offsetMinutes: number;
  if (zulu) offsetMinutes = 0;
  else if (sign) offsetMinutes = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  else if (spaceH) offsetMinutes = Number(spaceH) * 60 + Number(spaceM);
  else {
    // Wall-clock time in Helsinki: take the offset at the first guess, then at the corrected instant.
    const first = wall - helsinkiOffsetMinutes(wall) * 60_000;
    offsetMinutes = helsinkiOffsetMinutes(first);
    const second = wall - offsetMinutes * 60_000;
    offsetMinutes = helsinkiOffsetMinutes(second);
  }
  return wall - offsetMinutes * 60_000 + millis;
}
