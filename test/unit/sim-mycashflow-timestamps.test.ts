import { describe, expect, it } from 'vitest';
import { formatInstant, parseTimestamp } from '../../simulators/mycashflow/timestamps.ts';

describe('MyCashflow simulator timestamps (Europe/Helsinki)', () => {
  it('writes instants in Helsinki time with the offset of the season', () => {
    expect(formatInstant(Date.parse('2025-01-15T08:30:00Z'))).toBe('2025-01-15T10:30:00+02:00');
    expect(formatInstant(Date.parse('2025-07-01T21:00:00Z'))).toBe('2025-07-02T00:00:00+03:00');
    // Summer time starts at 01:00 UTC on the last Sunday of March.
    expect(formatInstant(Date.parse('2025-03-30T00:59:59Z'))).toBe('2025-03-30T02:59:59+02:00');
    expect(formatInstant(Date.parse('2025-03-30T01:00:00Z'))).toBe('2025-03-30T04:00:00+03:00');
  });

  it('reads timestamps with an offset as that instant', () => {
    expect(parseTimestamp('2025-01-15T10:30:00+02:00')).toBe(Date.parse('2025-01-15T08:30:00Z'));
    expect(parseTimestamp('2025-01-15T08:30:00Z')).toBe(Date.parse('2025-01-15T08:30:00Z'));
    expect(parseTimestamp('2025-01-15T10:30:00.250+0200')).toBe(Date.parse('2025-01-15T08:30:00.250Z'));
    expect(parseTimestamp('2025-01-15T10:30:00-05:00')).toBe(Date.parse('2025-01-15T15:30:00Z'));
  });

  it('reads timestamps without an offset as Helsinki wall-clock time, in both seasons', () => {
    expect(parseTimestamp('2025-01-15T10:30:00')).toBe(Date.parse('2025-01-15T08:30:00Z'));
    expect(parseTimestamp('2025-07-15T10:30:00')).toBe(Date.parse('2025-07-15T07:30:00Z'));
    expect(parseTimestamp('2025-07-15')).toBe(Date.parse('2025-07-14T21:00:00Z'));
    expect(parseTimestamp('2025-01-15 10:30')).toBe(Date.parse('2025-01-15T08:30:00Z'));
  });

  it('reads a "+" that URL decoding turned into a space', () => {
    expect(parseTimestamp('2025-01-15T10:30:00 02:00')).toBe(Date.parse('2025-01-15T08:30:00Z'));
  });

  it('refuses what is not a timestamp', () => {
    for (const text of [
      '',
      'yesterday',
      '2025-13-01',
      '2025-02-30',
      '2025-01-01T24:00:00',
      '15.1.2025',
      '2025-01-01T10:00:00+2',
    ]) {
      expect(parseTimestamp(text), text).toBeUndefined();
    }
  });
});
