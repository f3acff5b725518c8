import { z } from 'zod';
import { zoneOffsetMinutes } from './zoned-time.ts';

/** A time of day, HH:MM (24 h). */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Automatic "Fetch all products" per connection; the extension needs a call to customer service for it. */
export const scheduleSchema = z
  .object({
    frequency: z.enum(['off', 'hourly', 'daily']).default('off'),
    /** For `daily`: the local time of day, HH:MM. */
    at: z.string().regex(TIME_OF_DAY, 'schedule.at: a time of day as HH:MM').default('03:00'),
    timeZone: z
      .string()
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'schedule.timeZone: an IANA time zone such as Europe/Helsinki')
      .default('Europe/Helsinki'),
  })
  .strict();
export type Schedule = z.infer<typeof scheduleSchema>;

/** The wall-clock parts of an instant in a time zone. */
export function localParts(
  at: Date,
  timeZone: string,
): { y: number; mo: number; d: number; h: number; mi: number } {
  const ms = at.getTime();
  const wall = new Date(ms + zoneOffsetMinutes(ms, timeZone) * 60_000);
  return {
    y: wall.getUTCFullYear(),
    mo: wall.getUTCMonth() + 1,
    d: wall.getUTCDate(),
    h: wall.getUTCHours(),
    mi: wall.getUTCMinutes(),
  };
}

/** The instant at which the wall clock of `timeZone` shows the given day and time (DST-aware). */
function instantOf(y: number, mo: number, d: number, h: number, mi: number, timeZone: string): Date {
  let guess = Date.UTC(y, mo - 1, d, h, mi);
  // Two corrections settle any offset, including the day a DST change happens on.
  for (let i = 0; i < 2; i += 1) {
    const p = localParts(new Date(guess), timeZone);
    const shown = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi);
    guess += Date.UTC(y, mo - 1, d, h, mi) - shown;
  }
  return new Date(guess);
}

/** The latest moment at or before `now` at which a daily schedule fires. */
export function lastDailyOccurrence(schedule: Schedule, now: Date): Date {
  const [h, mi] = schedule.at.split(':').map(Number) as [number, number];
  const today = localParts(now, schedule.timeZone);
  const candidate = instantOf(today.y, today.mo, today.d, h, mi, schedule.timeZone);
  if (candidate.getTime() <= now.getTime()) return candidate;
  const yesterday = localParts(new Date(candidate.getTime() - 24 * 3600_000), schedule.timeZone);
  return instantOf(yesterday.y, yesterday.mo, yesterday.d, h, mi, schedule.timeZone);
}

/**
 * Whether a scheduled import is due now. `firedAt` is when it last fired, or when the schedule was
 * saved (so that turning a schedule on does not start an import at once).
 */
export function scheduleDue(schedule: Schedule, firedAt: Date | null, now: Date): boolean {
  if (schedule.frequency === 'off') return false;
  if (!firedAt) return true;
  if (schedule.frequency === 'hourly') return now.getTime() - firedAt.getTime() >= 3600_000 - 30_000;
  return lastDailyOccurrence(schedule, now).getTime() > firedAt.getTime();
}

export function describeSchedule(schedule: Schedule): string {
  if (schedule.frequency === 'off') return 'Off';
  if (schedule.frequency === 'hourly') return 'Every hour';
  return `Every day at ${schedule.at} (${schedule.timeZone})`;
}

/**
 * When the schedule fires next (the minute's tick queues the import then), or null when it is off. A
 * schedule already due answers `now`: the next tick takes it.
 */
export function nextScheduledImport(schedule: Schedule, firedAt: Date | null, now: Date): Date | null {
  if (schedule.frequency === 'off') return null;
  if (scheduleDue(schedule, firedAt, now)) return now;
  if (schedule.frequency === 'hourly') return new Date(firedAt!.getTime() + 3600_000 - 30_000);
  // The latest occurrence within a day from now is the next one (not due means today's has fired).
  return lastDailyOccurrence(schedule, new Date(now.getTime() + 24 * 3600_000));
}
