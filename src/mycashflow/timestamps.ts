/*
 * Timestamps at the MyCashflow boundary. We send the form public clients of the API send: the store's
 * wall-clock time in Europe/Helsinki with its offset and no milliseconds (2026-11-20T10:00:00+02:00);
 * we read an offset, `Z`, or none at all (then the time is the store's, Helsinki's).
 */

import { zoneOffsetMinutes } from '../domain/zoned-time.ts';

const ZONE = 'Europe/Helsinki';

/** Minutes east of UTC that Helsinki observes at the instant `ms`. */
const offsetMinutes = (ms: number): number => zoneOffsetMinutes(ms, ZONE);

const two = (n: number): string => String(n).padStart(2, '0');

/** An instant as the store's local time with its offset, to the second. */
export function formatStoreTimestamp(instant: Date): string {
  const ms = Math.floor(instant.getTime() / 1000) * 1000;
  const offset = offsetMinutes(ms);
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offset);
  return `${local}${offset < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)(Z|z|[+-]\d{2}:?\d{2})?$/;

/** Reads an API timestamp into an instant; undefined when it is not an ISO-8601 date-time. */
export function parseStoreTimestamp(text: string): Date | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, date, time, zone] = m;
  const clock = time!.replace(',', '.');
  if (zone) {
    const offset = /^[+-]\d{4}$/.test(zone) ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone.toUpperCase();
    const at = new Date(`${date}T${clock}${offset}`);
    return Number.isNaN(at.getTime()) ? undefined : at;
  }
  // Wall-clock time in Helsinki: guess with the offset at the UTC reading, then correct once.
  const wall = Date.parse(`${date}T${clock}Z`);
  if (Number.isNaN(wall)) return undefined;
  const first = wall - offsetMinutes(wall) * 60_000;
  return new Date(wall - offsetMinutes(first) * 60_000);
}

const STORE_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * An API timestamp as the store's calendar date ("2026-11-20"), the day the merchant sees in the admin:
 * `…T22:30:00Z` in winter is already the next day in Helsinki. Undefined when it cannot be read.
 */
export function storeDate(text: string): string | undefined {
  const at = parseStoreTimestamp(text);
  return at ? STORE_DAY.format(at) : undefined;
}
