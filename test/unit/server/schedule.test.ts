import { describe, expect, it } from 'vitest';
import { lastDailyOccurrence, scheduleDue, scheduleSchema } from '../../../src/domain/schedule.ts';

const daily = (at: string, timeZone = 'Europe/Helsinki') =>
  scheduleSchema.parse({ frequency: 'daily', at, timeZone });

describe('the import schedule', () => {
  it('fires a daily schedule once after its local time, in winter and in summer time', () => {
    // 03:00 in Helsinki is 01:00 UTC in winter (UTC+2) and 00:00 UTC in summer (UTC+3).
    expect(lastDailyOccurrence(daily('03:00'), new Date('2026-11-27T12:00:00Z')).toISOString()).toBe(
      '2026-11-27T01:00:00.000Z',
    );
    expect(lastDailyOccurrence(daily('03:00'), new Date('2026-07-01T12:00:00Z')).toISOString()).toBe(
      '2026-07-01T00:00:00.000Z',
    );
    // Before today's time: yesterday's.
    expect(lastDailyOccurrence(daily('03:00'), new Date('2026-11-27T00:30:00Z')).toISOString()).toBe(
      '2026-11-26T01:00:00.000Z',
    );
    // The night the clocks go back (25 October 2026) still has one 03:00.
    expect(lastDailyOccurrence(daily('03:00'), new Date('2026-10-25T12:00:00Z')).toISOString()).toBe(
      '2026-10-25T01:00:00.000Z',
    );
  });

  it('is due when the latest occurrence is after the last firing', () => {
    const s = daily('04:30');
    const firedYesterday = new Date('2026-11-26T02:30:00Z');
    expect(scheduleDue(s, firedYesterday, new Date('2026-11-27T02:29:00Z'))).toBe(false);
    expect(scheduleDue(s, firedYesterday, new Date('2026-11-27T02:30:00Z'))).toBe(true);
    expect(scheduleDue(s, new Date('2026-11-27T02:30:05Z'), new Date('2026-11-27T09:00:00Z'))).toBe(false);
  });

  it('fires hourly an hour after the last firing, and never when off', () => {
    const hourly = scheduleSchema.parse({ frequency: 'hourly' });
    const fired = new Date('2026-11-27T10:00:00Z');
    expect(scheduleDue(hourly, fired, new Date('2026-11-27T10:45:00Z'))).toBe(false);
    expect(scheduleDue(hourly, fired, new Date('2026-11-27T11:00:00Z'))).toBe(true);
    expect(scheduleDue(scheduleSchema.parse({}), null, new Date())).toBe(false);
  });

  it('refuses an unknown time zone and a time that is not HH:MM', () => {
    expect(scheduleSchema.safeParse({ frequency: 'daily', timeZone: 'Mars/Olympus' }).success).toBe(false);
    expect(scheduleSchema.safeParse({ frequency: 'daily', at: '4:30' }).success).toBe(false);
  });
});
